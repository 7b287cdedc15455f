"""Consolidated claims summed up for the screens: a summary row per claim and the entities it names, written
beside the claim whenever it is written, so that a page of claims is an index range and never decodes a claim.

Each report's own row (its evidence span, outlet, source, stance) is its row of ``occurrences``, which points
to its claim; this module keeps the per-claim rows. The link stage stores with each claim (``claim_groups.data``,
JSON) the sums these are made from: its head report (the earliest: its wording, stance, figure, event type),
how many of its reports give each place, and which entities its reports name in which role.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, select

from . import tables as t
from .base import among, chunks, insert_rows
from .rows import GroupRow

__all__ = ["add_mention_days", "group_facets", "outlet_marks", "rebuild_facets", "replace_facets",
           "summed_outlets"]

_SEP = "\x1f"
#: ``json.dumps(..., ensure_ascii=False)``, its encoder made once rather than once per claim written
_TEXT = json.JSONEncoder(ensure_ascii=False, check_circular=False)


def _place(places: dict[str, int], members: int) -> dict[str, Any] | None:
    """The place most reports give, unless fewer than a third of them give it (as the export decides)."""
    if not places:
        return None
    # of those given most, the first by name: the same whatever order the sums were made in
    best, count = min(places.items(), key=lambda item: (-item[1], item[0]))
    if 3 * count < members:
        return None
    name, lat, lon = best.split(_SEP)
    return {"name": name, "lat": float(lat), "lon": float(lon)}


def summed_outlets(data: Mapping[str, Any]) -> str:
    """A claim's outlets as its summary row keeps them (a JSON list, in order), from its sums: the outlets its
    reports come from, each once, as ``ClaimGroup.outlets`` gives them."""
    return _TEXT.encode(sorted(data.get("outlets") or {}))


def outlet_marks(outlet: str) -> tuple[str, str]:
    """What a summary's outlets (:func:`summed_outlets`) begin with when ``outlet`` is the first listed, and hold
    when it is listed after another: the outlet quoted, after the list's bracket or its separator. Either is found
    only where a name of the list starts and ends (a quote inside a name is escaped), so a summary lists the outlet
    exactly when its text begins with the first or holds the second."""
    quoted = json.dumps(outlet, ensure_ascii=False)
    return "[" + quoted, ", " + quoted


def group_facets(row: GroupRow, sums: Mapping[str, Any] | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The summary row and the entity rows of one stored claim, from its sums (``row.data``, or ``sums`` when the
    caller has them decoded)."""
    data = json.loads(row.data) if sums is None else sums
    head = data.get("head") or {}
    count = int(data.get("count") or 0)
    place = _place(data.get("places") or {}, count)
    first, last = data.get("first") or "", data.get("last") or ""
    summary = {
        "group_id": row.id, "key": row.key, "kind": row.kind, "family": "event" if row.kind == "event" else "claim",
        "status": row.status, "independent_sources": row.independent_sources, "first_seen": row.first_seen,
        "event_type": head.get("event_type"), "text": head.get("text") or "",
        "modality": head.get("modality") or "", "polarity": head.get("polarity") or "",
        "day": first, "last_day": last, "figure": head.get("figure"), "unit": head.get("unit"),
        "place": place["name"] if place else None, "lat": place["lat"] if place else None,
        "lon": place["lon"] if place else None, "members": count, "outlets": summed_outlets(data),
    }
    entities = []
    for named in sorted(data.get("entities") or {}):
        role, entity_id = named.split(_SEP, 1)
        entities.append({"group_id": row.id, "entity_id": entity_id, "role": role, "key": row.key, "last_day": last,
                         "family": summary["family"]})
    return summary, entities


def replace_facets(connection: Connection, old: Iterable[str], groups: Sequence[GroupRow],
                   sums: Mapping[str, Mapping[str, Any]] | None = None) -> None:
    """The rows of claims written again: those of ``old`` go, those of ``groups`` come (made from ``sums[id]`` when
    given: the group's ``data`` decoded). A claim has rows only while its own row is stored, so one written again
    is among ``old`` (its row is replaced too) and a new one has none to delete: a batch of new claims deletes
    nothing, where asking for each of its ids cost two lookups a claim."""
    for chunk in chunks(sorted(set(old))):
        for table in (t.group_summary, t.group_entities):
            connection.execute(table.delete().where(among(connection.dialect.name, table.c.group_id, values=chunk)))
    summaries, entities = [], []
    for group in groups:
        summary, named = group_facets(group, sums.get(group.id) if sums is not None else None)
        summaries.append(summary)
        entities += named
    for table, rows in ((t.group_summary, summaries), (t.group_entities, entities)):
        if rows:
            insert_rows(connection, table, rows)


def add_mention_days(connection: Connection, pairs: Sequence[tuple[str, str]]) -> None:
    """(entity key, document) pairs, each under the document's publication day (documents are stored first)."""
    if not pairs:
        return
    d = t.documents
    documents = sorted({doc for _, doc in pairs})
    days = dict(connection.execute(select(d.c.id, d.c.published)
                                   .where(among(connection.dialect.name, d.c.id, values=documents))).all())
    rows = [{"key": key, "day": (days.get(doc) or "")[:10], "doc_id": doc} for key, doc in pairs]
    insert_rows(connection, t.mention_days, rows, ("key", "day", "doc_id"))


def rebuild_facets(connection: Connection) -> None:
    """Every claim's rows from its stored sums, and every mention's day (the migration to version 7)."""
    connection.execute(t.mention_days.delete())
    ed = t.entity_docs
    pairs: list[tuple[str, str]] = []
    for key, doc in connection.execute(select(ed.c.key, ed.c.doc_id)):
        pairs.append((key, doc))
        if len(pairs) >= 2000:
            add_mention_days(connection, pairs)
            pairs = []
    add_mention_days(connection, pairs)
    for table in (t.group_summary, t.group_entities):
        connection.execute(table.delete())
    g = t.claim_groups
    query = select(g.c.id, g.c.key, g.c.kind, g.c.status, g.c.independent_sources, g.c.first_seen, g.c.data)
    batch: list[GroupRow] = []
    for r in connection.execute(query.order_by(g.c.id)):
        batch.append(GroupRow(*r))
        if len(batch) >= 500:
            replace_facets(connection, [], batch)
            batch = []
    replace_facets(connection, [], batch)
