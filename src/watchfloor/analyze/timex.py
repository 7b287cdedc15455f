"""Normalise one date or time expression against an anchor date (the publication date).

Returns a TIMEX3-style result (type and value, as in TimeML) and, for calendar dates, a
:class:`~watchfloor.model.TimeValue` interval with its precision. Relative expressions ("on Monday",
"last week", "earlier this month") are resolved against the anchor; an expression whose day cannot be
known keeps the coarser precision, never a made-up exact day. Expressions counted from another date in
the text ("a year earlier", "the same day") take their value from ``reference`` (the last date the text
named) and never carry a :class:`TimeValue`. Unknown expressions return None.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Precision, TimeValue

__all__ = ["Timex", "normalise_timex", "shift_value"]

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS.update({"sept": 9, "june": 6, "july": 7})
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
NUMBER_WORDS: dict[str, int | str] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
    "a couple of": 2, "couple of": 2, "a couple": 2, "a few": "X", "few": "X", "several": "X", "many": "X",
    "some": "X", "a dozen": 12, "dozen": 12, "dozens of": "X", "hundreds of": "X", "a number of": "X",
    "the": 1, "a single": 1, "one and a half": "1.5", "a half": "0.5", "half a": "0.5", "half an": "0.5",
}
UNIT_CODES = {"second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D", "week": "W", "fortnight": "W",
              "month": "M", "year": "Y", "quarter": "Q", "weekend": "WE", "decade": "Y", "century": "Y"}
_UNIT_FACTOR = {"decade": 10, "century": 100, "fortnight": 2}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI",
                "overnight": "NI"}
_PART_CODES = "|".join(PARTS_OF_DAY)


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


def _weekend(day: date, text: str) -> Timex:
    iso = _week_span(day)[0].isocalendar()
    return Timex("DATE", f"{iso.year:04d}-W{iso.week:02d}-WE")


def _quarter(year: int, q: int, text: str) -> Timex:
    start = date(year, 3 * q - 2, 1)
    end = _month_span(year, 3 * q)[1]
    return Timex("DATE", f"{year:04d}-Q{q}", TimeValue(start, end, Precision.QUARTER, text))


def _half(year: int, h: int, text: str) -> Timex:
    start = date(year, 6 * h - 5, 1)
    end = _month_span(year, 6 * h)[1]
    return Timex("DATE", f"{year:04d}-H{h}", TimeValue(start, end, Precision.QUARTER, text))


def _decade(decade: int, text: str) -> Timex:
    return Timex("DATE", f"{decade:03d}", TimeValue(date(decade * 10, 1, 1), date(decade * 10 + 9, 12, 31),
                                                     Precision.DECADE, text))


def _season(year: int, name: str, text: str) -> Timex:
    code = SEASONS[name]
    ranges = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}
    first, last = ranges[code]
    end_year, end_month = _shift_month(year, 1, last - 1)
    return Timex("DATE", f"{year:04d}-{code}",
                 TimeValue(date(year, first, 1), _month_span(end_year, end_month)[1], Precision.QUARTER, text))


def _closest_year(anchor: date, month: int, day: int | None, tense: str) -> int:
    """The year of a month (and day) without one: the last such date for the past tense, the next for the
    future, the nearest otherwise (a week's slack either way for reporting delays)."""
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append((year, (date(year, month, day or 15) - anchor).days))
        except ValueError:
            continue
    if tense == "past":
        past = [(y, g) for y, g in candidates if -300 <= g <= (7 if day else 20)]
        if past:
            return max(past, key=lambda c: c[1])[0]
    if tense == "future":
        future = [(y, g) for y, g in candidates if (-7 if day else -20) <= g <= 183]
        if future:
            return min(future, key=lambda c: c[1])[0]
    return min(candidates, key=lambda c: abs(c[1]))[0] if candidates else anchor.year


def _number(token: str) -> int | str | None:
    token = token.strip().lower().replace(",", "")
    if token.isdigit():
        return int(token)
    if token in NUMBER_WORDS:
        return NUMBER_WORDS[token]
    parts = re.split(r"[- ]", token)
    if len(parts) == 2 and all(p in NUMBER_WORDS for p in parts):
        a, b = NUMBER_WORDS[parts[0]], NUMBER_WORDS[parts[1]]
        if isinstance(a, int) and isinstance(b, int) and b < 10 <= a:
            return a + b
    return None


_NUM = (r"(\d[\d,]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
        r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a hundred|hundred|"
        r"a couple of|couple of|a couple|a few|few|several|many|some|a dozen|dozen|dozens of|hundreds of|"
        r"a number of|a single|one and a half|"
        r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](?:one|two|three|four|five|six|seven|eight|nine))")
_UNIT = r"(second|minute|hour|day|night|week|weekend|fortnight|month|year|decade|centur(?:y|ie)|quarter)s?"
_MON = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|" \
       r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAYNUM = r"(\d{1,2})(?:st|nd|rd|th)?"
_WD = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MODS = r"(?:(early|mid|late|earlier|later|the end of|the beginning of|the start of|end of|beginning of|start of|the middle of|" \
        r"middle of|the close of|the rest of|the remainder of)[\s-]+)?"
_APPROX = re.compile(r"^(?:about|around|approximately|roughly|some|nearly|almost|more than|less than|over|under|"
                     r"at least|at most|up to|just|only|barely|fully|well over|a full|another|an additional|"
                     r"an extra|a further|the entire|the whole|all|the full)\s+")
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "final": 4,
        "last": 4}

_P = {name: re.compile(pattern) for name, pattern in {
    "iso": r"^(\d{4})-(\d{2})-(\d{2})",
    "numeric": r"^(\d{1,2})/(\d{1,2})/(\d{2,4})$",
    "mdy": rf"^{_MON}\s+{_DAYNUM},?\s+(\d{{4}})$",
    "dmy": rf"^{_DAYNUM}\s+(?:of\s+)?{_MON},?\s+(\d{{4}})$",
    "md": rf"^(?:(last|this|next|this past|this coming)\s+)?{_MON}\s+{_DAYNUM}$",
    "dm": rf"^{_DAYNUM}\s+(?:of\s+)?{_MON}$",
    "my": rf"^{_MODS}{_MON},?\s+(?:of\s+)?(\d{{4}})$",
    "month": rf"^{_MODS}{_MON}$",
    "relmonth": rf"^{_MODS}(last|this|next|past|coming|this past|this coming)\s+{_MON}$",
    "month_rel_year": rf"^{_MODS}{_MON}(?:\s+of)?\s+(last|this|next|the previous|the following|the same)\s+year$",
    "year": r"^(?:(early|mid|late|the end of|the beginning of|end of|the start of|fiscal|calendar|the year|"
            r"the fiscal year|fiscal year|the calendar year|the middle of|the first half of|the second half of|"
            r"the first quarter of|the second quarter of|the third quarter of|the fourth quarter of)[\s-]+)?"
            r"(\d{4})(?:\s+(?:period|quarter|fiscal year|year|season|results))?$",
    "spelled_year": r"^(?:the\s+year\s+)?(?:(nineteen|eighteen|twenty)[\s-]+(?:hundred(?:\s+and)?[\s-]+)?"
                     r"((?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|six|"
                     r"seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|"
                     r"nineteen|hundred)|two thousand(?:\s+and)?(?:[\s-]+(one|two|three|four|five|six|seven|eight|nine|"
                     r"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty))?)$",
    "year_end": r"^(?:the\s+)?(?:(?:end|close)\s+of\s+(?:the\s+)?)?(?:(\d{4})\s+)?(year[\s-]end|year's end|year)"
                r"(?:\s+(\d{4}))?$",
    "in_the_unit": r"^(earlier|later|early|late)\s+in\s+the\s+(day|week|month|year)$",
    "week_of": rf"^(?:the\s+)?week\s+of\s+({_MON}\s+{_DAYNUM}(?:,?\s+\d{{4}})?)$",
    "holiday": r"^(?:(last|this|next|this past|this coming)\s+)?(christmas(?: day| eve)?|new year'?s?(?: day| eve)|"
               r"thanksgiving(?: day)?|independence day|the fourth of july|halloween|valentine'?s day|labou?r day|"
               r"memorial day|veterans day|martin luther king(?: jr\.?)? day|presidents'? day|mother'?s day|"
               r"father'?s day|easter(?: sunday)?|good friday|boxing day|may day|armistice day|remembrance day|"
               r"bastille day)(?:\s+(?:of\s+)?(\d{4}))?$",
    "yearspan": r"^(?:the\s+)?(\d{4})\s+(period|quarter|first half|second half|season|results|fiscal year|year)$",
    "year_ordinal": r"^(?:the\s+)?(\d{4})\s+(first|second|third|fourth)[\s-]+(quarter|half)$",
    "decade": r"^(?:the\s+)?(?:(early|mid|late)[\s-]+)?(\d{3})0'?s$",
    "short_decade": r"^(?:the\s+)?(?:(early|mid|late)[\s-]+)?'?(\d)0'?s$",
    "word_decade": r"^(?:the\s+)?(?:(early|mid|late)[\s-]+)?(twenties|thirties|forties|fifties|sixties|seventies|"
                   r"eighties|nineties)$",
    "century": r"^(?:the\s+)?(?:(early|mid|late)[\s-]+)?(\d{1,2})(?:st|nd|rd|th)[\s-]+century$",
    "weekday": rf"^{_MODS}(?:(?:the\s+)?(last|this|next|this past|this coming|past|coming|previous|following)\s+)?{_WD}"
               rf"(?:\s+({_PART_CODES}))?$",
    "part_weekday": rf"^(?:(early|late|mid)[\s-]+)?({_PART_CODES})\s+(?:on\s+)?{_WD}$",
    "part_deictic": rf"^(?:(early|late|mid)[\s-]+)?({_PART_CODES})\s+(yesterday|today|tomorrow)$",
    "part_alone": r"^(?:(early|late|mid)[\s-]+)?(morning|afternoon|evening)$",
    "weekday_date": rf"^{_WD},?\s+{_MON}\s+{_DAYNUM}(?:,?\s+(\d{{4}}))?$",
    "date_weekday": rf"^{_MON}\s+{_DAYNUM},?\s+{_WD}$",
    "deictic": r"^(?:(early|late|earlier|later)\s+)?(today|tonight|yesterday|tomorrow|the day before yesterday|"
               r"the day after tomorrow|this morning|this afternoon|this evening|last night|last evening|"
               r"yesterday morning|yesterday afternoon|yesterday evening|tomorrow morning|tomorrow afternoon|"
               r"tomorrow evening|tomorrow night|today's|tonight's|overnight)$",
    "ref": r"^(now|right now|just now|currently|nowadays|the present|present|at present|so far|to date|"
           r"the present time|current|these days|this time|recently|lately|the past|once|previously|formerly|"
           r"recent|earlier|in the past|the recent past|the future|the near future|future|soon|the near term|"
           r"the short term|the long term|the longer term|the coming years|the years ahead|the months ahead|"
           r"the weeks ahead|the days ahead|the coming months|the coming weeks|the coming days|eventually|"
           r"the moment|this moment|the time being|more recently|most recently|until recently|recent years|"
           r"recent months|recent weeks|recent days|recent decades|the recent years|years past|in recent years|"
           r"in recent months|"
           r"as soon as possible|sooner or later|from time to time|someday|some day|"
           r"the coming decades|future years|an earlier date|a later date)$",
    "relunit": r"^(?:(earlier|later|late|early|mid|the end of|the start of|the beginning of|end of|the middle of|"
               r"the rest of|the remainder of|the first half of|the second half of|"
               r"the first quarter of|the second quarter of|the third quarter of|the fourth quarter of)[\s-]+)?"
               r"(last|this|next|past|coming|previous|current|the past|the previous|the last|the coming|the next|"
               r"this past|this coming|the current|the latest|the most recent|the same|that|the following|"
               r"the preceding|the prior|prior|the year-earlier|the year-ago|the comparable|the corresponding|"
               r"the comparable year-ago|the comparable year-earlier|year-earlier|year-ago|the)\s+"
               r"(day|week|weekend|month|year|quarter|decade|century|spring|summer|fall|autumn|winter|"
               r"period|half|fiscal year|calendar year|season|term|session)(?:'s)?$",
    "ago": rf"^{_NUM}[\s-]+{_UNIT}\s+(ago|earlier|before|later|from now|hence|after|afterward|afterwards|"
           r"previously|prior|since|back|on|in the future)$",
    "year_ago_adj": r"^(?:the\s+)?(?:comparable\s+)?(year-earlier|year-ago|year-before|prior-year|previous-year)$",
    "ago_the": r"^(?:the\s+)?(?:same\s+)?(day|week|month|year|quarter)\s+(before|after|earlier|later|prior)$",
    "span": rf"^(?:(?:the|over the|in the|during the|within the|for the|through the)\s+)?"
            rf"(past|last|next|coming|previous|first|final|latest|recent|preceding|following|initial|"
            rf"remaining|same|other|year-earlier|year-ago|comparable)\s+{_NUM}\s+{_UNIT}$",
    "duration": rf"^(?:the\s+|these\s+|those\s+|its\s+|their\s+)?{_NUM}[\s-]+(?:more\s+|additional\s+|full\s+|straight\s+|consecutive\s+|long\s+)?{_UNIT}"
                r"(?:[\s-]+long|[\s-]+old|\s+or so|\s+running|\s+in a row|[\s-]+plus)?$",
    "duration_half": rf"^{_NUM}\s+and\s+a\s+half\s+{_UNIT}$",
    "units": rf"^(?:the\s+)?(?:past\s+|coming\s+|next\s+|last\s+)?{_UNIT}$",
    "ordinal_quarter": r"^(?:the\s+)?(?:(?:fiscal|calendar|latest|current|year-earlier|year-ago|comparable|"
                       r"year-before|this year's|last year's|next year's|same)[\s-]+)*"
                       r"(first|second|third|fourth|1st|2nd|3rd|4th|final|last)[\s-]+(?:fiscal[\s-]+)?"
                       r"(quarter|half|period|three months|six months)(?:\s+(?:of\s+)?(?:fiscal\s+)?(\d{4}))?$",
    "quarter_year": r"^(?:the\s+)?(?:fiscal\s+)?(?:(\d{4})|(?:q([1-4])))\s+(?:q([1-4])|(\d{4}))$",
    "season_year": r"^(?:the\s+)?(?:(last|this|next|early|late|the|mid|this past|this coming|past|coming)[\s-]+)?"
                   r"(spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?(\d{4}))?$",
    "set": r"^(?:every|each|per|a|an|once a|twice a|once an|twice an|once every|every other|three times a|"
           r"several times a)\s+(day|week|month|year|morning|night|evening|afternoon|quarter|hour|minute|"
           r"weekend|season|decade)$|^(daily|weekly|monthly|annually|yearly|quarterly|hourly|nightly|biweekly|"
           r"semiannually)$",
    "set_n": rf"^every\s+{_NUM}\s+{_UNIT}$",
    "set_weekday": rf"^(?:every|each|on)?\s*{_WD}s?(?:\s+({_PART_CODES})s)?$",
    "set_month": rf"^(?:every|each)\s+{_MON}$",
    "clock": r"^(?:(?:at|about|around|by|until|before|after|shortly before|shortly after|just before|just after)\s+)?"
             r"(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?|o'clock|h|gmt|est|edt|pst|pdt|cst|et|local time|"
             r"in the morning|in the afternoon|in the evening|at night)?"
             r"(?:\s+(?:local time|gmt|est|edt|et|pst|pdt|cst|cdt))?(?:\s*,?\s*(?:on\s+)?(\S.*))?$",
    "noon": r"^(noon|midnight|midday)(?:\s*,?\s*(?:on\s+)?(\S.*))?$",
}.items()}

_RELATIVE = {"last": -1, "past": -1, "previous": -1, "the past": -1, "the previous": -1, "the last": -1,
             "this past": -1, "the preceding": -1, "the prior": -1, "prior": -1,
             "this": 0, "current": 0, "the current": 0, "this coming": 1,
             "next": 1, "coming": 1, "the coming": 1, "the next": 1, "the following": 1}
_DEICTIC_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "this morning": 0, "this afternoon": 0,
                 "this evening": 0, "last night": -1, "last evening": -1, "yesterday morning": -1,
                 "yesterday afternoon": -1, "yesterday evening": -1, "tomorrow morning": 1, "tomorrow afternoon": 1,
                 "tomorrow evening": 1, "tomorrow night": 1, "the day before yesterday": -2,
                 "the day after tomorrow": 2, "today's": 0, "tonight's": 0, "overnight": 0}
_FUTURE_REFS = ("the future", "the near future", "future", "soon", "the near term", "the short term", "the long term",
                "the longer term", "eventually", "as soon as possible", "sooner or later", "someday",
                "some day", "future years", "a later date")
_PRESENT_REFS = ("now", "right now", "just now", "currently", "nowadays", "the present", "present", "at present",
                 "so far", "to date", "the present time", "current", "these days", "this time", "the moment",
                 "this moment", "the time being", "from time to time")
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                 "eighties": 8, "nineties": 9}
_ANAPHORIC_UNITS = {"the same", "that", "the following", "the year-earlier", "the year-ago", "the comparable",
                    "the corresponding", "the comparable year-ago", "the comparable year-earlier", "year-earlier",
                    "year-ago", "the", "a", "the preceding", "the prior", "prior", "the latest", "the most recent"}


def _clean(text: str) -> str:
    text = text.lower().replace("’", "'").replace("—", "-").replace("–", "-")
    text = re.sub(r"\s+", " ", text).strip(" ,.;:\"'()")
    text = re.sub(r"'s$", "", text).strip()
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"^(?:on|in|at|by|since|until|till|from|during|before|after|as of|of|through|throughout|"
                      r"for|over|within|between|beginning|starting|as early as|as late as|no later than|"
                      r"effective|due|ending|ended|dated)\s+", "", text)
        text = _APPROX.sub("", text)
    text = re.sub(r"^the\s+(?=(?:early|mid|late)?[\s-]*\d{3}0'?s)", "", text)
    text = re.sub(r"^(?:an?|the)\s+(?=(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|"
                  r"forty|fifty|sixty|ninety|hundred)\b[\s-]+\w)", "", text)
    text = re.sub(r"\bthe the\b", "the", text)
    text = re.sub(r"\s+or so\b", "", text)
    text = re.sub(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:to|or|-)\s+"
                  r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?=[a-z])", "several ", text)
    text = re.sub(r"^an?\s+(?=(?:first|second|third|fourth|full|fiscal)\b)", "", text)
    return text.strip()


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
        count = str(n * _UNIT_FACTOR.get(unit, 1))
    if count == "X" and unit in _UNIT_FACTOR:
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
        year, month = _shift_month(anchor.year, anchor.month, n)
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
        year, month = _shift_month(int(m[1]) + years, int(m[2]), units)
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


def _anaphoric(unit: str, which: str, anchor: date, reference: str | None) -> Timex | None:
    """"the same day", "the year-earlier quarter", "the latest period": counted from the text, not the DCT."""
    if unit in {"fiscal year", "calendar year"} and which == "the":
        return Timex("DATE", (reference or anchor.isoformat())[:4])
    unit = {"period": "quarter", "fiscal year": "year", "calendar year": "year", "session": "day"}.get(unit, unit)
    if unit == "weekend" and which == "the":
        return _weekend(anchor - timedelta(days=anchor.weekday() + 1), "")
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
    if (m := _P["weekday_date"].match(s)) or (m := _P["date_weekday"].match(s)):
        groups = (m[2], m[3], m[4]) if m.re is _P["weekday_date"] else (m[1], m[2], None)
        month, day = MONTHS[groups[0]], int(groups[1])
        year = int(groups[2]) if groups[2] else _closest_year(anchor, month, day, tense)
        try:
            return _date(date(year, month, day), raw)
        except ValueError:
            return None
    for key, pair in (("md", (2, 3)), ("dm", (2, 1))):
        if m := _P[key].match(s):
            month, day = MONTHS.get(m[pair[0]].rstrip(".")), int(m[pair[1]])
            if not month:
                return None
            if key == "md" and m[1]:
                tense = "future" if m[1] in {"next", "this coming"} else "past" if m[1] != "this" else tense
            try:
                return _date(date(_closest_year(anchor, month, day, tense), month, day), raw)
            except ValueError:
                return None
    if m := _P["my"].match(s):
        return _month(int(m[3]), MONTHS[m[2]], raw)
    if m := _P["relmonth"].match(s):
        month = MONTHS[m[3]]
        rel = m[2]
        year = anchor.year + (-1 if rel in {"last", "past", "this past"} and month >= anchor.month - 1 else 0) \
            + (1 if rel in {"next", "coming", "this coming"} and month <= anchor.month else 0)
        return _month(year, month, raw)
    if m := _P["month_rel_year"].match(s):
        shift = {"last": -1, "the previous": -1, "next": 1, "the following": 1}.get(m[3], 0)
        if m[3] in {"the previous", "the following", "the same"}:
            return Timex("DATE", f"{int((reference or anchor.isoformat())[:4]) + shift:04d}-{MONTHS[m[2]]:02d}")
        return _month(anchor.year + shift, MONTHS[m[2]], raw)
    if (m := _P["month"].match(s)) and (m[2] != "may" or raw.strip()[:1] == "M"):
        month = MONTHS[m[2]]
        return _month(_closest_year(anchor, month, None, tense), month, raw)
    if (m := _P["spelled_year"].match(s)) and (spelled := _spelled_year(m)):
        return _year(spelled, raw)
    if (m := _P["year_end"].match(s)) and ("end" in s or "close" in s):
        year = int(m[1] or m[3] or anchor.year)
        return Timex("DATE", f"{year:04d}-12-31" if m[2] not in {"year", "year's end"} else f"{year:04d}")
    if m := _P["year_ordinal"].match(s):
        return (_quarter if m[3] == "quarter" else _half)(int(m[1]), _ORD[m[2]], raw)
    if m := _P["in_the_unit"].match(s):
        return _anaphoric(m[2], "the same", anchor, reference) if m[2] != "year" else Timex(
            "DATE", (reference or anchor.isoformat())[:4])
    if (m := _P["week_of"].match(s)) and (inner := normalise_timex(m[1], anchor, tense)) and inner.time_value:
        return _week(inner.time_value.start, raw)
    if m := _P["holiday"].match(s):
        return _holiday(m[2], m[1] or "", int(m[3]) if m[3] else None, anchor, tense, raw)
    if m := _P["yearspan"].match(s):
        year, what = int(m[1]), m[2]
        if what in {"period", "quarter"} and reference and _granularity(reference) == "quarter":
            return Timex("DATE", f"{year:04d}{reference[4:]}")
        if what == "first half":
            return _half(year, 1, raw)
        if what == "second half":
            return _half(year, 2, raw)
        return _year(year, raw)
    if m := _P["year"].match(s):
        year = int(m[2])
        if 1000 <= year <= 2999:
            prefix = m[1] or ""
            if prefix.startswith("the first half"):
                return _half(year, 1, raw)
            if prefix.startswith("the second half"):
                return _half(year, 2, raw)
            if prefix.endswith("quarter of"):
                return _quarter(year, _ORD[prefix.split()[1]], raw)
            return _year(year, raw)
    if m := _P["decade"].match(s):
        return _decade(int(m[2]), raw)
    if m := _P["short_decade"].match(s):
        return _decade(190 + int(m[2]) if int(m[2]) > (anchor.year % 100) // 10 else 200 + int(m[2]), raw)
    if m := _P["word_decade"].match(s):
        return _decade(190 + _DECADE_WORDS[m[2]], raw)
    if m := _P["century"].match(s):
        return Timex("DATE", f"{int(m[2]) - 1:02d}")
    if m := _P["weekday"].match(s):
        return _weekday(m[3], m[2] or "", m[4], anchor, tense, raw)
    if m := _P["part_weekday"].match(s):
        return _weekday(m[3], "", m[2], anchor, tense, raw)
    if m := _P["part_deictic"].match(s):
        when = anchor + timedelta(days=_DEICTIC_DAYS[m[3]])
        return Timex("TIME", f"{when.isoformat()}T{PARTS_OF_DAY[m[2]]}", _date(when, raw).time_value)
    if (m := _P["part_alone"].match(s)) and m[1] and (base := _base_day(None, anchor, tense, reference)):
        return Timex("TIME", f"{base.isoformat()}T{PARTS_OF_DAY[m[2]]}")
    if m := _P["deictic"].match(s):
        word = m[2]
        when = anchor + timedelta(days=_DEICTIC_DAYS[word])
        result = _date(when, raw)
        part = next((code for name, code in PARTS_OF_DAY.items() if name in word), None)
        if part:
            return Timex("TIME", f"{when.isoformat()}T{part}", result.time_value)
        return result
    if m := _P["ref"].match(s):
        word = m[1]
        if word in _PRESENT_REFS:
            return Timex("DATE", "PRESENT_REF")
        return Timex("DATE", "FUTURE_REF" if word in _FUTURE_REFS or word.startswith(("the next", "the coming"))
                     or "ahead" in word else "PAST_REF")
    if m := _P["relunit"].match(s):
        unit, which = m[3], m[2]
        if unit in SEASONS:
            return _season(_season_year(unit, which, anchor), unit, raw)
        if which in _ANAPHORIC_UNITS:
            return _anaphoric(unit, which, anchor, reference)
        if unit in {"period", "term", "session", "season"}:
            return None
        if m[1] in {"the first half of", "the second half of"} and unit == "year":
            return _half(anchor.year + _RELATIVE.get(which, 0), 1 if "first" in m[1] else 2, raw)
        return _unit_shift(anchor, _RELATIVE.get(which, 0), unit, raw)
    if m := _P["ago"].match(s):
        return _ago(_number(m[1]), m[2], m[3], anchor, reference, raw)
    if _P["year_ago_adj"].match(s):
        known = reference if reference and _granularity(reference) in {"quarter", "year", "month"} else None
        value = shift_value(known, years=-1) if known else None
        return Timex("DATE", value or f"{anchor.year - 1:04d}")
    if m := _P["ago_the"].match(s):
        return _ago(1, m[1], m[2], anchor, reference, raw)
    if m := _P["span"].match(s):
        return Timex("DURATION", _duration(_number(m[2]), m[3]))
    if m := _P["duration_half"].match(s):
        n = _number(m[1])
        return Timex("DURATION", _duration(f"{n}.5" if isinstance(n, int) else "X", m[2]))
    if m := _P["duration"].match(s):
        return Timex("DURATION", _duration(_number(m[1]), m[2]))
    if m := _P["ordinal_quarter"].match(s):
        return _ordinal_period(m, anchor, reference, raw)
    if m := _P["quarter_year"].match(s):
        year = int(m[1] or m[4])
        return _quarter(year, int(m[2] or m[3]), raw)
    if m := _P["season_year"].match(s):
        return _season(int(m[3]) if m[3] else _season_year(m[2], m[1] or "", anchor), m[2], raw)
    if m := _P["set"].match(s):
        return _set(m[1] or m[2])
    if m := _P["set_n"].match(s):
        return Timex("SET", _duration(_number(m[1]), m[2]))
    if (m := _P["set_weekday"].match(s)) and (s.startswith(("every", "each")) or s.endswith("s")):
        part = f"T{PARTS_OF_DAY[m[2]]}" if m[2] else ""
        return Timex("SET", f"XXXX-WXX-{WEEKDAYS[m[1]] + 1}{part}")
    if m := _P["set_month"].match(s):
        return Timex("SET", f"XXXX-{MONTHS[m[1]]:02d}")
    if m := _P["units"].match(s):
        plural = s.endswith("s") and not s.endswith("ss")
        return Timex("DURATION", _duration("X" if plural else 1, m[1]))
    if m := _P["noon"].match(s):
        base = _base_day(m[2], anchor, tense, reference)
        if base is None:
            return None
        clock = {"noon": "12:00", "midday": "12:00", "midnight": "24:00"}[m[1]]
        return Timex("TIME", f"{base.isoformat()}T{clock}", TimeValue(base, base, Precision.DAY, raw) if m[2] else None)
    if m := _P["clock"].match(s):
        return _clock(m, anchor, tense, reference, raw)
    return None


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday of a month (n = -1: the last)."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = _month_span(year, month)[1]
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    lw = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * lw) // 433
    return date(year, (h + lw - 7 * m + 90) // 25, (h + lw - 7 * m + 33 * ((h + lw - 7 * m + 90) // 25) + 19) % 32)


def _holiday_date(name: str, year: int) -> date:
    name = name.replace("'", "")
    fixed = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24), "new years day": (1, 1),
             "new year day": (1, 1), "new years eve": (12, 31), "new year eve": (12, 31), "independence day": (7, 4),
             "the fourth of july": (7, 4), "halloween": (10, 31), "valentines day": (2, 14), "veterans day": (11, 11),
             "boxing day": (12, 26), "may day": (5, 1), "armistice day": (11, 11), "remembrance day": (11, 11),
             "bastille day": (7, 14)}
    if name in fixed:
        return date(year, *fixed[name])
    if name.startswith("easter") or name == "good friday":
        return _easter(year) - timedelta(days=2 if name == "good friday" else 0)
    floating = {"thanksgiving": (11, 3, 4), "thanksgiving day": (11, 3, 4), "labor day": (9, 0, 1),
                "labour day": (9, 0, 1), "memorial day": (5, 0, -1), "presidents day": (2, 0, 3),
                "mothers day": (5, 6, 2), "fathers day": (6, 6, 3)}
    if name in floating:
        return _nth_weekday(year, *floating[name])
    return _nth_weekday(year, 1, 0, 3)  # Martin Luther King Jr. Day


def _holiday(name: str, rel: str, year: int | None, anchor: date, tense: str, raw: str) -> Timex:
    if year is None:
        this = _holiday_date(name, anchor.year)
        if rel in {"last", "this past"} or (not rel and tense == "past"):
            year = anchor.year if this <= anchor else anchor.year - 1
        elif rel in {"next", "this coming"} or (not rel and tense == "future"):
            year = anchor.year if this >= anchor else anchor.year + 1
        else:
            year = anchor.year
    return _date(_holiday_date(name, year), raw)


def _spelled_year(m: re.Match[str]) -> int | None:
    """"nineteen ninety-six" → 1996, "the year two thousand" → 2000 (as broadcast transcripts write years)."""
    if m[1] is None:
        tail = _number(m[3]) if m[3] else 0
        return 2000 + tail if isinstance(tail, int) else None
    century = {"eighteen": 1800, "nineteen": 1900, "twenty": 2000}[m[1]]
    if m[2] == "hundred":
        return century
    rest = _number(m[2])
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
    which, what = _ORD[m[1]], m[2]
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
