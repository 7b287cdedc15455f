"""Writes of many rows at a time (PostgreSQL gets them as arrays, a statement per chunk, or by COPY from
``COPY_ROWS`` rows): every row goes in, values come back as they went, and a key repeated within one call ends
as writing the rows one by one would leave it."""

from __future__ import annotations

import math

import pytest

from watchfloor.store import OriginRow, StoryRow, open_store
from watchfloor.store import tables as t
from watchfloor.store.base import CHUNK, COPY_ROWS, insert_rows


def test_a_key_repeated_in_one_upsert_ends_as_upserting_one_by_one(location: str) -> None:
    with open_store(location, "create") as store:
        with store.write() as w:
            w.upsert_stories([StoryRow("s1", "first", "2024-01-01", "2024-01-01", 1, b"", "{}")], "2024-01-01T00:00")
        with store.write() as w:
            w.upsert_stories([StoryRow("s1", "second", "2024-01-01", "2024-01-02", 2, b"\x00\x01", "{}"),
                              StoryRow("s2", "other", None, None, 1, b"", "{}"),
                              StoryRow("s1", "third", "2024-01-01", "2024-01-03", 3, b"\x02", '{"a": 1.5}')],
                             "2024-02-01T00:00")
        with store.read() as r:
            stories = {s.story_id: s for s in r.story_rows(["s1", "s2"])}
            created = {v.story_id: v.created_at for v in r.stories_view()}
    assert stories["s1"] == StoryRow("s1", "third", "2024-01-01", "2024-01-03", 3, b"\x02", '{"a": 1.5}')
    assert stories["s2"].first_published is None
    assert created == {"s1": "2024-01-01T00:00", "s2": "2024-02-01T00:00"}  # not among the columns upserted


def test_many_rows_with_repeats_all_go_in_once(location: str) -> None:
    rows = [(n % 7, f"d{n}") for n in range(CHUNK * 2 + 123)]
    with open_store(location, "create") as store:
        with store.write() as w:
            w.add_fingerprints([*rows, *rows[:50]])
        with store.write() as w:
            w.add_fingerprints(rows[:10])  # stored already: left as they are
        with store.read() as r:
            postings = r.fingerprint_postings(range(7))
    assert sum(len(docs) for docs in postings.values()) == len(rows)
    assert postings[3] == sorted(d for v, d in rows if v == 3)


def test_values_asked_for_find_their_rows_whatever_they_hold(location: str) -> None:
    """Texts and whole numbers asked for in one read (sent to SQLite as one JSON list) find the rows stored under
    them: quotes, backslashes, non-ASCII letters and the largest 64-bit numbers included, and nothing else."""
    awkward = ['d"1', "d\\2", "Zürich — ½", "tab\there", "d'5", "[1]"]
    values = [0, -1, 2**63 - 1, -(2**63), 2**53 + 1, 7]
    with open_store(location, "create") as store:
        with store.write() as w:
            w.add_fingerprints([(v, d) for v in values for d in awkward] + [(2**53, "other"), (8, "other")])
            w.add_origins([OriginRow(d, d, "own", None, 0.0, "", False, b"", b"") for d in [*awkward, "other"]])
        with store.read() as r:
            postings = r.fingerprint_postings(values)
            origins = r.origin_rows(awkward)
    assert postings == {v: sorted(awkward) for v in values}
    assert sorted(origins) == sorted(awkward)


def test_values_come_back_as_they_went(location: str) -> None:
    origins = [OriginRow("d1", "d1", "own", None, 0.0, "", False, b"\x00\xff" * 8, b"\x01" * 32),
               OriginRow("d2", "d1", "copy", "d1", 0.875, "AP,Reuters", True, b"", b"\x02" * 32)]
    with open_store(location, "create") as store:
        with store.write() as w:
            w.add_origins(origins)
        with store.read() as r:
            assert r.origin_rows(["d1", "d2"]) == {o.doc_id: o for o in origins}


def test_a_large_upsert_keeps_awkward_values_and_replaces_stored_rows(location: str) -> None:
    """Enough rows to go by COPY: text with tabs, newlines, backslashes, quotes and non-ASCII letters, bytes
    and NULLs come back as they went; stored rows get the new values; a key repeated in the call ends as the
    last row gives it."""
    awkward = 'tab\there, line\nbreak, back\\slash \\N "quoted" \'single\' Zürich — ½ \x01'
    first = [StoryRow(f"s{n}", f"{awkward} {n}", None if n % 2 else "2024-01-01", "2024-01-02", n,
                      bytes([n % 256, 0, 92, 10]), "{}") for n in range(COPY_ROWS + 7)]
    second = [StoryRow(f"s{n}", f"again {n}\t", "2024-03-01", None, n + 1, b"", '{"k": "\\"}')
              for n in range(0, COPY_ROWS + 7, 3)]
    with open_store(location, "create") as store:
        with store.write() as w:
            w.upsert_stories(first, "2024-01-01T00:00")
        with store.write() as w:
            w.upsert_stories([*second, StoryRow("s3", "last of s3", None, None, 9, b"\x00", "{}")], "2024-02-01T00:00")
        with store.read() as r:
            stored = {s.story_id: s for s in r.story_rows([row.story_id for row in first])}
    expected = {row.story_id: row for row in first} | {row.story_id: row for row in second}
    expected["s3"] = StoryRow("s3", "last of s3", None, None, 9, b"\x00", "{}")
    assert stored == expected


def test_values_json_cannot_carry_go_in_as_they_are(location: str) -> None:
    """A batch of rows with a value JSON has no form for (infinity) is written another way, not refused or changed;
    the awkward text of its neighbours, in a batch that JSON carries, comes back as it went."""
    awkward = 'tab\there "quoted" back\\slash \\x41 \\u0041 Zürich — ½ \x01 {"k": [1]}'
    with open_store(location, "create") as store:
        with store.write() as w:
            w.add_origins([OriginRow("d1", "d1", "own", None, float("inf"), "", False, b"\\x00", b"\x01" * 32)])
            w.add_origins([OriginRow("d2", awkward, "copy", "d1", 1e-07, awkward, True, b"\\x\x00", b"")])
        with store.read() as r:
            stored = r.origin_rows(["d1", "d2"])
    assert math.isinf(stored["d1"].containment) and stored["d1"].fingerprints == b"\\x00"
    assert stored["d2"] == OriginRow("d2", awkward, "copy", "d1", 1e-07, awkward, True, b"\\x\x00", b"")


def test_a_full_text_table_written_in_one_statement_reads_and_ranks_as_written_row_by_row(location: str) -> None:
    """SQLite writes many rows of a table its triggers copy into FTS5 (the claims) in one statement: the rows get
    the rowids, and the index the matches and scores, that writing them one at a time gives; a key given twice
    keeps its first row, and texts that JSON escapes come back as they went."""
    if not location.endswith(".db"):
        pytest.skip("one statement over a JSON array of rows is SQLite's way")
    texts = ['Troops "moved" north of the river', "Talks in Zürich — ½ done", "a back\\slash and 'quotes'",
             "tab\there and a\nnew line", "troops moved again", "emoji 🛰 and the river"]
    rows = [{"claim_id": f"c{n}", "doc_id": f"d{n % 2}", "text": text, "sources": "ministry of défense",
             "modality": "asserted", "polarity": "", "ingested_at": "2024-01-01T00:00"} for n, text in enumerate(texts)]
    rows.append({**rows[1], "text": "a second text under a key already given"})
    seen = {}
    for way, path in (("one statement", location), ("row by row", location[:-3] + "-rows.db")):
        with open_store(path, "create") as store:
            with store.write() as w:
                if way == "one statement":
                    insert_rows(w.connection, t.claims_index, rows, ("claim_id",))
                else:
                    for row in rows:
                        insert_rows(w.connection, t.claims_index, [row], ("claim_id",))
            with store.read() as r:
                stored = r.connection.exec_driver_sql("SELECT rowid, * FROM claims_fts_source ORDER BY rowid").all()
                found = [r.connection.exec_driver_sql("SELECT rowid, bm25(claims_fts) FROM claims_fts WHERE claims_fts "
                                                      "MATCH ? ORDER BY rowid", (word,)).all()
                         for word in ("troops", "river", "zürich", "quotes", "défense", "new")]
        seen[way] = (stored, found)
    assert seen["one statement"] == seen["row by row"]
    stored, found = seen["one statement"]
    assert [row[3] for row in stored] == texts and all(found)
