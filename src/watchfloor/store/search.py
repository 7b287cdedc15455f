"""Full-text search over documents and claims: FTS5 with BM25 on SQLite, ``tsvector`` with GIN on PostgreSQL.

The user's words are never read as query syntax on either engine: each word is a term, and only the words
OR and NOT (in capitals) keep their meaning. Matches are marked ``[like this]`` in the snippet.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import text

from .base import Access
from .rows import SearchHit

__all__ = ["SearchReads", "fts5_query", "websearch_query"]

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
        """Documents matching the words, best first (only those at the given TLP levels, when given)."""
        if not _terms(query):
            return []
        params: dict[str, Any] = {"limit": limit}
        within = _levels_condition(levels, params)
        if self.engine == "sqlite":
            sql = ("SELECT d.id, d.title, d.outlet, d.published, snippet(documents_fts, 1, '[', ']', ' … ', 24) "
                   "FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
                   f"WHERE documents_fts MATCH :q{within} ORDER BY bm25(documents_fts), d.id LIMIT :limit")
            params["q"] = fts5_query(query)
        else:
            sql = ("SELECT id, title, outlet, published, ts_headline('english', left(text, 200000), q, "
                   "'StartSel=[, StopSel=], MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter= … ') "
                   "FROM (SELECT d.id, d.title, d.outlet, d.published, d.text, q, ts_rank_cd(d.tsv, q) AS rank "
                   f"FROM documents d, websearch_to_tsquery('english', :q) q WHERE d.tsv @@ q{within} "
                   "ORDER BY rank DESC, d.id LIMIT :limit) AS best ORDER BY rank DESC, id")
            params["q"] = websearch_query(query)
        return [SearchHit(r[0], r[1], r[2], r[3], r[4]) for r in self.connection.execute(text(sql), params)]

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
        words = bool(_terms(query))
        if not words and not conditions:
            return []
        extra = ""
        if self.engine == "sqlite":
            if words:
                source, snippet, order = ("claims_fts JOIN claims_fts_source c ON c.rowid = claims_fts.rowid",
                                          "snippet(claims_fts, 0, '[', ']', ' … ', 24)", "bm25(claims_fts), c.claim_id")
                conditions.insert(0, "claims_fts MATCH :q")
                params["q"] = fts5_query(query)
            else:
                source, snippet, order = "claims_fts_source c", "c.text", "d.published DESC, c.claim_id"
        else:
            if words:
                source, extra = "claims_fts_source c", ", websearch_to_tsquery('english', :q) q"
                snippet = ("ts_headline('english', c.text, q, 'StartSel=[, StopSel=], MaxWords=24, MinWords=8, "
                           "MaxFragments=1, FragmentDelimiter= … ')")
                order = "ts_rank_cd(c.tsv, q) DESC, c.claim_id"
                conditions.insert(0, "c.tsv @@ q")
                params["q"] = websearch_query(query)
            else:
                source, snippet, order = "claims_fts_source c", "c.text", "d.published DESC NULLS LAST, c.claim_id"
        sql = (f"SELECT c.doc_id, d.title, d.outlet, d.published, {snippet}, c.sources, c.modality, c.polarity "
               f"FROM {source} JOIN documents d ON d.id = c.doc_id{extra} WHERE {' AND '.join(conditions)}{within} "
               f"ORDER BY {order} LIMIT :limit")
        return [SearchHit(r[0], r[1], r[2], r[3], f"{r[4]} (according to {r[5]})", kind="claim",
                          stance=_stance(r[6], r[7])) for r in self.connection.execute(text(sql), params)]
