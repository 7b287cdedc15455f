"""The JSON API under ``/api``: thin routes that parse, call one function of :mod:`.reads` or :mod:`.screens`,
and answer. Lists are pages (``limit``, ``offset``; ``total`` says how many match); every error has the shape
of :mod:`.errors`; reads are limited to the caller's TLP ceiling; writes need a token (:func:`.app.require`).
"""

from __future__ import annotations

import re
import tempfile
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam

from ..model import Document, Tlp
from ..store import ClaimFilter, NoteRow, Reader
from . import screens
from .alerts import alert_page
from .app import OneTrip, caller, reader, require, writer_store
from .errors import ApiError, ErrorBody
from .reads import EVIDENCE_PAGE, claim_detail, claim_page
from .schemas import (
    AlertPage,
    Changes,
    ClaimDetail,
    ClaimPage,
    DocumentDetail,
    DocumentPage,
    EntityDetail,
    EntityHit,
    IngestResult,
    Me,
    Note,
    NoteIn,
    SearchResult,
    StoryDetail,
    StoryPage,
    TokenInfo,
    Track,
    TrackDetail,
)
from .tokens import Caller, Role

__all__ = ["router"]

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in (
        (401, "No token, or an unknown one, where one is needed"), (403, "The token's role may not do this"),
        (413, "The request body is too large"), (422, "A parameter or the body is not valid"),
        (500, "The server failed"), (503, "The store cannot be read"))}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "No such item (or not "
                                                                                         "visible to this token)"}}

router = APIRouter(prefix="/api", responses=_ERRORS, route_class=OneTrip)

Limit = Annotated[int, Query(ge=1, le=200, description="items per page")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="items to skip")]
Day = Annotated[date | None, Query(description="a day, YYYY-MM-DD")]
Id = Annotated[str, PathParam(min_length=1, max_length=200)]
Status = Literal["corroborated", "single_source", "contested"]
ModalityName = Literal["asserted", "hedged", "planned", "denied", "alleged", "negated"]
Text = Annotated[str | None, Query(max_length=200)]
Who = Annotated[Caller, Depends(caller)]
Snapshot = Annotated[Reader, Depends(reader)]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _filter(who: Caller, kinds: tuple[str, ...], story: str | None = None, document: str | None = None,
            entity: str | None = None, event_type: str | None = None, status: str | None = None,
            modality: str | None = None, outlet: str | None = None, day_from: date | None = None,
            day_to: date | None = None) -> ClaimFilter:
    if day_from and day_to and day_from > day_to:
        raise ApiError(422, "`from` is after `to`", [{"loc": ["query", "from"], "msg": "after to", "type": "value"}])
    return ClaimFilter(kinds=kinds, story_id=story, doc_id=document, entity_ids=(entity,) if entity else (),
                       event_type=event_type, status=status, modality=modality, outlet=outlet,
                       day_from=_day(day_from), day_to=_day(day_to), levels=who.levels)


@router.get("/me", response_model=Me, summary="Who the server takes the caller for")
def me(who: Who) -> dict[str, Any]:
    return {"role": who.role.value, "tlp_ceiling": who.ceiling.value, "token_id": who.token_id, "name": who.name}


@router.get("/stories", response_model=StoryPage, summary="Stories, the most recently reported first")
def list_stories(r: Snapshot, who: Who, limit: Limit = 20, offset: Offset = 0,
                 changed_since: Annotated[datetime | None, Query(description="rank by status changes since then")]
                 = None) -> dict[str, Any]:
    since = changed_since.isoformat() if changed_since else None
    return screens.stories(r, who, limit, offset, since).as_dict()


@router.get("/stories/{story_id}", response_model=StoryDetail, responses=_NOT_FOUND,
            summary="A story: documents, timeline of events, claims, competing figures")
def get_story(story_id: Id, r: Snapshot, who: Who) -> dict[str, Any]:
    found = screens.story_view(r, who, story_id)
    if found is None:
        raise ApiError(404, f"no story {story_id}")
    return found


@router.get("/documents", response_model=DocumentPage, summary="Documents, the most recently published first")
def list_documents(r: Snapshot, who: Who, limit: Limit = 20, offset: Offset = 0, outlet: Text = None,
                   day_from: Annotated[Day, Query(alias="from")] = None,
                   day_to: Annotated[Day, Query(alias="to")] = None) -> dict[str, Any]:
    heads, total = r.document_page(limit, offset, outlet, _day(day_from), _day(day_to), who.levels)
    return {"items": [screens._head(h) for h in heads], "total": total, "limit": limit, "offset": offset}


@router.get("/documents/{doc_id}", response_model=DocumentDetail, responses=_NOT_FOUND,
            summary="A document with the spans its claims and events rest on")
def get_document(doc_id: Id, r: Snapshot, who: Who) -> dict[str, Any]:
    found = screens.document_view(r, who, doc_id)
    if found is None:
        raise ApiError(404, f"no document {doc_id}")
    return found


@router.get("/claims", response_model=ClaimPage, summary="Consolidated claims (statements and figures)")
def list_claims(r: Snapshot, who: Who, limit: Limit = 50, offset: Offset = 0,
                status: Annotated[Status | None, Query()] = None,
                modality: Annotated[ModalityName | None, Query()] = None,
                kind: Annotated[Literal["statement", "quantity"] | None, Query()] = None,
                entity: Text = None, outlet: Text = None, story: Text = None, document: Text = None,
                day_from: Annotated[Day, Query(alias="from")] = None,
                day_to: Annotated[Day, Query(alias="to")] = None) -> dict[str, Any]:
    kinds = (kind,) if kind else ("statement", "quantity")
    f = _filter(who, kinds, story, document, entity, None, status, modality, outlet, day_from, day_to)
    r.plan_for_values()  # an entity in most claims and one in a few need plans of their own (PostgreSQL)
    return claim_page(r, who, f, limit, offset).as_dict()


@router.get("/events", response_model=ClaimPage, summary="Consolidated events (PLOVER types, actors, places)")
def list_events(r: Snapshot, who: Who, limit: Limit = 50, offset: Offset = 0,
                status: Annotated[Status | None, Query()] = None,
                modality: Annotated[ModalityName | None, Query()] = None,
                type: Annotated[str | None, Query(max_length=40, description="PLOVER event type")] = None,
                entity: Text = None, outlet: Text = None, story: Text = None, document: Text = None,
                day_from: Annotated[Day, Query(alias="from")] = None,
                day_to: Annotated[Day, Query(alias="to")] = None) -> dict[str, Any]:
    f = _filter(who, ("event",), story, document, entity, type, status, modality, outlet, day_from, day_to)
    return claim_page(r, who, f, limit, offset).as_dict()


@router.get("/timeline", response_model=ClaimPage, summary="Events in date order (earliest first)")
def timeline(r: Snapshot, who: Who, limit: Limit = 100, offset: Offset = 0, entity: Text = None,
             story: Text = None, type: Annotated[str | None, Query(max_length=40)] = None,
             day_from: Annotated[Day, Query(alias="from")] = None,
             day_to: Annotated[Day, Query(alias="to")] = None) -> dict[str, Any]:
    f = _filter(who, ("event",), story, None, entity, type, None, None, None, day_from, day_to)
    rows, total = r.group_page(f, limit, offset, newest_first=False)
    from .reads import summaries

    return {"items": summaries(r, who, rows), "total": total, "limit": limit, "offset": offset}


#: a claim's reports are given a page at a time (the largest claims have hundreds)
ReportLimit = Annotated[int, Query(ge=1, le=200, description="reports of the claim per page")]
ReportOffset = Annotated[int, Query(ge=0, le=1_000_000, description="reports of the claim to skip")]


def _detail(r: Reader, who: Caller, claim_id: str, kind: str, limit: int, offset: int) -> dict[str, Any]:
    found = claim_detail(r, who, claim_id, limit, offset)
    if found is None or (found["kind"] == "event") != (kind == "event"):
        raise ApiError(404, f"no {kind} {claim_id}")
    return found


@router.get("/claims/{claim_id}", response_model=ClaimDetail, responses=_NOT_FOUND,
            summary="A claim: a page of its reports, what contradicts it, its status history and notes")
def get_claim(claim_id: Id, r: Snapshot, who: Who, limit: ReportLimit = EVIDENCE_PAGE,
              offset: ReportOffset = 0) -> dict[str, Any]:
    return _detail(r, who, claim_id, "claim", limit, offset)


@router.get("/events/{event_id}", response_model=ClaimDetail, responses=_NOT_FOUND,
            summary="An event: a page of its reports, what contradicts it, its status history and notes")
def get_event(event_id: Id, r: Snapshot, who: Who, limit: ReportLimit = EVIDENCE_PAGE,
              offset: ReportOffset = 0) -> dict[str, Any]:
    return _detail(r, who, event_id, "event", limit, offset)


@router.post("/claims/{claim_id}/notes", response_model=Note, status_code=201, responses=_NOT_FOUND,
             summary="Add a note to a claim or event (analyst token)")
def add_note(claim_id: Id, note: NoteIn, r: Snapshot, request: Request,
             who: Caller = require(Role.ANALYST)) -> dict[str, Any]:  # type: ignore[assignment]
    if claim_detail(r, who, claim_id) is None:
        raise ApiError(404, f"no claim or event {claim_id}")
    row = NoteRow(uuid.uuid4().hex[:16], claim_id, who.token_id or "", who.name, note.text.strip(),
                  datetime.now(UTC).isoformat())
    if not row.text:
        raise ApiError(422, "the note is empty", [{"loc": ["body", "text"], "msg": "empty", "type": "value"}])
    with writer_store(request).write() as w:
        w.add_note(row)
    return {"id": row.id, "author": row.author, "text": row.text, "created_at": row.created_at}


@router.get("/entities", response_model=list[EntityHit], summary="Entities whose name starts with the given text")
def list_entities(r: Snapshot, q: Annotated[str, Query(min_length=1, max_length=200)],
                  limit: Annotated[int, Query(ge=1, le=100)] = 20) -> list[dict[str, Any]]:
    from ..link.entities import fold_name

    found = r.find_entities(fold_name(q), limit) if fold_name(q) else []
    return [{"id": f.id, "name": f.name, "type": f.type, "mentions": f.mentions} for f in found]


@router.get("/entities/{entity_id}", response_model=EntityDetail, responses=_NOT_FOUND,
            summary="An entity: aliases, mentions by day, co-occurring actors, its claims and events")
def get_entity(entity_id: Id, r: Snapshot, who: Who) -> dict[str, Any]:
    found = screens.entity_view(r, who, entity_id)
    if found is None:
        raise ApiError(404, f"no entity {entity_id}")
    return found


@router.get("/tracks", response_model=list[Track], summary="Figures tracked over time (subject and unit)")
def list_tracks(r: Snapshot, who: Who, limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[dict[str, Any]]:
    return screens.tracks(r, who, limit)


@router.get("/tracks/{track}", response_model=TrackDetail, responses=_NOT_FOUND,
            summary="Every estimate of one figure: when, how many, according to whom")
def get_track(track: Annotated[str, PathParam(min_length=1, max_length=300)], r: Snapshot,
              who: Who) -> dict[str, Any]:
    found = screens.track_view(r, who, track)
    if found is None:
        raise ApiError(404, f"no track {track}")
    return found


@router.get("/search", response_model=SearchResult, summary="Full text over documents and claims, and entity names",
            description="Documents best first (BM25 on SQLite, ts_rank_cd on PostgreSQL) among the latest 200 "
                        "stored documents that match the words, and claims best first among the latest 200 stored "
                        "claims that match them (all matches when there are fewer), so that a word most reports "
                        "contain costs no more than a rare one. Latest stored: in the order they were written "
                        "(SQLite) or by the time their document was stored, then the highest id (PostgreSQL; "
                        "documents stored in one batch share their time). A word given twice in a query without "
                        "OR or NOT counts once. Words in "
                        "more than 5,000 stored documents (claims) are common and not scored: a query of common "
                        "words only, or one with OR or NOT and a common word, lists its matches newest first; "
                        "otherwise its rarer words rank the latest 200 matches (on SQLite, BM25 of those words).")
def search(r: Snapshot, who: Who, q: Annotated[str, Query(min_length=1, max_length=500)],
           limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
    return screens.search(r, who, q, limit)


@router.get("/changes", response_model=Changes, summary="Status changes since a moment, the latest first")
def changes(r: Snapshot, who: Who, since: Annotated[datetime | None, Query()] = None,
            limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
    return screens.changes(r, who, since.isoformat() if since else None, limit)


@router.get("/alerts", response_model=AlertPage, summary="The watch rules' alerts, the newest first")
def list_alerts(r: Snapshot, who: Who, limit: Limit = 20, offset: Offset = 0,
                rule: Annotated[str | None, Query(max_length=200, description="only this rule's alerts")] = None
                ) -> dict[str, Any]:
    return alert_page(r, who, limit, offset, rule)


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@router.post("/documents", response_model=IngestResult, status_code=201,
             summary="Upload files to ingest (analyst token): text, Markdown, HTML, JSON Lines, feeds, WARC")
def upload(request: Request, files: Annotated[list[UploadFile], File(description="one or more files")],
           tlp: Annotated[Literal["clear", "green", "amber", "amber+strict", "red"], Form()] = "clear",
           who: Caller = require(Role.ANALYST)) -> dict[str, Any]:  # type: ignore[assignment]
    from ..ingest import IngestOptions, read_paths
    from ..pipeline import ingest_documents

    settings = request.app.state.desk.options.settings
    level = Tlp(tlp)
    with tempfile.TemporaryDirectory(prefix="watchfloor-upload-") as folder:
        names: dict[str, str] = {}
        for i, upload_file in enumerate(files):
            original = upload_file.filename or f"upload-{i}"
            name = f"{i:03d}-{_SAFE_NAME.sub('_', Path(original).name)[-120:] or 'file'}"
            (Path(folder) / name).write_bytes(upload_file.file.read())
            names[str(Path(folder) / name)] = original
        items = (replace(i, tlp=level, source_path=f"upload:{names.get(i.source_path or '', i.source_path)}")
                 if isinstance(i, Document) else i
                 for i in read_paths([Path(folder)], IngestOptions(settings.max_file_mb)))
        report = ingest_documents(items, writer_store(request), settings)
    errors = [f"{names.get(e.source, Path(e.source).name)}: {e.reason}" for e in report.errors]
    return {"added": report.added, "already_stored": report.already_stored, "near_duplicates": report.near_duplicates,
            "added_ids": report.added_ids, "errors": errors}


@router.get("/tokens", response_model=list[TokenInfo], summary="The API tokens (admin token)")
def list_tokens(r: Snapshot, who: Caller = require(Role.ADMIN)) -> list[dict[str, Any]]:  # type: ignore[assignment]
    return [{"id": t.id, "name": t.name, "role": t.role, "tlp_ceiling": t.tlp_ceiling, "created_at": t.created_at,
             "revoked_at": t.revoked_at} for t in r.tokens()]


@router.delete("/tokens/{token_id}", status_code=204, responses=_NOT_FOUND, summary="Revoke a token (admin token)")
def revoke(token_id: Id, request: Request, who: Caller = require(Role.ADMIN)) -> None:  # type: ignore[assignment]
    with writer_store(request).write() as w:
        if not w.revoke_token(token_id, datetime.now(UTC).isoformat()):
            raise ApiError(404, f"no live token {token_id}")

