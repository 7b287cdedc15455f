"""The latest stored rows in one order (schema version 14): claims keep their document's time, documents and claims
are indexed by time and id, and a search's window of latest matches, cut inside a batch that shares its time, is
the same whichever way PostgreSQL finds it; a store of version 13 gets all of this when opened for writing."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, select, text

from watchfloor.config import Settings
from watchfloor.pipeline import store_analysed
from watchfloor.store import open_store
from watchfloor.store import search as search_module
from watchfloor.store import tables as t
from watchfloor.store.engine import parse_location
from watchfloor.store.migrations import LATEST
from watchfloor.store.search import SearchReads

from .versions import set_version_sql

QUERIES = ("troops", "said", "troops said", "forces OR soldiers", "troops NOT denied")


def _claim_times(location: str) -> tuple[list[tuple[str, str]], int]:
    """Each claim's time and its document's, and how many claims there are."""
    c, d = t.claims_index, t.documents
    with open_store(location, "read") as store, store.read() as r:
        pairs = r.connection.execute(select(c.c.ingested_at, d.c.ingested_at).join(d, d.c.id == c.c.doc_id)).all()
        count = r.connection.execute(select(c.c.claim_id)).all()
    return [(a, b) for a, b in pairs], len(count)


def _searches(location: str) -> list[object]:
    with open_store(location, "read") as store, store.read() as r:
        return [(r.search(q, 5), r.search_claims(q, 5)) for q in QUERIES]


def test_claims_keep_their_documents_time(sample_analyses: list, location: str) -> None:
    with open_store(location, "create") as store:
        store_analysed(iter(sample_analyses[:12]), store, Settings(db=location))
        doc_id, analysis = sample_analyses[0][0].id, sample_analyses[0][1]
        with store.write() as w:  # claims written again keep the time their document was stored at
            w.replace_analysis(doc_id, analysis, 99)
    pairs, count = _claim_times(location)
    assert count > 20 and len(pairs) == count
    assert all(claim == document and claim for claim, document in pairs)


def test_a_batchs_window_is_cut_at_the_highest_ids_either_way(sample_analyses: list, location: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A whole batch shares its time: the window of latest matches takes its rows of the highest ids, whether the
    latest rows are walked or all the matches are read from the GIN index."""
    if not location.startswith("postgresql"):
        pytest.skip("SQLite's latest rows are its rowids, one order already")
    with open_store(location, "create") as store:
        store_analysed(iter(sample_analyses[:12]), store, Settings(db=location))
    monkeypatch.setattr(search_module, "SEARCH_WINDOW", 3)
    found: dict[bool, list[object]] = {}
    with open_store(location, "read") as store:
        for few in (True, False):
            monkeypatch.setattr(SearchReads, "_few_matches", lambda self, table, query, *_, few=few: few)
            found[few] = _searches(location)
        with store.read() as r:
            times = r.connection.execute(text("SELECT count(DISTINCT ingested_at) FROM documents")).scalar_one()
            latest = r.connection.execute(text(
                "SELECT doc_id FROM claims_fts_source WHERE tsv @@ websearch_to_tsquery('english', 'troops') "
                "ORDER BY ingested_at DESC, claim_id DESC LIMIT 3")).scalars().all()
            documents = r.connection.execute(text(
                "SELECT id FROM documents WHERE tsv @@ websearch_to_tsquery('english', 'troops') "
                "ORDER BY ingested_at DESC, id DESC LIMIT 3")).scalars().all()
    assert times < 12  # batches of several documents: ties at the window's edge
    assert found[True] == found[False]
    documents_found, claims_found = found[True][0]
    assert sorted(h.doc_id for h in documents_found) == sorted(documents)
    assert sorted(h.doc_id for h in claims_found) == sorted(latest)


def _downgrade_to_version_13(location: str, engine: str) -> None:
    """What a store of version 13 looks like: claims without their document's time, documents indexed by time."""
    statements = ["DROP INDEX documents_latest", "CREATE INDEX documents_ingested ON documents (ingested_at)",
                  *(["DROP INDEX claims_latest"] if engine == "postgresql" else []),
                  "ALTER TABLE claims_fts_source DROP COLUMN ingested_at", set_version_sql(engine, 13)]
    connection_engine = create_engine(parse_location(location).url)
    with connection_engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    connection_engine.dispose()


def test_a_version_13_store_is_upgraded_in_place(sample_analyses: list, location: str, engine: str) -> None:
    with open_store(location, "create") as store:
        store_analysed(iter(sample_analyses[:12]), store, Settings(db=location))
        with store.read() as r:
            fresh = {name: {i["name"] for i in inspect(r.connection).get_indexes(name)}
                     for name in ("documents", "claims_fts_source")}
    searched = _searches(location)
    _downgrade_to_version_13(location, engine)
    with open_store(location, "write") as store:
        assert store.schema_version() == LATEST
        with store.read() as r:
            indexes = {name: {i["name"] for i in inspect(r.connection).get_indexes(name)}
                       for name in ("documents", "claims_fts_source")}
    assert indexes == fresh
    assert "documents_latest" in indexes["documents"] and "documents_ingested" not in indexes["documents"]
    assert ("claims_latest" in indexes["claims_fts_source"]) == (engine == "postgresql")
    pairs, count = _claim_times(location)
    assert count > 20 and all(claim == document and claim for claim, document in pairs)
    assert _searches(location) == searched
    if engine == "postgresql":  # the latest claims are walked in their own index, their documents unread
        with open_store(location, "read") as store, store.read() as r:
            r.connection.execute(text("SET LOCAL enable_seqscan = off"))
            r.connection.execute(text("SET LOCAL enable_bitmapscan = off"))
            plan = "\n".join(r.connection.execute(text(
                "EXPLAIN SELECT claim_id FROM claims_fts_source WHERE tsv @@ websearch_to_tsquery('english', 'said') "
                "ORDER BY ingested_at DESC, claim_id DESC LIMIT 3")).scalars())
        assert "claims_latest" in plan and "documents" not in plan, plan
