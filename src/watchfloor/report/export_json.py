"""``watchfloor export --format json``: the export contract of DESIGN.md, plus document text.

Version 3 adds ``quantity.casualty``: what befell the people a figure counts (killed, injured, captured,
missing), so that a death toll is not read as a strength.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..link.consolidation import ClaimGroup
from ..link.entities import EntityResolution, resolve_analyses
from ..model import Document, DocumentAnalysis, EntityRef, Place, Quantity, Span, TimeValue
from ..picture import load_groups
from ..store import Store
from ..store.links import LinkTables

__all__ = ["EXPORT_VERSION", "build_export", "export_schema", "quantity_record", "write_json"]

EXPORT_VERSION = 3


def export_schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath(f"schema/export-v{EXPORT_VERSION}.schema.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def _span(span: Span) -> dict[str, Any]:
    return {"doc_id": span.doc_id, "start": span.start, "end": span.end, "text": span.text}


def _date(value: TimeValue | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"start": value.start.isoformat(), "end": value.end.isoformat(), "precision": value.precision.value,
            "text": value.text}


def _place(place: Place | None) -> dict[str, Any] | None:
    if place is None:
        return None
    return {"name": place.name, "lat": place.lat, "lon": place.lon}


def quantity_record(q: Quantity, part_of: str | None = None) -> dict[str, Any]:
    """A figure as the export gives it: a range has ``value`` null and its ends in ``low`` and ``high``."""
    record: dict[str, Any] = {"value": q.value, "unit": q.unit, "approximate": q.approximate, "casualty": q.casualty,
                              "part_of": part_of}
    if q.value is None:
        record.update({"low": q.low, "high": q.high})
    return record


def _ref(entity: EntityRef) -> dict[str, Any]:
    return {"entity_id": entity.key, "name": entity.name}


@dataclass
class _Entities:
    resolution: EntityResolution = field(default_factory=EntityResolution)
    names: dict[str, EntityRef] = field(default_factory=dict)
    aliases: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    mentions: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))

    def note(self, entity: EntityRef) -> EntityRef:
        """The entity under its cross-document identity, recorded for the entity list."""
        resolved = self.resolution.ref(entity)
        self.names.setdefault(resolved.key, resolved)
        return resolved

    def records(self) -> list[dict[str, Any]]:
        out = []
        for key, entity in sorted(self.names.items()):
            out.append({
                "id": key,
                "name": entity.name,
                "type": entity.type,
                "aliases": sorted(a for a in self.aliases[key] if a != entity.name),
                "mentions": self.mentions[key],
            })
        return out


def _group_common(group: ClaimGroup, entities: _Entities) -> dict[str, Any]:
    """What every consolidated claim or event carries: status, sources, evidence from each report."""
    attributed: dict[str, EntityRef] = {}
    for member in group.members:
        for entity in member.attributed_to:
            resolved = entities.note(entity)
            attributed.setdefault(resolved.key, resolved)
    seen: set[tuple[str, int]] = set()
    evidence = []
    for member in group.members:
        if (member.evidence.doc_id, member.evidence.start) not in seen:
            seen.add((member.evidence.doc_id, member.evidence.start))
            evidence.append(_span(member.evidence))
    return {
        "attributed_to": [_ref(e) for e in attributed.values()],
        "status": group.status,
        "sources": group.outlets,
        "independent_sources": group.independent_sources,
        "evidence": evidence,
    }


def _claim_record(group: ClaimGroup, entities: _Entities, wholes: dict[tuple[str, int], str]) -> dict[str, Any]:
    claim = group.first.claim
    assert claim is not None
    subject = entities.note(claim.subject) if claim.subject else None
    q = claim.quantity
    quantity = quantity_record(q, wholes.get((group.first.doc_id, q.span.start))) if q is not None else None
    return {
        "id": group.id,
        "kind": claim.kind,
        "text": claim.text,
        "subject": _ref(subject) if subject else None,
        "quantity": quantity,
        "date": _date(claim.date),
        "modality": claim.modality.value,
        "polarity": claim.polarity,
        "contradicted_by": group.contradicted_by,
        **_group_common(group, entities),
    }


def _event_record(group: ClaimGroup, entities: _Entities) -> dict[str, Any]:
    event = group.first.event
    assert event is not None
    actors: dict[tuple[str, str], dict[str, Any]] = {}
    for member in group.members:
        assert member.event is not None
        for actor in member.event.actors:
            entity = entities.note(actor.entity)
            actors.setdefault((entity.key, actor.role), {"entity_id": entity.key, "name": entity.name,
                                                         "role": actor.role})
    dated = next((m.event.date for m in group.members if m.event is not None and m.event.date), None)
    places = [m.event.place for m in group.members if m.event is not None and m.event.place]
    placed = max(places, key=places.count) if places else None  # the place most of its reports give
    if placed is not None and 3 * places.count(placed) < len(group.members):
        placed = None  # given by a small minority of a large group: more likely a merged-in event's place
    return {
        "id": group.id,
        "type": event.type,
        "mode": event.mode,
        "actors": list(actors.values()),
        "date": _date(dated),
        "place": _place(placed),
        "modality": event.modality.value,
        "polarity": event.polarity,
        "contradicted_by": group.contradicted_by,
        **_group_common(group, entities),
    }


def _wholes(groups: list[ClaimGroup], stored: list[tuple[Document, DocumentAnalysis]]) -> dict[tuple[str, int], str]:
    """(document, start of a figure) -> id of the claim whose figure includes it ("including 500 officers")."""
    claim_of = {(m.doc_id, m.claim.quantity.span.start): g.id for g in groups if g.kind == "quantity"
                for m in g.members if m.claim is not None and m.claim.quantity is not None}
    wholes: dict[tuple[str, int], str] = {}
    for document, analysis in stored:
        for quantity in analysis.quantities:
            if quantity.part_of is not None and 0 <= quantity.part_of < len(analysis.quantities):
                whole = claim_of.get((document.id, analysis.quantities[quantity.part_of].span.start))
                if whole is not None:
                    wholes[(document.id, quantity.span.start)] = whole
    return wholes


def build_export(store: Store) -> dict[str, Any]:
    """The whole store as one export object: documents, entities, consolidated events and claims, stories."""
    documents: list[dict[str, Any]] = []
    tables = LinkTables(store.db)
    links = tables.doc_links()
    stored = list(store.analyses())
    entities = _Entities(resolve_analyses(stored))
    for document, analysis in stored:
        documents.append({
            "id": document.id,
            "title": document.title,
            "outlet": document.outlet,
            "url": document.url,
            "published": document.published.isoformat() if document.published else None,
            "story_id": links[document.id][2] if document.id in links else None,
            "origin": links[document.id][0] if document.id in links else None,
            "near_duplicate_of": document.near_duplicate_of,
            "source_path": document.source_path,
            "text": document.text,
        })
        for mention in analysis.mentions:
            entity = entities.note(mention.entity)
            entities.aliases[entity.key].add(mention.span.text)
            entities.mentions[entity.key].append(_span(mention.span))
    groups = load_groups(tables)
    events = [_event_record(g, entities) for g in groups if g.kind == "event"]
    wholes = _wholes(groups, stored)
    claims = [_claim_record(g, entities, wholes) for g in groups if g.kind != "event"]
    members: dict[str, list[str]] = {}
    for doc_id, (_, _, story_id) in links.items():
        if story_id:
            members.setdefault(story_id, []).append(doc_id)
    stories = [{"id": story_id, "title": title, "doc_ids": sorted(members.get(story_id, [])),
                "first_published": first, "last_published": last}
               for story_id, title, first, last, _ in tables.stories() if members.get(story_id)]
    return {
        "format": "watchfloor-export",
        "version": EXPORT_VERSION,
        "documents": documents,
        "entities": entities.records(),
        "events": events,
        "claims": claims,
        "stories": stories,
    }


def write_json(data: dict[str, Any], out: Any) -> None:
    json.dump(data, out, ensure_ascii=False, indent=1)
    out.write("\n")
