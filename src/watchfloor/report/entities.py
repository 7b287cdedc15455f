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
    #: the keys and ids this lookup was read for (None: every key of the store)
    read_for: frozenset[str] | None = None

    @classmethod
    def read(cls, reader: Reader) -> EntityLookup:
        keys = reader.all_entity_keys()
        return cls({key: row.entity_id for key, row in keys.items()}, {e.id: e for e in reader.all_entities()})

    @classmethod
    def read_keys(cls, reader: Reader, keys: Iterable[str]) -> EntityLookup:
        """Only what resolving the given keys or ids needs (a page's worth, not every entity of the store)."""
        wanted = set(keys)
        of_key, entities = reader.entities_of_keys(wanted)
        return cls(of_key, entities, frozenset(wanted))

    def names(self, keys: Iterable[str]) -> dict[str, str] | None:
        """Key or id -> the current name of its entity (keys of no entity left out), or None when this lookup was
        not read for all of them."""
        wanted = set(keys)
        if self.read_for is not None and not wanted <= self.read_for:
            return None
        found = {}
        for key in wanted:
            row = self.entities.get(self.entity_of_key.get(key, key))
            if row is not None:
                found[key] = row.name
        return found

    def ref(self, entity: EntityRef) -> EntityRef:
        """The entity under its id and current name and type (a key never resolved stays as it is)."""
        row = self.entities.get(self.entity_of_key.get(entity.key, entity.key))
        return EntityRef(row.id, row.name, row.type) if row else entity
