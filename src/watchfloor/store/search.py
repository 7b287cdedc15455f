"""Full-text search over documents and claims: FTS5 with BM25 on SQLite, ``tsvector`` with GIN on PostgreSQL.

The user's words are never read as query syntax on either engine: each word is a term, and only the words
OR and NOT (in capitals) keep their meaning. Matches are marked ``[like this]`` in the snippet.

Ranking costs the database a score for every matching row, and a word most reports contain matches most of
the store: so the words are ranked among the latest ``SEARCH_WINDOW`` (200) stored documents, and apart from
them the latest 200 stored claims, that match them, and a snippet is made for the page only. A search that
matches fewer is ranked over all of its matches; one that matches more is ranked over the latest, which is
what a desk following the news asks of it (on SQLite, BM25's word weights still come from the whole store).
"Latest stored": SQLite's rowid (the order rows were written in); on PostgreSQL, the document's
``ingested_at``, then the highest id first: documents stored in one batch share their time, and a batch is
thousands of rows, so that without the ids the window of a common word would be whichever rows of the latest
batch the database met first, one set when walked and another when read from the index (below). A claim's row
keeps its document's time (version 14), so that the claims are walked in their own index of time and id.
The window was 1,000 until the API at 100k documents had to answer 20 clients within 200 ms on two cores: on
PostgreSQL each matching row in it costs a check and a score (a few microseconds each), and 200 is still ten
pages of the API's default (20) and two of its largest (100).

Common words are not scored (``COMMON_ROWS``: a word in more than 5,000 documents, or claims, of the store).
BM25 weighs a word by how few rows hold it: nothing for a word in half the rows or more, little for one in a few
percent, so such a word barely moves a ranking; but FTS5 learns how many rows hold it by reading its whole
posting list, 4 to 7 ms a search for a word in most of 100k documents. So a query of common words only (or with
OR or NOT and a common word among them) lists its matches newest first, the latest stored at the top, without a
score: for words that pick out nothing, the newest reports are what a desk following the news wants first.
A query of words only with a rarer word among them is ranked, among the latest 200 matches, by its rarer words
(on SQLite, BM25 of them alone; on PostgreSQL, ``ts_rank_cd``, which weighs no word by its frequency, of the
whole query). Whether a word is common: on SQLite its postings counted up to 5,001; on PostgreSQL the planner's
estimate from the table's statistics, one plan for all the query's words (``_estimates``). Scored, a search of
two common words at 100k documents cost ~5 ms of BM25 on SQLite and a score of each of 200 rows on PostgreSQL;
newest first, it stops at the page's 20th match.

On PostgreSQL the window is found one of two ways, chosen per query from the planner's estimate of the
matches (``_few_matches``): the latest rows walked newest first until 200 match (cheap when the words are
common), or every match read from the GIN index and the latest 200 kept (cheap when they are rare). Both
give the same window.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import text

from .base import Access
from .rows import SearchHit
from .snippets import page_snippets, postgresql_snippets

__all__ = ["COMMON_ROWS", "SEARCH_WINDOW", "SearchReads", "fts5_query", "websearch_query"]

#: matches ranked, the latest stored first: a search's cost is bounded by this, not by the store
SEARCH_WINDOW = 200
#: a word in more rows than this is common, and not scored (see the module's docstring)
COMMON_ROWS = 5000

#: PostgreSQL: what a match read from the GIN index (fetched, then sorted by time) costs against a row checked on a
#: walk of the latest, by table (``_few_matches``): a document's row is read from a page of a few; claims lie in the
#: order they are walked (``claims_latest``), many to a page. Backend processor time of a page's read at 100k,
#: window 20, words matching 1,000 to 1,900 claims: 2.5 to 4.5 ms from the index, 1.5 to 2.75 walking six times
#: as many claims (six pairs of words); window 200, 2,000 to 3,000 claims matching an OR: the index still cheaper
_MATCH_COST = {"documents": 2, "claims_fts_source": 6}

_OPERATORS = {"OR", "NOT", "AND"}
_QUERY = "websearch_to_tsquery('english', :q)"
#: a document's snippet is made from its first this many characters (a match further on shows its first words)
_SNIPPET_CHARS = 200_000
#: the page, best first, of the window of latest matches (``key``, ``ingested_at``, ``tsv``) it is given, ranked by
#: ``{rank}``: ranked once the window is cut, so that a window cut from all the matches (sorted by time) ranks 200
#: rows, not every match
_BEST = "SELECT key, {rank} AS rank FROM ({latest}) AS latest, " + _QUERY + " q ORDER BY rank DESC, key LIMIT :limit"


def _terms(query: str) -> list[str]:
    """The words and operators of a query, with dangling operators dropped; in a query of words only, a word
    said again is said once: "troops troops" asks what "troops" asks, and PostgreSQL's planner, taking the two
    as independent words, would estimate its matches from the square of the word's frequency (a common word
    taken for a rare pair)."""
    parts: list[str] = []
    for word in query.split():
        if word in _OPERATORS:
            if parts and parts[-1] not in _OPERATORS:
                parts.append(word)
        else:
            parts.append(word)
    while parts and parts[-1] in _OPERATORS:
        parts.pop()
    return parts if _OPERATORS.intersection(parts) else list(dict.fromkeys(parts))


def _fts5_parts(query: str) -> list[str]:
    return [p if p in _OPERATORS else '"' + p.replace('"', '""') + '"' for p in _terms(query)]


def fts5_query(query: str) -> str:
    """FTS5: each word quoted as a string, explicit OR and NOT kept."""
    return " ".join(_fts5_parts(query))


def websearch_query(query: str) -> str:
    """PostgreSQL ``websearch_to_tsquery``: words without quote or minus signs, ``or``, and ``-word`` for NOT."""
    out: list[str] = []
    negate = False
    for part in _terms(query):
        if part == "OR":
            out.append("or")
        elif part == "NOT":
            negate = True
        elif part != "AND":
            word = part.replace('"', " ").strip().lstrip("-")
            if word:
                out.append(("-" if negate else "") + word)
            negate = False
    return " ".join(out)


def _stance(modality: str, polarity: str) -> str:
    return "takes no side" if polarity == "uncommitted" else modality


def _levels_condition(levels: Collection[str] | None, params: dict[str, Any]) -> str:
    """`` AND d.tlp IN (...)`` for the given levels (bound as parameters), or nothing."""
    if levels is None:
        return ""
    names = sorted(levels)
    params.update({f"tlp{i}": level for i, level in enumerate(names)})
    return f" AND d.tlp IN ({', '.join(f':tlp{i}' for i in range(len(names))) or 'NULL'})"


class SearchReads(Access):
    #: whether this transaction's statements are planned for their values already (``plan_for_values``)
    _planned_for_values = False

    def search(self, query: str, limit: int = 20, levels: Collection[str] | None = None) -> list[SearchHit]:
        """Documents matching the words, best first among the latest ``SEARCH_WINDOW`` that match (only those
        at the given TLP levels, when given)."""
        if not _terms(query):
            return []
        params: dict[str, Any] = {"limit": limit, "window": SEARCH_WINDOW}
        within = _levels_condition(levels, params)
        if self.engine == "sqlite":
            params["q"] = fts5_query(query)
            join = " JOIN documents d ON d.rowid = documents_fts.rowid" if within else ""
            latest = self._fts5_latest("documents_fts", query, join, within, params)
            best = ("SELECT d.rowid, d.id, d.title, d.outlet, d.published, d.text FROM "
                    f"{latest} JOIN documents d ON d.rowid = latest.hit ORDER BY latest.score, d.id LIMIT :limit")
            found = self.connection.execute(text(best), params).all()
            snippets = page_snippets(params["q"], [(r[0], r[2], r[5]) for r in found], 1)
            return [SearchHit(r[1], r[2], r[3], r[4], snippet) for r, snippet in zip(found, snippets, strict=True)]
        params["q"] = websearch_query(query)
        self.plan_for_values()
        few, rank = self._postgresql_window("documents", query, params)
        if few:  # all the matches from the index, then the latest of them
            latest = ("SELECT d.id AS key, d.ingested_at, d.tsv FROM (SELECT id, tsv, ingested_at, tlp "
                      f"FROM documents, {_QUERY} q WHERE tsv @@ q OFFSET 0) AS d WHERE true{within} "
                      "ORDER BY d.ingested_at DESC, d.id DESC LIMIT :window")
        else:  # the latest documents walked (``documents_latest``), each checked, until the window is full
            latest = (f"SELECT d.id AS key, d.ingested_at, d.tsv FROM documents d, {_QUERY} q "
                      f"WHERE d.tsv @@ q{within} ORDER BY d.ingested_at DESC, d.id DESC LIMIT :window")
        sql = (f"SELECT d.id, d.title, d.outlet, d.published, left(d.text, {_SNIPPET_CHARS}), q::text "
               f"FROM ({_BEST.format(latest=latest, rank=rank)}) AS best JOIN documents d ON d.id = best.key, "
               f"{_QUERY} q ORDER BY best.rank DESC, best.key")
        found = self.connection.execute(text(sql), params).all()
        snippets = postgresql_snippets(self.connection, found[0][5], [r[4] for r in found]) if found else []
        return [SearchHit(r[0], r[1], r[2], r[3], snippet) for r, snippet in zip(found, snippets, strict=True)]

    def _fts5_latest(self, table: str, query: str, join: str, narrow: str, params: dict[str, Any]) -> str:
        """SQLite: the subquery ``latest`` of the rows to rank (``hit``, rowid) and their ``score`` (lower is
        better) for the FTS5 query ``:q`` on ``table``, its rows narrowed by ``join`` and ``narrow``.

        BM25 weighs each word by how many rows hold it, and FTS5 counts them by reading the word's whole
        posting list: 4 to 7 ms for a word in most of 100k documents, whatever the window. So words in more
        than ``COMMON_ROWS`` rows are not scored (BM25 gives a word in half the rows or more no weight at all,
        and little to one in a few percent): the window is scored by the query's other words when it is words
        only, and when every word is common (or some is and OR or NOT says how they combine) the page is the
        latest matches, newest first."""
        parts = _fts5_parts(query)
        words = [p for p in parts if p not in _OPERATORS]
        scored = [w for w in dict.fromkeys(words) if not self._common(table, w)]
        matches = (f"SELECT {table}.rowid AS hit FROM {table}{join} WHERE {table} MATCH :q{narrow} "
                   f"ORDER BY {table}.rowid DESC")
        if len(scored) == len(set(words)):
            return (f"(SELECT {table}.rowid AS hit, bm25({table}) AS score FROM {table}{join} WHERE {table} MATCH "
                    f":q{narrow} ORDER BY {table}.rowid DESC LIMIT :window) AS latest")
        if not scored or _OPERATORS.intersection(parts):
            return f"(SELECT hit, -hit AS score FROM ({matches} LIMIT :limit)) AS latest"
        params["scored"] = " ".join(scored)
        # the scoring words' rows from the window's first row on (a range FTS5 seeks to), kept if in the window
        return (f"(WITH window AS ({matches} LIMIT :window) SELECT {table}.rowid AS hit, bm25({table}) AS score "
                f"FROM {table} WHERE {table} MATCH :scored AND {table}.rowid >= (SELECT min(hit) FROM window) "
                f"AND +{table}.rowid IN (SELECT hit FROM window)) AS latest")

    def _common(self, table: str, word: str) -> bool:
        """SQLite: whether more than ``COMMON_ROWS`` rows of an FTS5 table hold a word (reading at most that
        many of its postings)."""
        probe = f"SELECT count(*) FROM (SELECT rowid FROM {table} WHERE {table} MATCH :word LIMIT :cap)"
        return int(self.connection.execute(text(probe), {"word": word, "cap": COMMON_ROWS + 1}).scalar_one()) \
            > COMMON_ROWS

    def plan_for_values(self) -> None:
        """PostgreSQL: plan the rest of this transaction's statements for the values they are given (nothing on
        SQLite, which plans every statement anew). psycopg prepares a statement run five times, and after five
        more PostgreSQL may switch it to a generic plan, made without the values: one plan for a word in every
        report and for a rare one (0.2 to 1 s a search at 100k documents, where a plan made for the words takes
        a few milliseconds), one for an entity named in 70,000 claims and for one named in ten (1 to 1.5 s a
        page of the claims API for the former). Parallel workers are left out too: on a server answering many
        clients they only take the cores the other requests use. Set once a transaction (a search asks for it
        for documents and again for claims)."""
        if self.engine == "sqlite" or self._planned_for_values:
            return
        self._planned_for_values = True
        self.connection.execute(text("SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
                                     "set_config('max_parallel_workers_per_gather', '0', true)"))

    def _postgresql_window(self, table: str, query: str, params: dict[str, Any]) -> tuple[bool, str]:
        """PostgreSQL: whether a search finds its window from the GIN index (few rows match), and what ranks it:
        ``ts_rank_cd`` over the latest ``SEARCH_WINDOW`` matches, or, when every word is in more than
        ``COMMON_ROWS`` rows by the planner's estimate (or some is and OR or NOT combine them, as on SQLite), the
        time the rows were stored, over the latest page of matches (``:window`` is set to the one or the other)."""
        parts = _terms(query)
        words = [w for w in dict.fromkeys(websearch_query(p) for p in parts if p not in _OPERATORS) if w]
        rows, matches, *each = self._estimates(table, [params["q"], *words])
        common = [n > COMMON_ROWS for n in each]
        newest = any(common) and (all(common) or bool(_OPERATORS.intersection(parts)))
        params["window"] = int(params["limit"]) if newest else SEARCH_WINDOW
        few = self._few_matches(table, params["q"], params["window"], (rows, matches))
        return few, "latest.ingested_at" if newest else "ts_rank_cd(latest.tsv, q)"

    def _estimates(self, table: str, queries: Sequence[str]) -> list[float]:
        """PostgreSQL: the planner's estimates of the rows of a table, then of the rows each
        ``websearch_to_tsquery`` matches, from the table's statistics (each word's frequency, words taken as
        independent): one plan, not a read."""
        parts = "".join(f" UNION ALL SELECT 1 FROM {table} WHERE tsv @@ websearch_to_tsquery('english', :e{i})"
                        for i in range(len(queries)))
        plan = self.connection.execute(text(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {table}{parts}"),
                                       {f"e{i}": q for i, q in enumerate(queries)}).scalar_one()
        nodes = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plans"]
        return [float(node["Plan Rows"]) for node in nodes]

    def _few_matches(self, table: str, query: str, window: int | None = None,
                     estimates: tuple[float, float] | None = None) -> bool:
        """PostgreSQL: whether the words match so few rows of a table that reading all of them from the GIN
        index and keeping the latest costs less than walking the latest rows until the window (``SEARCH_WINDOW``
        unless given) is full (``estimates``: the table's rows and the matches, when already planned).

        Walking costs about ``SEARCH_WINDOW * rows / matches`` rows read, the index about ``matches``, each dearer
        by the table's ``_MATCH_COST``; the two meet near ``matches² = SEARCH_WINDOW * rows / _MATCH_COST``.
        The matches are the planner's estimate from the table's statistics (each word's frequency, words taken
        as independent), so this costs a plan, not a read. A pair of words that rarely meet (each common, or
        one rare) walked tens of thousands of rows before: 0.1 s for a claim search."""
        rows, matches = estimates or self._estimates(table, [query])
        return _MATCH_COST[table] * matches * matches < (window or SEARCH_WINDOW) * max(rows, 1.0)

    def search_claims(self, query: str, limit: int = 20, source_keys: Collection[str] | None = None,
                      modality: str | None = None, polarity: str | None = None,
                      levels: Collection[str] | None = None) -> list[SearchHit]:
        """Claims matching the words (all claims when there are none but a filter is given), narrowed to those
        whose attribution chain holds one of ``source_keys`` (entity keys), to a modality and polarity, and to
        documents at the given TLP levels."""
        conditions: list[str] = []
        params: dict[str, Any] = {"limit": limit}
        within = _levels_condition(levels, params)
        if modality:
            conditions.append("c.modality = :modality")
            params["modality"] = modality
        if polarity:
            conditions.append("c.polarity = :polarity")
            params["polarity"] = polarity
        if source_keys is not None:
            if not source_keys:
                return []
            names = [f":k{i}" for i in range(len(source_keys))]
            conditions.append(f"c.claim_id IN (SELECT claim_id FROM claim_sources WHERE key IN ({', '.join(names)}))")
            params.update({f"k{i}": key for i, key in enumerate(sorted(source_keys))})
        if _terms(query):
            return self._ranked_claims(query, conditions, within, params)
        if not conditions:
            return []
        order = "d.published DESC, c.claim_id" if self.engine == "sqlite" else "d.published DESC NULLS LAST, c.claim_id"
        sql = ("SELECT c.doc_id, d.title, d.outlet, d.published, c.text, c.sources, c.modality, c.polarity "
               f"FROM claims_fts_source c JOIN documents d ON d.id = c.doc_id WHERE {' AND '.join(conditions)}{within} "
               f"ORDER BY {order} LIMIT :limit")
        return [_claim_hit(r) for r in self.connection.execute(text(sql), params)]

    def _ranked_claims(self, query: str, conditions: list[str], within: str, params: dict[str, Any]
                       ) -> list[SearchHit]:
        """Claims matching the words, best first among the latest ``SEARCH_WINDOW`` that match."""
        params["window"] = SEARCH_WINDOW
        narrow = "".join(f" AND {c}" for c in conditions) + within
        if self.engine == "sqlite":
            params["q"] = fts5_query(query)
            join = (" JOIN claims_fts_source c ON c.rowid = claims_fts.rowid JOIN documents d ON d.id = c.doc_id"
                    if narrow else "")
            latest = self._fts5_latest("claims_fts", query, join, narrow, params)
            best = ("SELECT c.rowid, c.doc_id, d.title, d.outlet, d.published, c.text, c.sources, c.modality, "
                    f"c.polarity FROM {latest} JOIN claims_fts_source c ON c.rowid = latest.hit "
                    "JOIN documents d ON d.id = c.doc_id ORDER BY latest.score, c.claim_id LIMIT :limit")
            found = self.connection.execute(text(best), params).all()
            snippets = page_snippets(params["q"], [(r[0], r[5], r[6]) for r in found], 0)
            return [_claim_hit((*r[1:5], snippet, *r[6:])) for r, snippet in zip(found, snippets, strict=True)]
        params["q"] = websearch_query(query)
        self.plan_for_values()
        few, rank = self._postgresql_window("claims_fts_source", query, params)
        # a claim keeps its document's time (version 14): the documents are read only for their levels
        documents = " JOIN documents d ON d.id = c.doc_id" if within else ""
        if few:  # as for documents, above
            claims = (f"(SELECT claim_id, doc_id, tsv, modality, polarity, ingested_at FROM claims_fts_source, "
                      f"{_QUERY} q WHERE tsv @@ q OFFSET 0) AS c{documents}")
            where = f"true{narrow}"
        else:  # the latest claims walked in their index (``claims_latest``), each checked
            claims, where = f"claims_fts_source c{documents}", f"c.tsv @@ q{narrow}"
        latest = (f"SELECT c.claim_id AS key, c.ingested_at, c.tsv FROM {claims}, {_QUERY} q "
                  f"WHERE {where} ORDER BY c.ingested_at DESC, c.claim_id DESC LIMIT :window")
        sql = (f"SELECT c.doc_id, d.title, d.outlet, d.published, c.text, c.sources, c.modality, c.polarity, "
               f"q::text FROM ({_BEST.format(latest=latest, rank=rank)}) AS best "
               f"JOIN claims_fts_source c ON c.claim_id = best.key JOIN documents d ON d.id = c.doc_id, {_QUERY} q "
               "ORDER BY best.rank DESC, best.key")
        found = self.connection.execute(text(sql), params).all()
        snippets = postgresql_snippets(self.connection, found[0][8], [r[4] for r in found]) if found else []
        return [_claim_hit((*r[:4], snippet, *r[5:8])) for r, snippet in zip(found, snippets, strict=True)]


def _claim_hit(r: Sequence[Any]) -> SearchHit:
    return SearchHit(r[0], r[1], r[2], r[3], f"{r[4]} (according to {r[5]})", kind="claim", stance=_stance(r[6], r[7]))
