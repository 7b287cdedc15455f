"""Putting a faster component of ours in the place of one of spaCy's own, with the same output (``lemmas.py``,
``ruler.py``): only where the pipeline's component is spaCy's, set up as ours expects; anywhere else it stays."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from spacy.language import Language

__all__ = ["own", "stand_in"]

P = TypeVar("P")


def stand_in(nlp: Language, replaced: str, kind: type[P], component: str,
             usable: Callable[[P], bool] = lambda _: True) -> None:
    """Add ``component`` after the pipeline's ``replaced`` and disable that one, when it is a ``kind`` that ours
    can stand in for (``usable``)."""
    if replaced not in nlp.pipe_names:
        return
    pipe = nlp.get_pipe(replaced)
    if not isinstance(pipe, kind) or not usable(pipe):
        return
    nlp.add_pipe(component, after=replaced)
    nlp.disable_pipe(replaced)


def own(nlp: Language, name: str, kind: type[P]) -> P:
    """The pipeline's component ``name``, which :func:`stand_in` found to be a ``kind``."""
    pipe = nlp.get_pipe(name)
    assert isinstance(pipe, kind)  # stand_in adds a stand-in only then
    return pipe
