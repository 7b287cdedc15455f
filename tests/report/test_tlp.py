from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest

from watchfloor.errors import ConfigError
from watchfloor.model import Tlp
from watchfloor.report.export_json import export_schema
from watchfloor.report.grades import regrade
from watchfloor.report.support import claim_fields
from watchfloor.report.tlp import levels, parse_tlp, within


def _marked(export: dict[str, Any], default: Tlp, **by_doc: Tlp) -> dict[str, Any]:
    marked = copy.deepcopy(export)
    for document in marked["documents"]:
        document["tlp"] = by_doc.get(document["id"], default).value
    return marked


def _two_source_claim(export: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A corroborated claim and two of its reports that count as different independent sources."""
    for claim in export["claims"]:
        if claim["status"] != "corroborated":
            continue
        first = claim["evidence"][0]
        other = next((e for e in claim["evidence"] if e["independent_source"] != first["independent_source"]
                      and e["doc_id"] != first["doc_id"]), None)
        if other is not None and len(claim["evidence"]) == 2:
            return claim, first, other
    raise AssertionError("the sample corpus has a claim corroborated by exactly two reports")


def test_red_ceiling_keeps_everything(sample_export: dict[str, Any]) -> None:
    assert within(sample_export, Tlp.RED) == sample_export


def test_ceiling_leaves_out_documents_above_it(sample_export: dict[str, Any]) -> None:
    cycle = [Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.RED]
    marked = _marked(sample_export, Tlp.CLEAR,
                     **{d["id"]: cycle[i % 4] for i, d in enumerate(sample_export["documents"])})
    before = copy.deepcopy(marked)
    green = within(marked, Tlp.GREEN)
    assert marked == before  # the input is untouched
    jsonschema.validate(green, export_schema())
    kept = {d["id"] for d in green["documents"]}
    assert kept == {d["id"] for d in marked["documents"] if d["tlp"] in ("clear", "green")}
    assert 0 < len(kept) < len(marked["documents"])
    for item in green["claims"] + green["events"]:
        assert {e["doc_id"] for e in item["evidence"]} <= kept
        assert item["sources"] == sorted({e["outlet"] for e in item["evidence"]})
        assert item["independent_sources"] == len({e["independent_source"] for e in item["evidence"]})
    for entity in green["entities"]:
        assert {m["doc_id"] for m in entity["mentions"]} <= kept
    for story in green["stories"]:
        assert set(story["doc_ids"]) <= kept
    dropped = {c["id"] for c in marked["claims"]} - {c["id"] for c in green["claims"]}
    assert dropped, "claims resting only on amber or red reports are left out"
    for claim in marked["claims"]:
        if claim["id"] in dropped:
            assert not {e["doc_id"] for e in claim["evidence"]} & kept


def test_claim_on_green_and_amber_reports_keeps_only_the_green(sample_export: dict[str, Any]) -> None:
    claim, green_report, amber_report = _two_source_claim(sample_export)
    marked = _marked(sample_export, Tlp.GREEN, **{amber_report["doc_id"]: Tlp.AMBER})
    assert levels(marked).claims[claim["id"]] is Tlp.AMBER  # as a whole it rests on the amber report too
    shared = within(marked, Tlp.GREEN)
    kept = next(c for c in shared["claims"] if c["id"] == claim["id"])
    assert [e["doc_id"] for e in kept["evidence"]] == [green_report["doc_id"]]
    assert kept["sources"] == [green_report["outlet"]]
    assert kept["independent_sources"] == 1
    assert kept["status"] == "single_source"  # one green source no longer corroborates it
    assert kept["attributed_to"] == green_report["attributed_to"]
    assert kept["text"] == green_report["claim"]["text"]
    assert levels(shared).claims[claim["id"]] is Tlp.GREEN


def _report(doc_id: str, outlet: str, source: str, text: str, modality: str = "asserted") -> dict[str, Any]:
    speaker = {"entity_id": source, "name": source.split(":")[-1]}
    return {"doc_id": doc_id, "start": 0, "end": len(text), "text": text, "outlet": outlet,
            "independent_source": source, "reliability": None, "attributed_to": [speaker],
            "claim": {"text": text, "subject": None, "quantity": None, "date": None, "modality": modality,
                      "polarity": "positive"}}


def _claim(key: str, reports: list[dict[str, Any]], status: str, against: list[str], code: str) -> dict[str, Any]:
    return {"id": key, "kind": "statement", **claim_fields(reports), "status": status, "contradicted_by": against,
            "grade": {"code": code, "source_reliability": code[0], "information_credibility": int(code[1])},
            "updated_at": "2024-10-03T00:00:00+00:00", "evidence": reports}


def test_contradiction_known_only_from_amber_is_not_shared() -> None:
    documents = [{"id": f"d{i}", "title": f"t{i}", "outlet": f"O{i}", "url": None, "published": None,
                  "story_id": None, "text": "x" * 40, "tlp": tlp, "ingested_at": f"2024-10-0{i + 1}T00:00:00+00:00"}
                 for i, tlp in enumerate(["green", "green", "amber"])]
    export = {"format": "watchfloor-export", "version": 4, "documents": documents, "entities": [], "events": [],
              "stories": [], "reliability": [], "claims": [
                  _claim("says", [_report("d0", "O0", "person:a", "troops were sent"),
                                  _report("d1", "O1", "person:b", "troops were sent")], "contested", ["denies"], "F2"),
                  _claim("denies", [_report("d2", "O2", "country:x", "no troops were sent", "denied")],
                         "contested", ["says"], "F5")]}
    assert within(export, Tlp.AMBER)["claims"][0]["status"] == "contested"
    assert within(export, Tlp.AMBER)["claims"][0]["grade"]["code"] == "F2"  # as stored: two sources against one
    shared = within(export, Tlp.GREEN)
    assert [c["id"] for c in shared["claims"]] == ["says"]
    assert shared["claims"][0]["contradicted_by"] == []
    assert shared["claims"][0]["status"] == "corroborated"  # two independent green sources, nothing against
    # graded again on what is shared: confirmed, not "probably true against a denial" the recipient cannot see;
    # and it last changed, as far as the recipient can tell, when the second green report arrived
    assert shared["claims"][0]["grade"]["code"] == "F1"
    assert shared["claims"][0]["updated_at"] == "2024-10-02T00:00:00+00:00"


def test_one_green_document_among_amber_shares_only_what_it_supports(sample_export: dict[str, Any]) -> None:
    green_doc = max(sample_export["documents"],
                    key=lambda d: sum(1 for c in sample_export["claims"] for e in c["evidence"] if e["doc_id"] == d["id"]))
    shared = within(_marked(sample_export, Tlp.AMBER, **{green_doc["id"]: Tlp.GREEN}), Tlp.GREEN)
    assert [d["id"] for d in shared["documents"]] == [green_doc["id"]]
    expected = {c["id"] for c in sample_export["claims"] if any(e["doc_id"] == green_doc["id"] for e in c["evidence"])}
    assert {c["id"] for c in shared["claims"]} == expected
    referenced = {r["entity_id"] for c in shared["claims"] + shared["events"]
                  for r in c["attributed_to"] + c.get("actors", []) + ([c["subject"]] if c.get("subject") else [])}
    for entity in shared["entities"]:
        assert entity["mentions"] or entity["id"] in referenced
        assert set(entity["aliases"]) <= {m["text"] for m in entity["mentions"]}


def test_levels_most_restrictive_for_content_least_for_names(sample_export: dict[str, Any]) -> None:
    claim, green_report, amber_report = _two_source_claim(sample_export)
    marked = _marked(sample_export, Tlp.CLEAR, **{amber_report["doc_id"]: Tlp.AMBER,
                                                  green_report["doc_id"]: Tlp.GREEN})
    marks = levels(marked)
    assert marks.claims[claim["id"]] is Tlp.AMBER
    amber_outlet = amber_report["outlet"]
    outlet_docs = [d["tlp"] for d in marked["documents"] if d["outlet"] == amber_outlet]
    assert marks.outlets[amber_outlet] is min((Tlp(t) for t in outlet_docs), key=lambda t: t.rank)
    story = next(s for s in marked["stories"] if amber_report["doc_id"] in s["doc_ids"])
    assert marks.stories[story["id"]] is Tlp.AMBER


@pytest.mark.parametrize(("text", "level"), [("green", Tlp.GREEN), ("TLP:AMBER+STRICT", Tlp.AMBER_STRICT),
                                              (" Red ", Tlp.RED)])
def test_parse_tlp(text: str, level: Tlp) -> None:
    assert parse_tlp(text) is level


def test_parse_tlp_rejects_unknown_levels() -> None:
    with pytest.raises(ConfigError, match="clear, green, amber, amber\\+strict, red"):
        parse_tlp("white")


def test_grading_again_from_the_reports_gives_the_stored_grades(graded_export: dict[str, Any]) -> None:
    """What a TLP ceiling does to a claim that lost reports, done to every claim that lost none: the grade
    consolidation stored, from the per-report grades the export carries."""
    for kind in ("claims", "events"):
        items = copy.deepcopy(graded_export[kind])
        regrade(items, {i["id"] for i in items})
        assert [i["grade"] for i in items] == [i["grade"] for i in graded_export[kind]]
    assert {i["grade"]["source_reliability"] for i in graded_export["claims"]} >= {"A", "B", "F"}


def test_a_claim_shared_without_its_graded_report_is_graded_on_what_remains(graded_export: dict[str, Any]) -> None:
    def graded_reports(claim: dict[str, Any]) -> set[str]:
        return {e["doc_id"] for e in claim["evidence"] if e["reliability"] is not None}

    graded = next(c for c in graded_export["claims"] if c["grade"]["source_reliability"] in "AB"
                  and {e["doc_id"] for e in c["evidence"]} - graded_reports(c))
    held = graded_reports(graded)
    shown = {e["doc_id"] for e in graded["evidence"]} - held
    marked = _marked(graded_export, Tlp.GREEN, **dict.fromkeys(held, Tlp.AMBER))
    (shared,) = [c for c in within(marked, Tlp.GREEN)["claims"] if c["id"] == graded["id"]]
    assert {e["doc_id"] for e in shared["evidence"]} == shown
    assert shared["grade"]["source_reliability"] == "F"  # the graded reports are not shared, nor their grade
    assert shared["updated_at"] <= graded["updated_at"]
