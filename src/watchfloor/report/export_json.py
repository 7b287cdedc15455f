"""``watchfloor export --format json``: the export contract of DESIGN.md (version 1), plus document text."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..ids import claim_id, event_id
from ..model import Claim, Document, DocumentAnalysis, EntityRef, Event, Place, Span, TimeValue
from ..store import Store

__all__ = ["EXPORT_VERSION", "build_export", "export_schema", "write_json"]

EXPORT_VERSION = 1


def export_schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("schema/export-v1.schema.json").read_text(encoding="utf-8")
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


def _ref(entity: EntityRef) -> dict[str, Any]:
    return {"entity_id": entity.key, "name": entity.name}


@dataclass
class _Entities:
    names: dict[str, EntityRef] = field(default_factory=dict)
    aliases: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    mentions: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))

    def note(self, entity: EntityRef) -> None:
        self.names.setdefault(entity.key, entity)

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


def _claim_record(claim: Claim, document: Document, entities: _Entities) -> dict[str, Any]:
    for entity in (*claim.attributed_to, *([claim.subject] if claim.subject else [])):
        entities.note(entity)
    q = claim.quantity
    quantity = None
    if q is not None:
        quantity = {"value": q.value, "unit": q.unit, "approximate": q.approximate}
        if q.value is None:
            quantity.update({"low": q.low, "high": q.high})
    return {
        "id": claim_id(claim),
        "kind": claim.kind,
        "text": claim.text,
        "subject": _ref(claim.subject) if claim.subject else None,
        "quantity": quantity,
        "date": _date(claim.date),
        "attributed_to": [_ref(e) for e in claim.attributed_to],
        "modality": claim.modality.value,
        "polarity": claim.polarity,
        "status": "single_source",
        "sources": [document.outlet],
        "independent_sources": 1,
        "contradicted_by": [],
        "evidence": [_span(claim.evidence)],
    }


def _event_record(event: Event, document: Document, entities: _Entities) -> dict[str, Any]:
    for entity in (*event.attributed_to, *(a.entity for a in event.actors)):
        entities.note(entity)
    return {
        "id": event_id(event),
        "type": event.type,
        "mode": event.mode,
        "actors": [{"entity_id": a.entity.key, "name": a.entity.name, "role": a.role} for a in event.actors],
        "date": _date(event.date),
        "place": _place(event.place),
        "modality": event.modality.value,
        "polarity": event.polarity,
        "attributed_to": [_ref(e) for e in event.attributed_to],
        "status": "single_source",
        "sources": [document.outlet],
        "independent_sources": 1,
        "evidence": [_span(event.evidence)],
    }


def build_export(store: Store) -> dict[str, Any]:
    """The whole store as one export object."""
    documents: list[dict[str, Any]] = []
    entities = _Entities()
    events: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    pairs: list[tuple[Document, DocumentAnalysis]] = list(store.analyses())
    for document, analysis in pairs:
        documents.append({
            "id": document.id,
            "title": document.title,
            "outlet": document.outlet,
            "url": document.url,
            "published": document.published.isoformat() if document.published else None,
            "story_id": None,
            "near_duplicate_of": document.near_duplicate_of,
            "source_path": document.source_path,
            "text": document.text,
        })
        for mention in analysis.mentions:
            entities.note(mention.entity)
            entities.aliases[mention.entity.key].add(mention.span.text)
            entities.mentions[mention.entity.key].append(_span(mention.span))
        events.extend(_event_record(e, document, entities) for e in analysis.events)
        claims.extend(_claim_record(c, document, entities) for c in analysis.claims)
    return {
        "format": "watchfloor-export",
        "version": EXPORT_VERSION,
        "documents": documents,
        "entities": entities.records(),
        "events": events,
        "claims": claims,
        "stories": [],
    }


def write_json(data: dict[str, Any], out: Any) -> None:
    json.dump(data, out, ensure_ascii=False, indent=1)
    out.write("\n")
