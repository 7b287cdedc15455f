"""The typed rows the store reads and writes for the stages after it: plain values, no SQL types.

The link stage keeps its state in these (stories, their members and terms, copy-detection sketches,
entities); the reports read the consolidated picture through them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DocLink",
    "EntityKeyRow",
    "EntityRow",
    "GradeHistoryRow",
    "GroupRow",
    "HistoryRow",
    "OccurrenceRow",
    "OriginRow",
    "SearchHit",
    "SourceGradeRow",
    "StoryMemberRow",
    "StoryRow",
    "StoryView",
    "TermRow",
]


@dataclass(frozen=True)
class SearchHit:
    doc_id: str
    title: str
    outlet: str
    published: str | None
    snippet: str
    kind: str = "document"
    stance: str = ""  # of a claim: its modality, or "takes no side"


@dataclass(frozen=True)
class DocLink:
    doc_id: str
    origin: str
    origin_kind: str
    story_id: str | None


@dataclass(frozen=True)
class FigureRow:
    """What deciding whether a consolidated figure takes part in a batch reads of it (``PictureReads.figure_claims``):
    its stance, its earliest day and its figures (range key -> reports), out of its summary."""

    id: str
    stance: str
    first: str | None
    ranges: dict[str, int] | None


@dataclass(frozen=True)
class GroupRow:
    """A consolidated claim or event: its status, its Admiralty grade (reliability A-F, credibility 1-6), when it
    first appeared and when it last changed (members, status, contradictions or grade), and the group itself."""

    id: str
    key: str
    kind: str
    status: str
    independent_sources: int
    first_seen: str
    data: str
    first_day: str | None = None  # ISO dates of its earliest and latest members (None when none is dated)
    last_day: str | None = None
    reliability: str = "F"
    credibility: int = 6
    updated_at: str = ""

    @property
    def grade(self) -> str:
        """As analysts write it: "B2"."""
        return f"{self.reliability}{self.credibility}"


@dataclass(frozen=True)
class OccurrenceRow:
    key: str
    doc_id: str
    position: int
    data: str
    day: str | None  # ISO date it is about
    group_id: str | None = None
    # what a page shows of it without decoding ``data``: the evidence span, the outlet, who it counts as, how
    start: int = 0
    end: int = 0
    outlet: str = ""
    asserting: str = ""
    modality: str = ""
    polarity: str = ""

@dataclass(frozen=True)
class HistoryRow:
    group_id: str
    key: str
    status: str
    previous: str | None
    independent_sources: int
    changed_at: str
    reason: str


@dataclass(frozen=True)
class GradeHistoryRow:
    group_id: str
    key: str
    grade: str  # "B2"
    previous: str | None
    changed_at: str
    reason: str


@dataclass(frozen=True)
class SourceGradeRow:
    """An analyst's reliability grade (A-F) of an outlet or a named source, who set it and when (ISO 8601)."""

    name: str
    grade: str
    set_by: str
    set_at: str


@dataclass(frozen=True)
class StoryRow:
    """A story as its linker keeps it: sums of its members' vectors, salient names, first and last times."""

    story_id: str
    title: str
    first_published: str | None  # ISO 8601
    last_published: str | None
    doc_count: int
    embedding: bytes  # float32 sum of member embeddings (empty when none had one)
    terms: str  # JSON object term -> summed weight
    names: str = "{}"  # JSON object: salient name -> how many of its documents have it in their lead


@dataclass(frozen=True)
class StoryView:
    """A story as the reports show it."""

    story_id: str
    title: str
    first_published: str | None
    last_published: str | None
    created_at: str
    doc_count: int


@dataclass(frozen=True)
class StoryMemberRow:
    doc_id: str
    story_id: str
    score: float
    bucket: int | None
    index_terms: str  # JSON list: the terms this document put into the index
    published: str | None = None  # ISO 8601
    terms: str = "{}"  # JSON object: its most distinctive terms with their raw weights (for consolidation)
    names: str = "[]"  # JSON list: its salient names
    embedding: bytes = b""  # float32
    title: str = ""


@dataclass(frozen=True)
class TermRow:
    term: str
    df: int


@dataclass(frozen=True)
class OriginRow:
    """Per document: its origin and the sampled fingerprints (``int64`` bytes) and MinHash (``uint64``)."""

    doc_id: str
    origin_id: str
    kind: str
    copy_of: str | None
    containment: float
    credits: str  # comma-separated wire ids
    press_release: bool
    fingerprints: bytes
    signature: bytes


@dataclass(frozen=True)
class EntityRow:
    id: str
    name: str
    type: str
    seq: int


@dataclass(frozen=True)
class EntityKeyRow:
    """A key analysis gave an entity, with the entity it belongs to and how it was written."""

    key: str
    entity_id: str
    name: str
    type: str
    folded: str
    mentions: int
    names: str  # JSON object: surface name -> count
