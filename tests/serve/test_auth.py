"""Tokens and roles: no token where one is needed is 401, a token of too low a role is 403, a revoked token
stops working, reading is closed when the server is told so; every error in the one shape."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from watchfloor.serve import Role, create_token
from watchfloor.serve.tokens import credential_from_header, digest
from watchfloor.store import Store

from .conftest import auth
from .test_api import assert_error


def _claim(client: TestClient) -> str:
    return str(client.get("/api/claims", params={"limit": 1}).json()["items"][0]["id"])


def test_notes_need_an_analyst_token(sample_client: TestClient, tokens: dict[str, str]) -> None:
    claim = _claim(sample_client)
    path = f"/api/claims/{claim}/notes"
    assert_error(sample_client.post(path, json={"text": "checked with the desk"}), 401)
    assert_error(sample_client.post(path, json={"text": "checked"}, headers=auth(tokens["reader"])), 403)
    assert_error(sample_client.post(path, json={"text": "checked"}, headers=auth("wf_nope_nope")), 401)
    assert_error(sample_client.post(path, json={"text": ""}, headers=auth(tokens["analyst"])), 422)
    assert_error(sample_client.post(path, json={"wrong": 1}, headers=auth(tokens["analyst"])), 422)
    assert_error(sample_client.post("/api/claims/nope/notes", json={"text": "x"}, headers=auth(tokens["analyst"])), 404)
    made = sample_client.post(path, json={"text": "Confirmed <b>by phone</b>"}, headers=auth(tokens["analyst"]))
    assert made.status_code == 201, made.text
    notes = sample_client.get(f"/api/claims/{claim}").json()["notes"]
    assert notes[-1]["text"] == "Confirmed <b>by phone</b>" and notes[-1]["author"] == "test analyst"
    page = sample_client.get(f"/claims/{claim}")
    assert "Confirmed &lt;b&gt;by phone&lt;/b&gt;" in page.text and "<b>by phone</b>" not in page.text


def test_uploads_need_an_analyst_token(sample_client: TestClient, tokens: dict[str, str]) -> None:
    files = {"files": ("report.txt", b"Officials said 300 soldiers arrived on Monday.", "text/plain")}
    assert_error(sample_client.post("/api/documents", files=files), 401)
    assert_error(sample_client.post("/api/documents", files=files, headers=auth(tokens["reader"])), 403)


def test_tokens_are_admin_business(sample_client: TestClient, sample_store: Store, tokens: dict[str, str]) -> None:
    assert_error(sample_client.get("/api/tokens", headers=auth(tokens["analyst"])), 403)
    listed = sample_client.get("/api/tokens", headers=auth(tokens["admin"]))
    assert listed.status_code == 200
    rows = listed.json()
    assert {r["role"] for r in rows} >= {"reader", "analyst", "admin"}
    assert all(set(r) == {"id", "name", "role", "tlp_ceiling", "created_at", "revoked_at"} for r in rows)
    token, row = create_token(sample_store, "short-lived", Role.READER)
    assert sample_client.get("/api/me", headers=auth(token)).json()["token_id"] == row.id
    assert sample_client.delete(f"/api/tokens/{row.id}", headers=auth(tokens["admin"])).status_code == 204
    assert_error(sample_client.get("/api/me", headers=auth(token)), 401)
    assert_error(sample_client.delete(f"/api/tokens/{row.id}", headers=auth(tokens["admin"])), 404)


def test_the_store_keeps_only_digests(sample_store: Store, tokens: dict[str, str]) -> None:
    with sample_store.read() as r:
        for token in tokens.values():
            row = r.token_by_digest(digest(token))
            assert row is not None
            assert token not in repr(row)


def test_roles_and_default_ceilings(sample_client: TestClient, tokens: dict[str, str]) -> None:
    seen = {role: sample_client.get("/api/me", headers=auth(t)).json() for role, t in tokens.items()}
    assert seen["reader"]["tlp_ceiling"] == "green"
    assert seen["analyst"]["tlp_ceiling"] == seen["admin"]["tlp_ceiling"] == "red"
    assert sample_client.get("/api/me").json()["token_id"] is None


def test_closed_reading_needs_a_token(closed_client: TestClient, tokens: dict[str, str]) -> None:
    error = assert_error(closed_client.get("/api/stories"), 401)
    assert "token" in error["message"]
    assert closed_client.get("/api/stories", headers=auth(tokens["reader"])).status_code == 200
    assert closed_client.get("/", headers={"accept": "text/html"}).status_code == 401
    basic = closed_client.get("/api/stories", auth=("desk", tokens["reader"]))  # TAXII clients send Basic
    assert basic.status_code == 200


@pytest.mark.parametrize(("header", "expected"), [
    ("Bearer abc", "abc"), ("basic ZGVzazpzZWNyZXQ=", "secret"), ("Basic !!!", ""), ("Digest x", ""), (None, None)])
def test_credentials_from_headers(header: str | None, expected: str | None) -> None:
    assert credential_from_header(header) == expected


def test_errors_keep_one_shape(sample_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_error(sample_client.get("/api/no/such/path"), 404)
    assert_error(sample_client.put("/api/stories"), 405)
    assert_error(sample_client.post("/api/claims/x/notes", content=b"x" * 100_000,
                                    headers={"content-type": "application/json"}), 413)
    from watchfloor.serve import screens

    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(screens, "stories", broken)
    error = assert_error(sample_client.get("/api/stories"), 500)
    assert "a bug" not in error["message"]  # no internals leak


def test_the_claim_page_form_takes_a_typed_token(sample_client: TestClient, tokens: dict[str, str]) -> None:
    claim = _claim(sample_client)
    html = {"accept": "text/html"}
    refused = sample_client.post(f"/claims/{claim}/notes", data={"token": tokens["reader"], "text": "x"},
                                 headers=html)
    assert refused.status_code == 403 and "analyst" in refused.text
    done = sample_client.post(f"/claims/{claim}/notes", data={"token": tokens["analyst"], "text": "from the page"},
                              headers=html, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/claims/{claim}#notes"
    assert "from the page" in sample_client.get(f"/claims/{claim}").text


def test_the_login_cookie_lets_a_browser_read_but_never_write(closed_client: TestClient,
                                                               tokens: dict[str, str]) -> None:
    html = {"accept": "text/html"}
    failed = closed_client.post("/login", data={"token": "wf_wrong_token"}, headers=html)
    assert failed.status_code == 200 and "unknown or revoked" in failed.text
    logged = closed_client.post("/login", data={"token": tokens["analyst"]}, follow_redirects=False)
    assert logged.status_code == 303
    cookie = logged.cookies["watchfloor_token"]
    assert "httponly" in logged.headers["set-cookie"].lower() and "samesite=strict" in logged.headers["set-cookie"].lower()
    assert closed_client.get("/", headers=html, cookies={"watchfloor_token": cookie}).status_code == 200
    claim = _claim_with(closed_client, tokens["reader"])
    write = closed_client.post(f"/api/claims/{claim}/notes", json={"text": "x"}, cookies={"watchfloor_token": cookie})
    assert_error(write, 401)  # the API never takes the cookie


def _claim_with(client: TestClient, token: str) -> str:
    return str(client.get("/api/claims", params={"limit": 1}, headers=auth(token)).json()["items"][0]["id"])


def test_worker_processes_build_the_app_the_command_was_given(sample_store: Store,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """`watchfloor serve --workers N`: each worker builds the app from the options handed over by the command,
    closed reading included (a worker must not open what the command closed)."""
    from watchfloor.serve import ServeOptions
    from watchfloor.serve.app import OPTIONS_VARIABLE, app_from_environment, options_for_workers

    monkeypatch.setenv(OPTIONS_VARIABLE, options_for_workers(ServeOptions(db=sample_store.given, open_reads=False)))
    with TestClient(app_from_environment(), raise_server_exceptions=False) as client:
        assert client.get("/api/me").status_code == 401
    monkeypatch.setenv(OPTIONS_VARIABLE, options_for_workers(ServeOptions(db=sample_store.given)))
    with TestClient(app_from_environment(), raise_server_exceptions=False) as client:
        assert client.get("/api/me").json()["role"] == "reader"
        assert client.get("/api/claims?limit=3").json()["items"]
