"""NER: CoNLL-2003 eng.testb and CoNLL++ test — exact-span micro F1 (conlleval semantics), PER/ORG/LOC/MISC.

Each document (the sentences between two ``-DOCSTART-`` lines) is fed as one text: the tokens of a
sentence joined by spaces, one sentence a line. Predicted character spans are aligned back to the gold
tokens. Baseline, run side by side: the raw spaCy model (plain ``spacy.load``, same model) with a fixed
label mapping. watchfloor: ``load_nlp()`` + ``extract_mentions``, whose labels go through the same
mapping. Rules were tuned on eng.testa (dev) only.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.tokens import Doc

from watchfloor.analyze.entities import extract_mentions
from watchfloor.analyze.nlp import DEFAULT_MODELS, load_nlp

from ..common import require
from .scoring import PRF, row

TASK = "ner"
TYPES = ("PER", "ORG", "LOC", "MISC")
#: the fixed mapping from spaCy's OntoNotes labels to CoNLL types; numeric types are dropped
LABEL_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "MISC",
             "EVENT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC", "LANGUAGE": "MISC", "PRODUCT": "MISC"}
BASELINE_NAME = "raw spaCy model, fixed label mapping"

#: (start token, end token, type), end exclusive, token indices over the whole document
Chunk = tuple[int, int, str]


@dataclass(frozen=True)
class ConllDocument:
    sentences: tuple[tuple[str, ...], ...]
    tags: tuple[tuple[str, ...], ...]

    def text_and_offsets(self) -> tuple[str, list[int], list[int]]:
        """The text fed to the models, with each token's start and end character."""
        starts: list[int] = []
        ends: list[int] = []
        lines = []
        position = 0
        for sentence in self.sentences:
            for i, token in enumerate(sentence):
                position += 1 if i else 0
                starts.append(position)
                position += len(token)
                ends.append(position)
            lines.append(" ".join(sentence))
            position += 1  # the newline
        return "\n".join(lines), starts, ends

    def gold(self) -> set[Chunk]:
        chunks: set[Chunk] = set()
        offset = 0
        for tags in self.tags:
            chunks.update((s + offset, e + offset, t) for s, e, t in chunks_of(tags))
            offset += len(tags)
        return chunks


def chunks_of(tags: Iterable[str]) -> list[Chunk]:
    """Entity chunks from IOB1 or IOB2 tags, as conlleval reads them."""
    chunks: list[Chunk] = []
    start, kind = -1, ""
    tags = list(tags)
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        begins = prefix == "B" or (prefix == "I" and label != kind)
        if kind and (prefix == "O" or begins):
            chunks.append((start, i, kind))
            kind = ""
        if prefix in {"B", "I"} and begins:
            start, kind = i, label
    return chunks


def read_conll(path: Path) -> list[ConllDocument]:
    return parse_conll(path.read_text(encoding="utf-8"))


def parse_conll(text: str) -> list[ConllDocument]:
    """Documents from CoNLL lines (``WORD ... TAG``, blank line between sentences, ``-DOCSTART-`` between
    documents)."""
    documents: list[ConllDocument] = []
    sentences: list[tuple[str, ...]] = []
    tags: list[tuple[str, ...]] = []
    words: list[str] = []
    labels: list[str] = []

    def end_sentence() -> None:
        if words:
            sentences.append(tuple(words))
            tags.append(tuple(labels))
            words.clear()
            labels.clear()

    def end_document() -> None:
        end_sentence()
        if sentences:
            documents.append(ConllDocument(tuple(sentences), tuple(tags)))
            sentences.clear()
            tags.clear()

    for line in text.splitlines():
        parts = line.split()
        if not parts:
            end_sentence()
        elif parts[0] == "-DOCSTART-":
            end_document()
        else:
            words.append(parts[0])
            labels.append(parts[-1])
    end_document()
    return documents


def align(spans: Iterable[tuple[int, int, str]], starts: list[int], ends: list[int]) -> set[Chunk]:
    """Character spans → token chunks (a span that cuts a token takes the whole token); overlaps keep the first."""
    chunks: set[Chunk] = set()
    used: set[int] = set()
    for start_char, end_char, kind in sorted(spans, key=lambda s: (s[0], -s[1])):
        first = bisect.bisect_right(starts, start_char) - 1
        last = bisect.bisect_left(ends, end_char)
        first = max(first, 0)
        if first < len(ends) and ends[first] <= start_char:
            first += 1
        last = min(last, len(ends) - 1)
        if last < first or any(i in used for i in range(first, last + 1)):
            continue
        used.update(range(first, last + 1))
        chunks.add((first, last + 1, kind))
    return chunks


def baseline_spans(doc: Doc) -> list[tuple[int, int, str]]:
    return [(e.start_char, e.end_char, LABEL_MAP[e.label_]) for e in doc.ents if e.label_ in LABEL_MAP]


def watchfloor_spans(doc: Doc) -> list[tuple[int, int, str]]:
    return [(m.span.start, m.span.end, LABEL_MAP[m.label]) for m in extract_mentions(doc, "conll")
            if m.label in LABEL_MAP]


@dataclass
class Scores:
    total: PRF
    by_type: dict[str, PRF]

    def add(self, predicted: set[Chunk], gold: set[Chunk]) -> None:
        self.total.tp += len(predicted & gold)
        self.total.fp += len(predicted - gold)
        self.total.fn += len(gold - predicted)
        for kind in TYPES:
            p = {c for c in predicted if c[2] == kind}
            g = {c for c in gold if c[2] == kind}
            prf = self.by_type[kind]
            prf.tp += len(p & g)
            prf.fp += len(p - g)
            prf.fn += len(g - p)


def new_scores() -> Scores:
    return Scores(PRF(), {kind: PRF() for kind in TYPES})


def predictions(documents: list[ConllDocument], docs: Iterable[Doc],
                spans_of: Callable[[Doc], list[tuple[int, int, str]]]) -> list[set[Chunk]]:
    found = []
    for document, doc in zip(documents, docs, strict=True):
        _, starts, ends = document.text_and_offsets()
        found.append(align(spans_of(doc), starts, ends))
    return found


def score(documents: list[ConllDocument], predicted: list[set[Chunk]]) -> Scores:
    scores = new_scores()
    for document, chunks in zip(documents, predicted, strict=True):
        scores.add(chunks, document.gold())
    return scores


def run(data: Path) -> list[dict]:
    folder = require(data / "conll2003")
    test = read_conll(folder / "eng.testb.iob2.txt")
    corrected = read_conll(folder / "conllpp_test.txt")
    texts = [d.text_and_offsets()[0] for d in test]
    bare = spacy.load(next(n for n in DEFAULT_MODELS if spacy.util.is_package(n)))
    ours = predictions(test, load_nlp().pipe(texts, batch_size=16), watchfloor_spans)
    base = predictions(test, bare.pipe(texts, batch_size=16), baseline_spans)
    rows = []
    for label, documents in (("CoNLL-2003 eng.testb", test), ("CoNLL++ test", corrected)):
        ours_scores, base_scores = score(documents, ours), score(documents, base)
        rows.append(row(TASK, label, "micro F1", ours_scores.total.f1, base_scores.total.f1, BASELINE_NAME))
        rows.append(row(TASK, label, "precision", ours_scores.total.precision, base_scores.total.precision,
                        BASELINE_NAME))
        rows.append(row(TASK, label, "recall", ours_scores.total.recall, base_scores.total.recall, BASELINE_NAME))
        for kind in TYPES:
            rows.append(row(TASK, label, f"{kind} F1", ours_scores.by_type[kind].f1, base_scores.by_type[kind].f1,
                            BASELINE_NAME))
    return rows
