from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from watchfloor.config import Settings
from watchfloor.pipeline import ingest_paths
from watchfloor.report.export_json import export_schema
from watchfloor.store import Store


def test_export_validates_against_committed_schema(sample_export: dict[str, Any]) -> None:
    jsonschema.validate(sample_export, export_schema())
    committed = Path(__file__).resolve().parents[2] / "src/watchfloor/report/schema/export-v5.schema.json"
    assert json.loads(committed.read_text()) == export_schema()


def test_grades_are_the_stored_ones(sample_store: Store, sample_export: dict[str, Any]) -> None:
    """The export reads the grade consolidation stored with each claim; nobody has graded a source yet, so each
    report gives none and every source is F, and the credibility follows the status."""
    with sample_store.read() as reader:
        stored = {g.id: (g.grade, g.updated_at) for g in reader.groups()}
    items = sample_export["claims"] + sample_export["events"]
    assert {i["id"]: (i["grade"]["code"], i["updated_at"]) for i in items} == stored
    assert all(e["reliability"] is None for i in items for e in i["evidence"])
    credibility = {(i["status"], i["grade"]["information_credibility"]) for i in items}
    assert {("corroborated", 1), ("single_source", 6)} <= credibility
    assert all(c in {2, 3, 4, 5} for status, c in credibility if status == "contested" and c != 6)
    assert all(d["ingested_at"] for d in sample_export["documents"])


def test_every_evidence_span_is_the_document_text(sample_export: dict[str, Any]) -> None:
    texts = {d["id"]: d["text"] for d in sample_export["documents"]}
    spans = [m for e in sample_export["entities"] for m in e["mentions"]]
    spans += [s for kind in ("events", "claims") for item in sample_export[kind] for s in item["evidence"]]
    assert len(spans) > 500
    for span in spans:
        assert texts[span["doc_id"]][span["start"] : span["end"]] == span["text"], span


def test_references_point_to_exported_entities(sample_export: dict[str, Any]) -> None:
    ids = {e["id"] for e in sample_export["entities"]}
    for claim in sample_export["claims"]:
        assert {r["entity_id"] for r in claim["attributed_to"]} <= ids
        if claim["subject"]:
            assert claim["subject"]["entity_id"] in ids
    for event in sample_export["events"]:
        assert {a["entity_id"] for a in event["actors"]} <= ids


def test_sample_export_content(sample_export: dict[str, Any]) -> None:
    assert len(sample_export["documents"]) == 27
    entity_names = {e["name"] for e in sample_export["entities"]}
    assert {"North Korea", "Russia", "NATO", "Mark Rutte", "National Intelligence Service"} <= entity_names
    nk = next(e for e in sample_export["entities"] if e["id"] == "country:kp")
    assert {"North Korean", "Pyongyang"} <= set(nk["aliases"])
    figures = {(c["quantity"]["value"], c["quantity"]["unit"]) for c in sample_export["claims"] if c["quantity"]}
    assert {(12000, "troop"), (3000, "troop"), (10000, "troop"), (8000, "troop"), (11000, "troop")} <= figures


def test_reingest_leaves_count_unchanged(sample_store: Store, samples: Path) -> None:
    count = sample_store.count()
    again = ingest_paths([samples], sample_store, Settings(db=sample_store.given))
    assert (again.added, again.already_stored) == (0, count)
    assert sample_store.count() == count


def test_part_of_a_figure_points_to_the_whole(sample_export: dict[str, Any]) -> None:
    """"About 12,000 military personnel, including about 500 officers": the officers are part of the 12,000."""
    claims = {c["id"]: c for c in sample_export["claims"]}
    parts = [c for c in claims.values() if c["quantity"] and c["quantity"].get("part_of")]
    assert parts
    for part in parts:
        whole = claims[part["quantity"]["part_of"]]
        assert whole["quantity"]["value"] > part["quantity"]["value"]
    assert any(p["quantity"]["value"] == 500 and p["quantity"]["unit"] == "officer"
               and claims[p["quantity"]["part_of"]]["quantity"]["value"] == 12000 for p in parts)
