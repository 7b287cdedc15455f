"""The SQLite store: one file, WAL mode, FTS5, versioned migrations, one transaction per batch.

An interrupted write leaves no half-written document: a document, its analysis, its near-duplicate
bands and its searchable claims are written in the same transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from .. import codec
from ..errors import StoreError
from ..ids import claim_id
from ..model import Document, DocumentAnalysis
from .schema import MIGRATIONS

__all__ = ["SearchHit", "Store"]


@dataclass(frozen=True)
class SearchHit:
    doc_id: str
    title: str
    outlet: str
    published: str | None
    snippet: str
    kind: str = "document"
    stance: str = ""  # of a claim: its modality, or "takes no side"


def _fts_query(query: str) -> str:
    """Quote each word so user input is never read as FTS5 syntax; keep an explicit OR or NOT."""
    parts: list[str] = []
    for word in query.split():
        if word in {"OR", "NOT", "AND"}:
            if parts and parts[-1] not in {"OR", "NOT", "AND"}:
                parts.append(word)
        else:
            parts.append('"' + word.replace('"', '""') + '"')
    while parts and parts[-1] in {"OR", "NOT", "AND"}:
        parts.pop()
    return " ".join(parts)


class Store:
    """SQLite-backed store. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        current = self.schema_version()
        if current > len(MIGRATIONS):
            raise StoreError(
                f"store {self.path} has schema version {current}, newer than this watchfloor "
                f"({len(MIGRATIONS)}); upgrade watchfloor to open it"
            )
        for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
            with self.transaction() as db:
                for statement in _statements(script):
                    db.execute(statement)
                if version in BACKFILLS:
                    BACKFILLS[version](db)
                db.execute(f"PRAGMA user_version = {version}")

    # documents ---------------------------------------------------------------------------------

    def known_ids(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows = self.db.execute(
                f"SELECT id FROM documents WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall()
            found.update(r[0] for r in rows)
        return found

    def near_duplicate_candidates(self, bands: list[str]) -> list[tuple[str, np.ndarray]]:
        rows = self.db.execute(
            f"SELECT DISTINCT d.id, d.signature FROM minhash_bands b JOIN documents d ON d.id = b.doc_id "
            f"WHERE b.band IN ({','.join('?' * len(bands))})",
            bands,
        ).fetchall()
        return [(r[0], np.frombuffer(r[1], dtype=np.uint64)) for r in rows if r[1] is not None]

    def add(
        self, db: sqlite3.Connection, document: Document, analysis: DocumentAnalysis, signature: np.ndarray,
        bands: list[str], analyzer_version: int,
    ) -> None:
        """Write one document with everything derived from it; call inside :meth:`transaction`."""
        db.execute(
            "INSERT OR IGNORE INTO documents (id, title, outlet, url, published, author, language, source_path, "
            "content_hash, near_duplicate_of, text, signature, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                document.id, document.title, document.outlet, document.url,
                document.published.isoformat() if document.published else None, document.author,
                document.language, document.source_path, document.content_hash, document.near_duplicate_of,
                document.text, signature.astype(np.uint64).tobytes(), datetime.now(UTC).isoformat(),
            ),
        )
        db.executemany("INSERT OR IGNORE INTO minhash_bands (band, doc_id) VALUES (?, ?)",
                       [(b, document.id) for b in bands])
        db.execute("INSERT OR REPLACE INTO analyses (doc_id, version, data) VALUES (?, ?, ?)",
                   (document.id, analyzer_version, codec.dumps(analysis)))
        _index_claims(db, document.id, analysis)

    def stale_ids(self, version: int) -> list[str]:
        """Ids of the documents whose stored analysis an older analyzer made, oldest first."""
        rows = self.db.execute("SELECT d.id FROM documents d JOIN analyses a ON a.doc_id = d.id WHERE a.version < ? "
                               "ORDER BY d.published, d.id", (version,))
        return [row[0] for row in rows]

    def stale_count(self, version: int) -> int:
        return int(self.db.execute("SELECT count(*) FROM analyses WHERE version < ?", (version,)).fetchone()[0])

    def replace_analysis(self, db: sqlite3.Connection, doc_id: str, analysis: DocumentAnalysis, version: int) -> None:
        """A document's analysis made again; call inside :meth:`transaction`."""
        db.execute("UPDATE analyses SET version = ?, data = ? WHERE doc_id = ?", (version, codec.dumps(analysis), doc_id))
        _index_claims(db, doc_id, analysis)

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM documents").fetchone()[0])

    def documents(self) -> Iterator[Document]:
        for row in self.db.execute("SELECT * FROM documents ORDER BY published, id"):
            yield _document(row)

    def document(self, doc_id: str) -> Document | None:
        row = self.db.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return _document(row) if row else None

    def analyses(self) -> Iterator[tuple[Document, DocumentAnalysis]]:
        return self._analyses("")

    def unlinked_analyses(self) -> Iterator[tuple[Document, DocumentAnalysis]]:
        """Stored documents the cross-document picture has not taken in yet (no row in doc_links)."""
        return self._analyses("LEFT JOIN doc_links l ON l.doc_id = d.id WHERE l.doc_id IS NULL")

    def _analyses(self, condition: str) -> Iterator[tuple[Document, DocumentAnalysis]]:
        rows = self.db.execute(
            "SELECT d.*, a.data AS analysis FROM documents d JOIN analyses a ON a.doc_id = d.id "
            f"{condition} ORDER BY d.published, d.id"
        )
        for row in rows:
            yield _document(row), codec.loads(DocumentAnalysis, row["analysis"])

    # search ------------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        if not query.strip():
            return []
        rows = self.db.execute(
            "SELECT d.id, d.title, d.outlet, d.published, "
            "snippet(documents_fts, 1, '[', ']', ' … ', 24) AS snip "
            "FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
            "WHERE documents_fts MATCH ? ORDER BY bm25(documents_fts) LIMIT ?",
            (_fts_query(query), limit),
        ).fetchall()
        return [SearchHit(r["id"], r["title"], r["outlet"], r["published"], r["snip"]) for r in rows]

    def search_claims(self, query: str, limit: int = 20, by: tuple[str, ...] = (), modality: str | None = None,
                      polarity: str | None = None) -> list[SearchHit]:
        """Claims matching the words (all claims when there are none but a filter is given), narrowed to
        sources whose names contain one of ``by`` and to a modality and polarity."""
        conditions, params = [], []
        for column, value in (("c.modality", modality), ("c.polarity", polarity)):
            if value:
                conditions.append(f"{column} = ?")
                params.append(value)
        if by:
            conditions.append("(" + " OR ".join("c.sources LIKE ?" for _ in by) + ")")  # case-insensitive (ASCII)
            params.extend(f"%{name}%" for name in by)
        if query.strip():
            source = ("claims_fts JOIN claims_fts_source c ON c.rowid = claims_fts.rowid",
                      "snippet(claims_fts, 0, '[', ']', ' … ', 24)", "bm25(claims_fts)")
            conditions.insert(0, "claims_fts MATCH ?")
            params.insert(0, _fts_query(query))
        elif conditions:
            source = ("claims_fts_source c", "c.text", "d.published DESC, c.rowid")
        else:
            return []
        rows = self.db.execute(
            f"SELECT c.doc_id, d.title, d.outlet, d.published, {source[1]} AS snip, c.sources, c.modality, "
            f"c.polarity FROM {source[0]} JOIN documents d ON d.id = c.doc_id WHERE {' AND '.join(conditions)} "
            f"ORDER BY {source[2]} LIMIT ?",
            (*params, limit),
        ).fetchall()
        return [SearchHit(r["doc_id"], r["title"], r["outlet"], r["published"],
                          f"{r['snip']} (according to {r['sources']})", kind="claim",
                          stance=_stance(r["modality"], r["polarity"])) for r in rows]

    def stats(self) -> dict[str, int]:
        one = lambda sql: int(self.db.execute(sql).fetchone()[0])  # noqa: E731
        return {
            "documents": one("SELECT count(*) FROM documents"),
            "outlets": one("SELECT count(DISTINCT outlet) FROM documents"),
            "near_duplicates": one("SELECT count(*) FROM documents WHERE near_duplicate_of IS NOT NULL"),
            "analysed": one("SELECT count(*) FROM analyses"),
            "claims": one("SELECT count(*) FROM claims_fts_source"),
            "schema_version": self.schema_version(),
        }


def _stance(modality: str, polarity: str) -> str:
    return "takes no side" if polarity == "uncommitted" else modality


def _index_claims(db: sqlite3.Connection, doc_id: str, analysis: DocumentAnalysis) -> None:
    """The document's claims in the full-text index, with who asserts them and how."""
    db.execute("DELETE FROM claims_fts_source WHERE doc_id = ?", (doc_id,))
    db.executemany(
        "INSERT OR IGNORE INTO claims_fts_source (claim_id, doc_id, text, sources, modality, polarity) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(claim_id(c), doc_id, c.evidence.text, " ".join(e.name for e in c.attributed_to), c.modality.value,
          c.polarity) for c in analysis.claims],
    )


def _fill_claim_stances(db: sqlite3.Connection) -> None:
    """Migration 4: the modality and polarity of the claims indexed before it, from the stored analyses."""
    for row in db.execute("SELECT doc_id, data FROM analyses").fetchall():
        analysis = codec.loads(DocumentAnalysis, row["data"])
        db.executemany("UPDATE claims_fts_source SET modality = ?, polarity = ? WHERE claim_id = ?",
                       [(c.modality.value, c.polarity, claim_id(c)) for c in analysis.claims])


#: Python steps that complete a schema migration, by the version they belong to
BACKFILLS = {4: _fill_claim_stances}


def _statements(script: str) -> list[str]:
    """Split a migration script on statement ends, keeping trigger bodies whole."""
    statements: list[str] = []
    buffer = ""
    for line in script.strip().splitlines():
        buffer += line + "\n"
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def _document(row: sqlite3.Row) -> Document:
    published = row["published"]
    return Document(
        id=row["id"], title=row["title"], text=row["text"], outlet=row["outlet"], url=row["url"],
        published=datetime.fromisoformat(published) if published else None, author=row["author"],
        language=row["language"], source_path=row["source_path"], content_hash=row["content_hash"],
        near_duplicate_of=row["near_duplicate_of"],
    )
