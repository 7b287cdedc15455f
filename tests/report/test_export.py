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
    committed = Path(__file__).resolve().parents[2] / "src/watchfloor/report/schema/export-v3.schema.json"
    assert json.loads(committed.read_text()) == export_schema()


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


def test_reingest_leaves_count_unchanged(tmp_path: Path, samples: Path) -> None:
    settings = Settings(db=str(tmp_path / "again.db"))
    with Store(settings.db) as store:
        first = ingest_paths([samples], store, settings)
        count = store.count()
        second = ingest_paths([samples], store, settings)
        assert (first.added, second.added, second.already_stored) == (count, 0, count)
        assert store.count() == count


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
