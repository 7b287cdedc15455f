"""Dates: TempEval-3 platinum test — TIMEX3 extraction (strict and relaxed F1), type and value, against each DCT.

Scored as the TempEval-3 scorer does: a system timex matches a gold one when their extents are the same
(strict) or overlap (relaxed, one to one); type and value accuracy are taken over relaxed matches, and an
attribute's F1 is the relaxed F1 times its accuracy (so value F1 is the headline normalisation score).
Baseline, run side by side: spaCy's DATE and TIME entity spans, valued by dateparser with the document
creation time as its relative base (preferring the past). watchfloor: ``find_timexes(doc, dct)``.
Rules were tuned on TBAQ-cleaned (TimeBank + AQUAINT) only.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import spacy
from spacy.tokens import Doc

from watchfloor.analyze.dates import find_timexes
from watchfloor.analyze.nlp import DEFAULT_MODELS, load_nlp

from ..common import require
from .scoring import PRF, overlaps, row

TASK = "dates"
BASELINE_NAME = "spaCy DATE/TIME + dateparser (DCT base); published HeidelTime value F1 77.61"
_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class Timex3:
    start: int
    end: int
    type: str | None
    value: str | None


@dataclass(frozen=True)
class TimeMLDocument:
    name: str
    text: str
    dct: date
    timexes: tuple[Timex3, ...]


def read_timeml(path: Path) -> TimeMLDocument:
    return parse_timeml(path.read_text(encoding="utf-8"), path.name)


def parse_timeml(raw: str, name: str) -> TimeMLDocument:
    """The plain text inside <TEXT>, its TIMEX3 extents with type and value, and the creation time."""
    dct_tag = re.search(r"<DCT>\s*<TIMEX3([^>]*)>", raw)
    if dct_tag is None:
        raise ValueError(f"{name}: no <DCT><TIMEX3 ...> creation time")
    dct = date.fromisoformat(dict(_ATTR.findall(dct_tag[1]))["value"][:10])
    body = raw[raw.index("<TEXT>") + len("<TEXT>") : raw.index("</TEXT>")]
    parts: list[str] = []
    length = 0
    open_timex: tuple[int, dict[str, str]] | None = None
    timexes = []
    position = 0
    for tag in _TAG.finditer(body):
        chunk = html.unescape(body[position : tag.start()])
        parts.append(chunk)
        length += len(chunk)
        position = tag.end()
        if tag[2] != "TIMEX3":
            continue
        if not tag[1]:
            open_timex = (length, dict(_ATTR.findall(tag[3])))
        elif open_timex is not None:
            start, attrs = open_timex
            timexes.append(Timex3(start, length, attrs.get("type"), attrs.get("value")))
            open_timex = None
    parts.append(html.unescape(body[position:]))
    return TimeMLDocument(name, "".join(parts), dct, tuple(timexes))


def read_folder(folder: Path, pattern: str = "*.tml*") -> list[TimeMLDocument]:
    return [read_timeml(p) for p in sorted(folder.glob(pattern))]


@dataclass
class TimexScores:
    strict: PRF = field(default_factory=PRF)
    relaxed: PRF = field(default_factory=PRF)
    matched: int = 0
    type_ok: int = 0
    value_ok: int = 0

    @property
    def type_accuracy(self) -> float:
        return self.type_ok / self.matched if self.matched else 0.0

    @property
    def value_accuracy(self) -> float:
        return self.value_ok / self.matched if self.matched else 0.0

    @property
    def type_f1(self) -> float:
        return self.relaxed.f1 * self.type_accuracy

    @property
    def value_f1(self) -> float:
        return self.relaxed.f1 * self.value_accuracy

    def add(self, predicted: Iterable[Timex3], gold: Iterable[Timex3]) -> list[tuple[Timex3 | None, Timex3 | None]]:
        """Score one document; returns the pairs (system, gold) with None where one side is missing."""
        predicted, gold = list(predicted), list(gold)
        exact = {(g.start, g.end) for g in gold}
        strict_tp = sum((p.start, p.end) in exact for p in predicted)
        self.strict.tp += strict_tp
        self.strict.fp += len(predicted) - strict_tp
        self.strict.fn += len(gold) - strict_tp
        pairs = sorted(((min(p.end, g.end) - max(p.start, g.start), i, j) for i, p in enumerate(predicted)
                        for j, g in enumerate(gold) if overlaps((p.start, p.end), (g.start, g.end))), reverse=True)
        used_p: set[int] = set()
        used_g: set[int] = set()
        result: list[tuple[Timex3 | None, Timex3 | None]] = []
        for _, i, j in pairs:
            if i in used_p or j in used_g:
                continue
            used_p.add(i)
            used_g.add(j)
            result.append((predicted[i], gold[j]))
            self.matched += 1
            self.type_ok += predicted[i].type == gold[j].type
            self.value_ok += predicted[i].value == gold[j].value
        self.relaxed.tp += len(used_p)
        self.relaxed.fp += len(predicted) - len(used_p)
        self.relaxed.fn += len(gold) - len(used_g)
        result += [(p, None) for i, p in enumerate(predicted) if i not in used_p]
        result += [(None, g) for j, g in enumerate(gold) if j not in used_g]
        return result

    def metrics(self) -> dict[str, float]:
        return {"strict F1": self.strict.f1, "relaxed F1": self.relaxed.f1, "relaxed precision": self.relaxed.precision,
                "relaxed recall": self.relaxed.recall, "type accuracy": self.type_accuracy, "type F1": self.type_f1,
                "value accuracy": self.value_accuracy, "value F1": self.value_f1}


def watchfloor_timexes(doc: Doc, dct: date) -> list[Timex3]:
    return [Timex3(start, end, t.type if t else None, t.value if t else None) for start, end, t in find_timexes(doc, dct)]


def _dateparser_value(text: str, dct: date) -> str | None:
    import dateparser

    base = datetime(dct.year, dct.month, dct.day, 12)
    parser = dateparser.date.DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True})
    data = parser.get_date_data(text)
    when = data.date_obj
    if when is None:
        return None
    period = data.period or "day"
    if period == "year":
        return f"{when.year:04d}"
    if period == "month":
        return f"{when.year:04d}-{when.month:02d}"
    if period == "week":
        iso = when.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    if period == "time":
        return f"{when.date().isoformat()}T{when.hour:02d}:{when.minute:02d}"
    return when.date().isoformat()


def baseline_timexes(doc: Doc, dct: date) -> list[Timex3]:
    return [Timex3(e.start_char, e.end_char, e.label_, _dateparser_value(e.text, dct)) for e in doc.ents
            if e.label_ in {"DATE", "TIME"}]


def score(documents: list[TimeMLDocument], docs: Iterable[Doc],
          extract: Callable[[Doc, date], list[Timex3]]) -> TimexScores:
    scores = TimexScores()
    for document, doc in zip(documents, docs, strict=True):
        scores.add(extract(doc, document.dct), document.timexes)
    return scores


def run(data: Path) -> list[dict]:
    folder = require(data / "tempeval3")
    test = read_folder(folder / "te3-platinum", "*.tml")
    texts = [d.text for d in test]
    bare = spacy.load(next(n for n in DEFAULT_MODELS if spacy.util.is_package(n)))
    ours = score(test, load_nlp().pipe(texts), watchfloor_timexes).metrics()
    base = score(test, bare.pipe(texts), baseline_timexes).metrics()
    label = f"TempEval-3 platinum ({len(test)} docs, {sum(len(d.timexes) for d in test)} timexes)"
    return [row(TASK, label, metric, ours[metric], base[metric], BASELINE_NAME) for metric in ours]
