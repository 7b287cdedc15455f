"""The linkers' state, read a batch's worth at a time: stories with their members, the term statistics and
inverted index of story linking, and the origins and fingerprint index of copy detection.

Every read here is bounded by what one batch touches (its terms, its time window, its fingerprints), never by
the size of the store; that is what keeps the cost of a batch flat as the store grows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, or_, select

from . import tables as t
from .base import Access, chunks
from .rows import OriginRow, StoryMemberRow, StoryRow, TermRow

__all__ = ["LinkerReads", "LinkerWrites"]

_S, _M, _P, _O, _F, _T = t.stories, t.story_members, t.story_postings, t.origins, t.fingerprints, t.member_terms
#: the bucket of the all-time index (``link.stories``)
ALL_TIME = -1
_STORY_COLUMNS = (_S.c.id, _S.c.title, _S.c.first_published, _S.c.last_published, _S.c.doc_count, _S.c.embedding,
                  _S.c.terms, _S.c.names)
_MEMBER_COLUMNS = (_M.c.doc_id, _M.c.story_id, _M.c.score, _M.c.bucket, _M.c.index_terms, _M.c.published,
                   _M.c.terms, _M.c.names, _M.c.embedding, _M.c.title)
_ORIGIN_COLUMNS = (_O.c.doc_id, _O.c.origin_id, _O.c.kind, _O.c.copy_of, _O.c.containment, _O.c.credits,
                   _O.c.press_release, _O.c.fingerprints, _O.c.signature)


def _story(row: Sequence[Any]) -> StoryRow:
    return StoryRow(str(row[0]), str(row[1]), row[2], row[3], int(row[4]), bytes(row[5] or b""), str(row[6]),
                    str(row[7]))


def _member(row: Sequence[Any]) -> StoryMemberRow:
    return StoryMemberRow(str(row[0]), str(row[1]), float(row[2]), row[3], str(row[4]), row[5], str(row[6]),
                          str(row[7]), bytes(row[8] or b""), str(row[9]))


class LinkerReads(Access):
    def story_rows(self, ids: Iterable[str]) -> list[StoryRow]:
        found: list[StoryRow] = []
        for chunk in chunks(ids):
            found += [_story(r) for r in self.connection.execute(select(*_STORY_COLUMNS).where(self._among(_S.c.id, chunk)))]
        return found

    def live_stories(self, since: str | None) -> list[StoryRow]:
        """Stories with a document published at or after ``since`` (all when None), and the undated ones."""
        query = select(*_STORY_COLUMNS)
        if since is not None:
            query = query.where(or_(_S.c.last_published >= since, _S.c.last_published.is_(None)))
        return [_story(r) for r in self.connection.execute(query.order_by(_S.c.id))]

    def members_of_stories(self, story_ids: Iterable[str], since: str | None = None,
                           limit: int | None = None) -> list[StoryMemberRow]:
        """The documents of the given stories published at or after ``since`` (all when None) or undated (the
        most recent ``limit`` of them), in publication order."""
        found: list[StoryMemberRow] = []
        for chunk in chunks(story_ids):
            query = select(*_MEMBER_COLUMNS).where(self._among(_M.c.story_id, chunk))
            if since is not None:
                query = query.where(or_(_M.c.published >= since, _M.c.published.is_(None)))
            found += [_member(r) for r in self.connection.execute(query)]
        found.sort(key=lambda m: (m.published or "", m.doc_id))
        return found[-limit:] if limit else found

    def story_spans_before(self, story_ids: Iterable[str], before: str) -> dict[str, tuple[str, str, int]]:
        """Per story: first and last publication time and count of its documents published before ``before``."""
        found: dict[str, tuple[str, str, int]] = {}
        for chunk in chunks(story_ids):
            query = (select(_M.c.story_id, func.min(_M.c.published), func.max(_M.c.published), func.count())
                     .where(self._among(_M.c.story_id, chunk), _M.c.published < before).group_by(_M.c.story_id))
            found.update({r[0]: (r[1], r[2], int(r[3])) for r in self.connection.execute(query)})
        return found

    def member_count(self) -> int:
        return int(self.connection.execute(select(func.count()).select_from(_M)).scalar_one())

    def term_df(self, terms: Iterable[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in chunks(set(terms)):
            query = select(t.story_terms.c.term, t.story_terms.c.df).where(self._among(t.story_terms.c.term, chunk))
            found.update({str(term): int(df) for term, df in self.connection.execute(query)})
        return found

    def postings(self, terms: Iterable[str], buckets: Iterable[int]) -> dict[tuple[str, int], set[str]]:
        """The stories under each (term, bucket) asked for (absent keys have none); bucket -1 is all time."""
        wanted = sorted(set(buckets))
        dated = [b for b in wanted if b != ALL_TIME]
        found: dict[tuple[str, int], set[str]] = defaultdict(set)
        for chunk in chunks(set(terms)):
            if dated:
                query = (select(_T.c.term, _T.c.bucket, _M.c.story_id).join(_M, _M.c.doc_id == _T.c.doc_id)
                         .where(self._among(_T.c.term, chunk), _T.c.bucket.in_(dated)))
                for term, bucket, story_id in self.connection.execute(query):
                    found[(str(term), int(bucket))].add(str(story_id))
            if ALL_TIME in wanted:
                for term, story_id in self.connection.execute(select(_P.c.term, _P.c.story_id).where(self._among(_P.c.term, chunk))):
                    found[(str(term), ALL_TIME)].add(str(story_id))
        return dict(found)

    def all_time_sizes(self, terms: Iterable[str], story_ids: Iterable[str]
                       ) -> tuple[dict[str, int], set[tuple[str, str]]]:
        """How many stories the all-time index holds under each term, and which of ``story_ids`` it holds
        under which of them: what adding to a posting needs, counted by the engine rather than read."""
        sizes: dict[str, int] = {}
        held: set[tuple[str, str]] = set()
        stories = sorted(set(story_ids))
        for chunk in chunks(sorted(set(terms))):
            query = select(_P.c.term, func.count()).where(self._among(_P.c.term, chunk)).group_by(_P.c.term)
            sizes.update({str(term): int(n) for term, n in self.connection.execute(query)})
            for some in chunks(stories):
                query = select(_P.c.term, _P.c.story_id).where(self._among(_P.c.term, chunk), self._among(_P.c.story_id, some))
                held.update((str(term), str(story)) for term, story in self.connection.execute(query))
        return sizes, held

    def origin_rows(self, ids: Iterable[str]) -> dict[str, OriginRow]:
        found: dict[str, OriginRow] = {}
        for chunk in chunks(set(ids)):
            for r in self.connection.execute(select(*_ORIGIN_COLUMNS).where(self._among(_O.c.doc_id, chunk))):
                found[r[0]] = OriginRow(r[0], r[1], r[2], r[3], float(r[4]), r[5], bool(r[6]), bytes(r[7]),
                                        bytes(r[8]))
        return found

    def fingerprint_postings(self, values: Iterable[int]) -> dict[int, list[str]]:
        """The documents indexed under each fingerprint value asked for, by document id."""
        found: dict[int, list[str]] = defaultdict(list)
        for chunk in chunks(set(values)):
            query = select(_F.c.value, _F.c.doc_id).where(self._among(_F.c.value, chunk)).order_by(_F.c.value, _F.c.doc_id)
            for value, doc_id in self.connection.execute(query):
                found[int(value)].append(str(doc_id))
        return dict(found)


class LinkerWrites(LinkerReads):
    def upsert_stories(self, rows: Sequence[StoryRow], created_at: str) -> None:
        """Write stories as their linker now has them; a new story is stamped with ``created_at``."""
        self._upsert(_S, [{"id": r.story_id, "title": r.title, "first_published": r.first_published,
                           "last_published": r.last_published, "created_at": created_at, "doc_count": r.doc_count,
                           "embedding": r.embedding, "terms": r.terms, "names": r.names} for r in rows],
                     ("id",), ("title", "first_published", "last_published", "doc_count", "embedding", "terms",
                               "names"))

    def remove_stories(self, story_ids: Iterable[str]) -> None:
        for chunk in chunks(story_ids):
            self.connection.execute(_S.delete().where(self._among(_S.c.id, chunk)))

    def upsert_members(self, rows: Sequence[StoryMemberRow]) -> None:
        self._upsert(_M, [{"doc_id": m.doc_id, "story_id": m.story_id, "score": m.score, "bucket": m.bucket,
                           "index_terms": m.index_terms, "published": m.published, "terms": m.terms,
                           "names": m.names, "embedding": m.embedding, "title": m.title} for m in rows], ("doc_id",))

    def upsert_terms(self, rows: Sequence[TermRow]) -> None:
        self._upsert(t.story_terms, [{"term": r.term, "df": r.df} for r in rows], ("term",))

    def add_index_entries(self, entries: Iterable[tuple[str, int, str]], all_time: Iterable[tuple[str, str]]) -> None:
        """(term, bucket, document) entries of new documents, and (term, story) entries of the all-time index."""
        self._insert_new(_T, [{"term": term, "bucket": bucket, "doc_id": doc} for term, bucket, doc in entries],
                         ("term", "bucket", "doc_id"))
        self._insert_new(_P, [{"term": term, "story_id": story} for term, story in all_time], ("term", "story_id"))

    def add_origins(self, rows: Sequence[OriginRow]) -> None:
        self._insert_new(_O, [{"doc_id": r.doc_id, "origin_id": r.origin_id, "kind": r.kind, "copy_of": r.copy_of,
                               "containment": r.containment, "credits": r.credits,
                               "press_release": r.press_release, "fingerprints": r.fingerprints,
                               "signature": r.signature} for r in rows], ("doc_id",))

    def add_fingerprints(self, rows: Iterable[tuple[int, str]]) -> None:
        self._insert_new(_F, [{"value": v, "doc_id": d} for v, d in rows], ("value", "doc_id"))
