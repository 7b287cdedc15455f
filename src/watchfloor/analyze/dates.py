"""Date expressions in a parsed document, normalised against its publication date."""

from __future__ import annotations

import re
from datetime import date

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from ..model import DateMention, Span
from .nlp import text_of
from .timex import Timex, normalise_timex

__all__ = ["clause_tense", "extract_dates", "find_timexes"]

_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
_WEEKDAY = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b")
_DATE_LIKE = re.compile(
    r"\b(?:today|tonight|yesterday|tomorrow|(?:last|this|next|earlier this|later this) (?:week|month|year)|"
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.? \d{1,2}\b)",
    re.IGNORECASE,
)
_LEADING = re.compile(r"^(?:the|on|in|at|by|since|until|from|during|as of|of|through)\s+", re.IGNORECASE)


def clause_tense(span: SpacySpan) -> str:
    """"future" when the governing verb has will/shall/going to, "present" for present forms, else "past"."""
    head = span.root
    for _ in range(4):
        if head.pos_ in {"VERB", "AUX"} or head.dep_ == "ROOT":
            break
        head = head.head
    children = list(head.children)
    if any(c.lower_ in _FUTURE_AUX and c.dep_ == "aux" for c in children):
        return "future"
    if head.tag_ == "VB" and any(c.tag_ == "MD" for c in children):
        return "future"  # "may send ... by December"
    if any(c.lower_ == "going" for c in children) or head.tag_ == "VB" and any(c.lower_ == "to" for c in children):
        return "future"
    if head.tag_ in {"VBZ", "VBP"} or head.lemma_ in {"plan", "schedule", "expect"}:
        return "present"
    return "past"


def _candidate_spans(doc: Doc) -> list[SpacySpan]:
    spans = [e for e in doc.ents if e.label_ in {"DATE", "TIME"}]
    covered = {t.i for e in spans for t in e}
    for pattern in (_WEEKDAY, _DATE_LIKE):
        for match in pattern.finditer(text_of(doc)):
            extra = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if extra is not None and not any(t.i in covered for t in extra):
                spans.append(extra)
                covered.update(t.i for t in extra)
    return sorted(spans, key=lambda s: s.start)


def _trim(span: SpacySpan) -> tuple[int, int]:
    start, end = span.start_char, span.end_char
    text = span.text
    leading = _LEADING.match(text)
    if leading:
        start += leading.end()
    while end > start and text_of(span.doc)[end - 1] in ",.;:":
        end -= 1
    return start, end


def find_timexes(doc: Doc, anchor: date) -> list[tuple[int, int, Timex | None]]:
    """(start, end, normalised) for every time expression found, including ones that could not be resolved."""
    found: list[tuple[int, int, Timex | None]] = []
    for span in _candidate_spans(doc):
        start, end = _trim(span)
        text = text_of(doc)[start:end]
        timex = normalise_timex(text, anchor, clause_tense(span))
        if timex is None and " and " in text:
            continue
        found.append((start, end, timex))
    return found


def extract_dates(doc: Doc, doc_id: str, anchor: date | None) -> tuple[DateMention, ...]:
    """Calendar dates only (durations and sets are not points in time); nothing without an anchor."""
    if anchor is None:
        return ()
    mentions = []
    for start, end, timex in find_timexes(doc, anchor):
        if timex is not None and timex.time_value is not None:
            mentions.append(DateMention(Span(doc_id, start, end, text_of(doc)[start:end]), timex.time_value))
    return tuple(mentions)
