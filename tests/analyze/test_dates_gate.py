"""Regression gate for dates: TIMEX3 extraction and values on a small TimeML fixture of our own stories.

Scored with the benchmark's scorer (TempEval-3 semantics: strict and relaxed extents, type and value over
relaxed matches) against spaCy + dateparser run side by side. The floors are what the pipeline reaches now.
"""

from __future__ import annotations

import spacy
from bench.quality.dates import TimexScores, baseline_timexes, parse_timeml, watchfloor_timexes

from watchfloor.analyze.nlp import DEFAULT_MODELS, load_nlp


def _doc(dct: str, text: str) -> str:
    return f'<DCT><TIMEX3 tid="t0" type="DATE" value="{dct}">{dct}</TIMEX3></DCT>\n<TEXT>{text}</TEXT>'


def _t(kind: str, value: str, text: str) -> str:
    return f'<TIMEX3 type="{kind}" value="{value}">{text}</TIMEX3>'


#: written for this test (not taken from any evaluation set)
FIXTURE = [
    _doc("2024-11-06", f"""The ministers met {_t("DATE", "2024-11-04", "Monday")} in Seoul and will meet again \
{_t("DATE", "2024-W46", "next week")}. Talks began {_t("DATE", "2024-10", "last month")} and have run for \
{_t("DURATION", "P3W", "three weeks")}. The ministry said {_t("DATE", "PRESENT_REF", "now")} that a deal was \
close. The first envoys arrived on {_t("DATE", "2024-10-18", "Oct. 18")}, {_t("DURATION", "P19D", "19 days")} \
before the vote, and a summit is planned for {_t("DATE", "2025-03", "March 2025")}. Officials \
{_t("DATE", "PAST_REF", "recently")} said troop numbers had doubled since {_t("DATE", "2022", "2022")}."""),
    _doc("2013-03-22", f"""The flu season ended {_t("DATE", "2013-W11", "last week")}, health officials said \
{_t("DATE", "2013-03-22", "Friday")}. The pandemic of {_t("DATE", "2009", "2009")}-{_t("DATE", "2010", "2010")} \
was worse. Shots are advised {_t("SET", "P1Y", "every year")}, and clinics open \
at {_t("TIME", "2013-03-22T09:00", "9 a.m. today")}. Sales rose in {_t("DATE", "2012-Q4", "the fourth quarter")} \
and fell {_t("DATE", "2011-Q4", "a year earlier")}. Cases peaked in {_t("DATE", "2013-01", "January")} and \
may rise again by {_t("DATE", "2013-FA", "this fall")}. The agency expects results \
in {_t("DATE", "FUTURE_REF", "the coming weeks")}."""),
    _doc("1998-02-13", f"""Stocks fell {_t("DATE", "1998-02-12", "yesterday")} after a rally \
{_t("DATE", "1998-W06", "last week")}. Trading will resume \
{_t("TIME", "1998-02-16TMO", "Monday morning")}. \
Prices were higher in {_t("DATE", "199", "the 1990s")} than {_t("DATE", "198", "a decade earlier")}. \
The company, which reports {_t("SET", "P1Q", "quarterly")}, expects a loss for {_t("DURATION", "P1Y", "the year")}. \
Its chairman, who is 52 years old, steps down on \
{_t("DATE", "1998-12-25", "Christmas Day")}."""),
]

VALUE_F1_FLOOR = 0.90
RELAXED_F1_FLOOR = 0.95


def test_dates_floor_and_margin_over_dateparser() -> None:
    documents = [parse_timeml(text, f"fixture-{i}") for i, text in enumerate(FIXTURE)]
    texts = [d.text for d in documents]
    ours, base = TimexScores(), TimexScores()
    bare = spacy.load(next(n for n in DEFAULT_MODELS if spacy.util.is_package(n)))
    for document, doc, bare_doc in zip(documents, load_nlp().pipe(texts), bare.pipe(texts), strict=True):
        ours.add(watchfloor_timexes(doc, document.dct), document.timexes)
        base.add(baseline_timexes(bare_doc, document.dct), document.timexes)
    assert ours.relaxed.f1 >= RELAXED_F1_FLOOR, ours.metrics()
    assert ours.value_f1 >= VALUE_F1_FLOOR, ours.metrics()
    assert ours.value_f1 >= base.value_f1 + 0.2, (ours.value_f1, base.value_f1)
