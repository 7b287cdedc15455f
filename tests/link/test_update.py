"""The picture is updated as documents arrive: a later denial turns a corroborated event into a contested one,
the change is kept in the status history, and ``brief --since`` reports it."""

from __future__ import annotations

import json
from pathlib import Path

from watchfloor import codec
from watchfloor.config import Settings
from watchfloor.link.consolidation import Occurrence
from watchfloor.link.update import Touched, _occurrence_rows
from watchfloor.model import Document, DocumentAnalysis
from watchfloor.pipeline import ingest_paths
from watchfloor.report.briefing import build_briefing
from watchfloor.report.export_json import build_export
from watchfloor.store import Store, open_store

FIRST = [
    {"id": "a1", "outlet": "Alpha Daily", "published": "2024-10-18T09:00:00Z",
     "title": "Seoul says North Korea sent troops",
     "text": "North Korea has sent about 1,500 soldiers to Russia, South Korea's spy agency said on Friday. "
             "The agency said the soldiers were moved by ship to Vladivostok."},
    {"id": "b1", "outlet": "Beta Times", "published": "2024-10-18T15:00:00Z",
     "title": "Kyiv says North Korean troops are in Russia",
     "text": "Ukraine's military intelligence agency said on Friday that North Korea had sent about 1,500 soldiers "
             "to Russia. The soldiers were training in the Russian Far East, it said."},
]
LATER = [
    {"id": "c1", "outlet": "Gamma Post", "published": "2024-10-19T10:00:00Z", "title": "Pyongyang denies sending troops",
     "text": "North Korea on Saturday denied that it had sent soldiers to Russia. A foreign ministry spokesman said "
             "the reports were groundless."},
]


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _aid(export: dict) -> list[dict]:
    return [e for e in export["events"] if e["type"] == "AID" and e["polarity"] == "positive"]


def _history(store: Store, since: str | None = None) -> list:
    with store.read() as r:
        return r.history(since)


def test_a_later_denial_contests_the_event_and_is_reported(location: str, tmp_path: Path) -> None:
    settings = Settings(db=location)
    with open_store(location, "create") as store:
        assert ingest_paths([_write(tmp_path / "first.jsonl", FIRST)], store, settings).ok
        (before,) = _aid(build_export(store))
        assert before["status"] == "corroborated" and before["independent_sources"] == 2
        assert {a["name"] for a in before["attributed_to"]} >= {"National Intelligence Service"}  # the spy agency the report describes
        since = max(h.changed_at for h in _history(store))

        assert ingest_paths([_write(tmp_path / "later.jsonl", LATER)], store, settings).ok
        export = build_export(store)
        (after,) = _aid(export)
        assert after["id"] == before["id"] and after["status"] == "contested"
        denial = next(e for e in export["events"] if e["id"] in after["contradicted_by"])
        assert denial["modality"] == "denied" and denial["attributed_to"][0]["name"] == "North Korea"

        changes = [h for h in _history(store, since) if h.group_id == after["id"]]
        assert [(h.previous, h.status) for h in changes] == [("corroborated", "contested")]
        briefing = build_briefing(store, since=since)
        (change,) = [s for s in briefing.status_changes if after["id"] in s.claim_ids]
        assert change.note.startswith("now contested, was corroborated (contradicted by")
        assert [p.verb for p in change.parts] == ["say", "denies"]  # the event and the denial: one sentence

        # re-ingesting the same files changes nothing
        assert ingest_paths([tmp_path / "first.jsonl", tmp_path / "later.jsonl"], store, settings).added == 0
        assert build_export(store)["events"] == export["events"]


def test_reports_a_batch_wrote_are_taken_as_they_read_back(
        sample_analyses: list[tuple[Document, DocumentAnalysis]]) -> None:
    """Re-scoring takes the reports the batch has just written from memory (``Touched.written``) rather than
    decoding them again: each must be what decoding its stored text gives, types included (the repr writes 100 and
    100.0 apart, which ``==`` does not, and a figure's key in a claim's sums would)."""
    touched = Touched()
    rows = [row for document, analysis in sample_analyses
            for row in _occurrence_rows(document, analysis, document.id, touched)]
    assert len(rows) == len(touched.written) > 50
    whole = 0
    for row in rows:
        text, occurrence = touched.written[(row.key, row.doc_id, row.position)]
        assert text == row.data
        assert repr(occurrence) == repr(codec.loads(Occurrence, row.data))
        quantity = occurrence.claim.quantity if occurrence.claim else None
        whole += quantity is not None and quantity.low is not None and quantity.low.is_integer()
    assert whole > 0  # the samples do give whole figures, which the analysis may hold as ints
