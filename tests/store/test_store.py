from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from watchfloor.config import Settings
from watchfloor.errors import StoreError
from watchfloor.model import Document
from watchfloor.pipeline import ingest_documents
from watchfloor.store import Store
from watchfloor.store.schema import MIGRATIONS

TEXT = "South Korea's spy agency said on Friday that North Korea had sent 1,500 special forces to Russia."


def _doc(i: int) -> Document:
    return Document(id=f"d{i}", title=f"Report {i}", text=f"{TEXT} Report number {i} adds detail {i * 7}.",
                    outlet="Herald", content_hash=str(i))


def test_migrations_and_wal(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        assert store.schema_version() == len(MIGRATIONS)
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Store(tmp_path / "s.db") as again:  # reopening migrates nothing twice
        assert again.schema_version() == len(MIGRATIONS)


def test_newer_store_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    con.close()
    with pytest.raises(StoreError, match="newer than this watchfloor"):
        Store(path)


def test_interrupted_batch_leaves_no_half_written_document(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "s.db"), batch_size=2)
    store = Store(settings.db)

    def interrupted():
        yield _doc(1)
        yield _doc(2)
        yield _doc(3)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest_documents(interrupted(), store, settings)
    # the first full batch was committed; nothing of the third document exists anywhere
    assert {d.id for d in store.documents()} == {"d1", "d2"}
    assert store.db.execute("SELECT count(*) FROM analyses").fetchone()[0] == 2
    assert store.db.execute("SELECT count(*) FROM minhash_bands WHERE doc_id = 'd3'").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM claims_fts_source WHERE doc_id = 'd3'").fetchone()[0] == 0
    # re-running is safe: the missing document is added, the others are not duplicated
    report = ingest_documents(iter([_doc(1), _doc(2), _doc(3)]), store, settings)
    assert (report.added, report.already_stored) == (1, 2)
    assert store.count() == 3
    store.close()


def test_near_duplicate_recorded(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "s.db"))
    with Store(settings.db) as store:
        long_text = " ".join([TEXT] * 2 + [f"Paragraph {i} of the wire story adds its own detail." for i in range(8)])
        base = Document(id="d1", title="Wire", text=long_text, outlet="Wire", content_hash="w")
        copy = Document(id="copy", title="Copy", text=long_text + " Syndicated by Another Outlet.", outlet="Other",
                        content_hash="c")
        report = ingest_documents(iter([base, copy]), store, settings)
        assert report.near_duplicates == 1
        assert store.document("copy").near_duplicate_of == "d1"  # type: ignore[union-attr]


def test_search_documents_and_claims(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "s.db"))
    with Store(settings.db) as store:
        ingest_documents(iter([_doc(1)]), store, settings)
        hits = store.search("special forces")
        assert [h.doc_id for h in hits] == ["d1"] and "[special]" in hits[0].snippet
        assert store.search('"unbalanced quote OR') == []  # user input is never FTS syntax
        claims = store.search_claims("forces")
        assert claims and "spy agency" in claims[0].snippet


DENIAL = "The ministry denied that its troops had crossed the border. Kyiv could not verify the footage."


def test_claims_are_found_by_source_modality_and_polarity(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "s.db"))
    with Store(settings.db) as store:
        ingest_documents(iter([_doc(1), Document(id="d9", title="Border", text=DENIAL, outlet="Herald",
                                                 content_hash="9")]), store, settings)
        denied = store.search_claims("", modality="denied")
        assert [h.doc_id for h in denied] == ["d9"] and denied[0].stance == "denied"
        assert "crossed" in denied[0].snippet
        no_side = store.search_claims("footage", polarity="uncommitted")
        assert [h.stance for h in no_side] == ["takes no side"]
        assert store.search_claims("", by=("intelligence service",)) and not store.search_claims("", by=("nobody",))
        assert store.search_claims("") == []  # no words and no filter: nothing, not everything


def test_migration_4_fills_the_stance_of_claims_indexed_before_it(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "s.db"))
    with Store(settings.db) as store:
        ingest_documents(iter([Document(id="d9", title="Border", text=DENIAL, outlet="Herald", content_hash="9")]),
                         store, settings)
        expected = store.db.execute("SELECT claim_id, modality, polarity FROM claims_fts_source").fetchall()
        # back to schema 3, as a store written by an older watchfloor
        store.db.execute("ALTER TABLE claims_fts_source DROP COLUMN modality")
        store.db.execute("ALTER TABLE claims_fts_source DROP COLUMN polarity")
        store.db.execute("PRAGMA user_version = 3")
    with Store(settings.db) as reopened:
        assert reopened.schema_version() == len(MIGRATIONS)
        filled = reopened.db.execute("SELECT claim_id, modality, polarity FROM claims_fts_source").fetchall()
        assert [tuple(r) for r in filled] == [tuple(r) for r in expected]
        assert {r["modality"] for r in filled} >= {"denied", "asserted"}


def test_a_server_url_is_refused_with_a_clear_error() -> None:
    import pytest

    from watchfloor.errors import StoreError
    from watchfloor.store import open_store

    with pytest.raises(StoreError, match="not supported"):
        open_store("postgresql://localhost/watchfloor")
