"""Quantities and modality on our own gold set over the public-domain VOA stories (bench/gold/).

Quantities (exhaustively annotated stories): detection P/R/F1 by span overlap, value and unit accuracy of the
detected ones, and a strict F1 (span, value and unit all right). Baseline: spaCy's numeric entities (CARDINAL,
MONEY, PERCENT, QUANTITY) with the same number parser and the next word's lemma as the unit.
Modality (a sample of triggers): accuracy and per-label F1 of the label our classifier gives the trigger,
vs a keyword-window baseline (the nearest cue word in the three tokens before the trigger).
The gold was annotated before any rule was tuned; rules may be tuned on the dev split, the table reports test.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Token

from watchfloor.analyze.attribution import find_attributions
from watchfloor.analyze.entities import extract_mentions
from watchfloor.analyze.modality import classify
from watchfloor.analyze.nlp import load_nlp
from watchfloor.analyze.quantities import UNIT_SYNONYMS, extract_quantities, parse_number

from ..common import require
from .scoring import PRF, overlaps, row

TASK = "quantities"
MODALITY_TASK = "modality"
GOLD = Path(__file__).resolve().parents[1] / "gold"
LABELS = ("asserted", "hedged", "planned", "denied", "alleged", "negated")


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    unit: str


def _gold(name: str, split: str) -> list[dict]:
    lines = (GOLD / name).read_text(encoding="utf-8").splitlines()
    return [r for r in map(json.loads, lines) if r["split"] == split]


def ours_quantities(doc: Doc) -> list[Found]:
    return [Found(q.span.start, q.span.end, q.value, q.low, q.high, q.unit) for q in extract_quantities(doc, "voa")]


def baseline_quantities(doc: Doc) -> list[Found]:
    found = []
    for ent in doc.ents:
        if ent.label_ not in {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}:
            continue
        words = [t.text for t in ent if not t.is_punct and t.text not in {"$", "%"} and t.lower_ not in {
            "about", "some", "around", "nearly", "more", "than", "least", "at", "over", "almost", "up", "to"}]
        value = parse_number(words)
        following = doc[ent.end] if ent.end < len(doc) else None
        unit = "percent" if ent.label_ == "PERCENT" else "dollar" if "$" in ent.text else (
            following.lemma_.lower() if following is not None and following.is_alpha else "")
        found.append(Found(ent.start_char, ent.end_char, value, value, value, unit))
    return found


def _unit_ok(gold: dict, pred: Found) -> bool:
    unit = gold["unit"] or ""
    return UNIT_SYNONYMS.get(unit, unit) == UNIT_SYNONYMS.get(pred.unit, pred.unit)


def _value_ok(gold: dict, pred: Found) -> bool:
    if gold["value"] is None:
        return (gold["low"], gold["high"]) == (pred.low, pred.high)
    if pred.value is not None:
        return abs(pred.value - gold["value"]) < 1e-6 * max(1.0, abs(gold["value"]))
    return pred.low is not None and pred.high is not None and pred.low <= gold["value"] <= pred.high


def score_quantities(gold: list[dict], docs: dict[str, Doc], extract: Callable[[Doc], list[Found]]) -> dict:
    detect, strict = PRF(), PRF()
    value_ok = unit_ok = matched = 0
    for story_id, doc in docs.items():
        g = [r for r in gold if r["story_id"] == story_id]
        used: set[int] = set()
        for p in extract(doc):
            hit = next((i for i, r in enumerate(g) if i not in used and overlaps((r["start"], r["end"]),
                                                                                  (p.start, p.end))), None)
            if hit is None:
                detect.fp += 1
                strict.fp += 1
                continue
            used.add(hit)
            detect.tp += 1
            matched += 1
            v, u = _value_ok(g[hit], p), _unit_ok(g[hit], p)
            value_ok += v
            unit_ok += u
            if v and u:
                strict.tp += 1
            else:
                strict.fp += 1
                strict.fn += 1
        detect.fn += len(g) - len(used)
        strict.fn += len(g) - len(used)
    return {"detection P": detect.precision, "detection R": detect.recall, "detection F1": detect.f1,
            "value accuracy (detected)": value_ok / matched if matched else 0.0,
            "unit accuracy (detected)": unit_ok / matched if matched else 0.0, "strict F1": strict.f1}


def _token_at(doc: Doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None else None


def ours_modality(doc: Doc, trigger: Token) -> str:
    found = doc.user_data.get("bench_attributions")
    if found is None:
        found = doc.user_data["bench_attributions"] = find_attributions(doc, "voa", list(extract_mentions(doc, "voa")))
    governing = [f for f in found if f.record.content.start <= trigger.idx < f.record.content.end
                 and f.cue.i != trigger.i]
    cue = min(governing, key=lambda f: f.record.content.end - f.record.content.start).cue if governing else None
    return classify(trigger, cue)[0].value


_KEYWORDS = {"will": "planned", "plans": "planned", "plan": "planned", "may": "hedged", "might": "hedged",
             "could": "hedged", "reportedly": "hedged", "possibly": "hedged", "not": "negated", "n't": "negated",
             "no": "negated", "never": "negated", "denied": "denied", "denies": "denied", "deny": "denied",
             "rejected": "denied", "accused": "alleged", "alleged": "alleged", "allegedly": "alleged"}


def baseline_modality(doc: Doc, trigger: Token) -> str:
    for token in reversed(doc[max(0, trigger.i - 3) : trigger.i]):
        if token.lower_ in _KEYWORDS:
            return _KEYWORDS[token.lower_]
    return "asserted"


def score_modality(gold: list[dict], docs: dict[str, Doc], classify_fn: Callable[[Doc, Token], str]) -> dict:
    per = {label: PRF() for label in LABELS}
    correct = total = 0
    for item in gold:
        doc = docs[item["story_id"]]
        trigger = _token_at(doc, item["start"], item["end"])
        if trigger is None:
            continue
        predicted = classify_fn(doc, trigger)
        total += 1
        correct += predicted == item["label"]
        if predicted == item["label"]:
            per[predicted].tp += 1
        else:
            per[predicted].fp += 1
            per[item["label"]].fn += 1
    result = {"accuracy": correct / total if total else 0.0}
    result.update({f"{label} F1": per[label].f1 for label in LABELS})
    non_asserted = [per[label].f1 for label in LABELS if label != "asserted"]
    result["macro F1 (non-asserted labels)"] = sum(non_asserted) / len(non_asserted)
    return result


def run(data: Path, split: str = "test") -> list[dict]:
    path = require(data / "voa_news" / "voa_stories.jsonl")
    stories = {s["id"]: s["text"] for s in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    quantities = _gold("voa_quantities.jsonl", split)
    modality = _gold("voa_modality.jsonl", split)
    needed = sorted({r["story_id"] for r in quantities} | {r["story_id"] for r in modality})
    docs = dict(zip(needed, load_nlp().pipe([stories[i] for i in needed], batch_size=16), strict=True))
    q_docs = {i: docs[i] for i in sorted({r["story_id"] for r in quantities})}
    rows = []
    ours = score_quantities(quantities, q_docs, ours_quantities)
    base = score_quantities(quantities, q_docs, baseline_quantities)
    dataset = f"VOA gold, {split} ({len(quantities)} quantities, {len(q_docs)} stories)"
    rows += [row(TASK, dataset, m, ours[m], base[m], "spaCy numeric entities + next word as unit") for m in ours]
    ours_m = score_modality(modality, docs, ours_modality)
    base_m = score_modality(modality, docs, baseline_modality)
    dataset = f"VOA gold, {split} ({len(modality)} triggers)"
    rows += [row(MODALITY_TASK, dataset, m, ours_m[m], base_m[m], "cue keyword in 3 tokens before the trigger")
             for m in ours_m]
    return rows
