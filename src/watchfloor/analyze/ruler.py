"""spaCy's attribute ruler, its one-token rules answered once per kind of token: the same parse, a fraction of the cost.

The attribute ruler (179 rules in the English models: each fine tag's part of speech and morphology, then
exceptions such as "gonna" or an expletive "there is") runs a Matcher of all its rules over every token, then sets
each match's attributes token by token from Python: about a tenth of the parse (13.6 ms of a VOA story). A rule of
one token matches on that token's own attributes alone (the models read its tag, lowercase form, dependency and
whether it is space), so which such rules match is a pure function of those values. This component keeps the
rule numbers that matched each combination (asking the ruler's own patterns, through a Matcher of them, for the
tokens of a kind not met before), runs the few rules of several tokens as they are, and applies everything in the
ruler's order, where a later rule's value wins, writing the attributes back as arrays. Whole parses are the
model's to the byte (``tests/analyze/test_ruler.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import numpy as np
from spacy.attrs import DEP, IDS, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs
from thinc.types import Ints2d

from .stand_ins import own, stand_in

__all__ = ["KeptRules", "keep_rules"]

#: the token attributes a one-token rule may test for its answer to be kept by their values (each is a plain value
#: of the token or of its word; a rule testing anything else, an extension or a quantifier, runs as it is)
_WORD = frozenset({"ORTH", "LOWER", "SHAPE", "LENGTH", "IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_LOWER",
                   "IS_UPPER", "IS_TITLE", "LIKE_NUM"})  # the word's own: the same for every token of it
_TOKEN = ("NORM", "TAG", "POS", "DEP", "LEMMA", "MORPH")  # set on the token, by the tokenizer or an earlier component
_KEYS = _WORD | frozenset(_TOKEN)
#: attributes whose tested values are strings, a rule's gate when it asks for one or some of them (rarer first)
_GATES = ("ORTH", "LOWER", "NORM", "LEMMA", "SHAPE", "DEP", "TAG")
#: the attributes a rule may set that are written back as arrays: ``Doc.from_array`` sets each as the ruler does
#: (NORM is not among them: read as an array it falls back to the word's, which writing back would fix on the token)
_ARRAYS = (POS, MORPH, LEMMA, TAG, DEP)
#: kinds of token kept at most (a long-running watcher meets new words for ever); the set starts again when full
_MOST = 200_000

Effect = tuple[np.ndarray, np.ndarray, tuple[dict[Any, Any], ...]]


class KeptRules:
    """The attribute ruler, the answers of its one-token rules kept by the values they test."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.ruler = ruler
        self._many = Matcher(ruler.vocab)
        #: the rules of one token, and the first tokens of the rules of several (``True``), by the attributes tested
        groups: dict[tuple[bool, frozenset[str], str], dict[str, list[list[dict[str, Any]]]]] = {}
        self._longest = 0  # tokens in the longest rule of several tokens, when each has a fixed length; else 0
        fixed, firsts = True, []
        for number in range(len(ruler.attrs)):
            label = str(number)  # the ruler's own label of its rule ``number``
            one, many = _split(ruler.matcher.get(label)[1])
            for pattern in one:
                groups.setdefault(_kind(False, pattern[0]), {}).setdefault(label, []).append(pattern)
            if many:
                self._many.add(label, many)
            for pattern in many:
                fixed = fixed and all("OP" not in token for token in pattern) and set(pattern[0]) <= _KEYS
                firsts.append([pattern[0]])
                self._longest = max(self._longest, len(pattern))
        if fixed:
            for first in firsts:  # labelled "0", a label among the strings already: the vocabulary is left as it was
                groups.setdefault(_kind(True, first[0]), {}).setdefault("0", []).append(first)
        else:
            self._longest = 0  # they run over the whole document
        tested = sorted({name for (_, names, _) in groups for name in names} or {"ORTH"})  # one column at least
        self._key_ids = [IDS[name] for name in tested]
        self._groups = [_Group(ruler, tested, kind, rules) for kind, rules in groups.items()]
        #: per kind of token: the number of its rules' effect, and whether a rule of several tokens may start there
        self._known: dict[bytes, tuple[int, bool]] = {}
        self._numbers: dict[tuple[int, ...], int] = {}  # rule numbers -> effect number
        self._rules_of: list[tuple[int, ...]] = []  # effect number -> rule numbers
        self._effects: list[Effect] = []
        self._values = self._masks = self._others = np.zeros(0)
        self._effect_of(())

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        effects, starts = self._read(doc)
        if len(self._many):
            self._add_many(doc, effects, starts)
        self._apply(doc, effects)
        return doc

    def _read(self, doc: Doc) -> tuple[list[int], list[int]]:
        """Each token's effect number, from its kind; and where a rule of several tokens may start."""
        known = self._known
        if len(known) > _MOST:
            known.clear()
        table = np.ascontiguousarray(doc.to_array(self._key_ids).reshape(len(doc), -1))
        keys = _rows(table)
        unknown: dict[bytes, int] = {}  # each new kind, and a token of it
        for i, key in enumerate(keys):
            if key not in known:
                unknown.setdefault(key, i)
        if unknown:
            tokens = list(unknown.values())
            answers = [(group.first, group.answers(doc, table[tokens], tokens)) for group in self._groups]
            for n, key in enumerate(unknown):
                numbers = sorted({number for first, found in answers if not first for number in found[n]})
                starts = any(found[n] for first, found in answers if first)
                known[key] = (self._effect_of(tuple(numbers)), starts)
        found = [known[key] for key in keys]
        return [effect for effect, _ in found], [i for i, (_, first) in enumerate(found) if first]

    def _add_many(self, doc: Doc, effects: list[int], starts: list[int]) -> None:
        """The rules of several tokens, run as the ruler runs them (over the tokens where one may start, when that
        is known), added to the rules of the token each sets."""
        strings, indices = doc.vocab.strings, self.ruler.indices
        if self._longest:
            matches = {(label, span.start + at, span.start + end) for span in (doc[i:i + self._longest] for i in starts)
                       for label, at, end in self._many(span, allow_missing=True)}
        else:
            matches = set(self._many(doc, allow_missing=True))
        added: dict[int, set[int]] = {}
        for label, start, end in matches:
            number = int(strings[label])
            target = range(start, end)[indices[number]]  # as the ruler's span[index]; out of range raises
            added.setdefault(target, set()).add(number)
        if not added:
            return
        for target, numbers in added.items():
            effects[target] = self._effect_of(tuple(sorted({*self._rules_of[effects[target]], *numbers})))

    def _apply(self, doc: Doc, effects: list[int]) -> None:
        """Each token's effect: the array attributes written once for the whole document, anything else (rare)
        token by token."""
        index = np.array(effects)
        mask = self._masks[index]
        if mask.any():
            table = doc.to_array(list(_ARRAYS))
            table[mask] = self._values[index][mask]
            columns = np.flatnonzero(mask.any(axis=0)).tolist()
            doc.from_array([_ARRAYS[c] for c in columns], cast(Ints2d, table[:, columns]))
        for i in np.flatnonzero(self._others[index]).tolist():
            for attrs in self._effects[effects[i]][2]:
                set_token_attrs(doc[i], attrs)

    def _effect_of(self, numbers: tuple[int, ...]) -> int:
        """The number of the effect of the rules ``numbers`` (ascending) set one after another on a token: the last
        value of each array attribute, and the rest (extensions, other attributes) to set in order."""
        found = self._numbers.get(numbers)
        if found is not None:
            return found
        values, mask = np.zeros(len(_ARRAYS), dtype=np.uint64), np.zeros(len(_ARRAYS), dtype=bool)
        others: list[dict[Any, Any]] = []
        for number in numbers:
            rest = {}
            for attribute, value in self.ruler.attrs[number].items():
                if attribute in _ARRAYS:
                    column = _ARRAYS.index(attribute)
                    values[column], mask[column] = value, True
                else:
                    rest[attribute] = value
            if rest:
                others.append(rest)
        self._effects.append((values, mask, tuple(others)))
        self._rules_of.append(numbers)
        self._values = np.array([effect[0] for effect in self._effects], dtype=np.uint64)
        self._masks = np.array([effect[1] for effect in self._effects], dtype=bool)
        self._others = np.array([bool(effect[2]) for effect in self._effects], dtype=bool)
        found = self._numbers[numbers] = len(self._effects) - 1
        return found


class _Group:
    """Rules of one token testing the same attributes, their answers kept by those attributes' values. A token of a
    kind not met before is asked only of the groups whose part of its kind is new (the tag's rules know every tag
    soon), and not at all when the group's gate (the words, tags... its rules ask for) shuts it out; the rest are
    asked of the rules themselves, through a Matcher of them, run once over a document of the tokens to ask."""

    def __init__(self, ruler: AttributeRuler, tested: list[str], kind: tuple[bool, frozenset[str], str],
                 rules: dict[str, list[list[dict[str, Any]]]]) -> None:
        self.first, names, gate = kind
        self.vocab = ruler.vocab
        self.matcher = Matcher(ruler.vocab)
        for label, patterns in rules.items():
            self.matcher.add(label, patterns)
        self.columns = [n for n, name in enumerate(tested) if name in names]
        self.copied = [IDS[name] for name in _TOKEN if name in names]  # the token's own attributes the rules test
        self.gate: tuple[int, np.ndarray] | None = None
        if gate:
            values = {value for patterns in rules.values() for pattern in patterns
                      for value in _asked(pattern[0][gate]) or ()}
            self.gate = (sorted(names).index(gate), np.array(sorted(get_string_id(v) for v in values), np.uint64))
        self.known: dict[bytes, tuple[int, ...]] = {}

    def answers(self, doc: Doc, kinds: np.ndarray, tokens: list[int]) -> list[tuple[int, ...]]:
        """The numbers of this group's rules that match each of ``kinds`` (rows of the key's values; ``tokens``: a
        token of each)."""
        known = self.known
        if len(known) > _MOST:
            known.clear()
        values = np.ascontiguousarray(kinds[:, self.columns])
        parts = _rows(values)
        shut = [False] * len(parts) if self.gate is None else \
            (~np.isin(values[:, self.gate[0]], self.gate[1])).tolist()  # none of its rules asks for this value
        ask: dict[bytes, int] = {}
        for part, i, out in zip(parts, tokens, shut, strict=True):
            if part in known or part in ask:
                continue
            if out:
                known[part] = ()
            else:
                ask[part] = i
        if ask:
            for part, numbers in zip(ask, self._ask(doc, list(ask.values())), strict=True):
                known[part] = numbers
        return [known[part] for part in parts]

    def _ask(self, doc: Doc, tokens: list[int]) -> list[tuple[int, ...]]:
        """The group's rules run over a document of the words of ``tokens``, with their own attributes copied."""
        strings = self.vocab.strings
        words = [strings[orth] for orth in doc.to_array([ORTH])[tokens].tolist()]
        asked = Doc(self.vocab, words=words, spaces=[False] * len(words))
        if self.copied:
            asked.from_array(self.copied, cast(Ints2d, doc.to_array(self.copied).reshape(len(doc), -1)[tokens]))
        found: list[list[int]] = [[] for _ in tokens]
        for label, at, _ in self.matcher(asked, allow_missing=True):
            found[at].append(int(strings[label]))
        return [tuple(sorted(numbers)) for numbers in found]


def _rows(table: np.ndarray) -> list[bytes]:
    """Each row of a contiguous table as bytes: a key that costs the collector nothing to keep."""
    raw, width = table.tobytes(), table.shape[1] * table.itemsize
    return [raw[at:at + width] for at in range(0, len(raw), width)]


def _kind(first: bool, token: dict[str, Any]) -> tuple[bool, frozenset[str], str]:
    """A rule token's group: whether it is a first token, the attributes it tests, and its gate (or "")."""
    gate = next((name for name in _GATES if name in token and _asked(token[name]) is not None), "")
    return first, frozenset(token), gate


def _asked(value: Any) -> list[str] | None:
    """The strings a token pattern's value asks for, one or ``IN`` some; None when it is a test of another kind."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and list(value) == ["IN"] and all(isinstance(v, str) for v in value["IN"]):
        return list(value["IN"])
    return None


def _split(patterns: Iterable[list[dict[str, Any]]]) -> tuple[list[list[dict[str, Any]]], list[list[dict[str, Any]]]]:
    """A rule's patterns of one token testing only keyable attributes, and the others."""
    one: list[list[dict[str, Any]]] = []
    many: list[list[dict[str, Any]]] = []
    for pattern in patterns:
        (one if len(pattern) == 1 and set(pattern[0]) <= _KEYS else many).append(pattern)
    return one, many


@Language.factory("kept_rules")
def _kept_rules(nlp: Language, name: str) -> KeptRules:
    return KeptRules(own(nlp, "attribute_ruler", AttributeRuler))


def keep_rules(nlp: Language) -> None:
    """Put :class:`KeptRules` in the place of the pipeline's attribute ruler, when it is spaCy's own."""
    stand_in(nlp, "attribute_ruler", AttributeRuler, "kept_rules")
