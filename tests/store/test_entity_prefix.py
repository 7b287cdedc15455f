"""Entities found by the first letters of a spelling (``ViewReads.find_entities``): the most mentioned first, with
their names, in one read; and PostgreSQL's prefix index of the spellings (schema version 13), which a store of
version 12 gets when it is opened for writing."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import inspect, select, text

from watchfloor.config import Settings
from watchfloor.pipeline import store_analysed
from watchfloor.store import Store, open_store
from watchfloor.store import tables as t
from watchfloor.store.migrations import LATEST

from .versions import set_version_sql


def test_found_entities_are_the_most_mentioned_of_those_spelled_so(sample_store: Store) -> None:
    with sample_store.read() as r:
        keys = r.connection.execute(select(t.entity_keys.c.entity_id, t.entity_keys.c.folded,
                                           t.entity_keys.c.mentions)).all()
        names = {i: (n, k) for i, n, k in r.connection.execute(select(t.entities.c.id, t.entities.c.name,
                                                                      t.entities.c.type))}
        prefixes = Counter(folded[:2] for _, folded, _ in keys if len(folded) > 2)
        checked = 0
        for prefix, _ in prefixes.most_common(5):
            sums: Counter[str] = Counter()
            for entity_id, folded, mentions in keys:
                if folded.startswith(prefix):
                    sums[entity_id] += mentions
            expected = sorted(sums.items(), key=lambda item: (-item[1], item[0]))[:3]
            found = r.find_entities(prefix, 3)
            assert [(f.id, f.mentions) for f in found] == [(i, n) for i, n in expected if i in names]
            assert all((f.name, f.type) == names[f.id] for f in found)
            checked += len(found)
        assert checked >= 10
        assert r.find_entities("%", 5) == [] and r.find_entities("zzzq", 5) == []  # LIKE's wildcard is a letter


def test_a_version_12_store_gets_the_prefix_index(sample_analyses: list, location: str) -> None:
    with open_store(location, "create") as store:
        store_analysed(iter(sample_analyses[:4]), store, Settings(db=location))
        with store.write() as w:
            w.connection.execute(text("DROP INDEX IF EXISTS entity_keys_prefix"))
            w.connection.execute(text(set_version_sql(w.engine, 12)))
            engine = w.engine
    with open_store(location, "write") as store:
        assert store.schema_version() == LATEST
        with store.read() as r:
            indexes = {i["name"] for i in inspect(r.connection).get_indexes("entity_keys")}
            if engine == "sqlite":  # its index of the spellings is walked as a range already
                assert "entity_keys_prefix" not in indexes
                return
            assert "entity_keys_prefix" in indexes
            r.connection.execute(text("SET LOCAL enable_seqscan = off"))  # a table this small is read whole else
            plan = "\n".join(r.connection.execute(text(
                "EXPLAIN SELECT entity_id FROM entity_keys WHERE folded LIKE 'ab%' ESCAPE '\\'")).scalars())
    assert "entity_keys_prefix" in plan, plan
