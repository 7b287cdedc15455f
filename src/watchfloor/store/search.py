"""Full-text search over documents and claims: FTS5 with BM25 on SQLite, ``tsvector`` with GIN on PostgreSQL.

The user's words are never read as query syntax on either engine: each word is a term, and only the words
OR and NOT (in capitals) keep their meaning. Matches are marked ``[like this]`` in the snippet.

Ranking costs the database a score for every matching row, and a word most reports contain matches most of
the store: so the words are ranked among the latest ``SEARCH_WINDOW`` (200) stored documents, and apart from
them the latest 200 stored claims, that match them, and a snippet is made for the page only. A search that
matches fewer is ranked over all of its matches; one that matches more is ranked over the latest, which is
what a desk following the news asks of it (on SQLite, BM25's word weights still come from the whole store).
"Latest stored": SQLite's rowid (the order rows were written in); on PostgreSQL, the document's
``ingested_at`` — documents stored in one batch share it, and where such a tie straddles the window's edge the
ones taken are those the database meets first (the ranking within the window is always the same for the
same window). The window was 1,000 until the API at 100k documents had to answer 20 clients within 200 ms
on two cores: on PostgreSQL each matching row in it costs a check and a score (a few microseconds each, and a
claim's order is its document's, one more read), and 200 is still ten pages of the API's default (20)
and two of its largest (100).

On PostgreSQL the window is found one of two ways, chosen per query from the planner's estimate of the
matches (``_few_matches``): the latest rows walked newest first until 200 match (cheap when the words are
common), or every match read from the GIN index and the latest 200 kept (cheap when they are rare). Both
give the same window (but for the ties at its edge, above).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import text

from .base import Access
from .rows import SearchHit
from .snippets import page_snippets

__all__ = ["SEARCH_WINDOW", "SearchReads", "fts5_query", "websearch_query"]

#: matches ranked, the latest stored first: a search's cost is bounded by this, not by the store
SEARCH_WINDOW = 200

_OPERATORS = {"OR", "NOT", "AND"}
#: PostgreSQL's snippet: matches marked [like this], about as long as an FTS5 snippet of 24 tokens
_QUERY = "websearch_to_tsquery('english', :q)"
#: the page, best first, of the window of latest matches (``key``, ``rank``) it is given
_BEST = "SELECT key, rank FROM ({latest}) AS latest ORDER BY rank DESC, key LIMIT :limit"
_HEADLINE = "StartSel=[, StopSel=], MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter= … "


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


def fts5_query(query: str) -> str:
    """FTS5: each word quoted as a string, explicit OR and NOT kept."""
    return " ".join(p if p in _OPERATORS else '"' + p.replace('"', '""') + '"' for p in _terms(query))


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
            best = ("SELECT d.rowid, d.id, d.title, d.outlet, d.published, d.text FROM (SELECT documents_fts.rowid "
                    f"AS hit, bm25(documents_fts) AS score FROM documents_fts{join} WHERE documents_fts MATCH :q{within} "
                    "ORDER BY documents_fts.rowid DESC LIMIT :window) AS latest JOIN documents d ON d.rowid = "
                    "latest.hit ORDER BY latest.score, d.id LIMIT :limit")
            found = self.connection.execute(text(best), params).all()
            snippets = page_snippets(params["q"], [(r[0], r[2], r[5]) for r in found], 1)
            return [SearchHit(r[1], r[2], r[3], r[4], snippet) for r, snippet in zip(found, snippets, strict=True)]
        params["q"] = websearch_query(query)
        self.plan_for_values()
        if self._few_matches("documents", params["q"]):  # all the matches from the index, then the latest of them
            latest = (f"SELECT d.id AS key, ts_rank_cd(d.tsv, q) AS rank FROM (SELECT id, tsv, ingested_at, tlp "
                      f"FROM documents, {_QUERY} q WHERE tsv @@ q OFFSET 0) AS d, {_QUERY} q WHERE true{within} "
                      "ORDER BY d.ingested_at DESC LIMIT :window")
        else:  # the latest documents walked, each checked, until the window is full
            latest = (f"SELECT d.id AS key, ts_rank_cd(d.tsv, q) AS rank FROM documents d, {_QUERY} q "
                      f"WHERE d.tsv @@ q{within} ORDER BY d.ingested_at DESC LIMIT :window")
        sql = (f"SELECT d.id, d.title, d.outlet, d.published, ts_headline('english', left(d.text, 200000), q, "
               f"'{_HEADLINE}') FROM ({_BEST.format(latest=latest)}) AS best JOIN documents d ON d.id = best.key, "
               f"{_QUERY} q ORDER BY best.rank DESC, best.key")
        return [SearchHit(r[0], r[1], r[2], r[3], r[4]) for r in self.connection.execute(text(sql), params)]

    def plan_for_values(self) -> None:
        """PostgreSQL: plan the rest of this transaction's statements for the values they are given (nothing on
        SQLite, which plans every statement anew). psycopg prepares a statement run five times, and after five
        more PostgreSQL may switch it to a generic plan, made without the values: one plan for a word in every
        report and for a rare one (0.2 to 1 s a search at 100k documents, where a plan made for the words takes
        a few milliseconds), one for an entity named in 70,000 claims and for one named in ten (1 to 1.5 s a
        page of the claims API for the former). Parallel workers are left out too: on a server answering many
        clients they only take the cores the other requests use."""
        if self.engine == "sqlite":
            return
        self.connection.execute(text("SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
                                     "set_config('max_parallel_workers_per_gather', '0', true)"))

    def _few_matches(self, table: str, query: str) -> bool:
        """PostgreSQL: whether the words match so few rows of a table that reading all of them from the GIN
        index and keeping the latest costs less than walking the latest rows until the window is full.

        Walking costs about ``SEARCH_WINDOW * rows / matches`` rows read, the index about ``matches`` (each a
        little dearer: fetched, then sorted by date); the two meet near ``matches² = SEARCH_WINDOW * rows / 2``.
        The matches are the planner's estimate from the table's statistics (each word's frequency, words taken
        as independent), so this costs a plan, not a read. A pair of words that rarely meet (each common, or
        one rare) walked tens of thousands of rows before: 0.1 s for a claim search."""
        plan = self.connection.execute(text(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {table} WHERE tsv @@ {_QUERY}"),
                                       {"q": query}).scalar_one()
        plan = json.loads(plan) if isinstance(plan, str) else plan
        matches = float(plan[0]["Plan"]["Plan Rows"])
        rows = float(self.connection.execute(text("SELECT reltuples FROM pg_class WHERE oid = CAST(:t AS regclass)"),
                                             {"t": table}).scalar_one())
        return 2 * matches * matches < SEARCH_WINDOW * max(rows, 1.0)

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
            best = ("SELECT c.rowid, c.doc_id, d.title, d.outlet, d.published, c.text, c.sources, c.modality, "
                    "c.polarity FROM (SELECT claims_fts.rowid AS hit, bm25(claims_fts) AS score "
                    f"FROM claims_fts{join} WHERE claims_fts MATCH :q{narrow} ORDER BY claims_fts.rowid DESC "
                    "LIMIT :window) AS latest JOIN claims_fts_source c ON c.rowid = latest.hit "
                    "JOIN documents d ON d.id = c.doc_id ORDER BY latest.score, c.claim_id LIMIT :limit")
            found = self.connection.execute(text(best), params).all()
            snippets = page_snippets(params["q"], [(r[0], r[5], r[6]) for r in found], 0)
            return [_claim_hit((*r[1:5], snippet, *r[6:])) for r, snippet in zip(found, snippets, strict=True)]
        params["q"] = websearch_query(query)
        self.plan_for_values()
        if self._few_matches("claims_fts_source", params["q"]):  # as for documents, above
            claims = (f"(SELECT claim_id, doc_id, tsv, modality, polarity FROM claims_fts_source, {_QUERY} q "
                      "WHERE tsv @@ q OFFSET 0) AS c JOIN documents d ON d.id = c.doc_id")
            where = f"true{narrow}"
        else:
            claims, where = "claims_fts_source c JOIN documents d ON d.id = c.doc_id", f"c.tsv @@ q{narrow}"
        latest = (f"SELECT c.claim_id AS key, ts_rank_cd(c.tsv, q) AS rank FROM {claims}, {_QUERY} q WHERE {where} "
                  "ORDER BY d.ingested_at DESC LIMIT :window")
        sql = (f"SELECT c.doc_id, d.title, d.outlet, d.published, ts_headline('english', c.text, q, '{_HEADLINE}'), "
               f"c.sources, c.modality, c.polarity FROM ({_BEST.format(latest=latest)}) AS best "
               f"JOIN claims_fts_source c ON c.claim_id = best.key JOIN documents d ON d.id = c.doc_id, {_QUERY} q "
               "ORDER BY best.rank DESC, best.key")
        return [_claim_hit(r) for r in self.connection.execute(text(sql), params)]


def _claim_hit(r: Sequence[Any]) -> SearchHit:
    return SearchHit(r[0], r[1], r[2], r[3], f"{r[4]} (according to {r[5]})", kind="claim", stance=_stance(r[6], r[7]))
