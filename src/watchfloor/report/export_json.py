"""``watchfloor export --format json``: the export contract of DESIGN.md, plus document text.

Version 3 added each document's TLP level and language and, for every claim and event, one evidence record
per report saying what that report says (see :mod:`.support`), so that what a recipient may not see can be
taken out of an export without going back to the store (:mod:`.tlp`). Version 4
(``schema/export-v4.schema.json``) adds the Admiralty grades the store keeps: each claim's and event's
``grade`` and ``updated_at`` (when it last changed), each report's grade of its independent source
(``reliability``), the analysts' grades the export rests on (``reliability`` at the top: name, grade, when set),
and each document's ``ingested_at``. Version 5 (``schema/export-v5.schema.json``) adds ``quantity.casualty``:
what befell the people a figure counts (killed, injured, captured, missing), so that a death toll is not read
as a strength. It reads one snapshot of the store and computes nothing the link stage keeps.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..link.consolidation import ClaimGroup, Occurrence
from ..link.grading import ReliabilityTable
from ..link.regrade import named_source, reliability_table, report_grade, source_names
from ..link.update import load_groups
from ..model import Document, DocumentAnalysis, EntityRef, Mention, Place, Quantity, Span, TimeValue
from ..store import DocLink, GroupRow, Reader, Store
from .entities import EntityLookup
from .support import claim_fields, event_fields

__all__ = ["EXPORT_VERSION", "build_export", "export_from", "export_schema", "group_records", "named_keys",
           "part_export", "quantity_record", "write_json"]

EXPORT_VERSION = 5


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
    resolution: EntityLookup
    table: ReliabilityTable | None = None  # None: the grades of the names the records' reports give, read then
    source_names: dict[str, str] = field(default_factory=dict)
    names: dict[str, EntityRef] = field(default_factory=dict)
    aliases: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    mentions: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))

    def note(self, entity: EntityRef) -> EntityRef:
        """The entity under its cross-document identity, recorded for the entity list."""
        resolved = self.resolution.ref(entity)
        self.names.setdefault(resolved.key, resolved)
        return resolved

    def mentioned(self, mentions: Iterable[Mention], wanted: set[str] | None = None) -> None:
        """A document's mentions: each spelling an alias of its entity (of the ``wanted`` entities only, if given)."""
        for mention in mentions:
            if wanted is not None and self.resolution.ref(mention.entity).key not in wanted:
                continue
            entity = self.note(mention.entity)
            self.aliases[entity.key].add(mention.span.text)
            self.mentions[entity.key].append(_span(mention.span))

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


def _evidence(group: ClaimGroup, entities: _Entities, reported: Any) -> list[dict[str, Any]]:
    """One record per report of a consolidated claim or event: the sentence, the outlet, the independent source
    it counts as, whom the report attributes it to, and what this report says (``reported(member)``)."""
    seen: set[tuple[str, int]] = set()
    evidence = []
    for member in group.members:
        if (member.evidence.doc_id, member.evidence.start) in seen:
            continue
        seen.add((member.evidence.doc_id, member.evidence.start))
        grade = report_grade(member, entities.table or ReliabilityTable(), entities.source_names)
        evidence.append({
            **_span(member.evidence),
            "outlet": member.outlet,
            "independent_source": member.asserting,
            "reliability": grade.value if grade else None,
            "attributed_to": [_ref(entities.note(e)) for e in member.attributed_to],
            **reported(member),
        })
    return evidence


def _graded(row: GroupRow) -> dict[str, Any]:
    """The grade and the last change the store keeps with a claim or an event."""
    return {"grade": {"code": row.grade, "source_reliability": row.reliability,
                      "information_credibility": row.credibility},
            "updated_at": row.updated_at}


def _claim_record(group: ClaimGroup, row: GroupRow, entities: _Entities,
                  wholes: dict[tuple[str, int], str]) -> dict[str, Any]:
    def reported(member: Occurrence) -> dict[str, Any]:
        claim = member.claim
        assert claim is not None
        subject = entities.note(claim.subject) if claim.subject else None
        q = claim.quantity
        quantity = quantity_record(q, wholes.get((member.doc_id, q.span.start))) if q is not None else None
        return {"claim": {"text": claim.text, "subject": _ref(subject) if subject else None, "quantity": quantity,
                          "date": _date(claim.date), "modality": claim.modality.value, "polarity": claim.polarity}}

    evidence = _evidence(group, entities, reported)
    return {
        "id": group.id,
        "kind": group.kind,
        **claim_fields(evidence),
        "status": group.status,
        "contradicted_by": group.contradicted_by,
        **_graded(row),
        "evidence": evidence,
    }


def _event_record(group: ClaimGroup, row: GroupRow, entities: _Entities) -> dict[str, Any]:
    def reported(member: Occurrence) -> dict[str, Any]:
        event = member.event
        assert event is not None
        actors = []
        for actor in event.actors:
            entity = entities.note(actor.entity)
            actors.append({"entity_id": entity.key, "name": entity.name, "role": actor.role})
        return {"event": {"mode": event.mode, "actors": actors, "date": _date(event.date),
                          "place": _place(event.place), "modality": event.modality.value,
                          "polarity": event.polarity}}

    evidence = _evidence(group, entities, reported)
    return {
        "id": group.id,
        "type": group.first.event.type if group.first.event else "",
        **event_fields(evidence),
        "status": group.status,
        "contradicted_by": group.contradicted_by,
        **_graded(row),
        "evidence": evidence,
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


def _group_records(reader: Reader, groups: list[ClaimGroup], entities: _Entities,
                   wholes: dict[tuple[str, int], str], rows: Mapping[str, GroupRow]) -> list[dict[str, Any]]:
    missing = [g.id for g in groups if g.id not in rows]
    if missing:
        rows = {**rows, **{row.id: row for row in reader.groups_by_id(missing)}}
    asserting = {m.asserting for g in groups for m in g.members if named_source(m)}
    # a named source is the last entity a report attributes it to, so a lookup read for the groups' keys has it
    known = entities.resolution.names(asserting)
    entities.source_names = known if known is not None else source_names(reader, asserting)
    if entities.table is None:
        named = {entities.source_names.get(m.asserting) if named_source(m) else None for g in groups for m in g.members}
        outlets = {m.outlet for g in groups for m in g.members}
        entities.table = reliability_table(reader, {n for n in named if n} | outlets)
    return [_event_record(g, rows[g.id], entities) if g.kind == "event"
            else _claim_record(g, rows[g.id], entities, wholes) for g in groups]


def group_records(reader: Reader, groups: list[ClaimGroup], lookup: EntityLookup,
                  wholes: dict[tuple[str, int], str] | None = None,
                  rows: Mapping[str, GroupRow] | None = None) -> list[dict[str, Any]]:
    """Some consolidated claims and events as the export gives them (one record each, in order), for readers
    that show a page of them rather than the whole store (the JSON API). ``rows``: stored rows of the groups the
    caller has read already (``load_groups_with_rows``); the others are read."""
    return _group_records(reader, groups, _Entities(lookup), wholes or {}, rows or {})


def named_keys(groups: Iterable[ClaimGroup]) -> set[str]:
    """The entity keys the reports of these claims and events name (subjects, actors, attributions)."""
    keys: set[str] = set()
    for group in groups:
        for m in group.members:
            keys.update(e.key for e in m.attributed_to)
            if m.claim is not None and m.claim.subject is not None:
                keys.add(m.claim.subject.key)
            if m.event is not None:
                keys.update(a.entity.key for a in m.event.actors)
    return keys


def part_export(reader: Reader, group_ids: set[str]) -> dict[str, Any]:
    """The part of the export these claims and events make: their records (events, then claims, oldest first,
    as the whole export orders them), the entities they name with every alias the export gives them, and the
    documents they rest on. It reads what they touch — themselves, their documents, and the mentions in the
    documents that name the entities they name (for the aliases: the one read that grows with the store, as
    often named entities are named in more documents) — and never the whole store. Left out: stories,
    analysts' grades, and ``quantity.part_of`` (null here: finding the whole a figure is part of would read
    the documents of every figure claim)."""
    rows = sorted(reader.groups_by_id(group_ids), key=lambda row: (row.first_seen, row.id))
    ordered = sorted(load_groups(reader, ids=[r.id for r in rows]), key=lambda g: g.kind != "event")
    lookup = EntityLookup.read_keys(reader, named_keys(ordered))
    entities = _Entities(lookup)
    records = _group_records(reader, ordered, entities, {}, {row.id: row for row in rows})
    events = sum(g.kind == "event" for g in ordered)
    wanted = set(entities.names)
    keys = reader.keys_of_entities(wanted)
    lookup.entity_of_key.update({row.key: row.entity_id for row in keys})
    mentioning = set().union(*reader.docs_of_keys(wanted | {row.key for row in keys}).values())
    for _, mentions in reader.mentions(sorted(mentioning)):
        entities.mentioned(mentions, wanted)
    doc_ids = sorted({e["doc_id"] for record in records for e in record["evidence"]})
    links, ingested = reader.doc_links(doc_ids), reader.ingest_times(doc_ids)
    return {
        "format": "watchfloor-export",
        "version": EXPORT_VERSION,
        "documents": [_document(d, links.get(d.id), ingested[d.id]) for d in reader.documents(doc_ids)],
        "entities": entities.records(),
        "events": records[:events],
        "claims": records[events:],
    }


def _document(document: Document, link: DocLink | None, ingested_at: str) -> dict[str, Any]:
    return {
        "id": document.id,
        "title": document.title,
        "outlet": document.outlet,
        "url": document.url,
        "published": document.published.isoformat() if document.published else None,
        "story_id": link.story_id if link else None,
        "origin": link.origin if link else None,
        "near_duplicate_of": document.near_duplicate_of,
        "source_path": document.source_path,
        "language": document.language,
        "tlp": document.tlp.value,
        "ingested_at": ingested_at,
        "text": document.text,
    }


def build_export(store: Store) -> dict[str, Any]:
    """The whole store as one export object: documents, entities, consolidated events and claims, stories."""
    with store.read() as reader:
        return export_from(reader)


def export_from(reader: Reader) -> dict[str, Any]:
    """The export of what one read transaction sees."""
    documents: list[dict[str, Any]] = []
    links = reader.doc_links()
    stored = list(reader.analyses())
    ingested = reader.ingest_times()
    entities = _Entities(EntityLookup.read(reader), reliability_table(reader))
    for document, analysis in stored:
        documents.append(_document(document, links.get(document.id), ingested[document.id]))
        entities.mentioned(analysis.mentions)
    rows = {row.id: row for row in reader.groups()}
    groups = load_groups(reader)
    entities.source_names = source_names(reader, {m.asserting for g in groups for m in g.members if named_source(m)})
    events = [_event_record(g, rows[g.id], entities) for g in groups if g.kind == "event"]
    wholes = _wholes(groups, stored)
    claims = [_claim_record(g, rows[g.id], entities, wholes) for g in groups if g.kind != "event"]
    members: dict[str, list[str]] = {}
    for doc_id, link in links.items():
        if link.story_id:
            members.setdefault(link.story_id, []).append(doc_id)
    stories = [{"id": s.story_id, "title": s.title, "doc_ids": sorted(members.get(s.story_id, [])),
                "first_published": s.first_published, "last_published": s.last_published}
               for s in reader.stories_view() if members.get(s.story_id)]
    return {
        "format": "watchfloor-export",
        "version": EXPORT_VERSION,
        "documents": documents,
        "entities": entities.records(),
        "events": events,
        "claims": claims,
        "stories": stories,
        "reliability": [{"name": r.name, "grade": r.grade, "set_at": r.set_at} for r in reader.source_grades()],
    }


def write_json(data: dict[str, Any], out: Any) -> None:
    json.dump(data, out, ensure_ascii=False, indent=1)
    out.write("\n")
