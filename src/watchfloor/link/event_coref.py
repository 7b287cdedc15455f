"""Cross-document event coreference: mentions of one real event, across documents, become one cluster.

Each event mention is described by its trigger lemma (and an embedding of that lemma), the trigger's
contextual vector in its sentence (the strongest cue), an embedding of the sentence, the arguments around it (entity keys, nouns, numbers), its date when known, and a
blocking group (the story its document belongs to; mentions in different groups never corefer). A
logistic pair model scores two mentions; a new mention joins the cluster with the best mean score
over (at most ``max_members`` of) its members when that score clears the threshold, else starts one.

The default weights were fitted on the ECB+ training topics (1–35) with gold mentions; see
``bench/linking.py --tune-events``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

__all__ = [
    "FEATURES",
    "EventClusterRow",
    "EventCorefIndex",
    "EventCorefOptions",
    "EventLink",
    "EventMentionFeatures",
    "cluster_mentions",
    "pair_features",
]

#: names of the pair features, in the order of ``EventCorefOptions.weights``
FEATURES = ("same_lemma", "lemma_similarity", "sentence_similarity", "argument_overlap", "same_document",
            "shared_arguments", "trigger_context_similarity")


@dataclass(frozen=True, eq=False)
class EventMentionFeatures:
    mention_id: str
    doc_id: str
    lemma: str
    group: str = ""  # blocking key: the story of the document
    lemma_embedding: np.ndarray | None = None
    sentence_embedding: np.ndarray | None = None
    #: the trigger's contextual vector in its sentence (``SentenceEmbedder.embed_spans``)
    context_embedding: np.ndarray | None = None
    arguments: frozenset[str] = frozenset()
    date: date | None = None
    event_type: str | None = None  # when set, mentions of different types never corefer


@dataclass(frozen=True)
class EventCorefOptions:
    weights: tuple[float, ...] = (0.88, 1.78, -1.0, 0.21, -0.31, -0.07, 3.99)
    bias: float = -3.91
    #: join a cluster whose mean link probability reaches this
    threshold: float = 0.2
    #: members compared per candidate cluster (the most recent), so a big cluster costs no more
    max_members: int = 12
    #: dates further apart than this conflict
    date_tolerance_days: int = 1


@dataclass(frozen=True)
class EventLink:
    mention_id: str
    cluster_id: str
    score: float
    created: bool


@dataclass(frozen=True)
class EventClusterRow:
    """The stored form of one mention's membership; clusters are rebuilt from these rows in order."""

    mention_id: str
    doc_id: str
    cluster_id: str
    group: str
    lemma: str
    event_type: str | None
    date: str | None  # ISO date
    arguments: str  # "\x1f"-joined
    lemma_embedding: bytes
    sentence_embedding: bytes
    context_embedding: bytes
    score: float


def _bytes(vector: np.ndarray | None) -> bytes:
    return b"" if vector is None else vector.astype(np.float32).tobytes()


def _vector(data: bytes) -> np.ndarray | None:
    return np.frombuffer(data, dtype=np.float32).copy() if data else None


def _cosine(a: np.ndarray | None, b: np.ndarray | None) -> float:
    if a is None or b is None:
        return 0.0
    return float(a @ b)


def pair_features(a: EventMentionFeatures, b: EventMentionFeatures) -> np.ndarray:
    """The feature vector of a mention pair (see :data:`FEATURES`)."""
    same_lemma = 1.0 if a.lemma == b.lemma else 0.0
    lemma_similarity = _cosine(a.lemma_embedding, b.lemma_embedding)
    union = len(a.arguments | b.arguments)
    shared = len(a.arguments & b.arguments)
    return np.array([same_lemma, lemma_similarity, _cosine(a.sentence_embedding, b.sentence_embedding),
                     shared / union if union else 0.0, 1.0 if a.doc_id == b.doc_id else 0.0,
                     math.log1p(shared), _cosine(a.context_embedding, b.context_embedding)], dtype=np.float64)


class EventCorefIndex:
    """Incremental event clusters; ``add`` places one mention among those already seen."""

    def __init__(self, options: EventCorefOptions = EventCorefOptions()) -> None:
        self.options = options
        self._weights = np.asarray(options.weights, dtype=np.float64)
        self._clusters: dict[str, list[EventMentionFeatures]] = {}
        self._by_group: dict[tuple[str, str | None], list[str]] = defaultdict(list)
        self._rows: dict[str, EventClusterRow] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def probability(self, a: EventMentionFeatures, b: EventMentionFeatures) -> float:
        if a.event_type != b.event_type:
            return 0.0
        if a.date is not None and b.date is not None and abs((a.date - b.date).days) > self.options.date_tolerance_days:
            return 0.0
        z = float(self._weights @ pair_features(a, b)) + self.options.bias
        return 1.0 / (1.0 + math.exp(-z))

    def cluster_of(self, mention_id: str) -> str | None:
        row = self._rows.get(mention_id)
        return row.cluster_id if row else None

    def add(self, mention: EventMentionFeatures) -> EventLink:
        if mention.mention_id in self._rows:
            row = self._rows[mention.mention_id]
            return EventLink(row.mention_id, row.cluster_id, row.score, False)
        key = (mention.group, mention.event_type)
        best: tuple[str | None, float] = (None, 0.0)
        for cluster_id in self._by_group.get(key, ()):
            members = self._clusters[cluster_id][-self.options.max_members :]
            score = sum(self.probability(mention, m) for m in members) / len(members)
            if score > best[1]:
                best = (cluster_id, score)
        created = best[0] is None or best[1] < self.options.threshold
        cluster_id = f"event-{mention.mention_id}" if created else str(best[0])
        self._remember(mention, cluster_id, best[1] if not created else 0.0, key)
        return EventLink(mention.mention_id, cluster_id, round(best[1], 4), created)

    def _remember(self, mention: EventMentionFeatures, cluster_id: str, score: float,
                  key: tuple[str, str | None]) -> None:
        if cluster_id not in self._clusters:
            self._clusters[cluster_id] = []
            self._by_group[key].append(cluster_id)
        self._clusters[cluster_id].append(mention)
        self._rows[mention.mention_id] = EventClusterRow(
            mention.mention_id, mention.doc_id, cluster_id, mention.group, mention.lemma, mention.event_type,
            mention.date.isoformat() if mention.date else None, "\x1f".join(sorted(mention.arguments)),
            _bytes(mention.lemma_embedding),
            _bytes(mention.sentence_embedding), _bytes(mention.context_embedding), round(score, 4))

    def clusters(self) -> dict[str, list[str]]:
        return {cid: [m.mention_id for m in members] for cid, members in self._clusters.items()}

    def to_rows(self) -> list[EventClusterRow]:
        return list(self._rows.values())

    def row(self, mention_id: str) -> EventClusterRow:
        return self._rows[mention_id]

    @classmethod
    def from_rows(cls, rows: Iterable[EventClusterRow], options: EventCorefOptions = EventCorefOptions()
                  ) -> EventCorefIndex:
        index = cls(options)
        for r in rows:
            mention = EventMentionFeatures(
                r.mention_id, r.doc_id, r.lemma, r.group, _vector(r.lemma_embedding), _vector(r.sentence_embedding),
                _vector(r.context_embedding), frozenset(a for a in r.arguments.split("\x1f") if a),
                date.fromisoformat(r.date) if r.date else None, r.event_type)
            index._remember(mention, r.cluster_id, r.score, (r.group, r.event_type))
        return index


def cluster_mentions(mentions: Sequence[EventMentionFeatures], options: EventCorefOptions = EventCorefOptions()
                     ) -> dict[str, str]:
    """Cluster mentions in the given order; mention id → cluster id."""
    index = EventCorefIndex(options)
    return {m.mention_id: index.add(m).cluster_id for m in mentions}
