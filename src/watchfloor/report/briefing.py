"""The grounded briefing: every sentence is built from stored claims and cites the reports they rest on.

A sentence is a :class:`Statement` made of :class:`Part` s, one per consolidated claim or event: who says it
(the named sources of its reports, or the outlet when it speaks for itself), how (the verb of the quoted
report's stance: says, suggests, expects, alleges, denies, neither confirms nor denies), what (the words of
that report, quoted exactly), the numbered documents it rests on, and the Admiralty grade and status the store
keeps with it. A dispute is one sentence of several parts, the claim and those that contradict it: "Ukraine's
military intelligence says: “…” [2] (F3, contested); North Korea denies: “…” [3] (F5, contested)."

Sections: what changed since the last briefing (claims whose status or grade changed, with the stored history,
new claims, new stories); disputed claims; corroborated claims; figures and who gives them; a dated timeline;
then reference tables (stories, main actors, the reports not analysed for their language) and the
numbered sources. The briefing is read from the export of
one snapshot (:mod:`.export_json`) and the status and grade histories; rendering is :mod:`.briefing_render`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from ..ingest.language import ENGLISH
from ..model import Precision, TimeValue
from ..store import Reader, Store
from .export_json import export_from
from .tracker import format_figure

__all__ = ["LAST_BRIEF", "ActorLine", "Briefing", "Part", "Source", "Statement", "StoryLine", "briefing_from",
           "build_briefing", "format_when", "stance_of"]

#: meta key: when the last briefing read the store (``brief --since last``, the default)
LAST_BRIEF = "last_brief_at"
_ACTOR_TYPES = {"person", "organization", "country"}
_TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade"}
#: the verb of each stance, for one speaker and for several
VERBS = {
    "asserted": ("says", "say"), "hedged": ("suggests", "suggest"), "planned": ("expects", "expect"),
    "alleged": ("alleges", "allege"), "denied": ("denies", "deny"), "negated": ("says", "say"),
    "uncommitted": ("neither confirms nor denies", "neither confirm nor deny"),
}
_MOST_NAMES = 3
_FEWEST_WORDS = 4


@dataclass(frozen=True)
class Source:
    number: int
    doc_id: str
    title: str
    outlet: str
    published: str
    url: str | None
    language: str = ENGLISH


@dataclass(frozen=True)
class Part:
    """One stored claim or event as a clause: ``{who} {verb}: “{quote}” [cites] (grade, status)``."""

    claim_id: str
    who: str
    verb: str
    quote: str
    cites: tuple[int, ...]
    grade: str
    status: str


@dataclass(frozen=True)
class Statement:
    """One sentence of the briefing: its parts (a dispute has several), an optional bold label before it (a date,
    a figure) and an optional note from the stored history (e.g. "now contested, was corroborated")."""

    parts: tuple[Part, ...]
    label: str = ""
    note: str = ""

    @property
    def claim_ids(self) -> tuple[str, ...]:
        return tuple(p.claim_id for p in self.parts)


@dataclass(frozen=True)
class ActorLine:
    name: str
    type: str
    documents: int
    mentions: int
    cites: tuple[int, ...]


@dataclass(frozen=True)
class StoryLine:
    title: str
    first: str
    last: str
    documents: int
    outlets: int
    cites: tuple[int, ...]


@dataclass
class Briefing:
    generated: str
    documents: int
    outlets: int
    first: str
    last: str
    since: str | None = None  # None: the first briefing of this store
    status_changes: list[Statement] = field(default_factory=list)
    grade_changes: list[Statement] = field(default_factory=list)
    new_claims: list[Statement] = field(default_factory=list)
    new_stories: list[StoryLine] = field(default_factory=list)
    disputed: list[Statement] = field(default_factory=list)
    corroborated: list[Statement] = field(default_factory=list)
    figures: list[Statement] = field(default_factory=list)
    timeline: list[Statement] = field(default_factory=list)
    stories: list[StoryLine] = field(default_factory=list)
    actors: list[ActorLine] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    @property
    def not_analysed(self) -> list[Source]:
        """The sources in a language the analysis does not read: stored and searchable, but no claims."""
        return [s for s in self.sources if s.language != ENGLISH]

    def statements(self) -> Iterable[Statement]:
        for section in (self.status_changes, self.grade_changes, self.new_claims, self.disputed, self.corroborated,
                        self.figures, self.timeline):
            yield from section


def format_when(value: TimeValue) -> str:
    if value.precision is Precision.DAY:
        return value.start.strftime("%d %b %Y")
    if value.precision is Precision.MONTH:
        return value.start.strftime("%b %Y")
    if value.precision is Precision.YEAR:
        return str(value.start.year)
    return f"{value.start:%d %b} – {value.end:%d %b %Y}"


def _when(item: dict[str, Any]) -> TimeValue | None:
    found = item["date"]
    if not found:
        return None
    return TimeValue(date.fromisoformat(found["start"]), date.fromisoformat(found["end"]), Precision(found["precision"]),
                     found["text"])


def stance_of(report: dict[str, Any]) -> str:
    """The stance of one report of a claim or event: its modality, or "uncommitted" when it takes no side."""
    said = report.get("claim") or report["event"]
    return "uncommitted" if said["polarity"] == "uncommitted" else str(said["modality"])


def speaker(report: dict[str, Any]) -> str:
    """Who one report says it: the named source it counts as, or its outlet speaking for itself."""
    chain = report["attributed_to"]
    if chain and not report["independent_source"].startswith("origin:"):
        return str(chain[-1]["name"])
    return str(report["outlet"])


def quote_of(report: dict[str, Any]) -> str:
    """The words of one report the briefing quotes: the claim as it gives it, or the whole sentence for an event
    or a claim of a few words ("denied them" says nothing without its sentence)."""
    claim = report.get("claim")
    if claim and len(claim["text"].split()) >= _FEWEST_WORDS:
        return str(claim["text"])
    return str(report["text"])


class _Builder:
    def __init__(self, export: dict[str, Any]) -> None:
        self.export = export
        self.numbers = {d["id"]: i + 1 for i, d in enumerate(export["documents"])}
        self.items = {i["id"]: i for i in (*export["claims"], *export["events"])}

    def part(self, item: dict[str, Any]) -> Part:
        first = item["evidence"][0]
        names = list(dict.fromkeys(speaker(r) for r in item["evidence"]))
        shown = names[:_MOST_NAMES]
        who = (", ".join(shown[:-1]) + " and " + shown[-1]) if len(shown) > 1 else shown[0]
        if len(names) > _MOST_NAMES:
            who = f"{', '.join(shown)} and {len(names) - _MOST_NAMES} more"
        verb = VERBS[stance_of(first)][0 if len(names) == 1 else 1]
        cites = tuple(sorted({self.numbers[r["doc_id"]] for r in item["evidence"]}))
        return Part(item["id"], who, verb, quote_of(first), cites, item["grade"]["code"], item["status"])

    def dispute(self, item: dict[str, Any], **extra: str) -> Statement:
        """A claim with those that contradict it (affirming sides first), as one sentence."""
        side = [item] + [self.items[c] for c in item["contradicted_by"] if c in self.items]
        side.sort(key=lambda i: (i["polarity"] != "positive" or i["modality"] in {"denied", "negated"},
                                 i is not item))
        return Statement(tuple(self.part(i) for i in side[:6]), **extra)

    def disputed(self) -> list[Statement]:
        """One sentence per group of claims that contradict one another (each group once)."""
        seen: set[str] = set()
        out = []
        for item in sorted(self.items.values(), key=lambda i: (-i["independent_sources"], i["id"])):
            if item["status"] != "contested" or item["id"] in seen:
                continue
            statement = self.dispute(item)
            seen.update(statement.claim_ids)
            out.append(statement)
        return out[:30]

    def corroborated(self) -> list[Statement]:
        found = [i for i in self.export["claims"] + self.export["events"]
                 if i["status"] == "corroborated" and i.get("kind") != "quantity"]
        found.sort(key=lambda i: (-i["independent_sources"], i["id"]))
        quoted: set[str] = set()
        out = []
        for item in found:
            part = self.part(item)
            if part.quote not in quoted:  # the same words reported under two keys: once
                quoted.add(part.quote)
                out.append(Statement((part,)))
        return out[:40]

    def figures(self) -> list[Statement]:
        rows = []
        for claim in self.export["claims"]:
            quantity, subject = claim["quantity"], claim["subject"]
            if claim["kind"] != "quantity" or not quantity or not subject or quantity["unit"] in _TIME_UNITS:
                continue
            figure = format_figure(quantity["value"], quantity.get("low"), quantity.get("high"),
                                   quantity["approximate"])
            when = _when(claim)
            label = f"{subject['name']}, {quantity['unit']}: {figure}" + (f" ({format_when(when)})" if when else "")
            rows.append(((subject["name"], quantity["unit"], when.start if when else date.max), Statement(
                (self.part(claim),), label=label)))
        return [s for _, s in sorted(rows, key=lambda r: r[0])]

    def timeline(self, most: int) -> list[Statement]:
        rows = []
        for item in self.export["claims"] + self.export["events"]:
            when = _when(item)
            if when is None or item.get("kind") == "quantity":
                continue
            rows.append(((when.start, item["id"]), Statement((self.part(item),), label=format_when(when))))
        return [s for _, s in sorted(rows, key=lambda r: r[0])][:most]


def _sources(export: dict[str, Any]) -> list[Source]:
    return [Source(i + 1, d["id"], d["title"], d["outlet"], (d["published"] or "undated")[:10], d["url"],
                   d["language"]) for i, d in enumerate(export["documents"])]


def _actors(export: dict[str, Any], numbers: dict[str, int]) -> list[ActorLine]:
    lines = []
    for entity in export["entities"]:
        if entity["type"] not in _ACTOR_TYPES or not entity["mentions"]:
            continue
        cites = tuple(sorted({numbers[m["doc_id"]] for m in entity["mentions"]}))
        lines.append(ActorLine(entity["name"], entity["type"], len(cites), len(entity["mentions"]), cites))
    return sorted(lines, key=lambda a: (-a.documents, -a.mentions, a.name))[:15]


def _stories(export: dict[str, Any], numbers: dict[str, int], only: set[str] | None = None) -> list[StoryLine]:
    outlets = {d["id"]: d["outlet"] for d in export["documents"]}
    lines = [StoryLine(s["title"], (s["first_published"] or "")[:10], (s["last_published"] or "")[:10],
                       len(s["doc_ids"]), len({outlets[d] for d in s["doc_ids"]}),
                       tuple(sorted(numbers[d] for d in s["doc_ids"])))
             for s in export["stories"] if only is None or s["id"] in only]
    return sorted(lines, key=lambda s: (-s.documents, s.first))


def _changes(reader: Reader, builder: _Builder, briefing: Briefing, since: str) -> None:
    """What the stored histories say changed after ``since``: statuses, grades, new claims and stories."""
    items = builder.items
    listed: set[str] = set()
    for change in reader.history(since):
        if change.previous is None or change.group_id not in items or change.group_id in listed:
            continue
        listed.add(change.group_id)
        note = f"now {change.status.replace('_', ' ')}, was {change.previous.replace('_', ' ')} ({change.reason})"
        briefing.status_changes.append(builder.dispute(items[change.group_id], note=note))
    last: dict[str, tuple[str, str, str]] = {}
    for row in reader.grade_history(since):
        if row.previous is not None and row.group_id in items and row.group_id not in listed:
            first = last.get(row.group_id, (row.previous, "", ""))[0]
            last[row.group_id] = (first, row.grade, row.reason)
    for group_id, (before, after, reason) in sorted(last.items()):
        if before != after:
            briefing.grade_changes.append(Statement((builder.part(items[group_id]),),
                                                    note=f"graded {after}, was {before} ({reason})"))
    fresh = [g for g in reader.groups() if g.first_seen > since and g.id in items and g.id not in listed]
    fresh.sort(key=lambda g: (-g.independent_sources, g.id))
    briefing.new_claims = [Statement((builder.part(items[g.id]),)) for g in fresh[:40]]
    created = {s.story_id for s in reader.stories_view() if s.created_at > since}
    briefing.new_stories = _stories(builder.export, builder.numbers, created)


def briefing_from(reader: Reader, max_timeline: int = 80, since: str | None = None) -> Briefing:
    """The briefing of one snapshot; ``since``: an ISO time for "what changed" (None: the first briefing)."""
    export = export_from(reader)
    builder = _Builder(export)
    published = sorted(d["published"] for d in export["documents"] if d["published"])
    briefing = Briefing(
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), documents=len(export["documents"]),
        outlets=len({d["outlet"] for d in export["documents"]}),
        first=published[0][:10] if published else "—", last=published[-1][:10] if published else "—",
        since=since, sources=_sources(export))
    if since is not None:
        _changes(reader, builder, briefing, since)
    briefing.disputed = builder.disputed()
    briefing.corroborated = builder.corroborated()
    briefing.figures = builder.figures()
    briefing.timeline = builder.timeline(max_timeline)
    briefing.stories = _stories(export, builder.numbers)
    briefing.actors = _actors(export, builder.numbers)
    return briefing


def build_briefing(store: Store, max_timeline: int = 80, since: str | None = None) -> Briefing:
    """The briefing of what one snapshot of the store holds; ``since``: an ISO time for "what changed"."""
    with store.read() as reader:
        return briefing_from(reader, max_timeline, since)
