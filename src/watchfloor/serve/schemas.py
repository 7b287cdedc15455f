"""The shapes of the JSON API's answers, as the OpenAPI document states them (pydantic at the edge only).

Claims and events in full (``ClaimDetail.claim``) are the export's records (``report/schema/export-v5``), so
a tool that reads the export reads these too; they are declared here as objects and validated by that schema
in the tests.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Place(BaseModel):
    name: str
    lat: float | None
    lon: float | None


class StorySummary(BaseModel):
    id: str
    title: str
    first_published: str | None
    last_published: str | None
    documents: int
    status_counts: dict[str, int]
    changed: int | None = None


class DocumentHead(BaseModel):
    id: str
    title: str
    outlet: str
    published: str | None
    tlp: str
    language: str
    near_duplicate_of: str | None


class ClaimSummary(BaseModel):
    id: str
    kind: str = Field(description="statement, quantity or event")
    type: str | None = Field(description="the PLOVER type of an event")
    status: str = Field(description="corroborated, single_source or contested")
    text: str
    day: str | None
    last_day: str | None
    figure: str | None
    unit: str | None
    place: Place | None
    reports: int
    sources: list[str]
    independent_sources: int
    modality: str
    polarity: str


class StoryPage(BaseModel):
    items: list[StorySummary]
    total: int
    limit: int
    offset: int


class ClaimPage(BaseModel):
    items: list[ClaimSummary]
    total: int = Field(description="how many match, counted up to 1,001 (1,001 means more than 1,000)")
    limit: int
    offset: int


class DocumentPage(BaseModel):
    items: list[DocumentHead]
    total: int
    limit: int
    offset: int


class HistoryItem(BaseModel):
    status: str
    previous: str | None
    independent_sources: int
    changed_at: str
    reason: str


class Note(BaseModel):
    id: str
    author: str
    text: str
    created_at: str


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=5000, description="the note, as plain text")


class ContradictingClaim(ClaimSummary):
    evidence: list[dict[str, Any]] = Field(description="its first reports, as the export gives them (the rest "
                                                       "are on its own page)")
    evidence_total: int = Field(description="how many reports it has")


class ClaimDetail(BaseModel):
    claim: dict[str, Any] = Field(description="the claim or event as the export gives it, with a page of its "
                                              "reports (``evidence``, each with its outlet, date and sentence); its "
                                              "own fields are derived from all of its reports")
    kind: str
    evidence_total: int = Field(description="how many reports the claim has; the next page is at "
                                            "``offset=evidence_offset+evidence_limit``")
    evidence_offset: int
    evidence_limit: int
    contradicted_by: list[ContradictingClaim]
    history: list[HistoryItem]
    notes: list[Note]


class CompetingFigures(BaseModel):
    track: str
    unit: str | None
    subject: dict[str, str] | None
    figures: list[ClaimSummary]


class StoryDetail(BaseModel):
    story: StorySummary
    documents: list[DocumentHead]
    documents_total: int
    timeline: list[ClaimSummary]
    claims: list[ClaimSummary]
    claims_total: int
    competing_figures: list[CompetingFigures]


class StoryRef(BaseModel):
    id: str
    title: str


class DocumentFull(BaseModel):
    id: str
    title: str
    outlet: str
    url: str | None
    published: str | None
    author: str | None
    language: str
    tlp: str
    near_duplicate_of: str | None
    text: str
    story: StoryRef | None
    origin: str | None


class Span(BaseModel):
    claim_id: str
    start: int
    end: int
    kind: str
    status: str


class DocumentDetail(BaseModel):
    document: DocumentFull
    spans: list[Span]


class EntityOut(BaseModel):
    id: str
    name: str
    type: str


class Alias(BaseModel):
    name: str
    mentions: int


class DayCount(BaseModel):
    day: str
    documents: int


class CoOccurring(BaseModel):
    id: str
    name: str
    type: str
    shared: int


class EntityDetail(BaseModel):
    entity: EntityOut
    aliases: list[Alias] = Field(description="how its latest reports (aliases_from of them) write it")
    aliases_from: int
    mentions_by_day: list[DayCount]
    co_occurring: list[CoOccurring]
    claims: list[ClaimSummary]
    claims_total: int


class EntityHit(BaseModel):
    id: str
    name: str
    type: str
    mentions: int


class SubjectRef(BaseModel):
    id: str
    name: str


class Track(BaseModel):
    track: str
    subject: SubjectRef
    unit: str
    claims: int


class TrackPoint(BaseModel):
    claim_id: str
    day: str | None
    value: float
    low: float | None
    high: float | None
    approximate: bool
    according_to: str
    outlet: str
    doc_id: str
    status: str
    modality: str
    sentence: str


class TrackDetail(BaseModel):
    track: str
    subject: SubjectRef
    unit: str
    points: list[TrackPoint]


class Hit(BaseModel):
    doc_id: str
    title: str
    outlet: str
    published: str | None
    snippet: str
    stance: str | None


class SearchResult(BaseModel):
    query: str
    documents: list[Hit]
    claims: list[Hit]
    entities: list[EntityHit]


class Change(BaseModel):
    claim_id: str
    status: str
    previous: str | None
    changed_at: str
    reason: str
    claim: ClaimSummary | None


class Changes(BaseModel):
    since: str | None
    changes: list[Change]


class Alert(BaseModel):
    key: str = Field(description="what makes the alert unique: the same match is never alerted twice")
    rule: str
    kind: str = Field(description="claim or event")
    record_id: str = Field(description="the claim or event it is about (/api/claims/{id})")
    reason: str = Field(description="why it fired: new, new report, became contested (was single source), ...")
    summary: str
    status: str
    sources: list[str]
    doc_ids: list[str] = Field(description="the documents that made it fire")
    urls: list[str]
    created_at: str
    tlp: str = Field(description="the most restrictive TLP level of the documents the alert rests on")


class AlertPage(BaseModel):
    items: list[Alert]
    total: int
    limit: int
    offset: int


class IngestResult(BaseModel):
    added: int
    already_stored: int
    near_duplicates: int
    added_ids: list[str]
    errors: list[str]


class TokenInfo(BaseModel):
    id: str
    name: str
    role: str
    tlp_ceiling: str
    created_at: str
    revoked_at: str | None


class Me(BaseModel):
    role: str
    tlp_ceiling: str
    token_id: str | None
    name: str
