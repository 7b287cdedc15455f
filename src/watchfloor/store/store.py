"""The store: one interface over SQLite and PostgreSQL, opened for reading, writing, or creating.

    with open_store("desk.db", "read") as store, store.read() as r:      # a snapshot; never creates anything
        hits = r.search("troops")
    with open_store("postgresql://desk@db/desk", "create") as store, store.write() as w:   # the writer lock
        w.add_documents(batch)

``read()`` yields a :class:`Reader`, ``write()`` a :class:`Writer` (which reads too, inside its transaction).
Both are typed views over one transaction; their methods are the only operations other stages have.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from sqlalchemy import Connection

from ..errors import StoreError
from .desk import DeskReads, DeskWrites
from .documents import DocumentReads, DocumentWrites
from .engine import Location, Mode, connect, parse_location, refresh_statistics, transaction
from .entities import EntityReads, EntityWrites
from .entity_days import EntityDayReads, EntityDayWrites
from .grades import GradeReads, GradeWrites
from .integrity import IntegrityReads
from .linked import LinkedReads, LinkedWrites
from .linker import LinkerReads, LinkerWrites
from .migrations import ensure_schema
from .picture import PictureReads, PictureWrites
from .search import SearchReads
from .views import ViewReads
from .watch import WatchReads, WatchWrites

__all__ = ["DEFAULT_LOCK_TIMEOUT", "DeferredReader", "Reader", "Store", "Writer", "open_store"]

DEFAULT_LOCK_TIMEOUT = 30.0


class Reader(DocumentReads, SearchReads, PictureReads, LinkerReads, EntityReads, EntityDayReads, GradeReads, ViewReads,
             DeskReads, WatchReads, LinkedReads, IntegrityReads):
    """Everything a report or a linker may read, inside one consistent snapshot."""

    def stats(self) -> dict[str, int]:
        values = self.document_stats()
        languages = self.languages()
        for language, count in sorted(languages.items()):
            values[f"documents_in_{language}"] = count
        values["not_analysed_language"] = sum(n for language, n in languages.items() if language != "en")
        values["entities"] = self.entity_count()
        values["stories"] = len(self.stories_view())
        for status, count in sorted(self.status_counts().items()):
            values[f"claims_{status}"] = count
        return values


class Writer(DocumentWrites, PictureWrites, LinkerWrites, EntityWrites, EntityDayWrites, GradeWrites, DeskWrites,
             WatchWrites, LinkedWrites, Reader):
    """Reads and writes inside the one write transaction the writer lock allows at a time."""

    def analyze(self) -> None:
        """Gather the planner's statistics again (after a bulk load: PostgreSQL's autovacuum does it in time)."""
        self.connection.exec_driver_sql("ANALYZE")


class DeferredReader(Reader):
    """A :class:`Reader` whose snapshot begins at its first statement, in whichever thread makes it, and ends at
    :meth:`close`: a web server hands one to a request without a word to the database, so that its reading, and
    the end of it, happen in the one worker thread that answers the request (``serve/app.py``)."""

    def __init__(self, store: Store) -> None:  # the transaction is opened by the first use of ``connection``
        self.engine = store.location.engine
        self._store = store
        self._open: AbstractContextManager[Reader] | None = None
        self._connection: Connection | None = None

    @property
    def connection(self) -> Connection:  # type: ignore[override]  # read-only here: begun on first use
        if self._connection is None:
            self._open = self._store.read()
            self._connection = self._open.__enter__().connection
        return self._connection

    @property
    def begun(self) -> bool:
        return self._open is not None

    def close(self, error: BaseException | None = None) -> None:
        """End the snapshot (when begun); after ``error``, the database's errors come out as :class:`StoreError`."""
        opened, self._open, self._connection = self._open, None, None
        if opened is not None:
            opened.__exit__(type(error) if error else None, error, error.__traceback__ if error else None)


class Store:
    """A store opened in one mode; ``read()`` and ``write()`` give transactions. Close it, or use ``with``."""

    def __init__(self, location: str | object, mode: Mode = "create",
                 lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        #: what the store was opened with (a path or URL), to open it again
        self.given = str(location)
        self.location: Location = parse_location(self.given)
        self.mode = mode
        self.lock_timeout = lock_timeout
        path = self.location.path
        if path is not None:
            if mode == "create":
                path.parent.mkdir(parents=True, exist_ok=True)
            elif not path.is_file():
                raise StoreError(f"no watchfloor store at {path}; create one with `watchfloor ingest FILES --db {path}`")
        self.engine = connect(self.location, mode, lock_timeout)
        try:
            self.version = ensure_schema(self.engine, self.location, mode, lock_timeout)
        except BaseException:
            self.engine.dispose()
            raise

    @property
    def display(self) -> str:
        return self.location.display

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.mode != "read" and self.location.is_sqlite:
            refresh_statistics(self.engine)
        self.engine.dispose()

    def schema_version(self) -> int:
        return self.version

    @contextmanager
    def read(self) -> Iterator[Reader]:
        with transaction(self.engine, self.location, False, self.lock_timeout) as connection:
            yield Reader(connection, self.location.engine)

    def deferred_read(self) -> DeferredReader:
        """A snapshot begun at its first statement and ended by its ``close()`` (see :class:`DeferredReader`)."""
        return DeferredReader(self)

    @contextmanager
    def write(self) -> Iterator[Writer]:
        """The write transaction: committed when the block ends, rolled back (nothing written) when it raises."""
        if self.mode == "read":
            raise StoreError(f"store {self.display} was opened read-only")
        with transaction(self.engine, self.location, True, self.lock_timeout) as connection:
            yield Writer(connection, self.location.engine)

    # the reads most callers want on their own, each in a snapshot of its own

    def count(self) -> int:
        with self.read() as r:
            return r.count()


def open_store(location: str, mode: Mode = "read", lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> Store:
    """Open the store at a path or ``postgresql://`` URL. ``read`` and ``write`` need an existing store;
    ``create`` makes one when there is none."""
    return Store(location, mode, lock_timeout)
