"""A reader token with a green ceiling never receives anything that rests only on amber or red documents,
through any endpoint or page; what it does receive of a claim is exactly what ``report.tlp.within`` keeps."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from watchfloor.model import Tlp
from watchfloor.report.export_json import build_export
from watchfloor.report.tlp import within
from watchfloor.serve import Role, create_token
from watchfloor.store import Store

from .conftest import auth
from .test_api import _no_part_of, _without_page_fields


@pytest.fixture(scope="module")
def green(tlp_store: Store) -> str:
    return create_token(tlp_store, "partner", Role.READER)[0]


@pytest.fixture(scope="module")
def export(tlp_store: Store) -> dict[str, Any]:
    return build_export(tlp_store)


def _pages(client: TestClient, path: str, token: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = client.get(path, params={"limit": 200, "offset": offset}, headers=auth(token)).json()
        items += page["items"]
        offset += 200
        if offset >= page["total"]:
            return items


def test_green_reader_sees_what_within_keeps(tlp_client: TestClient, green: str, export: dict[str, Any]) -> None:
    shared = within(export, Tlp.GREEN)
    hidden = {d["id"] for d in export["documents"]} - {d["id"] for d in shared["documents"]}
    assert hidden, "the fixture marks some documents amber and red"
    assert {d["id"] for d in _pages(tlp_client, "/api/documents", green)} == {d["id"] for d in shared["documents"]}
    claims = _pages(tlp_client, "/api/claims", green)
    assert {c["id"] for c in claims} == {c["id"] for c in shared["claims"]}
    kept = {c["id"]: c for c in shared["claims"]}
    for item in claims:  # the list agrees with the cut-down records, partly hidden claims included
        assert (item["status"], item["sources"], item["independent_sources"]) == (
            kept[item["id"]]["status"], kept[item["id"]]["sources"], kept[item["id"]]["independent_sources"])
    partly = [c for c in export["claims"] if c["id"] in kept and len(kept[c["id"]]["evidence"]) < len(c["evidence"])]
    assert partly, "some claims rest on documents on both sides of the ceiling"
    for claim in partly + shared["claims"][:10]:
        detail = tlp_client.get(f"/api/claims/{claim['id']}", headers=auth(green)).json()
        assert _without_page_fields(detail["claim"]) == _no_part_of(kept[claim["id"]])
    events = _pages(tlp_client, "/api/events", green)
    assert {e["id"] for e in events} == {e["id"] for e in shared["events"]}
    only_hidden = [c["id"] for c in export["claims"] if c["id"] not in kept]
    assert only_hidden
    for claim_id in only_hidden[:5]:
        assert tlp_client.get(f"/api/claims/{claim_id}", headers=auth(green)).status_code == 404


def _walk(client: TestClient, token: str, export: dict[str, Any]) -> list[str]:
    """Every answer a reader can get: lists, details, search, entities, tracks, changes, and the pages."""
    headers = auth(token)
    bodies = []
    paths = ["/api/stories?limit=200", "/api/changes?limit=500", "/api/tracks", "/api/timeline?limit=200",
             "/api/search?q=troops", "/api/search?q=korea", "/api/search?q=said"]
    paths += [f"/api/stories/{s['id']}" for s in export["stories"]]
    paths += [f"/api/entities/{e['id']}" for e in export["entities"][:40]]
    paths += [f"/api/tracks/{t['track']}" for t in client.get("/api/tracks", headers=headers).json()]
    paths += [f"/api/documents/{d['id']}" for d in export["documents"]]
    paths += ["/", "/changes", "/map", "/tracker", "/search?q=troops"]
    paths += [f"/stories/{s['id']}" for s in export["stories"]]
    for path in paths:
        response = client.get(path, headers=headers)
        assert response.status_code in (200, 404), (path, response.status_code)
        if response.status_code == 200:  # a 404 names what was asked for, nothing more
            bodies.append(response.text)
    return bodies


def test_nothing_of_a_hidden_document_reaches_a_green_reader(tlp_client: TestClient, green: str,
                                                              export: dict[str, Any]) -> None:
    shared = within(export, Tlp.GREEN)
    visible = {d["id"] for d in shared["documents"]}
    hidden_docs = [d for d in export["documents"] if d["id"] not in visible]
    visible_sentences = {e["text"] for c in shared["claims"] + shared["events"] for e in c["evidence"]}
    visible_text = "\n".join(d["text"] for d in shared["documents"])
    secrets = set()
    for item in export["claims"] + export["events"]:
        for e in item["evidence"]:
            if e["doc_id"] not in visible and e["text"] not in visible_text and e["text"] not in visible_sentences:
                secrets.add(e["text"])
    assert secrets
    everything = "\n".join(_walk(tlp_client, green, export))
    decoded = json.dumps(everything)
    for document in hidden_docs:  # story ids are names (``story-`` and a hash), kept as the export keeps them
        assert document["id"] not in everything.replace(f"story-{document['id']}", ""), document["id"]
        assert document["title"] not in everything or any(document["title"] == d["title"] for d in shared["documents"])
    leaked = [s for s in secrets if s in everything or json.dumps(s)[1:-1] in decoded]
    assert not leaked, leaked[:3]


def test_an_analyst_token_sees_everything(tlp_client: TestClient, tlp_store: Store, export: dict[str, Any]) -> None:
    analyst = create_token(tlp_store, "desk", Role.ANALYST)[0]
    assert len(_pages(tlp_client, "/api/claims", analyst)) == len(export["claims"])
    amber = create_token(tlp_store, "amber partner", Role.READER, Tlp.AMBER)[0]
    seen = {d["id"] for d in _pages(tlp_client, "/api/documents", amber)}
    assert seen == {d["id"] for d in within(export, Tlp.AMBER)["documents"]}
