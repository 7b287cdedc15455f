"""Grades are kept in the picture: consolidation grades every claim it re-scores, an analyst's grade of an outlet
or a named source grades again the claims it bears on, and every change is in the grade history and moves the
claim's ``updated_at`` (and so its STIX ``modified``), also when a back-dated report joins it."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from watchfloor.config import Settings
from watchfloor.link.regrade import resolve_grade_target, set_grades
from watchfloor.link.update import load_groups
from watchfloor.pipeline import ingest_paths, link_pending
from watchfloor.report.briefing import build_briefing
from watchfloor.report.entities import EntityLookup
from watchfloor.report.export_json import build_export, group_records, named_keys
from watchfloor.report.stix import to_stix
from watchfloor.store import SourceGradeRow, Store, open_store

FIRST = [
    {"id": "r1", "outlet": "Harbour Daily", "published": "2024-10-18T09:00:00Z",
     "title": "Seoul says the North sent soldiers",
     "text": "North Korea has sent about 1,500 soldiers to Russia, South Korea's spy agency said on Friday. "
             "The agency said the soldiers had travelled by ship."},
    {"id": "r2", "outlet": "Plains Courier", "published": "2024-10-18T15:00:00Z",
     "title": "Kyiv says northern soldiers are in Russia",
     "text": "Ukraine's military intelligence agency said on Friday that North Korea had sent about 1,500 soldiers "
             "to Russia. The soldiers were training in the east, it said."},
]
DENIAL = [
    {"id": "r3", "outlet": "Delta Herald", "published": "2024-10-19T10:00:00Z", "title": "Pyongyang denies it",
     "text": "North Korea on Saturday denied that it had sent soldiers to Russia. A foreign ministry spokesman said "
             "the reports were groundless."},
]
BACK_DATED = [
    {"id": "r0", "outlet": "Gulf Tribune", "published": "2024-10-17T08:00:00Z", "title": "Lawmakers briefed on troops",
     "text": "North Korea has sent about 1,500 soldiers to Russia, South Korean lawmakers said on Thursday after a "
             "closed briefing."},
]
NOW = "2025-05-01T12:00:00+00:00"  # a time before the ingests of the test, so an ingest moves updated_at past it


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _aid(store: Store) -> dict[str, Any]:
    (event,) = [e for e in build_export(store)["events"] if e["type"] == "AID" and e["polarity"] == "positive"]
    return event


def _stix_times(store: Store, event_id: str) -> tuple[datetime, datetime]:
    obj = next(o for o in to_stix(build_export(store))["objects"]
               if o["type"] == "watchfloor-event" and o["external_references"][0]["external_id"] == event_id)
    return datetime.fromisoformat(obj["created"]), datetime.fromisoformat(obj["modified"])


def test_grades_follow_the_reports_and_the_analysts(location: str, tmp_path: Path) -> None:
    settings = Settings(db=location)
    with open_store(location, "create") as store:
        assert ingest_paths([_write(tmp_path / "first.jsonl", FIRST)], store, settings).ok
        event = _aid(store)
        assert (event["status"], event["grade"]["code"]) == ("corroborated", "F1")  # nobody graded: F, confirmed
        with store.read() as r:
            assert [(h.grade, h.previous) for h in r.grade_history(group_id=event["id"])] == [("F1", None)]

        with store.write() as w:  # an analyst grades the outlet of one report: that report's source is now B
            done = set_grades(w, [("harbour  DAILY", "B")], "anna", NOW)
        assert [(t.name, t.kind) for t in done.targets] == [("Harbour Daily", "outlet")] and done.changed >= 1
        graded = _aid(store)
        assert graded["grade"]["code"] == "B1" and graded["updated_at"] == NOW  # the time the grade was set
        assert {e["outlet"]: e["reliability"] for e in graded["evidence"]} == {"Harbour Daily": "B",
                                                                               "Plains Courier": None}
        with store.read() as r:
            (change,) = [h for h in r.grade_history(group_id=event["id"]) if h.previous is not None]
            assert (change.previous, change.grade, change.reason) == ("F1", "B1", "Harbour Daily graded B by anna")
            assert r.source_grade("Harbour Daily") == SourceGradeRow("Harbour Daily", "B", "anna", NOW)
        # the briefing says so among what changed since a time before the grade was set
        (regraded,) = [s for s in build_briefing(store, since=NOW[:10]).grade_changes if event["id"] in s.claim_ids]
        assert regraded.note == "graded B1, was F1 (Harbour Daily graded B by anna)"

        # a denial by one ungraded source against two sources, one of them B: weights 6 to 2, probably true
        assert ingest_paths([_write(tmp_path / "denial.jsonl", DENIAL)], store, settings).ok
        contested = _aid(store)
        assert (contested["status"], contested["grade"]["code"]) == ("contested", "B2")
        assert contested["updated_at"] > NOW

        # a grade written the way a watched source's ``reliability`` writes it: applied by the next link run
        with store.write() as w:
            w.set_source_grades([SourceGradeRow("North Korea", "A", "sources file", NOW)])
        assert _aid(store)["grade"]["code"] == "B2"
        assert link_pending(store).grade_changes >= 1
        assert _aid(store)["grade"]["code"] == "B3"  # 6 against 5: possibly true
        with store.read() as r:
            assert not r.pending_source_grades()


def test_a_page_of_claims_grades_its_reports_as_the_export_does(location: str, tmp_path: Path) -> None:
    """The records of a page of claims (the API's, which reads the grades of its reports' outlets and named sources
    only) give each report the reliability the export (which reads every grade) gives it."""
    with open_store(location, "create") as store:
        assert ingest_paths([_write(tmp_path / "first.jsonl", FIRST)], store, Settings(db=location)).ok
        with store.write() as w:
            w.set_source_grades([SourceGradeRow("harbour  DAILY", "B", "anna", NOW),
                                 SourceGradeRow("Nobody Reported", "A", "anna", NOW)])
        export = build_export(store)
        with store.read() as r:
            groups = load_groups(r)
            page = group_records(r, groups, EntityLookup.read_keys(r, named_keys(groups)))
    whole = {i["id"]: [e["reliability"] for e in i["evidence"]] for i in export["claims"] + export["events"]}
    assert {i["id"]: [e["reliability"] for e in i["evidence"]] for i in page} == whole
    assert "B" in {grade for grades in whole.values() for grade in grades}


def test_a_back_dated_report_moves_the_claims_modified_time(location: str, tmp_path: Path) -> None:
    settings = Settings(db=location)
    with open_store(location, "create") as store:
        assert ingest_paths([_write(tmp_path / "first.jsonl", FIRST)], store, settings).ok
        before = _aid(store)
        created, modified = _stix_times(store, before["id"])
        assert ingest_paths([_write(tmp_path / "back.jsonl", BACK_DATED)], store, settings).ok
        after = _aid(store)
        assert after["id"] == before["id"] and len(after["evidence"]) == 3
        assert after["updated_at"] > before["updated_at"]
        created_after, modified_after = _stix_times(store, after["id"])
        # the new report is older than both others: publication times alone would give the same ``modified``
        assert created_after < created and modified_after > modified
        assert abs((modified_after - datetime.fromisoformat(after["updated_at"])).total_seconds()) < 0.001
        # nothing changed: the grade and the time stay
        assert ingest_paths([tmp_path / "first.jsonl", tmp_path / "back.jsonl"], store, settings).added == 0
        assert _aid(store)["updated_at"] == after["updated_at"]


def test_a_name_is_graded_as_the_outlet_or_entity_it_stands_for(sample_store: Store) -> None:
    with sample_store.read() as r:
        outlet = resolve_grade_target(r, "meridian   wire")
        source = resolve_grade_target(r, "national intelligence service")
        unknown = resolve_grade_target(r, "Nobody  Here")
    assert (outlet.name, outlet.kind) == ("Meridian Wire", "outlet")
    assert (source.name, source.kind) == ("National Intelligence Service", "source")
    assert (unknown.name, unknown.kind) == ("Nobody Here", "unknown")
