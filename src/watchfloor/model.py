"""Typed records passed between the stages (see DESIGN.md, "Vocabulary").

Every record is a frozen dataclass. Everything extracted from a text keeps its evidence as a
:class:`Span` whose ``text`` equals ``document.text[start:end]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

__all__ = [
    "Actor",
    "Attribution",
    "Claim",
    "DateMention",
    "Document",
    "DocumentAnalysis",
    "EntityRef",
    "Event",
    "Mention",
    "Modality",
    "Polarity",
    "Place",
    "Precision",
    "Quantity",
    "Span",
    "TimeValue",
]


class Precision(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    DECADE = "decade"


class Modality(StrEnum):
    ASSERTED = "asserted"
    HEDGED = "hedged"
    PLANNED = "planned"
    DENIED = "denied"
    ALLEGED = "alleged"
    NEGATED = "negated"


class Polarity(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    UNCOMMITTED = "uncommitted"  # the source takes no side: "declined to confirm", "could not verify"


@dataclass(frozen=True)
class Span:
    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    text: str
    outlet: str
    url: str | None = None
    published: datetime | None = None
    author: str | None = None
    language: str = "en"
    source_path: str | None = None
    content_hash: str = ""
    near_duplicate_of: str | None = None


@dataclass(frozen=True)
class TimeValue:
    """A date expression normalised to an interval ``[start, end]`` (both inclusive)."""

    start: date
    end: date
    precision: Precision
    text: str


@dataclass(frozen=True)
class EntityRef:
    """A canonical entity: ``key`` is stable across documents (``type:slug``)."""

    key: str
    name: str
    type: str


@dataclass(frozen=True)
class Mention:
    span: Span
    label: str
    entity: EntityRef
    #: True when a capital or country name stands for its government ("Seoul said").
    as_actor: bool = False


@dataclass(frozen=True)
class DateMention:
    span: Span
    value: TimeValue


@dataclass(frozen=True)
class Quantity:
    span: Span
    value: float | None
    low: float | None
    high: float | None
    unit: str
    approximate: bool
    unit_span: Span | None = None
    subject: EntityRef | None = None
    part_of: int | None = None  # index of the whole in DocumentAnalysis.quantities ("including 500 officers")
    #: what befell the counted people, for a casualty figure ("killed", "injured", "captured", "missing", or
    #: "casualty" when a report does not say which of the first two); None for a count of what exists or was
    #: sent, so that a death toll is never tracked as a troop strength
    casualty: str | None = None


@dataclass(frozen=True)
class Place:
    span: Span
    name: str
    lat: float | None
    lon: float | None
    country: str | None = None
    admin: str | None = None
    feature: str | None = None
    confidence: float = 0.0
    gazetteer_id: str | None = None


@dataclass(frozen=True)
class Attribution:
    """Who asserts a stretch of text: the speaker, the cue ("said", "according to") and the content."""

    source: EntityRef | None
    source_span: Span | None
    cue: Span
    content: Span
    #: outer-to-inner chain of asserting sources, e.g. (agency, NATO) for "the agency reported, citing NATO, ..."
    chain: tuple[EntityRef, ...] = ()


@dataclass(frozen=True)
class Actor:
    entity: EntityRef
    role: str  # "source" | "target"


@dataclass(frozen=True)
class Event:
    type: str
    mode: str | None
    actors: tuple[Actor, ...]
    trigger: Span
    evidence: Span
    modality: Modality
    polarity: str  # a Polarity value
    attributed_to: tuple[EntityRef, ...]
    date: TimeValue | None = None
    place: Place | None = None


@dataclass(frozen=True)
class Claim:
    text: str
    trigger: Span
    evidence: Span
    modality: Modality
    polarity: str  # a Polarity value
    attributed_to: tuple[EntityRef, ...]
    subject: EntityRef | None = None
    quantity: Quantity | None = None
    date: TimeValue | None = None
    kind: str = "statement"  # statement | quantity | event


@dataclass(frozen=True)
class DocumentAnalysis:
    doc_id: str
    sentences: tuple[Span, ...] = ()
    mentions: tuple[Mention, ...] = ()
    dates: tuple[DateMention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    places: tuple[Place, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)
    #: why the text was not analysed (its language, say); None when it was
    not_analysed: str | None = None
