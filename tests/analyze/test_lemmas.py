"""The kept lemmas are the model's own: whole parses with and without them are the same to the byte."""

from __future__ import annotations

from pathlib import Path

from spacy.attrs import LEMMA

from watchfloor.analyze.lemmas import KeptLemmas
from watchfloor.analyze.nlp import load_nlp
from watchfloor.ingest import read_paths
from watchfloor.model import Document

from .stand_ins import assert_the_models_own, bare

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "watchfloor" / "data" / "samples"


def test_the_pipeline_keeps_lemmas_in_place_of_the_lemmatizer() -> None:
    nlp = load_nlp()
    assert "kept_lemmas" in nlp.pipe_names and "lemmatizer" not in nlp.pipe_names
    assert nlp.pipe_names.index("kept_lemmas") == nlp.pipe_names.index("kept_rules") + 1


def test_parses_are_the_models_own_to_the_byte() -> None:
    texts = [d.text for d in read_paths([SAMPLES]) if isinstance(d, Document)]
    texts += ["", "   ", "Says who? She says the ministers were meeting; he said he'd met them.",
              "They're running, ran and will run: the runs were run."]
    assert_the_models_own("kept_lemmas", "lemmatizer", texts)


def test_a_lemma_set_before_is_left_unless_the_lemmatizer_overwrites() -> None:
    nlp = bare()
    lemmatizer = nlp.get_pipe("lemmatizer")
    component = KeptLemmas(lemmatizer)
    doc = nlp.make_doc("The ministers were meeting")
    for name in ("tok2vec", "tagger", "attribute_ruler"):
        doc = nlp.get_pipe(name)(doc)
    doc[1].lemma_ = "kept"
    assert [t.lemma_ for t in component(doc)][1] == "kept"
    lemmatizer.overwrite = True
    doc[1].lemma_ = "kept"
    assert [t.lemma_ for t in component(doc)][1] == "minister"
    assert doc.to_array([LEMMA]).all()
