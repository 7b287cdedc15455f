"""The linking-cost bench's template (bench/linking_seed): recording the write path's calls must not change what
they write."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench.linking_seed import record

from watchfloor.config import Settings
from watchfloor.model import Document, DocumentAnalysis
from watchfloor.pipeline import store_analysed
from watchfloor.store import open_store

# written at the time of writing, whatever the documents: left out of the comparison
_CLOCKED = {"ingested_at", "updated_at", "first_seen", "changed_at", "created_at", "at"}


def _tables(location: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(location) as connection:
        names = [n for (n,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                                  "name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%' "
                                                  "AND name != 'meta'")]
        tables = {}
        for name in names:
            columns = [c[1] for c in connection.execute(f"PRAGMA table_info({name})") if c[1] not in _CLOCKED]
            rows = connection.execute(f"SELECT {', '.join(columns)} FROM {name}").fetchall()
            tables[name] = sorted(rows, key=repr)
        return tables


def test_a_recorded_template_writes_what_the_write_path_writes(
        tmp_path: Path, sample_analyses: list[tuple[Document, DocumentAnalysis]]) -> None:
    recorded, plain = tmp_path / "recorded.db", tmp_path / "plain.db"
    with open_store(str(recorded), "create") as store:
        calls = record(store, sample_analyses, batch=10)
    with open_store(str(plain), "create") as store:
        store_analysed(iter(sample_analyses), store, Settings(db=str(plain), batch_size=10))
    assert {name for name, _ in calls} >= {"add_documents", "replace_groups_of_keys"}
    made, expected = _tables(recorded), _tables(plain)
    assert sum(len(rows) for rows in expected.values()) > 500
    assert made == expected
