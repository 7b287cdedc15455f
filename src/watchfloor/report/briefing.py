"""The briefing: main actors, a dated timeline, the figures with their sources; every item cites documents."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from ..model import Claim, Document, DocumentAnalysis, Modality, Precision, TimeValue
from ..store import Store

__all__ = ["Briefing", "build_briefing", "render_html", "render_markdown", "write_briefing"]

_ACTOR_TYPES = {"person", "organization", "country"}


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
    modality: str
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


def format_when(value: TimeValue) -> str:
    if value.precision is Precision.DAY:
        return value.start.strftime("%d %b %Y")
    if value.precision is Precision.MONTH:
        return value.start.strftime("%b %Y")
    if value.precision is Precision.YEAR:
        return str(value.start.year)
    return f"{value.start:%d %b} – {value.end:%d %b %Y}"


def _figure(claim: Claim) -> str:
    q = claim.quantity
    assert q is not None
    if q.value is None:
        text = f"{q.low:,.0f}–{q.high:,.0f}"
    else:
        text = f"{q.value:,.0f}" if q.value == int(q.value) else f"{q.value:,}"
    return ("~" if q.approximate else "") + text


def _who(claim: Claim) -> str:
    return " ← ".join(e.name for e in reversed(claim.attributed_to))


def build_briefing(store: Store, max_timeline: int = 80) -> Briefing:
    pairs: list[tuple[Document, DocumentAnalysis]] = list(store.analyses())
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
    for document, analysis in pairs:
        for mention in analysis.mentions:
            if mention.entity.type in _ACTOR_TYPES:
                doc_sets[mention.entity.key].add(numbers[document.id])
                mention_counts[mention.entity.key] += 1
                names[mention.entity.key] = (mention.entity.name, mention.entity.type)
    ranked = sorted(doc_sets, key=lambda k: (-len(doc_sets[k]), -mention_counts[k], names[k][0]))[:15]
    briefing.actors = [ActorLine(names[k][0], names[k][1], len(doc_sets[k]), mention_counts[k],
                                 tuple(sorted(doc_sets[k]))) for k in ranked]
    timeline: dict[str, TimelineItem] = {}
    figures: list[FigureLine] = []
    for document, analysis in pairs:
        cite = numbers[document.id]
        for claim in analysis.claims:
            if claim.kind == "quantity" and claim.quantity is not None:
                when = format_when(claim.date) if claim.date else (
                    f"reported {document.published:%d %b %Y}" if document.published else "undated")
                figures.append(FigureLine(claim.subject.name if claim.subject else "—", _figure(claim),
                                          claim.quantity.unit, _who(claim), when, claim.modality.value,
                                          claim.evidence.text, (cite,)))
                continue
            when_value = claim.date
            if when_value is None:
                continue
            key = claim.evidence.text
            if key in timeline:
                item = timeline[key]
                timeline[key] = TimelineItem(item.when, item.sort_key, item.text, item.according_to, item.modality,
                                             tuple(sorted(set(item.cites) | {cite})))
                continue
            timeline[key] = TimelineItem(format_when(when_value), when_value.start, claim.evidence.text, _who(claim),
                                         claim.modality.value, (cite,))
    briefing.timeline = sorted(timeline.values(), key=lambda i: (i.sort_key, i.text))[:max_timeline]
    briefing.figures = sorted(figures, key=lambda f: (f.subject, f.unit, f.when))
    return briefing


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
    lines += ["", "## Timeline", ""]
    for item in b.timeline:
        hedge = "" if item.modality == Modality.ASSERTED.value else f" *({item.modality})*"
        lines.append(f"- **{item.when}** — {item.text} — according to {item.according_to}{hedge} {_cites(item.cites)}")
    lines += ["", "## Figures and who gives them", "",
              "| subject | figure | counts | according to | when | modality | source |",
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


def write_briefing(store: Store, out_dir: Path) -> tuple[Path, Path]:
    briefing = build_briefing(store)
    out_dir.mkdir(parents=True, exist_ok=True)
    md = out_dir / "briefing.md"
    html = out_dir / "briefing.html"
    md.write_text(render_markdown(briefing), encoding="utf-8")
    html.write_text(render_html(briefing), encoding="utf-8")
    return md, html
