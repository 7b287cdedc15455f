from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path
from typing import Any

from watchfloor.report.export_tabular import CLAIM_COLUMNS, EVENT_COLUMNS, write_csv, write_jsonl


def test_csv_has_one_row_per_claim_and_event(tmp_path: Path, sample_export: dict[str, Any]) -> None:
    claims_path, events_path = write_csv(sample_export, tmp_path / "out")
    with claims_path.open(newline="", encoding="utf-8") as handle:
        claims = list(csv.DictReader(handle))
    with events_path.open(newline="", encoding="utf-8") as handle:
        events = list(csv.DictReader(handle))
    assert list(claims[0]) == CLAIM_COLUMNS and list(events[0]) == EVENT_COLUMNS
    assert [r["id"] for r in claims] == [c["id"] for c in sample_export["claims"]]
    assert [r["id"] for r in events] == [e["id"] for e in sample_export["events"]]
    figures = {(float(r["value"]), r["unit"]) for r in claims if r["value"]}
    assert (12000.0, "troop") in figures
    assert {r["grade"][0] for r in claims} == {"F"}  # nobody graded a source: none is judged
    assert [r["grade"] for r in claims] == [c["grade"]["code"] for c in sample_export["claims"]]  # as stored
    assert {r["status"] for r in claims} == {"corroborated", "single_source", "contested"}
    located = [r for r in events if r["lat"]]
    assert located and all(r["place"] for r in located)


def test_csv_cells_never_run_as_formulas(tmp_path: Path, sample_export: dict[str, Any]) -> None:
    hostile = copy.deepcopy(sample_export)
    hostile["claims"][0]["text"] = '=HYPERLINK("http://attacker.example","click")'
    hostile["claims"][0]["sources"] = ["@SUM(A1:A9)"]
    claims_path, _ = write_csv(hostile, tmp_path)
    with claims_path.open(newline="", encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    assert row["text"].startswith("'=") and row["sources"].startswith("'@")


def test_jsonl_one_record_per_line(sample_export: dict[str, Any]) -> None:
    out = io.StringIO()
    count = write_jsonl(sample_export, out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == len(records) == sum(len(sample_export[k])
                                        for k in ("documents", "entities", "events", "claims", "stories"))
    claims = [r for r in records if r["record"] == "claim"]
    assert len(claims) == len(sample_export["claims"])
    assert all(r["grade"][0] in "ABCDEF" and r["tlp"] == "clear" for r in claims)
