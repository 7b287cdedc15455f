"""The tables of a store, in SQLAlchemy Core, for both engines (SQLite and PostgreSQL).

Times are ISO 8601 strings (they sort as text on both engines and round-trip exactly); JSON documents are
text; sketches and vectors are bytes. Full text is engine-specific and lives in ``migrations.py``: FTS5
virtual tables on SQLite, generated ``tsvector`` columns with GIN indexes on PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    false,
)

__all__ = ["FULL_TEXT", "METADATA", "alert_deliveries", "alerts", "analyses", "api_tokens", "claim_groups", "claim_notes", "claim_sources", "claims_index",
           "doc_links", "documents", "entities", "entity_docs", "entity_keys", "entity_parts", "fingerprints",
           "geocoded_names", "grade_history", "group_entities", "group_summary", "member_terms",
           "entity_days", "mention_days", "meta", "minhash_bands", "occurrences", "origins", "pending_links", "schema_version",
           "source_grades", "status_history", "stories", "story_members", "story_postings", "story_terms", "visits",
           "linked_rows", "watch_items", "watch_pending", "watch_sources"]

METADATA = MetaData()
#: ``Table.info`` flag of a table of many short rows a batch adds whose inserts SQLite's triggers copy into a
#: full-text index (``migrations.py``): ``base.insert_rows`` writes them in one statement (see there)
FULL_TEXT = "full_text"

# --- documents and what analysis made of them ------------------------------------------------------------

documents = Table(
    "documents", METADATA,
    Column("id", Text, primary_key=True),
    Column("title", Text, nullable=False),
    Column("outlet", Text, nullable=False),
    Column("url", Text),
    Column("published", Text),
    Column("author", Text),
    Column("language", Text, nullable=False, server_default="en"),
    Column("source_path", Text),
    Column("content_hash", Text, nullable=False),
    Column("near_duplicate_of", Text),
    Column("text", Text, nullable=False),
    Column("signature", LargeBinary),
    Column("ingested_at", Text, nullable=False),
    Column("tlp", Text, nullable=False, server_default="clear"),
    Index("documents_published", "published"),
    Index("documents_hash", "content_hash"),
    Index("documents_outlet", "outlet"),
    # the latest stored first, in one order whatever the ties (a batch shares its time): PostgreSQL's search walks
    # it (version 14; ``documents_ingested`` before, of the time alone)
    Index("documents_latest", "ingested_at", "id"),
)

minhash_bands = Table(
    "minhash_bands", METADATA,
    Column("band", Text, primary_key=True),
    Column("doc_id", Text, primary_key=True),
    sqlite_with_rowid=False,
)

analyses = Table(
    "analyses", METADATA,
    Column("doc_id", Text, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
)

#: one row per extracted claim, for full-text search (the index itself is engine-specific)
claims_index = Table(
    "claims_fts_source", METADATA,
    Column("claim_id", Text, primary_key=True),
    Column("doc_id", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("sources", Text, nullable=False),
    Column("modality", Text, nullable=False, server_default=""),
    Column("polarity", Text, nullable=False, server_default=""),
    # its document's ``ingested_at`` (version 14), so that PostgreSQL walks the latest claims in the index below
    # without reading their documents (SQLite's search walks its rowids)
    Column("ingested_at", Text, nullable=False, server_default=""),
    Index("claims_doc", "doc_id"),
    Index("claims_latest", "ingested_at", "claim_id").ddl_if(dialect="postgresql"),
    info={FULL_TEXT: True},
)

#: the entity keys of each claim's attribution chain, so that a search by source matches resolved entities
claim_sources = Table(
    "claim_sources", METADATA,
    Column("key", Text, primary_key=True),
    Column("claim_id", Text, primary_key=True),
    Column("doc_id", Text, nullable=False),
    Index("claim_sources_doc", "doc_id"),
)

# --- the cross-document picture --------------------------------------------------------------------------

#: documents stored but not linked yet (an interrupted run or an upgrade leaves some; linking takes them out)
pending_links = Table(
    "pending_links", METADATA,
    Column("doc_id", Text, primary_key=True),
)

doc_links = Table(
    "doc_links", METADATA,
    Column("doc_id", Text, primary_key=True),
    Column("origin", Text, nullable=False),
    Column("origin_kind", Text, nullable=False),
    Column("story_id", Text),
    Index("doc_links_story", "story_id"),
)

#: each claim or event as one document reports it, under its consolidation key, with the day it is about
occurrences = Table(
    "occurrences", METADATA,
    Column("key", Text, primary_key=True),
    Column("doc_id", Text, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("data", Text, nullable=False),
    Column("day", Text),  # ISO date; NULL when neither the claim nor its report is dated
    Column("group_id", Text),  # the consolidated claim it belongs to
    # what a page of claims shows of each report without decoding it (the evidence span, who, how)
    Column("start", Integer, nullable=False, server_default="0"),
    Column("end", Integer, nullable=False, server_default="0"),
    Column("outlet", Text, nullable=False, server_default=""),
    Column("asserting", Text, nullable=False, server_default=""),
    Column("modality", Text, nullable=False, server_default=""),
    Column("polarity", Text, nullable=False, server_default=""),
    # a report's row holds its record (``data``, long) before these columns: the indexes below carry what the
    # screens read of a claim's or a document's reports, so that a page never reads the records (version 9)
    Index("occurrences_doc_group", "doc_id", "group_id", "start", "end"),
    Index("occurrences_key_day", "key", "day"),
    Index("occurrences_group_sources", "group_id", "outlet", "asserting"),
    Index("occurrences_outlet", "outlet", "group_id"),
    sqlite_with_rowid=False,
)

claim_groups = Table(
    "claim_groups", METADATA,
    Column("id", Text, primary_key=True),
    Column("key", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("independent_sources", Integer, nullable=False),
    Column("first_seen", Text, nullable=False),
    Column("data", Text, nullable=False),  # JSON: stance, contradicted_by, and its reports' sources and outlets
    Column("first_day", Text),  # the days its members are about (NULL when none is dated)
    Column("last_day", Text),
    # the Admiralty grade consolidation gave it (link/grading.py), and when it last changed in any way
    Column("reliability", Text, nullable=False, server_default="F"),
    Column("credibility", Integer, nullable=False, server_default="6"),
    Column("updated_at", Text, nullable=False, server_default=""),
    Index("claim_groups_key", "key", "last_day"),
    Index("claim_groups_updated", "updated_at"),
)

status_history = Table(
    "status_history", METADATA,
    Column("group_id", Text, nullable=False),
    Column("key", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("previous", Text),
    Column("independent_sources", Integer, nullable=False),
    Column("changed_at", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Index("status_history_time", "changed_at"),
    Index("status_history_group", "group_id"),
)

#: every grade a consolidated claim or event was given, and why it changed (a report arrived, an analyst graded)
grade_history = Table(
    "grade_history", METADATA,
    Column("group_id", Text, nullable=False),
    Column("key", Text, nullable=False),
    Column("grade", Text, nullable=False),
    Column("previous", Text),
    Column("changed_at", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Index("grade_history_time", "changed_at"),
    Index("grade_history_group", "group_id"),
)

#: analysts' reliability grades (A-F) of outlets and named sources, looked up by ``ids.name_key`` of the name
source_grades = Table(
    "source_grades", METADATA,
    Column("key", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("grade", Text, nullable=False),
    Column("set_by", Text, nullable=False),
    Column("set_at", Text, nullable=False),
    # false until the claims the grade bears on have been graded again with it (link/regrade.py)
    Column("applied", Boolean, nullable=False, server_default=false()),
)

#: a story with the sums its linker keeps (centroids, salient names), what the reports show of it
stories = Table(
    "stories", METADATA,
    Column("id", Text, primary_key=True),
    Column("title", Text, nullable=False),
    Column("first_published", Text),
    Column("last_published", Text),
    Column("created_at", Text, nullable=False),
    Column("doc_count", Integer, nullable=False, server_default="0"),
    Column("embedding", LargeBinary, nullable=False, server_default=""),
    Column("terms", Text, nullable=False, server_default="{}"),
    Column("names", Text, nullable=False, server_default="{}"),
    Index("stories_last", "last_published"),
)

story_members = Table(
    "story_members", METADATA,
    Column("doc_id", Text, primary_key=True),
    Column("story_id", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("bucket", Integer),
    Column("index_terms", Text, nullable=False),
    Column("published", Text),
    Column("terms", Text, nullable=False),
    Column("names", Text, nullable=False),
    Column("embedding", LargeBinary, nullable=False),
    Column("title", Text, nullable=False),
    Index("story_members_story", "story_id", "published"),
)

#: how many documents each term occurs in (the IDF statistics of story linking)
story_terms = Table(
    "story_terms", METADATA,
    Column("term", Text, primary_key=True),
    Column("df", Integer, nullable=False),
)

#: the story linker's inverted index: (term, time bucket) -> the documents whose distinctive terms it is
#: (bucket -2: undated); the stories under a key are those documents' stories, so a document that moves to
#: another story takes its entries with it
member_terms = Table(
    "member_terms", METADATA,
    Column("term", Text, primary_key=True),
    Column("bucket", Integer, primary_key=True),
    Column("doc_id", Text, primary_key=True),
    sqlite_with_rowid=False,
)

#: the all-time index for undated documents: term -> stories, capped (a term in too many stories says nothing)
story_postings = Table(
    "story_postings", METADATA,
    Column("term", Text, primary_key=True),
    Column("story_id", Text, primary_key=True),
    sqlite_with_rowid=False,
)

#: each document's origin (copies of one wire story are one source) and its copy-detection sketches
origins = Table(
    "origins", METADATA,
    Column("doc_id", Text, primary_key=True),
    Column("origin_id", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("copy_of", Text),
    Column("containment", Float, nullable=False),
    Column("credits", Text, nullable=False),
    Column("press_release", Boolean, nullable=False),
    Column("fingerprints", LargeBinary, nullable=False),
    Column("signature", LargeBinary, nullable=False),
)

#: copy detection's inverted index: sampled shingle hash -> documents (capped: common ones are boilerplate)
fingerprints = Table(
    "fingerprints", METADATA,
    Column("value", BigInteger, primary_key=True),
    Column("doc_id", Text, primary_key=True),
    sqlite_with_rowid=False,
)

#: entities across documents; ``id`` is given once and kept (an absorbed entity's id is retired, never reused)
entities = Table(
    "entities", METADATA,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("seq", BigInteger, nullable=False),
)

#: every key analysis gave an entity (``type:slug``), and the entity it belongs to
entity_keys = Table(
    "entity_keys", METADATA,
    Column("key", Text, primary_key=True),
    Column("entity_id", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("folded", Text, nullable=False),
    Column("mentions", Integer, nullable=False),
    Column("names", Text, nullable=False),  # JSON object: surface name -> count
    Index("entity_keys_folded", "folded"),
    Index("entity_keys_entity", "entity_id"),
    # PostgreSQL: the spellings that begin with some letters (``folded LIKE 'abc%'``), an index range under any
    # collation; the index above is ordered by the database's collation, which PostgreSQL walks for a prefix only
    # under "C" (SQLite's LIKE is walked as a range of the index above, ``views.find_entities``)
    Index("entity_keys_prefix", "folded", postgresql_ops={"folded": "text_pattern_ops"}).ddl_if(dialect="postgresql"),
)

#: folded first and last words of multi-word person keys: where a one-word name looks for its full name;
#: and the blocking keys of ``link.entity_rules`` ("body:acronym:nrf", with a colon): where a name looks for
#: the names a cross-document rule may join it with
entity_parts = Table(
    "entity_parts", METADATA,
    Column("part", Text, primary_key=True),
    Column("key", Text, primary_key=True),
    sqlite_with_rowid=False,
)

#: which documents mention which entity keys (namesakes, and documents to relink when entities merge)
entity_docs = Table(
    "entity_docs", METADATA,
    Column("key", Text, primary_key=True),
    Column("doc_id", Text, primary_key=True),
    Index("entity_docs_doc", "doc_id"),
    sqlite_with_rowid=False,
)

#: folded names the geoparser placed on the map in some document ("Washington" stays a place)
geocoded_names = Table(
    "geocoded_names", METADATA,
    Column("folded", Text, primary_key=True),
)

# --- what the desk's screens read by page (version 7): claim groups summed up, kept with each group ---------

#: the entities a consolidated claim or event names (attributed to, subject, actors), by role
group_entities = Table(
    "group_entities", METADATA,
    Column("group_id", Text, primary_key=True),
    Column("entity_id", Text, primary_key=True),
    Column("role", Text, primary_key=True),
    Column("key", Text, nullable=False),
    Column("last_day", Text, nullable=False),
    # event | claim, its group's (version 12): a page of an entity's claims is walked in this table's index alone
    Column("family", Text, nullable=False, server_default="claim"),
    Index("group_entities_latest", "entity_id", "last_day", "group_id", "family"),
    Index("group_entities_key", "key"),
)

#: what a list of claims shows of each without decoding it: its first report's wording, stance, figure and place
group_summary = Table(
    "group_summary", METADATA,
    Column("group_id", Text, primary_key=True),
    Column("key", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("family", Text, nullable=False),  # event | claim: what a page lists together
    Column("status", Text, nullable=False),
    Column("independent_sources", Integer, nullable=False),
    Column("first_seen", Text, nullable=False),
    Column("event_type", Text),
    Column("text", Text, nullable=False),
    Column("modality", Text, nullable=False, server_default=""),
    Column("polarity", Text, nullable=False, server_default=""),
    Column("day", Text, nullable=False),  # '' when no report is dated (sorts last, newest first)
    Column("last_day", Text, nullable=False),
    Column("figure", Text),
    Column("unit", Text),
    Column("place", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("members", Integer, nullable=False),
    # its reports' outlets, a JSON list in order (version 11): a page of claims shows them without their reports
    Column("outlets", Text, nullable=False, server_default="[]"),
    Index("group_summary_key", "key"),
    Index("group_summary_latest", "family", "last_day", "group_id"),
    Index("group_summary_newest", "last_day", "group_id"),
    Index("group_summary_status", "family", "status", "last_day", "group_id"),
    Index("group_summary_day", "family", "day", "group_id"),
    # an outlet's claims of one family, found from its reports, are checked in this index alone (version 11)
    Index("group_summary_family", "group_id", "family"),
)

#: which entity keys each document mentions, by the document's day: an entity's mentions over time and its
#: latest reports are an index range, however many reports mention it
mention_days = Table(
    "mention_days", METADATA,
    Column("key", Text, primary_key=True),
    Column("day", Text, primary_key=True),  # the document's publication day, '' when undated
    Column("doc_id", Text, primary_key=True),
    sqlite_with_rowid=False,
)

#: how many documents mention each entity on each day, by the documents' TLP level (version 10): an entity's
#: mentions over time read its days, not its mentions (``entity_days.py`` keeps it as mentions are linked)
entity_days = Table(
    "entity_days", METADATA,
    Column("entity_id", Text, primary_key=True),
    Column("day", Text, primary_key=True),  # the documents' publication day; undated documents are not counted
    Column("tlp", Text, primary_key=True),
    Column("documents", Integer, nullable=False),
    sqlite_with_rowid=False,
)

#: API tokens: only a SHA-256 digest of the secret is kept; ``tlp_ceiling`` bounds what the holder reads
api_tokens = Table(
    "api_tokens", METADATA,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("tlp_ceiling", Text, nullable=False),
    Column("digest", Text, nullable=False, unique=True),
    Column("created_at", Text, nullable=False),
    Column("revoked_at", Text),
)

#: analysts' notes on a consolidated claim or event
claim_notes = Table(
    "claim_notes", METADATA,
    Column("id", Text, primary_key=True),
    Column("group_id", Text, nullable=False),
    Column("token_id", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Index("claim_notes_group", "group_id", "created_at"),
)

#: when each token holder last looked at "what changed" (the dashboard's marker)
visits = Table(
    "visits", METADATA,
    Column("visitor", Text, primary_key=True),
    Column("seen_at", Text, nullable=False),
)

# --- the watcher's state and its alerts (version 8) --------------------------------------------------------

#: one row per watched source (``key``: its URL as written); ``data`` is the watcher's record of it as JSON,
#: the columns beside it are what ``watchfloor stats`` lists
watch_sources = Table(
    "watch_sources", METADATA,
    Column("key", Text, primary_key=True),
    Column("seq", BigInteger, nullable=False),  # the order sources were first polled in
    Column("outlet", Text, nullable=False),
    Column("last_success", Text),
    Column("last_error", Text),
    Column("last_error_at", Text),
    Column("items_seen", Integer, nullable=False, server_default="0"),
    Column("data", Text, nullable=False),
)

#: items of a source that need no fetching again: stored (``doc_id``) or failed for good (``error``)
watch_items = Table(
    "watch_items", METADATA,
    Column("source_key", Text, primary_key=True),
    Column("item_key", Text, primary_key=True),
    Column("url", Text),
    Column("doc_id", Text),
    Column("error", Text),
    Column("seen_at", Text, nullable=False),
    sqlite_with_rowid=False,
)

#: documents the watcher stored that the watch rules have not seen yet, oldest first
watch_pending = Table(
    "watch_pending", METADATA,
    Column("doc_id", Text, primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Index("watch_pending_seq", "seq"),
)

#: every alert once (``key`` is the guard against alerting twice); ``tlp`` is the most restrictive level of the
#: documents the alert's record rested on when it was raised, so readers below it never see it
alerts = Table(
    "alerts", METADATA,
    Column("key", Text, primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("rule", Text, nullable=False),
    Column("record_id", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("tlp", Text, nullable=False),
    Column("data", Text, nullable=False),
    Index("alerts_seq", "seq"),
    Index("alerts_rule", "rule", "seq"),
)

#: one row per alert and output; open until the output took it. A sender claims a row (``claimed_by`` until
#: ``claimed_until``) before sending, so two watchers on one store never send one alert to one output twice
alert_deliveries = Table(
    "alert_deliveries", METADATA,
    Column("key", Text, primary_key=True),
    Column("output", Text, primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("delivered_at", Text),
    Column("claimed_by", Text),
    Column("claimed_until", Text),
    Index("alert_deliveries_open", "output", "delivered_at", "seq"),
)

#: rows of metadata files that link to articles (GDELT 2.0 events and GKG records), kept as the reader typed
#: them (JSON), found by the URL they link to: a fetched article (same ``documents.url``) finds its themes,
#: counts and tone
linked_rows = Table(
    "linked_rows", METADATA,
    Column("kind", Text, primary_key=True),  # gdelt_event | gdelt_gkg
    Column("id", Text, primary_key=True),
    Column("url", Text),
    Column("data", Text, nullable=False),
    Index("linked_rows_url", "url"),
)

meta = Table(
    "meta", METADATA,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

#: the schema version on PostgreSQL (SQLite keeps it in ``PRAGMA user_version``)
schema_version = Table(
    "watchfloor_schema", METADATA,
    Column("version", Integer, nullable=False),
)

