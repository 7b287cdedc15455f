from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchfloor.analyze.timex import normalise_timex
from watchfloor.model import Precision

ANCHOR = date(2024, 11, 6)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "tense", "start", "end", "precision"),
    [
        ("Oct. 18", "past", "2024-10-18", "2024-10-18", Precision.DAY),
        ("October 18, 2024", "past", "2024-10-18", "2024-10-18", Precision.DAY),
        ("18 October 2024", "past", "2024-10-18", "2024-10-18", Precision.DAY),
        ("on Monday", "past", "2024-11-04", "2024-11-04", Precision.DAY),
        ("Monday", "future", "2024-11-11", "2024-11-11", Precision.DAY),
        ("Wednesday", "past", "2024-11-06", "2024-11-06", Precision.DAY),
        ("last Wednesday", "past", "2024-10-30", "2024-10-30", Precision.DAY),
        ("yesterday", "past", "2024-11-05", "2024-11-05", Precision.DAY),
        ("last week", "past", "2024-10-28", "2024-11-03", Precision.WEEK),
        ("next week", "future", "2024-11-11", "2024-11-17", Precision.WEEK),
        ("earlier this month", "past", "2024-11-01", "2024-11-30", Precision.MONTH),
        ("last month", "past", "2024-10-01", "2024-10-31", Precision.MONTH),
        ("in mid-October", "past", "2024-10-11", "2024-10-20", Precision.MONTH),
        ("late July", "past", "2024-07-21", "2024-07-31", Precision.MONTH),
        ("over the weekend", "past", "2024-11-02", "2024-11-03", Precision.WEEK),
        ("the night of October 5-6", "past", "2024-10-05", "2024-10-06", Precision.DAY),
        ("12-14 September", "past", "2024-09-12", "2024-09-14", Precision.DAY),
        ("from Monday to Tuesday", "past", "2024-11-04", "2024-11-05", Precision.DAY),
        ("Saturday to Monday", "past", "2024-11-02", "2024-11-04", Precision.DAY),
        ("March 3 last year", "past", "2023-03-03", "2023-03-03", Precision.DAY),
        ("9 May next year", "future", "2025-05-09", "2025-05-09", Precision.DAY),
        ("December", "future", "2024-12-01", "2024-12-31", Precision.MONTH),
        ("June", "past", "2024-06-01", "2024-06-30", Precision.MONTH),
        ("earlier this year", "past", "2024-01-01", "2024-12-31", Precision.YEAR),
        ("last year", "past", "2023-01-01", "2023-12-31", Precision.YEAR),
        ("2022", "past", "2022-01-01", "2022-12-31", Precision.YEAR),
        ("three weeks ago", "past", "2024-10-14", "2024-10-20", Precision.WEEK),
    ],
)
def test_relative_and_absolute_dates(text: str, tense: str, start: str, end: str, precision: Precision) -> None:
    timex = normalise_timex(text, ANCHOR, tense)
    assert timex is not None and timex.time_value is not None
    assert (timex.time_value.start.isoformat(), timex.time_value.end.isoformat()) == (start, end)
    assert timex.time_value.precision is precision


@pytest.mark.parametrize(("text", "value"), [("three years", "P3Y"), ("the past two weeks", "P2W"),
                                              ("several months", "PXM"), ("48 hours", "PT48H")])
def test_durations_are_not_points_in_time(text: str, value: str) -> None:
    timex = normalise_timex(text, ANCHOR)
    assert timex is not None and timex.type == "DURATION" and timex.value == value and timex.time_value is None


@pytest.mark.parametrize("text", ["five days later", "the following week", "soon after", "the day"])
def test_anaphoric_or_unknown_expressions_are_not_guessed(text: str) -> None:
    timex = normalise_timex(text, ANCHOR)
    assert timex is None or timex.time_value is None


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
       st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]))
def test_bare_weekday_in_past_tense_is_within_the_week_before(anchor: date, weekday: str) -> None:
    timex = normalise_timex(weekday, anchor, "past")
    assert timex is not None and timex.time_value is not None
    day = timex.time_value.start
    assert anchor - timedelta(days=6) <= day <= anchor
    assert day.strftime("%A") == weekday


@pytest.mark.parametrize(
    ("text", "reference", "kind", "value"),
    [
        ("the third quarter", None, "DATE", "2024-Q3"),
        ("a year earlier", "2024-Q3", "DATE", "2023-Q3"),
        ("the year-ago quarter", "2024-Q3", "DATE", "2023-Q3"),
        ("the latest quarter", None, "DATE", "2024-Q3"),
        ("the same day", "2024-10-18", "DATE", "2024-10-18"),
        ("now", None, "DATE", "PRESENT_REF"),
        ("recently", None, "DATE", "PAST_REF"),
        ("the 1990s", None, "DATE", "199"),
        ("nineteen ninety-six", None, "DATE", "1996"),
        ("Thanksgiving", None, "DATE", "2023-11-23"),
        ("every week", None, "SET", "P1W"),
        ("each Thursday", None, "SET", "XXXX-WXX-4"),
        ("a decade", None, "DURATION", "P10Y"),
        ("the past two quarters", None, "DURATION", "P2Q"),
        ("5 p.m. EST, Nov. 9", None, "TIME", "2024-11-09T17:00"),
        ("Friday night", None, "TIME", "2024-11-01TNI"),
    ],
)
def test_timex3_values(text: str, reference: str | None, kind: str, value: str) -> None:
    timex = normalise_timex(text, ANCHOR, "past", reference)
    assert timex is not None and (timex.type, timex.value) == (kind, value)


@pytest.mark.parametrize(("text", "reference"), [("a year earlier", "2024-Q3"), ("the same day", "2024-10-18"),
                                                 ("9 a.m.", None)])
def test_anaphoric_or_dayless_values_carry_no_interval(text: str, reference: str | None) -> None:
    """Counted from another date, or a clock time without its day: a TIMEX3 value, never a made-up exact day."""
    timex = normalise_timex(text, ANCHOR, "past", reference)
    assert timex is not None and timex.time_value is None
