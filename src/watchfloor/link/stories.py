"""Incremental story clustering: each new document joins the closest live story or starts one.

A document is described by a :class:`StoryDoc`: a sentence embedding of its title and lead, a sparse
TF-IDF vector over content words and canonical entity keys, and its publication time. A story keeps
the sums of its members' vectors (centroids) and its first and last publication times.

Adding a document never scans the collection. Stories are found through an inverted index keyed by
(term, time bucket): only the document's most distinctive terms are looked up, only in the buckets
around its publication time, and postings that grew too common are skipped. The work per document
therefore depends on how many stories are live in its time window, not on the size of the store.

``add`` decides on arrival; :meth:`StoryLinker.consolidate` (after a batch) revisits the live window
and regroups its documents by average-link clustering over the same pair score, which repairs the
merges and splits that arrival order caused. Undated documents have no window: consolidating them
looks at (at most ``consolidate_limit``) all of them.

The linker runs in memory (benchmarks, one-off runs) or over a store: given a :class:`StoryStateReader`
(the store's writer), it reads only what the documents in hand touch — the statistics of their terms,
the postings of their terms in their time buckets, the stories those lead to, and for consolidation the
stories live in the batch's window — and ``drain_changes`` hands back exactly the rows to write.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from typing import Any, Protocol

import numpy as np
from threadpoolctl import ThreadpoolController

from ..model import Document, DocumentAnalysis
from ..store.rows import StoryMemberRow, StoryRow, TermRow

__all__ = [
    "StoryAssignment",
    "StoryDoc",
    "StoryLinker",
    "StoryMemberRow",
    "StoryOptions",
    "StoryRow",
    "StoryState",
    "StoryStateReader",
    "TermRow",
    "content_terms",
    "story_doc",
]

_STOPWORD_TEXT = """
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
hers herself him himself his how i if in into is it its itself just me more most my no nor not now of off on once
only or other our ours out over own same she should so some such than that the their theirs them then there these
they this those through to too under until up very was we were what when where which while who whom why will with
would you your said says say told according one two new also year years told since yet still many much per mr mrs
ms including however another could would may might must us its it's there's that's he's she's week weeks day days
monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow time times last first next
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_ALL_TIME = -1  # the bucket of the postings over all time (for undated documents)
_UNDATED = -2  # how the store writes the bucket of undated documents (``None`` here)
_EMPTY: frozenset[str] = frozenset()
_TOKEN = re.compile(r"([.!?\n:;\"“”])|([A-Za-z][A-Za-z'’-]*[A-Za-z]|\d[\d,.]*\d|\d)")


@cache
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def _one_blas_thread() -> Any:
    """The BLAS library kept to one thread for a product: a batch's pair scores are a few milliseconds of work, and
    OpenBLAS, given two threads, leaves the second spinning for about 50 ms after each product (up to 130; measured
    as processor time of the other threads), a core taken from the parsers. Each score is summed in the same order
    either way (the threads share out the rows), so the results are the same to the bit."""
    return _blas().limit(limits=1, user_api="blas")


def content_terms(text: str) -> tuple[Counter[str], Counter[str]]:
    """Counts of content words (lower-cased, stop words out) and, of those, the capitalised mid-sentence ones.

    A line in headline case ("Harbour Master Wins Appeal Over Pier Fees") names nothing by its capitals.
    """
    counts: dict[str, int] = {}  # counted as plain dicts, a Counter's own lookups cost more than the counting
    names: dict[str, int] = {}
    for line in text.split("\n"):
        tokens = _TOKEN.findall(line)
        words = [raw for boundary, raw in tokens if raw and raw[0].isalpha()]
        headline = len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)
        initial = True
        for boundary, raw in tokens:
            if boundary:
                initial = True
                continue
            word = raw.lower()
            if word.endswith(("'s", "’s")):
                word = word[:-2]
            capitalised = raw[0].isupper() and not initial and not headline
            initial = False
            if word in _STOPWORDS or (len(word) < 3 and not word.isdigit()):
                continue
            counts[word] = counts.get(word, 0) + 1
            if capitalised:
                names[word] = names.get(word, 0) + 1
    return Counter(counts), Counter(names)


@dataclass(frozen=True, eq=False)
class StoryDoc:
    """What story clustering needs to know about one document."""

    doc_id: str
    title: str
    published: datetime | None
    #: term weights before IDF: content words (the lead counts twice, names twice) and "@entity" keys
    terms: tuple[tuple[str, float], ...]
    #: names in the title and lead: who or where the story is about
    lead_names: tuple[str, ...] = ()
    embedding: np.ndarray | None = None  # unit vector (title + lead)


def story_doc(document: Document, analysis: DocumentAnalysis | None = None, embedding: np.ndarray | None = None,
              lead_chars: int = 400) -> StoryDoc:
    """The story features of a document: its words, its names, its entity mentions and an embedding."""
    lead_end = lead_chars
    if analysis is not None and len(analysis.sentences) >= 2:
        lead_end = analysis.sentences[1].end
    head = f"{document.title}\n{document.text[:lead_end]}"
    counts, names = content_terms(document.text)
    lead_counts, lead_names = content_terms(head)
    counts.update(lead_counts)
    counts.update(names)
    lead_keys: list[str] = []
    if analysis is not None:
        for mention in analysis.mentions:
            key = f"@{mention.entity.key}"
            counts[key] += 2 if mention.span.start < lead_end else 1
            if mention.span.start < lead_end:
                lead_keys.append(key)
    salient = tuple(dict.fromkeys([*lead_keys, *lead_names]))
    return StoryDoc(document.id, document.title, document.published, tuple(counts.items()), salient, embedding)


@dataclass(frozen=True)
class StoryOptions:
    #: a document joins a story only if the story has a document within this many days of it
    window_days: float = 7.0
    #: join the best story when its score reaches this; otherwise start a new story
    threshold: float = 0.30
    #: score = embedding_weight * embedding cosine + (1 - embedding_weight) * TF-IDF cosine
    embedding_weight: float = 0.1
    #: entity keys weigh this many times a word of the same frequency
    entity_boost: float = 1.0
    #: the rarest names of a document's lead stand for what it is about; when none of a document's
    #: appears in a story and none of the story's appears in the document, the score drops by this much
    salient_names: int = 3
    conflict_penalty: float = 0.15
    #: terms kept in a document vector; the most distinctive ones are looked up in the index
    doc_terms: int = 120
    query_terms: int = 25
    #: terms kept in a story centroid
    story_terms: int = 400
    #: consolidation (average-link over the live window) merges groups whose mean pair score reaches this
    merge_threshold: float = 0.175
    #: consolidation looks at no more than this many documents (the most recent)
    consolidate_limit: int = 3000
    #: postings longer than this are too common to say anything and are skipped
    max_posting: int = 200
    max_candidates: int = 20


@dataclass(frozen=True)
class StoryAssignment:
    doc_id: str
    story_id: str
    score: float
    created: bool


@dataclass(frozen=True)
class StoryState:
    """What changed since the last :meth:`StoryLinker.drain_changes`: the rows a store has to write."""

    stories: tuple[StoryRow, ...] = ()
    members: tuple[StoryMemberRow, ...] = ()
    terms: tuple[TermRow, ...] = ()
    #: documents counted with ``observe`` only (they weigh in the IDF statistics)
    observed: int = 0
    #: stories that consolidation emptied: delete them
    removed: tuple[str, ...] = ()
    #: (term, bucket, document) entries of new documents in the inverted index (bucket -2: undated); the stories
    #: under a (term, bucket) are those of its documents, so moving a document moves its entries with it
    index_entries: tuple[tuple[str, int, str], ...] = ()
    #: (term, story) entries the all-time index gained (capped: a term in too many stories says nothing)
    all_time_added: tuple[tuple[str, str], ...] = ()


class StoryStateReader(Protocol):
    """The stored state a linker reads as it needs it (the store's :class:`~watchfloor.store.Writer`)."""

    def term_df(self, terms: Iterable[str]) -> dict[str, int]: ...

    def postings(self, terms: Iterable[str], buckets: Iterable[int]) -> dict[tuple[str, int], set[str]]: ...

    def story_rows(self, ids: Iterable[str]) -> list[StoryRow]: ...

    def live_stories(self, since: str | None) -> list[StoryRow]: ...

    def members_of_stories(self, story_ids: Iterable[str], since: str | None = None,
                           limit: int | None = None) -> list[StoryMemberRow]: ...

    def story_spans_before(self, story_ids: Iterable[str], before: str) -> dict[str, tuple[str, str, int]]: ...

    def member_count(self) -> int: ...

    def all_time_sizes(self, terms: Iterable[str], story_ids: Iterable[str]
                       ) -> tuple[dict[str, int], set[tuple[str, str]]]: ...


@dataclass
class _Story:
    id: str
    title: str
    first: datetime | None
    last: datetime | None
    count: int = 0
    embedding: np.ndarray | None = None
    terms: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0
    names: Counter[str] = field(default_factory=Counter)

    def lexical(self, vector: dict[str, float]) -> float:
        if not self.norm:
            return 0.0
        terms = self.terms
        return sum(w * terms.get(t, 0.0) for t, w in vector.items()) / self.norm

    def semantic(self, embedding: np.ndarray | None) -> float:
        if embedding is None or self.embedding is None:
            return 0.0
        norm = float(np.linalg.norm(self.embedding))
        return float(self.embedding @ embedding) / norm if norm else 0.0


def _iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC when the time has a zone, so that stored times sort as text."""
    if value is None:
        return None
    return (value.astimezone(UTC) if value.tzinfo else value).isoformat()


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class StoryLinker:
    """Assigns documents to stories one at a time, in memory or over a store's state (see the module doc)."""

    def __init__(self, options: StoryOptions = StoryOptions(), state: StoryStateReader | None = None,
                 observed: int = 0) -> None:
        self.options = options
        self._state = state
        self._stories: dict[str, _Story] = {}
        self._members: dict[str, StoryMemberRow] = {}
        self._df: dict[str, int] = {}
        self._postings: dict[tuple[str, int | None], set[str]] = {}
        self._changed_stories: set[str] = set()
        self._changed_members: list[str] = []
        self._changed_terms: set[str] = set()
        self._removed_stories: set[str] = set()
        self._posting_changes: dict[tuple[str, int | None, str], bool] = {}
        self._new_members: list[str] = []
        #: stories added under index keys not read yet (merged in when they are)
        self._pending: dict[tuple[str, int | None], set[str]] = {}
        #: (term, story) entries for the all-time index whose posting was not read (in order; see ``_index``)
        self._deferred: list[tuple[str, str]] = []
        self._by_story: dict[str, list[str]] = defaultdict(list)
        self._observed = observed
        self._count = state.member_count() if state is not None else 0

    def __len__(self) -> int:
        return self._count

    @property
    def story_count(self) -> int:
        return len(self._stories)

    def story_of(self, doc_id: str) -> str | None:
        member = self._members.get(doc_id)
        return member.story_id if member else None

    # what the stored state holds, read when first needed -------------------------------------------------

    def _load_terms(self, terms: Iterable[str]) -> None:
        missing = [term for term in terms if term not in self._df]
        if missing:
            found = self._state.term_df(missing) if self._state is not None else {}
            for term in missing:
                self._df[term] = found.get(term, 0)

    def _doc_freq(self, term: str) -> int:
        if term not in self._df:
            self._load_terms((term,))
        return self._df[term]

    def _load_postings(self, keys: Iterable[tuple[str, int | None]]) -> None:
        missing = [key for key in keys if key not in self._postings]
        if not missing:
            return
        found: dict[tuple[str, int], set[str]] = {}
        if self._state is not None:
            found = self._state.postings({term for term, _ in missing},
                                         {_UNDATED if bucket is None else bucket for _, bucket in missing})
        for term, bucket in missing:
            loaded = set(found.get((term, _UNDATED if bucket is None else bucket), ()))
            self._postings[(term, bucket)] = loaded | self._pending.pop((term, bucket), set())
        if any(bucket == _ALL_TIME for _, bucket in missing) and self._deferred:
            read = {term for term, bucket in missing if bucket == _ALL_TIME}
            deferred, self._deferred = self._deferred, []
            for term, story_id in deferred:
                if term in read:
                    self._add_all_time(term, story_id)
                else:
                    self._deferred.append((term, story_id))

    def _posting(self, key: tuple[str, int | None]) -> AbstractSet[str]:
        posting = self._postings.get(key)
        if posting is None:
            if self._state is None:
                return _EMPTY  # in memory, a lookup does not make an entry
            self._load_postings((key,))
            posting = self._postings[key]
        return posting

    def _load_stories(self, story_ids: Iterable[str]) -> None:
        missing = [s for s in story_ids if s not in self._stories and s not in self._removed_stories]
        if missing and self._state is not None:
            for row in self._state.story_rows(missing):
                self._stories[row.story_id] = _story_from_row(row)

    def prefetch(self, docs: Sequence[StoryDoc]) -> None:
        """Read in one go what adding these documents will look up (the alternative is a query per lookup)."""
        if self._state is None:
            return
        self._load_terms({term for doc in docs for term, _ in doc.terms})
        keys: set[tuple[str, int | None]] = set()
        for doc in docs:
            bucket = self._bucket(doc.published)
            buckets: Sequence[int | None] = [_ALL_TIME] if bucket is None else (bucket - 1, bucket, bucket + 1, None)
            # the document's strongest terms now; a term that moves up as the batch adds documents is read later
            for term in list(self._vector(doc))[: self.options.query_terms + 10]:
                keys.update((term, b) for b in buckets)
        self._load_postings(keys)

    # linking ---------------------------------------------------------------------------------------------

    def observe(self, doc: StoryDoc) -> None:
        """Count a document's terms without linking it (warm the IDF statistics from an archive)."""
        for term, _ in doc.terms:
            self._df[term] = self._doc_freq(term) + 1
            self._changed_terms.add(term)
        self._observed += 1

    def _bucket(self, published: datetime | None) -> int | None:
        if published is None:
            return None
        return int(published.toordinal() // max(self.options.window_days, 1e-9))

    def _idf(self, term: str, n: int) -> float:
        return math.log((n + 1) / (self._doc_freq(term) + 1)) + 1.0

    def _vector(self, doc: StoryDoc) -> dict[str, float]:
        n = self._count + self._observed + 1
        # _idf written out: a document has hundreds of terms, and two calls per term cost more than the sums
        self._load_terms(term for term, count in doc.terms if count > 0)
        df, boost, log = self._df, self.options.entity_boost, math.log
        weights = {}
        for term, count in doc.terms:
            weight = (1.0 + log(count)) * (log((n + 1) / (df[term] + 1)) + 1.0) if count > 0 else 0.0
            weights[term] = weight * boost if term.startswith("@") else weight
        top = sorted(weights.items(), key=lambda item: -item[1])[: self.options.doc_terms]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        return {t: w / norm for t, w in top}

    def _candidates(self, vector: dict[str, float], bucket: int | None) -> list[str]:
        # undated documents can belong anywhere: they look in the all-time postings, and dated ones
        # also look among the undated
        buckets: Sequence[int | None] = [_ALL_TIME] if bucket is None else (bucket - 1, bucket, bucket + 1, None)
        hits: dict[str, float] = defaultdict(float)
        top = list(vector.items())[: self.options.query_terms]
        if self._state is not None:  # what prefetch missed (terms that rose as the batch went), in one query
            self._load_postings([(term, b) for term, _ in top for b in buckets])
        for term, weight in top:
            for b in buckets:
                posting = self._posting((term, b))
                if posting and len(posting) <= self.options.max_posting:
                    for story_id in posting:
                        hits[story_id] += weight
        ranked = sorted(hits.items(), key=lambda item: (-item[1], item[0]))  # ties by id: the same on every run
        return [story_id for story_id, _ in ranked[: self.options.max_candidates]]

    def _in_window(self, story: _Story, published: datetime | None) -> bool:
        if published is None or story.first is None or story.last is None:
            return True
        window = self.options.window_days * 86400
        return (story.first - published).total_seconds() <= window and (
            published - story.last).total_seconds() <= window

    def _salient(self, doc: StoryDoc) -> set[str]:
        """The rarest lead names (fewest documents so far): what this document is about."""
        known = dict(doc.terms)
        names = [n for n in doc.lead_names if n in known]
        names.sort(key=lambda n: self._doc_freq(n))
        return set(names[: self.options.salient_names])

    def score(self, story_id: str, doc: StoryDoc) -> float:
        """How well a document fits a story (the score ``add`` compares with the threshold)."""
        self._load_stories((story_id,))
        return self._score(self._stories[story_id], self._vector(doc), doc, self._salient(doc))

    def _score(self, story: _Story, vector: dict[str, float], doc: StoryDoc, salient: set[str]) -> float:
        embedding = doc.embedding
        w = self.options.embedding_weight if embedding is not None and story.embedding is not None else 0.0
        score = w * story.semantic(embedding) + (1.0 - w) * story.lexical(vector)
        if salient and story.names and not any(n in story.names for n in salient):
            words = dict(doc.terms)
            top = story.names.most_common(self.options.salient_names)
            if not any(n in words for n, _ in top):
                score -= self.options.conflict_penalty
        return score

    def add(self, doc: StoryDoc) -> StoryAssignment:
        """Link one document: join the best-scoring live story above the threshold, or start a new one."""
        if doc.doc_id in self._members:
            member = self._members[doc.doc_id]
            return StoryAssignment(doc.doc_id, member.story_id, member.score, False)
        vector = self._vector(doc)
        salient = self._salient(doc)
        bucket = self._bucket(doc.published)
        best: tuple[str | None, float] = (None, 0.0)
        candidates = self._candidates(vector, bucket)
        self._load_stories(candidates)
        for story_id in candidates:
            story = self._stories.get(story_id)
            if story is None or not self._in_window(story, doc.published):
                continue
            score = self._score(story, vector, doc, salient)
            if score > best[1]:
                best = (story_id, score)
        created = best[0] is None or best[1] < self.options.threshold
        if created:
            story = _Story(f"story-{doc.doc_id}", doc.title, doc.published, doc.published)
            self._stories[story.id] = story
            self._removed_stories.discard(story.id)
        else:
            story = self._stories[str(best[0])]
        index_terms = list(vector)[: self.options.query_terms]
        raw = dict(doc.terms)
        member = StoryMemberRow(doc.doc_id, story.id, round(best[1], 4), bucket, json.dumps(index_terms),
                                _iso(doc.published), json.dumps({t: raw[t] for t in vector}),
                                json.dumps(sorted(salient)),
                                b"" if doc.embedding is None else doc.embedding.astype(np.float32).tobytes(), doc.title)
        self._join(story, member, vector, doc.embedding, doc.published)
        self._new_members.append(doc.doc_id)
        self._count += 1
        # in order, not in the order of a set (which changes with the hash seed): among names given equally often,
        # a story's most given (``_score``) are those given first, and the stored names keep that order
        story.names.update(sorted(salient))
        for term, _ in doc.terms:
            self._df[term] = self._doc_freq(term) + 1
            self._changed_terms.add(term)
        return StoryAssignment(doc.doc_id, story.id, member.score, created)

    def _join(self, story: _Story, member: StoryMemberRow, vector: dict[str, float],
              embedding: np.ndarray | None, published: datetime | None) -> None:
        story.count += 1
        published = published or _parse(member.published)
        if published is not None:
            story.first = published if story.first is None else min(story.first, published)
            story.last = published if story.last is None else max(story.last, published)
        if embedding is not None:
            story.embedding = embedding.astype(np.float32) if story.embedding is None else story.embedding + embedding
        terms = story.terms
        for term, weight in vector.items():
            terms[term] = terms.get(term, 0.0) + weight
        if len(terms) > 2 * self.options.story_terms:
            story.terms = terms = dict(sorted(terms.items(), key=lambda item: -item[1])[: self.options.story_terms])
        story.norm = math.sqrt(sum(w * w for w in terms.values()))
        self._members[member.doc_id] = member
        self._by_story[story.id].append(member.doc_id)
        self._index(member)
        self._changed_stories.add(story.id)
        self._changed_members.append(member.doc_id)

    def _live(self, since: datetime | None) -> set[str]:
        """Stories with a document at or after ``since`` (all when None), and the undated; with a stored state,
        their rows are read in."""
        if self._state is not None:
            for row in self._state.live_stories(_iso(since)):
                if row.story_id not in self._stories and row.story_id not in self._removed_stories:
                    self._stories[row.story_id] = _story_from_row(row)
        return {s.id for s in self._stories.values() if since is None or s.last is None or s.last >= since}

    def _recent(self, live: set[str], since: datetime | None) -> list[StoryMemberRow]:
        """The documents of the live stories published at or after ``since`` (all when None) or undated; with
        a stored state, those are read in (the older ones stay where they are)."""
        cutoff = _iso(since)
        if self._state is not None:
            for member in self._state.members_of_stories(sorted(live), since=cutoff):
                if member.doc_id not in self._members:
                    self._members[member.doc_id] = member
                    self._by_story[member.story_id].append(member.doc_id)
        members = [self._members[d] for sid in sorted(live) for d in self._by_story.get(sid, ())]
        return [m for m in members if cutoff is None or m.published is None or m.published >= cutoff]

    def consolidate(self, since: datetime | None = None) -> int:
        """Re-cluster the documents of the stories live since ``since`` (all when None) that were published
        since then, by average-link over their pair scores.

        ``add`` decides on arrival and never revisits; this revisits a bounded window (call it after a
        batch) so that the grouping there matches average-link clustering. Older documents of a long story
        stay where they are, so the work depends on the window, not on how long stories have run. A story
        keeps its id when it keeps most of the window's documents. Returns how many documents changed story.
        """
        live = self._live(since)
        recent = self._recent(live, since)
        members = sorted(recent, key=lambda m: (m.published or "", m.doc_id))[-self.options.consolidate_limit :]
        if len(members) < 2:
            return 0
        counts = [json.loads(m.terms) for m in members]  # each member's terms decoded once per batch
        self._load_terms({term for terms in counts for term in terms})
        labels = average_link(self._similarities(members, counts), self.options.merge_threshold)
        groups: dict[int, list[StoryMemberRow]] = defaultdict(list)
        for label, member in zip(labels, members, strict=True):
            groups[label].append(member)
        taken: set[str] = set()
        moves: dict[str, str] = {}
        for group in sorted(groups.values(), key=len, reverse=True):
            votes = Counter(m.story_id for m in group).most_common()
            story_id = next((sid for sid, _ in votes if sid not in taken), f"story-{group[0].doc_id}")
            taken.add(story_id)
            moves.update({m.doc_id: story_id for m in group if m.story_id != story_id})
        touched: set[str] = set()
        for doc_id, story_id in sorted(moves.items()):
            member = self._members[doc_id]
            touched |= {member.story_id, story_id}
            self._leave(member)
            moved = replace(member, story_id=story_id)
            story = self._stories.get(story_id) or self._new_story(story_id, member.title)
            self._join(story, moved, _unit_terms(moved), _embedding(moved), None)
            story.names.update(json.loads(moved.names))
        self._respan(touched, since)
        return len(moves)

    def _new_story(self, story_id: str, title: str) -> _Story:
        story = _Story(story_id, title, None, None)
        self._stories[story_id] = story
        self._removed_stories.discard(story_id)
        return story

    def _leave(self, member: StoryMemberRow) -> None:
        """Take a document's share out of its story's sums (the story goes when it has no document left)."""
        story = self._stories[member.story_id]
        story.count -= 1
        vector, embedding = _unit_terms(member), _embedding(member)
        if embedding is not None and story.embedding is not None:
            story.embedding = story.embedding - embedding
        for term, weight in vector.items():
            left = story.terms.get(term, 0.0) - weight
            if left > 1e-6:
                story.terms[term] = left
            else:
                story.terms.pop(term, None)
        story.norm = math.sqrt(sum(w * w for w in story.terms.values()))
        story.names.subtract(json.loads(member.names))
        story.names = +story.names
        self._by_story[story.id] = [d for d in self._by_story.get(story.id, []) if d != member.doc_id]
        self._changed_stories.add(story.id)
        if self._state is None:  # in memory the index is kept here; a store derives it from the documents
            still = {(t, self._members[d].bucket) for d in self._by_story[story.id]
                     for t in json.loads(self._members[d].index_terms)}
            for term in json.loads(member.index_terms):
                if (term, member.bucket) not in still and (posting := self._postings.get((term, member.bucket))):
                    posting.discard(story.id)

    def _respan(self, story_ids: set[str], since: datetime | None) -> None:
        """First and last publication times and document counts of stories whose documents moved; a store
        tells those of the documents outside the window."""
        before: dict[str, tuple[str, str, int]] = {}
        if self._state is not None and since is not None:
            before = self._state.story_spans_before(sorted(story_ids), _iso(since) or "")
        for story_id in sorted(story_ids):
            story = self._stories.get(story_id)
            if story is None:
                continue
            times = [t for d in self._by_story.get(story_id, ()) if (t := _parse(self._members[d].published))]
            older = before.get(story_id)
            if older is not None:
                times += [t for t in (_parse(older[0]), _parse(older[1])) if t]
            story.first, story.last = (min(times), max(times)) if times else (None, None)
            story.count = len(self._by_story.get(story_id, ())) + (older[2] if older else 0)
            if story.count <= 0:
                del self._stories[story_id]
                self._by_story.pop(story_id, None)
                self._changed_stories.discard(story_id)
                self._removed_stories.add(story_id)

    def _similarities(self, members: list[StoryMemberRow], counts: list[dict[str, int]]) -> np.ndarray:
        """Pair scores as ``add`` weighs them (IDF as of now), minus the name-conflict penalty; pairs further
        apart in time than the window can never be merged (-inf). ``counts``: each member's terms, decoded."""
        n = self._count + self._observed + 1
        rows: list[dict[str, float]] = []
        documents: Counter[str] = Counter()
        idf: dict[str, float] = {}  # the members share most of their terms: each term's IDF worked out once
        for term_counts in counts:
            weights = {}
            for term, count in term_counts.items():
                if (factor := idf.get(term)) is None:
                    factor = idf[term] = self._idf(term, n)
                weight = (1.0 + math.log(count)) * factor if count > 0 else 0.0
                weights[term] = weight * self.options.entity_boost if term.startswith("@") else weight
            rows.append(weights)
            documents.update(weights)
        # a term of one document only adds nothing to a pair's score: it counts in the norm, not in the matrix
        shared = {term: i for i, term in enumerate(t for t, k in documents.items() if k > 1)}
        lexical = np.zeros((len(members), len(shared)), dtype=np.float32)
        norms = np.ones(len(members), dtype=np.float32)
        for i, weights in enumerate(rows):
            norms[i] = max(math.sqrt(sum(w * w for w in weights.values())), 1e-9)
            columns = [(shared[t], w) for t, w in weights.items() if t in shared]
            if columns:
                lexical[i, [c for c, _ in columns]] = [w for _, w in columns]
        lexical /= norms[:, None]
        vectors = [np.frombuffer(m.embedding, dtype=np.float32) if m.embedding else None for m in members]
        semantic = (np.stack([v for v in vectors if v is not None])
                    if all(v is not None for v in vectors) and self.options.embedding_weight else None)
        with _one_blas_thread():
            score = lexical @ lexical.T
            products = None if semantic is None else semantic @ semantic.T
        np.fill_diagonal(score, 1.0)
        if products is not None:
            w = self.options.embedding_weight
            score = (1 - w) * score + w * products
        score -= self.options.conflict_penalty * self._name_conflicts(members, counts)
        times = np.array([t.timestamp() if (t := _parse(m.published)) else np.nan for m in members])
        apart = np.abs(times[:, None] - times[None, :]) > self.options.window_days * 86400  # NaN: never apart
        score[apart] = -np.inf
        return score

    @staticmethod
    def _name_conflicts(members: list[StoryMemberRow], counts: list[dict[str, int]]) -> np.ndarray:
        """1 where both documents have salient names and neither names any of the other's: two stories."""
        names = [json.loads(m.names) for m in members]
        having: dict[str, list[int]] = defaultdict(list)
        for j, terms in enumerate(counts):
            for term in terms:
                having[term].append(j)
        mentions = np.zeros((len(members), len(members)), dtype=bool)  # i's names appear among j's words
        for i, own in enumerate(names):
            for name in own:
                mentions[i, having.get(name, [])] = True
        named = np.array([bool(own) for own in names])
        conflict = named[:, None] & named[None, :] & ~mentions & ~mentions.T
        np.fill_diagonal(conflict, False)
        return conflict.astype(np.float32)

    def _index(self, member: StoryMemberRow) -> None:
        terms = json.loads(member.index_terms)
        for term in terms:
            key = (term, member.bucket)
            if self._state is not None and key not in self._postings:
                # the store derives this key from the documents; remembered for a lookup later in the batch
                self._pending.setdefault(key, set()).add(member.story_id)
            else:
                self._posting_add(key, member.story_id)
            if self._state is not None and (term, _ALL_TIME) not in self._postings:
                # a common term's all-time posting holds hundreds of stories: rather than read them all, the
                # entry is added when the batch ends, once the store has said how many it holds and whether
                # this story is among them (or earlier, when an undated document reads the posting)
                self._deferred.append((term, member.story_id))
            else:
                self._add_all_time(term, member.story_id)

    def _add_all_time(self, term: str, story_id: str) -> None:
        if len(self._posting((term, _ALL_TIME))) <= self.options.max_posting:  # one past the cap: too common
            self._posting_add((term, _ALL_TIME), story_id)

    def _settle_deferred(self) -> None:
        """The deferred all-time entries, added in order as ``_add_all_time`` would have added them, from the
        size of each posting and whether it holds the story (not the posting itself)."""
        if not self._deferred or self._state is None:
            return
        sizes, held = self._state.all_time_sizes({t for t, _ in self._deferred}, {s for _, s in self._deferred})
        for term, story_id in self._deferred:
            if sizes.get(term, 0) <= self.options.max_posting and (term, story_id) not in held:
                held.add((term, story_id))
                sizes[term] = sizes.get(term, 0) + 1
                self._posting_changes[(term, _ALL_TIME, story_id)] = True
        self._deferred.clear()

    def _posting_add(self, key: tuple[str, int | None], story_id: str) -> None:
        if story_id not in self._posting(key):
            self._postings.setdefault(key, set()).add(story_id)
            self._posting_changes[(key[0], key[1], story_id)] = True

    def _story_row(self, story: _Story) -> StoryRow:
        embedding = b"" if story.embedding is None else story.embedding.astype(np.float32).tobytes()
        return StoryRow(story.id, story.title, _iso(story.first), _iso(story.last), story.count, embedding,
                        json.dumps(story.terms), json.dumps(dict(story.names)))

    def drain_changes(self) -> StoryState:
        """The rows added or changed since the last call: what the store has to write."""
        self._settle_deferred()
        all_time = sorted((t, s) for (t, b, s), present in self._posting_changes.items() if present and b == _ALL_TIME)
        entries = tuple((term, _UNDATED if (bucket := self._members[d].bucket) is None else bucket, d)
                        for d in dict.fromkeys(self._new_members) for term in json.loads(self._members[d].index_terms))
        state = StoryState(tuple(self._story_row(self._stories[s]) for s in sorted(self._changed_stories)
                                 if s in self._stories),
                           tuple(self._members[d] for d in dict.fromkeys(self._changed_members)),
                           tuple(TermRow(t, self._df[t]) for t in sorted(self._changed_terms)), self._observed,
                           tuple(sorted(self._removed_stories)), entries, tuple(all_time))
        self._changed_stories.clear()
        self._changed_members.clear()
        self._changed_terms.clear()
        self._removed_stories.clear()
        self._posting_changes.clear()
        self._new_members.clear()
        return state

    def stories(self) -> dict[str, list[str]]:
        """Story id → member document ids held in memory, in the order they joined."""
        return {story_id: list(docs) for story_id, docs in self._by_story.items() if docs}


def _unit_terms(member: StoryMemberRow) -> dict[str, float]:
    """A document's term weights as it added them to its story (unit length)."""
    vector = json.loads(member.terms)
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items()}


def _embedding(member: StoryMemberRow) -> np.ndarray | None:
    return np.frombuffer(member.embedding, dtype=np.float32).copy() if member.embedding else None


def _story_from_row(row: StoryRow) -> _Story:
    embedding = np.frombuffer(row.embedding, dtype=np.float32).copy() if row.embedding else None
    terms = json.loads(row.terms)
    return _Story(row.story_id, row.title, _parse(row.first_published), _parse(row.last_published), row.doc_count,
                  embedding, terms, math.sqrt(sum(w * w for w in terms.values())), Counter(json.loads(row.names)))


def average_link(similarity: np.ndarray, threshold: float) -> list[int]:
    """Agglomerative clustering: merge the two groups with the highest mean pair similarity while it is at
    least ``threshold``. ``-inf`` pairs can never end up in one group. Returns a label per row."""
    n = len(similarity)
    score = similarity.astype(np.float64)
    np.fill_diagonal(score, -np.inf)
    size = np.ones(n)
    labels = np.arange(n)
    while n > 1:
        best = int(np.argmax(score))
        i, j = divmod(best, len(score))
        if not score[i, j] >= threshold:
            break
        merged = (score[i] * size[i] + score[j] * size[j]) / (size[i] + size[j])
        score[i], score[:, i] = merged, merged
        score[i, i] = -np.inf
        score[j], score[:, j] = -np.inf, -np.inf
        size[i] += size[j]
        labels[labels == j] = i
        n -= 1
    return labels.tolist()


def link_all(docs: Iterable[StoryDoc], options: StoryOptions = StoryOptions(), consolidate: bool = True
             ) -> dict[str, str]:
    """Cluster documents in the given order, then consolidate; doc id → story id (benchmarks, batch runs)."""
    linker = StoryLinker(options)
    ids = [linker.add(doc).doc_id for doc in docs]
    if consolidate:
        linker.consolidate()
    return {doc_id: linker.story_of(doc_id) or "" for doc_id in ids}
