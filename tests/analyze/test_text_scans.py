"""The whole-text scans that skip ahead by their first letters find what the patterns led by a word boundary
find, and the name index's two-step bisection finds what one bisection over every key finds."""

from __future__ import annotations

import bisect
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from watchfloor.analyze import dates
from watchfloor.analyze.geo.gazetteer import geo_gazetteer

#: every alternative of the date-like pattern, the weekdays, the holidays, "current", rates; each also glued to
#: a word before it ("xtoday", "_Monday"), where a word boundary is missing
_PHRASES = """today tonight yesterday tomorrow last week this month next year earlier this year later this week
jan 5 feb. 12 mar 3 apr 30 jun 1 jul 4 aug 9 sep 7 sept. 11 oct 18 nov 2 dec 25 every day each weekend
the latest quarter the year-earlier period the same quarter this spring late autumn the winter next fall
right now just now now currently nowadays recently lately the near future the distant future the future the past
the present these days at present the near term the long term more recently most recently until recently
current currently undercurrent Monday Tuesdays Wednesday morning Thursday night Friday Saturday Sunday evening
Christmas Day Christmas Eve New Year's Day New Years Eve Thanksgiving Independence Day Halloween Labour Day
Labor Day Memorial Day Veterans Day Easter Sunday Good Friday Boxing Day 5 a day 10% a week $1 billion a year
a a month""".split("\n")


def _texts() -> list[str]:
    words = " ".join(_PHRASES).split()
    glued = [f"x{w}" for w in words] + [f"_{w}" for w in words] + [f"9{w}" for w in words]
    return [" ".join(_PHRASES), " ".join(glued), "\n".join(_PHRASES), "".join(_PHRASES), "SunMonday 5\n a day"]


def _bounded(pattern: str) -> re.Pattern[str]:
    return re.compile(r"\b" + pattern)


def _spans(text: str) -> list[tuple[int, int]]:
    lowered = text.lower()
    weekday = [m.span() for m in dates._word_starts(dates._WEEKDAY, text)]
    holiday = [m.span() for m in dates._word_starts(dates._HOLIDAY, text)]
    current = [m.span() for m in dates._word_starts(dates._REF_ADJECTIVE, lowered)]
    rates = [m.span(1) for m in dates._RATE_UNIT.finditer(lowered)
             if dates._RATE_AFTER.search(lowered, max(0, m.start() - 6), m.start())]
    return weekday + holiday + current + rates + [m.span() for m in dates._DATE_LIKE.finditer(lowered)]


def _reference_spans(text: str) -> list[tuple[int, int]]:
    lowered = text.lower()
    weekday = [m.span() for m in _bounded(dates._WEEKDAY.pattern).finditer(text)]
    holiday = [m.span() for m in _bounded(dates._HOLIDAY.pattern).finditer(text)]
    current = [m.span() for m in re.finditer(r"\bcurrent\b", lowered)]
    rates = [m.span(1) for m in re.finditer(r"(?:\d|%|illion) (a (?:day|week|month|year))\b", lowered)]
    unled = dates._DATE_LIKE.pattern.replace(r"\b(?=[acdefjlmnorstuy])", r"\b", 1)
    return weekday + holiday + current + rates + [m.span() for m in re.finditer(unled, lowered)]


def test_date_scans_find_what_bounded_patterns_find() -> None:
    for text in _texts():
        found = _spans(text)
        assert found == _reference_spans(text)
    assert len(_spans(_texts()[0])) > 70  # the phrases are found, not only left alone alike


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(" ".join(_PHRASES).split() + ["x", "_", "9", "%", "illion", ",", "'", "\n"]),
                max_size=30), st.sampled_from([" ", "", "-"]))
def test_date_scans_on_any_mix(words: list[str], sep: str) -> None:
    text = sep.join(words)
    assert _spans(text) == _reference_spans(text)


def test_name_index_finds_what_one_bisection_finds() -> None:
    gaz = geo_gazetteer()
    for index in (gaz._names, gaz._alternates, gaz._designated):
        n = len(index)
        keys = [index[i] for i in range(0, n, max(1, n // 500))] + [index[0], index[n - 1]]
        probes = keys + [k + b"x" for k in keys] + [k[:-1] for k in keys] + [b"", b"a", "\uffff".encode()]
        for probe in probes:
            text = probe.decode(errors="ignore")
            i = bisect.bisect_left(index, text.encode())
            expected = [] if i == n or index[i] != text.encode() else \
                index._postings[index._posting_ends[i] : index._posting_ends[i + 1]].tolist()
            assert index.get(text) == expected
        assert any(index.get(k.decode()) for k in keys)


def test_first_letter_lookaheads_change_no_match() -> None:
    """The vague counts ("hundreds of people") and the accusing words, with and without the lookahead of their
    first letters (case folded alike: "ſcores" is "scores" to both)."""
    from watchfloor.analyze import claims, quantities

    texts = ["Tens of thousands of people", "SCORES of x", "xdozens of y", "Hundreds of Thousands of z",
             "ſcores of x", "he was ACCUSED", "charges, suspected, alleged, blamed", "unaccused", "none here"]
    for lead, pattern in ((r"\b(?=[dhmst])", quantities._VAGUE_COUNT), ("(?=[abcs])", claims._ACCUSING)):
        plain = re.compile(pattern.pattern.replace(lead, r"\b" if lead.startswith(r"\b") else "", 1), pattern.flags)
        for text in texts:
            assert [m.span(0) for m in pattern.finditer(text)] == [m.span(0) for m in plain.finditer(text)]
    assert len(quantities._VAGUE_COUNT.findall(" ".join(texts))) == 4
