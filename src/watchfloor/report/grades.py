"""Admiralty grades of the claims and events of an export, computed from the export itself.

Until claim consolidation stores a grade with every claim, the exports derive it from what the export carries:
each evidence record names the independent source it counts as, whom the report attributes the claim to and
the outlet; :mod:`watchfloor.link.grading` does the rest. Computing it after a TLP ceiling has been applied
grades a claim on the reports the recipient sees.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..link.grading import ClaimPicture, GradedSource, Grading, ReliabilityTable, grade

__all__ = ["grade_export", "supporting_sources"]


def supporting_sources(item: dict[str, Any], table: ReliabilityTable) -> tuple[GradedSource, ...]:
    """One graded source per independent source of a claim or event."""
    by_key: dict[str, tuple[str | None, list[str]]] = {}
    for report in item["evidence"]:
        key = report["independent_source"]
        chain = report["attributed_to"]
        named = chain[-1]["name"] if chain and chain[-1]["entity_id"] == key else None
        held = by_key.setdefault(key, (named, []))
        held[1].append(report["outlet"])
        if held[0] is None and named is not None:
            by_key[key] = (named, held[1])
    return tuple(GradedSource(key, table.source(named, outlets)) for key, (named, outlets) in by_key.items())


def grade_export(export: dict[str, Any], table: ReliabilityTable | None = None) -> dict[str, Grading]:
    """Claim or event id -> its grade."""
    table = table or ReliabilityTable()
    items: dict[str, dict[str, Any]] = {i["id"]: i for i in _items(export)}
    supporting = {key: supporting_sources(item, table) for key, item in items.items()}
    grades = {}
    for key, item in items.items():
        against = tuple(s for other in item["contradicted_by"] if other in supporting for s in supporting[other])
        grades[key] = grade(ClaimPicture(item["status"], supporting[key], against))
    return grades


def _items(export: dict[str, Any]) -> Iterable[dict[str, Any]]:
    yield from export["claims"]
    yield from export["events"]
