"""What every part of the store's interface shares: the open transaction, inserts that may meet an existing
row (the one place the two engines' SQL differs for writes), and IN lists cut to a size both engines take."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

__all__ = ["Access", "chunks"]

T = TypeVar("T")

#: values per IN list (SQLite takes 32,766 bound parameters, PostgreSQL 65,535)
CHUNK = 5000


def chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for value in values:
        batch.append(value)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Access:
    """One open transaction on one engine; the read and write mixins of the store build on it."""

    def __init__(self, connection: Connection, engine: str) -> None:
        self.connection = connection
        self.engine = engine

    def _insert(self, table: Table) -> Any:
        return (sqlite.insert if self.engine == "sqlite" else postgresql.insert)(table)

    def _insert_new(self, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> None:
        """Insert rows; a row whose key is already stored is left as it is."""
        if rows:
            self.connection.execute(self._insert(table).on_conflict_do_nothing(index_elements=list(keys)), list(rows))

    def _upsert(self, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str],
                update: Sequence[str] | None = None) -> None:
        """Insert rows; a row whose key is already stored gets the given columns (default: all others) replaced."""
        if not rows:
            return
        statement = self._insert(table)
        columns = update if update is not None else [c for c in rows[0] if c not in keys]
        statement = statement.on_conflict_do_update(index_elements=list(keys),
                                                    set_={c: statement.excluded[c] for c in columns})
        self.connection.execute(statement, list(rows))
