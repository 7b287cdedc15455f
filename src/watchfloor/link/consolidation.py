"""Claim consolidation: occurrences of the same claim across documents become one claim with a status.

What counts as "the same claim":
- events: the same PLOVER type and the same source and target entities, at compatible dates and places
  (two placed reports more than 161 km apart are two events);
- figures: the same quantity (unit) of the same subject with compatible values;
- statements: the same speaker, predicate and subject (a statement repeated by several outlets).

Occurrences are grouped by stance: positive, negative (a denial or negation), or uncommitted (a source that
declines to confirm); an uncommitted report neither corroborates nor contests anything.

Status, from the occurrences' asserting sources (the innermost source of each attribution chain, or the
document's origin when the outlet speaks for itself, so that syndicated copies count once):
- ``contested`` when a party denies it, or when a competing figure for the same subject and unit was given
  within a few days; both sides are kept and point at each other;
- ``corroborated`` when at least two independent sources assert it;
- ``single_source`` otherwise.

Ids are kept: re-consolidating a key after new reports arrive gives each group the id of the earlier group
that most of its members came from, so a claim keeps its id when unrelated reports arrive and when a
back-dated report joins it. A group with no earlier group is named after its key, stance and first member.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..analyze.geo.gazetteer import distance_km
from ..model import Claim, Document, DocumentAnalysis, EntityRef, Event, Modality, Span, TimeValue

__all__ = ["ClaimGroup", "Elsewhere", "Occurrence", "consolidate", "group_key", "member_id", "occurrences", "settle"]

DATE_SLACK = timedelta(days=14)
COMPETING_WINDOW = timedelta(days=3)
#: the distance the geocoding benchmarks accept as the same place (accuracy@161 km)
SAME_PLACE_KM = 161.0
_NEGATIVE = {Modality.DENIED, Modality.NEGATED}


def _stance(modality: Modality, polarity: str) -> str:
    if polarity == "uncommitted":
        return "uncommitted"
    return "negative" if modality in _NEGATIVE or polarity == "negative" else "positive"


@dataclass(frozen=True)
class Occurrence:
    """One claim or event as one document reports it."""

    key: str
    kind: str  # event | quantity | statement
    doc_id: str
    outlet: str
    origin: str
    asserting: str  # who stands behind it: innermost attributed source, or the origin for the outlet's own voice
    stance: str  # positive | negative | uncommitted
    when: date | None
    text: str
    evidence: Span
    modality: Modality
    attributed_to: tuple[EntityRef, ...]
    claim: Claim | None = None
    event: Event | None = None
    seq: int = 0  # its place among the document's occurrences: two alike in one sentence stay two


@dataclass
class Elsewhere:
    """What a claim's reports outside the window a re-consolidation looks at contribute to it."""

    asserting: dict[str, int] = field(default_factory=dict)  # independent source -> reports
    outlets: dict[str, int] = field(default_factory=dict)
    first: date | None = None  # the days those reports are about
    last: date | None = None
    count: int = 0
    ranges: dict[str, int] = field(default_factory=dict)  # of figures: "low:high" -> reports
    reports: dict[str, int] = field(default_factory=dict)  # what grading needs of each (``regrade.report_key``)
    places: dict[str, int] = field(default_factory=dict)  # "name\x1flat\x1flon" -> reports giving it
    entities: dict[str, int] = field(default_factory=dict)  # "role\x1fentity id" -> reports naming it so
    head: dict[str, Any] | None = None  # the earliest of them, as the claim's summary shows it


@dataclass
class ClaimGroup:
    id: str
    key: str
    kind: str
    stance: str
    members: list[Occurrence] = field(default_factory=list)
    status: str = "single_source"
    contradicted_by: list[str] = field(default_factory=list)
    #: when only some of its reports are loaded (re-consolidating a window), what the others contribute
    elsewhere: Elsewhere | None = None

    @property
    def independent_sources(self) -> int:
        return len(self.asserting)

    @property
    def asserting(self) -> dict[str, int]:
        counts = dict(self.elsewhere.asserting) if self.elsewhere else {}
        for m in self.members:
            counts[m.asserting] = counts.get(m.asserting, 0) + 1
        return counts

    @property
    def outlet_counts(self) -> dict[str, int]:
        counts = dict(self.elsewhere.outlets) if self.elsewhere else {}
        for m in self.members:
            counts[m.outlet] = counts.get(m.outlet, 0) + 1
        return counts

    @property
    def outlets(self) -> list[str]:
        return sorted(self.outlet_counts)

    def far_ranges(self) -> list[tuple[float, float]]:
        """The figures of its reports outside the loaded window, as (low, high)."""
        if self.elsewhere is None:
            return []
        return [(float(r.split(":")[0]), float(r.split(":")[1])) for r in self.elsewhere.ranges]

    def value_ranges(self) -> list[tuple[float, float]]:
        return [_range(m) for m in self.members] + self.far_ranges()

    @property
    def first(self) -> Occurrence:
        return self.members[0]


def _sources_key(event: Event) -> str:
    return "+".join(sorted(a.entity.key for a in event.actors if a.role == "source"))


def _targets(event: Event) -> set[str]:
    return {a.entity.key for a in event.actors if a.role == "target"}


def _quantity_bucket(claim: Claim) -> str:
    q = claim.quantity
    assert q is not None
    bucket = f"{claim.subject.key if claim.subject else '-'}|{q.unit}"
    return f"{bucket}|{q.casualty}" if q.casualty else bucket  # a death toll does not contest a strength


def _asserting(attributed: tuple[EntityRef, ...], origin: str) -> str:
    inner = attributed[-1] if attributed else None
    if inner is None or inner.type == "outlet":
        return f"origin:{origin}"
    return inner.key


def _date(value: TimeValue | None, document: Document) -> date | None:
    if value is not None:
        return value.start
    return document.published.date() if document.published else None


def occurrences(document: Document, analysis: DocumentAnalysis, origin: str) -> list[Occurrence]:
    """The consolidation keys of everything one document claims."""
    found: list[Occurrence] = []
    for event in analysis.events:
        if not any(a.role == "source" for a in event.actors):
            continue
        found.append(Occurrence(
            key=f"event|{event.type}|{_sources_key(event)}", kind="event", doc_id=document.id, outlet=document.outlet,
            origin=origin, asserting=_asserting(event.attributed_to, origin),
            stance=_stance(event.modality, event.polarity),
            when=_date(event.date, document), text=event.evidence.text, evidence=event.evidence,
            modality=event.modality, attributed_to=event.attributed_to, event=event, seq=len(found)))
    for claim in analysis.claims:
        if claim.kind == "quantity" and claim.quantity is not None:
            key = f"quantity|{_quantity_bucket(claim)}"
        elif claim.kind == "statement":
            speaker = claim.attributed_to[-1].key if claim.attributed_to else "-"
            subject = claim.subject.key if claim.subject else "-"
            key = f"statement|{speaker}|{subject}|{claim.trigger.text.lower()}"
        else:
            continue
        found.append(Occurrence(
            key=key, kind=claim.kind, doc_id=document.id, outlet=document.outlet, origin=origin,
            asserting=_asserting(claim.attributed_to, origin),
            stance=_stance(claim.modality, claim.polarity),
            when=_date(claim.date, document), text=claim.text, evidence=claim.evidence, modality=claim.modality,
            attributed_to=claim.attributed_to, claim=claim, seq=len(found)))
    return found


def _compatible(a: Occurrence, b: Occurrence) -> bool:
    if a.kind == "quantity":
        qa, qb = a.claim.quantity, b.claim.quantity  # type: ignore[union-attr]
        assert qa is not None and qb is not None
        low_a, high_a = qa.low or 0.0, qa.high or 0.0
        low_b, high_b = qb.low or 0.0, qb.high or 0.0
        return low_a <= high_b and low_b <= high_a
    if a.kind == "event":
        ta, tb = _targets(a.event), _targets(b.event)  # type: ignore[arg-type]
        if ta and tb and not ta & tb:
            return False  # "sent troops to Russia" and "sent troops to Syria" are different events
        if not _same_place(a.event, b.event):  # type: ignore[arg-type]
            return False  # talks in Moscow and talks in Brussels are two meetings
        if all(k.startswith("agent:") for k in a.key.split("|")[2].split("+")) and not (ta & tb or _placed_together(a.event, b.event)):
            return False  # "police arrested ..." twice is one event only with the same target or place
    if a.when is None or b.when is None:
        return True
    return abs(a.when - b.when) <= DATE_SLACK


def _range(member: Occurrence) -> tuple[float, float]:
    q = member.claim.quantity if member.claim is not None else None
    return (q.low or 0.0, q.high or 0.0) if q is not None else (0.0, 0.0)


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _distance(a: Event | None, b: Event | None) -> float | None:
    """Kilometres between two events' places; None unless both are located."""
    pa, pb = a.place if a else None, b.place if b else None
    if pa is None or pb is None or pa.lat is None or pb.lat is None or pa.lon is None or pb.lon is None:
        return None
    return distance_km(pa.lat, pa.lon, pb.lat, pb.lon)


def _same_place(a: Event, b: Event) -> bool:
    """True unless both events are placed, at points further apart than a town and its surroundings."""
    km = _distance(a, b)
    return km is None or km <= SAME_PLACE_KM


def _placed_together(a: Event | None, b: Event | None) -> bool:
    km = _distance(a, b)
    return km is not None and km <= SAME_PLACE_KM


#: what identifies one occurrence across re-consolidations
MemberId = tuple[str, int, int, str, int, int]


def member_id(occurrence: Occurrence) -> MemberId:
    """The document, the sentence and what in it is claimed (a figure's own span: one sentence may give two
    figures of one thing, "about 12,000 ..., at least 3,000 of them ...")."""
    if occurrence.claim is not None:
        q = occurrence.claim.quantity
        anchor = q.span.start if q is not None else occurrence.claim.trigger.start
    else:
        anchor = occurrence.event.trigger.start if occurrence.event is not None else -1
    return (occurrence.doc_id, occurrence.evidence.start, occurrence.evidence.end, occurrence.text, anchor,
            occurrence.seq)


def _new_id(key: str, stance: str, first: Occurrence) -> str:
    digest = hashlib.sha1(f"{key}|{stance}|{first.doc_id}|{first.evidence.start}".encode()).hexdigest()
    return "c" + digest[:12]


def _assign_ids(key: str, groups: list[ClaimGroup], previous: dict[MemberId, str]) -> None:
    """Each group takes the earlier id most of its members had (each id once); the others get new ones."""
    votes = []
    for index, group in enumerate(groups):
        counts: dict[str, int] = defaultdict(int)
        for member in group.members:
            if (old := previous.get(member_id(member))) is not None:
                counts[old] += 1
        votes += [(-n, old, index) for old, n in counts.items()]
    taken: set[str] = {g.id for g in groups if g.id}  # seeds keep theirs
    for _, old, index in sorted(votes):
        if not groups[index].id and old not in taken:
            groups[index].id = old
            taken.add(old)
    for group in groups:
        if group.id:
            continue
        fresh = [m for m in group.members if member_id(m) not in previous] or group.members
        candidate = _new_id(key, group.stance, min(fresh, key=member_id))
        while candidate in taken:
            candidate = _new_id(candidate, group.stance, group.members[0])
        group.id = candidate
        taken.add(candidate)


@dataclass
class _Span:
    """The days a group's dated reports are about, and whether it has an undated one."""

    first: date | None = None
    last: date | None = None
    undated: bool = False

    def add(self, when: date | None) -> None:
        if when is None:
            self.undated = True
            return
        self.first = when if self.first is None else min(self.first, when)
        self.last = when if self.last is None else max(self.last, when)


def _fits(member: Occurrence, group: ClaimGroup, span: _Span) -> bool:
    """A figure must agree with every figure of its group; an event or a statement is one ongoing thing as
    long as each report of it is close in time to some other report of it."""
    if group.stance != member.stance:
        return False
    if member.kind == "quantity":  # every figure of it, loaded or not, must agree
        mine = _range(member)
        return all(_compatible(member, o) for o in group.members) and all(
            _overlap(mine, r) for r in group.far_ranges())
    when = member.when
    if when is not None and span.first is not None and span.last is not None and not span.undated:
        if when - span.last > DATE_SLACK or span.first - when > DATE_SLACK:
            return False  # no report of it is close enough in time
    if member.kind == "event" and not all(_same_place(member.event, o.event)  # type: ignore[arg-type]
                                          for o in group.members):
        return False
    return any(_compatible(member, o) for o in reversed(group.members))  # the latest reports are the likeliest


def _order(member: Occurrence) -> tuple[date, str, int]:
    return member.when or date.max, member.doc_id, member.evidence.start


def _earliest(group: ClaimGroup) -> tuple[date, str]:
    days = [m.when for m in group.members if m.when is not None]
    if group.elsewhere is not None and group.elsewhere.first is not None:
        days.append(group.elsewhere.first)
    return (min(days) if days else date.max), group.id


def _split(key: str, members: list[Occurrence], previous: dict[MemberId, str],
           seeds: Sequence[ClaimGroup] = ()) -> list[ClaimGroup]:
    """Occurrences under one key, split into groups of compatible ones (same polarity, dates, values).

    Members are taken in date order and each joins the first group it fits, or starts one. ``seeds`` are
    claims with reports outside the window being re-consolidated: they come first, in the order of their
    earliest reports, with their loaded reports (``members``) and what the others add up to; a member may
    join them as it may join any claim."""
    groups: list[ClaimGroup] = []
    spans: list[_Span] = []
    for seed in sorted(seeds, key=_earliest):
        seed.members.sort(key=_order)
        span = _Span()
        for member in seed.members:
            span.add(member.when)
        if seed.elsewhere is not None:
            for day in (seed.elsewhere.first, seed.elsewhere.last):
                if day is not None:
                    span.add(day)
        groups.append(seed)
        spans.append(span)
    for member in sorted(members, key=_order):
        index = next((i for i, g in enumerate(groups) if _fits(member, g, spans[i])), -1)
        if index < 0:
            groups.append(ClaimGroup(id="", key=key, kind=member.kind, stance=member.stance))
            spans.append(_Span())
            index = len(groups) - 1
        groups[index].members.append(member)
        spans[index].add(member.when)
    for group in groups:
        group.members.sort(key=_order)
    _assign_ids(key, groups, previous)
    return groups


def _competing(a: ClaimGroup, b: ClaimGroup) -> bool:
    """Two different figures for the same subject and unit, both stated as fact (not plans or guesses),
    given within a few days by different sources."""
    if a.key.split("|")[1] == "-":
        return False  # counts of unknown owners are not figures of one thing
    for x in a.members:
        for y in b.members:
            if x.modality is Modality.ASSERTED and y.modality is Modality.ASSERTED and x.asserting != y.asserting \
                    and x.when and y.when and abs(x.when - y.when) <= COMPETING_WINDOW:
                return True
    return False


def _opposes(a: ClaimGroup, b: ClaimGroup) -> bool:
    """A denial (or negation) by someone other than those asserting, of something compatible."""
    if a.stance == b.stance or "uncommitted" in (a.stance, b.stance):
        return False
    if not set(a.asserting) - set(b.asserting):
        return False  # a party hedging or contradicting itself does not contest its own claim
    if a.kind == "quantity":  # figures agree or not whenever they were given
        return any(_overlap(x, y) for x in a.value_ranges() for y in b.value_ranges())
    return any(_compatible(x, y) for x in a.members for y in b.members)


def _against(group: ClaimGroup, other: ClaimGroup) -> bool:
    """Whether ``other`` contests ``group``: it denies it, or it is a competing figure."""
    if _opposes(other, group):
        return True
    return group.kind == "quantity" and other.stance == group.stance and _competing(other, group)


def _status(group: ClaimGroup) -> str:
    if group.contradicted_by:
        return "contested"
    if group.independent_sources >= 2 and group.stance == "positive":
        return "corroborated"
    return "single_source"


def settle(groups: list[ClaimGroup], kept: dict[str, set[str]] | None = None) -> None:
    """Status of groups just made, against each other; ``kept``: contradictions a claim has through reports
    outside the window it was re-consolidated over (they stand)."""
    for group in groups:
        against = {g.id for g in groups if g is not group and _against(group, g)}
        group.contradicted_by = sorted(against | (kept.get(group.id, set()) if kept else set()))
        group.status = _status(group)


def group_key(key: str, members: list[Occurrence], previous: dict[MemberId, str] | None = None,
              seeds: Sequence[ClaimGroup] = ()) -> list[ClaimGroup]:
    """The occurrences under one key, split into claims with ids (kept from ``previous``), before status;
    ``seeds``: claims with reports outside the window, which keep their ids and may take new members."""
    return _split(key, members, previous or {}, seeds)


def consolidate(all_occurrences: Iterable[Occurrence],
                previous: dict[MemberId, str] | None = None) -> list[ClaimGroup]:
    """Group occurrences into claims and give each its status; ``previous`` maps the members of groups made
    before (see :func:`member_id`) to their group ids, which the new groups keep."""
    by_key: dict[str, list[Occurrence]] = defaultdict(list)
    for occurrence in all_occurrences:
        by_key[occurrence.key].append(occurrence)
    result: list[ClaimGroup] = []
    for key, members in by_key.items():
        groups = group_key(key, members, previous)
        settle(groups)
        result.extend(groups)
    return result
