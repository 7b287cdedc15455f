"""Full-text search over documents and claims: FTS5 with BM25 on SQLite, ``tsvector`` with GIN on PostgreSQL.

The user's words are never read as query syntax on either engine: each word is a term, and only the words
OR and NOT (in capitals) keep their meaning. Matches are marked ``[like this]`` in the snippet.

Ranking costs the database a score for every matching row, and a word most reports contain matches most of
the store: so the words are ranked among the latest ``SEARCH_WINDOW`` stored documents (claims) that match
them — the index walked newest first, stopping there — and a snippet is made for the page only. A search that
matches fewer is ranked over all of its matches, as before; one that matches more is ranked over the latest,
which is what a desk following the news asks of it (BM25's word weights still come from the whole store).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import text

from .base import Access
from .rows import SearchHit

__all__ = ["SEARCH_WINDOW", "SearchReads", "fts5_query", "websearch_query"]

#: matches ranked, the latest stored first: a search's cost is bounded by this, not by the store
SEARCH_WINDOW = 1000

_OPERATORS = {"OR", "NOT", "AND"}


def _terms(query: str) -> list[str]:
    """The words and operators of a query, with dangling operators dropped."""
    parts: list[str] = []
    for word in query.split():
        if word in _OPERATORS:
            if parts and parts[-1] not in _OPERATORS:
                parts.append(word)
        else:
            parts.append(word)
    while parts and parts[-1] in _OPERATORS:
        parts.pop()
    return parts


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
            best = ("SELECT d.rowid, d.id, d.title, d.outlet, d.published FROM (SELECT documents_fts.rowid AS hit, "
                    f"bm25(documents_fts) AS score FROM documents_fts{join} WHERE documents_fts MATCH :q{within} "
                    "ORDER BY documents_fts.rowid DESC LIMIT :window) AS latest JOIN documents d ON d.rowid = "
                    "latest.hit ORDER BY latest.score, d.id LIMIT :limit")
            found = self.connection.execute(text(best), params).all()
            return [SearchHit(r[1], r[2], r[3], r[4], snippet) for r, snippet in
                    zip(found, self._snippets("documents_fts", 1, params["q"], [r[0] for r in found]), strict=True)]
        sql = ("SELECT id, title, outlet, published, ts_headline('english', left(text, 200000), q, "
               "'StartSel=[, StopSel=], MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter= … ') "
               "FROM (SELECT d.id, d.title, d.outlet, d.published, d.text, q, ts_rank_cd(d.tsv, q) AS rank "
               "FROM (SELECT d.id FROM documents d, websearch_to_tsquery('english', :q) q "
               f"WHERE d.tsv @@ q{within} ORDER BY d.ingested_at DESC, d.id DESC LIMIT :window) AS latest "
               "JOIN documents d ON d.id = latest.id, websearch_to_tsquery('english', :q) q "
               "ORDER BY rank DESC, d.id LIMIT :limit) AS best ORDER BY rank DESC, id")
        params["q"] = websearch_query(query)
        return [SearchHit(r[0], r[1], r[2], r[3], r[4]) for r in self.connection.execute(text(sql), params)]

    def _snippets(self, table: str, column: int, query: str, rowids: list[int]) -> list[str]:
        """FTS5 snippets of some rows of a full-text table (matched again by rowid: a lookup, not a scan)."""
        if not rowids:
            return []
        names = [f":r{i}" for i in range(len(rowids))]
        sql = (f"SELECT rowid, snippet({table}, {column}, '[', ']', ' … ', 24) FROM {table} WHERE {table} MATCH :q "
               f"AND rowid IN ({', '.join(names)})")
        params: dict[str, Any] = {"q": query, **{f"r{i}": r for i, r in enumerate(rowids)}}
        found: dict[int, str] = {int(r[0]): str(r[1]) for r in self.connection.execute(text(sql), params)}
        return [str(found.get(r, "")) for r in rowids]

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
            snippets = self._snippets("claims_fts", 0, params["q"], [r[0] for r in found])
            return [_claim_hit((*r[1:5], snippet, *r[6:])) for r, snippet in zip(found, snippets, strict=True)]
        params["q"] = websearch_query(query)
        sql = ("SELECT doc_id, title, outlet, published, ts_headline('english', text, q, 'StartSel=[, StopSel=], "
               "MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter= … '), sources, modality, polarity "
               "FROM (SELECT c.claim_id, c.doc_id, d.title, d.outlet, d.published, c.text, c.sources, c.modality, "
               "c.polarity, q, ts_rank_cd(c.tsv, q) AS rank FROM (SELECT c.claim_id FROM claims_fts_source c "
               "JOIN documents d ON d.id = c.doc_id, websearch_to_tsquery('english', :q) q "
               f"WHERE c.tsv @@ q{narrow} ORDER BY d.ingested_at DESC, c.claim_id DESC LIMIT :window) AS latest "
               "JOIN claims_fts_source c ON c.claim_id = latest.claim_id JOIN documents d ON d.id = c.doc_id, "
               "websearch_to_tsquery('english', :q) q ORDER BY rank DESC, c.claim_id LIMIT :limit) AS best "
               "ORDER BY rank DESC, claim_id")
        return [_claim_hit(r) for r in self.connection.execute(text(sql), params)]


def _claim_hit(r: Sequence[Any]) -> SearchHit:
    return SearchHit(r[0], r[1], r[2], r[3], f"{r[4]} (according to {r[5]})", kind="claim", stance=_stance(r[6], r[7]))
