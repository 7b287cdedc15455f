"""Admiralty grades of the claims and events of an export, as the store keeps them.

Claim consolidation grades every claim and event when it re-scores it and stores the grade with it
(``link/regrade.py``); the export carries that grade (``grade``) and, in each evidence record, the grade that
report gives its independent source (``reliability``). The exports read the stored grade. Only a TLP ceiling
grades again: a claim a recipient sees with fewer reports (or without the claims that contradicted it) is graded
on what remains, with the same rule and the per-report grades the store gave (:func:`regrade`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..link.grading import ClaimPicture, GradedSource, Grading, grade, graded_sources
from ..model import Reliability

__all__ = ["grade_export", "grade_record", "grading_of", "regrade", "supporting_sources"]


def grading_of(item: dict[str, Any]) -> Grading:
    """The grade a claim or an event of an export carries."""
    return Grading.parse(item["grade"]["code"])


def grade_export(export: dict[str, Any]) -> dict[str, Grading]:
    """Claim or event id -> its grade, as stored."""
    return {item["id"]: grading_of(item) for item in _items(export)}


def grade_record(grading: Grading) -> dict[str, Any]:
    return {"code": grading.code, "source_reliability": grading.reliability.value,
            "information_credibility": int(grading.credibility)}


def supporting_sources(item: dict[str, Any]) -> tuple[GradedSource, ...]:
    """One graded source per independent source of a claim or event, from its reports' grades."""
    return graded_sources((report["independent_source"], Reliability(report["reliability"])
                           if report["reliability"] else None) for report in item["evidence"])


def regrade(items: list[dict[str, Any]], ids: set[str]) -> None:
    """Grade again, in place, the items whose ids are given, from the reports and contradicting items they have
    now (the others keep the grade the store gave them)."""
    supporting = {item["id"]: supporting_sources(item) for item in items}
    for item in items:
        if item["id"] in ids:
            against = tuple(s for other in item["contradicted_by"] if other in supporting for s in supporting[other])
            item["grade"] = grade_record(grade(ClaimPicture(item["status"], supporting[item["id"]], against)))


def _items(export: dict[str, Any]) -> Iterable[dict[str, Any]]:
    yield from export["claims"]
    yield from export["events"]
