"""FTS5 snippets of a page of search hits on SQLite, made in a private in-memory FTS5 table that holds that page's
rows only.

Why not in the store's own index: asking ``snippet()`` there for a few rows (``MATCH :q AND rowid IN (...)``)
is not a lookup — FTS5 does not take the IN list, so it walks every matched word's whole posting list and keeps
the rows asked for, and even one ``rowid =`` seek per row costs a few tenths of a millisecond in an index of
100k documents: 5 to 10 ms a page of claims. A snippet depends only on its row's text and the query (where the
phrases fall in that row; no statistic of the table), so the same rows, tokenizer and query in a table of twenty
rows give the very same snippet, for the cost of tokenizing the page. The table lives in a connection of its
own per thread (a store's read connections are ``query_only``, and the server answers from a pool of threads)
and is emptied after each use. Its rows are kept in a plain table beside it (external content), so that emptying
the index is one ``delete-all`` rather than a tokenizing of every row again to take its words out.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence

from .migrations import FTS_TOKENIZER

__all__ = ["page_snippets"]

_local = threading.local()


def _page_table() -> sqlite3.Connection:
    connection: sqlite3.Connection | None = getattr(_local, "connection", None)
    if connection is None:
        connection = sqlite3.connect(":memory:", isolation_level=None)
        connection.execute("CREATE TABLE page_rows(a, b)")
        connection.execute(f"CREATE VIRTUAL TABLE page USING fts5(a, b, content='page_rows', content_rowid='rowid', "
                           f"tokenize='{FTS_TOKENIZER}')")
        _local.connection = connection
    return connection


def page_snippets(query: str, rows: Sequence[tuple[int, str, str]], column: int) -> list[str]:
    """The snippet of column ``column`` (0 or 1) of each (rowid, first column, second column) for an FTS5
    ``query``, matches marked ``[like this]``, in the order of ``rows`` ("" for a row the query does not match)."""
    if not rows:
        return []
    connection = _page_table()
    try:
        connection.executemany("INSERT INTO page_rows(rowid, a, b) VALUES (?, ?, ?)", rows)
        connection.executemany("INSERT INTO page(rowid, a, b) VALUES (?, ?, ?)", rows)
        found = dict(connection.execute(
            f"SELECT rowid, snippet(page, {int(column)}, '[', ']', ' … ', 24) FROM page WHERE page MATCH ?", (query,)))
    finally:  # the index emptied at once, without tokenizing the rows again as deleting them one by one would
        connection.execute("INSERT INTO page(page) VALUES ('delete-all')")
        connection.execute("DELETE FROM page_rows")
    return [str(found.get(r[0], "")) for r in rows]
