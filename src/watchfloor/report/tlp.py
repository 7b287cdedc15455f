"""TLP 2.0 over the export: what a recipient at a given level may see, and the marking each object carries.

Each document carries a TLP level (``clear`` < ``green`` < ``amber`` < ``amber+strict`` < ``red``). Two pure
functions over the export dict (:func:`watchfloor.report.export_json.build_export`):

:func:`within` keeps what a recipient cleared up to a ceiling may see. Documents above the ceiling go, and so
does everything derived only from them. A claim or event supported by reports on both sides keeps only the
reports at or below the ceiling, and its consolidated fields are derived again from those (see
:mod:`.support`): a claim reported by one green and one amber document is exported at ``green`` with the green
sentence, the green outlet and one independent source. Its status is re-derived the same way: ``contested``
while a contradicting claim is still exported (the contradiction itself stays visible), otherwise
``corroborated`` when the remaining reports give two or more independent sources of an affirmative claim, and
``single_source`` otherwise. Entities keep only the mentions in exported documents; a story keeps only its
exported documents and, when the document it was named after is gone, takes the title of its earliest one.

:func:`levels` gives the marking of every object of an export: an object whose content depends on all the
documents it rests on (a document, a claim or an event with its evidence and source counts, a story) carries
the most restrictive level among them; an object that any one of its documents supports alone, whatever the
others (an outlet, a named source or actor), carries the least restrictive one.

What this cannot reach: an entity's canonical name comes from cross-document resolution, so a person's full
name learned only from an amber report still names the entity in a green export when a green report mentions
them by surname alone.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError
from ..model import Tlp
from .support import claim_fields, event_fields

__all__ = ["Levels", "levels", "parse_tlp", "restrict", "within"]


def parse_tlp(value: str) -> Tlp:
    """A TLP level from its name ("green", "TLP:AMBER+STRICT"); a clear error for anything else."""
    name = value.strip().lower().removeprefix("tlp:")
    try:
        return Tlp(name)
    except ValueError:
        raise ConfigError(f"unknown TLP level {value!r}; use one of: {', '.join(t.value for t in Tlp)}") from None


def _level(document: dict[str, Any]) -> Tlp:
    return Tlp(document.get("tlp", Tlp.CLEAR.value))


def _affirms(item: dict[str, Any]) -> bool:
    """The stance consolidation corroborates: asserted, neither denied nor negated, nor uncommitted."""
    return item["polarity"] == "positive" and item["modality"] not in {"denied", "negated"}


def _restrict(item: dict[str, Any], kept: set[str], fields: Any) -> dict[str, Any] | None:
    evidence = [e for e in item["evidence"] if e["doc_id"] in kept]
    if not evidence:
        return None
    if len(evidence) == len(item["evidence"]):
        return copy.deepcopy(item)
    return {**copy.deepcopy(item), **copy.deepcopy(fields(evidence)), "evidence": copy.deepcopy(evidence)}


def _rescore(items: list[dict[str, Any]], original: dict[str, dict[str, Any]], ids: set[str] | None = None) -> None:
    ids = {item["id"] for item in items} if ids is None else ids
    for item in items:
        item["contradicted_by"] = [c for c in item["contradicted_by"] if c in ids]
        if item["contradicted_by"]:
            item["status"] = "contested"
        elif original[item["id"]]["status"] == "single_source":
            item["status"] = "single_source"
        else:
            item["status"] = ("corroborated" if item["independent_sources"] >= 2 and _affirms(item)
                              else "single_source")
        quantity = item.get("quantity")
        if quantity and quantity.get("part_of") and quantity["part_of"] not in ids:
            quantity["part_of"] = None
        for report in item["evidence"]:
            whole = (report.get("claim") or {}).get("quantity")
            if whole and whole.get("part_of") and whole["part_of"] not in ids:
                whole["part_of"] = None


def _entities(export: dict[str, Any], kept: set[str], claims: list[dict[str, Any]],
              events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    referenced = {ref["entity_id"] for ref in _refs(claims, events)}
    out = []
    for entity in export["entities"]:
        mentions = [m for m in entity["mentions"] if m["doc_id"] in kept]
        if not mentions and entity["id"] not in referenced:
            continue
        spelled = {m["text"] for m in mentions}
        out.append({**copy.deepcopy(entity), "mentions": copy.deepcopy(mentions),
                    "aliases": sorted(a for a in spelled if a != entity["name"])})
    return out


def _refs(claims: Iterable[dict[str, Any]], events: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for claim in claims:
        yield from claim["attributed_to"]
        if claim.get("subject"):
            yield claim["subject"]
    for event in events:
        yield from event["attributed_to"]
        yield from event["actors"]


def _stories(export: dict[str, Any], documents: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for story in export["stories"]:
        doc_ids = [d for d in story["doc_ids"] if d in documents]
        if not doc_ids:
            continue
        if len(doc_ids) == len(story["doc_ids"]):
            out.append(copy.deepcopy(story))
            continue
        published = sorted(p for p in (documents[d]["published"] for d in doc_ids) if p)
        titles = {documents[d]["title"] for d in doc_ids}
        earliest = min(doc_ids, key=lambda d: (documents[d]["published"] or "9999", d))
        out.append({**story, "doc_ids": doc_ids,
                    "title": story["title"] if story["title"] in titles else documents[earliest]["title"],
                    "first_published": published[0] if published else None,
                    "last_published": published[-1] if published else None})
    return out


def within(export: dict[str, Any], ceiling: Tlp) -> dict[str, Any]:
    """The export as a recipient cleared up to ``ceiling`` may see it (a new dict; the input is untouched)."""
    documents = {d["id"]: d for d in export["documents"] if _level(d).rank <= ceiling.rank}
    kept = set(documents)
    claims = [c for c in (_restrict(c, kept, claim_fields) for c in export["claims"]) if c is not None]
    events = [e for e in (_restrict(e, kept, event_fields) for e in export["events"]) if e is not None]
    _rescore(claims, {c["id"]: c for c in export["claims"]})
    _rescore(events, {e["id"]: e for e in export["events"]})
    out_documents = []
    for document in documents.values():
        copied = copy.deepcopy(document)
        if copied.get("near_duplicate_of") not in (None, *kept):
            copied["near_duplicate_of"] = None  # the original is not shared: do not reveal it exists
        out_documents.append(copied)
    return {
        **{k: v for k, v in export.items() if k not in {"documents", "entities", "events", "claims", "stories"}},
        "documents": out_documents,
        "entities": _entities(export, kept, claims, events),
        "events": events,
        "claims": claims,
        "stories": _stories(export, documents),
    }


def restrict(items: list[dict[str, Any]], kind: str, documents: dict[str, Tlp], ceiling: Tlp,
             visible: set[str]) -> list[dict[str, Any]]:
    """:func:`within` for a selection of claims (``kind`` "claims") or events ("events") rather than a whole
    export: ``documents`` gives the level of every document their evidence cites, and ``visible`` the ids of the
    claims or events the recipient may see at all (a contradiction by an unseen claim does not count)."""
    kept = {doc_id for doc_id, level in documents.items() if level.rank <= ceiling.rank}
    fields = claim_fields if kind == "claims" else event_fields
    out = [i for i in (_restrict(i, kept, fields) for i in items) if i is not None]
    _rescore(out, {i["id"]: i for i in items}, visible | {i["id"] for i in out})
    return out


@dataclass
class Levels:
    """The TLP level each object of an export carries, by object kind and id."""

    documents: dict[str, Tlp] = field(default_factory=dict)
    claims: dict[str, Tlp] = field(default_factory=dict)
    events: dict[str, Tlp] = field(default_factory=dict)
    stories: dict[str, Tlp] = field(default_factory=dict)
    entities: dict[str, Tlp] = field(default_factory=dict)
    outlets: dict[str, Tlp] = field(default_factory=dict)

    def highest(self) -> Tlp:
        return max(self.documents.values(), key=lambda t: t.rank, default=Tlp.CLEAR)


def _most(levels: Iterable[Tlp]) -> Tlp:
    return max(levels, key=lambda t: t.rank, default=Tlp.CLEAR)


def _least(levels: Iterable[Tlp]) -> Tlp:
    return min(levels, key=lambda t: t.rank, default=Tlp.CLEAR)


def levels(export: dict[str, Any]) -> Levels:
    """The marking of every object of an export (see the module docstring for the rule)."""
    result = Levels(documents={d["id"]: _level(d) for d in export["documents"]})
    docs = result.documents
    for kind, items in (("claims", export["claims"]), ("events", export["events"])):
        getattr(result, kind).update({i["id"]: _most(docs[e["doc_id"]] for e in i["evidence"]) for i in items})
    result.stories = {s["id"]: _most(docs[d] for d in s["doc_ids"]) for s in export["stories"]}
    outlets: dict[str, list[Tlp]] = {}
    for document in export["documents"]:
        outlets.setdefault(document["outlet"], []).append(docs[document["id"]])
    result.outlets = {name: _least(found) for name, found in outlets.items()}
    supported: dict[str, list[Tlp]] = {}
    for entity in export["entities"]:
        supported[entity["id"]] = [docs[m["doc_id"]] for m in entity["mentions"]]
    for kind, items in (("claims", export["claims"]), ("events", export["events"])):
        for item in items:
            for ref in _refs([item] if kind == "claims" else [], [item] if kind == "events" else []):
                supported.setdefault(ref["entity_id"], []).append(getattr(result, kind)[item["id"]])
    result.entities = {key: _least(found) for key, found in supported.items()}
    return result
