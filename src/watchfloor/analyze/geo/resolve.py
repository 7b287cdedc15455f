"""Geocoding: each toponym of a document to one gazetteer entry, chosen by what the document says around it.

A candidate's score is a prior (population, kind of place, whether the name is its own or an alternate)
plus what the other toponyms of the same document make likely: their countries, their first-level areas
and their distance. "Pokrovsk" beside "Donetsk region" is the Ukrainian town; "Paris, Texas" is the one in
Texas. Two rounds: first every toponym takes its best guess from the prior, then each is chosen again
with the others' guesses as context (its own name left out, so that repetition proves nothing).

A name the gazetteer does not hold stays unresolved: no entry, no coordinates.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..gazetteer import gazetteer as alias_table
from .gazetteer import (
    ADMIN1,
    ADMIN2,
    CITY,
    CONTINENT,
    COUNTRY,
    Gazetteer,
    GeoEntry,
    distances_km,
    fold,
    geo_gazetteer,
)

__all__ = ["Resolution", "Toponym", "Weights", "demonym_place", "population_baseline", "resolve"]


@dataclass(frozen=True)
class Toponym:
    """A place name as found in a text: ``text`` without its designator ("Kursk" in "Kursk region")."""

    text: str
    start: int
    end: int
    designator: str | None = None
    #: index (in the same sequence) of the toponym that qualifies this one: "Paris, Texas" -> Texas
    within: int | None = None


@dataclass(frozen=True)
class Resolution:
    entry: GeoEntry | None
    lat: float | None
    lon: float | None
    confidence: float
    #: the first-level area (ISO 3166-2) of the entry, when the gazetteer knows it
    admin: str | None = None


@dataclass(frozen=True)
class Weights:
    """The knobs of the scorer, tuned on GeoVirus and TR-News (bench/geo.py)."""

    population: float = 0.8  # per decade of population
    own_name: float = 1.0  # the name is the entry's own, not a GeoNames alternate
    capital: float = 1.6
    feature: dict[str, float] = field(default_factory=lambda: {
        COUNTRY: 4.0, ADMIN1: 2.5, CONTINENT: 3.0, ADMIN2: 1.0, "region": 2.5, "sea": 2.5, "site": 2.5,
        "river": 2.0})
    country: float = 4.0  # share of the document's other toponyms in the candidate's country
    admin1: float = 2.0  # share in the candidate's first-level area
    proximity: float = 2.0  # other toponyms near the candidate (kilometres scale below)
    proximity_km: float = 250.0
    qualifier: float = 6.0  # "Paris, Texas": the candidate lies in the qualifying place
    #: a capital or a city of millions named like an area of its country ("Washington", "New York") is the
    #: city unless the document's other places lie in the area
    namesake: float = 3.0
    namesake_population: int = 1_000_000


DEFAULT_WEIGHTS = Weights()


#: adjectives of world regions that the alias table (countries only) lacks
_REGION_ADJECTIVES = {"european": "Europe", "asian": "Asia", "african": "Africa", "arab": "Middle East",
                      "latin american": "Latin America", "middle eastern": "Middle East"}


#: "Angolan", "Chadian", "Sudanese", "Iraqi": country name plus suffix, when the alias table lacks the form
_DEMONYM_SUFFIXES = ("ian", "ese", "an", "n", "i")


@lru_cache(maxsize=1 << 14)
def demonym_place(gaz: Gazetteer, text: str) -> GeoEntry | None:
    """The country or region a demonym or adjective names ("Spanish" -> Spain), if ``text`` is one. Kept per
    process: asked of every place name several times a document, it tries up to five stems on the gazetteer."""
    hit = alias_table().lookup(text)
    if hit is not None and hit.kind == "demonym" and hit.entity.type == "country":
        return gaz.country(hit.entity.key.split(":", 1)[1].upper())
    key = fold(text)
    region = _REGION_ADJECTIVES.get(key)
    if region is not None:
        return next((e for e, own in gaz.candidates(region) if own and e.feature != CITY), None)
    for suffix in _DEMONYM_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 2 and " " not in key:
            country = next((e for e, own in gaz.candidates(key[: -len(suffix)]) if e.feature == COUNTRY), None)
            if country is not None:
                return country
    return None


def _candidates(gaz: Gazetteer, toponym: Toponym) -> list[tuple[GeoEntry, bool]]:
    demonym = demonym_place(gaz, toponym.text)
    if demonym is not None:
        return [(demonym, True)]
    if toponym.designator:
        found = [(e, True) for e in gaz.designated(toponym.text, toponym.designator)]
        if found:
            return found
        found = gaz.candidates(f"{toponym.text} {toponym.designator}")
        if found:
            return found
    return gaz.candidates(toponym.text)


def _prior(entry: GeoEntry, own: bool, w: Weights) -> float:
    score = w.population * math.log10(entry.population + 10)
    score += w.feature.get(entry.feature, 0.0)
    if own:
        score += w.own_name
    if entry.capital:
        score += w.capital
    return score


def _contains(outer: GeoEntry, inner: GeoEntry) -> bool:
    if outer.feature == COUNTRY:
        return inner.country == outer.country and inner is not outer
    if outer.feature in {ADMIN1, ADMIN2}:
        return inner.country == outer.country and inner.admin1 == outer.admin1 and inner is not outer
    return False


class _Context:
    """What the document's toponyms (their current best entries) say about where it is."""

    def __init__(self, chosen: Sequence[tuple[str, GeoEntry | None, float]]) -> None:
        self.countries: dict[str, dict[str | None, float]] = defaultdict(lambda: defaultdict(float))
        self.areas: dict[str, dict[tuple[str | None, str | None], float]] = defaultdict(lambda: defaultdict(float))
        self.points: list[tuple[str, float, float, float]] = []
        self.total: dict[str, float] = defaultdict(float)
        for key, entry, weight in chosen:
            if entry is None:
                continue
            self.total[key] += weight
            if entry.country:
                self.countries[key][entry.country] += weight
            if entry.admin1 and entry.feature != COUNTRY:
                self.areas[key][(entry.country, entry.admin1)] += weight
            if entry.lat is not None and entry.lon is not None and entry.feature in {CITY, ADMIN1, "site"}:
                self.points.append((key, entry.lat, entry.lon, weight))
        self.grand_total = sum(self.total.values())
        self._keys = np.array([p[0] for p in self.points], dtype=object)
        self._lat = np.radians(np.array([p[1] for p in self.points], dtype=np.float64))
        self._lon = np.radians(np.array([p[2] for p in self.points], dtype=np.float64))
        self._weight = np.array([p[3] for p in self.points], dtype=np.float64)
        self._others: dict[str, tuple[np.ndarray, float, np.ndarray, np.ndarray, np.ndarray]] = {}
        self._shares: dict[tuple[int, str, object], float] = {}

    def _share(self, table: dict, own_key: str, value: object) -> float:
        """The weight of the other toponyms' entries that have ``value``, as a share of theirs: the same for every
        candidate of one toponym in one country or area, so summed once for them."""
        memo = (id(table), own_key, value)
        found = self._shares.get(memo)
        if found is None:
            total = self.grand_total - self.total.get(own_key, 0.0)
            found = self._shares[memo] = 0.0 if total <= 0 else \
                sum(t.get(value, 0.0) for k, t in table.items() if k != own_key) / total
        return found

    def country_share(self, own_key: str, country: str | None) -> float:
        return self._share(self.countries, own_key, country) if country else 0.0

    def area_share(self, own_key: str, country: str | None, admin1: str | None) -> float:
        return self._share(self.areas, own_key, (country, admin1)) if admin1 else 0.0

    def nearness(self, own_key: str, entry: GeoEntry, scale_km: float) -> float:
        if entry.lat is None or entry.lon is None or entry.feature not in {CITY, "site", ADMIN2}:
            return 0.0
        weight, total, lats, lons, cos_lats = self._points_beside(own_key)
        if not total:
            return 0.0
        km = distances_km(entry.lat, entry.lon, lats, lons, cos_lats)
        return float((weight * np.exp(-km / scale_km)).sum()) / total

    def _points_beside(self, own_key: str) -> tuple[np.ndarray, float, np.ndarray, np.ndarray, np.ndarray]:
        """The other toponyms' points (weights, their total, latitudes, longitudes, cosines of the latitudes): the
        same for every candidate of one toponym, so made once per toponym."""
        found = self._others.get(own_key)
        if found is None:
            others = self._keys != own_key
            weight, lats = self._weight[others], self._lat[others]
            found = self._others[own_key] = (weight, float(weight.sum()), lats, self._lon[others], np.cos(lats))
        return found


def _county_point(entry: GeoEntry, chosen: Sequence[tuple[str, GeoEntry | None, float]]) -> tuple[float, float] | None:
    """A county has no point of its own here: the middle of the document's towns in its state stands for it."""
    points = [(e.lat, e.lon) for _, e, _ in chosen if e is not None and e.feature == CITY
              and e.country == entry.country and e.admin1 == entry.admin1 and e.lat is not None and e.lon is not None]
    if not points:
        return None
    return statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)


def resolve(toponyms: Sequence[Toponym], weights: Weights = DEFAULT_WEIGHTS,
            gaz: Gazetteer | None = None) -> list[Resolution]:
    """Choose a gazetteer entry for every toponym, using the others as context."""
    gaz = gaz or geo_gazetteer()
    w = weights
    keys = [fold(t.text) + (f" {t.designator}" if t.designator else "") for t in toponyms]
    cands = [_candidates(gaz, t) for t in toponyms]
    priors = [[_prior(e, own, w) for e, own in cs] for cs in cands]
    qualified = _qualifier_bonus(toponyms, cands, w)
    # the areas the document's other towns lie in (by prior alone): a city named like its area is the area
    # when the document's other places are inside it ("New York" among upstate towns is the state)
    towns = [(keys[i], cs[max(range(len(cs)), key=priors[i].__getitem__)][0]) for i, cs in enumerate(cands) if cs]
    occupied: dict[str, set[tuple[str | None, str | None]]] = {}  # by toponym: a name repeated asks once
    for i, cs in enumerate(cands):
        if toponyms[i].designator is None:
            areas = occupied.get(keys[i])
            if areas is None:
                areas = occupied[keys[i]] = {(e.country, e.admin1) for k, e in towns
                                             if k != keys[i] and e.feature in {CITY, ADMIN2}}
            _namesake_bonus(cs, priors[i], w, areas)
    best: list[int | None] = []
    for i, cs in enumerate(cands):
        scores = [p + q for p, q in zip(priors[i], qualified[i], strict=True)]
        best.append(max(range(len(cs)), key=scores.__getitem__) if cs else None)
    for _ in range(2):
        chosen = [(keys[i], cands[i][b][0] if b is not None else None, 1.0) for i, b in enumerate(best)]
        context = _Context(chosen)
        final: list[tuple[int | None, float]] = []
        seen: dict[tuple[str, int], float] = {}  # a name repeated in the document scores its candidates once
        for i, cs in enumerate(cands):
            if not cs:
                final.append((None, 0.0))
                continue
            scores = []
            for j, (entry, _) in enumerate(cs):
                memo = (keys[i], id(entry))
                if memo not in seen:
                    seen[memo] = _context_score(context, keys[i], entry, w)
                scores.append(priors[i][j] + qualified[i][j] + seen[memo])
            j = max(range(len(cs)), key=scores.__getitem__)
            final.append((j, _confidence(scores, j)))
        chosen_again = [j for j, _ in final]
        if chosen_again == best:
            break  # the same choices make the same context: another round would score the same
        best = chosen_again
    chosen = [(keys[i], cands[i][b][0] if b is not None else None, 1.0) for i, b in enumerate(best)]
    results: list[Resolution] = []
    for i, (pick, conf) in enumerate(final):
        if pick is None:
            results.append(Resolution(None, None, None, 0.0))
            continue
        entry = cands[i][pick][0]
        lat, lon = entry.lat, entry.lon
        if entry.feature == ADMIN2 and lat is None:
            point = _county_point(entry, chosen)
            if point is None and conf < 0.5:  # one of several same-named counties, nothing to tell them apart
                results.append(Resolution(None, None, None, 0.0))
                continue
            if point is not None:
                lat, lon = point
                conf *= 0.5
        region = gaz.region_of(entry) if entry.feature == CITY else None
        admin = entry.admin or (region.admin if region else None)
        results.append(Resolution(entry, lat, lon, round(conf, 3), admin))
    return results


def _context_score(context: _Context, key: str, entry: GeoEntry, w: Weights) -> float:
    return (w.country * context.country_share(key, entry.country)
            + w.admin1 * context.area_share(key, entry.country, entry.admin1)
            + w.proximity * context.nearness(key, entry, w.proximity_km))


def _qualifier_bonus(toponyms: Sequence[Toponym], cands: list[list[tuple[GeoEntry, bool]]],
                     w: Weights) -> list[list[float]]:
    """"Paris, Texas": the candidates of Paris inside some candidate of Texas, and those of Texas holding one."""
    bonus = [[0.0] * len(cs) for cs in cands]
    for i, t in enumerate(toponyms):
        if t.within is None:
            continue
        k = t.within
        for a, (inner, _) in enumerate(cands[i]):
            for b, (outer, _) in enumerate(cands[k]):
                if _contains(outer, inner):
                    bonus[i][a] = w.qualifier
                    bonus[k][b] = max(bonus[k][b], w.qualifier / 2)
    return bonus


def _namesake_bonus(cands: list[tuple[GeoEntry, bool]], priors: list[float], w: Weights,
                    occupied: set[tuple[str | None, str | None]]) -> None:
    areas = {e.country for e, _ in cands if e.feature == ADMIN1}
    for j, (entry, _) in enumerate(cands):
        if entry.feature == CITY and entry.country in areas and (entry.country, entry.admin1) not in occupied and (
                entry.capital or entry.population >= w.namesake_population):
            priors[j] += w.namesake


def _confidence(scores: list[float], j: int) -> float:
    """The chosen candidate's share of a softmax over the scores."""
    top = scores[j]
    total = sum(math.exp(s - top) for s in scores)
    return 1.0 / total


def population_baseline(toponyms: Sequence[Toponym], gaz: Gazetteer | None = None) -> list[Resolution]:
    """The side-by-side baseline: every toponym to its most populous gazetteer match, no context."""
    gaz = gaz or geo_gazetteer()
    results = []
    for t in toponyms:
        located = [e for e, _ in _candidates(gaz, t) if e.lat is not None]
        if not located:
            results.append(Resolution(None, None, None, 0.0))
            continue
        entry = max(located, key=lambda e: e.population)
        results.append(Resolution(entry, entry.lat, entry.lon, 1.0, entry.admin))
    return results
