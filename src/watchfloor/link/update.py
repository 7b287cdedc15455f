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
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from typing import Any

import numpy as np

from .. import codec
from ..analyze.claims import outlet_entity
from ..model import Document, DocumentAnalysis, EntityRef
from ..store import DocLink, FigureRow, GradeHistoryRow, GroupRow, HistoryRow, OccurrenceRow, Reader, Writer
from ..store.migrations import RESUM
from .consolidation import ClaimGroup, Elsewhere, MemberId, Occurrence, group_key, member_id, occurrences, settle
from .entities import EntityChanges, EntityIndex, EntityResolution, named_entities, resolve_analysis
from .grading import Grading, ReliabilityTable
from .regrade import GradeInput, apply_source_grades, grade_inputs, reliability_table, report_key
from .stories import StoryLinker, story_doc
from .syndication import SyndicationIndex

__all__ = ["LinkReport", "link_documents", "load_groups", "load_groups_with_rows", "refresh_claims"]

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
    grade_changes: int = 0

    def add(self, other: LinkReport) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _order(member: Occurrence) -> tuple[date, str, int]:
    return member.when or date.max, member.doc_id, member.evidence.start


def load_groups(reader: Reader, kinds: Sequence[str] | None = None, ids: Sequence[str] | None = None
                ) -> list[ClaimGroup]:
    """The consolidated claims and events with all their reports: all (oldest first), of some kinds, or those of
    ``ids`` (in that order; unknown ids are left out). What the reports and the screens read."""
    return load_groups_with_rows(reader, kinds, ids)[0]


def load_groups_with_rows(reader: Reader, kinds: Sequence[str] | None = None, ids: Sequence[str] | None = None
                          ) -> tuple[list[ClaimGroup], dict[str, GroupRow]]:
    """:func:`load_groups`, and the stored row of each by id (its grade, when it last changed), for readers that
    show both and would otherwise read the rows again."""
    if ids is None:
        members = reader.group_members(kinds)
        rows = reader.groups(kinds)
    else:
        place = {group_id: i for i, group_id in enumerate(ids)}
        found, members = reader.groups_with_members(ids)
        rows = sorted(found, key=lambda row: place[row.id])
    groups = []
    for row in rows:
        summary = json.loads(row.data)
        occurrences = sorted((codec.loads(Occurrence, data) for data in members.get(row.id, [])), key=_order)
        groups.append(ClaimGroup(row.id, row.key, row.kind, summary["stance"], occurrences, row.status,
                                 list(summary["contradicted_by"])))
    return groups, {row.id: row for row in rows}


def _reason(group: ClaimGroup) -> str:
    if group.status == "contested":
        return f"contradicted by {len(group.contradicted_by)} claim(s)"
    if group.status == "corroborated":
        return f"{group.independent_sources} independent sources"
    return "one source"


#: how far a report can reach: reports this close in time can be one claim, compete or contradict each other
#: (``consolidation.DATE_SLACK`` and ``COMPETING_WINDOW``, with room to spare)
REACH = timedelta(days=21)
#: the days a claim with an undated report is said to span: any window meets it
_ALWAYS = ("0000-01-01", "9999-12-31")

@dataclass
class Touched:
    """What a batch changed under each consolidation key: the days (ISO; None: undated) of the occurrences it
    added or removed, the removed ones (their claims still count them until consolidated again), and the ones it
    wrote as they read back (``codec.exact``), with their stored text, by (key, document, position): re-scoring
    reads them again, and decoding them was the largest part of its work. ``pending``: the rows of those, not
    stored yet: re-scoring takes them with the stored ones and writes them with their claims, one insert, where
    writing them first cost an insert and then an update of each."""

    days: dict[str, set[str | None]] = field(default_factory=dict)
    removed: dict[str, list[OccurrenceRow]] = field(default_factory=dict)
    written: dict[tuple[str, str, int], tuple[str, Occurrence]] = field(default_factory=dict)
    pending: list[OccurrenceRow] = field(default_factory=list)

    def add(self, key: str, day: str | None) -> None:
        self.days.setdefault(key, set()).add(day)

    def take(self, rows: Iterable[OccurrenceRow]) -> Touched:
        for row in rows:
            self.add(row.key, row.day)
            self.removed.setdefault(row.key, []).append(row)
        return self

    def merge(self, other: Touched) -> None:
        for key, days in other.days.items():
            self.days.setdefault(key, set()).update(days)
        for key, rows in other.removed.items():
            self.removed.setdefault(key, []).extend(rows)
        self.written.update(other.written)
        self.pending += other.pending


def _window(days: Iterable[str | None]) -> tuple[str, str] | None:
    """The first and last of some days; None (everything) when one of them is undated."""
    listed = list(days)
    if not listed or any(d is None for d in listed):
        return None
    dated = sorted(d for d in listed if d)
    return dated[0], dated[-1]


def _widen(window: tuple[str, str]) -> tuple[str, str]:
    return ((date.fromisoformat(window[0]) - REACH).isoformat(), (date.fromisoformat(window[1]) + REACH).isoformat())


def _tally(rows: Iterable[OccurrenceRow], attribute: str) -> Counter[str]:
    return Counter(getattr(codec.loads(Occurrence, r.data), attribute) for r in rows)


@dataclass
class _Window:
    """What re-consolidating one key around some days reads: the reports to group again (``loose``: about a
    day from the first to the last the batch touched, or undated), the claims within reach of them and, as
    seeds, the claims that have reports outside the window (kept in them: those within reach are loaded,
    the others summed up). Reports arriving in the order of their days are grouped as a consolidation of
    everything would group them; a back-dated report joins the claims there are."""

    rows: list[GroupRow]
    loose: list[Occurrence]
    seeds: list[ClaimGroup]
    previous: dict[MemberId, str]
    kept: dict[str, set[str]]
    positions: dict[MemberId, tuple[str, int, str | None]]  # where each loaded report is, and its claim now


Days = tuple[str, str] | None


@dataclass(frozen=True)
class _Reach:
    """The days a batch touched under a key (``_window``; None: one undated) and those within reach of them
    (``_widen``), worked out once per key for the reads and the grouping alike."""

    window: tuple[str, str] | None
    wide: tuple[str, str] | None

    @classmethod
    def of(cls, days: Iterable[str | None]) -> _Reach:
        window = _window(days)
        return cls(window, None if window is None else _widen(window))


def _reads(key: str, reach: _Reach) -> tuple[Days, Days]:
    """The days whose claims and whose reports re-consolidating a key reads (None: all of them)."""
    if reach.wide is None:  # an undated report can be one claim with any other: the whole key is grouped again
        return None, None
    # figures agree or disagree whenever they were given: every claim of a figure takes part (as a sum)
    return (None if key.startswith("quantity|") else reach.wide), reach.wide


@dataclass
class _Stored:
    """What re-consolidating the touched keys reads before grouping: claims (whole), reports, and under the
    figures' keys re-consolidated around some days, every claim's stance and figures only (``figures``: which of
    them take part is decided from those, and only those are read whole)."""

    groups: dict[str, list[GroupRow]]
    occurrences: dict[str, list[OccurrenceRow]]
    figures: dict[str, list[FigureRow]]


def _prefetch(w: Writer, reaches: Mapping[str, _Reach], pending: Sequence[OccurrenceRow]) -> _Stored:
    """The claims and reports of every touched key, each key around its own days, read with a few queries for
    the whole batch rather than two per key (a batch touches thousands of keys, about a few days)."""
    group_windows: dict[str, Days] = {}
    occurrence_windows: dict[str, Days] = {}
    figure_keys: list[str] = []
    for key, reach in reaches.items():
        groups_days, occurrence_days = _reads(key, reach)
        if groups_days is None and occurrence_days is not None:  # a figure's key, around some days
            figure_keys.append(key)
        else:
            group_windows[key] = groups_days
        occurrence_windows[key] = occurrence_days
    return _Stored(w.groups_in_windows(group_windows),
                   _with_pending(w.occurrences_in_windows(occurrence_windows), pending),
                   w.figure_claims(figure_keys) if figure_keys else {})


def _with_pending(stored: dict[str, list[OccurrenceRow]], pending: Sequence[OccurrenceRow]
                  ) -> dict[str, list[OccurrenceRow]]:
    """The reports of each key as they would read back had the batch's (``Touched.pending``) been written first:
    in (document, position) order, a pending row in place of a stored one at its place. Each lies in its key's
    window (the batch's days make the window)."""
    added: dict[str, dict[tuple[str, int], OccurrenceRow]] = {}
    for row in pending:
        added.setdefault(row.key, {})[(row.doc_id, row.position)] = row
    for key, rows in added.items():
        kept = [r for r in stored.get(key, []) if (r.doc_id, r.position) not in rows]
        stored[key] = sorted([*kept, *rows.values()], key=lambda r: (r.doc_id, r.position))
    return stored


@dataclass
class _Reports:
    """A key's reports as re-consolidating it around some days reads them (``_read_reports``)."""

    wide: tuple[str, str] | None  # the days within reach of the batch's (``_Reach.wide``)
    loose: list[Occurrence]
    ring: list[OccurrenceRow]
    decoded: dict[int, Occurrence]
    previous: dict[MemberId, str]
    positions: dict[MemberId, tuple[str, int, str | None]]
    by_group: dict[str, list[OccurrenceRow]]

    @property
    def near(self) -> set[str]:
        """The claims with a report within reach of the window."""
        return set(self.by_group) | {r.group_id for r in self.ring if r.group_id}


def _decoded(row: OccurrenceRow, written: Mapping[tuple[str, str, int], tuple[str, Occurrence]]) -> Occurrence:
    """A stored report: the one the batch wrote when the stored text is what it wrote, otherwise decoded."""
    known = written.get((row.key, row.doc_id, row.position))
    return known[1] if known is not None and known[0] == row.data else codec.loads(Occurrence, row.data)


def _read_reports(reach: _Reach, removed: Sequence[OccurrenceRow], loaded: list[OccurrenceRow],
                  written: Mapping[tuple[str, str, int], tuple[str, Occurrence]]) -> _Reports:
    """``loaded``: the key's reports ``_reads`` says to read; ``removed``: those the batch took out; ``written``:
    those the batch wrote (``Touched.written``)."""
    window = reach.window
    if window is None:
        loose_rows, ring = loaded, []
    else:
        inside = [r.day is None or window[0] <= r.day <= window[1] for r in loaded]
        loose_rows = [r for r, i in zip(loaded, inside, strict=True) if i]
        ring = [r for r, i in zip(loaded, inside, strict=True) if not i]
    decoded = {id(r): _decoded(r, written) for r in [*loaded, *removed]}
    loose = [decoded[id(r)] for r in loose_rows]
    # a report taken out and put back (its analysis redone) stays with the claim it was part of
    previous = {member_id(decoded[id(r)]): r.group_id for r in [*removed, *loaded] if r.group_id}
    positions = {member_id(decoded[id(r)]): (r.doc_id, r.position, r.group_id) for r in loaded}
    by_group: dict[str, list[OccurrenceRow]] = defaultdict(list)
    for r in [*loaded, *removed]:  # a claim's reports in the window, and those no longer there at all
        if r.group_id:
            by_group[r.group_id].append(r)
    return _Reports(reach.wide, loose, ring, decoded, previous, positions, by_group)


def _read_window(key: str, reports: _Reports, rows: list[GroupRow]) -> _Window:
    """What re-consolidating a key reads: its reports (``_read_reports``) and the claims ``_reads`` says to
    read, or under a figure's key those that take part (``_figures_in_reach``)."""
    wide, loose, ring, decoded, by_group = reports.wide, reports.loose, reports.ring, reports.decoded, reports.by_group
    summaries = {row.id: json.loads(row.data) for row in rows}
    regrouped = set()
    seeds = []
    for row in rows:
        summary = summaries[row.id]
        anchors = [decoded[id(r)] for r in ring if r.group_id == row.id]
        mine = by_group.get(row.id, [])
        far = summary["count"] - len(mine)
        if not anchors and far <= 0:
            regrouped.add(row.id)  # every report of it is in the window: it is grouped again from scratch
            continue
        elsewhere = Elsewhere(
            dict(Counter(summary["asserting"]) - Counter(decoded[id(r)].asserting for r in mine)),
            dict(Counter(summary["outlets"]) - Counter(decoded[id(r)].outlet for r in mine)),
            _day(summary.get("first")) if far > 0 and wide is not None and (summary.get("first") or "") < wide[0]
            else None,
            _day(summary.get("last")) if far > 0 and wide is not None and (summary.get("last") or "") > wide[1]
            else None,
            max(far, 0),
            dict(Counter(summary.get("ranges", {})) - Counter(_range_key(decoded[id(r)]) for r in mine)),
            dict(Counter(summary.get("reports", {})) - Counter(report_key(decoded[id(r)]) for r in mine)),
            dict(Counter(summary.get("places", {})) - Counter(p for r in mine for p in _places(decoded[id(r)]))),
            dict(Counter(summary.get("entities", {})) - Counter(e for r in mine for e in _named(decoded[id(r)]))),
            summary.get("head") if far > 0 else None)
        seeds.append(ClaimGroup(row.id, key, row.kind, summary["stance"], sorted(anchors, key=_order),
                                elsewhere=elsewhere))
    # contradictions through reports outside the window stand
    kept = {row.id: set(summaries[row.id]["contradicted_by"]) - regrouped for row in rows if row.id not in regrouped}
    return _Window(rows, loose, seeds, reports.previous, kept, reports.positions)


def _figures(ranges: Iterable[str]) -> list[tuple[float, float]]:
    """Figures as (low, high), from their keys in a claim's summary (``_range_key``)."""
    return [(float(low), float(high)) for low, _, high in (r.partition(":") for r in ranges)]


def _figures_in_reach(claims: Sequence[FigureRow], near: set[str], loose: Sequence[Occurrence],
                      wide: tuple[str, str]) -> list[str]:
    """The claims of a figure's key that re-consolidating a window can change: those with a report in or near
    it (``near``), and of the far ones (no report within reach), those a report of the window could join or
    that could contest a claim of the window or be contested by it.

    A figure joins the first claim, earliest first, of its stance whose every figure agrees with it: a far
    claim it could join is one of the first few of its stance that agree with it (one per report of that
    stance in the window, since each report joining one may leave it unfit for the next). A denial contests a
    claim of the other stance whose figures overlap its own; competing figures are given within days of each
    other, so far claims never compete with the window's. Any other far claim is neither joined nor contested
    by the window: it stays as stored, as the claims of other keys outside the window do, and the work of a
    batch does not grow with the claims a figure has gathered over the years. The window's figures include
    every figure its claims held when stored (so a claim that lost a report still meets what it overlapped)."""
    window = [(o.stance, r) for o in loose for r in _figures([_range_key(o)])]
    for claim in claims:
        if claim.id in near:
            window += [(claim.stance, r) for r in _figures(claim.ranges or {})]
    # the order claims are offered to a report in (``consolidation.group_key``: by their earliest report)
    far = sorted((c for c in claims if c.id not in near),
                 key=lambda c: (c.first if c.first and c.first < wide[0] else "9999-99-99", c.id))
    wanted: set[str] = set()
    # a figure agrees with every figure of a claim when it meets the span they all share
    shared: list[tuple[str, str, float, float]] = []
    for claim in far:
        figures = _figures(claim.ranges or {})
        shared.append((claim.id, claim.stance, max((f[0] for f in figures), default=-math.inf),
                       min((f[1] for f in figures), default=math.inf)))
        if claim.ranges is None or (claim.stance != "uncommitted" and any(
                other not in (claim.stance, "uncommitted") and _meet(r, f) for other, r in window for f in figures)):
            wanted.add(claim.id)
    per_stance = Counter(o.stance for o in loose)
    for member in loose:
        low, high = _figures([_range_key(member)])[0]
        fitting = (group_id for group_id, stance, top_low, bottom_high in shared
                   if stance == member.stance and low <= bottom_high and top_low <= high)
        wanted.update(islice(fitting, per_stance[member.stance]))
    return [c.id for c in claims if c.id in near or c.id in wanted]


def _meet(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


_SEP = "\x1f"


def _places(member: Occurrence) -> list[str]:
    place = member.event.place if member.event is not None else None
    if place is None or place.lat is None or place.lon is None:
        return []
    return [_SEP.join((place.name, str(place.lat), str(place.lon)))]


def _named(member: Occurrence) -> set[str]:
    """The entities one report names, by role: whom it attributes to, what it is about, the event's actors."""
    named = [("attributed", e) for e in member.attributed_to]
    if member.claim is not None and member.claim.subject is not None:
        named.append(("subject", member.claim.subject))
    if member.event is not None:
        named += [(actor.role or "actor", actor.entity) for actor in member.event.actors]
    return {f"{role}{_SEP}{ref.key}" for role, ref in named if ref.key and ref.type != "outlet"}


def _head_order(member: Occurrence) -> tuple[str, str, int]:
    """Where a report comes among its claim's for the claim's head: its day (undated last), document, start."""
    return member.when.isoformat() if member.when else "9999-12-31", member.doc_id, member.evidence.start


def _head(member: Occurrence) -> dict[str, object]:
    """What a claim's summary shows of its earliest report."""
    q = member.claim.quantity if member.claim is not None else None
    figure = json.dumps({"value": q.value, "low": q.low, "high": q.high, "approximate": q.approximate}) if q else None
    polarity = member.claim.polarity if member.claim else member.event.polarity if member.event else ""
    return {"text": member.text, "event_type": member.event.type if member.event else None,
            "modality": member.modality.value, "polarity": polarity, "figure": figure,
            "unit": q.unit if q else None, "order": list(_head_order(member))}


def _earliest_head(members: Sequence[Occurrence], far: dict[str, Any] | None) -> dict[str, Any] | None:
    """The head of a claim: of its loaded reports the first that comes earliest, unless the head of the others
    (``far``, as stored) comes earlier still; only that one report is summed up."""
    earliest = min(members, key=_head_order, default=None)
    if earliest is not None and (far is None or _head_order(earliest) <= tuple(far["order"])):
        return _head(earliest)
    return far


def _range_key(member: Occurrence) -> str:
    q = member.claim.quantity if member.claim is not None else None
    return f"{q.low or 0.0}:{q.high or 0.0}" if q is not None else "0.0:0.0"


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _counted(keys: Iterable[str], more: Mapping[str, int]) -> dict[str, int]:
    """How many times each key comes, added to the counts ``more`` (a plain dict: most claims have one report,
    and a ``Counter`` cost more to make than the counting; the stored sums are written with their keys sorted)."""
    counts = dict(more)
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return counts


#: what a claim with every report loaded has elsewhere (read only: made once, not once per claim summed up)
_NOWHERE = Elsewhere()


def _summary(group: ClaimGroup) -> dict[str, Any]:
    """The sums of a claim's reports that its stored row keeps (``claim_groups.data``)."""
    days = sorted(m.when.isoformat() for m in group.members if m.when is not None)
    if group.elsewhere is not None:
        days += sorted(d.isoformat() for d in (group.elsewhere.first, group.elsewhere.last) if d is not None)
        days.sort()
    first, last = (days[0], days[-1]) if days else (None, None)
    count = len(group.members) + (group.elsewhere.count if group.elsewhere else 0)
    summary: dict[str, Any] = {
        "stance": group.stance, "contradicted_by": group.contradicted_by, "asserting": group.asserting,
        "outlets": group.outlet_counts, "count": count, "first": first, "last": last}
    elsewhere = group.elsewhere or _NOWHERE
    if group.kind == "quantity":
        summary["ranges"] = _counted((_range_key(m) for m in group.members), elsewhere.ranges)
    summary["reports"] = _counted((report_key(m) for m in group.members), elsewhere.reports)
    summary["places"] = _counted((p for m in group.members for p in _places(m)), elsewhere.places)
    summary["entities"] = _counted((e for m in group.members for e in _named(m)), elsewhere.entities)
    summary["head"] = _earliest_head(group.members, elsewhere.head or None)
    return summary


#: how a claim's sums are written (``json.dumps(..., ensure_ascii=False, sort_keys=True)``), the encoder made once
#: rather than once per claim; the sums are a new tree each time, so the check for cycles is left out
_SUMS = json.JSONEncoder(ensure_ascii=False, sort_keys=True, check_circular=False)


def _group_row(group: ClaimGroup, previous: GroupRow | None, graded: Grading, now: str,
               summary: dict[str, Any] | None = None) -> GroupRow:
    """A claim as stored: status, grade and the sums of its reports (``summary``, made here when not given; the
    reports themselves point to it); ``updated_at`` moves only when it or its grade changed."""
    summary = _summary(group) if summary is None else summary
    first, last = summary["first"], summary["last"]
    undated = any(m.when is None for m in group.members)
    span = _ALWAYS if undated or first is None else (first, last)
    data = _SUMS.encode(summary)
    unchanged = previous is not None and (previous.data, previous.grade) == (data, graded.code)
    return GroupRow(group.id, group.key, group.kind, group.status, group.independent_sources,
                    previous.first_seen if previous else now, data, span[0], span[1], graded.reliability.value,
                    int(graded.credibility), previous.updated_at if previous is not None and unchanged else now)


def _grades(w: Writer, groups: Sequence[ClaimGroup], table: ReliabilityTable) -> dict[str, Grading]:
    """The grade of each group, weighed against the groups that contradict it (their sums read when they are
    not among these)."""
    inputs = {g.id: GradeInput.of_group(g) for g in groups}
    missing = {c for g in groups for c in g.contradicted_by} - set(inputs)
    for row in w.groups_by_id(sorted(missing)):
        inputs[row.id] = GradeInput.of_row(row)
    return grade_inputs(w, list(inputs.values()), table)


def _rescore(w: Writer, touched: Touched, now: str, report: LinkReport, table: ReliabilityTable) -> None:
    """Consolidate again, ids kept, the claims under each touched key that the touched days can reshape, and
    grade them again; record every status and grade that appeared or changed, and when each claim changed."""
    history: list[HistoryRow] = []
    grade_history: list[GradeHistoryRow] = []
    reaches = {key: _Reach.of(days) for key, days in touched.days.items()}
    stored = _prefetch(w, reaches, touched.pending)
    reports = {key: _read_reports(reach, touched.removed.get(key, []), stored.occurrences.get(key, []), touched.written)
               for key, reach in reaches.items()}
    taking_part: list[str] = []  # of every figure's claims, those the batch can change: read whole in one go
    for key, claims in stored.figures.items():
        wide = reports[key].wide
        assert wide is not None  # a figure's key is read this way only around some days (``_prefetch``)
        taking_part += _figures_in_reach(claims, reports[key].near, reports[key].loose, wide)
    for row in sorted(w.groups_by_id(taking_part), key=lambda row: row.id):  # by key in id order, as read
        stored.groups.setdefault(row.key, []).append(row)
    regrouped: list[tuple[str, _Window, list[ClaimGroup]]] = []
    for key in sorted(touched.days):  # keys are independent: each is grouped, then all are graded and written
        window = _read_window(key, reports[key], stored.groups.get(key, []))
        groups = group_key(key, window.loose, window.previous, window.seeds)
        settle(groups, kept=window.kept)
        regrouped.append((key, window, groups))
    grades = _grades(w, [g for _, _, groups in regrouped for g in groups], table)
    rows: list[GroupRow] = []
    summaries: dict[str, dict[str, Any]] = {}  # what the rows written keep, handed on to their facets
    gone: dict[str, list[str]] = {}
    moved: list[tuple[str, str, int, str]] = []
    for key, window, groups in regrouped:
        before = {row.id: row for row in window.rows}
        fresh: list[GroupRow] = []
        for group in groups:
            previous, graded = before.get(group.id), grades[group.id]
            if previous is None or previous.status != group.status:
                history.append(HistoryRow(group.id, key, group.status, previous.status if previous else None,
                                          group.independent_sources, now, _reason(group)))
            if previous is None or previous.grade != graded.code:
                grade_history.append(GradeHistoryRow(group.id, key, graded.code, previous.grade if previous else None,
                                                     now, f"{'reports changed' if previous else 'new'}: "
                                                          f"{_reason(group)}"))
            summary = summaries[group.id] = _summary(group)
            fresh.append(_group_row(group, previous, graded, now, summary))
        # claims that came out as they were stored are not written again (under a figure's key, every claim of it
        # takes part in each batch)
        changed = [row for row in fresh if before.get(row.id) != row]
        kept = {row.id for row in fresh} - {row.id for row in changed}
        gone[key] = [group_id for group_id in before if group_id not in kept]
        rows += changed
        moved += [(key, place[0], place[1], group.id) for group in groups for m in group.members
                  if (place := window.positions.get(member_id(m))) is not None and place[2] != group.id]
        report.claims_rescored += len(groups)
    w.replace_groups_of_keys(gone, rows, summaries)
    _write_reports(w, touched.pending, moved)
    w.add_history(history)
    w.add_grade_history(grade_history)
    report.status_changes += sum(1 for h in history if h.previous is not None)
    report.grade_changes += sum(1 for h in grade_history if h.previous is not None)


def _write_reports(w: Writer, pending: Sequence[OccurrenceRow], moved: Sequence[tuple[str, str, int, str]]) -> None:
    """The batch's reports written with the claim each joined, and the stored ones that changed claim moved."""
    rows = {(r.key, r.doc_id, r.position): r for r in pending}
    joined: dict[tuple[str, str, int], str] = {}
    elsewhere = []
    for key, doc_id, position, group_id in moved:
        if (key, doc_id, position) in rows:
            joined[(key, doc_id, position)] = group_id
        else:
            elsewhere.append((key, doc_id, position, group_id))
    w.add_occurrences(rows.values(), joined)
    w.set_groups(elsewhere)


def _write_entities(w: Writer, changes: EntityChanges) -> None:
    with w.counting_entity_days(changes.keys, changes.docs):  # keys moved to an entity, mentions added: recounted
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


def _occurrence_rows(document: Document, analysis: DocumentAnalysis, origin: str, touched: Touched
                     ) -> list[OccurrenceRow]:
    rows = []
    for i, o in enumerate(occurrences(document, analysis, origin)):
        day = o.when.isoformat() if o.when else None
        polarity = o.claim.polarity if o.claim else o.event.polarity if o.event else ""
        data = codec.dumps(o)
        rows.append(OccurrenceRow(o.key, o.doc_id, i, data, day, None, o.evidence.start, o.evidence.end,
                                  o.outlet, o.asserting, o.modality.value, polarity))
        touched.written[(o.key, o.doc_id, i)] = (data, codec.exact(o))
        touched.add(o.key, day)
    touched.pending += rows
    return rows


def _relink(w: Writer, changes: EntityChanges, batch: set[str], report: LinkReport) -> Touched:
    """Documents outside the batch that named an entity merged away: their occurrences under the surviving id.
    Returns the consolidation keys touched (the old and the new)."""
    touched = Touched()
    if not changes.retired:
        return touched
    keys = [r.key for r in changes.keys if r.entity_id in changes.retired.values()]
    docs = {d for ids in w.docs_of_keys(keys).values() for d in ids} - batch
    if not docs:
        return touched
    links = w.doc_links(docs)
    pairs = [(d, a) for d, a in w.analyses(sorted(docs)) if d.id in links]
    touched.take(w.take_occurrences([d.id for d, _ in pairs]))
    resolution = _stored_resolution(w, [a for _, a in pairs])
    for document, analysis in pairs:
        _occurrence_rows(document, resolve_analysis(analysis, resolution), links[document.id].origin, touched)
    report.relinked += len(pairs)
    return touched


def link_documents(w: Writer, doc_ids: Iterable[str] | None = None, now: str | None = None,
                   written: Sequence[tuple[Document, DocumentAnalysis]] | None = None) -> LinkReport:
    """Link the stored documents not linked yet (all of them, or those of ``doc_ids``) inside the writer's
    transaction; what a batch touches is read and written, nothing else. ``written``: documents this transaction
    has just stored, with their analyses, linked from memory instead of being read back and decoded."""
    now = now or datetime.now(UTC).isoformat()
    report = LinkReport(grade_changes=apply_source_grades(w, now))
    if w.meta(RESUM):  # an upgrade left the claims without the sums the screens read: write them, ids kept
        _rescore(w, Touched({key: {None} for key in w.occurrence_keys()}), now, report, reliability_table(w))
        w.set_meta(RESUM, "")
    if written is not None:
        pairs = list(written)
    else:
        unlinked = w.unlinked_ids(doc_ids)
        if not unlinked:
            return report
        pairs = list(w.analyses(unlinked))
    if not pairs:
        return report
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
    touched = Touched()
    links: list[DocLink] = []
    for (document, analysis), feature in zip(resolved, features, strict=True):
        origin = syndication.add(document)
        assignment = stories.add(feature)
        report.new_stories += assignment.created
        links.append(DocLink(document.id, origin.origin_id, origin.kind, assignment.story_id))
        _occurrence_rows(document, analysis, origin.origin_id, touched)  # written with their claims (``_rescore``)
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
    touched.merge(_relink(w, changes, {d.id for d, _ in pairs}, report))
    _rescore(w, touched, now, report, reliability_table(w))
    return report


def refresh_claims(w: Writer, pairs: Sequence[tuple[Document, DocumentAnalysis]], now: str | None = None
                   ) -> LinkReport:
    """Linked documents whose analysis was redone: their entities are resolved, their claims replace the old
    ones, and every claim they were or are part of is re-scored. Origins and stories stay."""
    links = w.doc_links(d.id for d, _ in pairs)
    linked = [(d, a) for d, a in pairs if d.id in links]  # the others: the next link_documents takes them in whole
    now = now or datetime.now(UTC).isoformat()
    report = LinkReport(grade_changes=apply_source_grades(w, now))
    if not linked:
        return report
    resolution, changes = _resolve(w, linked)
    touched = Touched().take(w.take_occurrences([d.id for d, _ in linked]))
    for document, analysis in linked:
        _occurrence_rows(document, resolve_analysis(analysis, resolution), links[document.id].origin, touched)
        report.linked += 1
    touched.merge(_relink(w, changes, {d.id for d, _ in linked}, report))
    _rescore(w, touched, now, report, reliability_table(w))
    return report
