"""Entities across documents: the entity keys analysis produced, the entity each belongs to, and the indexes
entity resolution looks new keys up in (folded spellings, name parts, documents, geocoded names)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, CompoundSelect, Select, Text, bindparam, cast, func, null, select, union_all

from . import tables as t
from .base import Access, among, chunks, shaped
from .facets import add_mention_days
from .rows import EntityKeyRow, EntityRow

__all__ = ["EntityReads", "EntityWrites"]

_E, _K = t.entities, t.entity_keys
_KEY_COLUMNS = (_K.c.key, _K.c.entity_id, _K.c.name, _K.c.type, _K.c.folded, _K.c.mentions, _K.c.names)


class EntityReads(Access):
    def _keys_where(self, column: ColumnElement[str], values: Iterable[str]) -> list[EntityKeyRow]:
        found: list[EntityKeyRow] = []
        for chunk in chunks(set(values)):
            query = select(*_KEY_COLUMNS).where(self._among(column, chunk))
            found += [EntityKeyRow(*r) for r in self.connection.execute(query.order_by(_K.c.key))]
        return found

    def entity_keys(self, keys: Iterable[str]) -> dict[str, EntityKeyRow]:
        return {row.key: row for row in self._keys_where(_K.c.key, keys)}

    def keys_by_folded(self, folded: Iterable[str]) -> list[EntityKeyRow]:
        return self._keys_where(_K.c.folded, folded)

    def keys_of_entities(self, entity_ids: Iterable[str]) -> list[EntityKeyRow]:
        return self._keys_where(_K.c.entity_id, entity_ids)

    def keys_by_part(self, parts: Iterable[str]) -> dict[str, list[EntityKeyRow]]:
        """Keys filed under each part: multi-word person keys by their folded first or last word, and keys by
        their blocking keys for the cross-document rules."""
        found: dict[str, list[EntityKeyRow]] = defaultdict(list)
        p = t.entity_parts
        for chunk in chunks(set(parts)):
            query = (select(p.c.part, *_KEY_COLUMNS).join(_K, _K.c.key == p.c.key).where(self._among(p.c.part, chunk))
                     .order_by(p.c.part, _K.c.key))
            for row in self.connection.execute(query):
                found[row[0]].append(EntityKeyRow(*row[1:]))
        return dict(found)

    def entity_rows(self, ids: Iterable[str]) -> dict[str, EntityRow]:
        found: dict[str, EntityRow] = {}
        for chunk in chunks(set(ids)):
            for r in self.connection.execute(_entity_rows(self.engine), {"ids": chunk}):
                found[r[0]] = _entity(r)
        return found

    def entities_of_keys(self, wanted: Iterable[str]) -> tuple[dict[str, str], dict[str, EntityRow]]:
        """For keys and entity ids: each key's entity (keys of none left out), and the rows of those entities and
        of the ids (unknown ones left out), in one read (a claim's page resolves the names its reports give)."""
        of_key: dict[str, str] = {}
        rows: dict[str, EntityRow] = {}
        for chunk in chunks(set(wanted)):
            for key, entity_id, found, name, type_, seq in self.connection.execute(
                    _entities_of_keys(self.engine), {"keys": chunk, "ids": chunk}):
                if key is not None:
                    of_key[key] = entity_id
                if found is not None:
                    rows[found] = _entity((found, name, type_, seq))
        return of_key, rows

    def entity_with_keys(self, entity_id: str) -> tuple[EntityRow, list[str]] | None:
        """An entity's row and its keys (sorted), in one read; None when there is no such entity."""
        rows = self.connection.execute(_entity_with_keys(), {"entity_id": entity_id}).all()
        if not rows:
            return None
        first = rows[0]
        return _entity(first), [str(r[4]) for r in rows if r[4] is not None]

    def all_entities(self) -> list[EntityRow]:
        query = select(*_ENTITY_COLUMNS).order_by(_E.c.id)
        return [_entity(r) for r in self.connection.execute(query)]

    def entities_of_type(self, type_: str) -> list[EntityRow]:
        query = select(*_ENTITY_COLUMNS).where(_E.c.type == type_).order_by(_E.c.id)
        return [_entity(r) for r in self.connection.execute(query)]

    def all_entity_keys(self) -> dict[str, EntityKeyRow]:
        return {r[0]: EntityKeyRow(*r) for r in self.connection.execute(select(*_KEY_COLUMNS))}

    def entities_named(self, folded: str) -> list[str]:
        """Ids of the entities one of whose keys folds to ``folded``."""
        query = select(_K.c.entity_id).distinct().where(_K.c.folded == folded).order_by(_K.c.entity_id)
        return list(self.connection.execute(query).scalars())

    def docs_of_keys(self, keys: Iterable[str]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        d = t.entity_docs
        for chunk in chunks(set(keys)):
            for key, doc_id in self.connection.execute(select(d.c.key, d.c.doc_id).where(self._among(d.c.key, chunk))):
                found[key].add(doc_id)
        return dict(found)

    def geocoded(self, folded: Iterable[str]) -> set[str]:
        found: set[str] = set()
        g = t.geocoded_names
        for chunk in chunks(set(folded)):
            found.update(self.connection.execute(select(g.c.folded).where(self._among(g.c.folded, chunk))).scalars())
        return found

    def next_entity_seq(self) -> int:
        return int(self.connection.execute(select(func.coalesce(func.max(_E.c.seq), 0))).scalar_one()) + 1

    def entity_count(self) -> int:
        return int(self.connection.execute(select(func.count()).select_from(_E)).scalar_one())


class EntityWrites(EntityReads):
    def upsert_entities(self, rows: Sequence[EntityRow]) -> None:
        self._upsert(_E, [{"id": r.id, "name": r.name, "type": r.type, "seq": r.seq} for r in rows], ("id",),
                     ("name", "type"))

    def delete_entities(self, ids: Iterable[str]) -> None:
        for chunk in chunks(set(ids)):
            self.connection.execute(_E.delete().where(self._among(_E.c.id, chunk)))

    def upsert_entity_keys(self, rows: Sequence[EntityKeyRow]) -> None:
        self._upsert(_K, [{"key": r.key, "entity_id": r.entity_id, "name": r.name, "type": r.type,
                           "folded": r.folded, "mentions": r.mentions, "names": r.names} for r in rows], ("key",))

    def add_entity_parts(self, rows: Iterable[tuple[str, str]]) -> None:
        self._insert_new(t.entity_parts, [{"part": p, "key": k} for p, k in sorted(set(rows))], ("part", "key"))

    def add_entity_docs(self, rows: Iterable[tuple[str, str]]) -> None:
        pairs = sorted(set(rows))
        self._insert_new(t.entity_docs, [{"key": k, "doc_id": d} for k, d in pairs], ("key", "doc_id"))
        for chunk in chunks(pairs, 2000):
            add_mention_days(self.connection, chunk)

    def add_geocoded(self, folded: Iterable[str]) -> None:
        self._insert_new(t.geocoded_names, [{"folded": f} for f in sorted(set(folded))], ("folded",))


#: an entity's row as :func:`_entity` takes it
_ENTITY_COLUMNS = (_E.c.id, _E.c.name, _E.c.type, _E.c.seq)


def _entity(r: Sequence[Any]) -> EntityRow:
    return EntityRow(r[0], r[1], r[2], int(r[3]))


@shaped
def _entity_with_keys() -> Select[Any]:
    return (select(*_ENTITY_COLUMNS, _K.c.key)
            .select_from(_E.outerjoin(_K, _K.c.entity_id == _E.c.id))
            .where(_E.c.id == bindparam("entity_id")).order_by(_K.c.key))


@shaped
def _entities_of_keys(engine: str) -> CompoundSelect:
    """Keys ``keys`` with their entity's id and row, then the rows of entities ``ids``."""
    by_key = (select(_K.c.key, _K.c.entity_id, *_ENTITY_COLUMNS)
              .select_from(_K.outerjoin(_E, _E.c.id == _K.c.entity_id)).where(among(engine, _K.c.key, "keys")))
    by_id = (select(cast(null(), Text), cast(null(), Text), *_ENTITY_COLUMNS)
             .where(among(engine, _E.c.id, "ids")))
    return union_all(by_key, by_id)


@shaped
def _entity_rows(engine: str) -> Select[Any]:
    return select(*_ENTITY_COLUMNS).where(among(engine, _E.c.id, "ids"))
