"""Normalise one date or time expression against an anchor date (the publication date).

Returns a TIMEX3-style result (type and value, as in TimeML) and, for calendar dates, a
:class:`~watchfloor.model.TimeValue` interval with its precision. Relative expressions ("on Monday",
"last week", "earlier this month") are resolved against the anchor; an expression whose day cannot be
known keeps the coarser precision, never a made-up exact day. Unknown expressions return None.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Precision, TimeValue

__all__ = ["Timex", "normalise_timex"]

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
NUMBER_WORDS: dict[str, int | str] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "hundred": 100, "a couple of": 2, "couple of": 2, "a few": "X", "few": "X",
    "several": "X", "many": "X", "some": "X", "a dozen": 12, "dozen": 12, "dozens of": "X", "hundreds of": "X",
}
UNIT_CODES = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "month": "M", "year": "Y",
              "decade": "DE", "century": "CE", "quarter": "Q", "weekend": "WE"}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}


@dataclass(frozen=True)
class Timex:
    type: str  # DATE | TIME | DURATION | SET
    value: str
    time_value: TimeValue | None = None


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _week_span(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _date(d: date, text: str) -> Timex:
    return Timex("DATE", d.isoformat(), TimeValue(d, d, Precision.DAY, text))


def _month(year: int, month: int, text: str) -> Timex:
    start, end = _month_span(year, month)
    return Timex("DATE", f"{year:04d}-{month:02d}", TimeValue(start, end, Precision.MONTH, text))


def _year(year: int, text: str) -> Timex:
    return Timex("DATE", f"{year:04d}", TimeValue(date(year, 1, 1), date(year, 12, 31), Precision.YEAR, text))


def _week(day: date, text: str) -> Timex:
    start, end = _week_span(day)
    iso = start.isocalendar()
    return Timex("DATE", f"{iso.year:04d}-W{iso.week:02d}", TimeValue(start, end, Precision.WEEK, text))


def _quarter(year: int, q: int, text: str) -> Timex:
    start = date(year, 3 * q - 2, 1)
    end = _month_span(year, 3 * q)[1]
    return Timex("DATE", f"{year:04d}-Q{q}", TimeValue(start, end, Precision.QUARTER, text))


def _closest_year(anchor: date, month: int, day: int | None, tense: str) -> int:
    """The year that puts a month (and day) nearest the anchor, leaning on the tense when it is known."""
    best = anchor.year
    best_gap: float = 1e9
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidate = date(year, month, day or 15)
        except ValueError:
            continue
        gap = (candidate - anchor).days
        if tense == "past" and gap > 31:
            gap += 400
        if tense == "future" and gap < -31:
            gap -= 400
        if abs(gap) < best_gap:
            best, best_gap = year, abs(gap)
    return best


def _number(token: str) -> int | str | None:
    token = token.strip().lower()
    if token.isdigit():
        return int(token)
    if token in NUMBER_WORDS:
        return NUMBER_WORDS[token]
    parts = token.split("-")
    if len(parts) == 2 and all(p in NUMBER_WORDS for p in parts):
        a, b = NUMBER_WORDS[parts[0]], NUMBER_WORDS[parts[1]]
        if isinstance(a, int) and isinstance(b, int):
            return a + b
    return None


_NUM = r"(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|" \
       r"sixty|hundred|a couple of|couple of|a few|few|several|many|some|a dozen|dozen|dozens of|hundreds of|" \
       r"(?:twenty|thirty|forty|fifty)-(?:one|two|three|four|five|six|seven|eight|nine))"
_UNIT = r"(second|minute|hour|day|week|weekend|month|year|decade|centur(?:y|ie)|quarter)s?"
_MON = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|" \
       r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAYNUM = r"(\d{1,2})(?:st|nd|rd|th)?"

_P = {name: re.compile(pattern) for name, pattern in {
    "iso": r"^(\d{4})-(\d{2})-(\d{2})",
    "numeric": r"^(\d{1,2})/(\d{1,2})/(\d{2,4})$",
    "mdy": rf"^{_MON}\s+{_DAYNUM},?\s+(\d{{4}})$",
    "dmy": rf"^{_DAYNUM}\s+(?:of\s+)?{_MON},?\s+(\d{{4}})$",
    "md": rf"^{_MON}\s+{_DAYNUM}$",
    "dm": rf"^{_DAYNUM}\s+(?:of\s+)?{_MON}$",
    "my": rf"^(?:(early|mid|late|the end of|the beginning of|the start of|end of|beginning of)[\s-]+)?{_MON},?\s+(?:of\s+)?(\d{{4}})$",
    "month": rf"^(?:(early|mid|late|the end of|the beginning of|end of|beginning of|the start of)[\s-]+)?{_MON}$",
    "relmonth": rf"^(last|this|next|past|coming)\s+{_MON}$",
    "year": r"^(?:(early|mid|late|the end of|the beginning of|end of|the start of|fiscal|the year)[\s-]+)?(\d{4})$",
    "decade": r"^(?:the\s+)?(?:(early|mid|late)[\s-]+)?(\d{3})0'?s$",
    "weekday": r"^(?:(last|this|next|this past|this coming|past|coming)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
               r"(?:\s+(morning|afternoon|evening|night))?$",
    "weekday_date": rf"^(monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+{_MON}\s+{_DAYNUM}(?:,?\s+(\d{{4}}))?$",
    "deictic": r"^(today|tonight|yesterday|tomorrow|now|currently|nowadays|recently|lately|the day before yesterday|"
               r"the day after tomorrow|this morning|this afternoon|this evening|last night|yesterday morning|"
               r"yesterday afternoon|yesterday evening|tomorrow morning|earlier today|later today|the past|the future|"
               r"the present|present|once|previously|formerly|soon|so far|to date)$",
    "relunit": r"^(?:(earlier|later|late|early|mid|the end of|the start of|the beginning of)[\s-]+)?(last|this|next|past|coming|previous|current|the past|the previous|the last|the coming|the next)\s+"
               r"(day|week|weekend|month|year|quarter|decade|century|spring|summer|fall|autumn|winter)$",
    "ago": rf"^{_NUM}\s+{_UNIT}\s+(ago|earlier|before|later|from now|hence)$",
    "span": rf"^(?:(?:the|over the|in the|during the|within the|for the)\s+)?(past|last|next|coming|previous|first|final)\s+{_NUM}\s+{_UNIT}$",
    "duration": rf"^(?:(?:more than|less than|nearly|almost|about|around|over|some|at least|up to|roughly)\s+)?{_NUM}[\s-]+{_UNIT}(?:[\s-]+long|[\s-]+old)?$",
    "units": rf"^{_UNIT}$",
    "ordinal_quarter": r"^(?:the\s+)?(first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter(?:\s+of\s+(\d{4}))?$",
    "season_year": r"^(?:(last|this|next|early|late)\s+)?(spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?(\d{4}))?$",
    "set": r"^(?:every|each|per|a|once a|twice a)\s+(day|week|month|year|morning|night|quarter)$|^(daily|weekly|monthly|annually|yearly|quarterly)$",
    "clock": r"^(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?(?:\s+(today|yesterday|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday))?$",
}.items()}

_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_RELATIVE = {"last": -1, "past": -1, "previous": -1, "the past": -1, "the previous": -1, "the last": -1,
             "this": 0, "current": 0, "next": 1, "coming": 1, "the coming": 1, "the next": 1}
_DEICTIC_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "this morning": 0, "this afternoon": 0,
                 "this evening": 0, "last night": -1, "yesterday morning": -1, "yesterday afternoon": -1,
                 "yesterday evening": -1, "tomorrow morning": 1, "earlier today": 0, "later today": 0,
                 "the day before yesterday": -2, "the day after tomorrow": 2}
_REFS = {"now": "PRESENT_REF", "currently": "PRESENT_REF", "nowadays": "PRESENT_REF", "the present": "PRESENT_REF",
         "present": "PRESENT_REF", "so far": "PRESENT_REF", "to date": "PRESENT_REF", "recently": "PAST_REF",
         "lately": "PAST_REF", "the past": "PAST_REF", "once": "PAST_REF", "previously": "PAST_REF",
         "formerly": "PAST_REF", "the future": "FUTURE_REF", "soon": "FUTURE_REF"}


def _clean(text: str) -> str:
    text = text.lower().replace("’", "'").replace("—", "-").replace("–", "-")
    text = re.sub(r"\s+", " ", text).strip(" ,.;:")
    text = re.sub(r"^(?:on|in|at|by|since|until|from|during|before|after|as of|of|through)\s+", "", text)
    text = re.sub(r"^the\s+(?=(?:early|mid|late)?[\s-]*\d{3}0'?s)", "", text)
    return text.strip()


def _duration(n: int | str | None, unit: str) -> str:
    unit = unit.rstrip("s").replace("ie", "y")
    code = UNIT_CODES.get(unit, "X")
    count = "X" if n is None or isinstance(n, str) else str(n)
    if unit == "quarter":
        return f"P{'X' if count == 'X' else int(count) * 3}M"
    if unit == "weekend":
        return f"P{count}WE"
    return f"PT{count}{code}" if unit in {"hour", "minute", "second"} else f"P{count}{code}"


def _unit_shift(anchor: date, n: int, unit: str, text: str) -> Timex | None:
    unit = unit.rstrip("s").replace("ie", "y")
    if unit == "day":
        return _date(anchor + timedelta(days=n), text)
    if unit in {"week", "weekend"}:
        return _week(anchor + timedelta(weeks=n), text)
    if unit == "month":
        year, month = _shift_month(anchor.year, anchor.month, n)
        return _month(year, month, text)
    if unit == "year":
        return _year(anchor.year + n, text)
    if unit == "quarter":
        q = (anchor.month - 1) // 3 + 1 + n
        year = anchor.year + (q - 1) // 4
        return _quarter(year, (q - 1) % 4 + 1, text)
    if unit == "decade":
        decade = anchor.year // 10 + n
        return Timex("DATE", f"{decade:03d}", TimeValue(date(decade * 10, 1, 1), date(decade * 10 + 9, 12, 31),
                                                         Precision.DECADE, text))
    return None


def _season(year: int, name: str, text: str) -> Timex:
    code = SEASONS[name]
    ranges = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}
    first, last = ranges[code]
    end_year, end_month = _shift_month(year, 1, last - 1)
    return Timex("DATE", f"{year:04d}-{code}",
                 TimeValue(date(year, first, 1), _month_span(end_year, end_month)[1], Precision.QUARTER, text))


def normalise_timex(text: str, anchor: date, tense: str = "past") -> Timex | None:  # noqa: C901 - one table of cases
    """TIMEX3 type and value for ``text``, resolved against ``anchor``; None when unknown.

    ``tense`` is "past", "present" or "future": the tense of the clause, used for bare weekdays and months.
    """
    raw = text
    s = _clean(text)
    if not s:
        return None
    if m := _P["iso"].match(s):
        try:
            return _date(date(int(m[1]), int(m[2]), int(m[3])), raw)
        except ValueError:
            return None
    if m := _P["numeric"].match(s):
        year = int(m[3]) if len(m[3]) == 4 else 2000 + int(m[3]) if int(m[3]) < 50 else 1900 + int(m[3])
        try:
            return _date(date(year, int(m[1]), int(m[2])), raw)
        except ValueError:
            return None
    for key, order in (("mdy", (1, 2, 3)), ("dmy", (2, 1, 3))):
        if m := _P[key].match(s):
            month, day, year = MONTHS.get(m[order[0]].rstrip(".")), int(m[order[1]]), int(m[order[2]])
            try:
                return _date(date(year, month or 0, day), raw)
            except ValueError:
                return None
    if m := _P["weekday_date"].match(s):
        month, day = MONTHS[m[2]], int(m[3])
        year = int(m[4]) if m[4] else _closest_year(anchor, month, day, tense)
        try:
            return _date(date(year, month, day), raw)
        except ValueError:
            return None
    for key, pair in (("md", (1, 2)), ("dm", (2, 1))):
        if m := _P[key].match(s):
            month, day = MONTHS.get(m[pair[0]].rstrip(".")), int(m[pair[1]])
            if not month:
                return None
            try:
                return _date(date(_closest_year(anchor, month, day, tense), month, day), raw)
            except ValueError:
                return None
    if m := _P["my"].match(s):
        return _month(int(m[3]), MONTHS[m[2]], raw)
    if m := _P["relmonth"].match(s):
        month = MONTHS[m[2]]
        year = anchor.year + (-1 if m[1] in {"last", "past"} and month >= anchor.month else 0) \
            + (1 if m[1] in {"next", "coming"} and month <= anchor.month else 0)
        return _month(year, month, raw)
    if (m := _P["month"].match(s)) and m[2] != "may":
        month = MONTHS[m[2]]
        return _month(_closest_year(anchor, month, None, tense), month, raw)
    if m := _P["year"].match(s):
        year = int(m[2])
        if 1000 <= year <= 2999:
            if m[1] == "fiscal":
                return Timex("DATE", f"FY{year}", TimeValue(date(year, 1, 1), date(year, 12, 31), Precision.YEAR, raw))
            return _year(year, raw)
    if m := _P["decade"].match(s):
        decade = int(m[2])
        return Timex("DATE", f"{decade:03d}", TimeValue(date(decade * 10, 1, 1), date(decade * 10 + 9, 12, 31),
                                                         Precision.DECADE, raw))
    if m := _P["weekday"].match(s):
        target = WEEKDAYS[m[2]]
        rel = m[1] or ""
        delta = (target - anchor.weekday()) % 7
        if rel in {"next", "this coming", "coming"} or (not rel and tense == "future") or (rel == "this" and tense == "future"):
            when = anchor + timedelta(days=delta if delta else 7 if rel else 0)
        else:
            back = (anchor.weekday() - target) % 7
            if rel in {"last", "this past", "past"} and back == 0:
                back = 7
            when = anchor - timedelta(days=back)
        result = _date(when, raw)
        if m[3]:
            return Timex("TIME", f"{when.isoformat()}T{PARTS_OF_DAY[m[3]]}", result.time_value)
        return result
    if m := _P["deictic"].match(s):
        word = m[1]
        if word in _REFS:
            return Timex("DATE", _REFS[word])
        when = anchor + timedelta(days=_DEICTIC_DAYS[word])
        result = _date(when, raw)
        part = next((code for name, code in PARTS_OF_DAY.items() if name in word), None)
        if part:
            return Timex("TIME", f"{when.isoformat()}T{part}", result.time_value)
        return result
    if m := _P["relunit"].match(s):
        unit = m[3]
        if unit in SEASONS:
            year = anchor.year + _RELATIVE.get(m[2], 0)
            return _season(year, unit, raw)
        return _unit_shift(anchor, _RELATIVE.get(m[2], 0), unit, raw)
    if m := _P["ago"].match(s):
        n = _number(m[1])
        unit = m[2]
        if m[3] in {"later", "earlier", "before"}:
            return None  # anaphoric: counted from a date in the text, not from the publication date
        sign = 1 if m[3] in {"from now", "hence"} else -1
        if isinstance(n, int):
            return _unit_shift(anchor, sign * n, unit, raw)
        return Timex("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")
    if m := _P["span"].match(s):
        return Timex("DURATION", _duration(_number(m[2]), m[3]))
    if m := _P["duration"].match(s):
        return Timex("DURATION", _duration(_number(m[1]), m[2]))
    if m := _P["units"].match(s):
        plural = s.endswith("s")
        return Timex("DURATION", _duration("X" if plural else 1, m[1]))
    if m := _P["ordinal_quarter"].match(s):
        year = int(m[2]) if m[2] else anchor.year
        return _quarter(year, _ORDINALS[m[1]], raw)
    if m := _P["season_year"].match(s):
        year = int(m[3]) if m[3] else anchor.year + {"last": -1, "next": 1}.get(m[1] or "", 0)
        return _season(year, m[2], raw)
    if m := _P["set"].match(s):
        unit = m[1] or {"daily": "day", "weekly": "week", "monthly": "month", "annually": "year", "yearly": "year",
                        "quarterly": "quarter"}[m[2]]
        if unit in {"morning", "night"}:
            return Timex("SET", f"T{PARTS_OF_DAY[unit]}")
        return Timex("SET", _duration(1, unit))
    if m := _P["clock"].match(s):
        if not (m[2] or m[3]):
            return None
        hour = int(m[1]) % 12 + (12 if m[3] and m[3].startswith("p") else 0) if m[3] else int(m[1])
        base = anchor
        if m[4]:
            resolved = normalise_timex(m[4], anchor, tense)
            if resolved and resolved.time_value:
                base = resolved.time_value.start
        if hour > 23:
            return None
        return Timex("TIME", f"{base.isoformat()}T{hour:02d}:{int(m[2] or 0):02d}",
                     TimeValue(base, base, Precision.DAY, raw))
    return None
