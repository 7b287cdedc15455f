"""Tables of the cross-document picture: origins and stories, claim occurrences, consolidated claims,
status history, linker state and small settings. Plain values in, plain values out; callers serialise."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["GroupRow", "HistoryRow", "LinkTables"]


@dataclass(frozen=True)
class GroupRow:
    id: str
    key: str
    kind: str
    status: str
    independent_sources: int
    first_seen: str
    data: str


@dataclass(frozen=True)
class HistoryRow:
    group_id: str
    key: str
    status: str
    previous: str | None
    independent_sources: int
    changed_at: str
    reason: str


class LinkTables:
    """Reads and writes of the link tables on one connection; writes belong inside a store transaction."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def set_doc_link(self, doc_id: str, origin: str, origin_kind: str, story_id: str | None) -> None:
        self.db.execute("INSERT OR REPLACE INTO doc_links (doc_id, origin, origin_kind, story_id) VALUES (?,?,?,?)",
                        (doc_id, origin, origin_kind, story_id))

    def doc_links(self) -> dict[str, tuple[str, str, str | None]]:
        rows = self.db.execute("SELECT doc_id, origin, origin_kind, story_id FROM doc_links")
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def add_occurrences(self, rows: Iterable[tuple[str, str, int, str]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO occurrences (key, doc_id, position, data) VALUES (?,?,?,?)", rows)

    def occurrences(self, key: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT data FROM occurrences WHERE key = ? ORDER BY doc_id, position",
                                              (key,))]

    def take_occurrences(self, doc_id: str) -> set[str]:
        """Remove a document's occurrences (its analysis changed); the keys they were under."""
        keys = {r[0] for r in self.db.execute("SELECT DISTINCT key FROM occurrences WHERE doc_id = ?", (doc_id,))}
        self.db.execute("DELETE FROM occurrences WHERE doc_id = ?", (doc_id,))
        return keys

    def groups_for_key(self, key: str) -> list[GroupRow]:
        rows = self.db.execute("SELECT id, key, kind, status, independent_sources, first_seen, data FROM claim_groups "
                               "WHERE key = ?", (key,))
        return [GroupRow(*r) for r in rows]

    def replace_groups(self, key: str, groups: list[GroupRow]) -> None:
        self.db.execute("DELETE FROM claim_groups WHERE key = ?", (key,))
        self.db.executemany("INSERT OR REPLACE INTO claim_groups VALUES (?,?,?,?,?,?,?)",
                            [(g.id, g.key, g.kind, g.status, g.independent_sources, g.first_seen, g.data)
                             for g in groups])

    def groups(self, kinds: tuple[str, ...] | None = None) -> list[GroupRow]:
        sql = "SELECT id, key, kind, status, independent_sources, first_seen, data FROM claim_groups"
        params: tuple[str, ...] = ()
        if kinds:
            sql += f" WHERE kind IN ({','.join('?' * len(kinds))})"
            params = kinds
        return [GroupRow(*r) for r in self.db.execute(sql + " ORDER BY first_seen, id", params)]

    def add_history(self, rows: Iterable[HistoryRow]) -> None:
        self.db.executemany("INSERT INTO status_history VALUES (?,?,?,?,?,?,?)",
                            [(r.group_id, r.key, r.status, r.previous, r.independent_sources, r.changed_at, r.reason)
                             for r in rows])

    def history(self, since: str | None = None) -> list[HistoryRow]:
        sql = "SELECT group_id, key, status, previous, independent_sources, changed_at, reason FROM status_history"
        rows = self.db.execute(sql + (" WHERE changed_at > ?" if since else "") + " ORDER BY changed_at",
                               (since,) if since else ())
        return [HistoryRow(*r) for r in rows]

    def upsert_story(self, story_id: str, title: str, first: str | None, last: str | None, created_at: str) -> None:
        self.db.execute(
            "INSERT INTO stories (id, title, first_published, last_published, created_at) VALUES (?,?,?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET title = excluded.title, first_published = excluded.first_published, "
            "last_published = excluded.last_published", (story_id, title, first, last, created_at))

    def move_to_story(self, moves: Iterable[tuple[str, str]]) -> None:
        """(doc_id, story_id) pairs: documents that consolidation moved to another story."""
        self.db.executemany("UPDATE doc_links SET story_id = ? WHERE doc_id = ?", [(s, d) for d, s in moves])

    def remove_stories(self, story_ids: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM stories WHERE id = ?", [(s,) for s in story_ids])

    def stories(self) -> list[tuple[str, str, str | None, str | None, str]]:
        return list(self.db.execute(
            "SELECT id, title, first_published, last_published, created_at FROM stories ORDER BY first_published"))

    def upsert_rows(self, kind: str, rows: Iterable[tuple[str, str]]) -> None:
        """(id, data) rows of one kind of linker state; a new id is appended after the existing ones."""
        rows = list(rows)
        if not rows:
            return
        (last,) = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM link_rows WHERE kind = ?", (kind,)).fetchone()
        self.db.executemany(
            "INSERT INTO link_rows (kind, id, seq, data) VALUES (?,?,?,?) "
            "ON CONFLICT(kind, id) DO UPDATE SET data = excluded.data",
            [(kind, row_id, last + i, data) for i, (row_id, data) in enumerate(rows, start=1)])

    def delete_rows(self, kind: str, ids: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM link_rows WHERE kind = ? AND id = ?", [(kind, i) for i in ids])

    def rows(self, kind: str) -> Iterator[str]:
        """The data of every row of one kind, in the order the rows were first written."""
        for (data,) in self.db.execute("SELECT data FROM link_rows WHERE kind = ? ORDER BY seq", (kind,)):
            yield data

    def has_rows(self, kind: str) -> bool:
        return self.db.execute("SELECT 1 FROM link_rows WHERE kind = ? LIMIT 1", (kind,)).fetchone() is not None

    def drop_state(self, name: str) -> None:
        self.db.execute("DELETE FROM link_state WHERE name = ?", (name,))

    def save_state(self, name: str, data: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO link_state (name, data) VALUES (?, ?)", (name, data))

    def load_state(self, name: str) -> str | None:
        row = self.db.execute("SELECT data FROM link_state WHERE name = ?", (name,)).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None
