"""Whole parses with one of our stand-ins for a spaCy component, and with spaCy's own (``analyze/stand_ins.py``)."""

from __future__ import annotations

import spacy
from spacy.language import Language

from watchfloor.analyze.nlp import DEFAULT_MODELS


def bare() -> Language:
    """The installed model as spaCy ships it."""
    return spacy.load(next(n for n in DEFAULT_MODELS if spacy.util.is_package(n)))


def assert_the_models_own(component: str, replaced: str, texts: list[str]) -> None:
    """Every text, twice (the second time every answer comes from what was kept), parses to the same bytes with
    ``component`` in the place of ``replaced``, and the shared vocabulary gains nothing."""
    plain_nlp, kept_nlp = bare(), bare()
    kept_nlp.add_pipe(component, after=replaced)
    kept_nlp.disable_pipe(replaced)
    twice = texts + texts
    pairs = list(zip(plain_nlp.pipe(twice, batch_size=8), kept_nlp.pipe(twice, batch_size=8), strict=True))
    assert len(pairs) > 40
    for plain, ours in pairs:
        assert ours.to_bytes() == plain.to_bytes(), plain.text[:80]
    assert len(kept_nlp.vocab.strings) == len(plain_nlp.vocab.strings)
