"""Attribution: PolNeAR source–cue–content spans, exact and overlap F1 per role, and relation F1.

Baseline, run side by side: a plain rule — a verb with lemma "say" or "tell", its nsubj as source and its
ccomp subtree as content. A relation matches when its cue and its content overlap a gold relation's.
Rules were written against the dev split; the table reports the test split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from watchfloor.analyze.attribution import find_attributions, quotations
from watchfloor.analyze.entities import extract_mentions
from watchfloor.analyze.nlp import load_nlp

from ..common import require
from .scoring import PRF, overlaps, row

TASK = "attribution"
Range = tuple[int, int]


@dataclass(frozen=True)
class Relation:
    source: Range | None
    cue: Range
    content: Range


def _range(offsets: str) -> Range:
    parts = [tuple(int(x) for x in piece.split()) for piece in offsets.split(";")]
    return min(p[0] for p in parts), max(p[1] for p in parts)


def read_ann(path: Path) -> list[Relation]:
    spans: dict[str, tuple[str, Range]] = {}
    relations: list[Relation] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        if line.startswith("T"):
            tid, info, _ = (line.split("\t") + ["", ""])[:3]
            role, offsets = info.split(" ", 1)
            spans[tid] = (role, _range(offsets))
    for line in lines:
        if line.startswith("E"):
            _, info = line.split("\t")[:2]
            roles = dict(part.split(":") for part in info.split())
            cue = spans.get(roles.get("Cue", ""))
            content = spans.get(roles.get("Content", ""))
            if cue is None or content is None:
                continue
            source = spans.get(roles.get("Source", ""))
            relations.append(Relation(source[1] if source else None, cue[1], content[1]))
    return relations


def load_split(data: Path, split: str) -> list[tuple[str, list[Relation]]]:
    root = require(data / "polnear" / split)
    articles = []
    for text_path in sorted((root / "text").glob("*.txt")):
        annotations = sorted((root / "attributions").glob(text_path.stem + "*.ann"))
        if annotations:  # one annotator per article: the first file
            articles.append((text_path.read_text(encoding="utf-8"), read_ann(annotations[0])))
    return articles


def predict_watchfloor(doc: Doc) -> list[Relation]:
    """Our attributions in PolNeAR's scheme, which is univocal: an attribution nested in another's content
    (a "he thinks" inside a quote) is not annotated, so only the outermost ones are kept; and one cue has one
    content, so the propositions we split off one cue are joined again."""
    mentions = list(extract_mentions(doc, "x"))
    found_all = find_attributions(doc, "x", mentions)
    quoted = quotations(doc)  # words inside quotation marks are someone's content, whether or not we found whose
    outermost = [f for f in found_all if (len(f.record.chain) == 1 or not any(
        o is not f and o.record.content.start <= f.record.cue.start < o.record.content.end for o in found_all))
        and not any(start < f.record.cue.start < end for start, end in quoted)]
    by_cue: dict[Range, Relation] = {}
    for found in outermost:
        record = found.record
        source = (record.source_span.start, record.source_span.end) if record.source_span else None
        cue = (record.cue.start, record.cue.end)
        content = (record.content.start, record.content.end)
        if cue in by_cue:  # "said X and that Y" is two claims for us, one content in PolNeAR's scheme
            before = by_cue[cue].content
            content = (min(before[0], content[0]), max(before[1], content[1]))
        by_cue[cue] = Relation(source, cue, content)
    return list(by_cue.values())


def predict_baseline(doc: Doc) -> list[Relation]:
    out = []
    quoted = quotations(doc)  # the same adaptation to PolNeAR's scheme as ours: nothing inside quotation marks
    for token in doc:
        if any(start < token.idx < end for start, end in quoted):
            continue
        if token.pos_ == "VERB" and token.lemma_ in {"say", "tell"}:
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            content = next((c for c in token.children if c.dep_ == "ccomp"), None)
            if subject is None or content is None:
                continue
            sub = list(subject.subtree)
            con = list(content.subtree)
            out.append(Relation((sub[0].idx, sub[-1].idx + len(sub[-1])), (token.idx, token.idx + len(token)),
                                (con[0].idx, con[-1].idx + len(con[-1]))))
    return out


_TRIM = re.compile(r"^[\s,.;:]+|[\s,.;:]+$")


def _norm(text: str, span: Range) -> Range:
    """Exact match ignores surrounding spaces and punctuation only."""
    start, end = span
    piece = text[start:end]
    stripped = _TRIM.sub("", piece)
    offset = piece.find(stripped) if stripped else 0
    return start + offset, start + offset + len(stripped)


def _match(gold: list[Range], pred: list[Range], exact: bool, text: str) -> PRF:
    score = PRF()
    used: set[int] = set()
    for p in pred:
        hit = next((i for i, g in enumerate(gold) if i not in used and (
            _norm(text, g) == _norm(text, p) if exact else overlaps(g, p))), None)
        if hit is None:
            score.fp += 1
        else:
            used.add(hit)
            score.tp += 1
    score.fn += len(gold) - len(used)
    return score


def evaluate(articles: list[tuple[str, list[Relation]]], docs: list[Doc], predict) -> dict[str, float]:
    totals: dict[str, PRF] = {}
    for (text, gold), doc in zip(articles, docs, strict=True):
        pred = predict(doc)
        for role in ("source", "cue", "content"):
            g = [getattr(r, role) for r in gold if getattr(r, role) is not None]
            p = [getattr(r, role) for r in pred if getattr(r, role) is not None]
            for exact in (True, False):
                key = f"{role} {'exact' if exact else 'overlap'} F1"
                part = _match(g, p, exact, text)
                total = totals.setdefault(key, PRF())
                total.tp += part.tp
                total.fp += part.fp
                total.fn += part.fn
        relation = totals.setdefault("relation F1", PRF())
        used: set[int] = set()
        for p in pred:
            hit = next((i for i, g in enumerate(gold) if i not in used and overlaps(g.cue, p.cue)
                        and overlaps(g.content, p.content)), None)
            if hit is None:
                relation.fp += 1
            else:
                used.add(hit)
                relation.tp += 1
        relation.fn += len(gold) - len(used)
    result = {k: v.f1 for k, v in totals.items()}
    result["relation precision"] = totals["relation F1"].precision
    result["relation recall"] = totals["relation F1"].recall
    return result


def run(data: Path, split: str = "test") -> list[dict]:
    articles = load_split(data, split)
    docs = list(load_nlp().pipe([text for text, _ in articles], batch_size=16))
    ours = evaluate(articles, docs, predict_watchfloor)
    base = evaluate(articles, docs, predict_baseline)
    dataset = f"PolNeAR {split} ({len(articles)} articles)"
    return [row(TASK, dataset, metric, ours[metric], base[metric], "say/tell verb + nsubj + ccomp")
            for metric in ours]
