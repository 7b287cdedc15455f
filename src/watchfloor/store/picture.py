"""The consolidated picture as the reports read it: each document's origin and story, claim occurrences,
consolidated claims with their status and its history, stories, and small settings (``meta``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Select,
    Table,
    Text,
    and_,
    bindparam,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.dialects import sqlite

from . import tables as t
from .base import Access, among, chunks, insert_rows, shaped
from .facets import replace_facets
from .rows import DocLink, FigureRow, GroupRow, HistoryRow, OccurrenceRow, StoryView

__all__ = ["PictureReads", "PictureWrites"]

_G = t.claim_groups
_H = t.status_history
_O = t.occurrences
_GROUP_COLUMNS = (_G.c.id, _G.c.key, _G.c.kind, _G.c.status, _G.c.independent_sources, _G.c.first_seen, _G.c.data,
                  _G.c.first_day, _G.c.last_day, _G.c.reliability, _G.c.credibility, _G.c.updated_at)
_HISTORY_COLUMNS = (_H.c.group_id, _H.c.key, _H.c.status, _H.c.previous, _H.c.independent_sources, _H.c.changed_at,
                    _H.c.reason)


def _group(row: Sequence[Any]) -> GroupRow:
    return GroupRow(str(row[0]), str(row[1]), str(row[2]), str(row[3]), int(row[4]), str(row[5]), str(row[6]),
                    row[7], row[8], str(row[9]), int(row[10]), str(row[11]))


def changes(table: Table, columns: Sequence[Any], since: str | None, group_id: str | None) -> Select[Any]:
    """Rows of a history table (``changed_at``, ``group_id``) in time order: all, after ``since``, of one group."""
    query = select(*columns)
    if since:
        query = query.where(table.c.changed_at > since)
    if group_id:
        query = query.where(table.c.group_id == group_id)
    return query.order_by(table.c.changed_at, table.c.group_id)


class PictureReads(Access):
    def doc_links(self, ids: Iterable[str] | None = None) -> dict[str, DocLink]:
        """Origin and story of the given linked documents (all when None)."""
        query = select(t.doc_links.c.doc_id, t.doc_links.c.origin, t.doc_links.c.origin_kind, t.doc_links.c.story_id)
        if ids is None:
            return {r[0]: DocLink(*r) for r in self.connection.execute(query)}
        found: dict[str, DocLink] = {}
        for chunk in chunks(ids):
            found.update({r[0]: DocLink(*r) for r in self.connection.execute(query.where(self._among(t.doc_links.c.doc_id, chunk)))})
        return found

    def occurrences(self, key: str, days: tuple[str, str] | None = None) -> list[OccurrenceRow]:
        """The occurrences under a key: all, or those about a day in ``days`` (first, last) and the undated."""
        return self.occurrences_in_windows({key: days}).get(key, [])

    def occurrences_in_windows(self, windows: Mapping[str, tuple[str, str] | None]) -> dict[str, list[OccurrenceRow]]:
        """``occurrences`` of many keys, each with days of its own, by key; a few statements per few thousand keys
        whatever their days: the keys read whole, the undated of the others, and their dated ones through the
        (key, day) index, joined with the windows (``_windows``). Sorted here: with one OR, or sorted by the engine,
        every occurrence of the keys was read."""
        columns = (_O.c.key, _O.c.doc_id, _O.c.position, _O.c.data, _O.c.day, _O.c.group_id)
        rows: list[OccurrenceRow] = []
        for chunk in chunks(sorted(k for k, days in windows.items() if days is None)):
            rows += [OccurrenceRow(*r) for r in self.connection.execute(select(*columns).where(self._among(_O.c.key, chunk)))]
        for dated in chunks(sorted((k, days) for k, days in windows.items() if days is not None)):
            w = self._windows(dated)
            query = select(*columns).select_from(w.join(_O, and_(_O.c.key == w.c.key, _O.c.day.between(w.c.lo, w.c.hi))))
            rows += [OccurrenceRow(*r) for r in self.connection.execute(query)]
            undated = select(*columns).where(self._among(_O.c.key, [k for k, _ in dated]), _O.c.day.is_(None))
            rows += [OccurrenceRow(*r) for r in self.connection.execute(undated)]
        found: dict[str, list[OccurrenceRow]] = {}
        for row in sorted(rows, key=lambda r: (r.key, r.doc_id, r.position)):
            found.setdefault(row.key, []).append(row)
        return found

    def group_members(self, kinds: Sequence[str] | None = None, ids: Iterable[str] | None = None
                      ) -> dict[str, list[str]]:
        """The occurrences (their data) of every consolidated claim, of some kinds, or of the given ids, by claim."""
        found: dict[str, list[str]] = {}
        if ids is not None:
            for chunk in chunks(set(ids)):
                for group_id, data in self.connection.execute(_members(self.engine), {"ids": chunk}):
                    found.setdefault(group_id, []).append(data)
            return found
        query = select(_O.c.group_id, _O.c.data).where(_O.c.group_id.is_not(None))
        if kinds:
            query = query.join(_G, _G.c.id == _O.c.group_id).where(_G.c.kind.in_(list(kinds)))
        for group_id, data in self.connection.execute(query.order_by(_O.c.group_id, _O.c.doc_id, _O.c.position)):
            found.setdefault(group_id, []).append(data)
        return found

    def occurrences_of(self, doc_id: str) -> list[str]:
        """The occurrences one document contributed, in its order."""
        query = select(t.occurrences.c.data).where(t.occurrences.c.doc_id == doc_id).order_by(t.occurrences.c.position)
        return list(self.connection.execute(query).scalars())

    def occurrence_keys(self) -> set[str]:
        return set(self.connection.execute(select(t.occurrences.c.key).distinct()).scalars())

    def groups_for_key(self, key: str, days: tuple[str, str] | None = None) -> list[GroupRow]:
        """The consolidated claims under a key: all, or those with a member about a day in ``days`` (first,
        last) and those with no dated member."""
        return self.groups_in_windows({key: days}).get(key, [])

    def groups_in_windows(self, windows: Mapping[str, tuple[str, str] | None]) -> dict[str, list[GroupRow]]:
        """``groups_for_key`` of many keys, each with days of its own, by key; a few statements per few thousand
        keys whatever their days: the keys read whole, the undated claims of the others, and those that reach
        their windows through the (key, last_day) index, joined with the windows (``_windows``). Undated and dated
        apart: with one OR the engines read every claim of the keys (a claim's days are both set or both NULL)."""
        rows: list[GroupRow] = []
        for chunk in chunks(sorted(k for k, days in windows.items() if days is None)):
            rows += [_group(r) for r in self.connection.execute(select(*_GROUP_COLUMNS).where(self._among(_G.c.key, chunk)))]
        for dated in chunks(sorted((k, days) for k, days in windows.items() if days is not None)):
            w = self._windows(dated)
            reach = and_(_G.c.key == w.c.key, _G.c.last_day >= w.c.lo, _G.c.first_day <= w.c.hi)
            rows += [_group(r) for r in self.connection.execute(select(*_GROUP_COLUMNS).select_from(w.join(_G, reach)))]
            undated = select(*_GROUP_COLUMNS).where(self._among(_G.c.key, [k for k, _ in dated]),
                                                    _G.c.last_day.is_(None), _G.c.first_day.is_(None))
            rows += [_group(r) for r in self.connection.execute(undated)]
        found: dict[str, list[GroupRow]] = {}
        for row in sorted(rows, key=lambda g: (g.key, g.id)):
            found.setdefault(row.key, []).append(row)
        return found

    def figure_claims(self, keys: Iterable[str]) -> dict[str, list[FigureRow]]:
        """Every consolidated claim under some keys (by key, by id), with only its stance, earliest day and figures,
        taken out of its summary by the engine: what choosing the claims of a figure's key that a batch can change
        needs of all of them (``groups_by_id`` then reads the chosen ones whole). A figure's key gathers claims for
        as long as the figure is reported, and their whole summaries were most of what a batch read."""
        narrow: ColumnElement[Any]
        if self.engine == "sqlite":
            narrow = func.json_extract(_G.c.data, "$.stance", "$.first", "$.ranges")
        else:
            data = cast(_G.c.data, JSON)
            narrow = cast(func.json_build_array(data["stance"], data["first"], data["ranges"]), Text)
        found: dict[str, list[FigureRow]] = {}
        for chunk in chunks(sorted(set(keys))):
            query = select(_G.c.key, _G.c.id, narrow).where(self._among(_G.c.key, chunk))
            for key, group_id, values in sorted(self.connection.execute(query)):
                stance, first, ranges = json.loads(values)
                found.setdefault(key, []).append(FigureRow(group_id, stance, first, ranges))
        return found

    def groups(self, kinds: Sequence[str] | None = None) -> list[GroupRow]:
        """Consolidated claims and events, oldest first."""
        query = select(*_GROUP_COLUMNS)
        if kinds:
            query = query.where(_G.c.kind.in_(list(kinds)))
        return [_group(r) for r in self.connection.execute(query.order_by(_G.c.first_seen, _G.c.id))]

    def groups_by_id(self, ids: Iterable[str]) -> list[GroupRow]:
        found: list[GroupRow] = []
        for chunk in chunks(ids):
            found += [_group(r) for r in self.connection.execute(_groups(self.engine), {"ids": chunk})]
        return found

    def groups_of_documents(self, doc_ids: Iterable[str]) -> set[str]:
        """The consolidated claims and events the given documents report (their occurrences point to them)."""
        found: set[str] = set()
        for chunk in chunks(set(doc_ids)):
            query = select(_O.c.group_id).distinct().where(self._among(_O.c.doc_id, chunk), _O.c.group_id.is_not(None))
            found.update(str(g) for g in self.connection.execute(query).scalars())
        return found

    def groups_with_members(self, ids: Iterable[str]) -> tuple[list[GroupRow], dict[str, list[str]]]:
        """:meth:`groups_by_id` and :meth:`group_members` of the same claims, in one read (a claim's page)."""
        rows: list[GroupRow] = []
        members: dict[str, list[str]] = {}
        for chunk in chunks(set(ids)):
            for row in self.connection.execute(_groups_with_members(self.engine), {"ids": chunk, "of": chunk}):
                if row.part:
                    members.setdefault(row[0], []).append(row.member)
                else:
                    rows.append(_group(row))
        return rows, members

    def group(self, group_id: str) -> GroupRow | None:
        row = self.connection.execute(select(*_GROUP_COLUMNS).where(_G.c.id == group_id)).first()
        return _group(row) if row else None

    def status_counts(self) -> dict[str, int]:
        rows = self.connection.execute(select(_G.c.status, func.count()).group_by(_G.c.status))
        return {str(status): int(n) for status, n in rows}

    def history(self, since: str | None = None, group_id: str | None = None) -> list[HistoryRow]:
        """Status changes in time order: all, those after ``since``, or those of one group."""
        return [HistoryRow(*r) for r in self.connection.execute(changes(_H, _HISTORY_COLUMNS, since, group_id))]

    def history_end(self) -> str | None:
        """When the last status change was made (None: no history yet), without reading the history."""
        value = self.connection.execute(select(func.max(_H.c.changed_at))).scalar_one_or_none()
        return None if value is None else str(value)

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
        """Each document's origin and story; the documents are linked from now on."""
        self._upsert(t.doc_links, [{"doc_id": link.doc_id, "origin": link.origin, "origin_kind": link.origin_kind,
                                    "story_id": link.story_id} for link in links], ("doc_id",))
        for chunk in chunks(link.doc_id for link in links):
            self.connection.execute(t.pending_links.delete().where(self._among(t.pending_links.c.doc_id, chunk)))

    def move_to_story(self, moves: Iterable[tuple[str, str]]) -> None:
        """(doc_id, story_id) pairs: documents that consolidation moved to another story."""
        rows = [{"d": doc_id, "s": story_id} for doc_id, story_id in moves]  # in order: a later move wins
        if rows:
            self.connection.execute(t.doc_links.update().where(t.doc_links.c.doc_id == bindparam("d"))
                                    .values(story_id=bindparam("s")), rows)

    def add_occurrences(self, rows: Iterable[OccurrenceRow],
                        claims: Mapping[tuple[str, str, int], str] | None = None) -> None:
        """Occurrences under their keys; a row already there is replaced. ``claims``: the claim some of them belong
        to, by (key, document, position), in place of their ``group_id`` (a linked batch's reports, written with
        the claims they joined without a record made again for each)."""
        joined = claims or {}
        self._upsert(_O, [{"key": r.key, "doc_id": r.doc_id, "position": r.position, "data": r.data, "day": r.day,
                           "group_id": joined.get((r.key, r.doc_id, r.position), r.group_id), "start": r.start,
                           "end": r.end, "outlet": r.outlet, "asserting": r.asserting, "modality": r.modality,
                           "polarity": r.polarity} for r in rows], ("key", "doc_id", "position"))

    def set_groups(self, assignments: Iterable[tuple[str, str, int, str]]) -> None:
        """(key, doc_id, position, group_id): the consolidated claim each occurrence now belongs to."""
        rows = [{"k": k, "d": d, "p": p, "g": g} for k, d, p, g in assignments]
        if not rows:
            return
        if self.engine == "sqlite":  # a plain executemany of tuples: SQLAlchemy's work per row cost more than SQLite's
            order = _SET_GROUPS_SQLITE.positiontup or ()
            self.connection.exec_driver_sql(_SET_GROUPS_SQLITE.string, [tuple([r[n] for n in order]) for r in rows])
            return
        self.connection.execute(_SET_GROUPS, rows)

    def take_occurrences(self, doc_ids: Iterable[str]) -> list[OccurrenceRow]:
        """Remove the occurrences of documents whose analysis changed; what was removed."""
        taken: list[OccurrenceRow] = []
        columns = (_O.c.key, _O.c.doc_id, _O.c.position, _O.c.data, _O.c.day, _O.c.group_id)
        for chunk in chunks(doc_ids):
            taken += [OccurrenceRow(*r) for r in self.connection.execute(select(*columns).where(self._among(_O.c.doc_id, chunk)))]
            self.connection.execute(_O.delete().where(self._among(_O.c.doc_id, chunk)))
        return taken

    def replace_groups(self, key: str, old: Iterable[str], groups: Sequence[GroupRow]) -> None:
        """The groups ``old`` of a key give way to ``groups`` (the key's other groups stay as they are)."""
        self.replace_groups_of_keys({key: old}, groups)

    def replace_groups_of_keys(self, old: Mapping[str, Iterable[str]], groups: Sequence[GroupRow],
                               sums: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        """``replace_groups`` for many keys at once: the groups ``old[key]`` of each key give way to ``groups``.
        ``sums``: the groups' ``data`` as the caller made it, by id, so that it is not decoded again here."""
        gone = [i for key in sorted(old) for i in old[key]]  # ids are unique across keys: read under their key
        for chunk in chunks(gone):
            self.connection.execute(_G.delete().where(self._among(_G.c.id, chunk)))
        if groups:
            insert_rows(self.connection, _G, [
                {"id": g.id, "key": g.key, "kind": g.kind, "status": g.status,
                 "independent_sources": g.independent_sources, "first_seen": g.first_seen, "data": g.data,
                 "first_day": g.first_day, "last_day": g.last_day, "reliability": g.reliability,
                 "credibility": g.credibility, "updated_at": g.updated_at} for g in groups])
        replace_facets(self.connection, gone, groups, sums)

    def add_history(self, rows: Sequence[HistoryRow]) -> None:
        if rows:
            insert_rows(self.connection, _H, [
                {"group_id": r.group_id, "key": r.key, "status": r.status, "previous": r.previous,
                 "independent_sources": r.independent_sources, "changed_at": r.changed_at, "reason": r.reason}
                for r in rows])

    def set_meta(self, key: str, value: str) -> None:
        self._upsert(t.meta, [{"key": key, "value": value}], ("key",))


_SET_GROUPS = _O.update().where(_O.c.key == bindparam("k"), _O.c.doc_id == bindparam("d"),
                                _O.c.position == bindparam("p")).values(group_id=bindparam("g"))
_SET_GROUPS_SQLITE = _SET_GROUPS.compile(dialect=sqlite.dialect())


@shaped
def _members(engine: str) -> Select[Any]:
    """The reports (their data) of claims ``ids``, in document order."""
    return select(_O.c.group_id, _O.c.data).where(among(engine, _O.c.group_id, "ids")).order_by(_O.c.doc_id,
                                                                                                 _O.c.position)


@shaped
def _groups(engine: str) -> Select[Any]:
    return select(*_GROUP_COLUMNS).where(among(engine, _G.c.id, "ids"))


@shaped
def _groups_with_members(engine: str) -> Select[Any]:
    """The rows of claims ``ids`` (``part`` 0), then the reports (``member``, their data) of claims ``of`` (``part``
    1) in document order: one statement, each part's columns left empty in the other's rows."""
    empty = [null()] * (len(_GROUP_COLUMNS) - 1)
    claims = select(*_GROUP_COLUMNS, null().label("member"), literal(0).label("part"), null().label("doc_id"),
                    null().label("position")).where(among(engine, _G.c.id, "ids"))
    reports = select(_O.c.group_id, *empty, _O.c.data, literal(1), _O.c.doc_id, _O.c.position).where(
        among(engine, _O.c.group_id, "of"))
    both = union_all(claims, reports).subquery()
    return select(both).order_by(both.c.part, both.c.doc_id, both.c.position)
