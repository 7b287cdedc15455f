"""Snippets of a page of search hits: on SQLite FTS5's own, made in a private in-memory FTS5 table that holds that
page's rows only; on PostgreSQL made here from the page's texts (``postgresql_snippets``), the server's stemming
deciding which words are marked.

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

import re
import sqlite3
import threading
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate

from sqlalchemy import Connection, text

from .migrations import FTS_TOKENIZER

__all__ = ["SNIPPET_WORDS", "page_snippets", "postgresql_snippets", "query_lexemes"]

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


#: a word as PostgreSQL's parser cuts text into words: a run of letters and digits (``_`` and ``'`` separate)
_WORD = re.compile(r"[^\W_]+")
#: the lexemes of a ``tsquery`` as text: each quoted, a quote inside doubled
_QUERY_LEXEME = re.compile(r"'((?:[^']|'')+)'")
#: words a snippet shows (as ``ts_headline``'s ``MaxWords``): the match, about half of them before it
SNIPPET_WORDS = 24
#: lowered words and their lexemes under the ``english`` configuration, learnt from the server as pages show them
_lexemes: dict[str, frozenset[str]] = {}
_LEXEMES_KEPT = 200_000


def query_lexemes(tsquery: str) -> frozenset[str]:
    """The lexemes of a ``tsquery`` as PostgreSQL prints it (``'troop' & !'envoy'``), negated ones too: PostgreSQL's
    ``ts_headline`` marks those as well."""
    return frozenset(m.replace("''", "'") for m in _QUERY_LEXEME.findall(tsquery))


def _learn(connection: Connection, words: set[str]) -> None:
    """The lexemes of words not seen before, from the server (one statement for a page's new words): the
    database's own stemming decides what a snippet marks, as it decides what matches."""
    unknown = sorted(words - _lexemes.keys())
    if not unknown:
        return
    if len(_lexemes) + len(unknown) > _LEXEMES_KEPT:
        _lexemes.clear()
    found = connection.execute(text("SELECT w, tsvector_to_array(to_tsvector('english', w)) "
                                    "FROM unnest(CAST(:words AS text[])) AS w"), {"words": unknown})
    _lexemes.update((str(w), frozenset(lexemes or ())) for w, lexemes in found)


def postgresql_snippets(connection: Connection, tsquery: str, texts: Sequence[str]) -> list[str]:
    """PostgreSQL: the snippet of each text for a query (its ``tsquery`` as text): about ``SNIPPET_WORDS`` words
    around the shortest stretch that holds every query word the text has (the earliest such), each word whose
    lexeme the query names marked ``[like this]``; a text without them shows its first words.

    What ``ts_headline`` gave, made here: it parses and stems every word of each text of the page on the server
    (the page of 20 synthetic documents of ~960 characters at 100k documents: 4.2 ms a statement, 0.8 without it).
    Here only the words that could stem to a query lexeme are read (those that begin as it does but for its last
    letter, which English stemming may change: "army" gives "armi", "hoping" "hope"), and the server stems those
    this process has not seen before: the server's stemming still decides what is marked."""
    wanted = query_lexemes(tsquery)
    heads = sorted({lexeme[:-1] or lexeme for lexeme in wanted})
    found = _candidates(heads, texts)
    seen = {w for words in found for _, _, w in words}
    _learn(connection, seen)
    marked = {w: min(named) for w in seen if (named := _lexemes[w] & wanted)}  # a word's query lexeme, once a page
    return [_snippet(t, [(a, b, marked[w]) for a, b, w in words if w in marked])
            for t, words in zip(texts, found, strict=True)]


def _candidates(heads: Sequence[str], texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
    """Per text, (start, end, lowered word) of each of its words that begins with one of ``heads``, in text order.
    The heads are looked for as plain strings in the page's texts lowered and joined (a search for a string runs
    at the speed of memory; a pattern that checks a word's start at every character took most of a page's time)."""
    found: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    joined = "\x00".join(texts)
    lowered = joined.lower()
    if len(lowered) != len(joined):  # a few letters lower to two characters: each text's words read one by one
        for words, body in zip(found, texts, strict=True):
            words += [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(body)
                      if m.group().lower().startswith(tuple(heads))]
        return found
    starts = list(accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
    for head in heads:
        at = lowered.find(head)
        while at != -1:
            if at == 0 or not lowered[at - 1].isalnum():
                word = _WORD.match(lowered, at)
                if word is not None:
                    i = bisect_right(starts, at) - 1
                    found[i].append((at - starts[i], word.end() - starts[i], word.group()))
            at = lowered.find(head, at + 1)
    if len(heads) > 1:
        for words in found:
            words.sort()
    return found


def _first_words(body: str) -> str:
    first = _WORD.search(body)
    return body[first.start():_words_after(body, 0, SNIPPET_WORDS)] if first is not None else ""


def _snippet(body: str, hits: list[tuple[int, int, str]]) -> str:
    """The snippet of a text around its ``hits`` (start, end, query lexeme), in text order."""
    if not hits:
        return _first_words(body)
    start, end = _shortest_stretch(hits)
    inside = len(_WORD.findall(body, start, end))
    if inside >= SNIPPET_WORDS:
        first, last = start, _words_after(body, start, SNIPPET_WORDS)
    else:
        first = _words_before(body, start, (SNIPPET_WORDS - inside) // 2)
        last = _words_after(body, end, SNIPPET_WORDS - inside - len(_WORD.findall(body, first, start)))
    out, at = [], first
    for a, b, _ in hits:
        if first <= a and b <= last:
            out += [body[at:a], "[", body[a:b], "]"]
            at = b
    return "".join([*out, body[at:last]])


def _shortest_stretch(hits: Sequence[tuple[int, int, str]]) -> tuple[int, int]:
    """The shortest stretch (characters) of the hits (start, end, lexeme) that holds each lexeme they hold, the
    earliest of equal ones."""
    needed = len({h[2] for h in hits})
    if needed == 1:  # one lexeme (a query of one word, or a text with one of its words): its shortest hit
        first = min(hits, key=lambda h: h[1] - h[0])
        return first[0], first[1]
    counts: dict[str, int] = {}
    best = (hits[0][0], hits[-1][1])
    left = 0
    for _, end, lexeme in hits:
        counts[lexeme] = counts.get(lexeme, 0) + 1
        while len(counts) == needed:
            start = hits[left][0]
            if end - start < best[1] - best[0]:
                best = (start, end)
            gone = hits[left][2]
            counts[gone] -= 1
            if not counts[gone]:
                del counts[gone]
            left += 1
    return best


def _words_before(body: str, at: int, n: int) -> int:
    """Where the ``n``-th word before ``at`` starts (the text's first word's start when it has fewer).

    Read backwards: a window of text before ``at``, reversed, matched for ``n`` words in one call (a word reads
    the same either way round), where listing every word start of the window cost a snippet more than the rest."""
    if n <= 0:
        return at
    span = 16 * n
    while True:
        low = max(0, at - span)
        found = _words(n, n).match(body[low:at][::-1])
        if found is not None and not (found.end() == at - low and low and _WORD.match(body, low - 1)):
            return at - found.end()  # (unless the n-th word runs on past the window's edge)
        if low == 0:
            first = _WORD.search(body, 0, at)
            return first.start() if first is not None else at
        span *= 4


def _words_after(body: str, at: int, n: int) -> int:
    """Where the ``n``-th word from ``at`` ends; ``at`` when there is none."""
    found = _words(n).match(body, at) if n > 0 else None
    return found.end() if found is not None else at


@lru_cache(maxsize=64)
def _words(n: int, least: int = 1) -> re.Pattern[str]:
    """From ``least`` to ``n`` whole words and what lies before each, in one match (one call, where a loop over
    words cost more); possessive, so that a word is never cut in two to make up the count."""
    return re.compile(r"(?:[\W_]*+[^\W_]++){" + f"{least},{n}" + "}")
