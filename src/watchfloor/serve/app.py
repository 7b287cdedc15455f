"""The application factory: one FastAPI app over one store, with the JSON API under ``/api``, the dashboard
pages, TAXII 2.1 under ``/taxii2/`` (:mod:`.taxii`), the static assets, the security headers and size limits,
and the one error shape.

    app = create_app(ServeOptions(db="desk.db"))          # what `watchfloor serve` runs
    app.include_router(other_router)                      # more routers mount on the same app

Routes get a read snapshot from :func:`reader` and the caller from :func:`caller` (a token in the
``Authorization`` header — Bearer, or HTTP Basic with the token as password — or, for pages, the
``watchfloor_token`` cookie). A route's work is done in one trip to the thread pool (:class:`OneTrip`).
Reading without a token is allowed only when ``open_reads`` is on (the default when the server listens on
loopback only); writing always needs a token of the right role. TAXII always needs a token
(:func:`.taxii.partner`).
"""

from __future__ import annotations

import gc
import inspect
import json
import os
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from ..config import Settings, load_settings
from ..model import Tlp
from ..store import DeferredReader, Reader, Store, open_store
from .errors import ApiError, install_handlers
from .guard import Guard
from .tokens import Caller, Role, caller_for, credential_from_header

__all__ = ["OneTrip", "ServeOptions", "caller", "create_app", "reader", "require", "writer_store"]

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
TOKEN_COOKIE = "watchfloor_token"
UPLOAD_PATH = "/api/documents"


@dataclass(frozen=True)
class ServeOptions:
    db: str = "watchfloor.db"
    #: anonymous reads (no token) are allowed; `watchfloor serve` turns this on only for loopback addresses
    open_reads: bool = True
    #: what anonymous readers may see when reading is open (the desk's own analysts on this machine)
    open_ceiling: Tlp = Tlp.RED
    #: bodies of requests other than uploads
    max_body: int = 64 * 1024
    settings: Settings = field(default_factory=Settings)

    @property
    def max_upload(self) -> int:
        return int(self.settings.max_file_mb) * 1024 * 1024


class Desk:
    """The app's hold on its store: a read-only store for every request, a writing one opened when first
    needed (uploads, notes, tokens), so that a server that never writes never takes the writer lock."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.store = open_store(options.db, "read", options.settings.lock_timeout)
        self._writer: Store | None = None
        self._lock = threading.Lock()

    def writer(self) -> Store:
        with self._lock:
            if self._writer is None:
                self._writer = open_store(self.options.db, "write", self.options.settings.lock_timeout)
            return self._writer

    def close(self) -> None:
        self.store.close()
        if self._writer is not None:
            self._writer.close()


def _desk(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


async def reader(request: Request) -> AsyncIterator[Reader]:
    """A read snapshot for one request, begun by its first statement. The route ends it in the thread that did
    the reading (:class:`OneTrip`); one that a dependency alone read from, or whose route never ran, ends here."""
    snapshot = _desk(request).store.deferred_read()
    try:
        yield snapshot
    except BaseException as error:
        if snapshot.begun:
            await run_in_threadpool(snapshot.close, error)
        raise
    if snapshot.begun:
        await run_in_threadpool(snapshot.close)


class OneTrip(APIRoute):
    """A route whose endpoint is a plain function runs it, and ends the snapshot it read from, in one trip to the
    thread pool. FastAPI makes a trip for each plain function and for each end of a dependency that yields (the
    snapshot begun, the caller found, the endpoint, the answer checked against its model, the snapshot ended):
    five a request, each ~0.1 ms of processor time on this machine (threads woken and waited for), where a
    route's whole work on a page of claims is a few milliseconds."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint if inspect.iscoroutinefunction(endpoint) else _one_trip(endpoint), **kwargs)


def _one_trip(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(endpoint)  # FastAPI reads the parameters, and resolves their annotations, from the endpoint itself
    async def answer(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(_run_and_end, endpoint, args, kwargs)

    return answer


def _run_and_end(endpoint: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    snapshots = [value for value in kwargs.values() if isinstance(value, DeferredReader)]
    try:
        found = endpoint(*args, **kwargs)
    except BaseException as error:
        for snapshot in snapshots:
            snapshot.close(error)  # a database error comes out as a StoreError, answered as one
        raise
    for snapshot in snapshots:
        snapshot.close()
    return found


def writer_store(request: Request) -> Store:
    return _desk(request).writer()


def _credential(request: Request) -> str | None:
    header = credential_from_header(request.headers.get("authorization"))
    if header is not None:
        return header
    if not request.url.path.startswith("/api"):
        return request.cookies.get(TOKEN_COOKIE)
    return None


async def caller(request: Request, r: Reader = Depends(reader)) -> Caller:
    """Who asks. A token that is given must be valid (401 otherwise); without one, reading must be open."""
    options = _desk(request).options
    token = _credential(request)
    if token is None:
        if options.open_reads:
            return Caller(Role.READER, options.open_ceiling)
        raise ApiError(401, "this server needs an API token to read; send it as `Authorization: Bearer TOKEN`",
                       headers={"WWW-Authenticate": "Bearer"})
    found = await run_in_threadpool(caller_for, r, token)
    if found is None:
        raise ApiError(401, "unknown or revoked API token", headers={"WWW-Authenticate": "Bearer"})
    return found


def require(role: Role) -> object:
    """A dependency: the caller must hold a token of at least this role (401 without one, 403 below it)."""

    async def check(who: Caller = Depends(caller)) -> Caller:
        if who.token_id is None:
            raise ApiError(401, f"this needs an API token of role {role.value} or above; make one with "
                                f"`watchfloor token create --role {role.value}`", headers={"WWW-Authenticate": "Bearer"})
        if not who.may(role):
            raise ApiError(403, f"this needs role {role.value} or above; the token given is a {who.role.value} token")
        return who

    return Depends(check)


#: how `watchfloor serve --workers N` hands its options to the worker processes uvicorn starts
OPTIONS_VARIABLE = "WATCHFLOOR_SERVE_OPTIONS"


def options_for_workers(options: ServeOptions) -> str:
    """The options as the worker processes read them back (:func:`app_from_environment`)."""
    return json.dumps({"db": options.db, "open_reads": options.open_reads, "open_ceiling": options.open_ceiling.value,
                       "max_body": options.max_body})


def app_from_environment() -> FastAPI:
    """The app of one worker process of `watchfloor serve --workers N`: each process opens the store itself
    (SQLite and PostgreSQL both take readers from many processes; writes still go one at a time through the
    store's writer lock), so a server uses every core it is given instead of one."""
    given = json.loads(os.environ[OPTIONS_VARIABLE])
    return create_app(ServeOptions(db=given["db"], open_reads=bool(given["open_reads"]),
                                   open_ceiling=Tlp(given["open_ceiling"]), max_body=int(given["max_body"]),
                                   settings=load_settings().replace(db=given["db"])))


def settle_heap() -> None:
    """Keep what the server holds from its start (modules, the app, the store's tables) out of the garbage
    collector's reach: a full collection walked all of it, about 170 ms in which a server process answered
    nothing, every few hundred requests, which the slowest twentieth of the answers waited behind. What the
    requests leave behind is collected as before."""
    gc.collect()
    gc.freeze()


@lru_cache(maxsize=64)
def badge(status: str) -> Markup:
    """A claim's status as the pages show it (escaped). A function rather than a Jinja macro, and kept for each of
    the few statuses there are: a story page shows a few hundred, and a macro call costs several times a
    function's."""
    return Markup('<span class="badge {}">{}</span>').format(status, status.replace("_", " "))


def create_app(options: ServeOptions) -> FastAPI:
    """The whole server over the store ``options.db`` (opened read-only here; it must exist)."""
    from .api import router as api_router
    from .pages import router as pages_router
    from .taxii import router as taxii_router
    from .taxii_feed import FeedCache

    desk = Desk(options)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        settle_heap()
        yield
        desk.close()  # the store's connections go with the server

    app = FastAPI(title="watchfloor", version="1", summary="The situation picture: stories, claims, events, "
                  "entities and figures, with their sources.", docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.desk = desk
    app.state.taxii = FeedCache()  # the TAXII collection of each TLP ceiling, kept while the store is unchanged
    environment = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, auto_reload=False)
    environment.globals["badge"] = badge
    app.state.templates = Jinja2Templates(env=environment)
    install_handlers(app)
    app.include_router(api_router)
    app.include_router(pages_router)
    app.include_router(taxii_router)
    app.mount("/static", StaticFiles(directory=str(STATIC), check_dir=False), name="static")
    app.add_middleware(Guard, max_body=options.max_body, max_upload=options.max_upload,
                       upload_paths=(UPLOAD_PATH,))
    return app
