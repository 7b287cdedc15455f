"""The words and patterns of date and time expressions, for :mod:`timex`: month, weekday, number and unit
words, the relative and deictic words, the regular expressions of each shape of expression, and the cleaning
of an expression's text before it is matched."""

from __future__ import annotations

import calendar
import re

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
UNIT_FACTOR = {"decade": 10, "century": 100, "fortnight": 2}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI",
                "overnight": "NI"}
PART_CODES = "|".join(PARTS_OF_DAY)


def number_value(token: str) -> int | str | None:
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


NUM = (r"(\d[\d,]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
        r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a hundred|hundred|"
        r"a couple of|couple of|a couple|a few|few|several|many|some|a dozen|dozen|dozens of|hundreds of|"
        r"a number of|a single|one and a half|"
        r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](?:one|two|three|four|five|six|seven|eight|nine))")
UNIT = r"(second|minute|hour|day|night|week|weekend|fortnight|month|year|decade|centur(?:y|ie)|quarter)s?"
MON = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|" \
       r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
DAYNUM = r"(\d{1,2})(?:st|nd|rd|th)?"
WD = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
MODS = r"(?:(early|mid|late|earlier|later|the end of|the beginning of|the start of|end of|beginning of|start of|the middle of|" \
        r"middle of|the close of|the rest of|the remainder of)[\s-]+)?"
APPROX = re.compile(r"^(?:about|around|approximately|roughly|some|nearly|almost|more than|less than|over|under|"
                     r"at least|at most|up to|just|only|barely|fully|well over|a full|another|an additional|"
                     r"an extra|a further|the entire|the whole|all|the full)\s+")
ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "final": 4,
        "last": 4}

PATTERNS = {name: re.compile(pattern) for name, pattern in {
    "iso": r"^(\d{4})-(\d{2})-(\d{2})",
    "numeric": r"^(\d{1,2})/(\d{1,2})/(\d{2,4})$",
    "mdy": rf"^{MON}\s+{DAYNUM},?\s+(\d{{4}})$",
    "dmy": rf"^{DAYNUM}\s+(?:of\s+)?{MON},?\s+(\d{{4}})$",
    "md": rf"^(?:(last|this|next|this past|this coming)\s+)?{MON}\s+{DAYNUM}$",
    "md_rel_year": rf"^(?:{MON}\s+{DAYNUM}|{DAYNUM}\s+(?:of\s+)?{MON}),?\s+(last|this|next)\s+year$",
    "md_range": rf"^(?:the\s+(?:night|nights|days?)\s+of\s+)?{MON}\s+{DAYNUM}\s*(?:-|to|and)\s*{DAYNUM}$",
    "dm_range": rf"^(?:the\s+(?:night|nights|days?)\s+of\s+)?{DAYNUM}\s*(?:-|to|and)\s*{DAYNUM}\s+(?:of\s+)?{MON}$",
    "weekday_range": rf"^(?:from\s+)?(?:the\s+night\s+of\s+)?{WD}\s*(?:-|to|through|until|and)\s*{WD}$",
    "dm": rf"^{DAYNUM}\s+(?:of\s+)?{MON}$",
    "my": rf"^{MODS}{MON},?\s+(?:of\s+)?(\d{{4}})$",
    "month": rf"^{MODS}{MON}$",
    "relmonth": rf"^{MODS}(last|this|next|past|coming|this past|this coming)\s+{MON}$",
    "month_rel_year": rf"^{MODS}{MON}(?:\s+of)?\s+(last|this|next|the previous|the following|the same)\s+year$",
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
    "week_of": rf"^(?:the\s+)?week\s+of\s+({MON}\s+{DAYNUM}(?:,?\s+\d{{4}})?)$",
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
    "weekday": rf"^{MODS}(?:(?:the\s+)?(last|this|next|this past|this coming|past|coming|previous|following)\s+)?{WD}"
               rf"(?:\s+({PART_CODES}))?$",
    "part_weekday": rf"^(?:(early|late|mid)[\s-]+)?({PART_CODES})\s+(?:on\s+)?{WD}$",
    "part_deictic": rf"^(?:(early|late|mid)[\s-]+)?({PART_CODES})\s+(yesterday|today|tomorrow)$",
    "part_alone": r"^(?:(early|late|mid)[\s-]+)?(morning|afternoon|evening)$",
    "weekday_date": rf"^{WD},?\s+{MON}\s+{DAYNUM}(?:,?\s+(\d{{4}}))?$",
    "date_weekday": rf"^{MON}\s+{DAYNUM},?\s+{WD}$",
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
    "ago": rf"^{NUM}[\s-]+{UNIT}\s+(ago|earlier|before|later|from now|hence|after|afterward|afterwards|"
           r"previously|prior|since|back|on|in the future)$",
    "year_ago_adj": r"^(?:the\s+)?(?:comparable\s+)?(year-earlier|year-ago|year-before|prior-year|previous-year)$",
    "ago_the": r"^(?:the\s+)?(?:same\s+)?(day|week|month|year|quarter)\s+(before|after|earlier|later|prior)$",
    "span": rf"^(?:(?:the|over the|in the|during the|within the|for the|through the)\s+)?"
            rf"(past|last|next|coming|previous|first|final|latest|recent|preceding|following|initial|"
            rf"remaining|same|other|year-earlier|year-ago|comparable)\s+{NUM}\s+{UNIT}$",
    "duration": rf"^(?:the\s+|these\s+|those\s+|its\s+|their\s+)?{NUM}[\s-]+(?:more\s+|additional\s+|full\s+|straight\s+|consecutive\s+|long\s+)?{UNIT}"
                r"(?:[\s-]+long|[\s-]+old|\s+or so|\s+running|\s+in a row|[\s-]+plus)?$",
    "duration_half": rf"^{NUM}\s+and\s+a\s+half\s+{UNIT}$",
    "units": rf"^(?:the\s+)?(?:past\s+|coming\s+|next\s+|last\s+)?{UNIT}$",
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
    "set_n": rf"^every\s+{NUM}\s+{UNIT}$",
    "set_weekday": rf"^(?:every|each|on)?\s*{WD}s?(?:\s+({PART_CODES})s)?$",
    "set_month": rf"^(?:every|each)\s+{MON}$",
    "clock": r"^(?:(?:at|about|around|by|until|before|after|shortly before|shortly after|just before|just after)\s+)?"
             r"(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?|o'clock|h|gmt|est|edt|pst|pdt|cst|et|local time|"
             r"in the morning|in the afternoon|in the evening|at night)?"
             r"(?:\s+(?:local time|gmt|est|edt|et|pst|pdt|cst|cdt))?(?:\s*,?\s*(?:on\s+)?(\S.*))?$",
    "noon": r"^(noon|midnight|midday)(?:\s*,?\s*(?:on\s+)?(\S.*))?$",
}.items()}

RELATIVE = {"last": -1, "past": -1, "previous": -1, "the past": -1, "the previous": -1, "the last": -1,
             "this past": -1, "the preceding": -1, "the prior": -1, "prior": -1,
             "this": 0, "current": 0, "the current": 0, "this coming": 1,
             "next": 1, "coming": 1, "the coming": 1, "the next": 1, "the following": 1}
DEICTIC_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "this morning": 0, "this afternoon": 0,
                 "this evening": 0, "last night": -1, "last evening": -1, "yesterday morning": -1,
                 "yesterday afternoon": -1, "yesterday evening": -1, "tomorrow morning": 1, "tomorrow afternoon": 1,
                 "tomorrow evening": 1, "tomorrow night": 1, "the day before yesterday": -2,
                 "the day after tomorrow": 2, "today's": 0, "tonight's": 0, "overnight": 0}
FUTURE_REFS = ("the future", "the near future", "future", "soon", "the near term", "the short term", "the long term",
                "the longer term", "eventually", "as soon as possible", "sooner or later", "someday",
                "some day", "future years", "a later date")
PRESENT_REFS = ("now", "right now", "just now", "currently", "nowadays", "the present", "present", "at present",
                 "so far", "to date", "the present time", "current", "these days", "this time", "the moment",
                 "this moment", "the time being", "from time to time")
DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                 "eighties": 8, "nineties": 9}
ANAPHORIC_UNITS = {"the same", "that", "the following", "the year-earlier", "the year-ago", "the comparable",
                    "the corresponding", "the comparable year-ago", "the comparable year-earlier", "year-earlier",
                    "year-ago", "the", "a", "the preceding", "the prior", "prior", "the latest", "the most recent"}


def clean_expression(text: str) -> str:
    text = text.lower().replace("’", "'").replace("—", "-").replace("–", "-")
    text = re.sub(r"\s+", " ", text).strip(" ,.;:\"'()")
    text = re.sub(r"'s$", "", text).strip()
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"^(?:on|in|at|by|since|until|till|from|during|before|after|as of|of|through|throughout|"
                      r"for|over|within|between|beginning|starting|as early as|as late as|no later than|"
                      r"effective|due|ending|ended|dated)\s+", "", text)
        text = APPROX.sub("", text)
    text = re.sub(r"^the\s+(?=(?:early|mid|late)?[\s-]*\d{3}0'?s)", "", text)
    text = re.sub(r"^(?:an?|the)\s+(?=(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|"
                  r"forty|fifty|sixty|ninety|hundred)\b[\s-]+\w)", "", text)
    text = re.sub(r"\bthe the\b", "the", text)
    text = re.sub(r"\s+or so\b", "", text)
    text = re.sub(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:to|or|-)\s+"
                  r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?=[a-z])", "several ", text)
    text = re.sub(r"^an?\s+(?=(?:first|second|third|fourth|full|fiscal)\b)", "", text)
    return text.strip()
