"""The token view the name rules read, and the candidate names they pass between them.

spaCy's ``Doc`` is slow to index token by token; the rules in ``entities``, ``teams`` and ``org_names`` read
the same few attributes many times, so they are pulled out once into plain lists here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.attrs import IDX, SPACY
from spacy.tokens import Doc

from ..model import EntityRef
from .nlp import kept, text_of

__all__ = ["Candidate", "Tokens", "is_initial", "tokens_of"]

_SCORE = re.compile(r"^[\d.,:/+x-]*\d[\d.,:/+x-]*$")
_INITIAL = re.compile(r"^[A-Z]\.$")
#: short words that never start a name on their own
_NOT_NAMES = {"i", "a", "an", "the", "mr", "mrs", "ms", "dr", "st", "no", "vs", "v", "at", "of", "and", "in", "on"}


def is_initial(text: str) -> bool:
    """"J." in "J. Smith" (asked of most tokens: the length, first, spares the pattern for almost all)."""
    return len(text) <= 3 and bool(_INITIAL.match(text))  # 3: "$" also matches before a final newline


@dataclass
class Candidate:
    """A name found so far: tokens ``start``..``end`` (exclusive) and a spaCy-style label."""

    start: int
    end: int
    label: str
    #: the alias table (or a layout rule) fixed the label: document votes do not change it
    fixed: bool = False
    #: for an acronym introduced in brackets, the tokens of the full name it abbreviates
    stands_for: tuple[int, int] | None = None
    #: the entity a description names ("Seoul's spy agency"), when a rule knows it
    known_as: EntityRef | None = None


class Tokens:
    """The token attributes the rules read, pulled out of the Doc once (Doc indexing is slow)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        whole = text_of(doc)
        # a token ends where the next begins, less the one space it may keep (spaCy's LENGTH is read through
        # every token's lexeme: most of what the array would cost)
        starts, spaces = (column.tolist() for column in doc.to_array([IDX, SPACY]).T)
        nexts = [*starts[1:], len(whole)] if starts else []
        ends = [next_start - space for next_start, space in zip(nexts, spaces, strict=True)]
        self.text: list[str] = [whole[start:end] for start, end in zip(starts, ends, strict=True)]
        self.lower = list(map(str.lower, self.text))  # map over a method: half the time of a comprehension
        self.title = list(map(str.istitle, self.text))
        self.upper = list(map(str.isupper, self.text))
        self.alpha = list(map(str.isalpha, self.text))
        self.spaced = list(map(bool, spaces))
        self.line_end = [whole[end : end + 1] == "\n" or "\n" in t for end, t in zip(ends, self.text, strict=True)]
        self.n = len(self.text)
        # a score holds a digit: a word of letters only is none, and the pattern is spared it
        self.score = [not alpha and bool(_SCORE.match(t)) for t, alpha in zip(self.text, self.alpha, strict=True)]
        self._shouting: set[int] | None = None
        #: computed once per document by the rules that need it (``teams.is_sports_report``)
        self.sports: bool | None = None

    def key(self, start: int, end: int) -> tuple[str, ...]:
        return tuple(self.lower[start:end])

    def string(self, start: int, end: int) -> str:
        """The tokens as written, one space where the text has any ("Nagorno-Karabakh", "Daniels Inc")."""
        return "".join(t + (" " if self.spaced[i] and i < end - 1 else "")
                       for i, t in zip(range(start, end), self.text[start:end], strict=True))

    def capitalised(self, i: int) -> bool:
        return self.title[i] or self.upper[i]

    def can_start_name(self, i: int) -> bool:
        return (self.title[i] or self.upper[i]) and len(self.text[i]) > 1 and self.lower[i] not in _NOT_NAMES

    def name_starts(self) -> list[int]:
        """The tokens a name may start at (:meth:`can_start_name`, or an initial, which is capitalised too),
        picked out in one pass: about one token in six."""
        rows = zip(self.title, self.upper, self.text, self.lower, strict=True)
        return [i for i, (title, upper, text, lower) in enumerate(rows)
                if (title or upper) and (len(text) > 1 and lower not in _NOT_NAMES or is_initial(text))]

    def is_score(self, i: int) -> bool:
        return self.score[i]

    def line_start(self, i: int) -> bool:
        return i == 0 or self.line_end[i - 1]

    def line_of(self, i: int) -> tuple[int, int]:
        """The tokens of the line holding token ``i``: (first, end exclusive)."""
        start = i
        while start > 0 and not self.line_end[start - 1]:
            start -= 1
        end = i
        while end < self.n and not self.line_end[end]:
            end += 1
        return start, min(end + 1, self.n)

    def shouting(self) -> set[int]:
        """Tokens on all-capital lines (headlines, slugs), where the statistical NER guesses wildly."""
        if self._shouting is not None:
            return self._shouting
        shouting: set[int] = set()
        # each word of two letters or more is upper case or not; the rest count neither way
        cased = [upper if alpha and len(text) > 1 else None
                 for alpha, upper, text in zip(self.alpha, self.upper, self.text, strict=True)]
        ends = [i for i, end in enumerate(self.line_end) if end]
        if self.n and (not ends or ends[-1] != self.n - 1):
            ends.append(self.n - 1)
        start = 0
        for end in ends:
            line = cased[start : end + 1]
            upper = line.count(True)
            if upper >= 3 and upper >= 4 * line.count(False):
                shouting.update(range(start, end + 1))
            start = end + 1
        self._shouting = shouting
        return shouting


def tokens_of(doc: Doc) -> Tokens:
    """The document's :class:`Tokens`, made once: the name rules and the place rules read the same view."""
    return kept(doc, "watchfloor_tokens", Tokens)
