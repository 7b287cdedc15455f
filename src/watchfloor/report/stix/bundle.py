"""The export as a STIX 2.1 bundle, the way a partner's OpenCTI or MISP ingests it.

What each part of the export becomes:

- a document: a ``report`` (its title, publication time, outlet and URL) whose ``object_refs`` are the
  claims and events it supports and its outlet;
- an outlet: an ``identity`` (organization); a named source, an actor or a subject: an ``identity``
  (individual, organization, group; a country speaks as its government); a located place: a ``location``;
- a claim or an event: a ``watchfloor-claim`` / ``watchfloor-event`` (see :mod:`.objects`) with its evidence,
  status and the Admiralty grade the store keeps with it (``source_reliability``, ``information_credibility``,
  and each evidence record's ``reliability``; ``confidence`` on the STIX
  scale for Admiralty credibility: 1 → 90 … 5 → 10, none for 6; MISP ``admiralty-scale`` tags as ``labels``);
  a ``note`` per claim or event explains the grade, and an ``opinion`` states it when it can be judged
  (1 strongly-agree … 5 strongly-disagree);
- ``relationship`` objects: ``attributed-to`` (to who asserts it), ``contradicts``, ``part-of`` (a figure within
  a larger one), ``located-at`` (an event's place);
- a story: a ``grouping`` of its reports.

Every object carries the TLP 2.0 marking :func:`watchfloor.report.tlp.levels` gives it; relationships, notes and
opinions carry the most restrictive marking of what they connect. Ids are UUIDv5 of our stable ids, and
timestamps come from the reports' publication times and the times the store recorded, so exporting the same
picture again gives the same bundle (a TAXII server keeps it as the same objects). A claim or an event gets a
later ``modified`` whenever it changes: a later report, a report that joins it or contradicts it whatever its
publication date, or a new grade (``updated_at``). (stix2-validator advises UUIDv4 for SDO ids; deterministic
ids are what make re-exports idempotent.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import stix2
from stix2.confidence.scales import admiralty_credibility_to_value

from ...link.grading import Credibility, Grading, misp_tags
from ...model import Tlp
from ..grades import grade_export
from ..tlp import Levels, levels
from .markings import marking_definition, marking_id
from .objects import PRODUCER, Claim, Event, extension_definitions, producer_identity, stix_id

__all__ = ["build_bundle"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CLASSES = {"person": "individual", "group": "group", "source": "unknown", "agent": "unknown"}
_OPINIONS = {Credibility.CONFIRMED: "strongly-agree", Credibility.PROBABLY_TRUE: "agree",
             Credibility.POSSIBLY_TRUE: "neutral", Credibility.DOUBTFUL: "disagree",
             Credibility.IMPROBABLE: "strongly-disagree"}
_SCALE = {Credibility.CONFIRMED: "1 - Confirmed by other sources", Credibility.PROBABLY_TRUE: "2 - Probably True",
          Credibility.POSSIBLY_TRUE: "3 - Possibly True", Credibility.DOUBTFUL: "4 - Doubtful",
          Credibility.IMPROBABLE: "5 - Improbable"}


def _clean(value: Any) -> Any:
    """STIX forbids null values: drop them, recursively."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


@dataclass
class _Builder:
    export: dict[str, Any]
    marks: Levels
    grades: dict[str, Grading]
    objects: dict[str, Any] = field(default_factory=dict)
    levels_used: set[Tlp] = field(default_factory=set)
    published: dict[str, datetime] = field(default_factory=dict)

    def marking(self, level: Tlp) -> list[str]:
        self.levels_used.add(level)
        return [marking_id(level)]

    def add(self, obj: Any) -> str:
        self.objects[obj.id] = obj
        return str(obj.id)

    def times(self, doc_ids: Iterable[str]) -> tuple[datetime, datetime]:
        """Created and modified of an object resting on these documents: their first and last publication."""
        found = sorted(self.published[d] for d in doc_ids if d in self.published)
        return (found[0], found[-1]) if found else (_EPOCH, _EPOCH)

    def documents(self) -> None:
        for document in self.export["documents"]:
            if document["published"]:
                self.published[document["id"]] = datetime.fromisoformat(document["published"])

    def outlets(self) -> None:
        docs: dict[str, list[str]] = {}
        for document in self.export["documents"]:
            docs.setdefault(document["outlet"], []).append(document["id"])
        for name, doc_ids in docs.items():
            created, modified = self.times(doc_ids)
            self.add(stix2.Identity(
                id=stix_id("identity", f"outlet:{name}"), created=created, modified=modified, name=name,
                identity_class="organization", roles=["news outlet"], created_by_ref=PRODUCER,
                object_marking_refs=self.marking(self.marks.outlets[name])))

    def entities(self) -> None:
        referenced = {ref["entity_id"] for item in (*self.export["claims"], *self.export["events"])
                      for ref in _refs(item)}
        docs = {e["id"]: [m["doc_id"] for m in e["mentions"]] for e in self.export["entities"]}
        for entity in self.export["entities"]:
            if entity["id"] not in referenced:
                continue
            created, modified = self.times(docs[entity["id"]])
            extra: dict[str, Any] = {"sectors": ["government-national"]} if entity["type"] == "country" else {}
            self.add(stix2.Identity(
                id=stix_id("identity", f"entity:{entity['id']}"), created=created, modified=modified,
                name=entity["name"], identity_class=_CLASSES.get(entity["type"], "organization"),
                external_references=[{"source_name": "watchfloor", "external_id": entity["id"]}],
                created_by_ref=PRODUCER, object_marking_refs=self.marking(self.marks.entities[entity["id"]]),
                **extra))

    def item_times(self, item: dict[str, Any], index: dict[str, dict[str, Any]]) -> tuple[datetime, datetime]:
        """From its first report to its last change: the last report of it or of what contradicts it (which
        changes its status), or the time the store last changed it, whichever is later."""
        created, _ = self.times(e["doc_id"] for e in item["evidence"])
        related = [e["doc_id"] for other in (item, *(index[c] for c in item["contradicted_by"] if c in index))
                   for e in other["evidence"]]
        _, modified = self.times(related)
        changed = datetime.fromisoformat(item["updated_at"]) if item.get("updated_at") else _EPOCH
        return created, max(created, modified, changed)

    def _evidence(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        return [_clean({"report_ref": stix_id("report", f"document:{e['doc_id']}"), "start": e["start"],
                        "end": e["end"], "text": e["text"], "outlet": e["outlet"],
                        "independent_source": e["independent_source"], "reliability": e["reliability"],
                        "attributed_to_refs": [_entity_ref(r) for r in e["attributed_to"]]})
                for e in item["evidence"]]

    def graded(self, item: dict[str, Any], kind: str, created: datetime, modified: datetime) -> dict[str, Any]:
        grading = self.grades[item["id"]]
        level = getattr(self.marks, kind)[item["id"]]
        common: dict[str, Any] = {
            "created": created, "modified": modified, "created_by_ref": PRODUCER,
            "modality": item["modality"], "polarity": item["polarity"], "status": item["status"],
            "sources": item["sources"], "independent_sources": item["independent_sources"],
            "attributed_to_refs": [_entity_ref(r) for r in item["attributed_to"]],
            "contradicted_by_refs": [_item_ref(kind, c) for c in item["contradicted_by"]],
            "source_reliability": grading.reliability.value,
            "information_credibility": int(grading.credibility),
            "evidence": self._evidence(item),
            "labels": misp_tags(grading),
            "external_references": [{"source_name": "watchfloor", "external_id": item["id"]}],
            "object_marking_refs": self.marking(level),
        }
        if grading.credibility is not Credibility.CANNOT_BE_JUDGED:
            common["confidence"] = admiralty_credibility_to_value(_SCALE[grading.credibility])
        if item["date"]:
            common["date"] = _clean(item["date"])
        return {k: v for k, v in common.items() if v != []}

    def claims(self, index: dict[str, dict[str, Any]]) -> None:
        for claim in self.export["claims"]:
            created, modified = self.item_times(claim, index)
            props = self.graded(claim, "claims", created, modified)
            quantity = claim["quantity"]
            if quantity:
                props["quantity"] = _clean({k: v for k, v in quantity.items() if k != "part_of"})
                if quantity.get("part_of") in index:
                    props["part_of_ref"] = _item_ref("claims", quantity["part_of"])
            if claim["subject"]:
                props["subject_ref"] = _entity_ref(claim["subject"])
            self.add(Claim(id=_item_ref("claims", claim["id"]), text=claim["text"], kind=claim["kind"], **props))

    def events(self, index: dict[str, dict[str, Any]]) -> None:
        for event in self.export["events"]:
            created, modified = self.item_times(event, index)
            props = self.graded(event, "events", created, modified)
            place = event["place"]
            if place:
                props["place"] = _clean({"name": place["name"], "latitude": place["lat"], "longitude": place["lon"]})
                if place["lat"] is not None and place["lon"] is not None:
                    props["location_ref"] = self.location(place, created, modified,
                                                          self.marks.events[event["id"]])
            for role, key in (("source", "source_refs"), ("target", "target_refs")):
                refs = [_entity_ref(a) for a in event["actors"] if a["role"] == role]
                if refs:
                    props[key] = refs
            self.add(Event(id=_item_ref("events", event["id"]), event_type=event["type"],
                           **({"mode": event["mode"]} if event["mode"] else {}), **props))

    def location(self, place: dict[str, Any], created: datetime, modified: datetime, level: Tlp) -> str:
        """A located place, shared by the events placed there; it carries the least restrictive of their
        markings (its name and coordinates are the same whichever report gave them)."""
        key = stix_id("location", f"place:{place['name']}|{place['lat']}|{place['lon']}")
        held = self.objects.get(key)
        if held is not None:
            level = min(_level_of(held), level, key=lambda t: t.rank)
            created, modified = min(created, held.created), max(modified, held.modified)
        self.objects[key] = stix2.Location(
            id=key, created=created, modified=modified, name=place["name"], latitude=place["lat"],
            longitude=place["lon"], created_by_ref=PRODUCER, object_marking_refs=self.marking(level))
        return key

    def assessments(self, kind: str, item: dict[str, Any]) -> None:
        """A note explaining the grade of a claim or event, and an opinion stating it when it can be judged."""
        grading = self.grades[item["id"]]
        target = self.objects[_item_ref(kind, item["id"])]
        common = {"created": target.created, "modified": target.modified, "created_by_ref": PRODUCER,
                  "object_refs": [target.id], "object_marking_refs": list(target.object_marking_refs)}
        self.add(stix2.Note(
            id=stix_id("note", f"grading:{item['id']}"), authors=["watchfloor"], labels=misp_tags(grading),
            abstract=f"Admiralty grade {grading.code}: source {grading.reliability.label}, "
                     f"information {grading.credibility.label}",
            content=_explain(item, grading), **common))
        if grading.credibility in _OPINIONS:
            self.add(stix2.Opinion(
                id=stix_id("opinion", f"grading:{item['id']}"), authors=["watchfloor"],
                opinion=_OPINIONS[grading.credibility], explanation=_explain(item, grading), **common))

    def relationship(self, kind: str, source: str, target: str) -> None:
        a, b = self.objects[source], self.objects[target]
        level = max((_level_of(a), _level_of(b)), key=lambda t: t.rank)
        self.add(stix2.Relationship(
            id=stix_id("relationship", f"{kind}:{source}:{target}"), relationship_type=kind, source_ref=source,
            target_ref=target, created=max(a.created, b.created), modified=max(a.modified, b.modified),
            created_by_ref=PRODUCER, object_marking_refs=self.marking(level)))

    def relationships(self) -> None:
        for kind, items in (("claims", self.export["claims"]), ("events", self.export["events"])):
            for item in items:
                source = _item_ref(kind, item["id"])
                for ref in item["attributed_to"]:
                    self.relationship("attributed-to", source, _entity_ref(ref))
                for other in item["contradicted_by"]:
                    if _item_ref(kind, other) in self.objects:
                        self.relationship("contradicts", source, _item_ref(kind, other))
                obj = self.objects[source]
                for key, kind_name in (("part_of_ref", "part-of"), ("location_ref", "located-at")):
                    if key in obj:
                        self.relationship(kind_name, source, obj[key])

    def reports(self) -> None:
        supports: dict[str, list[str]] = {}
        for kind, items in (("claims", self.export["claims"]), ("events", self.export["events"])):
            for item in items:
                for doc_id in dict.fromkeys(e["doc_id"] for e in item["evidence"]):
                    supports.setdefault(doc_id, []).append(_item_ref(kind, item["id"]))
        for document in self.export["documents"]:
            published = self.published.get(document["id"], _EPOCH)
            outlet = stix_id("identity", f"outlet:{document['outlet']}")
            reference: dict[str, Any] = {"source_name": document["outlet"], "external_id": document["id"]}
            if document["url"]:
                reference["url"] = document["url"]
            self.add(stix2.Report(
                id=stix_id("report", f"document:{document['id']}"), created=published, modified=published,
                published=published, name=document["title"] or "(untitled)", created_by_ref=PRODUCER,
                object_refs=[outlet, *supports.get(document["id"], [])],
                labels=[] if document["published"] else ["publication-time-unknown"],
                external_references=[reference],
                object_marking_refs=self.marking(self.marks.documents[document["id"]])))

    def stories(self) -> None:
        for story in self.export["stories"]:
            created, modified = self.times(story["doc_ids"])
            self.add(stix2.Grouping(
                id=stix_id("grouping", f"story:{story['id']}"), created=created, modified=modified,
                name=story["title"] or "(untitled story)", context="unspecified", created_by_ref=PRODUCER,
                description=f"{len(story['doc_ids'])} reports of one developing story",
                object_refs=[stix_id("report", f"document:{d}") for d in story["doc_ids"]],
                external_references=[{"source_name": "watchfloor", "external_id": story["id"]}],
                object_marking_refs=self.marking(self.marks.stories[story["id"]])))


def _refs(item: dict[str, Any]) -> Iterable[dict[str, Any]]:
    yield from item["attributed_to"]
    if item.get("subject"):
        yield item["subject"]
    yield from item.get("actors", [])
    for report in item["evidence"]:
        yield from report["attributed_to"]


def _entity_ref(ref: dict[str, Any]) -> str:
    return stix_id("identity", f"entity:{ref['entity_id']}")


def _item_ref(kind: str, key: str) -> str:
    return stix_id("watchfloor-claim" if kind == "claims" else "watchfloor-event", f"{kind[:-1]}:{key}")


def _level_of(obj: Any) -> Tlp:
    marking = obj.object_marking_refs[0]
    return next(t for t in Tlp if marking_id(t) == marking)


def _explain(item: dict[str, Any], grading: Grading) -> str:
    status = item["status"].replace("_", " ")
    contradicted = len(item["contradicted_by"])
    lines = [f"Status: {status}; {item['independent_sources']} independent source(s); "
             f"reported by {', '.join(item['sources'])}."]
    if contradicted:
        lines.append(f"Contradicted by {contradicted} claim(s).")
    lines.append(f"Source reliability {grading.reliability.value} ({grading.reliability.label}): the best grade "
                 f"analysts gave its independent sources (F until someone grades one).")
    lines.append(f"Information credibility {grading.credibility.value} ({grading.credibility.label}).")
    return "\n".join(lines)


def build_bundle(export: dict[str, Any]) -> Any:
    """The export as a ``stix2.Bundle`` (apply :func:`watchfloor.report.tlp.within` first to share at a level)."""
    builder = _Builder(export, levels(export), grade_export(export))
    builder.documents()
    clear = builder.marking(Tlp.CLEAR)
    builder.add(producer_identity(clear[0]))
    for definition in extension_definitions(clear[0]):
        builder.add(definition)
    builder.outlets()
    builder.entities()
    index = {i["id"]: i for i in (*export["claims"], *export["events"])}
    builder.claims(index)
    builder.events(index)
    for kind, items in (("claims", export["claims"]), ("events", export["events"])):
        for item in items:
            builder.assessments(kind, item)
    builder.relationships()
    builder.reports()
    builder.stories()
    for level in sorted(builder.levels_used, key=lambda t: t.rank):
        builder.add(marking_definition(level))
    objects = sorted(builder.objects.values(), key=lambda o: (_ORDER.get(o.type, 50), o.id))
    digest = "|".join(f"{o.id}@{o.get('modified', '')}" for o in objects)
    return stix2.Bundle(objects=objects, id=stix_id("bundle", digest))


_ORDER = {"marking-definition": 0, "extension-definition": 1, "identity": 2, "location": 3, "report": 4,
          "grouping": 5, "watchfloor-claim": 6, "watchfloor-event": 7, "note": 8, "opinion": 9, "relationship": 10}

