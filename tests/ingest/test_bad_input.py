"""A batch with bad items: each gets one clear line, every good item is stored, nothing stored is changed."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from watchfloor.cli import app

GOOD = ("The European Union condemned the deployment of North Korean troops to Russia on Monday, "
        "and its foreign ministers said they would discuss new sanctions at their next meeting in Brussels.")


def _snapshot(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT id, title, text, outlet FROM documents ORDER BY id").fetchall()


def test_bad_batch(tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    runner = CliRunner()
    first = tmp_path / "first"
    first.mkdir()
    (first / "old.txt").write_text(f"Earlier report\noutlet: Herald\ndate: 2024-10-20\n\n{GOOD}")
    result = runner.invoke(app, ["ingest", str(first), "--db", str(db)])
    assert result.exit_code == 0, result.output
    before = _snapshot(db)
    assert len(before) == 1

    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "empty.txt").write_text("")
    (batch / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (batch / "latin1.txt").write_bytes("Title\n\nCaf\xe9 au lait in Brussels".encode("latin-1"))
    lines = [json.dumps({"title": "ok one", "outlet": "Wire", "published": "2024-11-01", "text": GOOD}),
             '{"title": "broken", "text": "unterminated',
             json.dumps({"title": "ok two", "outlet": "Wire", "published": "2024-11-02", "text": GOOD + " Again."})]
    (batch / "records.jsonl").write_text("\n".join(lines))
    (batch / "nav.html").write_text("<html><body><nav><a href='/'>Home</a><a href='/x'>World</a></nav>"
                                    "<footer>Copyright</footer></body></html>")
    big = batch / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
        handle.seek(0)
        handle.write(b"Huge title\n\n")
    (batch / "good.txt").write_text(f"New report\noutlet: Herald\ndate: 2024-11-03\n\n{GOOD} More text here.")

    result = runner.invoke(app, ["ingest", str(batch), "--db", str(db)])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("skipped")]
    reasons = "\n".join(errors)
    assert len(errors) == 6, result.output
    assert "empty.txt: empty file" in reasons
    assert "binary.txt: binary file" in reasons
    assert "latin1.txt: invalid UTF-8" in reasons
    assert "records.jsonl:2: malformed JSON" in reasons
    assert "nav.html: HTML page has no article text" in reasons
    assert "huge.txt: file is 50.0 MB" in reasons

    after = _snapshot(db)
    assert set(before) <= set(after)  # earlier rows are still there, byte for byte
    titles = {row[1] for row in after}
    assert {"Earlier report", "ok one", "ok two", "New report"} == titles
    assert os.path.getsize(big) == 50 * 1024 * 1024
