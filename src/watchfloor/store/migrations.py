"""Versioned schema migrations for both engines, run under a lock with the version read again inside it.

A new store is created at the latest version in one step (the tables of ``tables.py`` plus the engine's
full-text index). An older store is brought forward one version at a time, each step in its own transaction,
so an interrupted upgrade resumes where it stopped. Two processes opening a fresh store at the same moment
both succeed: the second waits for the lock, reads the version the first wrote, and has nothing to do.

Read-only commands never create or migrate: they get a :class:`StoreError` saying which command does.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import Connection, Engine, Table, bindparam, inspect, select, text

from .. import codec
from ..errors import StoreError
from ..ids import claim_id
from ..model import DocumentAnalysis
from . import tables as t
from .engine import ANALYSIS_LIMIT, Location, Mode, translate
from .entity_days import rebuild_entity_days
from .facets import rebuild_facets, summed_outlets
from .legacy_sqlite import LEGACY_STEPS

__all__ = ["LATEST", "REGRADE", "RESUM", "REWRITTEN", "ensure_schema", "read_version"]

#: 5: one code path for SQLite and PostgreSQL; linker state as tables read a batch's worth at a time;
#:    entities resolved as documents arrive; claims searchable by resolved source; a TLP level per document
#: 6: analysts' reliability grades in the store; each consolidated claim's Admiralty grade, its history and
#:    when the claim last changed; documents indexed by outlet and by ingest time
#: 7: the desk's tables: API tokens, notes on claims, visit markers, claims summed up for paged reads
#:    (``facets.py``), and each report's span, outlet, source and stance beside it
#: 8: the watcher's state (sources, handled items, documents queued for the rules, the rules' position) and
#:    its alerts with their deliveries, formerly a journal beside the store; GDELT rows kept by the URL they
#:    link to
#: 9: reports indexed with what the screens read of them (a claim's outlets and sources, a document's claims
#:    and spans), so that a page of claims reads no report's record
#: 10: how many documents mention each entity on each day (``entity_days.py``), kept as mentions are linked
#: 11: each claim's outlets in its summary row, and the summaries indexed by claim and family, so that a page of
#:     claims reads none of their reports
#: 12: each claim's rows of the entities it names keep its family (claim or event) in the entity's index, so that a
#:     page of an entity's claims is walked in that index alone
#: 13: PostgreSQL: entity spellings indexed for a search by their first letters (``entity_keys_prefix``)
#: 14: each claim's row in the full-text index keeps its document's ``ingested_at``, and PostgreSQL indexes it with
#:     the claim's id (``claims_latest``), so that a claim search walks the latest claims without their documents;
#:     documents are indexed by time and id (``documents_latest``), so that a search's ties have one order
LATEST = 14

#: meta key set by an upgrade whose claims carry no grade yet: the next writing command grades every claim
REGRADE = "regrade_all"
#: meta key set by an upgrade whose claims lack the sums the screens read: the next writing command
#: consolidates every claim again (ids kept) to write them
RESUM = "resum_all"

#: the lock PostgreSQL migrations run under (session-scoped, separate from the writer lock)
MIGRATION_LOCK = 7_310_202

#: the tokenizer of SQLite's full-text tables (search's page snippets use the same, to mark the same words)
FTS_TOKENIZER = "porter unicode61"

SQLITE_FULL_TEXT = (
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='rowid', "
    f"tokenize='{FTS_TOKENIZER}')",
    "CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
    "CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text); "
    "END",
    "CREATE VIRTUAL TABLE claims_fts USING fts5(text, sources, content='claims_fts_source', content_rowid='rowid', "
    f"tokenize='{FTS_TOKENIZER}')",
    "CREATE TRIGGER claims_ai AFTER INSERT ON claims_fts_source BEGIN "
    "INSERT INTO claims_fts(rowid, text, sources) VALUES (new.rowid, new.text, new.sources); END",
    "CREATE TRIGGER claims_ad AFTER DELETE ON claims_fts_source BEGIN "
    "INSERT INTO claims_fts(claims_fts, rowid, text, sources) VALUES ('delete', old.rowid, old.text, old.sources); "
    "END",
)

#: generated tsvector columns (titles weigh more than body text) with GIN indexes; very long texts are
#: indexed on their first half-million characters (a tsvector holds at most 1 MB)
POSTGRESQL_FULL_TEXT = (
    "ALTER TABLE documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', left(text, 500000)), 'B')) STORED",
    "CREATE INDEX documents_tsv ON documents USING gin (tsv)",
    "ALTER TABLE claims_fts_source ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "to_tsvector('english', left(text, 100000) || ' ' || sources)) STORED",
    "CREATE INDEX claims_tsv ON claims_fts_source USING gin (tsv)",
)


def _store_tables() -> list[Table]:
    return [table for table in t.METADATA.sorted_tables if table is not t.schema_version]


def create_latest(connection: Connection, engine: str) -> None:
    """Every table of the latest schema, with the engine's full-text index."""
    statements: tuple[str, ...] = SQLITE_FULL_TEXT
    if engine == "sqlite":
        t.METADATA.create_all(connection, tables=_store_tables())
    else:
        t.METADATA.create_all(connection)
        statements = POSTGRESQL_FULL_TEXT
    for statement in statements:
        connection.exec_driver_sql(statement)


def fill_claim_stances(connection: Connection) -> None:
    """Legacy step 4: the modality and polarity of claims indexed before it, from the stored analyses."""
    for (data,) in connection.execute(select(t.analyses.c.data)).all():
        analysis = codec.loads(DocumentAnalysis, data)
        for claim in analysis.claims:
            connection.execute(t.claims_index.update().where(t.claims_index.c.claim_id == claim_id(claim))
                               .values(modality=claim.modality.value, polarity=claim.polarity))


def _upgrade_legacy_sqlite(connection: Connection) -> None:
    """Version 4 (SQLite only) to 5: linker state moves from JSON rows into tables of its own. The picture is
    rebuilt from the stored analyses by the next writing command (documents lose their links here), so the
    claim groups get ids under the new, stable scheme; the status history is kept."""
    connection.exec_driver_sql("ALTER TABLE documents ADD COLUMN tlp TEXT NOT NULL DEFAULT 'clear'")
    for name, column, ddl in (
            ("stories", "doc_count", "INTEGER NOT NULL DEFAULT 0"), ("stories", "embedding", "BLOB NOT NULL DEFAULT ''"),
            ("stories", "terms", "TEXT NOT NULL DEFAULT '{}'"), ("stories", "names", "TEXT NOT NULL DEFAULT '{}'"),
            ("occurrences", "day", "TEXT"), ("occurrences", "group_id", "TEXT"), ("claim_groups", "first_day", "TEXT"),
            ("claim_groups", "last_day", "TEXT")):
        connection.exec_driver_sql(f"ALTER TABLE {name} ADD COLUMN {column} {ddl}")
    connection.exec_driver_sql("DROP INDEX IF EXISTS claim_groups_key")
    existing = set(inspect(connection).get_table_names())
    t.METADATA.create_all(connection, tables=[table for table in _store_tables() if table.name not in existing])
    for index in ("CREATE INDEX IF NOT EXISTS claims_doc ON claims_fts_source (doc_id)",
                  "CREATE INDEX IF NOT EXISTS claim_groups_key ON claim_groups (key, last_day)",
                  "CREATE INDEX IF NOT EXISTS occurrences_key_day ON occurrences (key, day)",
                  "CREATE INDEX IF NOT EXISTS occurrences_group ON occurrences (group_id)",
                  "CREATE INDEX IF NOT EXISTS status_history_group ON status_history (group_id)",
                  "CREATE INDEX IF NOT EXISTS stories_last ON stories (last_published)"):
        connection.exec_driver_sql(index)
    for legacy in ("link_rows", "link_state"):
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {legacy}")
    for table in (t.doc_links, t.occurrences, t.claim_groups, t.stories):
        connection.execute(table.delete())
    connection.execute(t.pending_links.insert().from_select(["doc_id"], select(t.analyses.c.doc_id)))
    connection.execute(t.meta.delete().where(t.meta.c.key.in_(["stories_observed"])))
    for doc_id, data in connection.execute(select(t.analyses.c.doc_id, t.analyses.c.data)).all():
        analysis = codec.loads(DocumentAnalysis, data)
        rows = {(e.key, claim_id(c)) for c in analysis.claims for e in c.attributed_to}
        if rows:
            connection.execute(t.claim_sources.insert(), [{"key": k, "claim_id": c, "doc_id": doc_id} for k, c in rows])


def _add_grades(connection: Connection) -> None:
    """Version 5 to 6: the grade columns of claim groups (``updated_at`` starts as ``first_seen``), the analysts'
    grades and the grade history, two document indexes. Grading every claim needs the link stage, so the step
    leaves a mark (:data:`REGRADE`) for the next writing command instead."""
    existing = set(inspect(connection).get_table_names())
    t.METADATA.create_all(connection, tables=[t.source_grades, t.grade_history])
    columns = {c["name"] for c in inspect(connection).get_columns("claim_groups")}
    for column, ddl in (("reliability", "TEXT NOT NULL DEFAULT 'F'"), ("credibility", "INTEGER NOT NULL DEFAULT 6"),
                        ("updated_at", "TEXT NOT NULL DEFAULT ''")):
        if column not in columns:
            connection.exec_driver_sql(f"ALTER TABLE claim_groups ADD COLUMN {column} {ddl}")
    connection.execute(t.claim_groups.update().where(t.claim_groups.c.updated_at == "")
                       .values(updated_at=t.claim_groups.c.first_seen))
    for index in ("CREATE INDEX IF NOT EXISTS claim_groups_updated ON claim_groups (updated_at)",
                  "CREATE INDEX IF NOT EXISTS documents_outlet ON documents (outlet)",
                  "CREATE INDEX IF NOT EXISTS documents_ingested ON documents (ingested_at)"):
        connection.exec_driver_sql(index)
    if "meta" in existing:
        connection.execute(t.meta.delete().where(t.meta.c.key == REGRADE))
        connection.execute(t.meta.insert().values(key=REGRADE, value="1"))




_DESK_TABLES = ("group_entities", "group_summary", "mention_days", "api_tokens", "claim_notes", "visits")
_REPORT_COLUMNS = (("start", "INTEGER NOT NULL DEFAULT 0"), ("end", "INTEGER NOT NULL DEFAULT 0"),
                   ("outlet", "TEXT NOT NULL DEFAULT ''"), ("asserting", "TEXT NOT NULL DEFAULT ''"),
                   ("modality", "TEXT NOT NULL DEFAULT ''"), ("polarity", "TEXT NOT NULL DEFAULT ''"))


def _add_desk_tables(connection: Connection) -> None:
    """Version 6 to 7 (both engines): the desk's tables; each report's span, outlet, source and stance, read
    from its stored record; the rows of every claim and mention. The claims' sums the screens read are written
    by the link stage, so the step leaves a mark (:data:`RESUM`) for the next writing command."""
    existing = set(inspect(connection).get_table_names())
    t.METADATA.create_all(connection, tables=[t.METADATA.tables[name] for name in _DESK_TABLES
                                              if name not in existing])
    columns = {c["name"] for c in inspect(connection).get_columns("occurrences")}
    for column, ddl in _REPORT_COLUMNS:
        if column not in columns:
            connection.exec_driver_sql(f'ALTER TABLE occurrences ADD COLUMN "{column}" {ddl}')
    o = t.occurrences
    for key, doc_id, position, data in connection.execute(select(o.c.key, o.c.doc_id, o.c.position, o.c.data)).all():
        record = json.loads(data)
        said = record.get("claim") or record.get("event") or {}
        connection.execute(o.update().where(o.c.key == key, o.c.doc_id == doc_id, o.c.position == position).values(
            start=record["evidence"]["start"], end=record["evidence"]["end"], outlet=record["outlet"],
            asserting=record["asserting"], modality=record["modality"], polarity=said.get("polarity", "")))
    rebuild_facets(connection)
    if "meta" in existing:
        connection.execute(t.meta.delete().where(t.meta.c.key == RESUM))
        connection.execute(t.meta.insert().values(key=RESUM, value="1"))


_WATCH_TABLES = ("watch_sources", "watch_items", "watch_pending", "alerts", "alert_deliveries", "linked_rows")


def _add_watch_tables(connection: Connection) -> None:
    """Version 7 to 8 (both engines): the watcher's tables and the linked metadata rows, empty. A journal beside
    the store is imported by the first watch command that opens it (``watch/stored.py``), not here: the journal
    is the watcher's file, not the store's."""
    existing = set(inspect(connection).get_table_names())
    t.METADATA.create_all(connection, tables=[t.METADATA.tables[name] for name in _WATCH_TABLES
                                              if name not in existing])


#: the indexes of ``occurrences`` before version 9, and those that replace them
_REPORT_INDEXES = {"occurrences_doc": "occurrences_doc_group", "occurrences_group": "occurrences_group_sources"}


def _cover_reports(connection: Connection) -> None:
    """Version 8 to 9 (both engines): the reports' indexes carry the columns the screens read, so that a page
    of claims or a document's spans are index-only reads; the indexes they supersede go."""
    existing = {i["name"] for i in inspect(connection).get_indexes("occurrences")}
    for index in t.occurrences.indexes:
        if index.name in _REPORT_INDEXES.values() and index.name not in existing:
            index.create(connection)
    for old in _REPORT_INDEXES:
        if old in existing:
            connection.exec_driver_sql(f"DROP INDEX {old}")
    if connection.dialect.name == "sqlite":  # statistics for the planner (see engine.refresh_statistics)
        connection.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
    connection.exec_driver_sql("ANALYZE")


def _count_entity_days(connection: Connection) -> None:
    """Version 9 to 10 (both engines): each entity's documents by day and level, counted from its mentions."""
    if "entity_days" not in set(inspect(connection).get_table_names()):
        t.entity_days.create(connection)
    rebuild_entity_days(connection)


#: claims whose outlets one statement of the upgrade to version 11 writes
_OUTLET_BATCH = 5000


def _sum_outlets(connection: Connection) -> None:
    """Version 10 to 11 (both engines): the summary rows get their claims' outlets, from the sums stored with each
    claim (what the link stage writes them from from now on), and the index an outlet's claims of one family are
    checked in."""
    s, g = t.group_summary, t.claim_groups
    if "outlets" not in {c["name"] for c in inspect(connection).get_columns("group_summary")}:
        connection.exec_driver_sql("ALTER TABLE group_summary ADD COLUMN outlets TEXT NOT NULL DEFAULT '[]'")
    _add_index(connection, s, "group_summary_family")
    write = s.update().where(s.c.group_id == bindparam("id")).values(outlets=bindparam("value"))
    last = ""
    while True:  # a page of claims at a time, in id order: a claim's sums are long
        page = connection.execute(select(g.c.id, g.c.data).where(g.c.id > last).order_by(g.c.id)
                                  .limit(_OUTLET_BATCH)).all()
        if not page:
            break
        connection.execute(write, [{"id": group_id, "value": summed_outlets(json.loads(data))}
                                   for group_id, data in page])
        last = page[-1][0]
    if connection.dialect.name == "sqlite":  # statistics for the planner (see engine.refresh_statistics)
        connection.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
    connection.exec_driver_sql("ANALYZE group_summary")


def _family_by_entity(connection: Connection) -> None:
    """Version 11 to 12 (both engines): each row of ``group_entities`` gets its claim's family, from the claim's
    summary row (the link stage writes both from now on), and the entity's index carries it, in place of the one
    without it."""
    e, s = t.group_entities, t.group_summary
    if "family" not in {c["name"] for c in inspect(connection).get_columns("group_entities")}:
        connection.exec_driver_sql("ALTER TABLE group_entities ADD COLUMN family TEXT NOT NULL DEFAULT 'claim'")
    connection.execute(e.update().where(e.c.family != "event").where(
        select(s.c.group_id).where(s.c.group_id == e.c.group_id, s.c.family == "event").exists()).values(family="event"))
    _add_index(connection, e, "group_entities_latest")
    _drop_index(connection, e, "group_entities_entity")
    if connection.dialect.name == "sqlite":  # statistics for the planner (see engine.refresh_statistics)
        connection.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
    connection.exec_driver_sql("ANALYZE group_entities")


def _index_spelling_prefixes(connection: Connection) -> None:
    """Version 12 to 13: PostgreSQL indexes the entities' folded spellings for a search by their first letters,
    which read every spelling before (SQLite walks its index of them as a range already, and gets nothing)."""
    if connection.dialect.name != "sqlite":
        _add_index(connection, t.entity_keys, "entity_keys_prefix")


def _index_latest(connection: Connection) -> None:
    """Version 13 to 14 (both engines): documents are indexed by time and id, in place of time alone; each claim's
    row in the full-text index gets its document's ``ingested_at`` (the store writes it with the claim from now
    on); PostgreSQL indexes it with the claim's id, and rewrites the table in that order (a search walks the
    latest claims in it: rows in the index's order share pages; rows in any other order cost the walk a page
    each, 3.5 ms where 1.2 do for 7,000 claims)."""
    c, d = t.claims_index, t.documents
    _add_index(connection, d, "documents_latest")
    _drop_index(connection, d, "documents_ingested")
    if "ingested_at" not in {column["name"] for column in inspect(connection).get_columns(c.name)}:
        connection.exec_driver_sql("ALTER TABLE claims_fts_source ADD COLUMN ingested_at TEXT NOT NULL DEFAULT ''")
    connection.execute(c.update().where(d.c.id == c.c.doc_id).values(ingested_at=d.c.ingested_at))
    if connection.dialect.name != "sqlite":
        _add_index(connection, c, "claims_latest")
        connection.exec_driver_sql("CLUSTER claims_fts_source USING claims_latest")


def _add_index(connection: Connection, table: Table, name: str) -> None:
    """The index ``name`` of ``table``, as ``tables.py`` declares it, made unless the store has it already."""
    if name not in {i["name"] for i in inspect(connection).get_indexes(table.name)}:
        next(i for i in table.indexes if i.name == name).create(connection)


def _drop_index(connection: Connection, table: Table, name: str) -> None:
    """The index ``name`` of ``table`` dropped, when the store has it (one that ``tables.py`` no longer declares)."""
    if name in {i["name"] for i in inspect(connection).get_indexes(table.name)}:
        connection.exec_driver_sql(f"DROP INDEX {name}")


#: tables an upgrade step writes every row of, by the version it produces: PostgreSQL vacuums them after the upgrade,
#: so that the screens' index-only reads of them do not visit every row's page until autovacuum comes round
#: (an outlet's claims, a deep page of the claims: several times slower meanwhile)
REWRITTEN: dict[int, tuple[str, ...]] = {11: ("group_summary",), 12: ("group_entities",), 14: ("claims_fts_source",)}

#: steps from one version to the next, by the version they produce (PostgreSQL stores start at version 5)
UPGRADES: dict[int, Callable[[Connection], None]] = {5: _upgrade_legacy_sqlite, 6: _add_grades, 7: _add_desk_tables,
                                                     8: _add_watch_tables, 9: _cover_reports,
                                                     10: _count_entity_days, 11: _sum_outlets,
                                                     12: _family_by_entity, 13: _index_spelling_prefixes,
                                                     14: _index_latest}


def read_version(connection: Connection, engine: str) -> int:
    if engine == "sqlite":
        return int(connection.exec_driver_sql("PRAGMA user_version").scalar_one())
    exists = connection.execute(text("SELECT to_regclass('watchfloor_schema')")).scalar_one()
    if exists is None:
        return 0
    return int(connection.execute(select(t.schema_version.c.version)).scalar_one_or_none() or 0)


def _write_version(connection: Connection, engine: str, version: int) -> None:
    if engine == "sqlite":
        connection.exec_driver_sql(f"PRAGMA user_version = {int(version)}")
    else:
        connection.execute(t.schema_version.delete())
        connection.execute(t.schema_version.insert().values(version=version))


def _is_empty(connection: Connection) -> bool:
    return not inspect(connection).get_table_names()


def _check(version: int, location: Location) -> None:
    if version > LATEST:
        raise StoreError(f"store {location.display} has schema version {version}, newer than this watchfloor "
                         f"({LATEST}); upgrade watchfloor to open it")


def ensure_schema(engine: Engine, location: Location, mode: Mode, lock_timeout: float) -> int:
    """Check (read) or bring to the latest version (write, create) the schema of a store; its version."""
    from sqlalchemy.exc import DBAPIError

    try:
        if mode == "read":
            with engine.connect() as connection:
                version = read_version(connection, location.engine)
                connection.rollback()
            return _readable(version, location)
        if location.is_sqlite:
            return _migrate_sqlite(engine, location, mode)
        return _migrate_postgresql(engine, location, mode)
    except DBAPIError as exc:
        raise translate(exc, location, lock_timeout) from exc


def _readable(version: int, location: Location) -> int:
    _check(version, location)
    if version == 0:
        raise StoreError(f"{location.display} is not a watchfloor store (no schema); create one with "
                         f"`watchfloor ingest FILES --db {location.display}`")
    if version < LATEST:
        raise StoreError(f"store {location.display} has schema version {version}; this watchfloor reads version "
                         f"{LATEST}. Upgrade it once with `watchfloor reanalyze --db {location.display}`")
    return version


def _absent(location: Location) -> StoreError:
    return StoreError(f"no watchfloor store at {location.display}; create one with "
                      f"`watchfloor ingest FILES --db {location.display}`")


def _migrate_sqlite(engine: Engine, location: Location, mode: Mode) -> int:
    with engine.connect() as connection:
        connection = connection.execution_options(watchfloor_write=True)
        with connection.begin():  # BEGIN IMMEDIATE: the writer lock, then the version as it is now
            version = read_version(connection, "sqlite")
            _check(version, location)
            if version == 0 and _is_empty(connection):
                if mode != "create":
                    raise _absent(location)
                create_latest(connection, "sqlite")
                _write_version(connection, "sqlite", LATEST)
                return LATEST
        while version < LATEST:
            with connection.begin():
                version = read_version(connection, "sqlite")  # another process may have moved it on
                if version >= LATEST:
                    break
                target = version + 1
                if target <= len(LEGACY_STEPS):
                    for statement in _statements(LEGACY_STEPS[target - 1]):
                        connection.exec_driver_sql(statement)
                    if target == 4:
                        fill_claim_stances(connection)
                else:
                    UPGRADES[target](connection)
                _write_version(connection, "sqlite", target)
                version = target
    return version


def _migrate_postgresql(engine: Engine, location: Location, mode: Mode) -> int:
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        connection.commit()
        try:
            with connection.begin():
                version = read_version(connection, "postgresql")
                _check(version, location)
                if version == 0:
                    if mode != "create":
                        raise _absent(location)
                    if not _is_empty(connection):
                        raise StoreError(f"{location.display} holds tables that are not a watchfloor store; give "
                                         f"an empty database")
                    create_latest(connection, "postgresql")
                    _write_version(connection, "postgresql", LATEST)
                    return LATEST
            rewritten: list[str] = []
            while version < LATEST:
                with connection.begin():
                    UPGRADES[version + 1](connection)
                    version += 1
                    _write_version(connection, "postgresql", version)
                rewritten += REWRITTEN.get(version, ())
            if rewritten:  # outside a transaction, as VACUUM must be (the level is set once: not inside one)
                autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
                for table in dict.fromkeys(rewritten):
                    autocommit.exec_driver_sql(f"VACUUM (ANALYZE) {table}")
            return version
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
            connection.commit()


def _statements(script: str) -> list[str]:
    """Split a legacy migration script on statement ends, keeping trigger bodies whole."""
    import sqlite3

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


def table_columns(connection: Connection) -> dict[str, list[str]]:
    """Every table and its columns (for tests that compare an upgraded store with a new one)."""
    inspector = inspect(connection)
    return {name: sorted(c["name"] for c in inspector.get_columns(name)) for name in sorted(inspector.get_table_names())}

