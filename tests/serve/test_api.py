"""Every endpoint of the JSON API on the sample store, on both engines: what it answers, its filters and pages,
and that a claim or event in full is exactly the export's record of it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from watchfloor.report.tracker import estimates_from
from watchfloor.store import Store

from .conftest import auth

ERROR_KEYS = {"status", "code", "message", "details"}


def _ok(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, (path, response.text[:500])
    return response.json()


def _all(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = _ok(client, path, limit=200, offset=offset, **params)
        items += page["items"]
        offset += 200
        if offset >= page["total"]:
            assert len(items) == page["total"]
            return items


def assert_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text[:300]
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS
    assert body["error"]["status"] == status and body["error"]["message"]
    return dict(body["error"])


def test_stories_feed_and_story(sample_client: TestClient, sample_export: dict[str, Any]) -> None:
    stories = _all(sample_client, "/api/stories")
    assert {s["id"] for s in stories} == {s["id"] for s in sample_export["stories"]}
    published = [s["last_published"] or "" for s in stories]
    assert published == sorted(published, reverse=True)
    biggest = max(sample_export["stories"], key=lambda s: len(s["doc_ids"]))
    detail = _ok(sample_client, f"/api/stories/{biggest['id']}")
    assert {d["id"] for d in detail["documents"]} == set(biggest["doc_ids"])
    in_story = {c["id"] for c in sample_export["claims"] + sample_export["events"]
                if {e["doc_id"] for e in e_list(c)} & set(biggest["doc_ids"])}
    assert {c["id"] for c in detail["claims"] + detail["timeline"]} == in_story
    assert sum(detail["story"]["status_counts"].values()) == len(in_story)
    days = [e["day"] or "9999" for e in detail["timeline"]]
    assert days == sorted(days)
    for group in detail["competing_figures"]:
        assert len({f["figure"] for f in group["figures"]}) > 1
    assert_error(sample_client.get("/api/stories/no-such-story"), 404)


def e_list(item: dict[str, Any]) -> list[dict[str, Any]]:
    return list(item["evidence"])


def test_claims_filters_and_pages(sample_client: TestClient, sample_export: dict[str, Any]) -> None:
    claims = _all(sample_client, "/api/claims")
    assert {c["id"] for c in claims} == {c["id"] for c in sample_export["claims"]}
    exported = {c["id"]: c for c in sample_export["claims"]}
    for item in claims:
        assert item["status"] == exported[item["id"]]["status"]
        assert item["sources"] == exported[item["id"]]["sources"]
        assert item["independent_sources"] == exported[item["id"]]["independent_sources"]
    first, second = (_ok(sample_client, "/api/claims", limit=10, offset=o)["items"] for o in (0, 10))
    assert len(first) == len(second) == 10 and not {c["id"] for c in first} & {c["id"] for c in second}
    contested = _all(sample_client, "/api/claims", status="contested")
    assert contested and {c["id"] for c in contested} == {c["id"] for c in claims if c["status"] == "contested"}
    hedged = _all(sample_client, "/api/claims", modality="hedged")
    assert hedged and all(c["modality"] == "hedged" for c in hedged)
    figures = _all(sample_client, "/api/claims", kind="quantity")
    assert figures and all(c["kind"] == "quantity" and c["figure"] for c in figures)
    outlet = sample_export["documents"][0]["outlet"]
    by_outlet = _all(sample_client, "/api/claims", outlet=outlet)
    assert by_outlet and all(outlet in c["sources"] for c in by_outlet)
    entity = next(c["attributed_to"][0]["entity_id"] for c in sample_export["claims"] if c["attributed_to"])
    named = {c["id"] for c in _all(sample_client, "/api/claims", entity=entity)}
    assert named >= {c["id"] for c in sample_export["claims"]
                     if any(r["entity_id"] == entity for r in c["attributed_to"])}
    doc = sample_export["documents"][0]["id"]
    assert {c["id"] for c in _all(sample_client, "/api/claims", document=doc)} == {
        c["id"] for c in sample_export["claims"] if any(e["doc_id"] == doc for e in c["evidence"])}
    november = _all(sample_client, "/api/claims", **{"from": "2024-11-01", "to": "2024-11-30"})
    assert november and all((c["last_day"] or c["day"]) >= "2024-11-01" and c["day"] <= "2024-11-30"
                            for c in november)
    assert_error(sample_client.get("/api/claims", params={"from": "2024-12-01", "to": "2024-11-01"}), 422)
    assert_error(sample_client.get("/api/claims", params={"status": "probably"}), 422)
    assert_error(sample_client.get("/api/claims", params={"limit": 0}), 422)


def test_events_timeline_and_types(sample_client: TestClient, sample_export: dict[str, Any]) -> None:
    events = _all(sample_client, "/api/events")
    assert {e["id"] for e in events} == {e["id"] for e in sample_export["events"]}
    kind = sample_export["events"][0]["type"]
    typed = _all(sample_client, "/api/events", type=kind)
    assert typed and all(e["type"] == kind for e in typed)
    timeline = _all(sample_client, "/api/timeline")
    assert len(timeline) == len(events)
    days = [e["day"] for e in timeline if e["day"]]
    assert days == sorted(days)


def _without_page_fields(record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "evidence": [{k: v for k, v in e.items() if k not in {"published", "title"}}
                                   for e in record["evidence"]]}


def _no_part_of(record: dict[str, Any]) -> dict[str, Any]:
    """The API gives a figure's ``part_of`` (the claim whose figure includes it) only in the export."""
    out = dict(record)
    if out.get("quantity"):
        out["quantity"] = {**out["quantity"], "part_of": None}
    out["evidence"] = [dict(e) for e in out["evidence"]]
    for e in out["evidence"]:
        if e.get("claim", {}).get("quantity"):
            e["claim"] = {**e["claim"], "quantity": {**e["claim"]["quantity"], "part_of": None}}
    return out


def test_a_claim_in_full_is_the_exports_record(sample_client: TestClient, sample_export: dict[str, Any]) -> None:
    for exported in sample_export["claims"][:40] + [c for c in sample_export["claims"] if c["contradicted_by"]]:
        detail = _ok(sample_client, f"/api/claims/{exported['id']}")
        assert _without_page_fields(detail["claim"]) == _no_part_of(exported)
        assert {c["id"] for c in detail["contradicted_by"]} == set(exported["contradicted_by"])
        assert detail["history"] and detail["history"][-1]["status"] == exported["status"]
        assert all(e["published"] for e in detail["claim"]["evidence"])
    event = sample_export["events"][0]
    assert _without_page_fields(_ok(sample_client, f"/api/events/{event['id']}")["claim"]) == event
    assert_error(sample_client.get(f"/api/claims/{event['id']}"), 404)  # an event is not a claim
    assert_error(sample_client.get("/api/events/nope"), 404)


def test_a_claims_reports_come_a_page_at_a_time(sample_client: TestClient, sample_export: dict[str, Any]) -> None:
    """The claim's own fields stay those of all its reports; the reports are paged; each claim that contradicts it
    comes with its first reports, in the export's order, and how many it has."""
    exported = {c["id"]: c for c in sample_export["claims"]}
    many = max(sample_export["claims"], key=lambda c: len(c["evidence"]))
    assert len(many["evidence"]) > 2, "the sample has a claim with several reports"
    second = _ok(sample_client, f"/api/claims/{many['id']}", limit=1, offset=1)
    assert second["evidence_total"] == len(many["evidence"]) and second["evidence_limit"] == 1
    assert _without_page_fields(second["claim"]) == {**_no_part_of(many), "evidence": _no_part_of(many)["evidence"][1:2]}
    past = _ok(sample_client, f"/api/claims/{many['id']}", offset=len(many["evidence"]))
    assert past["claim"]["evidence"] == [] and past["claim"]["sources"] == many["sources"]
    contested = [c for c in sample_export["claims"] if c["contradicted_by"]]
    assert contested
    for claim in contested:
        detail = _ok(sample_client, f"/api/claims/{claim['id']}")
        for other in detail["contradicted_by"]:
            full = _no_part_of(exported[other["id"]])["evidence"]
            assert other["evidence_total"] == len(full)
            assert _without_page_fields(other)["evidence"] == full[:5]
            assert (other["status"], other["sources"]) == (exported[other["id"]]["status"], exported[other["id"]]["sources"])
    assert_error(sample_client.get(f"/api/claims/{many['id']}", params={"limit": 0}), 422)
    page = sample_client.get(f"/claims/{many['id']}", params={"offset": 1})
    assert page.status_code == 200 and f"Reports that give it ({len(many['evidence'])})" in page.text


def test_documents(sample_client: TestClient, sample_export: dict[str, Any]) -> None:
    docs = _all(sample_client, "/api/documents")
    assert {d["id"] for d in docs} == {d["id"] for d in sample_export["documents"]}
    outlet = sample_export["documents"][0]["outlet"]
    assert all(d["outlet"] == outlet for d in _all(sample_client, "/api/documents", outlet=outlet))
    exported = sample_export["documents"][0]
    detail = _ok(sample_client, f"/api/documents/{exported['id']}")
    assert detail["document"]["text"] == exported["text"]
    cited = {(e["doc_id"], e["start"], e["end"]) for c in sample_export["claims"] + sample_export["events"]
             for e in c["evidence"]}
    spans = {(exported["id"], s["start"], s["end"]) for s in detail["spans"]}
    assert spans == {c for c in cited if c[0] == exported["id"]}
    assert_error(sample_client.get("/api/documents/nope"), 404)


def test_entities(sample_client: TestClient, sample_export: dict[str, Any]) -> None:
    hits = _ok(sample_client, "/api/entities", q="north kor")
    assert hits and hits[0]["name"] == "North Korea"
    detail = _ok(sample_client, f"/api/entities/{hits[0]['id']}")
    exported = next(e for e in sample_export["entities"] if e["id"] == hits[0]["id"])
    documents = {d["id"]: d for d in sample_export["documents"]}
    by_id = sorted({m["doc_id"] for m in exported["mentions"]})
    latest = sorted(by_id, key=lambda d: documents[d]["published"] or "", reverse=True)[:detail["aliases_from"]]
    spelled = {m["text"] for m in exported["mentions"] if m["doc_id"] in latest} - {exported["name"]}
    assert spelled and {a["name"] for a in detail["aliases"]} == spelled
    assert sum(d["documents"] for d in detail["mentions_by_day"]) == len({m["doc_id"] for m in exported["mentions"]})
    assert detail["co_occurring"] and all(o["shared"] >= 1 and o["id"] != hits[0]["id"] for o in detail["co_occurring"])
    assert detail["claims_total"] >= len(detail["claims"]) > 0
    assert_error(sample_client.get("/api/entities/person:nobody-at-all"), 404)
    assert_error(sample_client.get("/api/entities"), 422)


def test_tracks_match_the_tracker(sample_client: TestClient, sample_store: Store) -> None:
    tracks = _ok(sample_client, "/api/tracks")
    troops = next(t for t in tracks if t["unit"] == "troop" and t["subject"]["name"] == "North Korea")
    detail = _ok(sample_client, f"/api/tracks/{troops['track']}")
    with sample_store.read() as r:
        expected = [e for e in estimates_from(r, "North Korea", "troop") if e.subject == "North Korea"]
    assert sorted((p["claim_id"], p["doc_id"]) for p in detail["points"]) == sorted(
        (e.claim_id, e.doc_id) for e in expected)
    assert_error(sample_client.get("/api/tracks/quantity|nobody|troop"), 404)


def test_search_and_changes(sample_client: TestClient) -> None:
    found = _ok(sample_client, "/api/search", q="troops")
    assert found["documents"] and found["claims"]
    assert all("[" in h["snippet"] for h in found["documents"])
    assert _ok(sample_client, "/api/search", q="korea")["entities"]
    assert_error(sample_client.get("/api/search"), 422)
    changes = _ok(sample_client, "/api/changes")["changes"]
    assert changes and all(c["claim"] for c in changes)
    moments = [c["changed_at"] for c in changes]
    assert moments == sorted(moments, reverse=True)
    assert _ok(sample_client, "/api/changes", since=moments[0])["changes"] == []


def test_openapi_document_lists_every_route(sample_client: TestClient) -> None:
    document = _ok(sample_client, "/openapi.json")
    paths = set(document["paths"])
    assert {"/api/stories", "/api/stories/{story_id}", "/api/claims", "/api/claims/{claim_id}",
            "/api/claims/{claim_id}/notes", "/api/events", "/api/events/{event_id}", "/api/timeline",
            "/api/documents", "/api/documents/{doc_id}", "/api/entities", "/api/entities/{entity_id}",
            "/api/tracks", "/api/tracks/{track}", "/api/search", "/api/changes", "/api/tokens",
            "/api/tokens/{token_id}", "/api/me"} <= paths
    assert all(p.startswith("/api/") for p in paths)  # pages are not part of the API document
    for path, operations in document["paths"].items():
        for operation in operations.values():
            assert {"401", "422", "500"} <= set(operation["responses"]), path


@pytest.mark.parametrize("path", ["/api/stories", "/api/claims", "/api/search?q=troops"])
def test_every_response_carries_the_security_headers(sample_client: TestClient, path: str) -> None:
    response = sample_client.get(path)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("path, status", [("/api/claims?limit=5", 200), ("/api/stories/no-such-story", 404),
                                          ("/claims/no-such-claim", 404), ("/api/search?q=troops", 200),
                                          ("/api/claims?limit=0", 422), ("/", 200)])
def test_every_request_ends_its_read_snapshot(sample_client: TestClient, tokens: dict[str, str], path: str,
                                              status: int) -> None:
    """A snapshot begun in a route's thread is ended there, whether the route answers, finds nothing or is never
    reached; one begun only to check a token is ended too; a request that reads nothing begins none."""
    engine = sample_client.app.state.desk.store.engine  # type: ignore[attr-defined]
    for headers in ({}, auth(tokens["reader"])):
        assert sample_client.get(path, headers=headers).status_code == status
        assert engine.pool.checkedout() == 0
    taken: list[object] = []

    def count(*_: object) -> None:
        taken.append(1)

    event.listen(engine, "checkout", count)
    try:
        assert sample_client.get("/api/me").json()["role"] == "reader"
        assert not taken
        assert sample_client.get("/api/me", headers=auth(tokens["reader"])).json()["token_id"]
        assert len(taken) == 1 and engine.pool.checkedout() == 0
    finally:
        event.remove(engine, "checkout", count)
