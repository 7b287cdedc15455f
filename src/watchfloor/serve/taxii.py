"""TAXII 2.1 over the picture: a partner's TAXII client polls ``/taxii2/`` for the STIX 2.1 objects its token's
TLP ceiling allows.

    GET /taxii2/                                                     discovery
    GET /taxii2/watchfloor/                                          the API root
    GET /taxii2/watchfloor/collections/                              one collection: the situation picture
    GET /taxii2/watchfloor/collections/{id}/                         ...its description
    GET /taxii2/watchfloor/collections/{id}/objects/                 its objects, a page at a time
    GET /taxii2/watchfloor/collections/{id}/objects/{object_id}/     one object
    GET /taxii2/watchfloor/collections/{id}/objects/{object_id}/versions/
    GET /taxii2/watchfloor/collections/{id}/manifest/                what the objects are, without them
    GET /taxii2/watchfloor/status/{id}/                              404: nothing is ever written here

Every request needs a token (HTTP Basic, any user name, the API token as the password, as TAXII 2.1 requires;
a Bearer header is taken too), whatever ``open_reads`` says: a TAXII client is a partner's machine, and a
server fronted by a proxy on the same host sees every partner as loopback. Every role may read; what is read is
cut to the token's TLP ceiling (:mod:`.taxii_feed`). The collection is read-only (``can_write: false``): adding
objects and deleting them answer 403. Answers and errors are ``application/taxii+json;version=2.1``; a request
that accepts neither that nor ``*/*`` gets 406, a write whose body is not that media type 415.

The routes stay thin: they check the caller and the media types, parse the filters, and take a page of
:func:`.taxii_feed.page` over the reader's :class:`~.taxii_feed.Feed`.
"""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from ..store import Reader
from .app import OneTrip, reader
from .errors import TAXII_MEDIA_TYPE, ApiError
from .taxii_feed import Feed, FeedCache, Filters, Page, decode_next, page, parse_time
from .tokens import Caller, caller_for, credential_from_header

__all__ = ["API_ROOT", "COLLECTION_ID", "DEFAULT_PAGE", "MAX_PAGE", "router"]

API_ROOT = "watchfloor"
#: the one collection's id: the same on every watchfloor server, so that a partner's configuration survives
#: a restart or a move of the store
COLLECTION_ID = str(uuid.uuid5(uuid.UUID("dc36c238-31ee-4924-84db-d38ea2b81e12"), "taxii-collection:picture"))
#: objects per page when the client does not say, and at most
DEFAULT_PAGE = 100
MAX_PAGE = 1000
BASIC = {"WWW-Authenticate": 'Basic realm="watchfloor TAXII", charset="UTF-8"'}
STIX_MEDIA_TYPE = "application/stix+json;version=2.1"

router = APIRouter(prefix="/taxii2", include_in_schema=False, route_class=OneTrip)


def _media(value: str) -> tuple[str, dict[str, str]]:
    kind, *params = (p.strip() for p in value.split(";"))
    found = {}
    for param in params:
        name, _, given = param.partition("=")
        found[name.strip().lower()] = given.strip().strip('"')
    return kind.lower(), found


def _accepts_taxii(header: str | None) -> bool:
    """Whether an ``Accept`` header takes TAXII 2.1: ``application/taxii+json`` (version 2.1 or none, meaning the
    latest), ``application/*`` or ``*/*`` (no header is ``*/*``), with a quality above zero."""
    for value in (header or "*/*").split(","):
        kind, params = _media(value)
        if params.get("q", "1").strip() in ("0", "0.0", "0.00", "0.000"):
            continue
        if kind in ("*/*", "application/*") or (kind == "application/taxii+json"
                                                and params.get("version", "2.1") == "2.1"):
            return True
    return False


def partner(request: Request, r: Reader = Depends(reader)) -> Caller:
    """The caller of a TAXII request: a valid token is required (401), then an ``Accept`` TAXII 2.1 (406)."""
    token = credential_from_header(request.headers.get("authorization"))
    if not token:
        raise ApiError(401, "TAXII needs HTTP Basic authentication: any user name, and an API token as the password "
                            "(make one with `watchfloor token create --role reader --tlp-ceiling green`)", headers=BASIC)
    found = caller_for(r, token)
    if found is None:
        raise ApiError(401, "unknown or revoked API token", headers=BASIC)
    if not _accepts_taxii(request.headers.get("accept")):
        raise ApiError(406, f"this server answers in {TAXII_MEDIA_TYPE} only; the request does not accept it")
    return found


def _answer(body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, headers=headers, media_type=TAXII_MEDIA_TYPE)


def _root_url(request: Request) -> str:
    return f"{request.scope.get('root_path', '')}/taxii2/{API_ROOT}/"


def _collection() -> dict[str, Any]:
    return {"id": COLLECTION_ID, "title": "The situation picture",
            "description": "Every report, claim and event of the desk's picture with its sources, status, Admiralty "
                           "grade and TLP marking, as STIX 2.1; each reader sees what their TLP ceiling allows.",
            "alias": "picture", "can_read": True, "can_write": False, "media_types": [STIX_MEDIA_TYPE]}


def _known(collection_id: str) -> None:
    if collection_id != COLLECTION_ID:
        raise ApiError(404, f"no collection {collection_id[:80]} under this API root")


def _feed(request: Request, r: Reader, who: Caller, collection_id: str) -> Feed:
    _known(collection_id)
    cache: FeedCache = request.app.state.taxii
    return cache.feed(r, who.ceiling)


def _values(request: Request, name: str) -> tuple[str, ...]:
    return tuple(v.strip() for given in request.query_params.getlist(name) for v in given.split(",") if v.strip())


def _filters(request: Request, allowed: tuple[str, ...]) -> tuple[Filters, int, tuple[str, str] | None]:
    """The filters, the page size and where to continue from, as the request gives them (400 when malformed)."""
    params = request.query_params
    added_after = None
    if "added_after" in params:
        added_after = parse_time(params["added_after"])
        if added_after is None:
            raise ApiError(400, f"added_after must be a timestamp such as 2024-11-05T10:00:00.000Z, not "
                                f"{params['added_after'][:40]!r}")
    versions: tuple[str, ...] = ("last",)
    if "version" in allowed and _values(request, "match[version]"):
        versions = ()
        for value in _values(request, "match[version]"):
            parsed = value if value in ("first", "last", "all") else parse_time(value)
            if parsed is None:
                raise ApiError(400, f"match[version] takes first, last, all or timestamps, not {value[:40]!r}")
            versions += (parsed,)
    limit = DEFAULT_PAGE
    if "limit" in params:
        try:
            limit = int(params["limit"])
        except ValueError:
            limit = 0
        if limit <= 0:
            raise ApiError(400, "limit must be a positive whole number")
        limit = min(limit, MAX_PAGE)
    after = None
    if params.get("next"):
        after = decode_next(params["next"])
        if after is None:
            raise ApiError(400, "next must be a value this server gave in an earlier page")
    return (Filters(added_after=added_after,
                    ids=_values(request, "match[id]") if "id" in allowed else (),
                    types=_values(request, "match[type]") if "type" in allowed else (),
                    versions=versions, spec_versions=_values(request, "match[spec_version]")), limit, after)


@router.get("/")
def discovery(request: Request, _: Caller = Depends(partner)) -> JSONResponse:
    root = _root_url(request)
    return _answer({"title": "watchfloor", "description": "The situation picture of a watch floor, as STIX 2.1 "
                    "for partners; see the API root's collection.", "default": root, "api_roots": [root]})


@router.get(f"/{API_ROOT}/")
def api_root(request: Request, _: Caller = Depends(partner)) -> JSONResponse:
    return _answer({"title": "watchfloor", "description": "One collection: the situation picture, read-only.",
                    "versions": [TAXII_MEDIA_TYPE], "max_content_length": request.app.state.desk.options.max_body})


@router.get(f"/{API_ROOT}/status/{{status_id}}/")
def status(status_id: str, _: Caller = Depends(partner)) -> JSONResponse:
    raise ApiError(404, f"no status {status_id[:80]}: this server takes no writes, so it has no statuses")


@router.get(f"/{API_ROOT}/collections/")
def collections(_: Caller = Depends(partner)) -> JSONResponse:
    return _answer({"collections": [_collection()]})


@router.get(f"/{API_ROOT}/collections/{{collection_id}}/")
def collection(collection_id: str, _: Caller = Depends(partner)) -> JSONResponse:
    _known(collection_id)
    return _answer(_collection())


def _paged(found: Page, key: str, items: list[Any]) -> JSONResponse:
    """A page as TAXII gives one: ``more``, ``next`` while there is more, the items under ``key`` when there are
    any, and the first and last ``date_added`` in headers."""
    body: dict[str, Any] = {"more": found.more}
    if found.next:
        body["next"] = found.next
    if items:
        body[key] = items
    return _answer(body, found.headers())


def _listing(request: Request, r: Reader, who: Caller, collection_id: str) -> Page:
    feed = _feed(request, r, who, collection_id)
    filters, limit, after = _filters(request, ("id", "type", "version"))
    return page(feed, filters, limit, after)


@router.get(f"/{API_ROOT}/collections/{{collection_id}}/objects/")
def objects(collection_id: str, request: Request, r: Reader = Depends(reader),
            who: Caller = Depends(partner)) -> JSONResponse:
    found = _listing(request, r, who, collection_id)
    return _paged(found, "objects", [e.stix for e in found.entries])


@router.get(f"/{API_ROOT}/collections/{{collection_id}}/manifest/")
def manifest(collection_id: str, request: Request, r: Reader = Depends(reader),
             who: Caller = Depends(partner)) -> JSONResponse:
    found = _listing(request, r, who, collection_id)
    return _paged(found, "objects", [e.manifest() for e in found.entries])


def _one(request: Request, r: Reader, who: Caller, collection_id: str, object_id: str) -> Feed:
    """The object alone (404 when the reader's collection has no such object, whether or not it exists)."""
    entry = _feed(request, r, who, collection_id).by_id.get(object_id)
    if entry is None:
        raise ApiError(404, f"no object {object_id[:120]} in this collection")
    return Feed([entry])


@router.get(f"/{API_ROOT}/collections/{{collection_id}}/objects/{{object_id}}/")
def get_object(collection_id: str, object_id: str, request: Request, r: Reader = Depends(reader),
               who: Caller = Depends(partner)) -> JSONResponse:
    filters, limit, after = _filters(request, ("version",))
    found = page(_one(request, r, who, collection_id, object_id), filters, limit, after)
    return _paged(found, "objects", [e.stix for e in found.entries])


@router.get(f"/{API_ROOT}/collections/{{collection_id}}/objects/{{object_id}}/versions/")
def versions(collection_id: str, object_id: str, request: Request, r: Reader = Depends(reader),
             who: Caller = Depends(partner)) -> JSONResponse:
    filters, limit, after = _filters(request, ())
    every = Filters(added_after=filters.added_after, versions=("all",), spec_versions=filters.spec_versions)
    found = page(_one(request, r, who, collection_id, object_id), every, limit, after)
    return _paged(found, "versions", [e.version for e in found.entries])


def _read_only(collection_id: str) -> NoReturn:
    _known(collection_id)
    raise ApiError(403, "this collection is read-only (can_write is false): the picture is made from reports "
                        "ingested on the desk, not from objects sent here")


@router.post(f"/{API_ROOT}/collections/{{collection_id}}/objects/")
def add_objects(collection_id: str, request: Request, _: Caller = Depends(partner)) -> JSONResponse:
    kind, params = _media(request.headers.get("content-type", ""))
    if kind != "application/taxii+json" or params.get("version", "2.1") != "2.1":
        raise ApiError(415, f"objects are sent as {TAXII_MEDIA_TYPE}")
    _read_only(collection_id)


@router.delete(f"/{API_ROOT}/collections/{{collection_id}}/objects/{{object_id}}/")
def delete_object(collection_id: str, object_id: str, _: Caller = Depends(partner)) -> JSONResponse:
    _read_only(collection_id)
