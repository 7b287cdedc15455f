"""What a watch rule sees: the consolidated claims and events a batch touched, as frozen records.

The records follow the export contract of DESIGN.md (``claims`` and ``events`` of ``watchfloor export``),
reduced to what rules read. :func:`delta_from_export` builds them from an export object and the status
history; it is the interim source of them until the store offers the operations named in
``watch/README.md`` (records by document, status changes since a position).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["DocumentView", "EntityView", "PictureDelta", "QuantityView", "RecordView", "StatusChange",
           "delta_from_export"]


@dataclass(frozen=True)
class EntityView:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    role: str | None = None  # for event actors: "source" or "target"

    def names(self) -> tuple[str, ...]:
        return (self.id, self.name, *self.aliases)


@dataclass(frozen=True)
class QuantityView:
    value: float | None
    low: float | None
    high: float | None
    unit: str
    approximate: bool = False

    @property
    def largest(self) -> float | None:
        return self.value if self.value is not None else self.high

    @property
    def smallest(self) -> float | None:
        return self.value if self.value is not None else self.low


@dataclass(frozen=True)
class RecordView:
    """A consolidated claim or event (``kind``), with its status and the reports behind it."""

    kind: str  # claim | event
    id: str
    text: str  # a claim's text; an event's first evidence sentence
    status: str  # corroborated | single_source | contested
    modality: str
    polarity: str
    sources: tuple[str, ...]
    independent_sources: int
    doc_ids: tuple[str, ...]  # the documents its evidence comes from
    evidence: tuple[str, ...] = ()
    attributed_to: tuple[EntityView, ...] = ()
    subject: EntityView | None = None  # claims
    actors: tuple[EntityView, ...] = ()  # events, each with its role
    event_type: str | None = None  # events: the PLOVER type
    quantity: QuantityView | None = None  # figure claims


@dataclass(frozen=True)
class StatusChange:
    record_id: str
    previous: str | None  # None: the record appeared with this status
    status: str


@dataclass(frozen=True)
class DocumentView:
    id: str
    title: str
    outlet: str
    url: str | None


@dataclass(frozen=True)
class PictureDelta:
    """What the rules look at after a batch: the new documents, the records they (or a status change)
    touched, and the status changes since the rules last looked."""

    new_doc_ids: frozenset[str]
    records: tuple[RecordView, ...]
    changes: tuple[StatusChange, ...] = ()
    documents: Mapping[str, DocumentView] = field(default_factory=dict)
    position: str | None = None  # how far the status history was read (``changes`` go up to here)


def _entity(ref: Mapping[str, Any] | None, aliases: Mapping[str, tuple[str, ...]], role: str | None = None
            ) -> EntityView | None:
    if not ref:
        return None
    key = str(ref.get("entity_id") or "")
    return EntityView(key, str(ref.get("name") or ""), aliases.get(key, ()), role)


def _common(record: Mapping[str, Any], aliases: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    evidence = record.get("evidence") or []
    return {
        "id": str(record["id"]),
        "status": str(record.get("status") or ""),
        "modality": str(record.get("modality") or ""),
        "polarity": str(record.get("polarity") or ""),
        "sources": tuple(record.get("sources") or ()),
        "independent_sources": int(record.get("independent_sources") or 0),
        "doc_ids": tuple(dict.fromkeys(str(e["doc_id"]) for e in evidence)),
        "evidence": tuple(str(e.get("text") or "") for e in evidence),
        "attributed_to": tuple(e for e in (_entity(a, aliases) for a in record.get("attributed_to") or ()) if e),
    }


def claim_view(record: Mapping[str, Any], aliases: Mapping[str, tuple[str, ...]]) -> RecordView:
    q = record.get("quantity")
    quantity = None
    if q:
        quantity = QuantityView(q.get("value"), q.get("low"), q.get("high"), str(q.get("unit") or ""),
                                bool(q.get("approximate")))
    return RecordView(kind="claim", text=str(record.get("text") or ""), subject=_entity(record.get("subject"), aliases),
                      quantity=quantity, **_common(record, aliases))


def event_view(record: Mapping[str, Any], aliases: Mapping[str, tuple[str, ...]]) -> RecordView:
    common = _common(record, aliases)
    actors = tuple(e for e in (_entity(a, aliases, a.get("role")) for a in record.get("actors") or ()) if e)
    return RecordView(kind="event", text=common["evidence"][0] if common["evidence"] else "", actors=actors,
                      event_type=str(record.get("type") or ""), **common)


def delta_from_export(export: Mapping[str, Any], new_doc_ids: Iterable[str],
                      changes: Iterable[StatusChange] = (), position: str | None = None) -> PictureDelta:
    """The records of an export object that the new documents report or whose status changed."""
    new = frozenset(new_doc_ids)
    changes = tuple(changes)
    changed = {c.record_id for c in changes}
    aliases = {str(e["id"]): tuple(e.get("aliases") or ()) for e in export.get("entities", ())}
    views = [claim_view(c, aliases) for c in export.get("claims", ())]
    views += [event_view(e, aliases) for e in export.get("events", ())]
    touched = tuple(v for v in views if v.id in changed or new.intersection(v.doc_ids))
    wanted = {d for v in touched for d in v.doc_ids}
    documents = {str(d["id"]): DocumentView(str(d["id"]), str(d.get("title") or ""), str(d.get("outlet") or ""),
                                            d.get("url"))
                 for d in export.get("documents", ()) if d["id"] in wanted}
    return PictureDelta(new_doc_ids=new, records=touched, changes=changes, documents=documents, position=position)
