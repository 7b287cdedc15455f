"""Versioned schema migrations for the SQLite store. Each step runs once, in its own transaction."""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: documents, full-text index, near-duplicate bands, per-document analyses
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        outlet TEXT NOT NULL,
        url TEXT,
        published TEXT,
        author TEXT,
        language TEXT NOT NULL DEFAULT 'en',
        source_path TEXT,
        content_hash TEXT NOT NULL,
        near_duplicate_of TEXT,
        text TEXT NOT NULL,
        signature BLOB,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX documents_published ON documents(published);
    CREATE INDEX documents_hash ON documents(content_hash);
    CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, text, content='documents', content_rowid='rowid', tokenize='porter unicode61'
    );
    CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    END;
    CREATE TABLE minhash_bands (
        band TEXT NOT NULL,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        PRIMARY KEY (band, doc_id)
    ) WITHOUT ROWID;
    CREATE TABLE analyses (
        doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE claims_fts_source (
        claim_id TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        sources TEXT NOT NULL
    );
    CREATE VIRTUAL TABLE claims_fts USING fts5(
        text, sources, content='claims_fts_source', content_rowid='rowid', tokenize='porter unicode61'
    );
    CREATE TRIGGER claims_ai AFTER INSERT ON claims_fts_source BEGIN
        INSERT INTO claims_fts(rowid, text, sources) VALUES (new.rowid, new.text, new.sources);
    END;
    CREATE TRIGGER claims_ad AFTER DELETE ON claims_fts_source BEGIN
        INSERT INTO claims_fts(claims_fts, rowid, text, sources) VALUES ('delete', old.rowid, old.text, old.sources);
    END;
    """,
)
