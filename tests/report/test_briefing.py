"""The grounded briefing: every sentence is built from stored claims, quotes a report of them, cites documents
that report them, states hedges and disputes as such and shows the stored grade; Markdown, HTML and PDF."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from watchfloor.report.briefing import VERBS, Briefing, Part, build_briefing, quote_of, speaker, stance_of
from watchfloor.report.briefing_render import render_html, render_markdown, statement_markdown, write_briefing
from watchfloor.report.export_json import build_export
from watchfloor.store import Store

#: the sections of the Markdown briefing whose lines are statements (the others are tables and the source list)
PROSE = ("## Since the last briefing", "### Status changes", "### Grades changed", "### New claims", "## Disputed",
         "## Corroborated", "## Figures and who gives them", "## Timeline")


@pytest.fixture(scope="module")
def briefing(graded_store: Store) -> Briefing:
    return build_briefing(graded_store, since="0000")  # everything is new since the year 0


def _supported(part: Part, item: dict[str, Any], sources: dict[int, str], documents: dict[str, dict[str, Any]]) -> None:
    """The part's words are those of a report of the claim in a cited document, said the way the part says."""
    cited = {sources[n] for n in part.cites}
    reports = [r for r in item["evidence"] if r["doc_id"] in cited]
    assert cited and cited <= {r["doc_id"] for r in item["evidence"]}, (part, "cites a document not reporting it")
    quoting = [r for r in reports if quote_of(r) == part.quote and part.quote in r["text"]]
    assert quoting, (part, "quotes words no cited report of the claim gives")
    for report in quoting[:1]:
        assert documents[report["doc_id"]]["text"][report["start"]:report["end"]] == report["text"]
        assert part.verb in VERBS[stance_of(report)], (part, stance_of(report))
    speakers = {speaker(r) for r in item["evidence"]}
    named = [w for w in re.split(r", | and ", part.who) if not re.fullmatch(r"\d+ more", w)]
    assert set(named) <= speakers, (part.who, speakers)
    assert (part.grade, part.status) == (item["grade"]["code"], item["status"])


def test_every_sentence_cites_stored_claims_whose_evidence_supports_it(graded_store: Store,
                                                                        briefing: Briefing) -> None:
    export = build_export(graded_store)
    items = {i["id"]: i for i in export["claims"] + export["events"]}
    documents = {d["id"]: d for d in export["documents"]}
    sources = {s.number: s.doc_id for s in briefing.sources}
    statements = list(briefing.statements())
    assert len(statements) > 100 and briefing.disputed and briefing.corroborated and briefing.new_claims
    with graded_store.read() as reader:
        for statement in statements:
            for part in statement.parts:
                assert reader.group(part.claim_id) is not None  # a stored claim
                _supported(part, items[part.claim_id], sources, documents)

    # and the rendered briefing says nothing else: each line of its prose sections is one of those statements
    rendered = {statement_markdown(s) for s in statements}
    section = ""
    lines = 0
    for line in render_markdown(briefing).splitlines():
        if line.startswith("#"):
            section = line.split(" (")[0]
        elif section in PROSE and line.startswith("- "):
            lines += 1
            assert line[2:] in rendered, line
            assert all(1 <= int(n) <= len(sources) for n in re.findall(r"\[(\d+)\]", line))
            assert re.search(r"\[\d+\]", line), line
    assert lines == len(statements)


class _Statements(HTMLParser):
    """The statements of the HTML briefing: the claims each names and the sources each links to."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[list[str], list[str]]] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "li" and values.get("class") == "statement":
            self.found.append(((values.get("data-claims") or "").split(), []))
        elif tag == "a" and self.found and (values.get("href") or "").startswith("#src-"):
            self.found[-1][1].append(str(values["href"])[1:])
        if values.get("id"):
            self.anchors.add(str(values["id"]))


def test_html_statements_link_their_claims_and_sources(graded_store: Store, briefing: Briefing) -> None:
    parser = _Statements()
    parser.feed(render_html(briefing))
    assert len(parser.found) == len(list(briefing.statements()))
    with graded_store.read() as reader:
        stored = {g.id for g in reader.groups()}
    for claims, links in parser.found:
        assert claims and set(claims) <= stored
        assert links and set(links) <= parser.anchors  # every citation resolves to an entry of the source list


def test_disputes_hedges_and_grades_are_stated(briefing: Briefing) -> None:
    denials = [s for s in briefing.disputed if any(p.verb in ("denies", "deny") for p in s.parts)
               and any(p.verb in ("says", "say") for p in s.parts)]
    assert denials, "a claim and its denial are one sentence: X says …; Y denies …"
    line = statement_markdown(denials[0])
    assert re.search(r" says?: “.+” (\[\d+\])+ \([A-F][1-6], contested\); .+ den(ies|y): “.+”", line), line
    verbs = {p.verb for s in briefing.statements() for p in s.parts}
    assert {"suggests", "neither confirms nor denies"} & verbs and "expects" in verbs
    # the grades analysts set show: an outlet graded B, a named source graded A
    assert {"A", "B", "F"} <= {p.grade[0] for s in briefing.statements() for p in s.parts}
    troops = {s.label.split(": ")[1].split(" (")[0] for s in briefing.figures if s.label.startswith("North Korea, troop")}
    assert {"~12,000", "~3,000", "~10,000"} <= troops


def test_since_the_last_briefing(graded_store: Store, tmp_path: Path) -> None:
    first = build_briefing(graded_store)
    assert first.since is None and not first.new_claims  # the first briefing: everything is new, nothing listed twice
    write_briefing(graded_store, tmp_path / "one")
    with graded_store.read() as reader:
        last = reader.meta("last_brief_at")
    assert last
    again = write_briefing(graded_store, tmp_path / "two")  # nothing arrived since
    text = again[0].read_text()
    assert f"## Since the last briefing ({last[:16].replace('T', ' ')})" in text
    assert "No claim changed status." in text and "No new claims." in text and "No new stories." in text


def test_pdf_opens(graded_store: Store, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    from pypdf import PdfReader

    written = write_briefing(graded_store, tmp_path, since=None, pdf=True)
    pdf = PdfReader(str(written[-1]))
    assert len(pdf.pages) >= 5
    first = pdf.pages[0].extract_text()
    assert "Situation briefing" in first and "Admiralty grade" in first
    assert "Sources" in "".join(page.extract_text() for page in pdf.pages[-3:])


def test_hostile_text_is_escaped(graded_store: Store) -> None:
    briefing = build_briefing(graded_store)
    part = briefing.disputed[0].parts[0]
    hostile = Part(part.claim_id, "<script>alert(1)</script>", part.verb, part.quote, part.cites, part.grade, part.status)
    briefing.disputed[0] = type(briefing.disputed[0])((hostile,))
    briefing.sources[0] = type(briefing.sources[0])(1, "x", "t", "o", "2024", "javascript:alert(1)")
    html = render_html(briefing)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
