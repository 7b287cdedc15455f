"""Entities as the reports show them: any key or id under the entity it now belongs to, with its current name.

The link stage resolves entities as documents arrive and keeps the result; the reports only read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import EntityRef
from ..store import EntityRow, Reader

__all__ = ["EntityLookup"]


@dataclass
class EntityLookup:
    entity_of_key: dict[str, str] = field(default_factory=dict)
    entities: dict[str, EntityRow] = field(default_factory=dict)

    @classmethod
    def read(cls, reader: Reader) -> EntityLookup:
        keys = reader.all_entity_keys()
        return cls({key: row.entity_id for key, row in keys.items()}, {e.id: e for e in reader.all_entities()})

    @classmethod
    def read_keys(cls, reader: Reader, keys: Iterable[str]) -> EntityLookup:
        """Only what resolving the given keys or ids needs (a page's worth, not every entity of the store)."""
        wanted = set(keys)
        rows = reader.entity_keys(wanted)
        entities = reader.entity_rows({r.entity_id for r in rows.values()} | wanted)
        return cls({key: row.entity_id for key, row in rows.items()}, entities)

    def ref(self, entity: EntityRef) -> EntityRef:
        """The entity under its id and current name and type (a key never resolved stays as it is)."""
        row = self.entities.get(self.entity_of_key.get(entity.key, entity.key))
        return EntityRef(row.id, row.name, row.type) if row else entity
