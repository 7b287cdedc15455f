"""What the desk's screens and the JSON API read, a page at a time: stories, claims and events by story,
document, entity, outlet, type, status, stance or date, the spans a document's claims rest on, an entity's
mentions over time and the actors it appears with, and what changed since a moment.

Every read is bounded by the page it serves (indexed lookups and a ``LIMIT``), not by the size of the store,
and every read that returns what documents say takes ``levels``: the TLP levels the caller may see (None for
all), so that nothing resting only on documents above a reader's ceiling is counted or shown.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    and_,
    bindparam,
    exists,
    func,
    or_,
    select,
    tuple_,
    union_all,
)

from . import tables as t
from .base import LEVELS, Access, among, chunks, shaped
from .documents import spellings
from .facets import outlet_marks
from .rows import HistoryRow, StoryView

__all__ = ["COUNT_CAP", "ClaimFilter", "CoActor", "DocHead", "DocSpan", "FoundEntity", "GroupSummary", "ViewReads"]

#: a report's row (``_M``) is its occurrence, which points to its claim
_G, _S, _M, _E, _D, _L = t.claim_groups, t.group_summary, t.occurrences, t.group_entities, t.documents, t.doc_links


@dataclass(frozen=True)
class ClaimFilter:
    """Which consolidated claims and events a page lists (every field narrows; None and empty mean any)."""

    kinds: tuple[str, ...] = ()
    story_id: str | None = None
    doc_id: str | None = None
    entity_ids: tuple[str, ...] = ()
    event_type: str | None = None
    status: str | None = None
    modality: str | None = None
    outlet: str | None = None
    day_from: str | None = None
    day_to: str | None = None
    ids: tuple[str, ...] = ()
    located: bool = False
    levels: tuple[str, ...] | None = None


@dataclass(frozen=True)
class GroupSummary:
    id: str
    key: str
    kind: str
    status: str
    independent_sources: int
    first_seen: str
    event_type: str | None
    text: str
    day: str | None
    last_day: str | None
    figure: str | None  # JSON: value, low, high, approximate
    unit: str | None
    place: str | None
    lat: float | None
    lon: float | None
    members: int
    modality: str = ""  # of its first report: what the claim is shown as
    polarity: str = ""
    outlets: tuple[str, ...] = ()  # its reports' outlets, each once, in order


@dataclass(frozen=True)
class DocHead:
    """A document without its text."""

    id: str
    title: str
    outlet: str
    url: str | None
    published: str | None
    tlp: str
    language: str
    near_duplicate_of: str | None


@dataclass(frozen=True)
class CoActor:
    """An entity named with another in its latest claims and events: how many it shares with it, and its name and
    type (None when the entity's row is gone)."""

    id: str
    shared: int
    name: str | None
    type: str | None


@dataclass(frozen=True)
class FoundEntity:
    """An entity found by the first letters of one of its spellings, and how often it is mentioned."""

    id: str
    name: str
    type: str
    mentions: int


@dataclass(frozen=True)
class DocSpan:
    """A stretch of a document that a consolidated claim or event rests on."""

    group_id: str
    start: int
    end: int
    kind: str
    status: str


_SUMMARY_COLUMNS = (_S.c.group_id, _S.c.key, _S.c.kind, _S.c.status, _S.c.independent_sources, _S.c.first_seen,
                    _S.c.event_type, _S.c.text, _S.c.day, _S.c.last_day, _S.c.figure, _S.c.unit, _S.c.place, _S.c.lat,
                    _S.c.lon, _S.c.members, _S.c.modality, _S.c.polarity, _S.c.outlets)
_HEAD_COLUMNS = (_D.c.id, _D.c.title, _D.c.outlet, _D.c.url, _D.c.published, _D.c.tlp, _D.c.language,
                 _D.c.near_duplicate_of)


def _visible(levels: Sequence[str] | BindParameter[Any], group: Any = _S.c.group_id) -> ColumnElement[bool]:
    """A group some report of which the caller may see."""
    listed = levels if isinstance(levels, BindParameter) else list(levels)
    return exists(select(_M.c.group_id).join(_D, _D.c.id == _M.c.doc_id)
                  .where(_M.c.group_id == group).where(_D.c.tlp.in_(listed)))


#: matches are counted up to this many (and one more, meaning "more"): a count is a page's cost, not the store's
COUNT_CAP = 1000

#: an entity named in more groups than this is listed by walking groups newest first and checking each, rather
#: than by collecting all of its groups and sorting them
DENSE = 2000
#: ... and counted that way above this many (below it, collecting its groups costs less than the walk)
COUNT_DENSE = 20_000

#: an entity with more keys than this has its latest documents sorted by the engine in one read
_MERGED_KEYS = 50

_FAMILIES = {("event",): "event", ("quantity", "statement"): "claim"}


#: kinds a filter's shape keeps as they are (any other kinds are one list parameter, ``kinds``)
_KINDS = frozenset({"event", "quantity", "statement"})


def _shape(f: ClaimFilter) -> ClaimFilter:
    """What the statements of a filter are built from (see :func:`shaped`): which fields are given, each given value
    replaced by a mark (kinds kept when they are all known kinds: a family, or the key ranges of an outlet's
    claims on SQLite). The values themselves are the named parameters of :func:`_values`."""
    given: dict[str, Any] = {name: None if getattr(f, name) is None else "" for name in (
        "story_id", "doc_id", "event_type", "status", "modality", "outlet", "day_from", "day_to")}
    kinds = tuple(sorted(set(f.kinds))) if set(f.kinds) <= _KINDS else ("",)
    return replace(f, kinds=kinds, ids=("",) if f.ids else (), entity_ids=("",) if f.entity_ids else (),
                   levels=None if f.levels is None else ("",), **given)


def _values(f: ClaimFilter) -> dict[str, Any]:
    """The named parameters of the statements built from a filter's shape (:func:`_conditions`)."""
    first, listed = outlet_marks(f.outlet) if f.outlet is not None else ("", "")
    return {"family": _FAMILIES.get(tuple(sorted(set(f.kinds)))), "kinds": list(f.kinds), "ids": list(f.ids),
            "story_id": f.story_id, "doc_id": f.doc_id, "entity_ids": list(f.entity_ids), "outlet": f.outlet,
            "outlet_first": first, "outlet_listed": listed, "modality": f.modality, "event_type": f.event_type,
            "status": f.status, "day_from": f.day_from, "day_to": f.day_to, "levels": list(f.levels or ())}


def _conditions(f: ClaimFilter, dense: bool = False, dense_outlet: bool = False, engine: str = "sqlite"
                ) -> list[ColumnElement[bool]]:
    """The filter (its shape, :func:`_shape`) as conditions on ``group_summary``, its values named parameters
    (:func:`_values`); ``dense``: the entities name so many groups (``dense_outlet``: the outlet gives so many
    reports) that walking the groups newest first and checking each is cheaper than collecting theirs first.
    PostgreSQL checks a walked claim for the outlet in the summary's list of outlets, which the walk has read
    (:func:`_lists_outlet`); SQLite looks the claim up in the outlet's reports."""
    found: list[ColumnElement[bool]] = []
    family = _FAMILIES.get(tuple(sorted(set(f.kinds))))
    if family is not None:
        found.append(_S.c.family == bindparam("family"))
    elif f.kinds:
        found.append(_S.c.kind.in_(bindparam("kinds", expanding=True)))
    group = _S.c.group_id
    if f.ids:
        found.append(group.in_(bindparam("ids", expanding=True)))
    if f.story_id is not None:
        found.append(group.in_(select(_M.c.group_id).join(_L, _L.c.doc_id == _M.c.doc_id)
                               .where(_L.c.story_id == bindparam("story_id"))))
    if f.doc_id is not None:
        found.append(group.in_(select(_M.c.group_id).where(_M.c.doc_id == bindparam("doc_id"))))
    if f.entity_ids:
        named = select(_E.c.group_id).where(_E.c.entity_id.in_(bindparam("entity_ids", expanding=True)))
        found.append(exists(named.where(_E.c.group_id == group)) if dense else group.in_(named))
    if f.outlet is not None:
        given = select(_M.c.group_id).where(_M.c.outlet == bindparam("outlet"))
        if not dense_outlet:
            found.append(group.in_(given))
        elif engine == "sqlite":
            found.append(exists(given.where(_M.c.group_id == group)))
        else:
            found.append(_lists_outlet())
    if f.modality is not None:
        found.append(_S.c.modality == bindparam("modality"))
    if f.event_type is not None:
        found.append(_S.c.event_type == bindparam("event_type"))
    if f.status is not None:
        found.append(_S.c.status == bindparam("status"))
    if f.day_from is not None:
        found.append(_S.c.last_day >= bindparam("day_from"))
    if f.day_to is not None:
        found.append(and_(_S.c.day <= bindparam("day_to"), _S.c.day != ""))
    if f.located:
        found.append(_S.c.lat.is_not(None))
    if f.levels is not None:
        found.append(_visible(LEVELS))
    return found


def _lists_outlet() -> ColumnElement[bool]:
    """A claim whose summary lists the outlet among its reports' (``outlets``; the parameters ``outlet_first`` and
    ``outlet_listed``, :func:`.facets.outlet_marks`). On
    PostgreSQL the walk of an outlet's page (~1,900 claims for a page of 50 from one of 27 outlets at 100k
    documents) looked each claim up in the outlet's reports, three index pages a claim: 5.6 ms, where finding the
    name in the text of the row it has read takes 0.7 ms. ``strpos``, not ``LIKE``: a pattern that starts with a
    wildcard is matched character by character under the database's collation, as slow as the lookups."""
    return or_(func.strpos(_S.c.outlets, bindparam("outlet_first")) == 1,
               func.strpos(_S.c.outlets, bindparam("outlet_listed")) > 0)


def _page_order(sort: ColumnElement[Any], group: ColumnElement[Any], newest_first: bool
                ) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """A page of claims' order: by the day it sorts on and then the claim's id, newest or oldest first."""
    return (sort.desc(), group.desc()) if newest_first else (sort.asc(), group.asc())


def _summary(row: Sequence[Any]) -> GroupSummary:
    return GroupSummary(str(row[0]), str(row[1]), str(row[2]), str(row[3]), int(row[4]), str(row[5]), row[6],
                        str(row[7]), row[8] or None, row[9] or None, row[10], row[11], row[12], row[13], row[14],
                        int(row[15]), str(row[16]), str(row[17]), tuple(json.loads(row[18])))


class ViewReads(Access):
    # --- stories -------------------------------------------------------------------------------------------

    def story_page(self, limit: int, offset: int = 0, levels: Sequence[str] | None = None) -> tuple[
            list[StoryView], int]:
        """Stories, the most recently reported first, with the number there are."""
        s = t.stories
        query = select(s.c.id, s.c.title, s.c.first_published, s.c.last_published, s.c.created_at, s.c.doc_count)
        count = select(func.count()).select_from(s)
        if levels is not None:
            seen = exists(select(_L.c.doc_id).join(_D, _D.c.id == _L.c.doc_id)
                          .where(_L.c.story_id == s.c.id).where(_D.c.tlp.in_(list(levels))))
            query, count = query.where(seen), count.where(seen)
        query = query.order_by(s.c.last_published.desc().nulls_last(), s.c.id).limit(limit).offset(offset)
        total = int(self.connection.execute(count).scalar_one())
        return [StoryView(*r) for r in self.connection.execute(query)], total

    def stories_by_id(self, ids: Collection[str]) -> dict[str, StoryView]:
        found: dict[str, StoryView] = {}
        for chunk in chunks(set(ids)):
            found.update({r[0]: StoryView(*r) for r in self.connection.execute(_stories(self.engine), {"ids": chunk})})
        return found

    def story_with_documents(self, story_id: str, limit: int, levels: Sequence[str] | None = None) -> tuple[
            StoryView, list[DocHead], int] | None:
        """A story, its first ``limit`` documents (earliest first) and how many it has, in one read (two when it has
        more); None when there is no such story."""
        query, count = _story_with_documents(levels is not None)
        values = {"story_id": story_id, "limit": limit, "levels": list(levels or ())}
        rows = self.connection.execute(query, values).all()
        if not rows:
            return None
        heads = [DocHead(*r[6:]) for r in rows if r[6] is not None]
        total = len(heads) if len(heads) < limit else int(self.connection.execute(count, values).scalar_one())
        return StoryView(*rows[0][:6]), heads, total

    def most_changed_stories(self, since: str, limit: int) -> list[tuple[str, int]]:
        """(story id, claims whose status appeared or changed after ``since``), most first."""
        h = t.status_history
        changed = func.count(h.c.group_id.distinct())
        query = (select(_L.c.story_id, changed).select_from(h)
                 .join(_M, _M.c.group_id == h.c.group_id).join(_L, _L.c.doc_id == _M.c.doc_id)
                 .where(h.c.changed_at > since).where(_L.c.story_id.is_not(None))
                 .group_by(_L.c.story_id).order_by(changed.desc(), _L.c.story_id).limit(limit))
        return [(str(r[0]), int(r[1])) for r in self.connection.execute(query)]

    def story_status_counts(self, story_ids: Collection[str], levels: Sequence[str] | None = None
                            ) -> dict[str, dict[str, int]]:
        """Per story: how many of its consolidated claims and events have each status."""
        found: dict[str, dict[str, int]] = defaultdict(dict)
        for chunk in chunks(set(story_ids)):
            inner = (select(_L.c.story_id.label("story_id"), _M.c.group_id.label("group_id")).distinct()
                     .select_from(_L).join(_M, _M.c.doc_id == _L.c.doc_id).where(self._among(_L.c.story_id, chunk)))
            if levels is not None:
                inner = inner.join(_D, _D.c.id == _L.c.doc_id).where(_D.c.tlp.in_(list(levels)))
            pairs = inner.subquery()
            query = (select(pairs.c.story_id, _G.c.status, func.count()).select_from(pairs)
                     .join(_G, _G.c.id == pairs.c.group_id).group_by(pairs.c.story_id, _G.c.status))
            for story_id, status, n in self.connection.execute(query):
                found[str(story_id)][str(status)] = int(n)
        return dict(found)

    def story_documents(self, story_id: str, limit: int, levels: Sequence[str] | None = None) -> tuple[
            list[DocHead], int]:
        """A story's documents, earliest first, and how many it has."""
        found = self.story_with_documents(story_id, limit, levels)
        return (found[1], found[2]) if found else ([], 0)

    # --- documents -----------------------------------------------------------------------------------------

    def document_heads(self, ids: Collection[str]) -> dict[str, DocHead]:
        found: dict[str, DocHead] = {}
        for chunk in chunks(set(ids)):
            found.update({r[0]: DocHead(*r) for r in self.connection.execute(_heads(self.engine), {"ids": chunk})})
        return found

    def document_page(self, limit: int, offset: int = 0, outlet: str | None = None, day_from: str | None = None,
                      day_to: str | None = None, levels: Sequence[str] | None = None) -> tuple[list[DocHead], int]:
        """Documents, the most recently published first."""
        conditions: list[ColumnElement[bool]] = []
        if outlet is not None:
            conditions.append(_D.c.outlet == outlet)
        if day_from is not None:
            conditions.append(_D.c.published >= day_from)
        if day_to is not None:
            conditions.append(_D.c.published < day_to + "T99")  # the whole last day, whatever the time zone
        if levels is not None:
            conditions.append(_D.c.tlp.in_(list(levels)))
        query = select(*_HEAD_COLUMNS).where(*conditions).order_by(_D.c.published.desc().nulls_last(), _D.c.id)
        total = int(self.connection.execute(select(func.count()).select_from(_D).where(*conditions)).scalar_one())
        return [DocHead(*r) for r in self.connection.execute(query.limit(limit).offset(offset))], total

    def document_spans(self, doc_id: str) -> list[DocSpan]:
        """Where in one document each consolidated claim or event it contributes to rests."""
        query = (select(_M.c.group_id, _M.c.start, _M.c.end, _G.c.kind, _G.c.status)
                 .join(_G, _G.c.id == _M.c.group_id).where(_M.c.doc_id == doc_id).order_by(_M.c.start, _M.c.group_id))
        return [DocSpan(str(r[0]), int(r[1]), int(r[2]), str(r[3]), str(r[4])) for r in self.connection.execute(query)]

    def document_levels(self, ids: Collection[str]) -> dict[str, str]:
        """Document id -> its TLP level."""
        found: dict[str, str] = {}
        for chunk in chunks(set(ids)):
            found.update({str(r[0]): str(r[1]) for r in self.connection.execute(
                select(_D.c.id, _D.c.tlp).where(self._among(_D.c.id, chunk)))})
        return found

    def outlets(self) -> list[str]:
        return [str(o) for o in self.connection.execute(select(_D.c.outlet).distinct().order_by(_D.c.outlet)).scalars()]

    # --- claims and events -----------------------------------------------------------------------------------

    def group_page(self, f: ClaimFilter, limit: int, offset: int = 0, newest_first: bool = True) -> tuple[
            list[GroupSummary], int]:
        """Consolidated claims and events matching a filter, a page of them, and how many match (counted up to
        ``COUNT_CAP + 1``: a count above the cap means "more than the cap"). Its statements are built once per shape
        of filter (:func:`_shape`), given the filter's values when they run."""
        if len(f.entity_ids) == 1 and newest_first and not f.ids and f.story_id is None and f.doc_id is None:
            return self._entity_page(f, limit, offset)
        shape, values = _shape(f), {**_values(f), "limit": limit, "offset": offset}
        named = outlet = 0
        if f.entity_ids:
            named = self._count(_entities_claims(), values, COUNT_DENSE)
        if f.outlet is not None:
            outlet = self._count(_outlets_reports(), values, DENSE)
        picked = bool(offset) and self.engine != "sqlite"
        page = _claims_page(self.engine, shape, named > DENSE, outlet > DENSE, newest_first, picked)
        rows = [_summary(r) for r in self.connection.execute(page, values)]
        if offset == 0 and len(rows) < limit:  # a first page that is not full holds every match
            return rows, len(rows)
        return rows, self._count(_claims_count(self.engine, shape, named > COUNT_DENSE, outlet > DENSE), values,
                                 COUNT_CAP)

    def _count(self, query: Select[Any], values: dict[str, Any], cap: int) -> int:
        """How many rows a statement of :func:`_up_to` gives, counted up to ``cap + 1``."""
        return int(self.connection.execute(query, {**values, "cap": cap + 1}).scalar_one())

    def _entity_page(self, f: ClaimFilter, limit: int, offset: int) -> tuple[list[GroupSummary], int]:
        """``group_page`` for one entity, newest first: its claims walked in the entity's own index
        (``group_entities_latest``: entity, last day, claim, family — the page's order), each checked against the
        rest of the filter, so that a page and its capped count cost the rows they walk, however many claims name the
        entity and however few of the store's claims it names (walking the store's claims newest first and
        checking each for the entity read every claim of the store for an entity named in a few hundred). A
        claim that names the entity in more than one role is taken once: its rows of the entity share its last day,
        so the walk's distinct (last day, claim) pairs are its claims, one each (with a subquery per row for the
        claim's first role instead, the engines took several times as long). With nothing else to check (the
        entity page), the walk reads the entity's index alone: a claim's rows of its entities are written and
        removed with its summary (``facets.replace_facets``), so each has one. A claim's family (claims or events)
        is in that index too (version 12): a page of an entity's claims alone read the summary of each claim it
        walked past (~1,600 for the count of an entity named in most claims), where it now reads none."""
        family = _FAMILIES.get(tuple(sorted(set(f.kinds))))
        shape = _shape(f)
        rest = replace(shape, entity_ids=(), kinds=() if family else shape.kinds)
        values = {**_values(f), "entity_id": f.entity_ids[0], "limit": limit, "offset": offset, "cap": COUNT_CAP + 1}
        found = self.connection.execute(_entity_page_of(self.engine, rest, family), values).all()
        if found:  # each row carries the capped count of the walk (computed once by both engines)
            return [_summary(r) for r in found], int(found[0][-1])
        if offset == 0:
            return [], 0
        return [], int(self.connection.execute(_entity_walk_count(self.engine, rest, family), values).scalar_one())

    def group_summaries(self, group_ids: Collection[str]) -> dict[str, GroupSummary]:
        """The stored summaries of the given claims and events, by id (unknown ids left out)."""
        found: dict[str, GroupSummary] = {}
        for chunk in chunks(set(group_ids)):
            found.update({s.id: s for s in map(_summary, self.connection.execute(
                select(*_SUMMARY_COLUMNS).where(self._among(_S.c.group_id, chunk))))})
        return found

    def report_pages(self, group_ids: Collection[str], limit: int) -> dict[str, tuple[list[str], int]]:
        """Per claim or event: the records (``data``) of its first ``limit`` reports in the order the export
        lists them (the day they are about, undated last; then document, place in it, position), and how many
        distinct sentences (document, start) it rests on. The reports' places are read, and the records of the
        page's rows only (a record is long: reading all of them made the largest claims' pages slow)."""
        places: dict[str, list[tuple[str, str, int, int, str]]] = defaultdict(list)
        for chunk in chunks(set(group_ids)):
            query = select(_M.c.group_id, _M.c.day, _M.c.doc_id, _M.c.start, _M.c.position, _M.c.key)
            for group_id, day, doc_id, start, position, key in self.connection.execute(
                    query.where(self._among(_M.c.group_id, chunk))):
                places[str(group_id)].append((day or "~", str(doc_id), int(start), int(position), str(key)))
        found: dict[str, tuple[list[str], int]] = {}
        wanted: dict[tuple[str, str, int], tuple[str, int]] = {}
        for group_id, rows in places.items():
            rows.sort()
            for i, (_, doc_id, _, position, key) in enumerate(rows[:limit]):
                wanted[key, doc_id, position] = group_id, i
            found[group_id] = ([""] * min(limit, len(rows)), len({(r[1], r[2]) for r in rows}))
        for lookups in chunks(list(wanted), 100):  # primary key lookups
            if self.engine == "sqlite":  # a row-value IN list is not looked up in the key there: a clause each
                match = or_(*(and_(_M.c.key == k, _M.c.doc_id == d, _M.c.position == p) for k, d, p in lookups))
            else:  # one list of values, one statement text whatever the page
                match = tuple_(_M.c.key, _M.c.doc_id, _M.c.position).in_(lookups)
            records = select(_M.c.key, _M.c.doc_id, _M.c.position, _M.c.data).where(match)
            for key, doc_id, position, data in self.connection.execute(records):
                group_id, i = wanted[str(key), str(doc_id), int(position)]
                found[group_id][0][i] = str(data)
        return found

    def group_levels(self, group_ids: Collection[str]) -> dict[str, set[str]]:
        """Group id -> the TLP levels of the documents its reports come from."""
        found: dict[str, set[str]] = defaultdict(set)
        for chunk in chunks(set(group_ids)):
            query = (select(_M.c.group_id, _D.c.tlp).distinct().join(_D, _D.c.id == _M.c.doc_id)
                     .where(self._among(_M.c.group_id, chunk)))
            for group_id, level in self.connection.execute(query):
                found[str(group_id)].add(str(level))
        return dict(found)

    def quantity_tracks(self, limit: int, levels: Sequence[str] | None = None) -> list[tuple[str, int]]:
        """(consolidation key ``quantity|subject|unit``, its figures), the most reported first."""
        query = select(_S.c.key, func.count()).select_from(_S)  # keys quantity|subject|unit, as an index range
        query = query.where(_S.c.key > "quantity|-|~").where(_S.c.key < "quantity}")
        if levels is not None:
            query = query.where(_visible(levels))
        query = query.group_by(_S.c.key).order_by(func.count().desc(), _S.c.key).limit(limit)
        return [(str(k), int(n)) for k, n in self.connection.execute(query)]

    def groups_by_key(self, key: str, levels: Sequence[str] | None = None) -> list[str]:
        """Ids of the groups under one consolidation key (that the caller may see)."""
        query = select(_S.c.group_id).where(_S.c.key == key)
        if levels is not None:
            query = query.where(_visible(levels))
        return [str(i) for i in self.connection.execute(query.order_by(_S.c.group_id)).scalars()]

    def event_types(self) -> list[str]:
        query = select(_S.c.event_type).distinct().where(_S.c.event_type.is_not(None)).order_by(_S.c.event_type)
        return [str(v) for v in self.connection.execute(query).scalars()]

    def changes(self, since: str | None, limit: int, levels: Sequence[str] | None = None) -> list[HistoryRow]:
        """Status changes after ``since`` (all when None), the latest first."""
        h = t.status_history
        query = select(h.c.group_id, h.c.key, h.c.status, h.c.previous, h.c.independent_sources, h.c.changed_at,
                       h.c.reason)
        if since:
            query = query.where(h.c.changed_at > since)
        if levels is not None:
            query = query.where(exists(select(_M.c.group_id).join(_D, _D.c.id == _M.c.doc_id)
                                       .where(_M.c.group_id == h.c.group_id).where(_D.c.tlp.in_(list(levels)))))
        query = query.order_by(h.c.changed_at.desc(), h.c.group_id).limit(limit)
        return [HistoryRow(*r) for r in self.connection.execute(query)]

    # --- entities --------------------------------------------------------------------------------------------

    def _mention_days(self, entity_id: str, levels: Sequence[str] | None) -> Any:
        keys = select(t.entity_keys.c.key).where(t.entity_keys.c.entity_id == entity_id)
        m = t.mention_days
        query = select(m.c.day, m.c.doc_id).where(m.c.key.in_(keys))
        if levels is not None:
            query = query.join(_D, _D.c.id == m.c.doc_id).where(_D.c.tlp.in_(list(levels)))
        return query.subquery()

    def entity_mentions_by_day(self, entity_id: str, levels: Sequence[str] | None = None) -> list[tuple[str, int]]:
        """(day, documents that mention the entity that day), in day order (undated documents left out)."""
        days = self._mention_days(entity_id, levels)
        query = (select(days.c.day, func.count(days.c.doc_id.distinct())).where(days.c.day != "")
                 .group_by(days.c.day).order_by(days.c.day))
        return [(str(d), int(n)) for d, n in self.connection.execute(query)]

    def _latest_documents(self, entity_id: str, limit: int, levels: Sequence[str] | None,
                          keys: Collection[str] | None) -> tuple[Select[Any], dict[str, Any]]:
        """The statement of an entity's latest documents (day, document; newest first) and its values."""
        if keys is None:
            keys = list(self.connection.execute(select(t.entity_keys.c.key)
                                                .where(t.entity_keys.c.entity_id == entity_id)).scalars())
        values: dict[str, Any] = {"entity_id": entity_id, "limit": limit, "levels": list(levels or ())}
        if not keys or len(keys) > _MERGED_KEYS:
            return _latest_of_entity(levels is not None), values
        named = sorted(set(keys))
        values.update({f"key{i}": key for i, key in enumerate(named)})
        return _latest_of_keys(len(named), levels is not None), values

    def entity_recent_documents(self, entity_id: str, limit: int, levels: Sequence[str] | None = None,
                                keys: Collection[str] | None = None) -> list[str]:
        """The latest documents that mention an entity (under any of its keys, ``keys`` when the caller has read
        them), newest first. Each key's latest are an index range; merging them here rather than sorting every
        mention of the entity made this read cost the page, not the entity's fame (14 ms for the most named)."""
        latest, values = self._latest_documents(entity_id, limit, levels, keys)
        return [str(r[1]) for r in self.connection.execute(latest, values)]

    def entity_recent_spellings(self, entity_id: str, limit: int, levels: Sequence[str] | None = None,
                                keys: Collection[str] | None = None) -> list[tuple[str, str]]:
        """(entity key, the words that named it) for every mention in the analyses of the entity's ``limit`` latest
        documents (:meth:`entity_recent_documents`): what its page's aliases are counted from, in one read."""
        latest, values = self._latest_documents(entity_id, limit, levels, keys)
        found: list[tuple[str, str]] = []
        for data in self.connection.execute(_analyses_of(latest), values).scalars():
            found += spellings(data)
        return found

    def co_occurring(self, entity_id: str, limit: int, recent: int = 500,
                     levels: Sequence[str] | None = None) -> list[CoActor]:
        """The entities named with this one in its ``recent`` latest claims and events, with how many they share,
        most first, and their names."""
        query = _co_occurring(self.engine, levels is not None)
        found = self.connection.execute(query, {"entity_id": entity_id, "recent": recent, "limit": limit,
                                                "levels": list(levels or ())})
        return [CoActor(str(e), int(n), name, kind) for e, n, name, kind in found]

    def find_entities(self, text: str, limit: int) -> list[FoundEntity]:
        """The ``limit`` most mentioned entities one of whose spellings starts with ``text`` (folded), most first,
        with their names (one whose row is gone is left out), in one read. PostgreSQL walks its prefix index of
        the spellings (``entity_keys_prefix``), SQLite its index of them as a range."""
        pattern = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        ranged = bool(text) and self.engine == "sqlite"  # SQLite's LIKE ignores case: its index walked by a range
        values = {"pattern": pattern, "limit": limit}
        if ranged:
            values |= {"low": text, "high": text[:-1] + chr(ord(text[-1]) + 1)}
        found = self.connection.execute(_found_entities(ranged), values)
        return [FoundEntity(str(i), name, kind, int(n or 0)) for i, name, kind, n in found]

    def entity_group_count(self, entity_id: str) -> int:
        query = select(func.count(_E.c.group_id.distinct())).where(_E.c.entity_id == entity_id)
        return int(self.connection.execute(query).scalar_one())

    # --- what a whole-picture read is cached under ----------------------------------------------------------

    def picture_marks(self) -> tuple[str, ...]:
        """Counts and latest times that move with every write that changes what an export reads: documents
        stored or linked, claims re-scored or re-graded, analysts' grades set, analyses made again, entities and
        stories made or retired. Two snapshots with equal marks hold the same picture, so what is built from
        the whole of it (the TAXII collection) can be kept between requests under them."""
        g, sg = t.claim_groups, t.source_grades
        marks = select(
            select(func.count()).select_from(_D).scalar_subquery(),
            select(func.max(_D.c.ingested_at)).scalar_subquery(),
            select(func.count()).select_from(t.pending_links).scalar_subquery(),
            select(func.count()).select_from(_L).scalar_subquery(),
            select(func.count()).select_from(g).scalar_subquery(),
            select(func.max(g.c.updated_at)).scalar_subquery(),
            select(func.count()).select_from(t.status_history).scalar_subquery(),
            select(func.count()).select_from(t.grade_history).scalar_subquery(),
            select(func.count()).select_from(sg).scalar_subquery(),
            select(func.max(sg.c.set_at)).scalar_subquery(),
            select(func.coalesce(func.sum(t.analyses.c.version), 0)).scalar_subquery(),
            select(func.count()).select_from(t.entities).scalar_subquery(),
            select(func.max(t.entities.c.seq)).scalar_subquery(),
            select(func.count()).select_from(t.stories).scalar_subquery(),
        )
        return tuple("" if v is None else str(v) for v in self.connection.execute(marks).one())


def _up_to(query: Select[Any]) -> Select[Any]:
    """How many rows a query gives, counted up to the parameter ``cap`` (an index range, stopped there)."""
    return select(func.count()).select_from(query.limit(bindparam("cap")).subquery())


@shaped
def _entities_claims() -> Select[Any]:
    """The rows of claims naming the entities ``entity_ids``, counted up to ``cap``."""
    return _up_to(select(_E.c.group_id).where(_E.c.entity_id.in_(bindparam("entity_ids", expanding=True))))


@shaped
def _outlets_reports() -> Select[Any]:
    """The reports of outlet ``outlet``, counted up to ``cap``."""
    return _up_to(select(_M.c.group_id).where(_M.c.outlet == bindparam("outlet")))


@shaped
def _claims_page(engine: str, shape: ClaimFilter, dense: bool, dense_outlet: bool, newest_first: bool, picked: bool
                 ) -> Select[Any]:
    """A page of the claims matching a filter of this shape (values: :func:`_values`, ``limit``, ``offset``)."""
    where = _conditions(shape, dense, dense_outlet, engine)
    sort = _S.c.last_day if newest_first else _S.c.day
    order = _page_order(sort, _S.c.group_id, newest_first)
    if picked:  # the page picked in the index, then its rows read
        keys = select(sort, _S.c.group_id).where(*where).order_by(*order)
        return _picked(keys.limit(bindparam("limit")).offset(bindparam("offset")), newest_first)
    return (select(*_SUMMARY_COLUMNS).where(*where).order_by(*order).limit(bindparam("limit"))
            .offset(bindparam("offset")))


def _picked(keys: Select[Any], newest_first: bool) -> Select[Any]:
    """The summaries of a page of claims picked by ``keys`` (their sort column and id, in page order), in that
    order. PostgreSQL reads the row of every claim a page skips (``OFFSET``) when the page reads whole rows: a
    deep page of the claims API (offset 5,000) read 5,000 rows, where picking its claims in the index first
    reads 50 (SQLite defers reading a row until it is kept)."""
    picked = keys.subquery()
    sort, group = picked.c[0], picked.c.group_id
    return (select(*_SUMMARY_COLUMNS).select_from(picked).join(_S, _S.c.group_id == group)
            .order_by(*_page_order(sort, group, newest_first)))


@shaped
def _claims_count(engine: str, shape: ClaimFilter, dense: bool, dense_outlet: bool) -> Select[Any]:
    """The claims matching a filter of this shape, counted up to ``cap``: from the outlet's reports, in claim
    order, each claim once, when the outlet gives so many (``dense_outlet``)."""
    if dense_outlet:
        return _up_to(_outlet_claims(engine, shape, dense))
    return _up_to(select(_S.c.group_id).where(*_conditions(shape, dense)))


def _outlet_claims(engine: str, shape: ClaimFilter, dense: bool) -> Select[Any]:
    """The claims an outlet gives reports of that match the rest of a filter, each once, in claim order. On
    SQLite, a filter of kinds alone is read in the outlet's index without the claims' summaries: a report's
    key (the consolidation key, ``kind|...``, its claim's) is in every index of its table there (the primary
    key of a table without rowids), so a kind is a key range (an outlet's capped count: 3.6 -> 0.3 ms,
    where looking up each of the ~1,000 claims' summaries for its family cost the rest). PostgreSQL reads the
    key from the table, which costs what the summaries' lookups do, and keeps them."""
    rest = _conditions(replace(shape, outlet=None, kinds=()), dense)
    given = select(_M.c.group_id).distinct().where(_M.c.outlet == bindparam("outlet"))
    if engine == "sqlite" and not rest and "" not in shape.kinds:  # kinds of the shape, each a key range
        kinds = [and_(_M.c.key >= f"{k}|", _M.c.key < f"{k}}}") for k in shape.kinds]
        return given.where(_M.c.group_id.is_not(None), *([or_(*kinds)] if kinds else []))
    return given.join(_S, _S.c.group_id == _M.c.group_id).where(*_conditions(replace(shape, outlet=None), dense))


@shaped
def _entity_page_of(engine: str, rest: ClaimFilter, family: str | None) -> Select[Any]:
    """:func:`_entity_page_statement` for one entity's claims matching the rest of a filter of this shape."""
    conditions = _conditions(rest, dense_outlet=True, engine=engine)
    return _entity_page_statement(family, tuple(conditions)) if conditions else _entity_page_shape(family)


@shaped
def _entity_walk_count(engine: str, rest: ClaimFilter, family: str | None) -> Select[Any]:
    """The claims of :func:`_entity_page_of`'s walk, counted up to ``cap``."""
    return _up_to(_entity_walk(family, tuple(_conditions(rest, dense_outlet=True, engine=engine))))


def _entity_walk(family: str | None, rest: tuple[ColumnElement[bool], ...]) -> Select[Any]:
    """An entity's claims (last day, claim), each once, newest first, of a family and matching ``rest``."""
    walked = select(_E.c.last_day, _E.c.group_id).distinct().where(_E.c.entity_id == bindparam("entity_id"))
    if family is not None:
        walked = walked.where(_E.c.family == family)
    if rest:
        walked = walked.join(_S, _S.c.group_id == _E.c.group_id).where(*rest)
    return walked


def _entity_page_statement(family: str | None, rest: tuple[ColumnElement[bool], ...]) -> Select[Any]:
    """A page of an entity's claims (values ``entity_id``, ``limit``, ``offset``), each row with the walk's count
    up to ``cap`` as its last column: an uncorrelated subquery, which both engines compute once."""
    walked = _entity_walk(family, rest)
    order = (_E.c.last_day.desc(), _E.c.group_id.desc())
    picked = walked.order_by(*order).limit(bindparam("limit")).offset(bindparam("offset")).subquery()
    counted = select(func.count()).select_from(walked.limit(bindparam("cap")).subquery()).scalar_subquery()
    return (select(*_SUMMARY_COLUMNS, counted).select_from(picked).join(_S, _S.c.group_id == picked.c.group_id)
            .order_by(picked.c.last_day.desc(), picked.c.group_id.desc()))


@shaped
def _entity_page_shape(family: str | None) -> Select[Any]:
    """:func:`_entity_page_statement` with nothing else to match (the entity page), built once."""
    return _entity_page_statement(family, ())


@shaped
def _latest_of_keys(keys: int, levels: bool) -> Select[Any]:
    """An entity's latest documents (day, document), newest first, from its keys ``key0``... each read as an index
    range: a document named under several keys has one day, so the first ``limit`` distinct pairs of the keys'
    first ``limit`` each are the entity's."""
    m, parts = t.mention_days, []
    for i in range(keys):
        latest = select(m.c.day, m.c.doc_id).where(m.c.key == bindparam(f"key{i}"))
        if levels:
            latest = latest.join(_D, _D.c.id == m.c.doc_id).where(_D.c.tlp.in_(LEVELS))
        part = latest.order_by(m.c.day.desc(), m.c.doc_id).limit(bindparam("limit")).subquery()
        parts.append(select(part.c.day, part.c.doc_id))
    merged = union_all(*parts).subquery()
    return (select(merged.c.day, merged.c.doc_id).distinct().order_by(merged.c.day.desc(), merged.c.doc_id)
            .limit(bindparam("limit")))


@shaped
def _latest_of_entity(levels: bool) -> Select[Any]:
    """An entity's latest documents (day, document), newest first, sorted from all of its mentions (an entity of
    very many keys)."""
    m, k = t.mention_days, t.entity_keys
    query = select(m.c.day, m.c.doc_id).distinct().where(
        m.c.key.in_(select(k.c.key).where(k.c.entity_id == bindparam("entity_id"))))
    if levels:
        query = query.join(_D, _D.c.id == m.c.doc_id).where(_D.c.tlp.in_(LEVELS))
    return query.order_by(m.c.day.desc(), m.c.doc_id).limit(bindparam("limit"))


@shaped
def _analyses_of(latest: Select[Any]) -> Select[Any]:
    """The stored analyses of the documents a statement of :func:`_latest_of_keys` or ``_of_entity`` picks."""
    picked = latest.subquery()
    a = t.analyses
    return select(a.c.data).join(picked, picked.c.doc_id == a.c.doc_id).order_by(a.c.doc_id)


@shaped
def _found_entities(ranged: bool) -> Select[Any]:
    """(entity, name, type, mentions) of the ``limit`` most mentioned entities with a spelling ``LIKE :pattern``,
    between ``low`` and ``high`` too when ``ranged``."""
    k, e = t.entity_keys, t.entities
    mentions = func.sum(k.c.mentions)
    top = (select(k.c.entity_id, mentions.label("mentions")).where(k.c.folded.like(bindparam("pattern"), escape="\\"))
           .group_by(k.c.entity_id).order_by(mentions.desc(), k.c.entity_id).limit(bindparam("limit")))
    if ranged:
        top = top.where(k.c.folded >= bindparam("low"), k.c.folded < bindparam("high"))
    found = top.subquery()
    return (select(found.c.entity_id, e.c.name, e.c.type, found.c.mentions)
            .join(e, e.c.id == found.c.entity_id).order_by(found.c.mentions.desc(), found.c.entity_id))


@shaped
def _co_occurring(engine: str, levels: bool) -> Select[Any]:
    """(entity, shared claims, name, type) for the entities named with ``entity_id`` in its ``recent`` latest claims
    and events, the ``limit`` most shared."""
    mine = select(_E.c.group_id, _E.c.last_day).where(_E.c.entity_id == bindparam("entity_id"))
    if levels:
        mine = mine.where(_visible(LEVELS, _E.c.group_id))
    latest = mine.order_by(_E.c.last_day.desc(), _E.c.group_id.desc()).limit(bindparam("recent")).subquery()
    other = _E.alias("other")
    named = (select(other.c.entity_id, other.c.group_id).select_from(latest)
             .join(other, other.c.group_id == latest.c.group_id).where(other.c.entity_id != bindparam("entity_id")))
    if engine == "sqlite":
        pairs = named.subquery()
        shared = func.count(pairs.c.group_id.distinct())
    else:  # each (entity, claim) pair once, then counted: PostgreSQL hashes these, where a count of distinct
        # claims per entity sorted the pairs twice (~3,000 for the most named entity: 11 of its 20 ms)
        pairs = named.distinct().subquery()
        shared = func.count()
    counted = (select(pairs.c.entity_id, shared.label("shared")).group_by(pairs.c.entity_id)
               .order_by(shared.desc(), pairs.c.entity_id).limit(bindparam("limit")).subquery())
    n = t.entities
    return (select(counted.c.entity_id, counted.c.shared, n.c.name, n.c.type)
            .select_from(counted.outerjoin(n, n.c.id == counted.c.entity_id))
            .order_by(counted.c.shared.desc(), counted.c.entity_id))


@shaped
def _stories(engine: str) -> Select[Any]:
    s = t.stories
    return (select(s.c.id, s.c.title, s.c.first_published, s.c.last_published, s.c.created_at, s.c.doc_count)
            .where(among(engine, s.c.id, "ids")))


@shaped
def _heads(engine: str) -> Select[Any]:
    return select(*_HEAD_COLUMNS).where(among(engine, _D.c.id, "ids"))


@shaped
def _story_with_documents(levels: bool) -> tuple[Select[Any], Select[Any]]:
    """Story ``story_id`` and its first ``limit`` documents (of the TLP ``levels`` when given), earliest first, a row
    each (one row of no document when it has none; none when it has documents but none of them is visible), and
    the count of its documents. Outer joins one after the other: SQLite read every story's links to build the join
    of links and documents first when it was nested (``stories LEFT JOIN (doc_links JOIN documents)``)."""
    s = t.stories
    query = (select(s.c.id, s.c.title, s.c.first_published, s.c.last_published, s.c.created_at, s.c.doc_count,
                    *_HEAD_COLUMNS)
             .select_from(s.outerjoin(_L, _L.c.story_id == s.c.id).outerjoin(_D, _D.c.id == _L.c.doc_id))
             .where(s.c.id == bindparam("story_id")))
    count = select(func.count()).select_from(_L).join(_D, _D.c.id == _L.c.doc_id).where(
        _L.c.story_id == bindparam("story_id"))
    if levels:
        query = query.where(or_(_L.c.doc_id.is_(None), _D.c.tlp.in_(LEVELS)))
        count = count.where(_D.c.tlp.in_(LEVELS))
    return query.order_by(_D.c.published.asc().nulls_first(), _D.c.id).limit(bindparam("limit")), count
