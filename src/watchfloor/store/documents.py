"""Documents, their analyses, their near-duplicate bands and their searchable claims.

A document is written with everything derived from it in the caller's write transaction, so an interrupted
batch leaves no half-written document; a document already stored is never written twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import Row, Select, distinct, func, select

from .. import codec
from ..ids import claim_id
from ..model import Document, DocumentAnalysis, Mention, Tlp
from . import tables as t
from .base import Access, chunks, insert_rows

__all__ = ["DocumentReads", "DocumentWrites", "NewDocument"]


@dataclass(frozen=True)
class NewDocument:
    """A document ready to be stored: its analysis and its MinHash signature with the bands it is indexed by."""

    document: Document
    analysis: DocumentAnalysis
    signature: np.ndarray
    bands: tuple[str, ...]
    analyzer_version: int


_D = t.documents


def _document(row: Row[Any]) -> Document:
    m = row._mapping
    published = m["published"]
    return Document(
        id=m["id"], title=m["title"], text=m["text"], outlet=m["outlet"], url=m["url"],
        published=datetime.fromisoformat(published) if published else None, author=m["author"],
        language=m["language"], source_path=m["source_path"], content_hash=m["content_hash"],
        near_duplicate_of=m["near_duplicate_of"], tlp=Tlp(m["tlp"]),
    )


_DOCUMENT_COLUMNS = [c for c in _D.c if c.name != "signature"]
_ORDER = (_D.c.published.asc().nulls_first(), _D.c.id)


def spellings(analysis: str) -> list[tuple[str, str]]:
    """(entity key, the words that named it) for every mention of a stored analysis (its JSON record)."""
    return [(m["entity"]["key"], m["span"]["text"]) for m in json.loads(analysis).get("mentions") or ()]


class DocumentReads(Access):
    def count(self) -> int:
        return int(self.connection.execute(select(func.count()).select_from(_D)).scalar_one())

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for chunk in chunks(ids):
            found.update(self.connection.execute(select(_D.c.id).where(self._among(_D.c.id, chunk))).scalars())
        return found

    def near_duplicate_candidates(self, bands: Iterable[str]) -> dict[str, list[tuple[str, np.ndarray]]]:
        """The stored documents under each of some MinHash bands (those of a whole batch of texts: one query,
        not one per text), by id, with their signatures; bands without any are left out."""
        found: dict[str, list[tuple[str, np.ndarray]]] = {}
        signatures: dict[str, np.ndarray] = {}
        _B = t.minhash_bands
        for chunk in chunks(sorted(set(bands))):
            query = (select(_B.c.band, _D.c.id, _D.c.signature).join(_D, _D.c.id == _B.c.doc_id)
                     .where(self._among(_B.c.band, chunk), _D.c.signature.is_not(None)).order_by(_B.c.band, _D.c.id))
            for band, doc_id, signature in self.connection.execute(query):
                if doc_id not in signatures:
                    signatures[doc_id] = np.frombuffer(signature, dtype=np.uint64)
                found.setdefault(band, []).append((doc_id, signatures[doc_id]))
        return found

    def document(self, doc_id: str) -> Document | None:
        row = self.connection.execute(select(*_DOCUMENT_COLUMNS).where(_D.c.id == doc_id)).first()
        return _document(row) if row else None

    def documents(self, ids: Iterable[str] | None = None) -> Iterator[Document]:
        """Documents in publication order (undated first), all or the given ones."""
        for query in self._queries(select(*_DOCUMENT_COLUMNS), ids):
            for row in self.connection.execute(query):
                yield _document(row)

    def analyses(self, ids: Iterable[str] | None = None) -> Iterator[tuple[Document, DocumentAnalysis]]:
        """Analysed documents with their analyses, in publication order, all or the given ones."""
        base = select(*_DOCUMENT_COLUMNS, t.analyses.c.data.label("analysis")).join(
            t.analyses, t.analyses.c.doc_id == _D.c.id)
        for query in self._queries(base, ids):
            for row in self.connection.execute(query.execution_options(yield_per=200)):
                yield _document(row), codec.loads(DocumentAnalysis, row._mapping["analysis"])

    def mention_spellings(self, ids: Iterable[str]) -> list[tuple[str, str]]:
        """(entity key, the words that named it) for every mention in the analyses of some documents, read from
        the stored records without rebuilding whole analyses (what an entity page's aliases need of them)."""
        found: list[tuple[str, str]] = []
        for chunk in chunks(ids):
            for data in self.connection.execute(select(t.analyses.c.data).where(self._among(t.analyses.c.doc_id, chunk))
                                                .order_by(t.analyses.c.doc_id)).scalars():
                found += spellings(data)
        return found

    def mentions(self, ids: Iterable[str]) -> Iterator[tuple[str, tuple[Mention, ...]]]:
        """The entity mentions of the given analysed documents, in publication order, without rebuilding the rest
        of their analyses (what the aliases of an entity are read from)."""
        base = select(_D.c.id, t.analyses.c.data).join(t.analyses, t.analyses.c.doc_id == _D.c.id)
        for query in self._queries(base, ids):
            for doc_id, data in self.connection.execute(query.execution_options(yield_per=200)):
                yield doc_id, codec.load(tuple[Mention, ...], json.loads(data).get("mentions") or [])

    def _queries(self, base: Select[Any], ids: Iterable[str] | None) -> Iterator[Select[Any]]:
        if ids is None:
            yield base.order_by(*_ORDER)
            return
        for chunk in chunks(ids):
            yield base.where(self._among(_D.c.id, chunk)).order_by(*_ORDER)

    def ingest_times(self, ids: Iterable[str] | None = None) -> dict[str, str]:
        """When each document (all, or the given ones) was stored: ISO 8601 times, what ``added_after`` filters on."""
        query = select(_D.c.id, _D.c.ingested_at)
        if ids is None:
            return {r[0]: r[1] for r in self.connection.execute(query)}
        found: dict[str, str] = {}
        for chunk in chunks(ids):
            found.update({r[0]: r[1] for r in self.connection.execute(query.where(self._among(_D.c.id, chunk)))})
        return found

    def unlinked_ids(self, ids: Iterable[str] | None = None, limit: int | None = None) -> list[str]:
        """Stored documents the cross-document picture has not taken in yet (all, or among ``ids``), in
        publication order."""
        query = select(_D.c.id).join(t.pending_links, t.pending_links.c.doc_id == _D.c.id).order_by(*_ORDER)
        if ids is None:
            return list(self.connection.execute(query.limit(limit) if limit else query).scalars())
        found: list[str] = []
        for chunk in chunks(ids):
            found += self.connection.execute(query.where(self._among(_D.c.id, chunk))).scalars()
        return found

    def stale_ids(self, version: int) -> list[str]:
        """Ids of the documents whose stored analysis an older analyzer made, oldest first."""
        query = (select(_D.c.id).join(t.analyses, t.analyses.c.doc_id == _D.c.id)
                 .where(t.analyses.c.version < version).order_by(*_ORDER))
        return list(self.connection.execute(query).scalars())

    def stale_count(self, version: int) -> int:
        query = select(func.count()).select_from(t.analyses).where(t.analyses.c.version < version)
        return int(self.connection.execute(query).scalar_one())

    def analysis_versions(self) -> dict[int, int]:
        rows = self.connection.execute(select(t.analyses.c.version, func.count()).group_by(t.analyses.c.version))
        return {int(v): int(n) for v, n in rows}

    def document_stats(self) -> dict[str, int]:
        one = lambda query: int(self.connection.execute(query).scalar_one())  # noqa: E731
        return {
            "documents": one(select(func.count()).select_from(_D)),
            "outlets": one(select(func.count(distinct(_D.c.outlet)))),
            "near_duplicates": one(select(func.count()).select_from(_D).where(_D.c.near_duplicate_of.is_not(None))),
            "analysed": one(select(func.count()).select_from(t.analyses)),
            "claims": one(select(func.count()).select_from(t.claims_index)),
        }

    def languages(self) -> dict[str, int]:
        rows = self.connection.execute(select(_D.c.language, func.count()).group_by(_D.c.language))
        return {str(language): int(n) for language, n in rows}


class DocumentWrites(DocumentReads):
    def add_documents(self, items: Sequence[NewDocument], now: str | None = None) -> list[str]:
        """Store new documents with everything derived from them; the ids written (stored ones are skipped).
        ``now`` is their ``ingested_at`` (default: the time of the call)."""
        known = self.known_ids(i.document.id for i in items)
        fresh = [i for i in items if i.document.id not in known]
        if not fresh:
            return []
        now = now or datetime.now(UTC).isoformat()
        insert_rows(self.connection, _D, [_document_row(i, now) for i in fresh])
        self._insert_new(t.minhash_bands, [{"band": b, "doc_id": i.document.id} for i in fresh for b in i.bands],
                         ("band", "doc_id"))
        insert_rows(self.connection, t.analyses, [
            {"doc_id": i.document.id, "version": i.analyzer_version, "data": codec.dumps(i.analysis)} for i in fresh])
        insert_rows(self.connection, t.pending_links, [{"doc_id": i.document.id} for i in fresh])
        self._index_claims([(i.document.id, now, i.analysis) for i in fresh])
        return [i.document.id for i in fresh]

    def replace_analysis(self, doc_id: str, analysis: DocumentAnalysis, version: int) -> None:
        """A document's analysis made again."""
        self.connection.execute(t.analyses.update().where(t.analyses.c.doc_id == doc_id)
                                .values(version=version, data=codec.dumps(analysis)))
        ingested_at = self.connection.execute(select(_D.c.ingested_at).where(_D.c.id == doc_id)).scalar_one()
        self._index_claims([(doc_id, ingested_at, analysis)])

    def _index_claims(self, analysed: Sequence[tuple[str, str, DocumentAnalysis]]) -> None:
        """The documents' claims in the full-text index, with who asserts them and how, and when their document
        was stored (a few statements for a whole batch, not a few per document); ``analysed``: each document's
        id, ``ingested_at`` and analysis."""
        for chunk in chunks(doc_id for doc_id, _, _ in analysed):
            self.connection.execute(t.claims_index.delete().where(self._among(t.claims_index.c.doc_id, chunk)))
            self.connection.execute(t.claim_sources.delete().where(self._among(t.claim_sources.c.doc_id, chunk)))
        claims: list[dict[str, Any]] = []
        sources: list[dict[str, Any]] = []
        for doc_id, ingested_at, analysis in analysed:
            ids = [claim_id(c) for c in analysis.claims]  # a hash each: worked out once per claim
            rows = {i: {"claim_id": i, "doc_id": doc_id, "text": c.evidence.text,
                        "sources": " ".join(e.name for e in c.attributed_to), "modality": c.modality.value,
                        "polarity": c.polarity, "ingested_at": ingested_at}
                    for i, c in zip(reversed(ids), reversed(analysis.claims), strict=True)}
            claims += rows.values()
            pairs = {(e.key, i) for i, c in zip(ids, analysis.claims, strict=True) for e in c.attributed_to}
            sources += [{"key": k, "claim_id": c, "doc_id": doc_id} for k, c in sorted(pairs)]
        # a batch's claims share their time: written in order of id, they lie in the table in the order PostgreSQL's
        # search walks them (``claims_latest``), a few pages for thousands of claims, not a page each
        claims.sort(key=lambda row: row["claim_id"])
        self._insert_new(t.claims_index, claims, ("claim_id",))
        self._insert_new(t.claim_sources, sources, ("key", "claim_id"))


def _document_row(item: NewDocument, now: str) -> dict[str, Any]:
    d = item.document
    return {"id": d.id, "title": d.title, "outlet": d.outlet, "url": d.url,
            "published": d.published.isoformat() if d.published else None, "author": d.author,
            "language": d.language, "source_path": d.source_path, "content_hash": d.content_hash,
            "near_duplicate_of": d.near_duplicate_of, "text": d.text,
            "signature": item.signature.astype(np.uint64).tobytes(), "ingested_at": now, "tlp": str(d.tlp)}
