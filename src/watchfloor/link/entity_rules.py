"""When two entities from different reports are one: the rules, as pure functions, for the resolver to call.

Analysis already gives spelling variants one key within and across reports (``analyze.name_keys``: articles,
"y"/"i", doubled letters, British and American spelling, region nouns). What is left needs two names side
by side, so it belongs to the cross-document step:

* **acronym**: "RSF" and "Rapid Support Forces", "UKMTO" and "United Kingdom Maritime Trade Operations" —
  the short name's letters are the capitals (or the initials of the content words) of the long one;
* **short form of a body**: "Sovereign Council" and "Transitional Sovereign Council" — the shorter name,
  of two words or more and ending in the same head noun, is the end of the longer;
* **compound given name**: "Michel Lacharite" and "Michel-Olivier Lacharite" — one surname, and one given
  name is the first part of the other;
* **transliteration**: "Rami Abdel Rahman" and "Rami Abdurrahman", "Sednaya" and "Saydnaya" — after
  folding, the names (spaces ignored) are close, their consonants nearly the same, and they start alike;
* **typo**: "Hayat Tahrir Am-Sham" and "Hayat Tahrir al-Sham" — all words equal but one, which differs by
  one letter;
* **vowel slip in a surname**: "Jalili" and "Mohammed Ghazi Jalali" — a one-word name whose consonants are
  the full name's surname's, written in the same report.

Each rule is narrow on purpose; a resolver should still keep namesakes apart (two people who share a
surname) by the documents they appear in, as ``link.entities`` does for short forms. ``match_keys`` gives
the blocking keys under which to look candidates up, so that a batch only reads the entities it may join.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

from ..analyze.gazetteer import gazetteer
from ..analyze.name_keys import fold_key

__all__ = ["EntityDescription", "match_keys", "same_entity"]

_SMALL_WORDS = {"of", "for", "the", "and", "on", "in", "de", "du", "des", "la", "le", "al", "el", "sans"}
_VOWELS = set("aeiouy")
_PEOPLE = {"person"}
_BODIES = {"organization", "org", "group", "source"}
_PLACES = {"place", "country"}


@dataclass(frozen=True)
class EntityDescription:
    """What the resolver knows of an entity: its key, name, type, other written forms, and its documents."""

    key: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    documents: frozenset[str] = field(default_factory=frozenset)

    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@lru_cache(maxsize=1 << 16)  # a batch folds each name many times over (blocking keys, comparisons)
def _fold(text: str) -> str:
    """Lower case, no accents, letters and spaces only; "y" is "i" and doubled letters are one."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).replace("y", "i")
    return re.sub(r"([a-z])\1+", r"\1", text).strip()


def _words(text: str) -> list[str]:
    return [w for w in _fold(text).split() if w not in {"al", "el"}] or _fold(text).split()


def _consonants(text: str) -> str:
    return "".join(c for c in text.replace(" ", "") if c not in _VOWELS)


def _initials(name: str) -> set[str]:
    """The acronyms a long name can have: its capital letters ("UK Maritime Trade Operations" -> "UKMTO"), or
    the first letters of its content words, with or without the small ones."""
    plain = unicodedata.normalize("NFKD", name)
    capitals = "".join(c for c in plain if c.isupper())
    parts = [p for p in re.split(r"[\s\-‐]+", plain) if p]
    content = [p for p in parts if p.lower() not in _SMALL_WORDS]
    found = {capitals.lower(), "".join(p[0] for p in content).lower(), "".join(p[0] for p in parts).lower()}
    return {f for f in found if len(f) >= 2}


def _is_acronym(name: str) -> bool:
    letters = name.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 7 and letters.isalpha() and letters.isupper()


def _spelled_out(form: str) -> bool:
    """A full name: two words or more, each content word capitalised, none of them an acronym itself."""
    content = [w for w in re.split(r"[\s\-‐]+", form) if w and w.lower() not in _SMALL_WORDS]
    return len(content) >= 2 and all(w[:1].isupper() and not _is_acronym(w) or w.isupper() and len(w) <= 2
                                     for w in content)


def _acronym(a: EntityDescription, b: EntityDescription) -> bool:
    for short, long in ((a, b), (b, a)):
        acronyms = {s.replace(".", "").replace("&", "").lower() for s in short.forms() if _is_acronym(s)}
        full = [f for f in long.forms() if _spelled_out(f)]
        if acronyms and full and acronyms & set().union(*(_initials(f) for f in full)):
            return True
    return False


def _short_form_of_body(a: EntityDescription, b: EntityDescription) -> bool:
    """"Sovereign Council" of "Transitional Sovereign Council": a proper name that ends the longer one, where
    the words before it do not name a country ("Russian Defense Ministry" is no longer form of "Defense
    Ministry", which any country has)."""
    short, long = sorted((a.name, b.name), key=lambda n: len(_words(n)))
    short_words, long_words = _words(short), _words(long)
    if not (2 <= len(short_words) < len(long_words) and long_words[-len(short_words):] == short_words):
        return False
    if not all(w[:1].isupper() for w in short.split() if w.lower() not in _SMALL_WORDS):
        return False  # "defence ministry": a description, not a name
    head = long.split()[: len(long.split()) - len(short.split())]
    gaz = gazetteer()
    return not any("'" in w or "’" in w or (hit := gaz.lookup(w)) is not None and hit.entity.type == "country"
                   for w in head)


def _compound_given_name(a: EntityDescription, b: EntityDescription) -> bool:
    x, y = a.name.split(), b.name.split()
    if len(x) < 2 or len(y) < 2 or _fold(x[-1]) != _fold(y[-1]) or len(x) != len(y):
        return False
    for p, q in zip(x[:-1], y[:-1], strict=True):
        p_parts, q_parts = _fold(p).split(), _fold(q).split()
        shorter, longer = sorted((p_parts, q_parts), key=len)
        if longer[: len(shorter)] != shorter:
            return False
    return x != y


def _transliterated(a: EntityDescription, b: EntityDescription) -> bool:
    x, y = "".join(_words(a.name)), "".join(_words(b.name))
    if x == y:
        return True
    if min(len(x), len(y)) < 6 or x[0] != y[0] or abs(len(x) - len(y)) > 3:
        return False
    consonants_close = Levenshtein.distance(_consonants(x), _consonants(y)) <= 1
    return consonants_close and ratio(x, y) >= 80


def _typo(a: EntityDescription, b: EntityDescription) -> bool:
    """Names of three words or more, as many in each, one letter apart."""
    x, y = _fold(a.name), _fold(b.name)
    return len(x.split()) == len(y.split()) >= 3 and len(x) >= 10 and Levenshtein.distance(x, y) == 1


def _vowel_slip(a: EntityDescription, b: EntityDescription) -> bool:
    short, long = sorted((a, b), key=lambda e: len(e.name.split()))
    if len(short.name.split()) != 1 or len(long.name.split()) < 2 or not short.documents & long.documents:
        return False
    surname = _fold(long.name.split()[-1])
    word = _fold(short.name)
    return len(word) >= 5 and word != surname and _consonants(word) == _consonants(surname) and len(word) == len(surname)


def _kinds(a: EntityDescription, b: EntityDescription) -> str | None:
    for kinds, label in ((_PEOPLE, "person"), (_BODIES, "body"), (_PLACES, "place")):
        if a.type in kinds and b.type in kinds:
            return label
    return None


def same_entity(a: EntityDescription, b: EntityDescription) -> str | None:
    """Why ``a`` and ``b`` are one entity ("acronym", "short form of a body", "compound given name",
    "transliteration", "typo", "vowel slip"), or None when no rule says so. Entities of different kinds
    (a person and a place) are never one here."""
    kind = _kinds(a, b)
    if kind is None or a.key == b.key:
        return None if kind is None else "same key"
    if kind == "body" and _acronym(a, b):
        return "acronym"
    if kind == "body" and _short_form_of_body(a, b):
        return "short form of a body"
    if kind == "person" and _compound_given_name(a, b):
        return "compound given name"
    if kind == "person" and _vowel_slip(a, b):
        return "vowel slip"
    if _typo(a, b):
        return "typo"
    if kind == "place" and len(a.name.split()) == len(b.name.split()) and _transliterated(a, b):
        return "transliteration"
    if kind == "person" and _same_given_name(a, b) and _transliterated(
            EntityDescription(a.key, " ".join(a.name.split()[1:]), a.type),
            EntityDescription(b.key, " ".join(b.name.split()[1:]), b.type)):
        return "transliteration"  # the given name alike, the rest spelled two ways ("Abdel Salam", "Abdussalam")
    return None


def _same_given_name(a: EntityDescription, b: EntityDescription) -> bool:
    """Both names have a surname and the same given name, up to its known transliterations."""
    x, y = fold_key(a.name, "person").split("-"), fold_key(b.name, "person").split("-")
    return len(a.name.split()) >= 2 and len(b.name.split()) >= 2 and x[0] == y[0]


def match_keys(entity: EntityDescription) -> set[str]:
    """Blocking keys: two entities that ``same_entity`` may join share at least one. An index from these keys
    to entity keys lets a batch read only its candidates. Each key is narrow for its kind, so that the list
    under one key stays short as the store grows: a body's acronym, first two and last two words; a
    person's surname consonants and given name; a place's consonants or first and last words."""
    kind = _kinds(entity, entity)
    keys: set[str] = set()
    for form in entity.forms():
        words = _words(form)
        if not words or kind is None:
            continue
        if kind == "body":
            if _is_acronym(form):
                keys.add("acronym:" + form.replace(".", "").replace("&", "").lower())
            elif len(words) >= 2:
                keys.update("acronym:" + i for i in _initials(form))
                keys.update(("head:" + " ".join(words[:2]), "tail:" + " ".join(words[-2:])))
            continue
        if len(words) == 1 or kind == "person":
            keys.add("last:" + _consonants(words[-1]))
        if len(words) >= 2:
            keys.add(f"given:{words[0]}:{words[1][0]}")
            if kind == "place":
                keys.add("tail:" + " ".join(words[-2:]))
    return {f"{kind}:{k}" for k in keys} if kind else keys
