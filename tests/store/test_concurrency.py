"""Several processes on one store, on both engines: every document stored once, fresh stores created once,
and a writer that waits too long told so in one line; and many readers in one process on PostgreSQL."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from watchfloor.link.update import load_groups
from watchfloor.store import StoryRow, open_store
from watchfloor.store.engine import WRITER_LOCK, parse_location
from watchfloor.store.migrations import LATEST

from ..postgres import PostgresServer, start_server

_OPEN_AT = """
import sys, time
from watchfloor.store import StoryRow, open_store
for location, start in zip(sys.argv[1::2], sys.argv[2::2]):
    while time.time() < float(start):
        time.sleep(0.001)
    with open_store(location, "create") as store:
        print(store.schema_version())
"""


def _python(*args: str) -> list[str]:
    return [sys.executable, *args]


def test_two_processes_open_a_fresh_store_at_the_same_moment(location: str, engine: str, tmp_path: Path) -> None:
    # on SQLite the race is over the new file's first lock (switching it to write-ahead logging), lost in one
    # try in a few: several fresh files, each opened by both processes at its own moment
    locations = [location] if engine != "sqlite" else [str(tmp_path / f"fresh-{n}.db") for n in range(5)]
    first = time.time() + 2.0  # both are up and waiting before the first moment comes
    moments = [f"{location} {first + 0.3 * n}" for n, location in enumerate(locations)]
    arguments = " ".join(moments).split()
    runs = [subprocess.Popen(_python("-c", _OPEN_AT, *arguments), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert [out.split() for out, _ in outputs] == [[str(LATEST)] * len(locations)] * 2
    for each in locations:
        with open_store(each, "read") as store:
            assert store.schema_version() == LATEST


def _hold_writer_lock(location: str, engine: str) -> object:
    """Another process's write transaction, left open."""
    if engine == "sqlite":
        holder = sqlite3.connect(location, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        return holder
    connection = create_engine(parse_location(location).url).connect()
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})
    return connection


def test_a_store_locked_past_the_timeout_is_a_clear_error(location: str, engine: str, tmp_path: Path) -> None:
    open_store(location, "create").close()
    holder = _hold_writer_lock(location, engine)
    try:
        started = time.perf_counter()
        run = subprocess.run(_python("-m", "watchfloor.cli", "brief", "--db", location, "--out", str(tmp_path)),
                             capture_output=True, text=True, timeout=60,
                             env={**os.environ, "WATCHFLOOR_LOCK_TIMEOUT": "1"})
        waited = time.perf_counter() - started
    finally:
        holder.close()  # type: ignore[attr-defined]
    assert run.returncode == 2, run.stderr
    assert "locked by another writer for more than 1 s" in run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert waited >= 1.0
    # readers are never blocked by a writer, and the lock gone, the same command succeeds
    assert subprocess.run(_python("-m", "watchfloor.cli", "brief", "--db", location, "--out", str(tmp_path)),
                          capture_output=True, text=True, timeout=120).returncode == 0


REPORTS = [
    {"id": f"r{i}", "outlet": f"Outlet {i % 3}", "published": f"2024-11-{1 + i:02d}T08:00:00Z",
     "title": f"Border report {i}",
     "text": f"Officials in Tallinn said on Monday that {100 + i * 10} soldiers had crossed near Narva. "
             f"The interior ministry said patrol number {i} had been doubled."}
    for i in range(12)
]


@pytest.mark.slow
def test_four_ingest_processes_on_overlapping_inputs_store_every_document_once(location: str, tmp_path: Path) -> None:
    files = []
    for n in range(4):  # each file shares half its reports with the next
        path = tmp_path / f"part{n}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in REPORTS[3 * n : 3 * n + 6] + REPORTS[:2]),
                        encoding="utf-8")
        files.append(path)
    runs = [subprocess.Popen(_python("-m", "watchfloor.cli", "ingest", str(path), "--db", location, "--batch-size", "2"),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for path in files]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0, 0], outputs
    added = sum(int(out.split(" documents added")[0].rsplit(" ", 1)[1]) for out, _ in outputs)
    assert added == len(REPORTS)  # between them, each report was added by exactly one process
    with open_store(location, "read") as store, store.read() as r:
        assert r.count() == len(REPORTS) and r.document_stats()["analysed"] == len(REPORTS)
        assert len(r.doc_links()) == len(REPORTS) and not r.unlinked_ids()
        assert sorted(d.title for d in r.documents()) == sorted(d["title"] for d in REPORTS)
        assert {g.key for g in r.groups()} == r.occurrence_keys()
        members = [m for g in load_groups(r) for m in g.members]
        occurrences = [(m.doc_id, m.evidence.start, m.text) for m in members]
        assert len(occurrences) == len(set(occurrences))  # no report counted twice in a claim
        assert sum(s.doc_count for s in r.stories_view()) == len(REPORTS)


def test_a_postgresql_store_keeps_the_connections_of_concurrent_readers(postgres_server: PostgresServer) -> None:
    """A server's requests each read in a transaction of their own: the connections a burst of them opened are
    kept for the next burst, not closed and opened again (a new PostgreSQL backend for every few requests)."""
    location = postgres_server.create_database()
    open_store(location, "create").close()
    with open_store(location, "read") as store:
        with ExitStack() as stack:
            readers = [stack.enter_context(store.read()) for _ in range(12)]
            assert all(r.count() == 0 for r in readers)
        assert store.engine.pool.checkedin() == 12  # type: ignore[attr-defined]
        with ExitStack() as stack:
            readers = [stack.enter_context(store.read()) for _ in range(12)]
            assert store.engine.pool.checkedin() == 0  # type: ignore[attr-defined]
            assert store.engine.pool.overflow() <= 0  # type: ignore[attr-defined]


def test_a_postgresql_store_reads_again_at_once_after_the_server_restarts() -> None:
    """Pooled connections the server ended while they were idle are replaced when taken from the pool (without a
    ping before every transaction): the first reads after a restart succeed, in every pooled connection."""
    try:
        server = start_server()  # a server of its own: the restart ends every connection to it
    except (FileNotFoundError, OSError) as exc:
        if os.environ.get("WATCHFLOOR_REQUIRE_POSTGRES"):
            raise
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    try:
        location = server.create_database()
        open_store(location, "create").close()
        for mode in ("read", "write"):
            with open_store(location, mode) as store:  # type: ignore[arg-type]
                with ExitStack() as stack:
                    assert all(stack.enter_context(store.read()).count() == 0 for _ in range(3))
                assert store.engine.pool.checkedin() == 3  # type: ignore[attr-defined]
                server.restart()
                with ExitStack() as stack:
                    assert all(stack.enter_context(store.read()).count() == 0 for _ in range(3))
                with store.read() as r:  # the replacements are set up as readers are (one snapshot, read only)
                    level = r.connection.exec_driver_sql("SHOW transaction_isolation").scalar_one()
                    assert level == ("repeatable read" if mode == "read" else "read committed")
    finally:
        server.stop()


def test_a_reader_sees_one_snapshot_while_a_writer_commits(location: str) -> None:
    """What a read transaction reads agrees with itself: rows a writer commits meanwhile are seen only by the next
    read transaction (PostgreSQL's default isolation would show them to the reader's next statement)."""
    with open_store(location, "create") as store:
        with store.write() as w:
            w.upsert_stories([StoryRow("s1", "first", "2024-01-01", "2024-01-01", 1, b"", "{}")], "2024-01-01T00:00")
        with open_store(location, "read") as reader, reader.read() as r:
            before = [s.story_id for s in r.stories_view()]
            with store.write() as w:
                w.upsert_stories([StoryRow("s2", "second", "2024-01-02", "2024-01-02", 1, b"", "{}")],
                                 "2024-01-02T00:00")
            during = [s.story_id for s in r.stories_view()]
        with open_store(location, "read") as reader, reader.read() as r:
            after = sorted(s.story_id for s in r.stories_view())
    assert before == during == ["s1"]
    assert after == ["s1", "s2"]
