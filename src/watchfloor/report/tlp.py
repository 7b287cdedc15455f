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
``single_source`` otherwise. Such a claim is graded again on what remains (:func:`.grades.regrade`), and its
``updated_at`` becomes the last time something the recipient sees changed — a report of it or of a claim
contradicting it stored, or an analyst's grade of one of those reports' outlets or sources set — never later
than the store's: the time an amber report changed it is not shared. Entities keep only the mentions in
exported documents; a story keeps only its exported documents and, when the document it was named after is
gone, takes the title of its earliest one. The analysts' grades listed are those of the outlets and named
sources of the documents and entities shared.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError
from ..ids import name_key
from ..model import Tlp
from .grades import regrade
from .support import claim_fields, event_fields

__all__ = ["Levels", "grade_times", "levels", "parse_tlp", "restrict", "seen_change", "within"]


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


def _changed(items: list[dict[str, Any]], original: dict[str, dict[str, Any]]) -> set[str]:
    """Ids of the items a recipient sees otherwise than the store has them: fewer reports, other contradictions,
    another status, or a contradicting item that lost reports."""
    fewer = {i["id"] for i in items if len(i["evidence"]) != len(original[i["id"]]["evidence"])}
    return fewer | {i["id"] for i in items if i["contradicted_by"] != original[i["id"]]["contradicted_by"]
                    or i["status"] != original[i["id"]]["status"] or set(i["contradicted_by"]) & fewer}


def _grade_times(export: dict[str, Any]) -> dict[str, str]:
    return {name_key(g["name"]): g["set_at"] for g in export.get("reliability", [])}


def _named(report: dict[str, Any]) -> str | None:
    chain = report["attributed_to"]
    return chain[-1]["name"] if chain and chain[-1]["entity_id"] == report["independent_source"] else None


def seen_change(item: dict[str, Any], index: dict[str, dict[str, Any]], documents: dict[str, dict[str, Any]],
                graded: dict[str, str]) -> str:
    """The last change to a claim or event a recipient can see, from what they are given: a report of it or of
    a claim contradicting it stored (``documents[doc_id]["ingested_at"]``), or an analysts' grade of one of those
    reports' outlets or named sources set (``graded``, by ``name_key``); ``index`` holds the claims and events
    shared, by id. '' when nothing is known."""
    reports = [r for other in (item, *(index[c] for c in item["contradicted_by"] if c in index))
               for r in other["evidence"]]
    times = [documents[r["doc_id"]].get("ingested_at") or "" for r in reports if r["doc_id"] in documents]
    times += [graded.get(name_key(name), "") for r in reports for name in (r["outlet"], _named(r)) if name]
    return max(times, default="")


def grade_times(export: dict[str, Any]) -> dict[str, str]:
    """When each analysts' grade an export lists was set, by ``name_key`` of the graded name."""
    return _grade_times(export)


def _seen_changing(items: list[dict[str, Any]], ids: set[str], documents: dict[str, dict[str, Any]],
                   graded: dict[str, str]) -> None:
    """``updated_at`` of the items seen otherwise: the last change the recipient can see (module docstring)."""
    index = {i["id"]: i for i in items}
    for item in items:
        if item["id"] in ids:
            item["updated_at"] = min(item["updated_at"], seen_change(item, index, documents, graded))


def _grades_shared(export: dict[str, Any], documents: dict[str, dict[str, Any]],
                   entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = {name_key(d["outlet"]) for d in documents.values()} | {name_key(e["name"]) for e in entities}
    return [copy.deepcopy(g) for g in export.get("reliability", []) if name_key(g["name"]) in names]


def within(export: dict[str, Any], ceiling: Tlp) -> dict[str, Any]:
    """The export as a recipient cleared up to ``ceiling`` may see it (a new dict; the input is untouched)."""
    documents = {d["id"]: d for d in export["documents"] if _level(d).rank <= ceiling.rank}
    kept = set(documents)
    claims = [c for c in (_restrict(c, kept, claim_fields) for c in export["claims"]) if c is not None]
    events = [e for e in (_restrict(e, kept, event_fields) for e in export["events"]) if e is not None]
    graded = _grade_times(export)
    for items, original in ((claims, export["claims"]), (events, export["events"])):
        by_id = {i["id"]: i for i in original}
        _rescore(items, by_id)
        changed = _changed(items, by_id)
        regrade(items, changed)
        _seen_changing(items, changed, documents, graded)
    out_documents = []
    for document in documents.values():
        copied = copy.deepcopy(document)
        if copied.get("near_duplicate_of") not in (None, *kept):
            copied["near_duplicate_of"] = None  # the original is not shared: do not reveal it exists
        out_documents.append(copied)
    entities = _entities(export, kept, claims, events)
    return {
        **{k: v for k, v in export.items() if k not in {"documents", "entities", "events", "claims", "stories",
                                                         "reliability"}},
        "documents": out_documents,
        "entities": entities,
        "events": events,
        "claims": claims,
        "stories": _stories(export, documents),
        "reliability": _grades_shared(export, documents, entities),
    }


def restrict(items: list[dict[str, Any]], documents: dict[str, dict[str, Any]], ceiling: Tlp, visible: set[str],
             graded: dict[str, str], context: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """:func:`within` for a selection of claims and events rather than a whole export: ``documents`` gives each
    document their evidence cites (its ``tlp`` and ``ingested_at``), ``visible`` the ids of the claims and events
    the recipient may see at all (a contradiction by an unseen one does not count), ``graded`` when each
    analysts' grade was set (by ``name_key``), and ``context`` the claims and events that contradict the
    selection (weighed in its grades, not returned)."""
    kept = {doc_id for doc_id, document in documents.items() if _level(document).rank <= ceiling.rank}
    shown = {d: v for d, v in documents.items() if d in kept}
    wanted = {i["id"] for i in items}
    everything = [*items, *(c for c in context if c["id"] not in wanted)]
    original = {i["id"]: i for i in everything}
    out = [i for i in (_restrict(i, kept, event_fields if _is_event(i) else claim_fields) for i in everything)
           if i is not None]
    _rescore(out, original, visible | {i["id"] for i in out})
    changed = _changed(out, original)
    regrade(out, changed)
    _seen_changing(out, changed, shown, graded)
    return [i for i in out if i["id"] in wanted]


def _is_event(item: dict[str, Any]) -> bool:
    return "type" in item and "kind" not in item


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
