"""A store analysed by an older watchfloor is brought up to date in place: the stored documents are analysed
again, their claims replace the old ones in the index and in the consolidated picture, and the change of
status is kept in the history."""

from __future__ import annotations

import dataclasses
import json

from watchfloor.analyze import ANALYZER_VERSION
from watchfloor.config import Settings
from watchfloor.link.update import load_groups, refresh_claims
from watchfloor.model import Document, Modality
from watchfloor.pipeline import ingest_documents, reanalyze
from watchfloor.store import Store, open_store

REPORTS = [
    Document("r1", "Ministry silent on convoy", "The interior ministry has not confirmed the arrival of the convoy in "
             "Narva.", "Alpha Daily"),
    Document("r2", "Convoy in Narva", "A convoy of 40 trucks reached Narva on Monday, local officials said.",
             "Beta Times"),
]


def _as_an_older_analyzer_left_it(store: Store, doc_id: str) -> None:
    """Store the document the way an older analyzer did: "has not confirmed" as a hedged claim."""
    with store.write() as w:
        ((document, analysis),) = list(w.analyses([doc_id]))
        older = dataclasses.replace(analysis, claims=tuple(
            dataclasses.replace(c, modality=Modality.HEDGED, polarity="positive") if c.polarity == "uncommitted"
            else c for c in analysis.claims))
        w.replace_analysis(doc_id, older, ANALYZER_VERSION - 1)
        refresh_claims(w, [(document, older)])


def _stances(store: Store, doc_id: str) -> set[str]:
    with store.read() as r:
        return {json.loads(data)["stance"] for data in r.occurrences_of(doc_id)}


def test_reanalyze_redoes_only_what_an_older_analyzer_stored(location: str) -> None:
    settings = Settings(db=location)
    with open_store(location, "create") as store:
        ingest_documents(iter(REPORTS), store, settings)
        assert "uncommitted" in _stances(store, "r1")
        _as_an_older_analyzer_left_it(store, "r1")
        assert "uncommitted" not in _stances(store, "r1")
        with store.read() as r:
            assert not r.search_claims("", polarity="uncommitted")
            groups_before = {g.id for g in r.groups()}
            history_before = len(r.history())

        report = reanalyze(store, settings)

        assert report.reanalysed == 1 and report.links.linked == 1  # the other report was already current
        assert "uncommitted" in _stances(store, "r1")
        with store.read() as r:
            assert r.analysis_versions() == {ANALYZER_VERSION: 2}
            assert [h.doc_id for h in r.search_claims("", polarity="uncommitted")] == ["r1"]
            groups_after = {g.id: g for g in load_groups(r)}
            # the claim keeps its id; what it now says of the source's stance replaced the hedge
            assert set(groups_after) == groups_before
            stances = {g.stance for g in groups_after.values() if any(m.doc_id == "r1" for m in g.members)}
            assert "uncommitted" in stances
            assert {g.key for g in r.groups()} == r.occurrence_keys()  # no group left behind
            assert len(r.history()) >= history_before
        # nothing is left to do the second time
        assert reanalyze(store, settings).reanalysed == 0
