"""ECB+ event mentions → :class:`EventMentionFeatures`, the pair model fit, and the same-lemma baseline.

spaCy (the analyze stage's model) parses each document once; a mention's lemma is the lemma of its
head word (the last verb or noun of the span), its arguments the entity keys (watchfloor's entity
stage) and the noun, name and number lemmas of its sentence, and its sentence is embedded with
MiniLM. Gold mentions, predicted document clusters (stories) as blocking groups.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from watchfloor.analyze.embeddings import SentenceEmbedder
from watchfloor.link.event_coref import EventCorefOptions, EventMentionFeatures, pair_features

from .linking_ecb import EcbDoc, EcbMention

_CONTENT_POS = {"NOUN", "PROPN", "NUM"}


@dataclass(frozen=True)
class ParsedDoc:
    """What the benchmark keeps of one spaCy parse: tokens with offsets, lemma and tag, and entity keys."""

    tokens: tuple[tuple[int, int, str, str], ...]  # start, end, lemma, pos
    entities: tuple[tuple[str, int, int], ...]  # key, start, end


def _head(doc: EcbDoc, parsed: ParsedDoc, mention: EcbMention) -> tuple[str, int, int]:
    start = doc.token_offsets[mention.token_start][0]
    end = doc.token_offsets[mention.token_end - 1][1]
    inside = [t for t in parsed.tokens if t[0] >= start and t[1] <= end]
    if not inside:
        return doc.tokens[mention.token_start].lower(), start, end
    content = [t for t in inside if t[3] in {"VERB", "NOUN", "ADJ", "PROPN"}]
    return (content or inside)[-1][2].lower(), start, end


def mention_features(docs: Sequence[EcbDoc], parsed: Mapping[str, ParsedDoc], groups: Mapping[str, str],
                     embedder: SentenceEmbedder) -> list[tuple[EcbMention, EventMentionFeatures]]:
    """Features of every gold event mention of the given documents, in document order."""
    raw = []
    for doc in docs:
        p = parsed[doc.name]
        for mention in doc.mentions:
            lemma, start, end = _head(doc, p, mention)
            sentence = [i for i, s in enumerate(doc.token_sentences) if s == mention.sentence]
            s_start = min(doc.token_offsets[i][0] for i in sentence)
            s_end = max(doc.token_offsets[i][1] for i in sentence)
            arguments = {f"@{key}" for key, a, b in p.entities if a >= s_start and b <= s_end and not (a < end and start < b)}
            arguments |= {lemma_.lower() for a, b, lemma_, pos in p.tokens
                          if pos in _CONTENT_POS and s_start <= a and b <= s_end and not (a < end and start < b)}
            raw.append((doc, mention, lemma, doc.text[s_start:s_end], (start - s_start, end - s_start),
                        frozenset(arguments)))
    sentences = sorted({r[3] for r in raw})
    lemmas = sorted({r[2] for r in raw})
    sentence_vectors = dict(zip(sentences, embedder.embed(sentences), strict=True))
    lemma_vectors = dict(zip(lemmas, embedder.embed(lemmas), strict=True))
    contexts = embedder.embed_spans([r[3] for r in raw], [r[4] for r in raw])
    return [(m, EventMentionFeatures(m.id, doc.name, lemma, groups.get(doc.name, ""), lemma_vectors[lemma],
                                     sentence_vectors[sentence], context, arguments))
            for (doc, m, lemma, sentence, _, arguments), context in zip(raw, contexts, strict=True)]


def same_lemma_baseline(mentions: Sequence[EventMentionFeatures]) -> dict[str, str]:
    """The classic baseline: mentions with one head lemma in one document cluster are one event."""
    return {m.mention_id: f"{m.group}|{m.lemma}" for m in mentions}


def fit_pair_model(mentions: Sequence[tuple[EcbMention, EventMentionFeatures]], steps: int = 50) -> EventCorefOptions:
    """Logistic regression on mention pairs within a blocking group (gold coreference as labels)."""
    by_topic: dict[str, list[tuple[EcbMention, EventMentionFeatures]]] = {}
    for pair in mentions:
        by_topic.setdefault(pair[1].group, []).append(pair)
    rows, labels = [], []
    for members in by_topic.values():
        for i, (gold_a, a) in enumerate(members):
            for gold_b, b in members[i + 1 :]:
                rows.append(pair_features(a, b))
                labels.append(1.0 if gold_a.gold == gold_b.gold else 0.0)
    x, y = np.array(rows), np.array(labels)
    sample_weight = np.full(len(y), 1.0 / len(y))
    design = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(design.shape[1])
    for _ in range(steps):  # Newton steps (IRLS) with a little ridge
        p = 1 / (1 + np.exp(-np.clip(design @ beta, -30, 30)))
        gradient = design.T @ (sample_weight * (p - y)) + 1e-3 * beta
        hessian = (design * (sample_weight * p * (1 - p))[:, None]).T @ design + 1e-3 * np.eye(len(beta))
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    return EventCorefOptions(weights=tuple(round(float(v), 2) for v in beta[:-1]), bias=round(float(beta[-1]), 2))
