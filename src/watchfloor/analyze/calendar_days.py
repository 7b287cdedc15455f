"""Calendar arithmetic for :mod:`timex`: month and week spans, month shifts, the year a bare month falls in,
the n-th weekday of a month, Easter and the dated holidays."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def week_span(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def closest_year(anchor: date, month: int, day: int | None, tense: str) -> int:
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


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday of a month (n = -1: the last)."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = month_span(year, month)[1]
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    lw = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * lw) // 433
    return date(year, (h + lw - 7 * m + 90) // 25, (h + lw - 7 * m + 33 * ((h + lw - 7 * m + 90) // 25) + 19) % 32)


def holiday_date(name: str, year: int) -> date:
    name = name.replace("'", "")
    fixed = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24), "new years day": (1, 1),
             "new year day": (1, 1), "new years eve": (12, 31), "new year eve": (12, 31), "independence day": (7, 4),
             "the fourth of july": (7, 4), "halloween": (10, 31), "valentines day": (2, 14), "veterans day": (11, 11),
             "boxing day": (12, 26), "may day": (5, 1), "armistice day": (11, 11), "remembrance day": (11, 11),
             "bastille day": (7, 14)}
    if name in fixed:
        return date(year, *fixed[name])
    if name.startswith("easter") or name == "good friday":
        return easter(year) - timedelta(days=2 if name == "good friday" else 0)
    floating = {"thanksgiving": (11, 3, 4), "thanksgiving day": (11, 3, 4), "labor day": (9, 0, 1),
                "labour day": (9, 0, 1), "memorial day": (5, 0, -1), "presidents day": (2, 0, 3),
                "mothers day": (5, 6, 2), "fathers day": (6, 6, 3)}
    if name in floating:
        return nth_weekday(year, *floating[name])
    return nth_weekday(year, 1, 0, 3)  # Martin Luther King Jr. Day
