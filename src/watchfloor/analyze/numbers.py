"""Numerals: where a number is written, what it is worth, and the other end of a range.

Digits with comma or space thousands separators ("12,000", "12 000"), words ("three thousand",
"twenty-five", "a dozen"), both ("1.5 million"), mixed fractions ("7 1/2"), and ranges ("10,000 to
12,000", "between 1,500 and 3,000", "from one to three").
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.attrs import LOWER
from spacy.tokens import Doc, Token

__all__ = ["SCALES", "SKIP_ENTS", "is_numeral", "numeral_candidates", "number_group", "parse_number",
           "range_partner"]

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1, "half": 0.5,
}
SCALES = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000, "mln": 1_000_000}
_FRACTION_SIGNS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3}
#: entity types whose numbers are not counts (dates, names, ordinals)
SKIP_ENTS = {"DATE", "TIME", "ORDINAL", "PERSON", "ORG", "LAW", "PRODUCT", "WORK_OF_ART", "EVENT", "FAC", "GPE"}
_NUMERIC = re.compile(r"^\d[\d,]*(?:\.\d+)?$")
_TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
_SPACED = re.compile(r"^\d{1,3}(?:[\u00a0\u202f\u2009 ]\d{3})+$")  # one token holding "12 000" with a narrow space
_FRACTION = re.compile(r"^(\d+)/(\d+)$")
_GROUP_OF_THREE = re.compile(r"^\d{3}$")


def _fraction(word: str) -> float | None:
    if word in _FRACTION_SIGNS:
        return _FRACTION_SIGNS[word]
    match = _FRACTION.match(word)
    if match and int(match.group(2)) and int(match.group(1)) < int(match.group(2)):
        return int(match.group(1)) / int(match.group(2))
    return None


def parse_number(words: list[str]) -> float | None:
    """Value of a numeral written in digits, words or both ("1.5 million", "three thousand", "12,000",
    "12 000", "7 1/2"); None when a word is not part of a numeral."""
    total = 0.0
    current: float | None = None
    previous_digits = False  # the word before was written in digits without separators or decimals
    for raw in words:
        word = raw.lower().strip()
        if _SPACED.match(word):
            word = re.sub(r"\D", "", word)
        digits_only = word.isdigit()
        word = word.replace(",", "")
        if not word or word in {"and", "-"}:
            previous_digits = False
            continue
        fraction = _fraction(word)
        if fraction is not None:
            current = (current or 0) + fraction
        elif _GROUP_OF_THREE.match(word) and previous_digits and current is not None:
            current = current * 1000 + float(word)  # "12 000": thousands separated by a space
        elif _NUMERIC.match(word):
            current = (current or 0) + float(word)
        elif word in _SMALL:
            current = (current or 0) + _SMALL[word]
        elif "-" in word and all(p in _SMALL for p in word.split("-")):
            current = (current or 0) + sum(_SMALL[p] for p in word.split("-"))
        elif word in SCALES:
            scale = SCALES[word]
            if scale < 1000:  # "two dozen", "three hundred": multiplies what comes before, adds what follows
                current = (current or 1) * scale
            else:
                total += (current or 1) * scale
                current = None
        else:
            return None
        previous_digits = digits_only and len(word) <= 3 or bool(_GROUP_OF_THREE.match(word)) and previous_digits
    if current is None and total == 0:
        return None
    return total + (current or 0)


@lru_cache(maxsize=65_536)
def _numeral_word(lower: str) -> bool | None:
    """Whether a lower-cased word is a numeral: True, False, or None for a scale word ("million", "k"), which is one
    only where the parser says so (:func:`is_numeral`)."""
    low = lower.replace(",", "")
    if _NUMERIC.match(low) or _SPACED.match(low) or _fraction(low) is not None \
            or low in _SMALL and low not in {"a", "an", "half"}:
        return True
    return None if low in SCALES else False


def is_numeral(token: Token) -> bool:
    word = _numeral_word(token.lower_)
    return word if word is not None else token.pos_ == "NUM" or token.like_num


#: :func:`_numeral_word` by the hash of the lower-cased form (a string's hash is the same in every vocabulary):
#: most words are known by their hash, with no string made from the store for them
_BY_KEY: dict[int, bool | None] = {}
_UNSEEN = object()


def numeral_candidates(doc: Doc) -> list[int]:
    """The indices of the tokens that may be numerals, read from the document's array of lower-cased forms (no
    token object made for the other words); :func:`is_numeral` decides on each."""
    strings = doc.vocab.strings
    if len(_BY_KEY) > 65_536:
        _BY_KEY.clear()
    found = []
    for i, key in enumerate(doc.to_array(LOWER).tolist()):
        word = _BY_KEY.get(key, _UNSEEN)
        if word is _UNSEEN:
            word = _BY_KEY[key] = _numeral_word(strings[key])
        if word is not False:
            found.append(i)
    return found


def _joins(left: Token, right: Token) -> bool:
    """Two numeral tokens belong to one number: "1.5 million", "7 1/2", but "12 000" only with the space
    thousands pattern (so that "in 2022 150 people" stays two numbers)."""
    if _GROUP_OF_THREE.match(right.text) and left.text.isdigit():
        return len(left.text) <= 3
    return not (left.text.isdigit() and right.text.isdigit())


def _tens_hyphen(doc: Doc, i: int) -> bool:
    """``doc[i]`` is the hyphen of "twenty-five", split by the tokenizer."""
    return 0 < i < len(doc) - 1 and doc[i].text == "-" and doc[i - 1].lower_ in _TENS \
        and doc[i + 1].lower_ in _SMALL and _SMALL[doc[i + 1].lower_] < 10


def number_group(token: Token) -> list[Token]:
    """The contiguous numeral tokens around ``token`` ("1.5", "million"; "twenty", "-", "five")."""
    doc = token.doc
    start = end = token.i
    while start > 0 and (_tens_hyphen(doc, start - 1) or is_numeral(doc[start - 1])
                         and doc[start - 1].ent_type_ not in SKIP_ENTS and _joins(doc[start - 1], doc[start])):
        start -= 1
    while end + 1 < len(doc) and (_tens_hyphen(doc, end + 1) or is_numeral(doc[end + 1])
                                  and doc[end + 1].ent_type_ not in SKIP_ENTS and _joins(doc[end], doc[end + 1])):
        end += 1
    return list(doc[start : end + 1])


def range_partner(group: list[Token]) -> list[Token] | None:
    """The other end of "between 1,500 and 3,000", "10,000 to 12,000", "10,000-12,000", "from one to three"."""
    doc = group[0].doc
    j = group[-1].i + 1
    if j < len(doc) and doc[j].text in {"%", "percent"}:  # "250% to 390%"
        j += 1
    if j + 1 < len(doc) and doc[j].lower_ in {"and", "to", "-", "–", "or"} and is_numeral(doc[j + 1]):
        second = number_group(doc[j + 1])
        if doc[j].lower_ == "and" and not (group[0].i > 0 and doc[group[0].i - 1].lower_ == "between"):
            return None
        return second
    return None
