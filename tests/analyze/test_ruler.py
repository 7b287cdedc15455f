"""The kept rules are the attribute ruler's own: whole parses with and without them are the same to the byte."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from watchfloor.analyze.nlp import load_nlp
from watchfloor.analyze.ruler import KeptRules
from watchfloor.ingest import read_paths
from watchfloor.model import Document

from .stand_ins import assert_the_models_own

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "watchfloor" / "data" / "samples"
#: the model's rules of several tokens and its exceptions: contractions, "gonna", an expletive "there"
ODD = ["Y'all gonna come? There is a man there, and there're two. Let's go, c'mon! I ain't gotta.",
       "", "   ", "\n\nThere's   one.\n", "They're running, ran and will run: the runs were run."]


def test_the_pipeline_keeps_rules_in_place_of_the_attribute_ruler() -> None:
    names = load_nlp().pipe_names
    assert "kept_rules" in names and "attribute_ruler" not in names
    assert names.index("kept_rules") == names.index("parser") + 1


def test_parses_are_the_models_own_to_the_byte() -> None:
    assert_the_models_own("kept_rules", "attribute_ruler",
                          [d.text for d in read_paths([SAMPLES]) if isinstance(d, Document)] + ODD)


def _ruled(rules: list[tuple[list[list[dict[str, object]]], dict[str, object], int]]) -> Language:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    for patterns, attrs, index in rules:
        ruler.add(patterns, attrs, index=index)  # type: ignore[attr-defined]
    return nlp


@pytest.mark.parametrize("rules", [
    # later rules win; a rule with a quantifier runs over the whole document; a test of the text runs as it is
    [([[{"LOWER": "the"}]], {"LEMMA": "first"}, 0),
     ([[{"IS_DIGIT": True}]], {"MORPH": "NumType=Card", "POS": "NUM"}, 0),
     ([[{"LOWER": {"IN": ["the", "a"]}}]], {"LEMMA": "second", "POS": "DET"}, 0),
     ([[{"LOWER": "new"}, {"LOWER": "york", "OP": "?"}]], {"POS": "PROPN"}, -1),
     ([[{"TEXT": {"REGEX": "^[A-Z]"}}]], {"NORM": "capital"}, 0)],
    # rules of fixed length, kept by where they may start; one sets an attribute that is not an array
    [([[{"LENGTH": {">": 3}}]], {"LEMMA": "long"}, 0),
     ([[{"LOWER": "new"}, {"LOWER": "york"}]], {"LEMMA": "NYC"}, 1),
     ([[{"SHAPE": "dd"}, {"LOWER": "the"}]], {"NORM": "the-after-a-number"}, -1)],
])
def test_other_rules_give_the_rulers_answers(rules: list[tuple[list[list[dict[str, object]]], dict[str, object], int]]) -> None:
    nlp = _ruled(rules)
    kept = KeptRules(nlp.get_pipe("attribute_ruler"))  # type: ignore[arg-type]
    texts = ["The 12 the new York times, New York and a new yorker.", "Nothing here.", "A 55 the the a 7"] * 2
    for text in texts:
        plain, ours = nlp(text), nlp.make_doc(text)
        kept(ours)
        assert ours.to_bytes() == plain.to_bytes(), text
        assert [t.norm_ for t in ours] == [t.norm_ for t in plain]


def test_an_empty_document_is_left_as_it_is() -> None:
    nlp = _ruled([([[{"LOWER": "the"}]], {"LEMMA": "first"}, 0)])
    doc = Doc(nlp.vocab, words=[])
    assert KeptRules(nlp.get_pipe("attribute_ruler"))(doc) is doc  # type: ignore[arg-type]
