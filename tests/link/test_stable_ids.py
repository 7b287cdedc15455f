"""Ids are given once and kept: an entity's, a story's and a claim's id does not change when unrelated reports
arrive, nor when a back-dated report of the same thing arrives; and ``brief --since`` does not call an old
claim new because a back-dated report joined it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from watchfloor.config import Settings
from watchfloor.model import Document
from watchfloor.pipeline import ingest_documents
from watchfloor.report.briefing import build_briefing
from watchfloor.report.export_json import build_export
from watchfloor.store import Store, open_store


def _doc(doc_id: str, outlet: str, when: str, title: str, text: str) -> Document:
    return Document(doc_id, title, text, outlet, published=datetime.fromisoformat(when).replace(tzinfo=UTC))


FIRST = [
    _doc("a1", "Alpha Daily", "2024-10-18T09:00", "Seoul says North Korea sent troops",
         "North Korea has sent about 1,500 soldiers to Russia, South Korea's spy agency said on Friday. "
         "Kim Jong Un did not comment. The agency said the soldiers were moved by ship to Vladivostok."),
    _doc("b1", "Beta Times", "2024-10-18T15:00", "Kyiv says North Korean troops are in Russia",
         "Ukraine's military intelligence agency said on Friday that North Korea had sent about 1,500 soldiers "
         "to Russia. Kim said nothing about the deployment."),
]
UNRELATED = [
    _doc("u1", "Gamma Post", "2024-11-20T08:00", "Floods close the port of Constanta",
         "Floods closed the port of Constanta on Wednesday, Romania's transport ministry said. About 200 ships "
         "were waiting offshore, the port authority said."),
    _doc("u2", "Delta Wire", "2024-11-21T10:00", "Romania opens a second channel at Constanta",
         "Romania opened a second channel at Constanta on Thursday, the transport ministry said."),
]
BACKDATED = [
    _doc("z0", "Epsilon News", "2024-10-17T20:00", "Spy agency: North Korean soldiers in Russia",
         "North Korea has sent about 1,500 soldiers to Russia, South Korea's spy agency said on Thursday. "
         "Kim Jong Un has not commented on the reports."),
]


def _ids(store: Store) -> dict[str, Any]:
    export = build_export(store)
    return {
        "entities": {e["id"]: e["type"] for e in export["entities"]},
        "stories": {d["id"]: d["story_id"] for d in export["documents"]},
        "claims": {c["id"]: sorted({s["doc_id"] for s in c["evidence"]}) for c in export["claims"] + export["events"]},
    }


def _history_time(store: Store) -> str:
    with store.read() as r:
        return max(h.changed_at for h in r.history())


def test_ids_survive_unrelated_and_back_dated_reports(location: str) -> None:
    settings = Settings(db=location)
    with open_store(location, "create") as store:
        ingest_documents(iter(FIRST), store, settings)
        before = _ids(store)
        deployment = [cid for cid, docs in before["claims"].items() if docs == ["a1", "b1"]]
        assert deployment, "the two reports make claims together"

        ingest_documents(iter(UNRELATED), store, settings)
        after_unrelated = _ids(store)
        for kind in ("entities", "stories", "claims"):
            for key, value in before[kind].items():
                assert after_unrelated[kind].get(key) == value, (kind, key)

        since = _history_time(store)
        ingest_documents(iter(BACKDATED), store, settings)
        after_backdated = _ids(store)
        assert set(before["entities"]) <= set(after_backdated["entities"])  # no entity renamed or retired
        for doc_id in ("a1", "b1"):
            assert after_backdated["stories"][doc_id] == before["stories"][doc_id]
        joined = [cid for cid in deployment if "z0" in after_backdated["claims"].get(cid, [])]
        assert joined, "the back-dated report joined the old claim under the old id"
        for cid in deployment:
            assert cid in after_backdated["claims"]  # every old claim is still there under its id

        briefing = build_briefing(store, since=since)
        new = {claim_id for statement in briefing.new_claims for claim_id in statement.claim_ids}
        assert new, "the back-dated report brings claims of its own"
        assert not new & set(deployment), "an old claim a back-dated report joined is not new"
