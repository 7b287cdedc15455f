"""Entity keys that spelling and transliteration variants of one name share.

Reports spell one name many ways: "Zelensky" and "Zelenskyy", "Hodeida" and "Hodeidah", "Bashar al-Assad" and
"Bashar Assad", "Khmeimim" and "Hmeimim", "Israeli Defence Forces" and "Israeli Defense Forces", "Kursk region"
and "Kursk". The key of an entity is built from a folded form of its name, so that such variants get one key in
every report, and the store joins them without comparing names afterwards. The name shown stays as written.

The folding is deliberately narrow, each step a known source of variation:

* the Arabic article ("al-", "el-") is left out, and so are hyphens;
* British and American spellings meet ("defence" / "defense", "theatre" / "theater");
* common given names meet across transliterations ("Alexei" / "Alexey", "Mohamed" / "Muhammad");
* within a word: "y" is "i", a doubled letter is one, "kh" at the start is "h", a final "h" after a vowel
  is dropped ("Hodeidah");
* a surname's final run of vowels is its first vowel ("Saree" / "Sarea");
* in an organisation's name, a nationality is its country and the last word is singular ("Revolutionary
  Guards" / "Guard", "Israeli" / "Israel"); a country's short form is its name ("UK" / "United Kingdom");
* a place's trailing "region", "oblast", "province", "state" or site noun ("prison", "air base", "camp")
  is left out: "Kursk region" is keyed with "Kursk".
"""

from __future__ import annotations

import re
from functools import lru_cache

from .gazetteer import SPELLINGS, gazetteer, normalise_name

__all__ = ["entity_key", "fold_key"]

_ARTICLES = {"al", "el"}
#: transliterations of one given name, to one form
_GIVEN_VARIANTS = {
    **dict.fromkeys(("muhammad", "mohammed", "mohamed", "mohammad", "muhammed", "mohamad", "mohamad", "mehmet",
                     "mohd"), "muhammad"),
    **dict.fromkeys(("abdel", "abdul", "abdal", "abdol"), "abdul"),
    **dict.fromkeys(("alexei", "alexey", "aleksei", "aleksey", "alexej"), "aleksei"),
    **dict.fromkeys(("yury", "yuri", "iouri", "yurii"), "yuri"),
    **dict.fromkeys(("sergei", "sergey", "serhiy", "serhii", "sergiy"), "sergei"),
    **dict.fromkeys(("dmitry", "dmitri", "dmytro"), "dmitri"),
    **dict.fromkeys(("oleksandr", "olexander", "oleksander"), "oleksandr"),
    **dict.fromkeys(("volodymyr", "wolodymyr"), "volodymyr"),
    **dict.fromkeys(("mikhail", "mykhailo", "michail"), "mikhail"),
    **dict.fromkeys(("andrei", "andrey", "andriy", "andrii"), "andrei"),
    **dict.fromkeys(("yevgeny", "yevgeniy", "evgeny", "yevhen"), "yevgeni"),
    **dict.fromkeys(("hussein", "husain", "hussain", "husein"), "husein"),
    **dict.fromkeys(("ahmed", "ahmad"), "ahmad"),
    **dict.fromkeys(("omar", "umar"), "omar"),
}
_ORG_TYPES = {"organization", "group", "source", "org"}
#: what follows a place's name without changing the place: "Kursk region", "Sednaya prison"
_PLACE_TAILS = {"region", "oblast", "province", "state", "governorate", "district", "prefecture", "krai",
                "prison", "camp", "base", "airbase", "air"}
_VOWELS = set("aeiou")


@lru_cache(maxsize=1 << 15)
def fold_key(name: str, etype: str) -> str:
    """The folded form of ``name`` for an entity of type ``etype``: words joined by "-"."""
    if etype in _ORG_TYPES | {"other"} and name.isupper() and " " not in name.strip():
        # an acronym's letters are not spellings: "AA", "IAEA"
        return re.sub(r"[^a-z0-9]+", "", normalise_name(name)) or "x"
    words = [w for w in re.split(r"[\s\-‐–—/]+", normalise_name(name).replace("'", "")) if w]
    words = [w for w in words if w not in _ARTICLES] or words
    words = [SPELLINGS.get(w, w) for w in words]
    if etype in _ORG_TYPES:
        words = _organisation_words(words)
    elif etype == "place":
        while len(words) > 1 and words[-1] in _PLACE_TAILS:
            words.pop()
    elif etype == "person":
        words = [_GIVEN_VARIANTS.get(w, w) for w in words]
    folded = [_fold_word(w) for w in words]
    if etype == "person" and folded and len(folded[-1]) >= 4:
        folded[-1] = re.sub(r"([aeiou])[aeiou]+$", r"\1", folded[-1])
    return "-".join(w for w in folded if w) or "x"


def entity_key(etype: str, name: str) -> str:
    """``type:folded-name``, the key spelling variants of one name share."""
    return f"{etype}:{fold_key(name, etype)}"


def _organisation_words(words: list[str]) -> list[str]:
    gaz = gazetteer()
    result = []
    for word in words:
        hit = gaz.lookup(word)
        if hit is not None and hit.entity.type == "country":  # "Israeli" / "Israel", "UK" / "United Kingdom"
            result.extend(normalise_name(hit.entity.name).split())
        else:
            result.append(word)
    if result and len(result[-1]) > 3 and result[-1].endswith("s") and not result[-1].endswith("ss"):
        result[-1] = result[-1][:-1]
    return result


def _fold_word(word: str) -> str:
    if word.isdigit() or any(c.isdigit() for c in word):
        return word
    if word.startswith("kh"):
        word = "h" + word[2:]
    word = word.replace("y", "i")
    word = re.sub(r"(.)\1+", r"\1", word)
    if len(word) > 3 and word.endswith("h") and word[-2] in _VOWELS:
        word = word[:-1]
    return word
