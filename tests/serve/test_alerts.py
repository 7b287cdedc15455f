"""The watch rules' alerts in the API and the dashboard: newest first, paged, by rule, and cut to the reader's
TLP ceiling — an alert whose claim rests on an amber report never reaches a green reader, even when the report
that made it fire is clear."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from watchfloor.report.export_json import build_export
from watchfloor.serve import Role, create_token
from watchfloor.store import Store
from watchfloor.watch.records import Alert
from watchfloor.watch.stored import StoreState

from .conftest import auth

NOW = datetime(2024, 11, 4, 9, tzinfo=UTC)


def _alert(n: int, rule: str, claim: dict[str, Any], doc_ids: list[str]) -> Alert:
    return Alert(key=f"api-test-{n}", rule=rule, kind="claim", record_id=claim["id"], reason="new",
                 summary=f"alert {n}: {claim['text'][:60]}", status=claim["status"], sources=tuple(claim["sources"]),
                 doc_ids=tuple(doc_ids), urls=(), created_at=NOW + timedelta(minutes=n))


def test_alerts_are_paged_newest_first_and_cut_to_the_ceiling(tlp_store: Store, tlp_client: TestClient) -> None:
    export = build_export(tlp_store)
    level = {d["id"]: d["tlp"] for d in export["documents"]}

    def levels(claim: dict[str, Any]) -> set[str]:
        return {level[e["doc_id"]] for e in claim["evidence"]}

    clear = next(c for c in export["claims"] if levels(c) == {"clear"})
    mixed = next(c for c in export["claims"] if levels(c) == {"clear", "amber"})
    amber = next(c for c in export["claims"] if levels(c) == {"amber"})
    clear_report = next(e["doc_id"] for e in mixed["evidence"] if level[e["doc_id"]] == "clear")
    raised = StoreState(tlp_store).add_alerts(
        [_alert(1, "figures", clear, [clear["evidence"][0]["doc_id"]]),
         _alert(2, "figures", mixed, [clear_report]),  # fired by a clear report of a claim amber reports share
         _alert(3, "denials", amber, [amber["evidence"][0]["doc_id"]])], ["stdout"])
    assert len(raised) == 3

    everything = tlp_client.get("/api/alerts").json()  # an open local reader reads up to red
    assert everything["total"] == 3 and [a["key"] for a in everything["items"]] == [
        "api-test-3", "api-test-2", "api-test-1"]
    assert [a["tlp"] for a in everything["items"]] == ["amber", "amber", "clear"]
    paged = tlp_client.get("/api/alerts", params={"limit": 1, "offset": 1}).json()
    assert [a["key"] for a in paged["items"]] == ["api-test-2"] and paged["total"] == 3
    by_rule = tlp_client.get("/api/alerts", params={"rule": "figures"}).json()
    assert [a["key"] for a in by_rule["items"]] == ["api-test-2", "api-test-1"]
    assert by_rule["items"][1]["record_id"] == clear["id"] and by_rule["items"][1]["doc_ids"] == [
        clear["evidence"][0]["doc_id"]]

    green = create_token(tlp_store, "alerts partner", Role.READER)[0]
    seen = tlp_client.get("/api/alerts", headers=auth(green)).json()
    assert seen["total"] == 1 and [a["key"] for a in seen["items"]] == ["api-test-1"]
    page = tlp_client.get("/alerts", headers=auth(green))
    assert page.status_code == 200 and "alert 1:" in page.text and "alert 2:" not in page.text
    assert "alert 3:" in tlp_client.get("/alerts", params={"rule": "denials"}).text

    bad = tlp_client.get("/api/alerts", params={"limit": 0})
    assert bad.status_code == 422 and bad.json()["error"]["status"] == 422
    assert "/api/alerts" in tlp_client.get("/openapi.json").json()["paths"]
