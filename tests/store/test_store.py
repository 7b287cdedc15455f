"""The store on both engines: versions, open modes, atomic batches, near-duplicates, full-text search."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine

from watchfloor.config import Settings
from watchfloor.errors import StoreError
from watchfloor.model import Document
from watchfloor.pipeline import ingest_documents
from watchfloor.report.sources import source_keys
from watchfloor.store import open_store
from watchfloor.store.engine import parse_location
from watchfloor.store.migrations import LATEST

from .versions import set_version_sql

TEXT = "South Korea's spy agency said on Friday that North Korea had sent 1,500 special forces to Russia."


def _doc(i: int) -> Document:
    return Document(id=f"d{i}", title=f"Report {i}", text=f"{TEXT} Report number {i} adds detail {i * 7}.",
                    outlet="Herald", content_hash=str(i))


def _raw(location: str, sql: str) -> None:
    """A statement outside the store's interface, as another program (or an older watchfloor) would run it."""
    engine = create_engine(parse_location(location).url)
    with engine.begin() as connection:
        connection.exec_driver_sql(sql)
    engine.dispose()


def test_a_new_store_is_at_the_latest_version(location: str, engine: str) -> None:
    with open_store(location, "create") as store:
        assert store.schema_version() == LATEST
    with open_store(location, "write") as again:  # opening again migrates nothing
        assert again.schema_version() == LATEST
    if engine == "sqlite":
        with open_store(location, "read") as store, store.read() as r:
            assert r.connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_newer_store_is_refused(location: str, engine: str) -> None:
    open_store(location, "create").close()
    _raw(location, set_version_sql(engine, LATEST + 5))
    for mode in ("read", "write"):
        with pytest.raises(StoreError, match="newer than this watchfloor"):
            open_store(location, mode)  # type: ignore[arg-type]


def test_reading_never_creates_a_store(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    for mode in ("read", "write"):
        with pytest.raises(StoreError) as error:
            open_store(str(missing), mode)  # type: ignore[arg-type]
        assert str(missing) in str(error.value) and "watchfloor ingest" in str(error.value)
    assert not missing.exists()


def test_reading_an_empty_database_says_how_to_create_a_store(location: str) -> None:
    if not location.startswith("postgresql"):
        Path(location).write_bytes(b"")  # an empty file is not a store either
    with pytest.raises(StoreError, match="watchfloor ingest"):
        open_store(location, "read")


def test_a_read_only_store_cannot_write(location: str) -> None:
    open_store(location, "create").close()
    with open_store(location, "read") as store, pytest.raises(StoreError, match="read-only"), store.write():
        pass


def test_interrupted_batch_leaves_no_half_written_document(location: str) -> None:
    settings = Settings(db=location, batch_size=2)
    store = open_store(location, "create")

    def interrupted():
        yield _doc(1)
        yield _doc(2)
        yield _doc(3)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest_documents(interrupted(), store, settings)
    # the first full batch was committed with its links; nothing of the third document exists anywhere
    with store.read() as r:
        assert {d.id for d in r.documents()} == {"d1", "d2"}
        assert r.document_stats()["analysed"] == 2
        assert r.near_duplicate_candidates([]) == {}
        assert {h.doc_id for h in r.search_claims("forces", limit=50)} == {"d1", "d2"}
        assert set(r.doc_links()) == {"d1", "d2"}
        assert r.unlinked_ids() == []
    # re-running is safe: the missing document is added, the others are not duplicated
    report = ingest_documents(iter([_doc(1), _doc(2), _doc(3)]), store, settings)
    assert (report.added, report.already_stored) == (1, 2)
    assert store.count() == 3
    store.close()


def test_near_duplicate_recorded(location: str) -> None:
    settings = Settings(db=location)
    with open_store(location, "create") as store:
        long_text = " ".join([TEXT] * 2 + [f"Paragraph {i} of the wire story adds its own detail." for i in range(8)])
        base = Document(id="d1", title="Wire", text=long_text, outlet="Wire", content_hash="w")
        copy = Document(id="copy", title="Copy", text=long_text + " Syndicated by Another Outlet.", outlet="Other",
                        content_hash="c")
        report = ingest_documents(iter([base, copy]), store, settings)
        assert report.near_duplicates == 1
        with store.read() as r:
            assert r.document("copy").near_duplicate_of == "d1"  # type: ignore[union-attr]


def test_search_documents_and_claims(location: str) -> None:
    settings = Settings(db=location)
    with open_store(location, "create") as store:
        ingest_documents(iter([_doc(1)]), store, settings)
        with store.read() as r:
            hits = r.search("special forces")
            assert [h.doc_id for h in hits] == ["d1"] and "[special]" in hits[0].snippet
            assert r.search('"unbalanced quote OR') == []  # user input is never query syntax
            assert r.search("nothing-like-this OR forces")[0].doc_id == "d1"
            assert r.search("forces NOT Russia") == []
            claims = r.search_claims("forces")
            assert any("National Intelligence Service" in c.snippet for c in claims)  # "South Korea's spy agency"


DENIAL = "The ministry denied that its troops had crossed the border. Kyiv could not verify the footage."
US_AND_RUSSIA = ("US officials said on Monday that 3,000 soldiers had arrived. Russia said on Tuesday that the "
                 "drills were routine.")


def test_claims_are_found_by_resolved_source_modality_and_polarity(location: str) -> None:
    settings = Settings(db=location)
    with open_store(location, "create") as store:
        ingest_documents(iter([_doc(1), Document(id="d9", title="Border", text=DENIAL, outlet="Herald",
                                                 content_hash="9"),
                               Document(id="d8", title="Drills", text=US_AND_RUSSIA, outlet="Herald",
                                        content_hash="8")]), store, settings)
        with store.read() as r:
            denied = r.search_claims("", modality="denied")
            assert [h.doc_id for h in denied] == ["d9"] and denied[0].stance == "denied"
            assert "crossed" in denied[0].snippet
            no_side = r.search_claims("footage", polarity="uncommitted")
            assert [h.stance for h in no_side] == ["takes no side"]
            by_us = r.search_claims("", source_keys=source_keys(r, "US"))
            by_russia = r.search_claims("", source_keys=source_keys(r, "Russia"))
            assert by_us and all("(according to US officials)" in h.snippet for h in by_us)  # a body of its people
            assert by_russia and all("Russia" in h.snippet.rsplit("(according to", 1)[1] for h in by_russia)
            assert {h.snippet for h in by_us}.isdisjoint(h.snippet for h in by_russia)  # "US" is not in "Russia"
            assert r.search_claims("", source_keys=source_keys(r, "Kremlin")) == by_russia
            assert r.search_claims("", source_keys=source_keys(r, "nobody at all")) == []
            assert r.search_claims("") == []  # no words and no filter: nothing, not everything


def test_search_ranks_the_latest_matches_when_there_are_many(location: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A word most reports contain is ranked among the latest stored matches (the cost of a search is bounded by
    the window, not by the store); fewer matches than the window are all ranked."""
    import numpy as np

    from watchfloor.model import DocumentAnalysis
    from watchfloor.store import NewDocument
    from watchfloor.store import search as search_module

    # d1 says the word most often, but it was stored first; each later one says it once more than the one before
    texts = ["convoy " * 9, "convoy", "convoy convoy", "convoy convoy convoy", "convoy " * 4, "nothing here"]
    with open_store(location, "create") as store:
        for i, body in enumerate(texts, 1):
            document = Document(id=f"d{i}", title=f"Report {i}", text=body.strip() + ".", outlet="Herald",
                                content_hash=str(i))
            with store.write() as w:
                w.add_documents([NewDocument(document, DocumentAnalysis(document.id), np.zeros(4, np.uint64), (), 1)])
        with store.read() as r:
            everything = r.search("convoy", 10)
            assert [h.doc_id for h in everything] == ["d1", "d5", "d4", "d3", "d2"]
            monkeypatch.setattr(search_module, "SEARCH_WINDOW", 3)
            latest = r.search("convoy", 10)
            assert [h.doc_id for h in latest] == ["d5", "d4", "d3"]
            assert all("[convoy]" in h.snippet for h in latest)
            assert [h.doc_id for h in r.search("convoy", 2)] == ["d5", "d4"]
