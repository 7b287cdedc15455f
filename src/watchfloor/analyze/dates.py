"""Date expressions in a parsed document, normalised against its publication date.

Candidates are spaCy's DATE and TIME entities plus a few patterns spaCy misses (weekdays, "now",
"recently"). Each is cut to a TimeML extent: no leading preposition or hedge ("on", "about"), no
possessive, ranges and "quarter ended Sept. 30" split into their dates. Values are resolved against the
publication date, and expressions counted from another date ("a year earlier", "the same day") against
the last date the text named.
"""

from __future__ import annotations

import re
from datetime import date

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from ..model import DateMention, Span
from .nlp import children_of, ents_of, text_of
from .timex import Timex, normalise_timex

__all__ = ["clause_tense", "extract_dates", "find_timexes"]

_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
#: the patterns scanned over a whole text leave out the word boundary they start at, which :func:`_word_starts`
#: checks on each match: led by a boundary, a pattern is tried at every character; led by letters, the scan
#: skips ahead to the next of them (about four times fewer instructions). A match at no boundary hides no other:
#: no word inside one of these matches starts another.
_WEEKDAY = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day(?:s)?(?: (?:morning|afternoon|evening|night))?\b")
_BOUNDARY = re.compile(r"\b")
#: date-like phrases spaCy misses, matched on the lower-cased text (faster than IGNORECASE); the lookahead holds
#: the first letters of the alternatives, so that the alternatives are tried only where a word starts with one
_DATE_LIKE = re.compile(
    r"\b(?=[acdefjlmnorstuy])(?:today|tonight|yesterday|tomorrow|(?:last|this|next|earlier this|later this) (?:week|month|year)|"
    r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.? \d{1,2}\b|"
    r"(?:every|each) (?:day|week|month|year|morning|night|evening|quarter|weekend)\b|"
    r"the (?:latest|year-earlier|year-ago|comparable|same|previous) (?:quarter|period)\b|"
    r"(?:this|last|next|early|late|the) (?:spring|summer|autumn|winter)\b|(?:this|last|next) fall\b|"
    r"(?:(?:right |just )?now|currently|nowadays|recently|lately|the (?:near |distant )?future|the past|"
    r"the present|these days|at present|the (?:near|short|long|longer) term|(?:more|most|until) recently)\b)"
)
#: "$1 billion a year": the rate's unit (group 1), after a number (:data:`_RATE_AFTER`, checked on each match)
_RATE_UNIT = re.compile(r" (a (?:day|week|month|year))\b")
_RATE_AFTER = re.compile(r"(?:\d|%|illion)\Z")
_HOLIDAY = re.compile(
    r"(?:Christmas(?: Day| Eve)?|New Year'?s (?:Day|Eve)|Thanksgiving(?: Day)?|Independence Day|Halloween|"
    r"Labou?r Day|Memorial Day|Veterans Day|Easter(?: Sunday)?|Good Friday|Boxing Day)\b"
)
_REF_ADJECTIVE = re.compile(r"current\b")
#: leading words that are no part of a TimeML extent: prepositions and hedges
_LEADING = re.compile(
    r"^(?:on|in|at(?!\s+(?:least|most))|by|since|until|till|from|during|as of|of|through|throughout|for|within|"
    r"between|beginning|starting|as early as|as late as|no later than|effective|about|around|approximately|"
    r"roughly|some|circa|sometime|some time|as long as|as little as|as much as|as many as|as|to|and|or|both|"
    r"either|its|their|his|her|our|my|your|this year's|last year's|"
    r"(?:the\s+)?(?:early\s+|late\s+)?(?:day|night|morning|evening|afternoon|hours|week)\s+of|"
    r"(?-i:(?:an?|the same)(?=\s+[A-Z0-9])|(?:the|The)(?=\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))))\s+",
    re.IGNORECASE,
)
#: words between two dates of one span: "the quarter ended Sept. 30", "2009-2010", "Monday and Tuesday"
_SPLIT = re.compile(
    r"\s+(?:that |which )?(?:ended|ending|ends|through|until|-|–|—)\s+|\s+(?:to|and|or)\s+(?!so\b)|"
    r"(?<!more)(?<!less)(?<!rather)(?<!other)\s+than\s+|(?<=\d{4})-(?=\d{4})|"
    r"(?:(?<=months)|(?<=weeks))\s+of\s+(?=(?:the |this |last |fiscal )?(?:year\b|\d{4}\b))|"
    r"(?:(?<=hours)|(?<=days)|(?<=weeks)|(?<=minutes))\s+(?=(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)"
)
_COUNT = r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|several)"
#: "12 to 18 months", "two or three weeks": one range of counts, not two dates
_COUNT_RANGE = re.compile(rf"\b{_COUNT}\s+(?:to|and|or|-)\s+{_COUNT}\s+[a-z]", re.IGNORECASE)
_TRAILING = re.compile(r"\s+(?:and|or|but|both)$", re.IGNORECASE)
_DAY_WORD = re.compile(r"(?:day|days|yesterday|today|tomorrow)$", re.IGNORECASE)
_PART_AFTER = re.compile(r"\s+(?:morning|afternoon|evening|night)s?\b", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"\b(each|every|early|late|noon|midnight|mid-|mid)[\s]*$", re.IGNORECASE)
_PART_WORD = re.compile(r"(?:morning|afternoon|evening|night|noon|midnight|[ap]\.?m\.?)$", re.IGNORECASE)
_DAY_AFTER = re.compile(r",?\s+(?:on\s+)?(?:yesterday|today|tomorrow|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b",
                        re.IGNORECASE)
_UNIT_ONLY = re.compile(r"^(?:day|week|weekend|month|year|quarter)$", re.IGNORECASE)
_DETERMINER_BEFORE = re.compile(r"\b(this|last|next|that|the same|the following|the previous)\s+$", re.IGNORECASE)
_RATE = re.compile(r"(?:\d|%|illion|percent)\s+$")
_PER_UNIT = re.compile(r"^an?\s+(?:day|week|month|year)$", re.IGNORECASE)
_AGE = re.compile(r"\b(?:\d+|[a-z]+)[\s-]years?[\s-]old\b|\b(?:\d+|[a-z]+)-(?:month|week|day|year)-old\b",
                  re.IGNORECASE)
_NUMBER_ONLY = re.compile(r"^[\d.,]+$")
_ADJECTIVAL_SETS = {"annual", "quarterly", "yearly", "monthly", "semiannual", "biannual"}
_BARE_PARTS = {"night", "morning", "evening", "afternoon", "noon", "day", "nights", "days", "the day", "the night"}


def clause_tense(span: SpacySpan) -> str:
    """"future" when the governing verb has will/shall/going to, "present" for present forms, else "past"."""
    head = span.root
    for _ in range(4):
        if head.pos_ in {"VERB", "AUX"} or head.dep_ == "ROOT":
            break
        head = head.head
    children = list(children_of(head))
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
    spans = [e for e in ents_of(doc) if e.label_ in {"DATE", "TIME"}]
    covered = {t.i for e in spans for t in e}
    text = text_of(doc)
    lowered = text.lower()
    matches = [*_word_starts(_WEEKDAY, text), *_word_starts(_HOLIDAY, text), *_DATE_LIKE.finditer(lowered)]
    bounds = [(m.start(), m.end()) for m in matches] + [
        (m.start(1), m.end(1)) for m in _RATE_UNIT.finditer(lowered)
        if _RATE_AFTER.search(lowered, max(0, m.start() - len("illion")), m.start())]
    for start, end in bounds:
        extra = doc.char_span(start, end, alignment_mode="expand")
        if extra is not None and not any(t.i in covered for t in extra):
            spans.append(extra)
            covered.update(t.i for t in extra)
    spans = _merged_times(doc, sorted(spans, key=lambda s: s.start))
    for match in _word_starts(_REF_ADJECTIVE, lowered):
        extra = doc.char_span(match.start(), match.end())
        if extra is not None and extra.root.dep_ == "amod" and extra.start not in covered:
            spans.append(extra)
    return sorted(spans, key=lambda s: s.start)


def _word_starts(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """The matches of ``pattern`` that start a word (see :data:`_WEEKDAY`)."""
    return [m for m in pattern.finditer(text) if _BOUNDARY.match(text, m.start())]


def _merged_times(doc: Doc, spans: list[SpacySpan]) -> list[SpacySpan]:
    """A clock time and the date after it are one expression: "5 p.m. EST, Nov. 9"."""
    merged: list[SpacySpan] = []
    for span in spans:
        if merged and merged[-1].label_ == "TIME" and span.label_ == "DATE" and span.start - merged[-1].end <= 2 \
                and all(t.text in {",", "on"} for t in doc[merged[-1].end : span.start]):
            merged[-1] = SpacySpan(doc, merged[-1].start, span.end, label="TIME")
        else:
            merged.append(span)
    return merged


def _extents(doc: Doc, span: SpacySpan) -> list[tuple[int, int]]:
    """TimeML extents in a candidate span: no leading preposition or hedge, no possessive, ranges split."""
    whole = text_of(doc)
    start, end = span.start_char, span.end_char
    pieces: list[tuple[int, int]] = []
    cursor = start
    for match in _SPLIT.finditer(whole, start, end):
        if _COUNT_RANGE.search(whole[max(start, match.start() - 12) : min(end, match.end() + 16)]):
            continue
        pieces.append((cursor, match.start()))
        cursor = match.end()
    pieces.append((cursor, end))
    extents = []
    for s, e in pieces:
        while leading := _LEADING.match(whole[s:e]):
            s += leading.end()
        while e > s and whole[e - 1] in ",.;:'\"’ ":
            if whole[e - 2 : e] in {"'s", "’s"}:
                e -= 2
            elif whole[e - 1] == "." and re.search(r"\b(?:[ap]\.m|[A-Z][a-z]{2,3})\.$", whole[s:e]):
                break  # "a.m." and "Sept." keep their dot
            else:
                e -= 1
        if e - 2 > s and whole[e - 2 : e] in {"'s", "’s"}:
            e -= 2
        if trailing := _TRAILING.search(whole, s, e):
            e = trailing.start()
        if e > s:
            extents.append(_widened(whole, s, e))
    return extents


def _widened(whole: str, start: int, end: int) -> tuple[int, int]:
    """Take in the part of day after a day ("Friday night") and "each", "noon" or "early" before it."""
    text = whole[start:end]
    if _PART_WORD.search(text) and (after := _DAY_AFTER.match(whole, end)):
        end = after.end()
    if _DAY_WORD.search(text):
        if after := _PART_AFTER.match(whole, end):
            end = after.end()
        if before := _WORD_BEFORE.search(whole, max(0, start - 20), start):
            start = before.start(1)
    elif _UNIT_ONLY.match(text) and (before := _DETERMINER_BEFORE.search(whole, max(0, start - 12), start)):
        start = before.start(1)
    return start, end


def _skip(text: str, doc: Doc, start: int, end: int) -> bool:
    """Not a time expression: a bare number, an age, "annual" before a noun, a lone "night"."""
    lowered = text.lower()
    if _NUMBER_ONLY.match(text) and not (len(text) == 4 and text.isdigit() and 1000 <= int(text) <= 2999):
        return True
    if _AGE.search(text) or lowered in _BARE_PARTS:
        return True
    if lowered in _ADJECTIVAL_SETS:
        span = doc.char_span(start, end, alignment_mode="expand")
        return span is not None and span.root.dep_ in {"amod", "compound"}
    return False


def find_timexes(doc: Doc, anchor: date) -> list[tuple[int, int, Timex | None]]:
    """(start, end, normalised) for every time expression found and resolved (the timex is never None)."""
    found: list[tuple[int, int, Timex | None]] = []
    whole = text_of(doc)
    last_date: str | None = None
    last_quarter: str | None = None
    for span in _candidate_spans(doc):
        tense = clause_tense(span)
        queue = _extents(doc, span)
        while queue:
            start, end = queue.pop(0)
            text = whole[start:end]
            if _skip(text, doc, start, end):
                continue
            timex = normalise_timex(text, anchor, tense, last_quarter or last_date)
            if timex is None and ", " in text:
                queue[:0] = _comma_pieces(whole, start, end)  # "Oct. 18, 19 days before the vote"
                continue
            if timex is not None and _RATE.search(whole, max(0, start - 12), start) and _PER_UNIT.match(text):
                timex = Timex("SET", timex.value)  # "$1 billion a year": a rate, not a length of time
            if timex is None:
                continue
            found.append((start, end, timex))
            if timex is not None and timex.time_value is not None and timex.value[:1].isdigit():
                last_date = timex.value.split("T")[0]
                if re.fullmatch(r"\d{4}-Q\d", last_date):
                    last_quarter = last_date
    return found


def _comma_pieces(whole: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    cursor = start
    for match in re.finditer(r",\s+", whole[start:end]):
        pieces.append((cursor, start + match.start()))
        cursor = start + match.end()
    pieces.append((cursor, end))
    return [(s, e) for s, e in pieces if e > s]


def extract_dates(doc: Doc, doc_id: str, anchor: date | None) -> tuple[DateMention, ...]:
    """Calendar dates only (durations and sets are not points in time); nothing without an anchor."""
    if anchor is None:
        return ()
    mentions = []
    for start, end, timex in find_timexes(doc, anchor):
        if timex is not None and timex.time_value is not None:
            mentions.append(DateMention(Span(doc_id, start, end, text_of(doc)[start:end]), timex.time_value))
    return tuple(mentions)
