"""Hostile input stays inert: a document uploaded with script tags, event-handler attributes, ``javascript:``
links and markup in its title and outlet shows as text on every page; a 1 MB single-line document renders;
request bodies over the limit are refused; nothing the pages load comes from another host."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from watchfloor.config import Settings
from watchfloor.model import Document, DocumentAnalysis
from watchfloor.pipeline import store_analysed
from watchfloor.serve import Role, ServeOptions, create_app, create_token
from watchfloor.serve.app import STATIC, TEMPLATES
from watchfloor.store import open_store

from ..conftest import new_location
from .conftest import auth

SCRIPT = '<script>document.title="pwned"</script>'
HANDLER = '<img src=x onerror="document.title=\'pwned\'">'
LINK = "javascript:document.title='pwned'"
HOSTILE = {
    "id": "hostile-1", "title": f"Officials deny report {SCRIPT}", "outlet": f"Evil Desk {HANDLER}",
    "url": LINK, "published": "2024-11-20T10:00:00+00:00",
    "text": (f"Officials in Vilnius said on Monday that 300 soldiers had arrived at the border {SCRIPT}. "
             f"The ministry said the move was a provocation {HANDLER} and <a href=\"{LINK}\">click here</a>. "
             "The defence minister said 300 soldiers were now stationed there."),
}


@pytest.fixture(scope="module", params=("sqlite", "postgresql"))
def hostile(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        tuple[TestClient, str]]:
    """A new store with the hostile document uploaded through the API by an analyst, and a 1 MB one-line
    document stored beside it."""
    location = new_location(request.param, request, tmp_path_factory.mktemp("hostile"))
    with open_store(location, "create") as store:
        analyst = create_token(store, "desk", Role.ANALYST)[0]
        line = "Troops moved " + "<script>x()</script> and onward " * (1_000_000 // 32)
        big = Document("big-line", "One line", line, "Long Wire", published=datetime(2024, 11, 21, tzinfo=UTC))
        store_analysed(iter([(big, DocumentAnalysis("big-line"))]), store, Settings(db=location))
    with TestClient(create_app(ServeOptions(db=location)), raise_server_exceptions=False) as client:
        upload = client.post("/api/documents", headers=auth(analyst), data={"tlp": "clear"},
                             files={"files": ("hostile.jsonl", json.dumps(HOSTILE).encode(), "application/json")})
        assert upload.status_code == 201, upload.text
        assert upload.json()["added"] == 1 and not upload.json()["errors"]
        yield client, upload.json()["added_ids"][0]


def _pages(client: TestClient, doc_id: str) -> dict[str, str]:
    pages: dict[str, str] = {}
    detail = client.get(f"/api/documents/{doc_id}").json()
    claim_ids = {s["claim_id"] for s in detail["spans"]}
    assert claim_ids, "the hostile document's sentences became claims"
    story = detail["document"]["story"]["id"]
    paths = ["/", "/?sort=changed", f"/stories/{story}", f"/documents/{doc_id}", "/documents/big-line",
             "/search?q=soldiers", "/search?q=script", "/changes", "/map", "/tracker", "/search?q=" + SCRIPT]
    paths += [f"/claims/{c}" for c in claim_ids]
    entities = client.get("/api/search", params={"q": "vilnius"}).json()["entities"]
    paths += [f"/entities/{e['id']}" for e in entities]
    for path in paths:
        response = client.get(path, headers={"accept": "text/html"})
        assert response.status_code == 200, (path, response.status_code)
        pages[path] = response.text
    return pages


def test_hostile_text_is_inert_on_every_page(hostile: tuple[TestClient, str]) -> None:
    client, doc_id = hostile
    pages = _pages(client, doc_id)
    for path, html in pages.items():
        assert "<script>document" not in html, path
        assert "onerror=" not in html.replace("onerror=&#34;", "").replace("onerror=&quot;", ""), path
        assert 'href="javascript:' not in html.lower(), path
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert all('src="/static/' in s or 'type="application/json"' in s for s in scripts), (path, scripts)
    document = pages[f"/documents/{doc_id}"]
    assert "&lt;script&gt;document.title=&#34;pwned&#34;&lt;/script&gt;" in document  # shown, as text
    assert "Evil Desk &lt;img" in document
    assert "Long Wire" in pages["/documents/big-line"] and len(pages["/documents/big-line"]) > 1_000_000


def test_hostile_text_round_trips_through_the_api(hostile: tuple[TestClient, str]) -> None:
    client, doc_id = hostile
    document = client.get(f"/api/documents/{doc_id}").json()["document"]
    assert document["title"] == HOSTILE["title"] and document["url"] == LINK
    assert SCRIPT in document["text"]  # stored and returned as it came; JSON is not markup


def test_bodies_over_the_limit_are_refused(hostile: tuple[TestClient, str], tmp_path: Path) -> None:
    client, _ = hostile
    response = client.post("/api/documents", content=b"x" * (21 * 1024 * 1024),
                           headers={"content-type": "application/octet-stream"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"

    def stream() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(100):
            yield b"y" * 1024

    streamed = client.post("/api/claims/x/notes", content=stream(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413


ADDRESS = re.compile(r"https?://", re.I)
#: XML namespace names, which a browser never fetches
NAMESPACES = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink", "http://www.w3.org/1999/xhtml")
LICENCE_COMMENT = re.compile(r"/\*![\s\S]*?\*/|^\s*/\*[\s\S]*?\*/|^\s*//[^\n]*", re.M)


def _addresses(text: str) -> list[str]:
    for name in NAMESPACES:
        text = text.replace(name, "")
    return [text[max(0, m.start() - 40): m.end() + 40] for m in ADDRESS.finditer(text)]


def test_no_template_or_asset_references_another_host() -> None:
    ours = [*TEMPLATES.glob("*.html"), *STATIC.glob("*.js"), *STATIC.glob("*.css"), *STATIC.glob("*.svg")]
    assert len(ours) >= 15
    for path in ours:
        assert not _addresses(path.read_text(encoding="utf-8")), path
    vendor = sorted((STATIC / "vendor").glob("*"))
    assert {p.name for p in vendor} >= {"d3-geo.min.js", "topojson-client.min.js", "countries-110m.json",
                                        "uPlot.iife.min.js", "cytoscape.min.js"}, "run `make assets`"
    for path in vendor:
        if path.suffix in {".js", ".css", ".json"}:
            code = LICENCE_COMMENT.sub("", path.read_text(encoding="utf-8"))  # licence banners name their homes
            assert not _addresses(code), (path, _addresses(code)[:3])


def test_the_check_catches_an_address() -> None:
    assert _addresses('<script src="https://cdn.example/x.js"></script>')
    assert _addresses("@import url(http://fonts.example/a.css);")
    assert not _addresses('document.createElementNS("http://www.w3.org/2000/svg", "svg")')
    assert LICENCE_COMMENT.sub("", "/*! https://example.org */ var a = 1;") == " var a = 1;"
