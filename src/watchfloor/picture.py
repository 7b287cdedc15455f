"""The cross-document picture, updated as documents arrive: origins, stories, consolidated claims.

Runs the link stage over newly stored documents and persists what it found, in one transaction:
each document's origin (copies of one wire story are one source) and story, the occurrences of its claims
and events, the consolidated claims of every key those touched (re-scored), and a history row for every
status that appeared or changed. Re-running on documents already linked does nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from . import codec
from .errors import DependencyError
from .link.consolidation import ClaimGroup, Occurrence, consolidate, occurrences
from .link.stories import StoryLinker, StoryMemberRow, StoryRow, StoryState, TermRow, story_doc
from .link.syndication import OriginRow, SyndicationIndex
from .model import Document, DocumentAnalysis
from .store import Store
from .store.links import GroupRow, HistoryRow, LinkTables

__all__ = ["LinkReport", "load_groups", "refresh_claims", "update_picture"]

_SYNDICATION = "syndication"
_STORIES = "stories"


@dataclass
class LinkReport:
    linked: int = 0
    new_stories: int = 0
    claims_rescored: int = 0
    status_changes: int = 0
    stories_moved: int = 0


def _embeddings(pairs: list[tuple[Document, DocumentAnalysis]]) -> list[np.ndarray | None]:
    """Title-and-lead embeddings; without the optional embedding packages, stories use words and names only."""
    try:
        from .link.embeddings import default_embedder

        embedder = default_embedder()
        texts = [f"{d.title}. {d.text[: a.sentences[1].end if len(a.sentences) > 1 else 400]}" for d, a in pairs]
        vectors = embedder.embed(texts)
        return [vectors[i] for i in range(len(pairs))]
    except (DependencyError, ImportError):
        return [None] * len(pairs)


#: kinds of linker-state rows (table link_rows) and the meta key of the stories' document count
_ORIGIN, _STORY, _MEMBER, _TERM = "origin", "story", "story_member", "story_term"
_OBSERVED = "stories_observed"


def _load_syndication(tables: LinkTables) -> SyndicationIndex:
    legacy = tables.load_state(_SYNDICATION)
    if legacy is not None:  # a store written before the state moved to rows
        if not tables.has_rows(_ORIGIN):
            rows = [codec.load(OriginRow, r) for r in json.loads(legacy)]
            tables.upsert_rows(_ORIGIN, ((r.doc_id, codec.dumps(r)) for r in rows))
        tables.drop_state(_SYNDICATION)
    return SyndicationIndex.from_rows(codec.loads(OriginRow, data) for data in tables.rows(_ORIGIN))


def _save_stories(tables: LinkTables, changes: StoryState) -> None:
    tables.upsert_rows(_STORY, ((r.story_id, codec.dumps(r)) for r in changes.stories))
    tables.upsert_rows(_MEMBER, ((r.doc_id, codec.dumps(r)) for r in changes.members))
    tables.upsert_rows(_TERM, ((r.term, codec.dumps(r)) for r in changes.terms))
    tables.delete_rows(_STORY, changes.removed)
    tables.set_meta(_OBSERVED, str(changes.observed))


def _load_stories(tables: LinkTables) -> StoryLinker:
    legacy = tables.load_state(_STORIES)
    if legacy is not None:
        if not tables.has_rows(_MEMBER):
            _save_stories(tables, codec.load(StoryState, json.loads(legacy)))
        tables.drop_state(_STORIES)
    return StoryLinker.from_rows(StoryState(
        stories=tuple(codec.loads(StoryRow, data) for data in tables.rows(_STORY)),
        members=tuple(codec.loads(StoryMemberRow, data) for data in tables.rows(_MEMBER)),
        terms=tuple(codec.loads(TermRow, data) for data in tables.rows(_TERM)),
        observed=int(tables.meta(_OBSERVED) or 0),
    ))


def _group_row(group: ClaimGroup, first_seen: str) -> GroupRow:
    return GroupRow(group.id, group.key, group.kind, group.status, group.independent_sources, first_seen,
                    codec.dumps(group))


def load_groups(tables: LinkTables, kinds: tuple[str, ...] | None = None) -> list[ClaimGroup]:
    return [codec.loads(ClaimGroup, row.data) for row in tables.groups(kinds)]


def _reason(group: ClaimGroup) -> str:
    if group.status == "contested":
        return f"contradicted by {len(group.contradicted_by)} claim(s)"
    if group.status == "corroborated":
        return f"{group.independent_sources} independent sources"
    return "one source"


def _rescore(tables: LinkTables, keys: set[str], now: str, report: LinkReport) -> None:
    """Consolidate the occurrences under each key again; record every status that appeared or changed."""
    history: list[HistoryRow] = []
    for key in sorted(keys):
        before = {g.id: g for g in tables.groups_for_key(key)}
        groups = consolidate(codec.loads(Occurrence, data) for data in tables.occurrences(key))
        rows = []
        for group in groups:
            previous = before.get(group.id)
            rows.append(_group_row(group, previous.first_seen if previous else now))
            if previous is None or previous.status != group.status:
                history.append(HistoryRow(group.id, key, group.status, previous.status if previous else None,
                                          group.independent_sources, now, _reason(group)))
        tables.replace_groups(key, rows)
        report.claims_rescored += len(groups)
    tables.add_history(history)
    report.status_changes += sum(1 for h in history if h.previous is not None)


def refresh_claims(store: Store, pairs: list[tuple[Document, DocumentAnalysis]]) -> LinkReport:
    """Linked documents whose analysis was redone: their claims replace the old ones and every claim they
    were or are part of is re-scored. Origins and stories stay. Call inside a store transaction."""
    tables = LinkTables(store.db)
    links = tables.doc_links()
    report = LinkReport()
    touched: set[str] = set()
    for document, analysis in pairs:
        if document.id not in links:
            continue  # not linked yet: the next update_picture takes it in whole
        touched |= tables.take_occurrences(document.id)
        found = occurrences(document, analysis, links[document.id][0])
        tables.add_occurrences((o.key, o.doc_id, i, codec.dumps(o)) for i, o in enumerate(found))
        touched.update(o.key for o in found)
        report.linked += 1
    _rescore(tables, touched, datetime.now(UTC).isoformat(), report)
    return report


def update_picture(store: Store, doc_ids: Iterable[str] | None = None) -> LinkReport:
    """Link the given stored documents (default: every stored document not linked yet)."""
    tables = LinkTables(store.db)
    wanted = None if doc_ids is None else set(doc_ids)
    pairs = [(d, a) for d, a in store.unlinked_analyses() if wanted is None or d.id in wanted]
    report = LinkReport()
    if not pairs:
        return report
    pairs.sort(key=lambda p: (p[0].published or datetime.min.replace(tzinfo=UTC), p[0].id))
    embeddings = _embeddings(pairs)
    now = datetime.now(UTC).isoformat()
    with store.transaction():
        syndication = _load_syndication(tables)
        stories = _load_stories(tables)
        touched: set[str] = set()
        for (document, analysis), embedding in zip(pairs, embeddings, strict=True):
            origin = syndication.add(document)
            assignment = stories.add(story_doc(document, analysis, embedding))
            report.new_stories += assignment.created
            tables.set_doc_link(document.id, origin.origin_id, origin.kind, assignment.story_id)
            found = occurrences(document, analysis, origin.origin_id)
            tables.add_occurrences((o.key, o.doc_id, i, codec.dumps(o)) for i, o in enumerate(found))
            touched.update(o.key for o in found)
            report.linked += 1
        # arrival order decided each document once; revisit the stories this batch could have touched
        earliest = next((d.published for d, _ in pairs if d.published), None)
        window = timedelta(days=stories.options.window_days)
        report.stories_moved = stories.consolidate(since=earliest - window if earliest else None)
        changes = stories.drain_changes()
        tables.move_to_story((m.doc_id, m.story_id) for m in changes.members)
        tables.remove_stories(changes.removed)
        _rescore(tables, touched, now, report)
        for row in changes.stories:
            tables.upsert_story(row.story_id, row.title, row.first_published, row.last_published, now)
        _save_stories(tables, changes)
        tables.upsert_rows(_ORIGIN, ((d.id, codec.dumps(syndication.row(d.id))) for d, _ in pairs))
    return report
