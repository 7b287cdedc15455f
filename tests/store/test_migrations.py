"""An SQLite store written by watchfloor before version 5 is upgraded in place, to the same schema a new store
has, and its documents are linked again under the new picture."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from watchfloor.config import Settings
from watchfloor.model import Document
from watchfloor.pipeline import ingest_documents, link_pending
from watchfloor.store import open_store
from watchfloor.store.legacy_sqlite import LEGACY_STEPS
from watchfloor.store.migrations import LATEST, table_columns

TEXT = ("The defence ministry said on Monday that 2,000 soldiers had been moved to the border. "
        "Officials in Vilnius said the move was a provocation.")


def _legacy_store(path: Path, source: Path) -> None:
    """A version-4 file as an older watchfloor left it: the legacy steps, with documents and analyses copied in."""
    con = sqlite3.connect(path, isolation_level=None)
    for script in LEGACY_STEPS:
        con.executescript(script)
    con.execute(f"PRAGMA user_version = {len(LEGACY_STEPS)}")
    old = sqlite3.connect(source)
    columns = "id, title, outlet, url, published, author, language, source_path, content_hash, near_duplicate_of, " \
              "text, signature, ingested_at"
    for row in old.execute(f"SELECT {columns} FROM documents"):
        con.execute(f"INSERT INTO documents ({columns}) VALUES ({','.join('?' * 13)})", row)
    for row in old.execute("SELECT doc_id, version, data FROM analyses"):
        con.execute("INSERT INTO analyses (doc_id, version, data) VALUES (?, ?, ?)", row)
    for row in old.execute("SELECT claim_id, doc_id, text, sources, modality, polarity FROM claims_fts_source"):
        con.execute("INSERT INTO claims_fts_source (claim_id, doc_id, text, sources, modality, polarity) "
                    "VALUES (?, ?, ?, ?, ?, ?)", row)
    con.execute("INSERT INTO link_rows (kind, id, seq, data) VALUES ('story', 'x', 1, '{}')")
    con.close()
    old.close()


def test_a_version_4_store_is_upgraded_and_relinked(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.db"
    with open_store(str(fresh), "create") as store:
        ingest_documents(iter([Document("d1", "Border", TEXT, "Herald")]), store, Settings(db=str(fresh)))
        with store.read() as r:
            expected_links = r.doc_links()
            new_columns = table_columns(r.connection)
            analyses = list(r.analyses())
            sources = r.search_claims("", source_keys={"source:defense-ministry", "country:lt"})
            assert len(sources) == 3
    legacy = tmp_path / "legacy.db"
    _legacy_store(legacy, fresh)

    with open_store(str(legacy), "write") as store:
        assert store.schema_version() == LATEST
        with store.read() as r:
            assert table_columns(r.connection) == new_columns  # the same schema as a store made new
            assert r.unlinked_ids() == ["d1"]  # the picture is rebuilt from the stored analyses
            assert list(r.analyses()) == analyses  # the analyses are kept as they were
            assert r.search("soldiers")  # the full-text index survived the upgrade
            # the claims' sources were filled from the stored analyses
            assert r.search_claims("", source_keys={"source:defense-ministry", "country:lt"}) == sources
        link_pending(store)
        with store.read() as r:
            assert r.doc_links() == expected_links and r.groups()


def test_an_interrupted_upgrade_resumes(tmp_path: Path) -> None:
    """Each step commits on its own: a file left between two versions is taken on from where it stands."""
    path = tmp_path / "half.db"
    con = sqlite3.connect(path, isolation_level=None)
    for script in LEGACY_STEPS[:2]:
        con.executescript(script)
    con.execute("PRAGMA user_version = 2")
    con.close()
    with open_store(str(path), "write") as store:
        assert store.schema_version() == LATEST
