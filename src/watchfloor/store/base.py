"""What every part of the store's interface shares: the open transaction, inserts that may meet an existing
row (the one place the two engines' SQL differs for writes), and IN lists cut to a size both engines take."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from operator import itemgetter
from typing import Any, TypeVar, cast

from sqlalchemy import (
    ARRAY,
    BindParameter,
    ColumnElement,
    Connection,
    LargeBinary,
    Subquery,
    Table,
    Text,
    any_,
    bindparam,
    text,
)
from sqlalchemy.dialects import sqlite

from .tables import FULL_TEXT

__all__ = ["LEVELS", "Access", "among", "chunks", "insert_rows", "shaped"]

T = TypeVar("T")
Build = TypeVar("Build", bound=Callable[..., Any])

#: rows from which an insert that may meet stored rows goes to PostgreSQL by COPY (below, one statement of arrays)
COPY_ROWS = 1000
#: the temporary table such a COPY fills
_LOADING = "watchfloor_loading"

#: values per IN list (SQLite takes 32,766 bound parameters, PostgreSQL 65,535)
CHUNK = 5000
#: the whole numbers SQLite's JSON reads as integers (beyond them, as REAL)
_INT64 = (-(2**63), 2**63 - 1)
#: the TLP levels a caller may see, given when a statement built once runs (see :func:`shaped`)
LEVELS: BindParameter[Any] = bindparam("levels", expanding=True)
#: SQLite: the values of an IN list, given as one JSON array (see :func:`among`)
_JSON_LIST = text("(SELECT value FROM json_each(:values))").bindparams(bindparam("values", type_=Text, unique=True))


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

    def _among(self, column: ColumnElement[Any], values: Sequence[Any]) -> ColumnElement[bool]:
        """``column IN values`` (a chunk of them, see :func:`chunks`), as :func:`among` writes it."""
        return among(self.engine, column, values=list(values))

    def _windows(self, windows: Sequence[tuple[str, tuple[str, str]]]) -> Subquery:
        """(key, (first day, last day)) pairs as a table to join (columns ``key``, ``lo``, ``hi``), sent as one JSON
        parameter whatever their number (``json_each`` on SQLite, ``json_to_recordset`` on PostgreSQL): a read of
        many keys, each about days of its own, is one statement, not one per distinct window."""
        payload = json.dumps([{"key": key, "lo": lo, "hi": hi} for key, (lo, hi) in windows], ensure_ascii=False)
        if self.engine == "sqlite":
            rows = text("SELECT json_extract(value, '$.key') AS key, json_extract(value, '$.lo') AS lo, "
                        "json_extract(value, '$.hi') AS hi FROM json_each(:windows)")
        else:
            rows = text("SELECT key, lo, hi FROM json_to_recordset(CAST(:windows AS json)) AS w(key text, lo text, "
                        "hi text)")
        return rows.bindparams(windows=payload).columns(key=Text, lo=Text, hi=Text).subquery("windows")

    def _insert_new(self, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> None:
        """Insert rows; a row whose key is already stored is left as it is."""
        insert_rows(self.connection, table, rows, keys)

    def _upsert(self, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str],
                update: Sequence[str] | None = None) -> None:
        """Insert rows; a row whose key is already stored gets the given columns (default: all others) replaced."""
        if not rows:
            return
        columns = update if update is not None else [c for c in rows[0] if c not in keys]
        # one statement may not update a row twice: the rows as upserting them one by one would leave them
        insert_rows(self.connection, table, _last_of_each(rows, keys, columns), keys, columns)


def shaped(build: Build) -> Build:
    """A statement builder run once per shape (its arguments: the engine, whether TLP levels are given, ...): the
    screens' statements are built with named parameters (``bindparam``) and given their values when they run.
    Building a SQLAlchemy statement again for every request (its clauses coerced, its subqueries' columns
    collected, its cache key made) cost an entity page about a fifth of its Python time on PostgreSQL."""
    return cast(Build, cache(build))


def among(engine: str, column: ColumnElement[Any], name: str | None = None, values: Sequence[Any] | None = None
          ) -> ColumnElement[bool]:
    """``column IN values``; with ``name`` instead of values, a statement built once (see :func:`shaped`) that is
    given the values as ``name`` when it runs. PostgreSQL gets the values as one array parameter
    (``column = ANY(:values)``): an IN list is one bound parameter per value, which SQLAlchemy renders and psycopg
    parses again for every statement (its cache skips statements that long), a cost per value the link step paid on
    every batch. SQLite keeps the IN list, which it plans best, for a statement built once; values given here that
    are texts or whole numbers go as one JSON parameter (``IN (SELECT value FROM json_each(?))``, planned as an
    IN list is), since SQLAlchemy renders a list a parameter at a time on every run and SQLite prepares the
    statement again for each length (a read of 500 keys: 0.6 ms → 0.3 ms; of 5, no slower). The subquery is a
    text with a parameter made unique per use, which SQLAlchemy builds in a tenth of the time of a select of a
    table-valued function."""
    if engine == "sqlite":
        if values is not None and values and all(type(v) is str or type(v) is int and _INT64[0] <= v <= _INT64[1]
                                                 for v in values):
            return column.op("IN", is_comparison=True)(_JSON_LIST.bindparams(values=json.dumps(list(values),
                                                                                        ensure_ascii=False)))
        return column.in_(bindparam(name, values, expanding=True))
    return column == any_(bindparam(name, values, type_=ARRAY(column.type)))


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str] = (),
                update: Sequence[str] | None = None) -> None:
    """Insert many rows; a row whose ``keys`` are already stored is left as it is, or gets the ``update``
    columns replaced. SQLite runs one statement over them all in process, compiled once per shape
    (:func:`_sqlite_insert`). PostgreSQL is sent one statement per chunk of rows, the rows one JSON text
    (``INSERT ... SELECT ... FROM json_to_recordset(...)``, :func:`_json_rows`), or failing that each column an
    array (``unnest``): psycopg's ``executemany`` would have the server run a statement per row, and a
    statement of many VALUES costs SQLAlchemy a compilation per size. Rows that cannot meet a stored one, and
    large batches, go by ``COPY`` (:func:`_copy_rows`)."""
    if not rows:
        return
    if connection.dialect.name != "sqlite" and (not keys or len(rows) >= COPY_ROWS):
        _copy_rows(connection, table, rows, keys, update)
        return
    if connection.dialect.name == "sqlite":
        names = tuple(rows[0])
        if table.info.get(FULL_TEXT) and len(rows) > 1 and _sqlite_insert_one(connection, table, names, rows, keys,
                                                                             update):
            return
        sql, processors = _sqlite_insert(table, names, tuple(keys), None if update is None else tuple(update))
        # each row's values in column order, taken by one itemgetter in C (a list built per row cost more than
        # SQLite's inserting of it)
        values = list(map(itemgetter(*names), rows)) if len(names) > 1 else [(row[names[0]],) for row in rows]
        if processors:  # the few columns that have one (a float's, a flag's) converted, not every value asked
            lists = list(map(list, values))
            for i, f in enumerate(processors):
                if f is not None:
                    for value in lists:
                        value[i] = f(value[i])
            values = list(map(tuple, lists))
        connection.exec_driver_sql(sql, values)
        return
    columns = list(rows[0])
    binary = [c for c in columns if isinstance(table.c[c].type, LargeBinary)]
    types = [table.c[c].type.compile(dialect=connection.dialect) for c in columns]
    into, conflict = f'INSERT INTO "{table.name}" ({_quoted(columns)}) ', _conflict(keys, update)
    shape = ", ".join(f'"{c}" {kind}' for c, kind in zip(columns, types, strict=True))
    as_json = text(into + f"SELECT {_quoted(columns)} FROM json_to_recordset(CAST(:rows AS json)) AS x({shape})"
                   + conflict)
    arrays = ", ".join(f"CAST(:c{i} AS {kind}[])" for i, kind in enumerate(types))
    as_arrays = text(into + f"SELECT * FROM unnest({arrays})" + conflict)
    for chunk in chunks(rows):
        payload = _json_rows(chunk, binary)
        if payload is not None:
            connection.execute(as_json, {"rows": payload})
        else:
            connection.execute(as_arrays, {f"c{i}": [row[c] for row in chunk] for i, c in enumerate(columns)})


def _json_rows(rows: Sequence[dict[str, Any]], binary: Sequence[str]) -> str | None:
    """PostgreSQL: rows as one JSON text that the server takes apart (``json_to_recordset``), or None when a
    value has no exact JSON form (NaN, a type JSON lacks) and the rows go as arrays instead. Arrays of text
    are escaped by psycopg in Python, character by character, which made our long JSON records the writer's
    largest cost on PostgreSQL; a JSON text is written by the json module in C and sent as it is. Bytes go as
    bytea's hex text, which is what the server reads a JSON string into a bytea column as."""
    if binary:
        rows = [{**row, **{c: None if row[c] is None else "\\x" + bytes(row[c]).hex() for c in binary}}
                for row in rows]
    try:
        return json.dumps(rows, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return None


@cache
def _sqlite_insert(table: Table, columns: tuple[str, ...], keys: tuple[str, ...], update: tuple[str, ...] | None
                   ) -> tuple[str, tuple[Callable[[Any], Any] | None, ...]]:
    """SQLite: the SQL of an insert of these columns (its parameters in their order) and the conversion each
    column's type asks of a value on SQLite (None for none: its type's ``bind_processor``), compiled once per
    shape. Run as a plain ``executemany`` of tuples, it spares SQLAlchemy's work on every row of every batch
    (building each row's parameters from the compiled statement), which cost the writer more than SQLite's own
    inserting."""
    insert = sqlite.insert(table)
    if keys:
        insert = (insert.on_conflict_do_nothing(index_elements=list(keys)) if update is None else
                  insert.on_conflict_do_update(index_elements=list(keys), set_={c: insert.excluded[c] for c in update}))
    compiled = insert.compile(dialect=_SQLITE, column_keys=list(columns))
    if list(compiled.positiontup or ()) != list(columns):  # a column default of SQLAlchemy's would be left out
        raise ValueError(f"insert into {table.name}: parameters {compiled.positiontup} for columns {columns}")
    processors = tuple(table.c[c].type.dialect_impl(_SQLITE).bind_processor(_SQLITE) for c in columns)
    return compiled.string, processors if any(processors) else ()


_SQLITE = sqlite.dialect()


def _sqlite_insert_one(connection: Connection, table: Table, names: tuple[str, ...], rows: Sequence[dict[str, Any]],
                       keys: Sequence[str], update: Sequence[str] | None) -> bool:
    """SQLite: rows of a table feeding a full-text index inserted by one statement over a JSON array of them
    (``json_each``, in their order: the same rowids as one by one); False, nothing written, when a value has no
    exact JSON form or a column would convert it. Each statement that writes to an FTS5 table ends by flushing
    what it added to the index as a segment of its own, so an ``executemany`` of a batch's 750 claims wrote 750
    segments and merged them, four times the work of one statement's flush."""
    sql, processors = _sqlite_insert_json(table, names, tuple(keys), None if update is None else tuple(update))
    if processors:
        return False
    try:
        payload = json.dumps(list(map(itemgetter(*names), rows)) if len(names) > 1 else
                             [[row[names[0]]] for row in rows], ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return False
    connection.exec_driver_sql(sql, (payload,))
    return True


@cache
def _sqlite_insert_json(table: Table, columns: tuple[str, ...], keys: tuple[str, ...], update: tuple[str, ...] | None
                        ) -> tuple[str, tuple[Callable[[Any], Any] | None, ...]]:
    """SQLite: ``INSERT ... SELECT`` of these columns from one JSON array of rows (each a list of the values in
    column order), with :func:`_sqlite_insert`'s conflict clause, and its conversions."""
    _, processors = _sqlite_insert(table, columns, keys, update)
    values = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(columns)))
    # WHERE true: an upsert's ON after a SELECT without one would be read as a join's
    sql = f'INSERT INTO "{table.name}" ({_quoted(columns)}) SELECT {values} FROM json_each(?) WHERE true'
    return sql + _conflict(keys, update), processors


def _conflict(keys: Sequence[str], update: Sequence[str] | None) -> str:
    """What an insert does with a row whose keys are stored: nothing, or replace the ``update`` columns."""
    if not keys:
        return ""
    action = "DO NOTHING" if update is None else "DO UPDATE SET " + ", ".join(f'"{c}" = EXCLUDED."{c}"'
                                                                          for c in update)
    return f" ON CONFLICT ({_quoted(keys)}) {action}"


def _copy_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str],
               update: Sequence[str] | None) -> None:
    """PostgreSQL: the rows sent by ``COPY`` (psycopg formats them in C), straight into the table when none can
    meet a stored row (a conflict fails the transaction, as a plain INSERT would), otherwise into a temporary
    table first and moved over with one ``INSERT ... SELECT ... ON CONFLICT``. Sending rows as parameters
    costs the client far more: arrays of text are escaped character by character in Python (long JSON records
    most of all), and a statement of many VALUES is parsed again for every page of rows."""
    columns = list(rows[0])
    names = _quoted(columns)
    target = f'"{table.name}"'
    driver = connection.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor:
        if keys:
            cursor.execute(f'CREATE TEMPORARY TABLE "{_LOADING}" ON COMMIT DROP AS SELECT {names} FROM {target} '
                           "WITH NO DATA")
        with cursor.copy(f'COPY "{_LOADING if keys else table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        if keys:
            cursor.execute(f'INSERT INTO {target} ({names}) SELECT {names} FROM "{_LOADING}"'
                           + _conflict(keys, update))
            cursor.execute(f'DROP TABLE "{_LOADING}"')


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def _last_of_each(rows: Sequence[dict[str, Any]], keys: Sequence[str], update: Sequence[str]) -> list[dict[str, Any]]:
    """One row per key, as upserting the rows one after the other would leave it (the first row's values, the
    updated columns from the last): a statement that inserts many rows may not update one row twice."""
    if len(keys) == 1:  # the common case, and with no key repeated (the usual batch) the rows as they are
        only = keys[0]
        if len({row[only] for row in rows}) == len(rows):
            return list(rows)
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        first = merged.get(key)
        merged[key] = row if first is None else {**first, **{c: row[c] for c in update}}
    return list(merged.values())
