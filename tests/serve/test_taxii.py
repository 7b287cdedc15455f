"""TAXII 2.1 from `watchfloor serve`, read by taxii2-client from a real uvicorn server on a loopback port, over
both engines: discovery, the API root and the collection; every object once when paging with ``next``;
``added_after`` after new documents arrive; 401 without a token or with a wrong one; and a green-ceiling reader
who never receives anything resting only on amber or red documents, through any endpoint."""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
import requests
import stix2

from watchfloor.config import Settings
from watchfloor.model import Document, DocumentAnalysis, Tlp
from watchfloor.pipeline import store_analysed
from watchfloor.report.export_json import build_export
from watchfloor.report.stix import to_stix
from watchfloor.report.stix.markings import marking_id
from watchfloor.report.tlp import within
from watchfloor.serve import Role, ServeOptions, create_app, create_token
from watchfloor.serve.taxii import COLLECTION_ID, DEFAULT_PAGE
from watchfloor.serve.taxii_feed import Entry, Feed, FeedCache, Filters, decode_next, page, parse_time
from watchfloor.store import Store, open_store

from ..conftest import ENGINES, new_location
from .conftest import running

pytest.importorskip("taxii2client")
from taxii2client.v21 import Collection, Server, as_pages  # noqa: E402

TAXII = "application/taxii+json;version=2.1"
GREEN_MARKINGS = {marking_id(Tlp.CLEAR), marking_id(Tlp.GREEN)}


@dataclass
class Desk:
    url: str
    store: Store
    later: list[tuple[Document, DocumentAnalysis]]
    green: str  # a reader token with a green ceiling
    red: str  # an analyst's token (red ceiling)

    @property
    def collection(self) -> str:
        return f"{self.url}/taxii2/watchfloor/collections/{COLLECTION_ID}/"


@pytest.fixture(scope="module", params=ENGINES)
def desk(request: pytest.FixtureRequest, sample_analyses: list[tuple[Document, DocumentAnalysis]],
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """Two thirds of the sample corpus (every third document amber, another third green, one red) served by
    uvicorn; the last third waits in ``later``."""
    marked = []
    for i, (document, analysis) in enumerate(sorted(sample_analyses, key=lambda p: p[0].id)):
        level = Tlp.RED if i == 0 else [Tlp.AMBER, Tlp.GREEN, Tlp.CLEAR][i % 3]
        marked.append((replace(document, tlp=level), analysis))
    first, later = marked[: len(marked) * 2 // 3], marked[len(marked) * 2 // 3:]
    location = new_location(request.param, request, tmp_path_factory.mktemp("taxii"))
    with open_store(location, "create") as store:
        store_analysed(iter(first), store, Settings(db=location))
        green = create_token(store, "partner", Role.READER, Tlp.GREEN)[0]
        red = create_token(store, "desk analyst", Role.ANALYST)[0]
        with running(create_app(ServeOptions(db=location))) as url:
            yield Desk(url, store, later, green, red)


def _collection(desk: Desk, token: str) -> Collection:
    return Collection(desk.collection, user="partner", password=token)


def _pull(desk: Desk, token: str, per_request: int = 0, **filters: Any) -> tuple[list[dict[str, Any]], list[int]]:
    """Every object through ``next``, and the size of each page."""
    pages = list(as_pages(_collection(desk, token).get_objects, per_request=per_request, **filters))
    return [o for p in pages for o in p.get("objects", [])], [len(p.get("objects", [])) for p in pages]


def _shared(store: Store, ceiling: Tlp) -> dict[str, Any]:
    return {o["id"]: o for o in to_stix(within(build_export(store), ceiling))["objects"]}


def _raw(desk: Desk, path: str, token: str | None, **kwargs: Any) -> requests.Response:
    headers = {"Accept": TAXII, **kwargs.pop("headers", {})}
    auth = ("partner", token) if token is not None else None
    return requests.request(kwargs.pop("method", "GET"), f"{desk.url}{path}", headers=headers, auth=auth,
                            timeout=60, **kwargs)


def test_discovery_api_root_and_the_one_read_only_collection(desk: Desk) -> None:
    server = Server(f"{desk.url}/taxii2/", user="partner", password=desk.green)
    assert server.title == "watchfloor"
    (root,) = server.api_roots
    assert server.default.url == root.url == f"{desk.url}/taxii2/watchfloor/"
    assert root.versions == [TAXII] and root.max_content_length > 0
    (collection,) = root.collections
    assert (collection.id, collection.can_read, collection.can_write) == (COLLECTION_ID, True, False)
    assert collection.media_types == ["application/stix+json;version=2.1"]

    answer = _raw(desk, "/taxii2/", desk.green)
    assert answer.headers["content-type"] == TAXII
    refused = _raw(desk, "/taxii2/", desk.green, headers={"Accept": "application/json"})
    assert refused.status_code == 406 and refused.headers["content-type"] == TAXII
    assert refused.json()["http_status"] == "406" and refused.json()["title"]
    objects = f"/taxii2/watchfloor/collections/{COLLECTION_ID}/objects/"
    assert _raw(desk, objects, desk.red, method="POST", json={"objects": []}).status_code == 415
    assert _raw(desk, objects, desk.red, method="POST", data=b'{"objects": []}',
                headers={"Content-Type": TAXII}).status_code == 403
    assert _raw(desk, "/taxii2/watchfloor/collections/nope/", desk.green).status_code == 404
    assert _raw(desk, objects, desk.green, params={"limit": "0"}).status_code == 400
    assert _raw(desk, objects, desk.green, params={"next": "not-ours"}).status_code == 400


def test_no_token_or_a_wrong_one_is_401_everywhere(desk: Desk) -> None:
    """Even on loopback, where the JSON API reads without a token: TAXII is for partners."""
    for path in ("/taxii2/", "/taxii2/watchfloor/", "/taxii2/watchfloor/collections/",
                 f"/taxii2/watchfloor/collections/{COLLECTION_ID}/objects/",
                 f"/taxii2/watchfloor/collections/{COLLECTION_ID}/manifest/"):
        for token in (None, "wf_00000000_not-a-token", ""):
            answer = _raw(desk, path, token)
            assert answer.status_code == 401, (path, token)
            assert answer.headers["www-authenticate"].startswith("Basic")
            assert answer.headers["content-type"] == TAXII and answer.json()["http_status"] == "401"
    with pytest.raises(requests.HTTPError, match="401"):
        _pull(desk, "wf_00000000_not-a-token")


def test_paging_with_next_gives_every_object_once(desk: Desk) -> None:
    expected = _shared(desk.store, Tlp.RED)
    objects, sizes = _pull(desk, desk.red, per_request=40)
    assert len(objects) == len({o["id"] for o in objects}) == len(expected)
    assert {o["id"]: o for o in objects} == expected
    assert sizes[:-1] == [40] * (len(sizes) - 1) and 0 < sizes[-1] <= 40
    for obj in objects:  # what a partner's platform does with them
        stix2.parse(obj, allow_custom=True)
    _, default = _pull(desk, desk.red)
    assert max(default) == DEFAULT_PAGE
    manifest = [r for page in as_pages(_collection(desk, desk.red).get_manifest, per_request=300)
                for r in page.get("objects", [])]
    assert [r["id"] for r in manifest] == [o["id"] for o in objects]  # one order: date_added, then id
    assert all(r["version"] == (expected[r["id"]].get("modified") or expected[r["id"]]["created"]) for r in manifest)
    claim = next(o for o in objects if o["type"] == "watchfloor-claim")
    one = _collection(desk, desk.red).get_object(claim["id"])
    assert one["objects"] == [claim]
    versions = _collection(desk, desk.red).object_versions(claim["id"])
    assert versions["versions"] == [claim["modified"]]
    by_type = _collection(desk, desk.red).get_objects(type=["report"], limit=1000)["objects"]
    assert {o["id"] for o in by_type} == {i for i, o in expected.items() if o["type"] == "report"}


def _last_added(desk: Desk, token: str) -> str:
    pages = list(as_pages(_collection(desk, token).get_manifest, per_request=500))
    return str(pages[-1]["objects"][-1]["date_added"])


def test_green_ceiling_never_receives_amber_through_any_endpoint(desk: Desk) -> None:
    everything = _shared(desk.store, Tlp.RED)
    shared = _shared(desk.store, Tlp.GREEN)
    hidden = set(everything) - set(shared)
    assert hidden, "the store holds objects resting only on amber and red documents"
    objects, _ = _pull(desk, desk.green, per_request=75)
    assert {o["id"]: o for o in objects} == shared
    assert all(set(o.get("object_marking_refs", [])) <= GREEN_MARKINGS for o in objects)
    assert not [o for o in objects if o["type"] == "marking-definition" and o["id"] not in GREEN_MARKINGS]
    manifest = [r for page in as_pages(_collection(desk, desk.green).get_manifest, per_request=500)
                for r in page.get("objects", [])]
    assert {r["id"] for r in manifest} == set(shared)
    for object_id in sorted(hidden)[:25]:
        for path in (f"objects/{object_id}/", f"objects/{object_id}/versions/"):
            answer = _raw(desk, f"/taxii2/watchfloor/collections/{COLLECTION_ID}/{path}", desk.green)
            assert answer.status_code == 404 and answer.headers["content-type"] == TAXII
        for path in ("objects/", "manifest/"):
            answer = _raw(desk, f"/taxii2/watchfloor/collections/{COLLECTION_ID}/{path}", desk.green,
                          params={"match[id]": object_id})
            assert answer.json() == {"more": False} and "x-taxii-date-added-last" not in answer.headers
    # the analyst's token on the same server still sees everything
    assert _raw(desk, f"/taxii2/watchfloor/collections/{COLLECTION_ID}/objects/{sorted(hidden)[0]}/",
                desk.red).status_code == 200


def test_added_after_gives_what_changed_when_new_documents_arrive(desk: Desk) -> None:
    before = {level: _shared(desk.store, level) for level in (Tlp.RED, Tlp.GREEN)}
    last = {token: _last_added(desk, token) for token in (desk.red, desk.green)}
    for token in (desk.red, desk.green):
        assert _collection(desk, token).get_objects(added_after=last[token]) == {"more": False}

    store_analysed(iter(copy.deepcopy(desk.later)), desk.store, Settings(db=desk.store.given))

    after = _shared(desk.store, Tlp.RED)
    changed = {i for i, o in after.items() if before[Tlp.RED].get(i) != o}
    received, _ = _pull(desk, desk.red, per_request=100, added_after=last[desk.red])
    assert changed and {o["id"] for o in received} >= changed  # every new and changed object, none missed
    assert {o["id"]: o for o in received} == {o["id"]: after[o["id"]] for o in received}
    assert len(received) < len(after)  # and not the whole collection again

    green_after = _shared(desk.store, Tlp.GREEN)
    received, _ = _pull(desk, desk.green, per_request=100, added_after=last[desk.green])
    got = {o["id"]: o for o in received}
    assert set(got) <= set(green_after) and all(set(o.get("object_marking_refs", [])) <= GREEN_MARKINGS
                                                for o in received)
    arrived = {d.id for d, _ in desk.later if d.tlp in (Tlp.CLEAR, Tlp.GREEN)}
    new_reports = {i for i, o in green_after.items() if o["type"] == "report"
                   and o["external_references"][0]["external_id"] in arrived}
    assert new_reports and new_reports <= set(got)


def _entry(added: str, number: int) -> Entry:
    object_id = f"note--00000000-0000-4000-8000-{number:012d}"
    return Entry(added, object_id, "note", "2024-11-05T10:00:00.000Z", "2.1", {"id": object_id})


def test_next_names_an_object_so_a_change_between_pages_neither_skips_nor_repeats() -> None:
    entries = [_entry(f"2026-01-01T00:00:0{i}.000000Z", i) for i in range(6)]
    first = page(Feed(list(entries)), Filters(), 2)
    assert [e.id for e in first.entries] == [entries[0].id, entries[1].id] and first.more and first.next
    # the first object changes and the third goes away before the partner asks for the next page
    changed = [replace(entries[0], date_added="2026-01-01T00:00:09.000000Z"), entries[1], *entries[3:]]
    after = decode_next(first.next)
    rest = page(Feed(changed), Filters(), 10, after)
    assert [e.id for e in rest.entries] == [e.id for e in entries[3:]] + [entries[0].id] and not rest.more
    assert rest.headers() == {"X-TAXII-Date-Added-First": entries[3].date_added,
                              "X-TAXII-Date-Added-Last": "2026-01-01T00:00:09.000000Z"}
    assert page(Feed(list(entries)), Filters(added_after=parse_time("2026-01-01T00:00:04Z")), 10).entries == [
        entries[5]]
    assert parse_time("2026-01-01T00:00:04.1234567Z") == "2026-01-01T00:00:04.123456Z"
    assert parse_time("2026-02-30T00:00:00Z") is None and decode_next("bm90IG91cnM") is None


def test_while_one_request_builds_the_new_collection_the_others_get_the_previous_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import watchfloor.serve.taxii_feed as taxii_feed

    started, release = threading.Event(), threading.Event()
    built: list[str] = []

    def build(reader: Any, ceiling: Tlp) -> Feed:
        built.append(reader.marks[0])
        if reader.marks[0] == "2":
            started.set()
            release.wait(10)
        return Feed([_entry(f"2026-01-01T00:00:0{reader.marks[0]}.000000Z", 1)])

    class Snapshot:
        def __init__(self, mark: str) -> None:
            self.marks = (mark,)

        def picture_marks(self) -> tuple[str, ...]:
            return self.marks

    monkeypatch.setattr(taxii_feed, "build_feed", build)
    cache = FeedCache()
    assert cache.feed(Snapshot("1"), Tlp.GREEN).entries[0].date_added.endswith("01.000000Z")
    slow = threading.Thread(target=cache.feed, args=(Snapshot("2"), Tlp.GREEN))
    slow.start()
    assert started.wait(10)
    meanwhile = cache.feed(Snapshot("2"), Tlp.GREEN)
    assert meanwhile.entries[0].date_added.endswith("01.000000Z")  # the previous collection, at once
    release.set()
    slow.join(10)
    assert cache.feed(Snapshot("2"), Tlp.GREEN).entries[0].date_added.endswith("02.000000Z")
    assert built == ["1", "2"]  # built once per change, whoever asks
