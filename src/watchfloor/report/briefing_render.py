"""The briefing as Markdown, HTML and PDF, and the ``watchfloor brief`` files.

Every statement renders the same way in each format: ``{who} {verb}: “{quote}” [1][3] ({grade}, {status})``,
parts of a dispute joined by "; ". In HTML each citation links to its entry in the numbered source list (which
links to the document's URL), each statement names the stored claims it is built from (``data-claims``), and
each grade spells out what it means. The PDF is the HTML laid out by WeasyPrint (``pip install
'watchfloor[pdf]'``; it needs Pango, Debian: libpango-1.0-0 libpangoft2-1.0-0, and a font such as
fonts-dejavu-core); the page loads nothing from outside.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from ..errors import DependencyError
from ..link.grading import Grading
from ..store import Store
from .briefing import LAST_BRIEF, Briefing, Part, Statement, StoryLine, briefing_from

__all__ = ["grade_title", "render_html", "render_markdown", "statement_markdown", "write_briefing", "write_pdf"]

INTRO = ("Every sentence is built from the claims the store holds: it quotes the report it rests on, cites "
         "the documents by number (listed at the end) and gives the claim's Admiralty grade — source reliability "
         "A–F (F: nobody has graded its sources) and information credibility 1–6 (1 confirmed by independent "
         "sources, 6 cannot be judged) — and its status.")
NOT_ANALYSED = ("These reports are stored and searchable, but their language is not one the analysis reads, so "
                "no claim, event or figure above comes from them.")


def _cites(numbers: tuple[int, ...]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _part(part: Part) -> str:
    return f"{part.who} {part.verb}: “{part.quote}” {_cites(part.cites)} ({part.grade}, {part.status.replace('_', ' ')})"


def statement_markdown(statement: Statement) -> str:
    """One statement as one Markdown sentence (without the list marker)."""
    text = "; ".join(_part(p) for p in statement.parts) + "."
    if statement.label:
        text = f"**{statement.label}** — {text}"
    if statement.note:
        text += f" *{statement.note[:1].upper() + statement.note[1:]}.*"
    return text


def grade_title(code: str) -> str:
    """What a grade such as "B2" means, spelled out."""
    grading = Grading.parse(code)
    return f"source {grading.reliability.label}; information {grading.credibility.label}"


def _section(title: str, statements: list[Statement], empty: str) -> list[str]:
    lines = ["", f"## {title}", ""]
    return lines + ([f"- {statement_markdown(s)}" for s in statements] or [f"{empty}"])


def render_markdown(b: Briefing) -> str:
    lines = ["# Situation briefing", "",
             f"Generated {b.generated} from {b.documents} documents by {b.outlets} outlets, published {b.first} to "
             f"{b.last}. {INTRO}"]
    if b.since is None:
        lines += ["", "## Since the last briefing", "", "This is the first briefing of this store: everything "
                  "below is new."]
    else:
        lines += ["", f"## Since the last briefing ({b.since[:16].replace('T', ' ')})"]
        for title, statements, empty in (("Status changes", b.status_changes, "No claim changed status."),
                                         ("Grades changed", b.grade_changes, "No grade changed."),
                                         ("New claims", b.new_claims, "No new claims.")):
            lines += ["", f"### {title}", ""]
            lines += [f"- {statement_markdown(s)}" for s in statements] or [empty]
        lines += ["", "### New stories", ""]
        lines += _story_table(b.new_stories) if b.new_stories else ["No new stories."]
    lines += _section("Disputed", b.disputed, "Nothing is contested.")
    lines += _section("Corroborated", b.corroborated, "Nothing is corroborated by two independent sources yet.")
    lines += _section("Figures and who gives them", b.figures, "No figures.")
    lines += _section("Timeline", b.timeline, "No dated claims.")
    lines += ["", "## Reference", "", "### Stories", ""] + _story_table(b.stories)
    lines += ["", "### Main actors", "", "| actor | type | documents | mentions | cited in |", "|---|---|---:|---:|---|"]
    lines += [f"| {a.name} | {a.type} | {a.documents} | {a.mentions} | {_cites(a.cites[:8])}"
              f"{' …' if len(a.cites) > 8 else ''} |" for a in b.actors]
    if b.not_analysed:
        lines += ["", "### Not analysed", "", NOT_ANALYSED, ""]
        lines += [f"- [{s.number}] {s.outlet}, “{s.title}” ({s.language})" for s in b.not_analysed]
    lines += ["", "## Sources", ""]
    lines += [f"{s.number}. {s.outlet}, “{s.title}”, {s.published}" + (f" — {s.url}" if s.url else "")
              for s in b.sources]
    return "\n".join(lines) + "\n"


def _story_table(stories: list[StoryLine]) -> list[str]:
    return ["| story | first | last | documents | outlets | documents cited |", "|---|---|---|---:|---:|---|"] + [
        f"| {s.title} | {s.first} | {s.last} | {s.documents} | {s.outlets} | {_cites(s.cites[:10])} |" for s in stories]


def render_html(b: Briefing) -> str:
    env = Environment(loader=PackageLoader("watchfloor.report", "templates"), autoescape=select_autoescape())
    env.filters["grade_title"] = grade_title
    return env.get_template("briefing.html").render(b=b, intro=INTRO, not_analysed=NOT_ANALYSED)


def write_pdf(html: str, path: Path) -> None:
    """The HTML briefing laid out as a PDF (nothing is fetched: the page has no outside resources)."""
    try:
        from weasyprint import HTML
    except ImportError as exc:
        raise DependencyError(f"the PDF briefing needs WeasyPrint ({exc.name or 'weasyprint'} is missing): "
                              f"pip install 'watchfloor[pdf]'") from None
    except OSError as exc:  # WeasyPrint is there but Pango is not
        raise DependencyError(f"the PDF briefing needs the Pango library ({exc}); on Debian: apt-get install "
                              f"libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core") from None

    def refuse(url: str) -> dict[str, object]:
        raise ValueError(f"the briefing loads nothing from outside ({url})")

    HTML(string=html, url_fetcher=refuse).write_pdf(str(path))


def write_briefing(store: Store, out_dir: Path, since: str | None = "last", pdf: bool = False) -> list[Path]:
    """Write briefing.md and briefing.html (and briefing.pdf); ``since`` is an ISO time, or "last" for the
    previous briefing (none: the first). The time of this briefing is recorded for the next one."""
    started = datetime.now(UTC).isoformat()
    with store.read() as reader:
        if since == "last":
            since = reader.meta(LAST_BRIEF)
        briefing = briefing_from(reader, since=since)
    out_dir.mkdir(parents=True, exist_ok=True)
    md, html_path = out_dir / "briefing.md", out_dir / "briefing.html"
    html = render_html(briefing)
    md.write_text(render_markdown(briefing), encoding="utf-8")
    html_path.write_text(html, encoding="utf-8")
    written = [md, html_path]
    if pdf:
        written.append(out_dir / "briefing.pdf")
        write_pdf(html, written[-1])
    with store.write() as writer:
        writer.set_meta(LAST_BRIEF, started)
    return written
