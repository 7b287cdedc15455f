from __future__ import annotations

import re
from pathlib import Path

from watchfloor.report.briefing import build_briefing, write_briefing
from watchfloor.store import Store


def test_briefing_sections_cite_documents(sample_store: Store, tmp_path: Path) -> None:
    briefing = build_briefing(sample_store)
    assert [a.name for a in briefing.actors[:2]] == ["Russia", "North Korea"] or \
        {a.name for a in briefing.actors[:3]} >= {"Russia", "North Korea"}
    assert len(briefing.timeline) >= 20
    assert all(item.cites for item in briefing.timeline)
    assert [i.sort_key for i in briefing.timeline] == sorted(i.sort_key for i in briefing.timeline)
    troops = [f for f in briefing.figures if f.unit == "troop" and f.subject == "North Korea"]
    assert {"~12,000", "~3,000", "~10,000", "11,000"} <= {f.figure for f in troops}
    md, html = write_briefing(sample_store, tmp_path)
    text = md.read_text()
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    assert cited and max(cited) <= briefing.documents
    assert "<script" not in html.read_text()
    assert "## Timeline" in text and "## Figures and who gives them" in text


def test_timeline_marks_hedges_and_sources_that_take_no_side(sample_store: Store) -> None:
    timeline = build_briefing(sample_store).timeline
    stances = {s for item in timeline for s in item.stances}
    assert {"hedged", "planned", "denied", "takes no side"} <= stances
    assert "asserted" not in stances  # plain assertions carry no mark
    # "did not deny" is shown as taking no side, never as a denial
    not_denied = [item for item in timeline if "did not deny" in item.text]
    assert not_denied and all("takes no side" in item.stances and "denied" not in item.stances for item in not_denied)
