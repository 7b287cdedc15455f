"""Who a user means by a source name (``search --by``): the resolved entities, never a substring of a name.

"US" finds the United States under every key it was written as, and not Russia; "Kremlin" finds Russia (a
capital or seat of government speaks for its country); "Kirby" finds John Kirby (whole words of a name).
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
    keys = {row.key for row in reader.keys_of_entities(wanted)}
    return keys | wanted
