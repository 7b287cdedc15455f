"""Push to a partner's TAXII 2.1 server — medallion, run on loopback by the test — and read it back."""

from __future__ import annotations

import copy
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import stix2

from watchfloor.model import Tlp
from watchfloor.report.grades import grade_export
from watchfloor.report.stix import to_stix
from watchfloor.report.stix.markings import tlp_of_marking
from watchfloor.report.taxii import PushError, push_bundle
from watchfloor.report.tlp import levels, within

pytest.importorskip("medallion")

COLLECTION = "9f2bd1a6-8a4e-4b43-9d6e-0f5a7d0c1e11"
USER, PASSWORD = "desk", "partner-token"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def partner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A medallion server with one writable collection and a small envelope limit, on a free loopback port."""
    folder = tmp_path_factory.mktemp("medallion")
    port = _free_port()
    root = f"http://127.0.0.1:{port}/partner/"
    data = {
        "/discovery": {"title": "partner", "description": "test partner", "default": root, "api_roots": [root]},
        "partner": {
            "information": {"title": "Partner", "description": "test", "max_content_length": 200_000,
                            "versions": ["application/taxii+json;version=2.1"]},
            "status": [],
            "collections": [{"id": COLLECTION, "title": "shared with us", "description": "test", "can_read": True,
                             "can_write": True, "media_types": ["application/stix+json;version=2.1"],
                             "objects": [], "manifest": []}],
        },
    }
    (folder / "data.json").write_text(json.dumps(data))
    (folder / "config.json").write_text(json.dumps({
        "backend": {"module": "medallion.backends.memory_backend", "module_class": "MemoryBackend",
                    "filename": str(folder / "data.json")},
        "users": {USER: PASSWORD}, "taxii": {"max_page_size": 100}}))
    with (folder / "medallion.log").open("w") as log:
        server = subprocess.Popen([sys.executable, "-m", "medallion.scripts.run", "--host", "127.0.0.1",
                                   "--port", str(port), str(folder / "config.json")],
                                  cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/taxii2/", auth=(USER, PASSWORD), timeout=1,
                                headers={"Accept": "application/taxii+json;version=2.1"}).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"medallion did not start: {(folder / 'medallion.log').read_text()}")
            time.sleep(0.1)
        yield f"{root}collections/{COLLECTION}/"
    finally:
        server.terminate()
        server.wait(10)


def _pull(url: str) -> list[dict[str, Any]]:
    from taxii2client.v21 import Collection, as_pages

    collection = Collection(url, user=USER, password=PASSWORD)
    return [obj for page in as_pages(collection.get_objects, per_request=100) for obj in page.get("objects", [])]


def test_round_trip_keeps_claims_sources_status_grades_and_markings(partner: str,
                                                                    sample_export: dict[str, Any]) -> None:
    marked = copy.deepcopy(sample_export)
    for i, document in enumerate(marked["documents"]):
        document["tlp"] = ["clear", "green", "amber"][i % 3]
    shared = within(marked, Tlp.GREEN)
    bundle = to_stix(shared)
    report = push_bundle(bundle, partner, user=USER, password=PASSWORD, timeout=30)
    sent = [o for o in bundle["objects"] if o["type"] != "extension-definition"]
    assert (report.sent, report.succeeded, report.failed) == (len(sent), len(sent), 0)
    assert report.envelopes > 1  # the API root allows 200 kB an envelope

    pulled = {o["id"]: o for o in _pull(partner)}
    assert pulled == {o["id"]: o for o in sent}
    parsed = [stix2.parse(o) for o in pulled.values()]
    claims = {o.external_references[0].external_id: o for o in parsed if o.type == "watchfloor-claim"}
    grades = grade_export(shared)
    marks = levels(shared).claims
    assert len(claims) == len(shared["claims"]) > 0
    for claim in shared["claims"]:
        got = claims[claim["id"]]
        assert (got.status, got.sources, got.independent_sources) == (
            claim["status"], claim["sources"], claim["independent_sources"])
        assert [tlp_of_marking(m) for m in got.object_marking_refs] == [marks[claim["id"]]]
        assert (got.source_reliability, got.information_credibility) == (
            grades[claim["id"]].reliability.value, int(grades[claim["id"]].credibility))
        assert [e["report_ref"] for e in got.evidence] == [
            o["id"] for e in claim["evidence"] for o in sent
            if o["type"] == "report" and o["external_references"][0]["external_id"] == e["doc_id"]]
    used = {tlp_of_marking(o["object_marking_refs"][0]) for o in pulled.values() if "object_marking_refs" in o}
    assert used == {Tlp.CLEAR, Tlp.GREEN}


def test_wrong_password_is_a_clear_error(partner: str) -> None:
    with pytest.raises(PushError, match="401"):
        push_bundle({"objects": []}, partner, user=USER, password="not-the-token")


def test_oversized_object_is_refused_before_sending(partner: str) -> None:
    huge = {"type": "note", "id": "note--0b8f6a43-8b8a-4f5e-9b55-3f5a2f1f2c11", "content": "x" * 300_000}
    with pytest.raises(PushError, match="over the server's limit"):
        push_bundle({"objects": [huge]}, partner, user=USER, password=PASSWORD)
