"""The cross-document picture of the sample corpus: corroboration, syndication, denial, competing figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from watchfloor.cli import app
from watchfloor.report.tracker import estimates
from watchfloor.store import Store

from ..report.expectations import document_ids

#: the Meridian Wire story that two outlets republished word for word (see the samples README)
SYNDICATED = ("html/pacific-courier-nis-combat-wire.html", "wire.jsonl[ss-20241113-1180]")


def test_event_reported_by_several_outlets_is_one_corroborated_event(sample_export: dict[str, Any]) -> None:
    deployments = [e for e in sample_export["events"] if e["type"] in {"AID", "MOBILIZE"}
                   and {"country:kp", "country:ru"} <= {a["entity_id"] for a in e["actors"]}]
    widest = max(deployments, key=lambda e: len(e["sources"]))
    assert len(widest["sources"]) >= 5 and widest["independent_sources"] >= 3
    assert len({s["doc_id"] for s in widest["evidence"]}) >= 5  # one event with evidence from each report
    assert any(e["status"] == "corroborated" and len(e["sources"]) >= 3 for e in deployments)


def test_syndicated_copies_are_one_source(samples: Path, sample_export: dict[str, Any]) -> None:
    refs = document_ids(samples, sample_export)
    copies = [d for d in sample_export["documents"] if d["id"] in {refs[name] for name in SYNDICATED}]
    assert len(copies) == 2 and copies[0]["origin"] == copies[1]["origin"]
    copy_ids = {d["id"] for d in copies}
    only_in_copies = [c for c in sample_export["claims"] + sample_export["events"]
                      if {s["doc_id"] for s in c["evidence"]} == copy_ids]
    assert only_in_copies, "the wire story's claims appear in both copies"
    for claim in only_in_copies:
        assert claim["independent_sources"] == 1 and claim["status"] != "corroborated", claim


def test_denial_makes_the_claim_contested(sample_export: dict[str, Any]) -> None:
    by_id = {e["id"]: e for e in sample_export["events"]}
    sent = [e for e in sample_export["events"] if e["type"] == "AID" and e["modality"] != "denied"
            and {"country:kp", "country:ru"} <= {a["entity_id"] for a in e["actors"]}]
    contested = [e for e in sent if e["status"] == "contested"]
    assert contested
    denials = [by_id[i] for e in contested for i in e["contradicted_by"]]
    assert denials and all(d["modality"] == "denied" and d["polarity"] == "negative" for d in denials)
    assert all(d["status"] == "contested" for d in denials)
    assert any(any(a["name"] == "North Korea" for a in d["attributed_to"]) or "North Korea has denied" in
               d["evidence"][0]["text"] for d in denials)


def test_competing_estimates_side_by_side(sample_store: Store) -> None:
    rows = estimates(sample_store, "North Korea", "troop")
    figures = {r.figure.lstrip("~") for r in rows}
    assert {"1,500", "3,000", "8,000", "10,000", "11,000", "12,000"} <= figures
    assert [r.when for r in rows if r.when] == sorted(r.when for r in rows if r.when)
    eleven = next(r for r in rows if r.figure == "11,000")
    eight = next(r for r in rows if r.figure.lstrip("~") == "8,000")
    assert "Zelensky" in eleven.according_to and eleven.status == "contested"
    assert eight.status == "contested"


def test_track_command(sample_store: Store) -> None:
    result = CliRunner().invoke(app, ["track", "--subject", "North Korea", "--unit", "troop",
                                      "--db", sample_store.given], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "11,000" in result.output and "Volodymyr Zelensky" in result.output
