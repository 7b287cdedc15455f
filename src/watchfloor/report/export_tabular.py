"""Bulk exports for statistics and spreadsheets: CSV (one file of claims, one of events) and JSON Lines.

Rows carry what a coder needs without the nesting: figures, dates with their precision, who says so, status,
the Admiralty grade, the independent-source count, the outlets and the documents, and the TLP marking of the
row. A text cell that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is written with a leading apostrophe, so an article's text never runs as a formula.

JSON Lines: one record per line, ``{"record": "document" | "entity" | "event" | "claim" | "story" |
"source_grade", ...}``, each the record of the JSON export (plus, for claims and events, their grade as flat
fields and their TLP marking).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..link.grading import Grading
from .grades import grade_export
from .tlp import levels

__all__ = ["CLAIM_COLUMNS", "EVENT_COLUMNS", "jsonl_records", "write_csv", "write_jsonl"]

CLAIM_COLUMNS = ["id", "kind", "text", "subject", "value", "low", "high", "unit", "approximate", "casualty",
                 "part_of", "date_start", "date_end", "date_precision", "attributed_to", "modality", "polarity",
                 "status", "grade", "source_reliability", "information_credibility", "independent_sources",
                 "sources", "contradicted_by", "documents", "evidence", "tlp"]
EVENT_COLUMNS = ["id", "type", "mode", "source_actors", "target_actors", "date_start", "date_end", "date_precision",
                 "place", "lat", "lon", "attributed_to", "modality", "polarity", "status", "grade",
                 "source_reliability", "information_credibility", "independent_sources", "sources",
                 "contradicted_by", "documents", "evidence", "tlp"]
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def _names(refs: list[dict[str, Any]]) -> str:
    return "; ".join(r["name"] for r in refs)


def _shared(item: dict[str, Any], grading: Grading, tlp: str) -> dict[str, Any]:
    date = item["date"] or {}
    return {
        "id": item["id"], "date_start": date.get("start"), "date_end": date.get("end"),
        "date_precision": date.get("precision"), "attributed_to": _names(item["attributed_to"]),
        "modality": item["modality"], "polarity": item["polarity"], "status": item["status"],
        "grade": grading.code, "source_reliability": grading.reliability.value,
        "information_credibility": int(grading.credibility), "independent_sources": item["independent_sources"],
        "sources": "; ".join(item["sources"]), "contradicted_by": "; ".join(item["contradicted_by"]),
        "documents": "; ".join(dict.fromkeys(e["doc_id"] for e in item["evidence"])),
        "evidence": " | ".join(e["text"] for e in item["evidence"]), "tlp": tlp,
    }


def claim_rows(export: dict[str, Any], grades: dict[str, Grading]) -> Iterator[dict[str, Any]]:
    marks = levels(export)
    for claim in export["claims"]:
        quantity = claim["quantity"] or {}
        yield {
            **_shared(claim, grades[claim["id"]], marks.claims[claim["id"]].value),
            "kind": claim["kind"], "text": claim["text"],
            "subject": claim["subject"]["name"] if claim["subject"] else None,
            "value": quantity.get("value"), "low": quantity.get("low"), "high": quantity.get("high"),
            "unit": quantity.get("unit"), "approximate": quantity.get("approximate"),
            "casualty": quantity.get("casualty"), "part_of": quantity.get("part_of"),
        }


def event_rows(export: dict[str, Any], grades: dict[str, Grading]) -> Iterator[dict[str, Any]]:
    marks = levels(export)
    for event in export["events"]:
        place = event["place"] or {}
        yield {
            **_shared(event, grades[event["id"]], marks.events[event["id"]].value),
            "type": event["type"], "mode": event["mode"],
            "source_actors": _names([a for a in event["actors"] if a["role"] == "source"]),
            "target_actors": _names([a for a in event["actors"] if a["role"] == "target"]),
            "place": place.get("name"), "lat": place.get("lat"), "lon": place.get("lon"),
        }


def write_csv(export: dict[str, Any], directory: Path) -> list[Path]:
    """``claims.csv`` and ``events.csv`` in ``directory`` (created if needed); returns the two paths."""
    directory.mkdir(parents=True, exist_ok=True)
    grades = grade_export(export)
    written = []
    for name, columns, rows in (("claims.csv", CLAIM_COLUMNS, claim_rows(export, grades)),
                                ("events.csv", EVENT_COLUMNS, event_rows(export, grades))):
        path = directory / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _cell(v) for k, v in row.items()})
        written.append(path)
    return written


def jsonl_records(export: dict[str, Any]) -> Iterator[dict[str, Any]]:
    grades = grade_export(export)
    marks = levels(export)
    for record, key in (("document", "documents"), ("entity", "entities"), ("story", "stories"),
                        ("source_grade", "reliability")):
        for item in export.get(key, []):
            yield {"record": record, **item}
    for record, key, marked in (("event", "events", marks.events), ("claim", "claims", marks.claims)):
        for item in export[key]:
            grading = grades[item["id"]]
            yield {"record": record, **item, "grade": grading.code,
                   "source_reliability": grading.reliability.value,
                   "information_credibility": int(grading.credibility), "tlp": marked[item["id"]].value}


def write_jsonl(export: dict[str, Any], out: IO[str]) -> int:
    count = 0
    for record in jsonl_records(export):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
