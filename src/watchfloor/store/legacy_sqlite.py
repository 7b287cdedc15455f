"""The schema steps of SQLite stores written before version 5, kept so that such stores can be upgraded.

New stores are created at the latest version directly (``migrations.create_latest``); these steps run only on
an older file, in order, and ``migrations.UPGRADES`` takes it from version 4 to the present.
"""

from __future__ import annotations

__all__ = ["LEGACY_STEPS"]

LEGACY_STEPS: tuple[str, ...] = (
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
    # 2: the cross-document picture: origins and stories per document, claim occurrences, consolidated claims
    # with their status and its history, serialized linker state, and small settings such as the last briefing
    """
    CREATE TABLE doc_links (
        doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        origin TEXT NOT NULL,
        origin_kind TEXT NOT NULL,
        story_id TEXT
    );
    CREATE INDEX doc_links_story ON doc_links(story_id);
    CREATE TABLE occurrences (
        key TEXT NOT NULL,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (key, doc_id, position)
    ) WITHOUT ROWID;
    CREATE INDEX occurrences_doc ON occurrences(doc_id);
    CREATE TABLE claim_groups (
        id TEXT PRIMARY KEY,
        key TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        independent_sources INTEGER NOT NULL,
        first_seen TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX claim_groups_key ON claim_groups(key);
    CREATE TABLE status_history (
        group_id TEXT NOT NULL,
        key TEXT NOT NULL,
        status TEXT NOT NULL,
        previous TEXT,
        independent_sources INTEGER NOT NULL,
        changed_at TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    CREATE INDEX status_history_time ON status_history(changed_at);
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        first_published TEXT,
        last_published TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE link_state (
        name TEXT PRIMARY KEY,
        data TEXT NOT NULL
    );
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 3: linker state as rows (one per origin, story, story member and term), written as they change, in
    # place of one serialized blob per linker that grew with the store and was rewritten on every ingest
    """
    CREATE TABLE link_rows (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (kind, id)
    ) WITHOUT ROWID;
    CREATE INDEX link_rows_order ON link_rows(kind, seq);
    """,
    # 4: each searchable claim's modality and polarity, so that search can ask for denials, hedges or the
    # sources that take no side (existing rows are filled from the stored analyses: see migrations.fill_claim_stances)
    """
    ALTER TABLE claims_fts_source ADD COLUMN modality TEXT NOT NULL DEFAULT '';
    ALTER TABLE claims_fts_source ADD COLUMN polarity TEXT NOT NULL DEFAULT '';
    """,
)
