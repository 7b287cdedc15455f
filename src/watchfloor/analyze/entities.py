"""Named entities from spaCy, corrected and canonicalised through the alias table, with in-document coreference.

spaCy's spans are first cleaned (split at brackets, commas and spaced dashes; determiners, possessives and
scores trimmed), retyped where the alias table knows better (a country is a place, a demonym a group), and
then made consistent within the document: a name found once is found everywhere it recurs, and every
occurrence of one name gets the type most of them have ("one sense per discourse").

A capital or a metonym ("Pyongyang said", "the Kremlin denied") that acts is its country's government;
the same name as a location ("troops arrived in Moscow") stays a place.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.attrs import IDX, LENGTH, SPACY
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from ..model import EntityRef, Mention, Span
from .gazetteer import Gazetteer, gazetteer, normalise_name, slug
from .nlp import sentence_of, text_of

__all__ = ["extract_mentions", "is_actor_position"]

#: spaCy labels that name something (numeric and temporal labels are other stages' business)
_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "PRODUCT"}
#: labels whose names never start or end with a number ("Kent 108-3" is a team and its score)
_NUMBERLESS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
_TITLES = re.compile(
    r"^(?:(?:the|former|acting|deputy|vice|then-)\s+)*(?:president|prime minister|minister|secretary|general|gen\.|"
    r"mr\.?|mrs\.?|ms\.?|dr\.?|sen\.?|senator|rep\.?|col\.?|lt\.?|maj\.?|adm\.?|chancellor|king|queen|prince|"
    r"leader|spokesman|spokeswoman|ambassador|envoy|commander)\s+",
    re.IGNORECASE,
)
_ACTOR_DEPS = {"nsubj", "nsubjpass", "agent", "poss", "csubj"}
_TYPE_BY_LABEL = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place",
                  "NORP": "group"}
_SEPARATORS = {"(", ")", "[", "]", "{", "}", ",", ";", ":", "|", "/"}
_DASHES = {"-", "--", "—", "–"}
_EDGE_PUNCT = {'"', "'", "“", "”", "‘", "’", "`", "``", "''", ".", "*", "&", "-", "--", "—", "–"}
_DETERMINERS = {"the", "a", "an"}
_POSSESSIVE = {"'s", "’s", "'", "’"}
_SCORE = re.compile(r"^[\d.,:/+x-]*\d[\d.,:/+x-]*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_INITIAL = re.compile(r"^[A-Z]\.$")
#: short capitalised words that are sentence furniture, never names on their own
_CALENDAR_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
                   "march", "april", "june", "july", "august", "september", "october", "november", "december"}
_COMPANY_SUFFIXES = {"inc", "corp", "co", "ltd", "plc", "llc", "ag", "sa", "nv", "bv", "gmbh", "spa", "group"}
_BIG_PLACE = 1_000_000
_COMMON_NOUNS = {"men", "women", "man", "woman", "people", "death", "god"}
_TITLE_NOUNS = {"minister", "ministers", "secretary", "secretaries", "ministry", "department", "dept"}
_NOT_NAMES = {"i", "a", "an", "the", "mr", "mrs", "ms", "dr", "st", "no", "vs", "v", "at", "of", "and", "in", "on"}


def is_actor_position(span: SpacySpan) -> bool:
    """True when the span acts: subject of a verb, possessor, or agent of a passive."""
    root = span.root
    if root.dep_ in _ACTOR_DEPS:
        return True
    if root.dep_ == "pobj" and root.head.dep_ == "agent":
        return True
    return root.dep_ == "compound" and root.head.dep_ in _ACTOR_DEPS and root.head.lemma_ in {
        "official", "government", "ministry", "authority", "leader", "spokesman", "spokeswoman"}


@dataclass
class _Candidate:
    start: int
    end: int
    label: str
    #: the alias table (or a layout rule) fixed the label: document votes do not change it
    fixed: bool = False


class _Tokens:
    """The token attributes the rules read, pulled out of the Doc once (Doc indexing is slow)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        whole = text_of(doc)
        rows = doc.to_array([IDX, LENGTH, SPACY]).tolist()
        self.text: list[str] = [whole[idx : idx + length] for idx, length, _ in rows]
        self.lower = [t.lower() for t in self.text]
        self.title = [t.istitle() for t in self.text]
        self.upper = [t.isupper() for t in self.text]
        self.alpha = [t.isalpha() for t in self.text]
        self.spaced = [bool(spaced) for _, _, spaced in rows]
        self.line_end = [whole[idx + length : idx + length + 1] == "\n" or "\n" in t
                         for (idx, length, _), t in zip(rows, self.text, strict=True)]
        self.n = len(self.text)

    def key(self, start: int, end: int) -> tuple[str, ...]:
        return tuple(self.lower[start:end])

    def string(self, start: int, end: int) -> str:
        return " ".join(self.text[start:end])

    def capitalised(self, i: int) -> bool:
        return self.title[i] or self.upper[i]

    def can_start_name(self, i: int) -> bool:
        return (self.title[i] or self.upper[i]) and len(self.text[i]) > 1 and self.lower[i] not in _NOT_NAMES

    def is_score(self, i: int) -> bool:
        return bool(_SCORE.match(self.text[i]))


def _is_separator(tok: _Tokens, i: int, label: str) -> bool:
    """Tokens no name runs across: brackets, commas, spaced dashes, an inner possessive, a score, "Inc of"."""
    text = tok.text[i]
    if text in _SEPARATORS or text in _POSSESSIVE or text.isspace():
        return True
    if label in _NUMBERLESS and tok.is_score(i):
        return True
    if tok.lower[i] in {"of", "in"} and i > 0 and tok.lower[i - 1].rstrip(".") in _COMPANY_SUFFIXES:
        return True
    return text in _DASHES and tok.spaced[i] and i > 0 and tok.spaced[i - 1]


def _glued(tok: _Tokens, i: int) -> bool:
    """The lower-case second half of a hyphenated name, as in "Tae-yul" or "Hong-kyun"."""
    return i >= 2 and tok.text[i - 1] in {"-", "‐"} and not tok.spaced[i - 1] and not tok.spaced[i - 2] \
        and tok.title[i - 2]


def _trim(tok: _Tokens, start: int, end: int, label: str) -> tuple[int, int]:
    """Without determiners, possessives, edge punctuation, dates, scores ("Kent 108-3") or trailing common words."""
    while start < end and (tok.lower[start] in _DETERMINERS or tok.text[start] in _EDGE_PUNCT
                           or tok.lower[start] in _CALENDAR_WORDS or tok.is_score(start)):
        start += 1
    while end > start and (tok.text[end - 1] in _POSSESSIVE or tok.text[end - 1] in _EDGE_PUNCT
                           or tok.text[end - 1].islower() and label in _NUMBERLESS and not _glued(tok, end - 1)
                           or tok.is_score(end - 1) and (label in _NUMBERLESS or not tok.text[end - 1].isdigit())):
        end -= 1
    return start, end


def _pieces(tok: _Tokens, start: int, end: int, label: str, gaz: Gazetteer) -> list[tuple[int, int, str]]:
    """A span split where two names meet ("Scott Draper (Australia", "American Dennis Mitchell"), trimmed."""
    bounds = [start - 1, *(i for i in range(start, end) if _is_separator(tok, i, label)), end]
    pieces = []
    for left, right in zip(bounds, bounds[1:], strict=False):
        s, e = _trim(tok, left + 1, right, label)
        if e <= s or not any(tok.text[i][:1].isupper() for i in range(s, e)):
            continue
        if label == "PERSON" and e - s >= 3 and (hit := gaz.lookup(tok.text[s])) is not None \
                and hit.kind == "demonym":
            pieces.append((s, s + 1, "NORP"))
            s += 1
        pieces.append((s, e, label))
    return pieces


def _with_initials(tok: _Tokens, start: int, end: int) -> tuple[int, int]:
    """Take in the initials before a name ("J. Smith") and, for a bare initial, the name after it."""
    while start > 0 and _INITIAL.match(tok.text[start - 1]):
        start -= 1
    while end < tok.n and tok.title[end] and all(_INITIAL.match(tok.text[i]) for i in range(start, end)):
        end += 1
    return start, end


def _looks_like_person(tok: _Tokens, start: int, end: int, gaz: Gazetteer) -> bool:
    """A given name followed by capitalised words that name nothing else ("Dennis Mitchell")."""
    if end - start < 2 or end - start > 4 or not gaz.is_given_name(tok.text[start]):
        return False
    return all(tok.title[i] and gaz.lookup(tok.text[i]) is None for i in range(start + 1, end)) \
        and tok.lower[end - 1].rstrip(".") not in _COMPANY_SUFFIXES


def _is_team(tok: _Tokens, start: int, end: int, gaz: Gazetteer) -> bool:
    """A town followed by a score ("Surrey 429-7", "Chicago 4 Houston 3") is a team: sports results and tables."""
    if end >= tok.n or not tok.is_score(end):
        return False
    if _ISO_DATE.match("".join(tok.text[end : end + 5])):
        return False  # a dateline: "LONDON 1996-08-30"
    return gaz.place_population(tok.string(start, end)) is not None


def _retyped(gaz: Gazetteer, text: str, label: str) -> tuple[str, bool]:
    """The label the alias table gives a name (a country is a place, a demonym a group); fixed or not."""
    hit = gaz.lookup(text)
    if hit is not None:
        if hit.kind == "demonym":
            return "NORP", True
        if hit.kind == "name" and hit.entity.type == "country":
            return "GPE", True
        if hit.kind == "name" and hit.entity.type == "organization":
            return "ORG", True
    if gaz.is_region(text):
        return "GPE", True
    if label in {"ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"}:
        population = gaz.place_population(text)
        if population is not None and population >= _BIG_PLACE:
            return "GPE", False
    return label, False


def _not_a_name(tok: _Tokens, start: int, end: int) -> bool:
    """Calendar words, a lone letter and a department before its minister ("Education Minister") are no names."""
    if all(tok.lower[i] in _CALENDAR_WORDS or tok.lower[i] in _COMMON_NOUNS for i in range(start, end)):
        return True
    if end - start == 1 and len(tok.text[start]) == 1:
        return True
    return end - start == 1 and end < tok.n and tok.lower[end] in _TITLE_NOUNS


def _shouting_lines(tok: _Tokens) -> set[int]:
    """Tokens on all-capital lines (headlines, slugs), where the statistical NER guesses wildly."""
    shouting: set[int] = set()
    start = upper = lower = 0
    for i in range(tok.n):
        if tok.alpha[i] and len(tok.text[i]) > 1:
            upper += tok.upper[i]
            lower += not tok.upper[i]
        if tok.line_end[i] or i == tok.n - 1:
            if upper >= 3 and upper >= 4 * lower:
                shouting.update(range(start, i + 1))
            start, upper, lower = i + 1, 0, 0
    return shouting


def _dateline(tok: _Tokens, taken: set[int]) -> list[_Candidate]:
    """"SEOUL, Oct. 18 (Wire) —", "LONDON 1996-08-30": the capitalised place that opens a story line."""
    found = []
    for i in range(tok.n):
        if not (i == 0 or tok.line_end[i - 1]) or not (tok.upper[i] and tok.alpha[i]):
            continue
        end = i
        while end < tok.n and end - i < 4 and tok.upper[end] and (tok.alpha[end] or tok.text[end] == "."):
            end += 1
        if end < tok.n and end - i < 4 and (tok.text[end] in {",", "("} or tok.is_score(end)) \
                and not any(t in taken for t in range(i, end)) and not _not_a_name(tok, i, end):
            found.append(_Candidate(i, end, "GPE", fixed=True))
    return found


def _alias_at(tok: _Tokens, i: int, length: int, gaz: Gazetteer) -> _Candidate | None:
    """An alias-table name the statistical NER missed ("the Kremlin", "Pentagon", "NATO")."""
    if not all(tok.capitalised(j) or tok.lower[j] in {"of", "and", "the", "for"} for j in range(i, i + length)):
        return None
    if length == 1 and (len(tok.text[i]) < 3 or tok.text[i] == "US" and sentence_of(tok.doc[i]).start == i):
        return None
    if tok.lower[i] in STOP_WORDS and tok.lower[i] != "us":
        return None
    hit = gaz.lookup(tok.string(i, i + length))
    if hit is None or hit.kind not in {"name", "metonym"}:
        return None
    return _Candidate(i, i + length, "GPE" if hit.entity.type == "country" and hit.kind == "name" else "ORG", True)


def _person_at(tok: _Tokens, i: int, taken: set[int], gaz: Gazetteer) -> _Candidate | None:
    """A given name and the capitalised words after it, or initials and a name ("J. Smith")."""
    if tok.title[i] and gaz.is_given_name(tok.text[i]):
        end = i + 1
        while end < tok.n and end - i < 4 and end not in taken and tok.capitalised(end) \
                and tok.lower[end] not in STOP_WORDS and gaz.lookup(tok.text[end]) is None:
            end += 1
        if end > i + 1:
            return _Candidate(i, end, "PERSON")
    if _INITIAL.match(tok.text[i]):
        start, end = _with_initials(tok, i, i + 1)
        if end > i + 1 and not any(t in taken for t in range(start, end)):
            return _Candidate(start, end, "PERSON")
    return None


def _team_at(tok: _Tokens, i: int, taken: set[int], gaz: Gazetteer) -> _Candidate | None:
    """A town between scores in a results line ("Leeds 2 Portsmouth 1") is a team."""
    if not (i == 0 or tok.line_end[i - 1] or tok.is_score(i - 1)):
        return None
    for end in range(min(i + 3, tok.n), i, -1):
        if all(tok.capitalised(j) and j not in taken for j in range(i, end)) and _is_team(tok, i, end, gaz):
            return _Candidate(i, end, "ORG")
    return None


def _recurrences(tok: _Tokens, known: dict[tuple[str, ...], str], taken: set[int], gaz: Gazetteer) -> list[
        _Candidate]:
    """Names the statistical NER missed: a name found elsewhere in the document, an alias, a person's name."""
    longest = max(4, max((len(k) for k in known), default=0))
    found: list[_Candidate] = []
    i = 0
    while i < tok.n:
        if i in taken or not (tok.can_start_name(i) or _INITIAL.match(tok.text[i])):
            i += 1
            continue
        match = None
        for length in range(min(longest, tok.n - i), 0, -1):
            if any(t in taken for t in range(i, i + length)):
                continue
            key = tok.key(i, i + length)
            if key in known and tok.can_start_name(i + length - 1):
                match = _Candidate(i, i + length, known[key])
                break
            if length <= 4 and (match := _alias_at(tok, i, length, gaz)) is not None:
                break
        if match is None:
            match = _person_at(tok, i, taken, gaz) or _team_at(tok, i, taken, gaz)
        if match is None:
            i += 1
            continue
        found.append(match)
        taken.update(range(match.start, match.end))
        known.setdefault(tok.key(match.start, match.end), match.label)
        i = match.end
    return found


def _consistent(tok: _Tokens, candidates: list[_Candidate]) -> list[_Candidate]:
    """Every occurrence of a name gets its majority label; a lone surname of a named person is a person."""
    votes: dict[tuple[str, ...], Counter[str]] = {}
    fixed: dict[tuple[str, ...], str] = {}
    surnames: set[tuple[str, ...]] = set()
    for c in candidates:
        key = tok.key(c.start, c.end)
        votes.setdefault(key, Counter())[c.label] += 1
        if c.fixed:
            fixed[key] = c.label
        if c.label == "PERSON" and c.end - c.start >= 2:
            surnames.add(tok.key(c.end - 1, c.end))
    for c in candidates:
        if c.fixed:
            continue
        key = tok.key(c.start, c.end)
        if key in fixed:
            c.label = fixed[key]
        elif key in surnames:
            c.label = "PERSON"
        else:
            best, count = votes[key].most_common(1)[0]
            if count > votes[key][c.label]:
                c.label = best
    return candidates


def _candidates(doc: Doc) -> list[_Candidate]:
    gaz = gazetteer()
    tok = _Tokens(doc)
    shouting = _shouting_lines(tok)
    candidates: list[_Candidate] = []
    for ent in doc.ents:
        if ent.label_ not in _NAME_LABELS:
            continue
        for start, end, label in _pieces(tok, ent.start, ent.end, ent.label_, gaz):
            if label in {"PERSON", "ORG", "GPE", "NORP", "LOC", "PRODUCT", "FAC"}:
                start, end = _with_initials(tok, start, end)
                label = "PERSON" if _INITIAL.match(tok.text[start]) else label
                if start > 0 and tok.title[start - 1] and gaz.is_given_name(tok.text[start - 1]) \
                        and end - start == 1 and label != "GPE":
                    start, label = start - 1, "PERSON"  # "Ana Kovac" where the NER saw only "Kovac"
            label, fixed = _retyped(gaz, tok.string(start, end), label)
            if not fixed and label != "PERSON" and _looks_like_person(tok, start, end, gaz):
                label = "PERSON"
            if not fixed and label in {"GPE", "LOC", "PERSON"} and _is_team(tok, start, end, gaz):
                label = "ORG"
            if (fixed or start not in shouting) and not _not_a_name(tok, start, end):
                candidates.append(_Candidate(start, end, label, fixed))
    taken = {i for c in candidates for i in range(c.start, c.end)}
    candidates += _dateline(tok, taken)
    taken.update(i for c in candidates for i in range(c.start, c.end))
    candidates = _consistent(tok, candidates)
    known = {tok.key(c.start, c.end): c.label for c in candidates}
    for c in candidates:
        if c.label == "PERSON" and c.end - c.start >= 2 and not _INITIAL.match(tok.text[c.end - 1]):
            known.setdefault(tok.key(c.end - 1, c.end), "PERSON")
    candidates += _recurrences(tok, known, taken, gaz)
    return sorted(_consistent(tok, candidates), key=lambda c: c.start)


def _person_canonical(names: list[str]) -> dict[str, str]:
    """Map each person name to the longest full name in the document that ends with it."""
    # document order, not a set's: of two full names as long, the first named wins in every process
    full = sorted(dict.fromkeys(n for n in names if len(n.split()) >= 2), key=len, reverse=True)
    result: dict[str, str] = {}
    for name in names:
        tokens = name.split()
        for candidate in full:
            ctoks = candidate.split()
            if len(ctoks) > len(tokens) and (ctoks[-len(tokens):] == tokens or ctoks[: len(tokens)] == tokens):
                result[name] = candidate
                break
        else:
            result[name] = name
    return result


def extract_mentions(doc: Doc, doc_id: str) -> tuple[Mention, ...]:
    """Named-entity mentions, each with its canonical entity and whether it acts for a government."""
    gaz = gazetteer()
    spans = [(doc[c.start : c.end], c.label) for c in _candidates(doc)]
    person_names = [_TITLES.sub("", s.text) for s, label in spans if label == "PERSON"]
    canonical_person = _person_canonical(person_names)
    mentions: list[Mention] = []
    for span, label in spans:
        text = span.text
        if not normalise_name(text):
            continue
        actor = is_actor_position(span)
        hit = gaz.lookup(text)
        entity: EntityRef | None = None
        as_actor = False
        if label == "PERSON":
            if hit and hit.entity.type == "organization":
                entity = hit.entity
            else:
                name = canonical_person.get(_TITLES.sub("", text), text)
                entity = EntityRef(f"person:{slug(name)}", name, "person")
        elif hit is not None:
            entity = hit.entity
            as_actor = hit.kind == "metonym" or (hit.entity.type == "country" and actor)
            if hit.kind == "demonym" and label == "NORP" and span.root.dep_ not in {"amod", "compound"}:
                as_actor = actor
        elif label in {"GPE", "LOC", "FAC", "ORG"} and actor and (country := gaz.capital_country(text)) is not None:
            entity, as_actor = country, True
        if entity is None:
            etype = _TYPE_BY_LABEL.get(label, "other")
            entity = EntityRef(f"{etype}:{slug(text)}", text, etype)
        mentions.append(Mention(Span(doc_id, span.start_char, span.end_char, text), label, entity, as_actor))
    return tuple(mentions)
