"""Claim groups taken apart for the screens: one row per report, the entities each group names, a summary.

The link stage stores each consolidated claim or event as one JSON document (``claim_groups.data``). A page of
the dashboard or the API needs to find groups by story, document, outlet, entity, date or type, and to list
them without decoding whole groups, at any size of store. So whenever groups are written (``replace_groups``),
these index rows are written beside them from the same JSON, in the same transaction; the migration to
version 6 builds them once for stores made before.

This is the one place the store reads inside a group's JSON (the fields of ``link.consolidation.ClaimGroup``
and its ``Occurrence`` members, as ``codec`` writes them); ``tests/store/test_facets.py`` holds it to the
records themselves.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from . import tables as t
from .rows import GroupRow

__all__ = ["add_mention_days", "group_facets", "rebuild_facets", "replace_facets"]

Facets = tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]


def _place(members: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The place most reports give, unless fewer than a third of them give it (as the export decides)."""
    places = [m["event"]["place"] for m in members if m.get("event") and m["event"].get("place")
              and m["event"]["place"].get("lat") is not None]
    if not places:
        return None
    counts = Counter((p["name"], p["lat"], p["lon"]) for p in places)
    (name, lat, lon), count = counts.most_common(1)[0]
    if 3 * count < len(members):
        return None
    return {"name": name, "lat": lat, "lon": lon}


def _entities(group_id: str, key: str, members: Sequence[dict[str, Any]], last_day: str) -> list[dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}

    def add(ref: dict[str, Any] | None, role: str) -> None:
        if ref and ref.get("key") and ref.get("type") != "outlet":
            found.setdefault((ref["key"], role), {"group_id": group_id, "entity_id": ref["key"], "role": role,
                                                  "key": key, "last_day": last_day})

    for member in members:
        for ref in member.get("attributed_to") or ():
            add(ref, "attributed")
        claim = member.get("claim")
        if claim:
            add(claim.get("subject"), "subject")
        event = member.get("event")
        if event:
            for actor in event.get("actors") or ():
                add(actor.get("entity"), actor.get("role") or "actor")
    return list(found.values())


def group_facets(row: GroupRow) -> Facets:
    """The summary, member rows and entity rows of one stored group."""
    data = json.loads(row.data)
    members: list[dict[str, Any]] = data.get("members") or []
    member_rows = [{
        "group_id": row.id, "position": i, "key": row.key, "doc_id": m["doc_id"],
        "start": int(m["evidence"]["start"]), "end": int(m["evidence"]["end"]), "outlet": m["outlet"],
        "asserting": m["asserting"], "day": m.get("when"), "modality": m["modality"],
        "polarity": (m.get("claim") or m.get("event") or {}).get("polarity", "positive"),
    } for i, m in enumerate(members)]
    first = members[0] if members else {}
    quantity = (first.get("claim") or {}).get("quantity")
    figure = None
    if quantity:
        figure = json.dumps({k: quantity.get(k) for k in ("value", "low", "high", "approximate")})
    place = _place(members)
    days = sorted(m["when"] for m in members if m.get("when"))
    summary = {
        "group_id": row.id, "key": row.key, "kind": row.kind, "family": "event" if row.kind == "event" else "claim",
        "status": row.status, "independent_sources": row.independent_sources, "first_seen": row.first_seen,
        "event_type": (first.get("event") or {}).get("type"),
        "text": first.get("text") or "",
        "day": days[0] if days else "", "last_day": days[-1] if days else "",
        "figure": figure, "unit": quantity.get("unit") if quantity else None,
        "place": place["name"] if place else None, "lat": place["lat"] if place else None,
        "lon": place["lon"] if place else None, "members": len(members),
    }
    return summary, member_rows, _entities(row.id, row.key, members, days[-1] if days else "")


def _delete(connection: Connection, keys: Sequence[str]) -> None:
    for table in (t.group_summary, t.group_members, t.group_entities):
        connection.execute(table.delete().where(table.c.key.in_(list(keys))))


def _insert(connection: Connection, groups: Iterable[GroupRow]) -> None:
    summaries: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    entities: list[dict[str, Any]] = []
    for group in groups:
        summary, member_rows, entity_rows = group_facets(group)
        summaries.append(summary)
        members += member_rows
        entities += entity_rows
    for table, rows in ((t.group_summary, summaries), (t.group_members, members), (t.group_entities, entities)):
        if rows:
            connection.execute(table.insert(), rows)


def replace_facets(connection: Connection, key: str, groups: Sequence[GroupRow]) -> None:
    """The index rows of one consolidation key, written again with its groups."""
    _delete(connection, [key])
    _insert(connection, groups)


def add_mention_days(connection: Connection, pairs: Sequence[tuple[str, str]]) -> None:
    """(entity key, document) pairs, each under the document's publication day (documents are stored first)."""
    if not pairs:
        return
    d = t.documents
    days = dict(connection.execute(select(d.c.id, d.c.published).where(d.c.id.in_({doc for _, doc in pairs}))).all())
    rows = [{"key": key, "day": (days.get(doc) or "")[:10], "doc_id": doc} for key, doc in pairs]
    insert = (sqlite.insert if connection.dialect.name == "sqlite" else postgresql.insert)(t.mention_days)
    connection.execute(insert.on_conflict_do_nothing(), rows)


def rebuild_facets(connection: Connection) -> None:
    """Every group's index rows from the stored groups, and every mention's day (the migration to version 6)."""
    connection.execute(t.mention_days.delete())
    ed = t.entity_docs
    batch_pairs: list[tuple[str, str]] = []
    for key, doc in connection.execute(select(ed.c.key, ed.c.doc_id)):
        batch_pairs.append((key, doc))
        if len(batch_pairs) >= 2000:
            add_mention_days(connection, batch_pairs)
            batch_pairs = []
    add_mention_days(connection, batch_pairs)
    for table in (t.group_summary, t.group_members, t.group_entities):
        connection.execute(table.delete())
    g = t.claim_groups
    query = select(g.c.id, g.c.key, g.c.kind, g.c.status, g.c.independent_sources, g.c.first_seen, g.c.data)
    batch: list[GroupRow] = []
    for r in connection.execute(query.order_by(g.c.id)):
        batch.append(GroupRow(*r))
        if len(batch) >= 500:
            _insert(connection, batch)
            batch = []
    _insert(connection, batch)
