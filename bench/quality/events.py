"""Events: PLOVER gold-standard records (322 sentences) — event type accuracy, source and target accuracy.

The records use the PLOVER 0.5 names DEMAND and DISAPPROVE for what we code as REQUEST and ACCUSE.
Baseline, run side by side: the root verb of the sentence looked up in the same lexicon, its subject as
source and its object as target (no clause selection, no phrasal or object-sensitive triggers, no nominals).
Only the even-numbered records were looked at while writing rules; the odd half is reported separately.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Token

from watchfloor.analyze.entities import extract_mentions
from watchfloor.analyze.event_lexicon import SPEECH_ONLY, VERBS
from watchfloor.analyze.events import EventCandidate, entity_for, event_candidates, plover_type
from watchfloor.analyze.modality import classify
from watchfloor.analyze.nlp import load_nlp

from ..common import require
from .scoring import row

TASK = "events"
_TO_GSR = {"REQUEST": "DEMAND", "ACCUSE": "DISAPPROVE"}


@dataclass(frozen=True)
class Coded:
    type: str | None
    source: str | None
    target: str | None


def _phrase(token: Token | None) -> str | None:
    if token is None:
        return None
    ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    if ent is not None:
        return ent.text
    return token.doc[token.left_edge.i : token.i + 1].text


def _depth(token: Token) -> int:
    depth = 0
    while token.head is not token and depth < 50:
        token = token.head
        depth += 1
    return depth


def main_event(doc: Doc) -> EventCandidate | None:
    """The event highest in the parse; a reporting frame ("officials said") is not the event."""
    candidates = event_candidates(doc)
    if not candidates:
        return None
    return min(candidates, key=lambda c: (_depth(c.trigger), c.trigger.i))


def _actor(tokens: tuple[Token, ...], mentions: list) -> str | None:
    """The first actor that resolves to an entity (pronouns included), else the first phrase."""
    for token in tokens:
        entity = entity_for(token, mentions, "gsr")
        if entity is not None:
            covering = next((m for m in mentions if m.entity == entity), None)
            return f"{covering.span.text} | {entity.name}" if covering else entity.name
    return _phrase(tokens[0]) if tokens else None


def code_watchfloor(doc: Doc) -> Coded:
    event = main_event(doc)
    if event is None:
        return Coded(None, None, None)
    event_type, _ = plover_type(event, *classify(event.trigger))
    mentions = list(extract_mentions(doc, "gsr"))
    return Coded(_TO_GSR.get(event_type, event_type), _actor(event.sources, mentions),
                 _actor(event.targets, mentions))


def code_baseline(doc: Doc) -> Coded:
    root = next(iter(doc.sents)).root
    lemma = root.lemma_.lower()
    entry = VERBS.get(lemma) if lemma not in SPEECH_ONLY else None
    subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
    obj = next((c for c in root.children if c.dep_ == "dobj"), None)
    event_type = _TO_GSR.get(entry[0], entry[0]) if entry else None
    return Coded(event_type, _phrase(subject), _phrase(obj))


def _actor_match(predicted: str | None, gold: list[dict]) -> bool:
    if predicted is None:
        return False
    for option in predicted.lower().split(" | "):
        if any(g.get("actorText") and (g["actorText"].lower() in option or option in g["actorText"].lower())
               for g in gold):
            return True
    return False


def _actors(value: object) -> list[dict]:
    return [a for a in value if isinstance(a, dict)] if isinstance(value, list) else []


def score(records: list[dict], coded: list[Coded]) -> dict[str, float]:
    type_ok = sum(c.type == r["event"] for r, c in zip(records, coded, strict=True))
    with_source = [(r, c) for r, c in zip(records, coded, strict=True) if _actors(r.get("source"))]
    with_target = [(r, c) for r, c in zip(records, coded, strict=True) if _actors(r.get("target"))]
    return {
        "type accuracy": type_ok / len(records),
        "source accuracy": sum(_actor_match(c.source, _actors(r["source"])) for r, c in with_source) / len(with_source),
        "target accuracy": sum(_actor_match(c.target, _actors(r["target"])) for r, c in with_target) / len(with_target),
    }


def run(data: Path) -> list[dict]:
    path = require(data / "event_coding" / "plover_gsr" / "PLOVER_GSR_CAMEO.json")
    records = [r for r in json.loads(path.read_text(encoding="utf-8")) if r.get("event") != "DOCUMENT"]
    nlp = load_nlp()
    docs = list(nlp.pipe([r["text"] for r in records]))
    ours = [code_watchfloor(d) for d in docs]
    base = [code_baseline(d) for d in docs]
    rows = []
    name = "root verb + same lexicon, nsubj/dobj"
    for label, keep in (("PLOVER GSR (322)", lambda i: True), ("PLOVER GSR odd half (161, held out)", lambda i: i % 2)):
        idx = [i for i in range(len(records)) if keep(i)]
        ours_scores = score([records[i] for i in idx], [ours[i] for i in idx])
        base_scores = score([records[i] for i in idx], [base[i] for i in idx])
        for metric in ours_scores:
            rows.append(row(TASK, label, metric, ours_scores[metric], base_scores[metric], name))
    return rows
