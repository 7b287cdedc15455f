"""A store analysed by an older watchfloor is brought up to date in place: the stored documents are analysed
again, their claims replace the old ones in the index and in the consolidated picture, and the change of
status is kept in the history."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from watchfloor import codec
from watchfloor.analyze import ANALYZER_VERSION
from watchfloor.config import Settings
from watchfloor.model import DocumentAnalysis, Modality
from watchfloor.picture import refresh_claims
from watchfloor.pipeline import ingest_paths, reanalyze
from watchfloor.store import Store
from watchfloor.store.links import LinkTables

REPORTS = [
    {"id": "r1", "outlet": "Alpha Daily", "published": "2025-03-03T09:00:00Z", "title": "Ministry silent on convoy",
     "text": "The interior ministry has not confirmed the arrival of the convoy in Narva."},
    {"id": "r2", "outlet": "Beta Times", "published": "2025-03-03T12:00:00Z", "title": "Convoy in Narva",
     "text": "A convoy of 40 trucks reached Narva on Monday, local officials said."},
]


def _as_an_older_analyzer_left_it(store: Store, doc_id: str) -> None:
    """Store the document the way analyzer version 2 did: "has not confirmed" as a hedged claim."""
    row = store.db.execute("SELECT data FROM analyses WHERE doc_id = ?", (doc_id,)).fetchone()
    analysis = codec.loads(DocumentAnalysis, row["data"])
    older = dataclasses.replace(analysis, claims=tuple(
        dataclasses.replace(c, modality=Modality.HEDGED, polarity="positive") if c.polarity == "uncommitted" else c
        for c in analysis.claims))
    document = store.document(doc_id)
    assert document is not None
    with store.transaction() as db:
        store.replace_analysis(db, doc_id, older, ANALYZER_VERSION - 1)
        refresh_claims(store, [(document, older)])


def _stances(store: Store, doc_id: str) -> set[str]:
    return {json.loads(r[0])["stance"] for r in store.db.execute("SELECT data FROM occurrences WHERE doc_id = ?",
                                                                   (doc_id,))}


def test_reanalyze_redoes_only_what_an_older_analyzer_stored(tmp_path: Path) -> None:
    feed = tmp_path / "reports.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in REPORTS), encoding="utf-8")
    settings = Settings(db=str(tmp_path / "s.db"))
    with Store(settings.db) as store:
        ingest_paths([feed], store, settings)
        silent = next(d.id for d in store.documents() if d.title == "Ministry silent on convoy")
        assert "uncommitted" in _stances(store, silent)
        _as_an_older_analyzer_left_it(store, silent)
        assert "uncommitted" not in _stances(store, silent)
        assert not store.search_claims("", polarity="uncommitted")
        groups_before = {r[0] for r in store.db.execute("SELECT id FROM claim_groups")}
        history_before = len(LinkTables(store.db).history())

        report = reanalyze(store, settings)

        assert report.reanalysed == 1 and report.links.linked == 1  # the other report was already current
        versions = {r[0] for r in store.db.execute("SELECT version FROM analyses")}
        assert versions == {ANALYZER_VERSION}
        assert "uncommitted" in _stances(store, silent)
        assert [h.doc_id for h in store.search_claims("", polarity="uncommitted")] == [silent]
        groups_after = {r[0] for r in store.db.execute("SELECT id FROM claim_groups")}
        assert groups_after != groups_before  # the hedged group gave way to an uncommitted one
        keys = {r[0] for r in store.db.execute("SELECT key FROM occurrences")}
        assert {r[0] for r in store.db.execute("SELECT key FROM claim_groups")} == keys  # no group left behind
        assert len(LinkTables(store.db).history()) > history_before  # the new group is on record
        # nothing is left to do the second time
        assert reanalyze(store, settings).reanalysed == 0
