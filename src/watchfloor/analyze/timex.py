"""Normalise one date or time expression against an anchor date (the publication date).

Returns a TIMEX3-style result (type and value, as in TimeML) and, for calendar dates, a
:class:`~watchfloor.model.TimeValue` interval with its precision. Relative expressions ("on Monday",
"last week", "earlier this month") are resolved against the anchor; an expression whose day cannot be
known keeps the coarser precision, never a made-up exact day. Expressions counted from another date in
the text ("a year earlier", "the same day") take their value from ``reference`` (the last date the text
named) and never carry a :class:`TimeValue`. Unknown expressions return None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Precision, TimeValue
from .calendar_days import closest_year, holiday_date, month_span, shift_month, week_span
from .timex_words import (
    ANAPHORIC_UNITS,
    DECADE_WORDS,
    DEICTIC_DAYS,
    FUTURE_REFS,
    MONTHS,
    ORD,
    PARTS_OF_DAY,
    PATTERNS,
    PRESENT_REFS,
    RELATIVE,
    SEASONS,
    UNIT_CODES,
    UNIT_FACTOR,
    WEEKDAYS,
    clean_expression,
    number_value,
)

__all__ = ["Timex", "normalise_timex", "shift_value"]



@dataclass(frozen=True)
class Timex:
    type: str  # DATE | TIME | DURATION | SET
    value: str
    time_value: TimeValue | None = None


def _date(d: date, text: str) -> Timex:
    return Timex("DATE", d.isoformat(), TimeValue(d, d, Precision.DAY, text))


#: the days of a month a modifier points to: early (1-10), mid (11-20), late (21 to the end)
_MONTH_PARTS = {"early": (1, 10), "the beginning of": (1, 10), "beginning of": (1, 10), "the start of": (1, 10),
                "start of": (1, 10), "mid": (11, 20), "the middle of": (11, 20), "middle of": (11, 20),
                "late": (21, 31), "the end of": (21, 31), "end of": (21, 31), "the close of": (21, 31)}


def _month(year: int, month: int, text: str, part: str | None = None) -> Timex:
    """A month, or the third of it a modifier names ("late July": the 21st to the 31st); the value stays the
    month's (TIMEX3 marks the part with a modifier, not in the value)."""
    start, end = month_span(year, month)
    if part in _MONTH_PARTS:
        first, last = _MONTH_PARTS[part]
        start, end = start.replace(day=first), end.replace(day=min(last, end.day))
    return Timex("DATE", f"{year:04d}-{month:02d}", TimeValue(start, end, Precision.MONTH, text))


def _year(year: int, text: str) -> Timex:
    return Timex("DATE", f"{year:04d}", TimeValue(date(year, 1, 1), date(year, 12, 31), Precision.YEAR, text))


def _week(day: date, text: str) -> Timex:
    start, end = week_span(day)
    iso = start.isocalendar()
    return Timex("DATE", f"{iso.year:04d}-W{iso.week:02d}", TimeValue(start, end, Precision.WEEK, text))


def _weekend(day: date, text: str) -> Timex:
    """The weekend of the week ``day`` falls in: its Saturday and Sunday."""
    monday = week_span(day)[0]
    iso = monday.isocalendar()
    span = TimeValue(monday + timedelta(days=5), monday + timedelta(days=6), Precision.WEEK, text)
    return Timex("DATE", f"{iso.year:04d}-W{iso.week:02d}-WE", span)


def _span(first: date, last: date, raw: str) -> Timex:
    """Two days or more given as one range ("August 5-6", "from Thursday to Friday"): the value of the first
    day, the span over all of them."""
    return Timex("DATE", first.isoformat(), TimeValue(first, last, Precision.DAY, raw))


def _day_span(s: str, anchor: date, tense: str, raw: str) -> Timex | None:
    """A day of a month in a year named relative to the text ("April 15 last year"), a range of days of one
    month ("the night of August 5-6", "5 to 7 March") or a range of weekdays ("from Thursday to Friday")."""
    if m := PATTERNS["md_rel_year"].match(s):
        month, day = MONTHS.get((m[1] or m[4]).rstrip(".")), int(m[2] or m[3])
        year = anchor.year + {"last": -1, "next": 1}.get(m[5], 0)
        try:
            return _date(date(year, month or 0, day), raw)
        except ValueError:
            return None
    for key, order in (("md_range", (1, 2, 3)), ("dm_range", (3, 1, 2))):
        if m := PATTERNS[key].match(s):
            month, first, last = MONTHS.get(m[order[0]].rstrip(".")), int(m[order[1]]), int(m[order[2]])
            if not month or last <= first:
                return None
            year = closest_year(anchor, month, last, tense)
            try:
                return _span(date(year, month, first), date(year, month, last), raw)
            except ValueError:
                return None
    if m := PATTERNS["weekday_range"].match(s):
        final = _weekday(m[2], "", None, anchor, tense, raw).time_value
        if final is None:
            return None
        start = final.start - timedelta(days=(WEEKDAYS[m[2]] - WEEKDAYS[m[1]]) % 7 or 7)
        return _span(start, final.start, raw)
    return None


def _quarter(year: int, q: int, text: str) -> Timex:
    start = date(year, 3 * q - 2, 1)
    end = month_span(year, 3 * q)[1]
    return Timex("DATE", f"{year:04d}-Q{q}", TimeValue(start, end, Precision.QUARTER, text))


def _half(year: int, h: int, text: str) -> Timex:
    start = date(year, 6 * h - 5, 1)
    end = month_span(year, 6 * h)[1]
    return Timex("DATE", f"{year:04d}-H{h}", TimeValue(start, end, Precision.HALF_YEAR, text))


def _decade(decade: int, text: str) -> Timex:
    return Timex("DATE", f"{decade:03d}", TimeValue(date(decade * 10, 1, 1), date(decade * 10 + 9, 12, 31),
                                                     Precision.DECADE, text))


def _season(year: int, name: str, text: str) -> Timex:
    code = SEASONS[name]
    ranges = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}
    first, last = ranges[code]
    end_year, end_month = shift_month(year, 1, last - 1)
    return Timex("DATE", f"{year:04d}-{code}",
                 TimeValue(date(year, first, 1), month_span(end_year, end_month)[1], Precision.QUARTER, text))


def _duration(n: int | str | None, unit: str) -> str:
    unit = unit.rstrip("s").replace("ie", "y")
    if unit.startswith("centur"):
        unit = "century"
    code = UNIT_CODES.get(unit, "X")
    if n is None or (isinstance(n, str) and n == "X"):
        count = "X"
    elif isinstance(n, str):
        count = n.rstrip("0").rstrip(".") if "." in n else n
    else:
        count = str(n * UNIT_FACTOR.get(unit, 1))
    if count == "X" and unit in UNIT_FACTOR:
        code = {"decade": "DE", "century": "CE", "fortnight": "W"}[unit]
    if unit == "weekend":
        return f"P{count}WE"
    return f"PT{count}{code}" if unit in {"hour", "minute", "second"} else f"P{count}{code}"


def _unit_shift(anchor: date, n: int, unit: str, text: str) -> Timex | None:
    unit = unit.rstrip("s").replace("ie", "y")
    if unit == "day" or unit == "night":
        return _date(anchor + timedelta(days=n), text)
    if unit == "week":
        return _week(anchor + timedelta(weeks=n), text)
    if unit == "weekend":
        return _weekend(anchor + timedelta(weeks=n), text)
    if unit == "month":
        year, month = shift_month(anchor.year, anchor.month, n)
        return _month(year, month, text)
    if unit in {"year", "fiscal year", "calendar year"}:
        return _year(anchor.year + n, text)
    if unit == "quarter":
        q = (anchor.month - 1) // 3 + 1 + n
        year = anchor.year + (q - 1) // 4
        return _quarter(year, (q - 1) % 4 + 1, text)
    if unit == "half":
        h = (anchor.month - 1) // 6 + 1 + n
        return _half(anchor.year + (h - 1) // 2, (h - 1) % 2 + 1, text)
    if unit == "decade":
        return _decade(anchor.year // 10 + n, text)
    if unit == "century":
        return Timex("DATE", f"{anchor.year // 100 + n:02d}")
    return None


def shift_value(value: str, years: int = 0, units: int = 0) -> str | None:
    """A TIMEX3 date value moved by whole years, or by ``units`` of its own granularity ("1989-Q3", -1 → "1989-Q2")."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
        try:
            day = date(int(m[1]) + years, int(m[2]), int(m[3]))
        except ValueError:
            day = date(int(m[1]) + years, int(m[2]), 28)
        return (day + timedelta(days=units)).isoformat()
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        year, month = shift_month(int(m[1]) + years, int(m[2]), units)
        return f"{year:04d}-{month:02d}"
    if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1) + timedelta(weeks=units)
        iso = monday.isocalendar()
        return f"{iso.year + years:04d}-W{iso.week:02d}"
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        index = (int(m[1]) + years) * 4 + int(m[2]) - 1 + units
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    if m := re.fullmatch(r"(\d{4})-H([12])", value):
        index = (int(m[1]) + years) * 2 + int(m[2]) - 1 + units
        return f"{index // 2:04d}-H{index % 2 + 1}"
    if m := re.fullmatch(r"(\d{4})(-(?:SP|SU|FA|WI))?", value):
        return f"{int(m[1]) + years + units:04d}{m[2] or ''}"
    return None


def _granularity(value: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "day"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    if re.fullmatch(r"\d{4}-W\d{2}", value):
        return "week"
    if re.fullmatch(r"\d{4}-Q\d", value):
        return "quarter"
    if re.fullmatch(r"\d{4}", value):
        return "year"
    return "other"


def _at_granularity(value: str, unit: str) -> str | None:
    """A date value coarsened to a unit ("1989-10-27", "month" → "1989-10")."""
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if not m:
        return None
    if unit == "year":
        return m[1]
    if m[2] is None:
        return None
    if unit == "month":
        return f"{m[1]}-{m[2]}"
    if unit == "quarter":
        return f"{m[1]}-Q{(int(m[2]) - 1) // 3 + 1}"
    if unit == "half":
        return f"{m[1]}-H{(int(m[2]) - 1) // 6 + 1}"
    if m[3] is None:
        return None
    if unit == "week":
        iso = date(int(m[1]), int(m[2]), int(m[3])).isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    return value if unit == "day" else None


def _anaphoric(unit: str, which: str, anchor: date, reference: str | None, raw: str = "") -> Timex | None:
    """"the same day", "the year-earlier quarter", "the latest period": counted from the text, not the DCT."""
    if unit in {"fiscal year", "calendar year"} and which == "the":
        return Timex("DATE", (reference or anchor.isoformat())[:4])
    unit = {"period": "quarter", "fiscal year": "year", "calendar year": "year", "session": "day"}.get(unit, unit)
    if unit == "weekend" and which == "the":
        return _weekend(anchor - timedelta(days=anchor.weekday() + 1), raw)
    if unit not in {"day", "week", "month", "year", "quarter", "half"}:
        return None
    ref = reference if reference and _granularity(reference) != "other" else None
    if which in {"the year-earlier", "the year-ago", "year-earlier", "year-ago", "the comparable year-ago",
                 "the comparable year-earlier"}:
        base = _reference_unit(ref, unit, anchor, latest=True)
        value = shift_value(base, years=-1) if base else None
        return Timex("DATE", value) if value else None
    if which in {"the latest", "the most recent"} or (which == "the" and unit in {"quarter", "half"}):
        base = _reference_unit(ref, unit, anchor, latest=True)
        return Timex("DATE", base) if base else None
    if which in {"the comparable", "the corresponding"}:
        base = _reference_unit(ref, unit, anchor, latest=True)
        value = shift_value(base, years=-1) if base else None
        return Timex("DATE", value) if value else None
    if which == "the" and unit == "year":
        return Timex("DURATION", "P1Y")
    if which in {"the same", "that", "the"}:
        base = _reference_unit(ref, unit, anchor, latest=False)
        return Timex("DATE", base) if base else None
    if which in {"the following", "the preceding", "the prior", "prior"}:
        base = _at_granularity(ref or anchor.isoformat(), unit)
        value = shift_value(base, units=1 if which == "the following" else -1) if base else None
        return Timex("DATE", value) if value else None
    return None


def _reference_unit(ref: str | None, unit: str, anchor: date, latest: bool) -> str | None:
    """The reference date at the unit asked for; without one, the last complete unit before the anchor (latest)
    or the anchor's own (not latest)."""
    if ref is not None and (not latest or _granularity(ref) in {"quarter", "half", "year"} or unit in {
            "day", "week", "month", "year"}) and (value := _at_granularity(ref, unit)) is not None:
        return value
    own = _at_granularity(anchor.isoformat(), unit)
    if own is None:
        return None
    if latest and unit in {"quarter", "half"}:
        return shift_value(own, units=-1)
    return own


def _year_of(text_year: str, anchor: date) -> int:
    return int(text_year) if text_year else anchor.year


def normalise_timex(text: str, anchor: date, tense: str = "past",  # noqa: C901 - one table of cases
                    reference: str | None = None) -> Timex | None:
    """TIMEX3 type and value for ``text``, resolved against ``anchor``; None when unknown.

    ``tense`` is "past", "present" or "future": the tense of the clause, used for bare weekdays and months.
    ``reference`` is the TIMEX3 value of the last date the text named, for "a year earlier" and the like.
    """
    raw = text
    s = clean_expression(text)
    if not s:
        return None
    if m := PATTERNS["iso"].match(s):
        try:
            return _date(date(int(m[1]), int(m[2]), int(m[3])), raw)
        except ValueError:
            return None
    if m := PATTERNS["numeric"].match(s):
        year = int(m[3]) if len(m[3]) == 4 else 2000 + int(m[3]) if int(m[3]) < 50 else 1900 + int(m[3])
        try:
            return _date(date(year, int(m[1]), int(m[2])), raw)
        except ValueError:
            return None
    for key, order in (("mdy", (1, 2, 3)), ("dmy", (2, 1, 3))):
        if m := PATTERNS[key].match(s):
            month, day, year = MONTHS.get(m[order[0]].rstrip(".")), int(m[order[1]]), int(m[order[2]])
            try:
                return _date(date(year, month or 0, day), raw)
            except ValueError:
                return None
    if found := _day_span(s, anchor, tense, raw):
        return found
    if (m := PATTERNS["weekday_date"].match(s)) or (m := PATTERNS["date_weekday"].match(s)):
        groups = (m[2], m[3], m[4]) if m.re is PATTERNS["weekday_date"] else (m[1], m[2], None)
        month, day = MONTHS[groups[0]], int(groups[1])
        year = int(groups[2]) if groups[2] else closest_year(anchor, month, day, tense)
        try:
            return _date(date(year, month, day), raw)
        except ValueError:
            return None
    for key, pair in (("md", (2, 3)), ("dm", (2, 1))):
        if m := PATTERNS[key].match(s):
            month, day = MONTHS.get(m[pair[0]].rstrip(".")), int(m[pair[1]])
            if not month:
                return None
            if key == "md" and m[1]:
                tense = "future" if m[1] in {"next", "this coming"} else "past" if m[1] != "this" else tense
            try:
                return _date(date(closest_year(anchor, month, day, tense), month, day), raw)
            except ValueError:
                return None
    if m := PATTERNS["my"].match(s):
        return _month(int(m[3]), MONTHS[m[2]], raw)
    if m := PATTERNS["relmonth"].match(s):
        month = MONTHS[m[3]]
        rel = m[2]
        year = anchor.year + (-1 if rel in {"last", "past", "this past"} and month >= anchor.month - 1 else 0) \
            + (1 if rel in {"next", "coming", "this coming"} and month <= anchor.month else 0)
        return _month(year, month, raw)
    if m := PATTERNS["month_rel_year"].match(s):
        shift = {"last": -1, "the previous": -1, "next": 1, "the following": 1}.get(m[3], 0)
        if m[3] in {"the previous", "the following", "the same"}:
            return Timex("DATE", f"{int((reference or anchor.isoformat())[:4]) + shift:04d}-{MONTHS[m[2]]:02d}")
        return _month(anchor.year + shift, MONTHS[m[2]], raw, m[1])
    if (m := PATTERNS["month"].match(s)) and (m[2] != "may" or raw.strip()[:1] == "M"):
        month = MONTHS[m[2]]
        return _month(closest_year(anchor, month, None, tense), month, raw, m[1])
    if (m := PATTERNS["spelled_year"].match(s)) and (spelled := _spelled_year(m)):
        return _year(spelled, raw)
    if (m := PATTERNS["year_end"].match(s)) and ("end" in s or "close" in s):
        year = int(m[1] or m[3] or anchor.year)
        return Timex("DATE", f"{year:04d}-12-31" if m[2] not in {"year", "year's end"} else f"{year:04d}")
    if m := PATTERNS["year_ordinal"].match(s):
        return (_quarter if m[3] == "quarter" else _half)(int(m[1]), ORD[m[2]], raw)
    if m := PATTERNS["in_the_unit"].match(s):
        return _anaphoric(m[2], "the same", anchor, reference) if m[2] != "year" else Timex(
            "DATE", (reference or anchor.isoformat())[:4])
    if (m := PATTERNS["week_of"].match(s)) and (inner := normalise_timex(m[1], anchor, tense)) and inner.time_value:
        return _week(inner.time_value.start, raw)
    if m := PATTERNS["holiday"].match(s):
        return _holiday(m[2], m[1] or "", int(m[3]) if m[3] else None, anchor, tense, raw)
    if m := PATTERNS["yearspan"].match(s):
        year, what = int(m[1]), m[2]
        if what in {"period", "quarter"} and reference and _granularity(reference) == "quarter":
            return Timex("DATE", f"{year:04d}{reference[4:]}")
        if what == "first half":
            return _half(year, 1, raw)
        if what == "second half":
            return _half(year, 2, raw)
        return _year(year, raw)
    if m := PATTERNS["year"].match(s):
        year = int(m[2])
        if 1000 <= year <= 2999:
            prefix = m[1] or ""
            if prefix.startswith("the first half"):
                return _half(year, 1, raw)
            if prefix.startswith("the second half"):
                return _half(year, 2, raw)
            if prefix.endswith("quarter of"):
                return _quarter(year, ORD[prefix.split()[1]], raw)
            return _year(year, raw)
    if m := PATTERNS["decade"].match(s):
        return _decade(int(m[2]), raw)
    if m := PATTERNS["short_decade"].match(s):
        return _decade(190 + int(m[2]) if int(m[2]) > (anchor.year % 100) // 10 else 200 + int(m[2]), raw)
    if m := PATTERNS["word_decade"].match(s):
        return _decade(190 + DECADE_WORDS[m[2]], raw)
    if m := PATTERNS["century"].match(s):
        return Timex("DATE", f"{int(m[2]) - 1:02d}")
    if m := PATTERNS["weekday"].match(s):
        return _weekday(m[3], m[2] or "", m[4], anchor, tense, raw)
    if m := PATTERNS["part_weekday"].match(s):
        return _weekday(m[3], "", m[2], anchor, tense, raw)
    if m := PATTERNS["part_deictic"].match(s):
        when = anchor + timedelta(days=DEICTIC_DAYS[m[3]])
        return Timex("TIME", f"{when.isoformat()}T{PARTS_OF_DAY[m[2]]}", _date(when, raw).time_value)
    if (m := PATTERNS["part_alone"].match(s)) and m[1] and (base := _base_day(None, anchor, tense, reference)):
        return Timex("TIME", f"{base.isoformat()}T{PARTS_OF_DAY[m[2]]}")
    if m := PATTERNS["deictic"].match(s):
        word = m[2]
        when = anchor + timedelta(days=DEICTIC_DAYS[word])
        result = _date(when, raw)
        part = next((code for name, code in PARTS_OF_DAY.items() if name in word), None)
        if part:
            return Timex("TIME", f"{when.isoformat()}T{part}", result.time_value)
        return result
    if m := PATTERNS["ref"].match(s):
        word = m[1]
        if word in PRESENT_REFS:
            return Timex("DATE", "PRESENT_REF")
        return Timex("DATE", "FUTURE_REF" if word in FUTURE_REFS or word.startswith(("the next", "the coming"))
                     or "ahead" in word else "PAST_REF")
    if m := PATTERNS["relunit"].match(s):
        unit, which = m[3], m[2]
        if unit in SEASONS:
            return _season(_season_year(unit, which, anchor), unit, raw)
        if which in ANAPHORIC_UNITS:
            return _anaphoric(unit, which, anchor, reference, raw)
        if unit in {"period", "term", "session", "season"}:
            return None
        if m[1] in {"the first half of", "the second half of"} and unit == "year":
            return _half(anchor.year + RELATIVE.get(which, 0), 1 if "first" in m[1] else 2, raw)
        return _unit_shift(anchor, RELATIVE.get(which, 0), unit, raw)
    if m := PATTERNS["ago"].match(s):
        return _ago(number_value(m[1]), m[2], m[3], anchor, reference, raw)
    if PATTERNS["year_ago_adj"].match(s):
        known = reference if reference and _granularity(reference) in {"quarter", "year", "month"} else None
        value = shift_value(known, years=-1) if known else None
        return Timex("DATE", value or f"{anchor.year - 1:04d}")
    if m := PATTERNS["ago_the"].match(s):
        return _ago(1, m[1], m[2], anchor, reference, raw)
    if m := PATTERNS["span"].match(s):
        return Timex("DURATION", _duration(number_value(m[2]), m[3]))
    if m := PATTERNS["duration_half"].match(s):
        n = number_value(m[1])
        return Timex("DURATION", _duration(f"{n}.5" if isinstance(n, int) else "X", m[2]))
    if m := PATTERNS["duration"].match(s):
        return Timex("DURATION", _duration(number_value(m[1]), m[2]))
    if m := PATTERNS["ordinal_quarter"].match(s):
        return _ordinal_period(m, anchor, reference, raw)
    if m := PATTERNS["quarter_year"].match(s):
        year = int(m[1] or m[4])
        return _quarter(year, int(m[2] or m[3]), raw)
    if m := PATTERNS["season_year"].match(s):
        return _season(int(m[3]) if m[3] else _season_year(m[2], m[1] or "", anchor), m[2], raw)
    if m := PATTERNS["set"].match(s):
        return _set(m[1] or m[2])
    if m := PATTERNS["set_n"].match(s):
        return Timex("SET", _duration(number_value(m[1]), m[2]))
    if (m := PATTERNS["set_weekday"].match(s)) and (s.startswith(("every", "each")) or s.endswith("s")):
        part = f"T{PARTS_OF_DAY[m[2]]}" if m[2] else ""
        return Timex("SET", f"XXXX-WXX-{WEEKDAYS[m[1]] + 1}{part}")
    if m := PATTERNS["set_month"].match(s):
        return Timex("SET", f"XXXX-{MONTHS[m[1]]:02d}")
    if m := PATTERNS["units"].match(s):
        plural = s.endswith("s") and not s.endswith("ss")
        return Timex("DURATION", _duration("X" if plural else 1, m[1]))
    if m := PATTERNS["noon"].match(s):
        base = _base_day(m[2], anchor, tense, reference)
        if base is None:
            return None
        clock = {"noon": "12:00", "midday": "12:00", "midnight": "24:00"}[m[1]]
        return Timex("TIME", f"{base.isoformat()}T{clock}", TimeValue(base, base, Precision.DAY, raw) if m[2] else None)
    if m := PATTERNS["clock"].match(s):
        return _clock(m, anchor, tense, reference, raw)
    return None


def _holiday(name: str, rel: str, year: int | None, anchor: date, tense: str, raw: str) -> Timex:
    if year is None:
        this = holiday_date(name, anchor.year)
        if rel in {"last", "this past"} or (not rel and tense == "past"):
            year = anchor.year if this <= anchor else anchor.year - 1
        elif rel in {"next", "this coming"} or (not rel and tense == "future"):
            year = anchor.year if this >= anchor else anchor.year + 1
        else:
            year = anchor.year
    return _date(holiday_date(name, year), raw)


def _spelled_year(m: re.Match[str]) -> int | None:
    """"nineteen ninety-six" → 1996, "the year two thousand" → 2000 (as broadcast transcripts write years)."""
    if m[1] is None:
        tail = number_value(m[3]) if m[3] else 0
        return 2000 + tail if isinstance(tail, int) else None
    century = {"eighteen": 1800, "nineteen": 1900, "twenty": 2000}[m[1]]
    if m[2] == "hundred":
        return century
    rest = number_value(m[2])
    return century + rest if isinstance(rest, int) and rest < 100 else None


def _season_year(name: str, rel: str, anchor: date) -> int:
    """"last summer" in October is this year's summer; "next spring" in May is next year's."""
    first = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[SEASONS[name]]
    started = date(anchor.year, first, 1) <= anchor
    if rel in {"last", "past", "this past"}:
        return anchor.year if started and (anchor - date(anchor.year, first, 1)).days > 92 else anchor.year - 1
    if rel in {"next", "coming", "this coming"}:
        return anchor.year + 1 if started else anchor.year
    return anchor.year


def _weekday(name: str, rel: str, part: str | None, anchor: date, tense: str, raw: str) -> Timex:
    target = WEEKDAYS[name]
    delta = (target - anchor.weekday()) % 7
    if rel in {"next", "this coming", "coming", "following"} or (not rel and tense == "future") or (
            rel == "this" and tense == "future"):
        when = anchor + timedelta(days=delta if delta else 7 if rel else 0)
    else:
        back = (anchor.weekday() - target) % 7
        if rel in {"last", "this past", "past", "previous"} and back == 0:
            back = 7
        when = anchor - timedelta(days=back)
    result = _date(when, raw)
    if part:
        return Timex("TIME", f"{when.isoformat()}T{PARTS_OF_DAY[part]}", result.time_value)
    return result


def _ago(n: int | str | None, unit: str, direction: str, anchor: date, reference: str | None, raw: str) -> Timex | None:
    unit = unit.rstrip("s").replace("ie", "y")
    if direction in {"ago", "back", "from now", "hence", "in the future"}:
        sign = 1 if direction in {"from now", "hence", "in the future"} else -1
        if not isinstance(n, int):
            return Timex("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")
        if unit == "year" and n == 1 and reference and _granularity(reference) == "quarter":
            return Timex("DATE", shift_value(reference, years=-1) or "")  # a year ago, in a quarterly report
        return _unit_shift(anchor, sign * n, unit, raw)
    # counted from a date in the text ("five days later", "a year earlier"), not from the publication date
    sign = 1 if direction in {"later", "after", "afterward", "afterwards", "on", "since"} else -1
    if not isinstance(n, int):
        return Timex("DATE", "FUTURE_REF" if sign > 0 else "PAST_REF")
    base = reference if reference and _granularity(reference) != "other" else None
    if base is None:
        shifted = _unit_shift(anchor, sign * n, unit, raw)
        return Timex("DATE", shifted.value) if shifted else None
    if unit == "year":
        value = shift_value(base, years=sign * n)
    else:
        coarse = _at_granularity(base, unit)
        value = shift_value(coarse, units=sign * n) if coarse else None
    return Timex("DATE", value) if value else None


def _ordinal_period(m: re.Match[str], anchor: date, reference: str | None, raw: str) -> Timex | None:
    which, what = ORD[m[1]], m[2]
    if what in {"three months", "six months"}:
        return Timex("DURATION", "P3M" if what == "three months" else "P6M")
    prefix = m[0]
    if m[3]:
        year = int(m[3])
    elif "year-earlier" in prefix or "year-ago" in prefix or "last year's" in prefix or "year-before" in prefix:
        year = _recent_year(anchor, which if what == "quarter" else 2 * min(which, 2) - 1) - 1
    elif "next year's" in prefix:
        year = anchor.year + 1
    else:
        year = _recent_year(anchor, which if what == "quarter" else 2 * min(which, 2) - 1)
    if what == "half":
        return _half(year, min(which, 2), raw)
    return _quarter(year, which, raw)


def _recent_year(anchor: date, quarter: int) -> int:
    """The year of the named quarter nearest the anchor: the anchor's, unless it starts months after it."""
    start = date(anchor.year, 3 * quarter - 2, 1)
    return anchor.year - 1 if (start - anchor).days > 92 else anchor.year


def _set(word: str) -> Timex:
    unit = {"daily": "day", "nightly": "night", "weekly": "week", "monthly": "month", "annually": "year",
            "yearly": "year", "quarterly": "quarter", "hourly": "hour", "biweekly": "week",
            "semiannually": "half"}.get(word, word)
    if unit in {"morning", "night", "evening", "afternoon"}:
        return Timex("SET", f"T{PARTS_OF_DAY[unit]}")
    if word == "biweekly":
        return Timex("SET", "P2W")
    if unit == "half":
        return Timex("SET", "P6M")
    if unit == "season":
        return Timex("SET", "P3M")
    if unit == "decade":
        return Timex("SET", "P10Y")
    return Timex("SET", _duration(1, unit))


def _base_day(word: str | None, anchor: date, tense: str, reference: str | None) -> date | None:
    """The day a clock time or part of day falls on: the date after it, else the reference day or the anchor."""
    if word:
        resolved = normalise_timex(word, anchor, tense)
        if resolved and resolved.time_value and resolved.time_value.precision is Precision.DAY:
            return resolved.time_value.start
        return None
    if reference and _granularity(reference) == "day":
        return date.fromisoformat(reference)
    return anchor


def _clock(m: re.Match[str], anchor: date, tense: str, reference: str | None, raw: str) -> Timex | None:
    if not (m[2] or m[3]):
        return None
    suffix = {"in the morning": "am", "in the afternoon": "pm", "in the evening": "pm", "at night": "pm"}.get(
        m[3] or "", (m[3] or "").replace(".", ""))
    hour = int(m[1])
    if suffix in {"am", "pm"}:
        if hour > 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 24 or int(m[2] or 0) > 59:
        return None
    base = _base_day(m[4], anchor, tense, reference)
    if base is None:
        return None
    # a clock time alone says nothing sure about its day: the TIMEX3 value guesses it, the TimeValue does not
    when = TimeValue(base, base, Precision.DAY, raw) if m[4] else None
    return Timex("TIME", f"{base.isoformat()}T{hour:02d}:{int(m[2] or 0):02d}", when)
