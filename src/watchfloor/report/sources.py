"""Who a user means by a source name (``search --by``): the resolved entities, never a substring of a name.

"US" finds the United States under every key it was written as, and not Russia; "Kremlin" finds Russia (a
capital or seat of government speaks for its country); "Kirby" finds John Kirby (whole words of a name). A
country also finds the bodies of its people the reports describe rather than name: "US" finds "US officials"
and "American diplomats", "Russia" finds "Russian military sources".
"""

from __future__ import annotations

import re

from ..link.entities import fold_name
from ..store import Reader

__all__ = ["source_keys"]


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^\w]+", text.casefold()) if w]


def source_keys(reader: Reader, name: str) -> set[str]:
    """Every entity key of the entities ``name`` stands for (empty when it names none)."""
    from ..analyze.gazetteer import gazetteer  # the alias table: loaded only when a source is asked for

    wanted: set[str] = set(reader.entities_named(fold_name(name)))
    table = gazetteer()
    for ref in (hit.entity if (hit := table.lookup(name)) else None, table.capital_country(name)):
        if ref is not None:
            row = reader.entity_keys([ref.key]).get(ref.key)
            wanted.add(row.entity_id if row else ref.key)
    if not wanted:
        words = _words(name)
        for entity in reader.all_entities():
            names = _words(entity.name)
            if words and all(w in names for w in words):
                wanted.add(entity.id)
    wanted |= _bodies_of(reader, wanted)
    keys = {row.key for row in reader.keys_of_entities(wanted)}
    return keys | wanted


def _bodies_of(reader: Reader, wanted: set[str]) -> set[str]:
    """The bodies described by the country they belong to ("US officials", "the Danish army") of the ``wanted``
    countries."""
    from ..analyze.gazetteer import gazetteer

    table = gazetteer()
    described: dict[str, str] = {}  # entity id -> key of the country it belongs to
    for type_ in ("source", "organization"):
        for entity in reader.entities_of_type(type_):
            owner = table.owner(entity.name)
            if owner is not None:
                described[entity.id] = owner.key
    rows = reader.entity_keys(set(described.values()))
    return {body for body, key in described.items() if (rows[key].entity_id if key in rows else key) in wanted}
