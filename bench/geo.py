"""``make bench-geo``: toponym recognition and geocoding on LGL and GeoWebNews, beside a population baseline.

Reads ``<data>/geoparsing`` (see its README). Recognition: span P/R/F1 of ``extract_places`` against the gold
toponyms (overlap match, one gold span per prediction; GeoWebNews scored on its literal toponym types, where a
place is meant as a place). Geocoding, as Gritta et al. (2018) measure it: accuracy@161 km, mean error (km) and
AUC of the log-error curve, on the gold toponyms (the geocoder given the gold spans) and on our own recognised
ones (those that overlap a gold toponym). An unresolved toponym counts as the largest possible error.
The baseline geocodes the same spans to their most populous gazetteer match.

Tuning happens on GeoVirus and TR-News only (``--dev``); LGL and GeoWebNews are reported, never tuned on.

    .venv/bin/python -m bench.geo --data ../shared/data
    .venv/bin/python -m bench.geo --dev --errors 40
"""

from __future__ import annotations

import math
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import RESULTS, data_argument, merge_rows, print_rows, require
from bench.quality.scoring import PRF, overlaps, row
from watchfloor.analyze.geo import Resolution, geocode_spans
from watchfloor.analyze.geo.gazetteer import distance_km, geo_gazetteer

MAX_ERROR_KM = 20039.0  # half the Earth's circumference: the error of an unresolved toponym
ANCHOR = "CamCoder / Edinburgh Geoparser acc@161 76 (Gritta et al. 2018, LGL)"
BASELINE = "population-only geocoder (same gazetteer)"
#: GeoWebNews types where the name stands for the place itself (Gritta et al. 2020, "literal" toponyms)
GWN_LITERAL = {"Literal", "Mixed", "Coercion", "Embedded_Literal", "Literal_Modifier"}


@dataclass
class GoldToponym:
    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None


@dataclass
class GoldDoc:
    id: str
    text: str
    recognition: list[tuple[int, int]] = field(default_factory=list)
    geocoding: list[GoldToponym] = field(default_factory=list)


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text and text.strip() else None
    except ValueError:
        return None


def load_lgl_schema(path: Path) -> list[GoldDoc]:
    """LGL and TR-News: ``<toponym>`` with start, end, phrase and a ``<gaztag>`` holding lat/lon."""
    docs = []
    for n, article in enumerate(ET.parse(path).getroot().iter("article")):
        doc = GoldDoc(article.get("docid") or str(n), article.findtext("text") or "")
        for t in article.iter("toponym"):
            start, end = int(t.findtext("start") or 0), int(t.findtext("end") or 0)
            phrase = t.findtext("phrase")
            if doc.text[start:end] != phrase and doc.text[start - 1:end - 1] == phrase:
                start, end = start - 1, end - 1  # a few TR-News articles count from 1
            doc.recognition.append((start, end))
            gaz = t.find("gaztag")
            lat = _float(gaz.findtext("lat")) if gaz is not None else None
            lon = _float(gaz.findtext("lon")) if gaz is not None else None
            if lat is not None and lon is not None:
                doc.geocoding.append(GoldToponym(start, end, doc.text[start:end], lat, lon))
        docs.append(doc)
    return docs


def load_geovirus(path: Path) -> list[GoldDoc]:
    docs = []
    for n, article in enumerate(ET.parse(path).getroot().iter("article")):
        doc = GoldDoc(str(n), article.findtext("text") or "")
        for loc in article.iter("location"):
            start, end = int(loc.findtext("start") or 0), int(loc.findtext("end") or 0)
            if doc.text[start:end] != loc.findtext("name") and doc.text[start - 1:end - 1] == loc.findtext("name"):
                start, end = start - 1, end - 1  # GeoVirus counts from 1
            doc.recognition.append((start, end))
            lat, lon = _float(loc.findtext("lat")), _float(loc.findtext("lon"))
            if lat is not None and lon is not None:
                doc.geocoding.append(GoldToponym(start, end, doc.text[start:end], lat, lon))
        docs.append(doc)
    return docs


def load_geowebnews(folder: Path) -> list[GoldDoc]:
    """Text and toponym types from GWN.xml, geocoding gold from geocoding/gwn_full.txt (one line per article)."""
    lines = (folder / "geocoding" / "gwn_full.txt").read_text(encoding="utf-8").splitlines()
    docs = []
    for n, article in enumerate(ET.parse(folder / "GWN.xml").getroot().iter("article")):
        doc = GoldDoc(article.get("file") or str(n), article.findtext("text") or "")
        for t in article.iter("toponym"):
            if t.findtext("type") in GWN_LITERAL:
                doc.recognition.append((int(t.findtext("start") or 0), int(t.findtext("end") or 0)))
        for record in lines[n].split("||") if n < len(lines) else []:
            parts = record.split(",,")
            if len(parts) == 6:
                start, end = int(parts[4]), int(parts[5])
                doc.geocoding.append(GoldToponym(start, end, doc.text[start:end], float(parts[2]), float(parts[3])))
        docs.append(doc)
    return docs


@dataclass
class GeoScore:
    errors: list[float] = field(default_factory=list)

    def add(self, resolution: Resolution | None, gold: GoldToponym) -> float:
        if resolution is None or resolution.lat is None or resolution.lon is None or gold.lat is None \
                or gold.lon is None:
            error = MAX_ERROR_KM
        else:
            error = distance_km(resolution.lat, resolution.lon, gold.lat, gold.lon)
        self.errors.append(error)
        return error

    @property
    def accuracy(self) -> float:
        return sum(e <= 161 for e in self.errors) / len(self.errors) if self.errors else 0.0

    @property
    def mean_km(self) -> float:
        return sum(self.errors) / len(self.errors) if self.errors else 0.0

    @property
    def auc(self) -> float:
        """Area under the sorted log-error curve, scaled to [0, 1] (Gritta et al. 2018); lower is better."""
        if len(self.errors) < 2:
            return 0.0
        logs = sorted(math.log(e + 1) for e in self.errors)
        area = sum((a + b) / 2 for a, b in zip(logs, logs[1:], strict=False))
        return area / (math.log(MAX_ERROR_KM) * (len(logs) - 1))


Geocoder = Callable[[str, Sequence[tuple[int, int]]], list[Resolution]]


def score_gold_spans(docs: list[GoldDoc], geocoder: Geocoder, misses: Counter[str] | None = None) -> GeoScore:
    score = GeoScore()
    for doc in docs:
        if not doc.geocoding:
            continue
        resolutions = geocoder(doc.text, [(t.start, t.end) for t in doc.geocoding])
        for gold, resolution in zip(doc.geocoding, resolutions, strict=True):
            error = score.add(resolution, gold)
            if misses is not None and error > 161:
                got = resolution.entry.name if resolution.entry else "-"
                country = resolution.entry.country if resolution.entry else ""
                misses[f"{gold.text} -> {got} {country or ''} ({'unresolved' if error == MAX_ERROR_KM else int(error)})"] += 1
    return score


def recognise(docs: list[GoldDoc]) -> tuple[PRF, PRF, GeoScore, float]:
    """Run the whole extractor; score its spans and the geocoding of the spans that match gold."""
    from watchfloor.analyze.entities import extract_mentions
    from watchfloor.analyze.geo import extract_places
    from watchfloor.analyze.nlp import load_nlp

    nlp = load_nlp()
    geo_gazetteer()  # built once per process, not part of the per-document cost
    loose, strict, geo = PRF(), PRF(), GeoScore()
    geo_seconds = 0.0
    for doc, parsed in zip(docs, nlp.pipe(d.text for d in docs), strict=True):
        mentions = extract_mentions(parsed, doc.id)
        started = time.perf_counter()
        places = extract_places(parsed, doc.id, mentions)
        geo_seconds += time.perf_counter() - started
        predicted = [(p.span.start, p.span.end) for p in places]
        gold = list(doc.recognition)
        exact = set(gold)
        strict.tp += sum(p in exact for p in predicted)
        strict.fp += sum(p not in exact for p in predicted)
        strict.fn += len(exact - set(predicted))
        unmatched = list(gold)
        for p in predicted:
            hit = next((g for g in unmatched if overlaps(p, g)), None)
            if hit is None:
                loose.fp += 1
            else:
                loose.tp += 1
                unmatched.remove(hit)
        loose.fn += len(unmatched)
        for place in places:
            target = next((g for g in doc.geocoding if overlaps((place.span.start, place.span.end), (g.start, g.end))),
                          None)
            if target is not None:
                geo.add(Resolution(None, place.lat, place.lon, place.confidence), target)
    return loose, strict, geo, geo_seconds


def population_geocoder(text: str, spans: Sequence[tuple[int, int]]) -> list[Resolution]:
    return geocode_spans(text, spans, baseline=True)


def corpora(data: Path, dev: bool) -> dict[str, list[GoldDoc]]:
    folder = require(data / "geoparsing")
    if dev:
        return {"GeoVirus": load_geovirus(folder / "GeoVirus.xml"), "TR-News": load_lgl_schema(folder / "TR-News.xml")}
    return {"LGL": load_lgl_schema(folder / "lgl.xml"), "GeoWebNews": load_geowebnews(folder / "GeoWebNews")}


def run(data: Path, dev: bool = False, errors: int = 0, gold_only: bool = False) -> list[dict]:
    rows: list[dict] = []
    for name, docs in corpora(data, dev).items():
        misses: Counter[str] = Counter()
        ours = score_gold_spans(docs, geocode_spans, misses if errors else None)
        base = score_gold_spans(docs, population_geocoder)
        rows += [
            row("geo", name, "geocoding acc@161 (gold toponyms)", 100 * ours.accuracy, 100 * base.accuracy, BASELINE),
            row("geo", name, "geocoding mean error km (gold toponyms)", ours.mean_km, base.mean_km, BASELINE),
            row("geo", name, "geocoding AUC (gold toponyms)", ours.auc, base.auc, BASELINE),
        ]
        if name == "LGL":
            rows.append(row("geo", name, "geocoding acc@161 (gold toponyms)", 100 * ours.accuracy, 76.0, ANCHOR))
        print(f"{name}: {len(ours.errors)} gold toponyms geocoded", file=sys.stderr)
        for text, count in misses.most_common(errors):
            print(f"  {count:3d}  {text}", file=sys.stderr)
        if gold_only:
            continue
        loose, strict, geo, seconds = recognise(docs)
        words = sum(len(d.text.split()) for d in docs)
        rows += [
            row("geo", name, "recognition P", loose.precision, None, ""),
            row("geo", name, "recognition R", loose.recall, None, ""),
            row("geo", name, "recognition F1", loose.f1, None, ""),
            row("geo", name, "recognition F1 (exact spans)", strict.f1, None, ""),
            row("geo", name, "geocoding acc@161 (recognised toponyms)", 100 * geo.accuracy, None, ""),
            row("geo", name, "geocoding mean error km (recognised toponyms)", geo.mean_km, None, ""),
            row("geo", name, "geocoding AUC (recognised toponyms)", geo.auc, None, ""),
            row("geo", name, "geo ms per 700 words (after spaCy)", 1000 * seconds * 700 / max(words, 1), None, ""),
        ]
    return rows


def main() -> None:
    parser = data_argument(__doc__ or "")
    parser.add_argument("--dev", action="store_true", help="score the tuning sets (GeoVirus, TR-News); writes nothing")
    parser.add_argument("--errors", type=int, default=0, help="print the N commonest geocoding errors per corpus")
    parser.add_argument("--gold-only", action="store_true", help="geocode gold spans only (no spaCy)")
    args = parser.parse_args()
    rows = run(args.data, args.dev, args.errors, args.gold_only)
    print_rows("geo, watchfloor vs side-by-side baselines", rows)
    if not args.dev and not args.gold_only:
        merge_rows(RESULTS / "quality.json", rows, {"geo"})


if __name__ == "__main__":
    main()
