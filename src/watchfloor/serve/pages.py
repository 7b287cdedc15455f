"""The dashboard: server-rendered pages (Jinja2, autoescaped) over the same reads as the API.

Every piece of document text reaches the page through autoescaping, never as markup; charts, the map and the
graph are drawn by the scripts in ``static/`` from JSON embedded as data (``tojson``), which the
Content-Security-Policy lets no one execute. Links are keyboard-reachable; ``/`` jumps to search and
``j``/``k`` move through the rows of a page (``static/app.js``).

Writing from a page (a note on a claim) takes an API token typed into the form, as the API does: the token
cookie set by ``/login`` only ever lets a browser *read*, so a forged cross-site form can write nothing.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..store import NoteRow, Reader
from . import screens
from .alerts import alert_page
from .app import TOKEN_COOKIE, OneTrip, caller, reader, writer_store
from .errors import ApiError
from .reads import claim_detail
from .tokens import Caller, Role, caller_for

__all__ = ["router"]

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse, route_class=OneTrip)

SEEN_COOKIE = "watchfloor_seen"
PAGE = 25
Who = Annotated[Caller, Depends(caller)]
Snapshot = Annotated[Reader, Depends(reader)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


def _render(request: Request, name: str, who: Caller, **context: Any) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, name, {"who": who, **context})


@router.get("/")
def feed(request: Request, r: Snapshot, who: Who, offset: Offset = 0,
         sort: Annotated[str, Query(pattern="^(newest|changed)$")] = "newest") -> Response:
    since = None
    if sort == "changed":
        latest = r.changes(None, 1, who.levels)
        since = _days_before(latest[0].changed_at, 7) if latest else "0000"
    page = screens.stories(r, who, PAGE, offset, since)
    return _render(request, "feed.html", who, page=page, sort=sort, since=since, next_offset=offset + PAGE)


def _days_before(moment: str, days: int) -> str:
    return (datetime.fromisoformat(moment) - timedelta(days=days)).isoformat()


@router.get("/stories/{story_id}")
def story(request: Request, story_id: str, r: Snapshot, who: Who) -> Response:
    found = screens.story_view(r, who, story_id)
    if found is None:
        raise ApiError(404, f"no story {story_id}")
    return _render(request, "story.html", who, **found)


@router.get("/claims/{claim_id}")
def claim(request: Request, claim_id: str, r: Snapshot, who: Who, offset: Offset = 0) -> Response:
    found = claim_detail(r, who, claim_id, offset=offset)
    if found is None:
        raise ApiError(404, f"no claim {claim_id}")
    return _render(request, "claim.html", who, **found)


@router.post("/claims/{claim_id}/notes")
def note(request: Request, claim_id: str, r: Snapshot, token: Annotated[str, Form(max_length=200)],
         text: Annotated[str, Form(min_length=1, max_length=5000)]) -> Response:
    who = caller_for(r, token.strip())
    if who is None:
        raise ApiError(401, "unknown or revoked API token")
    if not who.may(Role.ANALYST):
        raise ApiError(403, f"notes need an analyst token; this is a {who.role.value} token")
    if claim_detail(r, who, claim_id, limit=1) is None:
        raise ApiError(404, f"no claim {claim_id}")
    with writer_store(request).write() as w:
        w.add_note(NoteRow(uuid.uuid4().hex[:16], claim_id, who.token_id or "", who.name, text.strip(),
                           datetime.now(UTC).isoformat()))
    return RedirectResponse(f"/claims/{claim_id}#notes", status_code=303)


@router.get("/documents/{doc_id}")
def document(request: Request, doc_id: str, r: Snapshot, who: Who) -> Response:
    found = screens.document_view(r, who, doc_id)
    if found is None:
        raise ApiError(404, f"no document {doc_id}")
    spans = [(s["start"], s["end"], s["claim_id"], s["status"]) for s in found["spans"]]
    pieces = screens.segments(found["document"]["text"], spans)
    return _render(request, "document.html", who, document=found["document"], segments=pieces,
                   claims=sorted({s["claim_id"] for s in found["spans"]}))


@router.get("/entities/{entity_id}")
def entity(request: Request, entity_id: str, r: Snapshot, who: Who) -> Response:
    found = screens.entity_view(r, who, entity_id)
    if found is None:
        raise ApiError(404, f"no entity {entity_id}")
    return _render(request, "entity.html", who, **found)


@router.get("/tracker")
def tracker(request: Request, r: Snapshot, who: Who,
            track: Annotated[str | None, Query(max_length=300)] = None) -> Response:
    tracks = screens.tracks(r, who)
    chosen = track or (tracks[0]["track"] if tracks else None)
    view = screens.track_view(r, who, chosen) if chosen else None
    if track and view is None:
        raise ApiError(404, f"no track {track}")
    return _render(request, "tracker.html", who, tracks=tracks, view=view)


@router.get("/map")
def world_map(request: Request, r: Snapshot, who: Who) -> Response:
    events = screens.located_events(r, who, 300)
    return _render(request, "map.html", who, events=events)


@router.get("/search")
def search(request: Request, r: Snapshot, who: Who, q: Annotated[str, Query(max_length=500)] = "") -> Response:
    found = screens.search(r, who, q, 25) if q.strip() else None
    return _render(request, "search.html", who, q=q, found=found)


@router.get("/changes")
def changes(request: Request, r: Snapshot, who: Who,
            since: Annotated[datetime | None, Query()] = None) -> Response:
    """What changed since the last visit: the marker is kept in the store for a token holder, and in a cookie
    for an anonymous local reader (reading never writes without a token)."""
    now = datetime.now(UTC).isoformat()
    visitor = f"token:{who.token_id}" if who.token_id else None
    last = r.last_visit(visitor) if visitor else request.cookies.get(SEEN_COOKIE)
    if last is not None:
        try:
            datetime.fromisoformat(last)
        except ValueError:
            last = None
    shown_since = since.isoformat() if since else last
    found = screens.changes(r, who, shown_since, 200)
    response = _render(request, "changes.html", who, since=shown_since, last=last, **{"changes": found["changes"]})
    if visitor:
        with writer_store(request).write() as w:
            w.set_last_visit(visitor, now)
    else:
        response.set_cookie(SEEN_COOKIE, now, max_age=365 * 86400, httponly=True, samesite="strict")
    return response


@router.get("/alerts")
def alerts(request: Request, r: Snapshot, who: Who, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
           rule: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    page = alert_page(r, who, PAGE, offset, rule or None)
    return _render(request, "alerts.html", who, page=page, rule=rule or None, next_offset=offset + PAGE)


def _anonymous(request: Request) -> Caller:
    return Caller(Role.READER, request.app.state.desk.options.open_ceiling)


@router.get("/login")
def login_form(request: Request) -> Response:
    return _render(request, "login.html", _anonymous(request), failed=False)


@router.post("/login")
def login(request: Request, r: Snapshot, token: Annotated[str, Form(max_length=200)]) -> Response:
    found = caller_for(r, token.strip())
    if found is None:
        return _render(request, "login.html", _anonymous(request), failed=True)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(TOKEN_COOKIE, token.strip(), httponly=True, samesite="strict", max_age=12 * 3600)
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(TOKEN_COOKIE)
    return response
