"""The cross-document picture, kept as documents arrive rather than recomputed.

:func:`link_documents` takes the stored documents not linked yet, inside the writer's transaction, and
brings everything they touch up to date — and nothing else:

1. their entities, resolved against the stored ones (``entities``), ids kept;
2. each document's origin (copies of one wire story are one source) and story, reading only the stored
   state the batch's terms, time window and fingerprints lead to (``syndication``, ``stories``);
3. the occurrences of their claims and events under consolidation keys made of resolved entities, and the
   consolidated claims of every key those touch, re-scored with their ids kept (``consolidation``) and graded
   again with the analysts' grades the store holds (``regrade``);
4. a history row for every status and every grade that appeared or changed, and the time each changed claim
   changed (``updated_at``: a back-dated report that joins a claim changes it now, whatever its date).

Analysts' grades set since the last run are applied first (``regrade.apply_source_grades``).

When a batch shows two stored entities to be one, the documents that named the retired one are linked
again, so that their claims join those of the entity that stays. Re-running on linked documents does
nothing; a batch interrupted before its commit leaves nothing behind and is linked by the next run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

from .. import codec
from ..analyze.claims import outlet_entity
from ..model import Document, DocumentAnalysis, EntityRef
from ..store import DocLink, GradeHistoryRow, GroupRow, HistoryRow, OccurrenceRow, Writer
from .consolidation import ClaimGroup, Occurrence, group_key, member_id, occurrences, settle
from .entities import EntityChanges, EntityIndex, EntityResolution, named_entities, resolve_analysis
from .grading import Grading, ReliabilityTable
from .regrade import apply_source_grades, group_grades, load_groups, reliability_table, source_names
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
    grade_changes: int = 0
    stories_moved: int = 0
    entities_merged: int = 0
    relinked: int = 0

    def add(self, other: LinkReport) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


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


#: how far from a day a claim can reach: reports this close can be one claim, compete or contradict each other
#: (``consolidation.DATE_SLACK`` and ``COMPETING_WINDOW``), with room to spare
REACH = timedelta(days=21)
#: the days a group with an undated member is said to span: any window meets it
_ALWAYS = ("0000-01-01", "9999-12-31")

#: consolidation key -> the days (ISO) of the occurrences a batch added or removed under it (None: undated)
Touched = dict[str, set[str | None]]


def _window(days: Iterable[str | None]) -> tuple[str, str] | None:
    """The days within reach of some days; None (everything) when one of them is undated."""
    listed = list(days)
    if not listed or any(d is None for d in listed):
        return None
    dates = [date.fromisoformat(d) for d in listed if d]
    return (min(dates) - REACH).isoformat(), (max(dates) + REACH).isoformat()


def _affected(w: Writer, key: str, days: set[str | None]) -> tuple[list[GroupRow], list[Occurrence]]:
    """The stored groups of a key that a change on some days can reshape (those within reach of the days), and
    the occurrences to group again: those within reach and every member of those groups."""
    window = _window(days)
    stored = w.groups_for_key(key, window)
    members = _previous_members(stored)
    loaded = [codec.loads(Occurrence, data) for data in w.occurrences(key, window, {m[0] for m in members})]
    if window is not None:  # an occurrence outside the window belongs to a group that stays as it is
        loaded = [o for o in loaded if member_id(o) in members or
                  (o.when is not None and window[0] <= o.when.isoformat() <= window[1])]
    return stored, loaded


def _span(group: ClaimGroup) -> tuple[str, str]:
    if any(m.when is None for m in group.members):
        return _ALWAYS
    days = sorted(m.when.isoformat() for m in group.members if m.when is not None)
    return days[0], days[-1]


def _group_row(group: ClaimGroup, previous: GroupRow | None, graded: Grading, now: str) -> GroupRow:
    """The row of a group with its grade; ``updated_at`` moves only when the group or its grade changed."""
    first, last = _span(group)
    data = codec.dumps(group)
    unchanged = previous is not None and (previous.data, previous.grade) == (data, graded.code)
    return GroupRow(group.id, group.key, group.kind, group.status, group.independent_sources,
                    previous.first_seen if previous else now, data, first, last, graded.reliability.value,
                    int(graded.credibility), previous.updated_at if previous and unchanged else now)


def _neighbours(w: Writer, key: str, groups: list[ClaimGroup], regrouped: set[str]) -> tuple[
        list[GroupRow], list[ClaimGroup]]:
    """Stored groups of the key within reach of the regrouped ones, which may contest them or be contested."""
    spans = [_span(g) for g in groups]
    if not spans or _ALWAYS in spans:
        window = None
    else:
        window = _window([min(s[0] for s in spans), max(s[1] for s in spans)])
    rows = [g for g in w.groups_for_key(key, window) if g.id not in regrouped]
    return rows, load_groups(rows)


def _grades(w: Writer, groups: Sequence[ClaimGroup], table: ReliabilityTable) -> dict[str, Grading]:
    """The grade of each group, weighed against the groups that contradict it (read when not among them)."""
    pool = list(groups)
    missing = {c for g in pool for c in g.contradicted_by} - {g.id for g in pool}
    pool += load_groups(row for row in (w.group(c) for c in sorted(missing)) if row is not None)
    return group_grades(pool, table, source_names(w, pool))


def _rescore(w: Writer, touched: Touched, now: str, report: LinkReport, table: ReliabilityTable) -> None:
    """Consolidate again, ids kept, the claims under each touched key that the touched days can reshape, bring
    the contradictions of their neighbours up to date, and grade them all again; record every status and grade
    that appeared or changed, and when each group last changed."""
    history: list[HistoryRow] = []
    grade_history: list[GradeHistoryRow] = []

    def record(group: ClaimGroup, previous: GroupRow | None, graded: Grading) -> GroupRow:
        if previous is None or previous.status != group.status:
            history.append(HistoryRow(group.id, group.key, group.status, previous.status if previous else None,
                                      group.independent_sources, now, _reason(group)))
        if previous is None or previous.grade != graded.code:
            grade_history.append(GradeHistoryRow(group.id, group.key, graded.code,
                                                 previous.grade if previous else None, now,
                                                 f"{'reports changed' if previous else 'new'}: {_reason(group)}"))
        return _group_row(group, previous, graded, now)

    for key in sorted(touched):
        stored, loaded = _affected(w, key, touched[key])
        before = {g.id: g for g in stored}
        groups = group_key(key, loaded, _previous_members(stored))
        neighbour_rows, neighbours = _neighbours(w, key, groups, set(before))
        changed = {g.id for g in settle(groups, neighbours, replaced=before)}
        grades = _grades(w, [*groups, *neighbours], table)
        by_id = {row.id: row for row in neighbour_rows}
        # a neighbour is written again when its contradictions changed, or the weight of those against it did
        rewritten = [g for g in neighbours if g.id in changed or grades[g.id].code != by_id[g.id].grade]
        w.replace_groups(key, before, [record(g, before.get(g.id), grades[g.id]) for g in groups])
        w.replace_groups(key, [g.id for g in rewritten], [record(g, by_id[g.id], grades[g.id]) for g in rewritten])
        report.claims_rescored += len(groups) + len(rewritten)
    w.add_history(history)
    w.add_grade_history(grade_history)
    report.status_changes += sum(1 for h in history if h.previous is not None)
    report.grade_changes += sum(1 for h in grade_history if h.previous is not None)


def _touch(touched: Touched, more: Touched) -> None:
    for key, days in more.items():
        touched.setdefault(key, set()).update(days)


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
        list[OccurrenceRow], Touched]:
    found = occurrences(document, analysis, origin)
    touched: Touched = {}
    rows = []
    for i, o in enumerate(found):
        day = o.when.isoformat() if o.when else None
        rows.append(OccurrenceRow(o.key, o.doc_id, i, codec.dumps(o), day))
        touched.setdefault(o.key, set()).add(day)
    return rows, touched


def _relink(w: Writer, changes: EntityChanges, batch: set[str], report: LinkReport) -> Touched:
    """Documents outside the batch that named an entity merged away: their occurrences under the surviving id.
    Returns the consolidation keys touched (the old and the new)."""
    if not changes.retired:
        return {}
    keys = [r.key for r in changes.keys if r.entity_id in changes.retired.values()]
    docs = {d for ids in w.docs_of_keys(keys).values() for d in ids} - batch
    if not docs:
        return {}
    links = w.doc_links(docs)
    pairs = [(d, a) for d, a in w.analyses(sorted(docs)) if d.id in links]
    touched = w.take_occurrences([d.id for d, _ in pairs])
    resolution = _stored_resolution(w, [a for _, a in pairs])
    for document, analysis in pairs:
        rows, found = _occurrence_rows(document, resolve_analysis(analysis, resolution), links[document.id].origin)
        w.add_occurrences(rows)
        _touch(touched, found)
    report.relinked += len(pairs)
    return touched


def link_documents(w: Writer, doc_ids: Iterable[str] | None = None, now: str | None = None) -> LinkReport:
    """Link the stored documents not linked yet (all of them, or those of ``doc_ids``) inside the writer's
    transaction; what a batch touches is read and written, nothing else."""
    now = now or datetime.now(UTC).isoformat()
    report = LinkReport(grade_changes=apply_source_grades(w, now))
    unlinked = w.unlinked_ids()
    if doc_ids is not None:
        wanted = set(doc_ids)
        unlinked = [d for d in unlinked if d in wanted]
    if not unlinked:
        return report
    pairs = list(w.analyses(unlinked))
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
    touched: Touched = {}
    links: list[DocLink] = []
    for (document, analysis), feature in zip(resolved, features, strict=True):
        origin = syndication.add(document)
        assignment = stories.add(feature)
        report.new_stories += assignment.created
        links.append(DocLink(document.id, origin.origin_id, origin.kind, assignment.story_id))
        rows, found = _occurrence_rows(document, analysis, origin.origin_id)
        w.add_occurrences(rows)
        _touch(touched, found)
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
    w.add_index_entries(state.index_entries, state.all_time_added)
    origin_rows, fingerprint_rows = syndication.drain_changes()
    w.add_origins(origin_rows)
    w.add_fingerprints(fingerprint_rows)
    _touch(touched, _relink(w, changes, {d.id for d, _ in pairs}, report))
    _rescore(w, touched, now, report, reliability_table(w))
    return report


def refresh_claims(w: Writer, pairs: Sequence[tuple[Document, DocumentAnalysis]], now: str | None = None
                   ) -> LinkReport:
    """Linked documents whose analysis was redone: their entities are resolved, their claims replace the old
    ones, and every claim they were or are part of is re-scored. Origins and stories stay."""
    now = now or datetime.now(UTC).isoformat()
    links = w.doc_links(d.id for d, _ in pairs)
    linked = [(d, a) for d, a in pairs if d.id in links]  # the others: the next link_documents takes them in whole
    report = LinkReport(grade_changes=apply_source_grades(w, now))
    if not linked:
        return report
    resolution, changes = _resolve(w, linked)
    touched = w.take_occurrences([d.id for d, _ in linked])
    for document, analysis in linked:
        rows, found = _occurrence_rows(document, resolve_analysis(analysis, resolution), links[document.id].origin)
        w.add_occurrences(rows)
        _touch(touched, found)
        report.linked += 1
    _touch(touched, _relink(w, changes, {d.id for d, _ in linked}, report))
    _rescore(w, touched, now, report, reliability_table(w))
    return report
