"""spaCy's lemmatizer, asked once per word form: the same lemmas at a fraction of the cost.

spaCy's rule lemmatizer visits every token as a Python object, reads its morphology as an object, and keeps only
some of its answers (a base form, "says" as a singular noun, is worked out again at every occurrence): about a
tenth of the parse of a news story (13.9 ms of 138 on the VOA stories). Its answer is a pure function of the word's
form, its part of speech and its morphology (``rule`` mode; ``lookup`` mode reads the form alone), so this component
reads those three as integer arrays, keeps each answer by them, and writes the lemmas back as one array. It asks the
model's own lemmatizer for every combination it has not seen, so the lemmas are the model's to the byte
(``tests/analyze/test_lemmas.py`` compares whole parses with and without it). That lemmatizer searches its index of
base forms as sets rather than lists (:func:`_index_as_sets`): a word not met before then costs 9 us, not 170.
"""

from __future__ import annotations

from typing import cast

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc
from thinc.types import Ints2d

from .stand_ins import own, stand_in

__all__ = ["KeptLemmas", "keep_lemmas"]

#: the modes whose answer depends on the form, part of speech and morphology alone
_PURE_MODES = {"rule", "lookup"}
#: answers kept at most (a long-running watcher meets new forms for ever); the set starts again when full
_MOST = 200_000


class KeptLemmas:
    """The lemmatizer component, its answers kept by (form, part of speech, morphology)."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self._known: dict[tuple[int, int, int], int] = {}
        lemmatizer(Doc(lemmatizer.vocab, words=[]))  # its own first call checks its tables
        _index_as_sets(lemmatizer)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        table = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = cast(Ints2d, table[:, 3:4].copy())
        known, overwrite = self._known, self.lemmatizer.overwrite
        if len(known) > _MOST:
            known.clear()
        add, lemmatize = doc.vocab.strings.add, self.lemmatizer.lemmatize
        for i, (orth, pos, morph, lemma) in enumerate(table.tolist()):
            if lemma and not overwrite:
                continue  # set before (the attribute ruler's exceptions), as the lemmatizer leaves it
            key = (orth, pos, morph)
            found = known.get(key)
            if found is None:
                found = known[key] = add(lemmatize(doc[i])[0])
            lemmas[i, 0] = found
        doc.from_array([LEMMA], lemmas)
        return doc


def _index_as_sets(lemmatizer: Lemmatizer) -> None:
    """The lemmatizer's index of known base forms, each part of speech's a set where it was a list. Its rules ask
    whether each candidate form is among them, and a list of 57,000 nouns is read through to say no: 160 us for
    each word not met before, most of a cold lemmatizer's time. The answers are the same; the lemmatizer is ours to
    change, as only this component calls it."""
    index = lemmatizer.lookups.get_table("lemma_index", None)
    if index is None:
        return
    for key, forms in list(index.items()):
        if isinstance(forms, list | tuple):
            index[key] = frozenset(forms)


@Language.factory("kept_lemmas")
def _kept_lemmas(nlp: Language, name: str) -> KeptLemmas:
    return KeptLemmas(own(nlp, "lemmatizer", Lemmatizer))


def keep_lemmas(nlp: Language) -> None:
    """Put :class:`KeptLemmas` in the place of the pipeline's lemmatizer, when it is spaCy's own in a pure mode."""
    stand_in(nlp, "lemmatizer", Lemmatizer, "kept_lemmas", lambda lemmatizer: lemmatizer.mode in _PURE_MODES)
