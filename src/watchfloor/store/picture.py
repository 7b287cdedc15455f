"""The consolidated picture as the reports read it: each document's origin and story, claim occurrences,
consolidated claims with their status and its history, stories, and small settings (``meta``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select

from . import tables as t
from .base import Access, chunks
from .rows import DocLink, GroupRow, HistoryRow, StoryView

__all__ = ["PictureReads", "PictureWrites"]

_G = t.claim_groups
_H = t.status_history
_GROUP_COLUMNS = (_G.c.id, _G.c.key, _G.c.kind, _G.c.status, _G.c.independent_sources, _G.c.first_seen, _G.c.data)
_HISTORY_COLUMNS = (_H.c.group_id, _H.c.key, _H.c.status, _H.c.previous, _H.c.independent_sources, _H.c.changed_at,
                    _H.c.reason)


class PictureReads(Access):
    def doc_links(self, ids: Iterable[str] | None = None) -> dict[str, DocLink]:
        """Origin and story of the given linked documents (all when None)."""
        query = select(t.doc_links.c.doc_id, t.doc_links.c.origin, t.doc_links.c.origin_kind, t.doc_links.c.story_id)
        if ids is None:
            return {r[0]: DocLink(*r) for r in self.connection.execute(query)}
        found: dict[str, DocLink] = {}
        for chunk in chunks(ids):
            found.update({r[0]: DocLink(*r) for r in self.connection.execute(query.where(t.doc_links.c.doc_id.in_(chunk)))})
        return found

    def occurrences(self, key: str) -> list[str]:
        return self.occurrences_of_keys([key]).get(key, [])

    def occurrences_of_keys(self, keys: Iterable[str]) -> dict[str, list[str]]:
        """The occurrences under each key, in document and position order (one query per few thousand keys)."""
        o = t.occurrences
        found: dict[str, list[str]] = {}
        for chunk in chunks(sorted(set(keys))):
            query = select(o.c.key, o.c.data).where(o.c.key.in_(chunk)).order_by(o.c.key, o.c.doc_id, o.c.position)
            for key, data in self.connection.execute(query):
                found.setdefault(key, []).append(data)
        return found

    def occurrences_of(self, doc_id: str) -> list[str]:
        """The occurrences one document contributed, in its order."""
        query = select(t.occurrences.c.data).where(t.occurrences.c.doc_id == doc_id).order_by(t.occurrences.c.position)
        return list(self.connection.execute(query).scalars())

    def occurrence_keys(self) -> set[str]:
        return set(self.connection.execute(select(t.occurrences.c.key).distinct()).scalars())

    def groups_for_key(self, key: str) -> list[GroupRow]:
        return self.groups_for_keys([key]).get(key, [])

    def groups_for_keys(self, keys: Iterable[str]) -> dict[str, list[GroupRow]]:
        found: dict[str, list[GroupRow]] = {}
        for chunk in chunks(sorted(set(keys))):
            for r in self.connection.execute(select(*_GROUP_COLUMNS).where(_G.c.key.in_(chunk))):
                found.setdefault(r[1], []).append(GroupRow(*r))
        return found

    def groups(self, kinds: Sequence[str] | None = None) -> list[GroupRow]:
        """Consolidated claims and events, oldest first."""
        query = select(*_GROUP_COLUMNS)
        if kinds:
            query = query.where(_G.c.kind.in_(list(kinds)))
        return [GroupRow(*r) for r in self.connection.execute(query.order_by(_G.c.first_seen, _G.c.id))]

    def group(self, group_id: str) -> GroupRow | None:
        row = self.connection.execute(select(*_GROUP_COLUMNS).where(_G.c.id == group_id)).first()
        return GroupRow(*row) if row else None

    def status_counts(self) -> dict[str, int]:
        rows = self.connection.execute(select(_G.c.status, func.count()).group_by(_G.c.status))
        return {str(status): int(n) for status, n in rows}

    def history(self, since: str | None = None, group_id: str | None = None) -> list[HistoryRow]:
        """Status changes in time order: all, those after ``since``, or those of one group."""
        query = select(*_HISTORY_COLUMNS)
        if since:
            query = query.where(_H.c.changed_at > since)
        if group_id:
            query = query.where(_H.c.group_id == group_id)
        return [HistoryRow(*r) for r in self.connection.execute(query.order_by(_H.c.changed_at, _H.c.group_id))]

    def stories_view(self) -> list[StoryView]:
        s = t.stories
        query = (select(s.c.id, s.c.title, s.c.first_published, s.c.last_published, s.c.created_at, s.c.doc_count)
                 .order_by(s.c.first_published.asc().nulls_first(), s.c.id))
        return [StoryView(*r) for r in self.connection.execute(query)]

    def meta(self, key: str) -> str | None:
        value = self.connection.execute(select(t.meta.c.value).where(t.meta.c.key == key)).scalar_one_or_none()
        return None if value is None else str(value)


class PictureWrites(PictureReads):
    def set_doc_links(self, links: Sequence[DocLink]) -> None:
        self._upsert(t.doc_links, [{"doc_id": link.doc_id, "origin": link.origin, "origin_kind": link.origin_kind,
                                    "story_id": link.story_id} for link in links], ("doc_id",))

    def move_to_story(self, moves: Iterable[tuple[str, str]]) -> None:
        """(doc_id, story_id) pairs: documents that consolidation moved to another story."""
        for doc_id, story_id in moves:
            self.connection.execute(t.doc_links.update().where(t.doc_links.c.doc_id == doc_id).values(story_id=story_id))

    def add_occurrences(self, rows: Iterable[tuple[str, str, int, str]]) -> None:
        """(key, doc_id, position, data) rows; a row already there is replaced."""
        self._upsert(t.occurrences, [{"key": k, "doc_id": d, "position": p, "data": data} for k, d, p, data in rows],
                     ("key", "doc_id", "position"))

    def take_occurrences(self, doc_ids: Iterable[str]) -> set[str]:
        """Remove the occurrences of documents whose analysis changed; the keys they were under."""
        keys: set[str] = set()
        o = t.occurrences
        for chunk in chunks(doc_ids):
            keys.update(self.connection.execute(select(o.c.key).distinct().where(o.c.doc_id.in_(chunk))).scalars())
            self.connection.execute(o.delete().where(o.c.doc_id.in_(chunk)))
        return keys

    def replace_groups(self, key: str, groups: Sequence[GroupRow]) -> None:
        self.replace_groups_of_keys([key], groups)

    def replace_groups_of_keys(self, keys: Iterable[str], groups: Sequence[GroupRow]) -> None:
        """The consolidated claims under the given keys become ``groups`` (each under its own key)."""
        for chunk in chunks(sorted(set(keys))):
            self.connection.execute(_G.delete().where(_G.c.key.in_(chunk)))
        if groups:
            self.connection.execute(_G.insert(), [
                {"id": g.id, "key": g.key, "kind": g.kind, "status": g.status,
                 "independent_sources": g.independent_sources, "first_seen": g.first_seen, "data": g.data}
                for g in groups])

    def add_history(self, rows: Sequence[HistoryRow]) -> None:
        if rows:
            self.connection.execute(_H.insert(), [
                {"group_id": r.group_id, "key": r.key, "status": r.status, "previous": r.previous,
                 "independent_sources": r.independent_sources, "changed_at": r.changed_at, "reason": r.reason}
                for r in rows])

    def set_meta(self, key: str, value: str) -> None:
        self._upsert(t.meta, [{"key": key, "value": value}], ("key",))
