"""How the real_news_dev scorer compares names, words and units with the gold (README, "How a system's export
is scored").

Names: the gold lists lowercase alternatives (``source_any``); a system name matches when, normalised, it equals
one, or contains one as whole words ("Taiwan's defence ministry" names "defence ministry").
Units: the gold unit is a short phrase with a note ("Chinese military aircraft detected (single day)"). The
README's "first content word" is read as the head noun of the phrase before its participle or preposition
("aircraft"), since most gold units open with a nationality or service ("Chinese", "Syrian army") that a unit
rightly leaves to the subject; a coordination ("missile or drone") accepts either noun.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})
_WORD = re.compile(r"[a-z0-9]+(?:[.'\-][a-z0-9]+)*\.?")


def normalise(text: str) -> str:
    """Lowercase, straight quotes, single spaces, no leading article."""
    text = " ".join(text.translate(_QUOTES).lower().split())
    return re.sub(r"^the\s+", "", text)


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def names_match(name: str, alternatives: Iterable[str]) -> bool:
    """True when ``name`` equals one of the lowercase alternatives or holds one as whole words."""
    have = normalise(name)
    if not have:
        return False
    padded = f" {' '.join(words(have))} "
    for alternative in alternatives:
        want = normalise(alternative)
        if want and (have == want or f" {' '.join(words(want))} " in padded):
            return True
    return False


_SPELLING = {"kilometer": "kilometre", "km": "kilometre", "kms": "kilometre", "kilometres": "kilometre",
             "meter": "metre", "metres": "metre", "m": "metre", "mi": "mile", "miles": "mile",
             "people": "person", "persons": "person", "men": "man", "women": "woman", "children": "child",
             "servicemen": "serviceman", "aircrafts": "aircraft", "defense": "defence", "tonne": "ton",
             "tonnes": "ton", "tons": "ton", "sq": "square", "km2": "square kilometre"}
#: "soldiers, troops, personnel and forces count as one unit" (README); servicemen are the same class
_SOLDIERS = {"soldier", "troop", "personnel", "force", "serviceman", "servicemember"}
_CASUALTY = {
    "killed": "killed", "dead": "killed", "death": "killed", "deaths": "killed", "died": "killed",
    "fatalities": "killed", "fatality": "killed",
    "wounded": "injured", "injured": "injured", "injuries": "injured", "hurt": "injured",
    "casualties": "casualty", "casualty": "casualty",
    "captured": "captured", "prisoner": "captured", "prisoners": "captured", "pow": "captured",
    "missing": "missing",
}
#: gold heads that are not people: "area captured", "hospital treating the wounded" are no casualty figures
_NOT_PEOPLE = {"area", "village", "site", "square", "kilometre", "mile", "settlement", "hospital", "territory"}
_STOP = {"a", "an", "the", "of", "in", "on", "at", "by", "from", "to", "into", "towards", "for", "under", "around",
         "whose", "that", "which", "who", "with", "and", "since", "during"}
_PHRASE_END = _STOP - {"a", "an", "the", "and"} | {"crossing", "treating", "preparing", "hosted", "taken", "sunk",
                                                   "shot", "whose"}


def singular(word: str) -> str:
    word = _SPELLING.get(word, word)
    if word in _SPELLING.values() or len(word) <= 3 or word.endswith(("ss", "us", "is", "ics")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def _canonical(word: str) -> str:
    word = singular(word)
    return "soldier" if word in _SOLDIERS else word


def gold_heads(unit: str) -> set[str]:
    """The noun(s) a gold unit counts: the head of each conjunct of its leading noun phrase, which ends at a
    preposition, a casualty word or a participle that closes it ("detected", "deployed to"; not "armed group")."""
    phrase = unit.split("(")[0]
    tokens = [w.strip("'\"").lower() for w in re.findall(r"[A-Za-z0-9'\"\-]+", phrase.translate(_QUOTES))]
    tokens = [t for t in tokens if t]
    kept: list[str] = []
    for i, low in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        closes = low.endswith("ed") and (following is None or following in _PHRASE_END or following == "down")
        if kept and (low in _PHRASE_END or low in _CASUALTY or closes):
            break
        kept.append(low)
    heads: set[str] = set()
    conjunct: list[str] = []
    for word in [*kept, "or"]:
        if word == "or":
            if conjunct:
                heads.add(_canonical(conjunct[-1]))
            conjunct = []
        elif word not in _STOP and not word.endswith("ly"):
            conjunct.append(word)
    return heads


def casualty_kind(text: str) -> str | None:
    """killed / injured / captured / missing / casualty, from the words of a unit or quantity record."""
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in _CASUALTY:
            return _CASUALTY[word]
    return None


def gold_casualty(unit: str) -> str | None:
    phrase = unit.split("(")[0]
    heads = gold_heads(unit)
    if heads & _NOT_PEOPLE or "square" in phrase.lower():
        return None
    return casualty_kind(phrase)


def _record_text(quantity: dict[str, Any]) -> str:
    return " ".join(str(v) for v in quantity.values() if isinstance(v, str))


def unit_matches(gold_unit: str, quantity: dict[str, Any]) -> bool:
    """The README's "bound to its noun" rule for one exported quantity record."""
    system_unit = str(quantity.get("unit") or "")
    record = _record_text(quantity)
    wanted = gold_casualty(gold_unit)
    said = casualty_kind(record)
    if wanted is None and said is not None:
        return False
    if wanted is not None and said != wanted and not (said == "casualty" and wanted in {"killed", "injured"}):
        return False
    system_words = [_canonical(w) for w in re.findall(r"[a-z0-9]+", system_unit.lower())]
    square_gold = "square" in gold_unit.split("(")[0].lower()
    square_system = "square" in system_words or "km2" in system_unit.lower() or "²" in system_unit
    if square_gold != square_system:
        return False
    expanded = {singular(w) for w in " ".join(system_words).split()}
    return bool(gold_heads(gold_unit) & (set(system_words) | expanded))
