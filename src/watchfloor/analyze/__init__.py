"""Analyze: one :class:`Document` → one :class:`DocumentAnalysis`, a pure function of the text.

spaCy runs in batches (``nlp.pipe``); every stage after it reads the parsed ``Doc`` and is cheap by
comparison. See README.md in this folder for the rule every module here follows.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np
from spacy.tokens import Doc

from ..errors import DependencyError
from ..ingest.language import ENGLISH
from ..model import Document, DocumentAnalysis, Span
from .claims import extract_claims
from .dates import extract_dates
from .entities import extract_mentions
from .geo import extract_places
from .nlp import pipe, remember_text, sentences_of, text_of
from .quantities import extract_quantities

__all__ = ["ANALYZER_VERSION", "AnalyzeOptions", "analyze_documents", "analyze_parsed", "lead_text", "not_analysed",
           "with_embeddings"]

#: bump when the output of analysis changes; ``watchfloor reanalyze`` redoes what an older version stored
#: (3: polarity "uncommitted", rebuttals as denials, the outlet's own forecasts and plans as claims;
#: 4: the title-and-lead embedding is part of the analysis;
#: 5: casualty figures, numbers in words and with space separators, elided counted nouns, ranges as approximate;
#: entity keys shared by spelling variants, capitals as their country, described state bodies, teams, acronyms,
#: exercise names; event frames and a wider event lexicon; text not in English is not analysed;
#: 6: the embedding model's weight products run on integers, which moves the vectors slightly)
ANALYZER_VERSION = 6


@dataclass(frozen=True)
class AnalyzeOptions:
    model: str = ""
    processes: int = 1
    batch_size: int = 32
    #: the title-and-lead embedding story linking weighs in (off: words and names only)
    embeddings: bool = True


def analyze_parsed(document: Document, doc: Doc) -> DocumentAnalysis:
    """Everything after spaCy, for one document."""
    remember_text(doc, document.text)
    anchor = document.published.date() if document.published else None
    text = text_of(doc)  # a sentence's text sliced, not joined from its tokens: the same string
    sentences = tuple(Span(document.id, s.start_char, s.end_char, text[s.start_char : s.end_char])
                      for s in sentences_of(doc))
    mentions = extract_mentions(doc, document.id)
    dates = extract_dates(doc, document.id, anchor)
    quantities = extract_quantities(doc, document.id)
    places = extract_places(doc, document.id, mentions)
    attributions, events, claims = extract_claims(doc, document, mentions, dates, quantities, places)
    return DocumentAnalysis(
        doc_id=document.id,
        sentences=sentences,
        mentions=mentions,
        dates=dates,
        quantities=quantities,
        places=places,
        attributions=attributions,
        events=events,
        claims=claims,
    )


def lead_text(document: Document, analysis: DocumentAnalysis) -> str:
    """The title and the first two sentences: what the story embedding is computed from."""
    end = analysis.sentences[1].end if len(analysis.sentences) > 1 else 400
    return f"{document.title}. {document.text[:end]}"


def with_embeddings(pairs: Sequence[tuple[Document, DocumentAnalysis]]) -> list[tuple[Document, DocumentAnalysis]]:
    """The analyses with their title-and-lead embeddings (the model reads English: a text not analysed gets
    none); unchanged when the embedding packages are absent."""
    wanted = [i for i, (_, a) in enumerate(pairs) if a.not_analysed is None]
    try:
        from .embeddings import default_embedder

        vectors = default_embedder().embed([lead_text(*pairs[i]) for i in wanted])
    except (DependencyError, ImportError):
        return list(pairs)
    out = list(pairs)
    for i, vector in zip(wanted, vectors, strict=True):
        document, analysis = out[i]
        out[i] = (document, replace(analysis, embedding=np.asarray(vector, dtype=np.float32).tobytes()))
    return out


def not_analysed(document: Document) -> DocumentAnalysis | None:
    """The empty analysis of a document the English pipeline cannot read, saying why; None for English.
    Run through an English model, other languages yield junk entities and claims."""
    if document.language == ENGLISH:
        return None
    return DocumentAnalysis(doc_id=document.id,
                            not_analysed=f"language '{document.language}': only English text is analysed")


def analyze_documents(documents: Iterable[Document], options: AnalyzeOptions = AnalyzeOptions()) -> Iterator[
        tuple[Document, DocumentAnalysis]]:
    """Analyse documents in spaCy batches, yielding each with its analysis in input order."""
    pending: deque[Document] = deque()
    done: list[tuple[Document, DocumentAnalysis]] = []

    def texts() -> Iterator[str]:
        for document in documents:
            pending.append(document)
            yield document.text if document.language == ENGLISH else ""  # not parsed: keeps the order

    for doc in pipe(texts(), options.model, options.processes, options.batch_size):
        document = pending.popleft()  # nlp.pipe keeps input order
        done.append((document, not_analysed(document) or analyze_parsed(document, doc)))
        if len(done) >= options.batch_size:
            yield from with_embeddings(done) if options.embeddings else done
            done = []
    yield from with_embeddings(done) if options.embeddings else done
