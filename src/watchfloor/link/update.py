"""The cross-document picture, kept as documents arrive rather than recomputed.

:func:`link_documents` takes the stored documents not linked yet, inside the writer's transaction, and
brings everything they touch up to date — and nothing else:

1. their entities, resolved against the stored ones (``entities``), ids kept;
2. each document's origin (copies of one wire story are one source) and story, reading only the stored
   state the batch's terms, time window and fingerprints lead to (``syndication``, ``stories``);
3. the occurrences of their claims and events under consolidation keys made of resolved entities, and the
   consolidated claims of every key those touch, re-scored with their ids kept (``consolidation``);
4. a history row for every status that appeared or changed.

When a batch shows two stored entities to be one, the documents that named the retired one are linked
again, so that their claims join those of the entity that stays. Re-running on linked documents does
nothing; a batch interrupted before its commit leaves nothing behind and is linked by the next run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from .. import codec
from ..analyze.claims import outlet_entity
from ..model import Document, DocumentAnalysis, EntityRef
from ..store import DocLink, GroupRow, HistoryRow, Writer
from .consolidation import ClaimGroup, Occurrence, consolidate, occurrences
from .entities import EntityChanges, EntityIndex, EntityResolution, named_entities, resolve_analysis
from .stories import StoryLinker, story_doc
from .syndication import SyndicationIndex

__all__ = ["LinkReport", "link_documents", "load_groups", "refresh_claims"]

#: meta key: documents counted in the story statistics without being linked (``StoryLinker.observe``)
_OBSERVED = "stories_observed"


@dataclass
class LinkReport:
    linked: int = 0
    new_stories: int = 0
    claims_rescored: int = 0
    status_changes: int = 0
    stories_moved: int = 0
    entities_merged: int = 0
    relinked: int = 0

    def add(self, other: LinkReport) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def load_groups(rows: Iterable[GroupRow]) -> list[ClaimGroup]:
    return [codec.loads(ClaimGroup, row.data) for row in rows]


def _reason(group: ClaimGroup) -> str:
    if group.status == "contested":
        return f"contradicted by {len(group.contradicted_by)} claim(s)"
    if group.status == "corroborated":
        return f"{group.independent_sources} independent sources"
    return "one source"


def _previous_members(rows: Sequence[GroupRow]) -> dict[tuple[str, int, int, str], str]:
    """Member -> group id of the stored groups (read from their JSON without rebuilding the records)."""
    found: dict[tuple[str, int, int, str], str] = {}
    for row in rows:
        for m in json.loads(row.data)["members"]:
            found[(m["doc_id"], m["evidence"]["start"], m["evidence"]["end"], m["text"])] = row.id
    return found


def _rescore(w: Writer, keys: set[str], now: str, report: LinkReport) -> None:
    """Consolidate the occurrences under each key again, ids kept; record every status that appeared or changed."""
    history: list[HistoryRow] = []
    stored_groups = w.groups_for_keys(keys)
    stored_occurrences = w.occurrences_of_keys(keys)
    rows: list[GroupRow] = []
    for key in sorted(keys):
        stored = stored_groups.get(key, [])
        before = {g.id: g for g in stored}
        groups = consolidate((codec.loads(Occurrence, data) for data in stored_occurrences.get(key, ())),
                             _previous_members(stored))
        for group in groups:
            previous = before.get(group.id)
            rows.append(GroupRow(group.id, group.key, group.kind, group.status, group.independent_sources,
                                 previous.first_seen if previous else now, codec.dumps(group)))
            if previous is None or previous.status != group.status:
                history.append(HistoryRow(group.id, key, group.status, previous.status if previous else None,
                                          group.independent_sources, now, _reason(group)))
        report.claims_rescored += len(groups)
    w.replace_groups_of_keys(keys, rows)
    w.add_history(history)
    report.status_changes += sum(1 for h in history if h.previous is not None)


def _write_entities(w: Writer, changes: EntityChanges) -> None:
    w.upsert_entity_keys(changes.keys)
    w.delete_entities(changes.retired)
    w.upsert_entities(changes.entities)
    w.add_entity_parts(changes.parts)
    w.add_entity_docs(changes.docs)
    w.add_geocoded(changes.geocoded)


def _resolve(w: Writer, pairs: Sequence[tuple[Document, DocumentAnalysis]]) -> tuple[EntityResolution, EntityChanges]:
    """Resolve and store the entities a batch names."""
    named: list[tuple[EntityRef, str]] = []
    geocoded: set[str] = set()
    for document, analysis in pairs:
        named += named_entities(document.id, outlet_entity(document.outlet), analysis)
        geocoded.update(p.span.text for p in analysis.places if p.lat is not None)
    resolution, changes = EntityIndex(w).resolve(named, geocoded)
    _write_entities(w, changes)
    return resolution, changes


def _stored_resolution(w: Writer, analyses: Sequence[DocumentAnalysis]) -> EntityResolution:
    """The stored entities of every key some analyses name (documents linked again after a merge)."""
    keys = {e.key for a in analyses for e, _ in named_entities("", EntityRef("", "", ""), a)}
    rows = w.entity_keys(keys)
    entities = w.entity_rows({r.entity_id for r in rows.values()})
    resolution = EntityResolution()
    for key, row in rows.items():
        entity = entities.get(row.entity_id)
        if entity is not None:
            resolution.entity[key] = EntityRef(entity.id, entity.name, entity.type)
    return resolution


def _occurrence_rows(document: Document, analysis: DocumentAnalysis, origin: str) -> tuple[
        list[tuple[str, str, int, str]], set[str]]:
    found = occurrences(document, analysis, origin)
    return [(o.key, o.doc_id, i, codec.dumps(o)) for i, o in enumerate(found)], {o.key for o in found}


def _relink(w: Writer, changes: EntityChanges, batch: set[str], report: LinkReport) -> set[str]:
    """Documents outside the batch that named an entity merged away: their occurrences under the surviving id.
    Returns the consolidation keys touched (the old and the new)."""
    if not changes.retired:
        return set()
    keys = [r.key for r in changes.keys if r.entity_id in changes.retired.values()]
    docs = {d for ids in w.docs_of_keys(keys).values() for d in ids} - batch
    if not docs:
        return set()
    links = w.doc_links(docs)
    pairs = [(d, a) for d, a in w.analyses(sorted(docs)) if d.id in links]
    touched = w.take_occurrences([d.id for d, _ in pairs])
    resolution = _stored_resolution(w, [a for _, a in pairs])
    for document, analysis in pairs:
        rows, keys_found = _occurrence_rows(document, resolve_analysis(analysis, resolution), links[document.id].origin)
        w.add_occurrences(rows)
        touched |= keys_found
    report.relinked += len(pairs)
    return touched


def link_documents(w: Writer, doc_ids: Iterable[str] | None = None, now: str | None = None,
                   written: Sequence[tuple[Document, DocumentAnalysis]] | None = None) -> LinkReport:
    """Link the stored documents not linked yet (all of them, or those of ``doc_ids``) inside the writer's
    transaction; what a batch touches is read and written, nothing else. ``written``: documents this transaction
    has just stored, with their analyses, linked from memory instead of being read back and decoded."""
    report = LinkReport()
    if written is not None:
        pairs = list(written)
    else:
        unlinked = w.unlinked_ids()
        if doc_ids is not None:
            wanted = set(doc_ids)
            unlinked = [d for d in unlinked if d in wanted]
        pairs = list(w.analyses(unlinked))
    if not pairs:
        return report
    now = now or datetime.now(UTC).isoformat()
    pairs.sort(key=lambda p: (p[0].published or datetime.min.replace(tzinfo=UTC), p[0].id))
    resolution, changes = _resolve(w, pairs)
    resolved = [(d, resolve_analysis(a, resolution)) for d, a in pairs]
    report.entities_merged = len(changes.retired)

    syndication = SyndicationIndex(state=w)
    syndication.prefetch([d for d, _ in resolved])
    stories = StoryLinker(state=w, observed=int(w.meta(_OBSERVED) or 0))
    features = [story_doc(d, a, np.frombuffer(a.embedding, dtype=np.float32) if a.embedding else None)
                for d, a in resolved]
    stories.prefetch(features)
    touched: set[str] = set()
    links: list[DocLink] = []
    for (document, analysis), feature in zip(resolved, features, strict=True):
        origin = syndication.add(document)
        assignment = stories.add(feature)
        report.new_stories += assignment.created
        links.append(DocLink(document.id, origin.origin_id, origin.kind, assignment.story_id))
        rows, keys = _occurrence_rows(document, analysis, origin.origin_id)
        w.add_occurrences(rows)
        touched |= keys
        report.linked += 1
    # arrival order decided each document once; revisit the stories this batch could have touched
    earliest = next((d.published for d, _ in pairs if d.published), None)
    window = timedelta(days=stories.options.window_days)
    report.stories_moved = stories.consolidate(since=earliest - window if earliest else None)
    state = stories.drain_changes()
    w.set_doc_links(links)
    w.move_to_story((m.doc_id, m.story_id) for m in state.members)
    w.upsert_stories(state.stories, now)
    w.remove_stories(state.removed)
    w.upsert_members(state.members)
    w.upsert_terms(state.terms)
    w.change_postings(state.postings_added, state.postings_removed)
    origin_rows, fingerprint_rows = syndication.drain_changes()
    w.add_origins(origin_rows)
    w.add_fingerprints(fingerprint_rows)
    touched |= _relink(w, changes, {d.id for d, _ in pairs}, report)
    _rescore(w, touched, now, report)
    return report


def refresh_claims(w: Writer, pairs: Sequence[tuple[Document, DocumentAnalysis]], now: str | None = None
                   ) -> LinkReport:
    """Linked documents whose analysis was redone: their entities are resolved, their claims replace the old
    ones, and every claim they were or are part of is re-scored. Origins and stories stay."""
    links = w.doc_links(d.id for d, _ in pairs)
    linked = [(d, a) for d, a in pairs if d.id in links]  # the others: the next link_documents takes them in whole
    report = LinkReport()
    if not linked:
        return report
    resolution, changes = _resolve(w, linked)
    touched = w.take_occurrences([d.id for d, _ in linked])
    for document, analysis in linked:
        rows, keys = _occurrence_rows(document, resolve_analysis(analysis, resolution), links[document.id].origin)
        w.add_occurrences(rows)
        touched |= keys
        report.linked += 1
    touched |= _relink(w, changes, {d.id for d, _ in linked}, report)
    _rescore(w, touched, now or datetime.now(UTC).isoformat(), report)
    return report
