"""Where a store is and how to connect to it: an SQLite file or a PostgreSQL database, one code path.

Transactions come in two kinds. A *read* transaction sees one consistent snapshot and never blocks a
writer. A *write* transaction holds the store's one writer lock from its first statement to its commit:
``BEGIN IMMEDIATE`` on SQLite, a transaction-scoped advisory lock on PostgreSQL. Waiting longer than the
lock timeout for it is a :class:`StoreLockedError`, a message and not a traceback.
"""

from __future__ import annotations

import re
import select
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError

from ..errors import StoreError

__all__ = ["Location", "StoreLockedError", "connect", "parse_location", "refresh_statistics", "transaction"]

Mode = Literal["read", "write", "create"]

#: SQLite read connections: the file mapped (up to this size) and a private page cache of this many KiB
READ_MMAP_BYTES = 1 << 30
READ_CACHE_KIB = 16_384
#: SQLite write connections: a private page cache of this many KiB. A batch inserts thousands of rows under
#: random keys (near-duplicate bands, fingerprints, terms) into indexes of tens of thousands of pages at 100k
#: documents, and reads the same pages first (its lookups); with the default 2 MB each page was read again
WRITE_CACHE_KIB = 65_536
#: rows of each index SQLite samples when it refreshes its planner's statistics
ANALYSIS_LIMIT = 1000

#: PostgreSQL connections an engine keeps open between transactions, and the extra ones it opens (and closes
#: again) when more transactions than that run at once. A server process runs up to 40 requests at once (its
#: thread pool), each in a read transaction of its own: with SQLAlchemy's default of 5 kept, a server under 20
#: clients opened and closed a connection every ten requests (a new server backend each, which reads its
#: catalogue again before its first queries), where it now keeps the connections it needs
POOL_KEPT = 20
POOL_EXTRA = 20

#: the advisory lock every PostgreSQL write transaction takes (one writer at a time, as on SQLite)
WRITER_LOCK = 7_310_201


class StoreLockedError(StoreError):
    """Another process held the writer lock for longer than the lock timeout."""


@dataclass(frozen=True)
class Location:
    engine: Literal["sqlite", "postgresql"]
    url: str  # for SQLAlchemy
    display: str  # for messages: the path, or the URL without its password
    path: Path | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.engine == "sqlite"


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")


def parse_location(location: str) -> Location:
    """A path (SQLite) or a ``postgresql://user@host:port/db`` URL."""
    scheme = _SCHEME.match(location)
    if scheme is None:
        path = Path(location).expanduser()
        return Location("sqlite", f"sqlite:///{path}", str(path), path)
    name = scheme.group(1).lower()
    if name in {"postgresql", "postgres", "postgresql+psycopg"}:
        try:
            url = make_url(location).set(drivername="postgresql+psycopg")
        except ArgumentError as exc:
            raise StoreError(f"{location}: not a valid PostgreSQL URL ({exc})") from exc
        return Location("postgresql", url.render_as_string(hide_password=False),
                        url.set(drivername="postgresql").render_as_string(hide_password=True))
    if name == "sqlite":
        database = make_url(location).database
        if not database or database == ":memory:":
            raise StoreError(f"{location}: give the path of an SQLite file (sqlite:///path/to/store.db)")
        return parse_location(database)
    raise StoreError(f"{location}: {name} stores are not supported; give the path of an SQLite file or a "
                     f"postgresql://user@host:port/database URL")


def connect(location: Location, mode: Mode, lock_timeout: float) -> Engine:
    """An engine whose connections are set up for the mode (read-only connections cannot write)."""
    if location.is_sqlite:
        engine = create_engine(location.url, connect_args={"timeout": lock_timeout, "check_same_thread": False})
        _sqlite_setup(engine, mode, lock_timeout)
    else:
        engine = create_engine(location.url, pool_size=POOL_KEPT, max_overflow=POOL_EXTRA)
        # plain INSERTs of many rows go as INSERT ... VALUES (...), (...) a page of rows at a time, not as a
        # statement per row (``base.insert_rows`` does the same for inserts that may meet an existing row)
        engine.dialect.use_insertmanyvalues_wo_returning = True
        _postgresql_setup(engine, mode, lock_timeout)
    return engine


def _sqlite_setup(engine: Engine, mode: Mode, lock_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun below, not by the driver
        cursor = dbapi_connection.cursor()
        if mode != "read":
            _set_wal(cursor, lock_timeout)
            cursor.execute(f"PRAGMA cache_size=-{WRITE_CACHE_KIB}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        if mode == "read":
            cursor.execute("PRAGMA query_only=ON")
            # a server's readers share the file through the OS page cache instead of each copying pages into a
            # private cache of 2 MB (the default), which a page of claims over a large store overflows
            cursor.execute(f"PRAGMA mmap_size={READ_MMAP_BYTES}")
            cursor.execute(f"PRAGMA cache_size=-{READ_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        writing = connection.get_execution_options().get("watchfloor_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def _set_wal(cursor: sqlite3.Cursor, lock_timeout: float) -> None:
    """Switch the file to write-ahead logging, waiting up to the lock timeout. A fresh file that another process
    is creating at the same moment answers "locked" at once, without waiting: SQLite skips its busy handler
    where waiting could deadlock (this connection holds a shared lock and asks for an exclusive one), so the
    wait is done here, a few milliseconds at a time."""
    deadline = time.monotonic() + lock_timeout
    pause = 0.002
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def _postgresql_setup(engine: Engine, mode: Mode, lock_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            if mode == "read":
                cursor.execute("SET default_transaction_read_only = on")
                # a reader's statements all see the store as it was when its transaction began (as SQLite's
                # do), not each the latest commit: a page's lists and counts agree with each other
                cursor.execute("SET default_transaction_isolation = 'repeatable read'")
            cursor.execute(f"SET lock_timeout = '{int(lock_timeout * 1000)}ms'")
        dbapi_connection.commit()

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if _ended_by_server(dbapi_connection):
            raise DisconnectionError("the server ended this connection")  # the pool opens another in its place

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get("watchfloor_write", False):
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})


def _ended_by_server(dbapi_connection: Any) -> bool:
    """Whether the server has ended a pooled connection (it restarted, or the backend was terminated). A live
    connection has nothing to read between transactions; one the server ended has its farewell (an error naming
    the shutdown) or the closed socket waiting, so one look at the socket (a poll, no waiting) tells them apart.
    This replaces SQLAlchemy's ``pool_pre_ping``, an empty statement and its answer before every transaction (a
    round trip per request on a busy server). A connection lost without a word (a network cut) still fails its
    first statement; SQLAlchemy then drops every pooled connection, and the next transaction opens new ones."""
    if dbapi_connection.closed:
        return True
    poller = select.poll()
    poller.register(dbapi_connection.fileno(), select.POLLIN)
    return bool(poller.poll(0))


def refresh_statistics(engine: Engine) -> None:
    """SQLite's query planner keeps statistics only when asked (PostgreSQL's autovacuum keeps its own): a writer
    refreshes them as it closes, sampling each index (``analysis_limit``) and only where the tables grew a lot,
    so that a store's screens are planned for the store it has become (an entity's few claims found through the
    entity, not by walking every claim). Best effort: a store busy with another writer keeps the ones it has."""
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
            connection.exec_driver_sql("PRAGMA optimize")
    except DBAPIError:
        pass


@contextmanager
def transaction(engine: Engine, location: Location, write: bool, lock_timeout: float) -> Iterator[Connection]:
    """One transaction; database errors come out as :class:`StoreError` naming the store."""
    try:
        with engine.connect() as connection:
            if write:
                connection = connection.execution_options(watchfloor_write=True)
            with connection.begin():
                yield connection
    except DBAPIError as exc:
        raise translate(exc, location, lock_timeout) from exc


def translate(exc: DBAPIError, location: Location, lock_timeout: float) -> StoreError:
    """A database error as one line that says what happened to which store and what to do."""
    message = str(exc.orig) if exc.orig is not None else str(exc)
    lowered = message.lower()
    if "database is locked" in lowered or "lock timeout" in lowered or "could not obtain lock" in lowered:
        return StoreLockedError(
            f"store {location.display} is locked by another writer for more than {lock_timeout:g} s; wait for it "
            f"to finish, or raise the lock_timeout setting (WATCHFLOOR_LOCK_TIMEOUT)")
    if "read-only" in lowered or "readonly" in lowered:
        return StoreError(f"store {location.display}: this command opened it read-only ({message.strip()})")
    if exc.connection_invalidated or "connection" in lowered and ("refused" in lowered or "failed" in lowered):
        return StoreError(f"cannot connect to store {location.display}: {message.strip().splitlines()[0]}")
    first = message.strip().splitlines()[0] if message.strip() else type(exc.orig).__name__
    return StoreError(f"store {location.display}: {first}")
