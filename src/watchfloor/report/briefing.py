"""The briefing: main actors, a dated timeline, the figures with their sources; every item cites documents."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from ..link.consolidation import ClaimGroup
from ..link.update import load_groups
from ..model import Claim, Document, DocumentAnalysis, Modality, Precision, TimeValue
from ..store import Reader, Store
from .entities import EntityLookup
from .tracker import estimates_from

__all__ = ["Briefing", "briefing_from", "build_briefing", "render_html", "render_markdown", "write_briefing"]

_ACTOR_TYPES = {"person", "organization", "country"}
#: meta key: when the last briefing read the store (``brief --since last``)
LAST_BRIEF = "last_brief_at"


@dataclass(frozen=True)
class Source:
    number: int
    doc_id: str
    title: str
    outlet: str
    published: str
    url: str | None


@dataclass(frozen=True)
class ActorLine:
    name: str
    type: str
    documents: int
    mentions: int
    cites: tuple[int, ...]


@dataclass(frozen=True)
class TimelineItem:
    when: str
    sort_key: date
    text: str
    according_to: str
    stances: tuple[str, ...]  # the sentence's claims that are not plain assertions: hedged, denied, takes no side ...
    cites: tuple[int, ...]


@dataclass(frozen=True)
class FigureLine:
    subject: str
    figure: str
    unit: str
    according_to: str
    when: str
    modality: str
    sentence: str
    cites: tuple[int, ...]


@dataclass(frozen=True)
class StoryLine:
    title: str
    first: str
    last: str
    documents: int
    outlets: int
    cites: tuple[int, ...]


@dataclass(frozen=True)
class StatusLine:
    status: str
    kind: str
    text: str
    according_to: str
    independent_sources: int
    outlets: int
    cites: tuple[int, ...]

    @property
    def counts(self) -> str:
        sources = "source" if self.independent_sources == 1 else "sources"
        outlets = "outlet" if self.outlets == 1 else "outlets"
        return f"{self.independent_sources} independent {sources}, {self.outlets} {outlets}"


@dataclass
class Briefing:
    generated: str
    documents: int
    outlets: int
    first: str
    last: str
    actors: list[ActorLine] = field(default_factory=list)
    timeline: list[TimelineItem] = field(default_factory=list)
    figures: list[FigureLine] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    stories: list[StoryLine] = field(default_factory=list)
    checked: list[StatusLine] = field(default_factory=list)
    since: str | None = None
    new_stories: list[StoryLine] = field(default_factory=list)
    new_claims: list[StatusLine] = field(default_factory=list)
    status_changes: list[str] = field(default_factory=list)


def format_when(value: TimeValue) -> str:
    if value.precision is Precision.DAY:
        return value.start.strftime("%d %b %Y")
    if value.precision is Precision.MONTH:
        return value.start.strftime("%b %Y")
    if value.precision is Precision.YEAR:
        return str(value.start.year)
    return f"{value.start:%d %b} – {value.end:%d %b %Y}"


def _who(claim: Claim) -> str:
    return " ← ".join(e.name for e in reversed(claim.attributed_to))


def build_briefing(store: Store, max_timeline: int = 80, since: str | None = None) -> Briefing:
    """The briefing of what one snapshot of the store holds; ``since``: an ISO time for "what changed"."""
    with store.read() as reader:
        return briefing_from(reader, max_timeline, since)


def briefing_from(reader: Reader, max_timeline: int = 80, since: str | None = None) -> Briefing:
    pairs: list[tuple[Document, DocumentAnalysis]] = list(reader.analyses())
    numbers: dict[str, int] = {}
    sources: list[Source] = []
    for document, _ in pairs:
        numbers[document.id] = len(sources) + 1
        sources.append(Source(len(sources) + 1, document.id, document.title, document.outlet,
                              document.published.strftime("%Y-%m-%d") if document.published else "undated",
                              document.url))
    dates = sorted(d.published for d, _ in pairs if d.published)
    briefing = Briefing(
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        documents=len(pairs),
        outlets=len({d.outlet for d, _ in pairs}),
        first=dates[0].strftime("%Y-%m-%d") if dates else "—",
        last=dates[-1].strftime("%Y-%m-%d") if dates else "—",
        sources=sources,
    )
    doc_sets: dict[str, set[int]] = defaultdict(set)
    mention_counts: Counter[str] = Counter()
    names: dict[str, tuple[str, str]] = {}
    resolution = EntityLookup.read(reader)
    for document, analysis in pairs:
        for mention in analysis.mentions:
            entity = resolution.ref(mention.entity)
            if entity.type in _ACTOR_TYPES:
                doc_sets[entity.key].add(numbers[document.id])
                mention_counts[entity.key] += 1
                names[entity.key] = (entity.name, entity.type)
    ranked = sorted(doc_sets, key=lambda k: (-len(doc_sets[k]), -mention_counts[k], names[k][0]))[:15]
    briefing.actors = [ActorLine(names[k][0], names[k][1], len(doc_sets[k]), mention_counts[k],
                                 tuple(sorted(doc_sets[k]))) for k in ranked]
    timeline: dict[str, TimelineItem] = {}
    figures: list[FigureLine] = []
    for document, analysis in pairs:
        cite = numbers[document.id]
        for claim in analysis.claims:
            if claim.kind == "quantity":
                continue
            when_value = claim.date
            if when_value is None:
                continue
            key = claim.evidence.text
            # a source that takes no side is marked so, not as a plain assertion of what it would not confirm
            stance = "takes no side" if claim.polarity == "uncommitted" else claim.modality.value
            marked = () if stance == Modality.ASSERTED.value else (stance,)
            if key in timeline:
                item = timeline[key]
                stances = item.stances + tuple(m for m in marked if m not in item.stances)
                timeline[key] = TimelineItem(item.when, item.sort_key, item.text, item.according_to, stances,
                                             tuple(sorted(set(item.cites) | {cite})))
                continue
            timeline[key] = TimelineItem(format_when(when_value), when_value.start, claim.evidence.text, _who(claim),
                                         marked, (cite,))
    briefing.timeline = sorted(timeline.values(), key=lambda i: (i.sort_key, i.text))[:max_timeline]
    for estimate in estimates_from(reader):
        if estimate.subject == "—" or estimate.unit in _TIME_UNITS:
            continue
        when = estimate.when.strftime("%d %b %Y") if estimate.when else "undated"
        figures.append(FigureLine(estimate.subject, estimate.figure, estimate.unit, estimate.according_to, when,
                                  f"{estimate.modality}, {estimate.status.replace('_', ' ')}", estimate.sentence,
                                  (numbers[estimate.doc_id],)))
    briefing.figures = figures
    _add_picture(reader, briefing, numbers, {d.id: d.outlet for d, _ in pairs}, since)
    return briefing


_TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade"}


def _status_line(group: ClaimGroup, numbers: dict[str, int]) -> StatusLine:
    first = group.first
    chain = first.attributed_to
    who = " ← ".join(e.name for e in reversed(chain)) if chain else first.outlet
    text = first.evidence.text if group.kind != "statement" else f"{first.text}"
    cites = tuple(sorted({numbers[m.doc_id] for m in group.members if m.doc_id in numbers}))
    return StatusLine(group.status, group.kind, text, who, group.independent_sources, len(group.outlets), cites)


def _story_lines(reader: Reader, numbers: dict[str, int], outlets: dict[str, str],
                 created_after: str | None = None) -> list[StoryLine]:
    members: dict[str, list[str]] = {}
    for doc_id, link in reader.doc_links().items():
        if link.story_id:
            members.setdefault(link.story_id, []).append(doc_id)
    lines = []
    for story in reader.stories_view():
        if created_after and story.created_at <= created_after:
            continue
        docs = members.get(story.story_id, [])
        if not docs:
            continue
        lines.append(StoryLine(story.title, (story.first_published or "")[:10], (story.last_published or "")[:10],
                               len(docs), len({outlets[d] for d in docs if d in outlets}),
                               tuple(sorted(numbers[d] for d in docs if d in numbers))))
    return sorted(lines, key=lambda s: (-s.documents, s.first))


def _add_picture(reader: Reader, briefing: Briefing, numbers: dict[str, int], outlets: dict[str, str],
                 since: str | None) -> None:
    """Stories, what is corroborated or contested, and what changed since a point in time."""
    rows = reader.groups()
    groups = load_groups(reader)
    briefing.stories = _story_lines(reader, numbers, outlets)
    checked = [g for g in groups if g.status != "single_source" and g.kind != "quantity"]
    checked.sort(key=lambda g: (g.status != "contested", -g.independent_sources))
    seen: set[tuple[str, str, str]] = set()
    for line in (_status_line(g, numbers) for g in checked):
        if (line.status, line.text, line.according_to) not in seen:  # one line per distinct claim
            seen.add((line.status, line.text, line.according_to))
            briefing.checked.append(line)
    briefing.checked = briefing.checked[:40]
    if since is None:
        return
    briefing.since = since
    briefing.new_stories = _story_lines(reader, numbers, outlets, created_after=since)
    fresh = {row.id for row in rows if row.first_seen > since}
    briefing.new_claims = [_status_line(g, numbers) for g in groups if g.id in fresh][:60]
    by_id = {g.id: g for g in groups}
    for change in reader.history(since):
        if change.previous is None or change.group_id not in by_id:
            continue
        line = _status_line(by_id[change.group_id], numbers)
        briefing.status_changes.append(
            f"{change.previous.replace('_', ' ')} → {change.status.replace('_', ' ')} ({change.reason}): "
            f"{line.text} {_cites(line.cites)}")


def _cites(numbers: tuple[int, ...]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def render_markdown(b: Briefing) -> str:
    lines = [
        "# Situation briefing",
        "",
        f"Generated {b.generated} from {b.documents} documents by {b.outlets} outlets, published {b.first} to "
        f"{b.last}. Every line cites its documents by number; the list is at the end.",
        "",
        "## Main actors",
        "",
        "| actor | type | documents | mentions | cited in |",
        "|---|---|---:|---:|---|",
    ]
    lines += [f"| {a.name} | {a.type} | {a.documents} | {a.mentions} | {_cites(a.cites[:8])}"
              f"{' …' if len(a.cites) > 8 else ''} |" for a in b.actors]
    if b.since is not None:
        lines += ["", f"## What changed since {b.since[:16].replace('T', ' ')}", ""]
        lines += [f"- New story: **{s.title}** ({s.documents} documents, {s.first} to {s.last}) {_cites(s.cites)}"
                  for s in b.new_stories] or ["- No new stories."]
        lines += [f"- Status change: {c}" for c in b.status_changes] or ["- No status changes."]
        lines += [f"- New {c.kind}: {c.text} — according to {c.according_to} ({c.status.replace('_', ' ')}) "
                  f"{_cites(c.cites)}" for c in b.new_claims] or ["- No new claims."]
    lines += ["", "## Stories", "", "| story | first | last | documents | outlets | documents cited |",
              "|---|---|---|---:|---:|---|"]
    lines += [f"| {s.title} | {s.first} | {s.last} | {s.documents} | {s.outlets} | {_cites(s.cites[:10])} |"
              for s in b.stories]
    lines += ["", "## Corroborated and contested", "",
              "Corroborated: at least two independent sources (copies of one wire story count once). "
              "Contested: denied by a party, or a competing figure given at the same time.", ""]
    lines += [f"- **{c.status.replace('_', ' ')}** ({c.counts})"
              f" — {c.text} — according to {c.according_to} {_cites(c.cites)}" for c in b.checked]
    lines += ["", "## Timeline", ""]
    for item in b.timeline:
        hedge = f" *({', '.join(item.stances)})*" if item.stances else ""
        lines.append(f"- **{item.when}** — {item.text} — according to {item.according_to}{hedge} {_cites(item.cites)}")
    lines += ["", "## Figures and who gives them", "",
              "Every estimate with its source and date, side by side; competing figures are not averaged.", "",
              "| subject | figure | counts | according to | when | modality, status | source |",
              "|---|---:|---|---|---|---|---|"]
    lines += [f"| {f.subject} | {f.figure} | {f.unit} | {f.according_to} | {f.when} | {f.modality} | {_cites(f.cites)} |"
              for f in b.figures]
    lines += ["", "## Sources", ""]
    lines += [f"{s.number}. {s.outlet}, “{s.title}”, {s.published}" + (f" — {s.url}" if s.url else "")
              for s in b.sources]
    return "\n".join(lines) + "\n"


def render_html(b: Briefing) -> str:
    env = Environment(loader=PackageLoader("watchfloor.report", "templates"), autoescape=select_autoescape())
    return env.get_template("briefing.html").render(b=b)


def write_briefing(store: Store, out_dir: Path, since: str | None = None) -> tuple[Path, Path]:
    """Write briefing.md and briefing.html; ``since`` is an ISO time, or "last" for the previous briefing.
    The time of this briefing is recorded (through the writer) for the next ``--since last``."""
    started = datetime.now(UTC).isoformat()
    with store.read() as reader:
        if since == "last":
            since = reader.meta(LAST_BRIEF) or "0000"
        briefing = briefing_from(reader, since=since)
    out_dir.mkdir(parents=True, exist_ok=True)
    md = out_dir / "briefing.md"
    html = out_dir / "briefing.html"
    md.write_text(render_markdown(briefing), encoding="utf-8")
    html.write_text(render_html(briefing), encoding="utf-8")
    with store.write() as writer:
        writer.set_meta(LAST_BRIEF, started)
    return md, html
