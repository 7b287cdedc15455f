"""Each entity's documents by day (``store/entity_days.py``) equal what its mentions add up to
(``entity_mentions_by_day``) after an ingest, after a later ingest that merges stored entities, and after the
migration that builds them for a store of version 9; on both engines, for every reader's levels."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, text

from watchfloor.config import Settings
from watchfloor.model import Document, DocumentAnalysis, EntityRef, Mention, Span, Tlp
from watchfloor.pipeline import store_analysed
from watchfloor.store import Reader, Store, open_store
from watchfloor.store import tables as t
from watchfloor.store.migrations import LATEST

from .versions import set_version_sql

LEVELS = (None, ("clear",), ("clear", "green"), ("clear", "green", "amber", "amber+strict", "red"), ())


def _mismatches(r: Reader) -> tuple[int, list[tuple[str, object]]]:
    """(entities counted, those whose kept counts differ from their mentions' sums for some levels)."""
    entities = set(r.connection.execute(select(t.entity_keys.c.entity_id)).scalars())
    entities |= set(r.connection.execute(select(t.entity_days.c.entity_id)).scalars())  # none left behind
    wrong = [(e, levels) for e in sorted(entities) for levels in LEVELS
             if r.entity_days(e, levels) != r.entity_mentions_by_day(e, levels)]
    counted = sum(1 for e in entities if r.entity_days(e))
    return counted, wrong


def test_the_counts_equal_the_mentions_after_ingest(sample_store: Store) -> None:
    with sample_store.read() as r:
        counted, wrong = _mismatches(r)
        assert wrong == []
        assert counted > 20
        days = r.connection.execute(select(t.entity_days.c.documents)).scalars().all()
        assert max(days) > 1 and min(days) > 0  # no empty cell is kept


def _analysed(doc_id: str, when: str | None, names: list[str], tlp: str = "clear"
              ) -> tuple[Document, DocumentAnalysis]:
    """A report naming people (their keys as a parser that leaves a surname alone would give them)."""
    text_ = " ".join(f"{name} spoke in Geneva." for name in names)
    mentions, at = [], 0
    for name in names:
        at = text_.index(name, at)
        key = "person:" + name.lower().replace(" ", "-")
        mentions.append(Mention(Span(doc_id, at, at + len(name), name), "PERSON", EntityRef(key, name, "person")))
        at += len(name)
    published = datetime.fromisoformat(when).replace(tzinfo=UTC) if when else None
    document = Document(doc_id, f"Report {doc_id}", text_, "Alpha Daily", published=published, tlp=Tlp(tlp))
    return document, DocumentAnalysis(doc_id, mentions=tuple(mentions))


# two people share a surname: reports naming only the surname stay apart from both, until a report names the
# surname beside one of the full names and the two stored entities become one
FIRST = [
    _analysed("s1", "2024-10-01T09:00", ["Okonkwo"]),
    _analysed("s2", "2024-10-01T12:00", ["Adaeze Okonkwo"]),
    _analysed("s3", "2024-10-02T08:00", ["Chidi Okonkwo"], "green"),
    _analysed("s4", "2024-10-02T10:00", ["Okonkwo"], "amber"),
    _analysed("u1", None, ["Okonkwo"]),
]
SECOND = [
    _analysed("s5", "2024-10-02T09:00", ["Okonkwo", "Adaeze Okonkwo"], "green"),
    _analysed("s6", "2024-10-03T11:00", ["Chidi Okonkwo"]),
    _analysed("u2", None, ["Chidi Okonkwo"]),
]


def _entity_of_keys(r: Reader) -> dict[str, str]:
    return dict(r.connection.execute(select(t.entity_keys.c.key, t.entity_keys.c.entity_id)).all())


def test_the_counts_follow_a_later_ingest_that_merges_entities(location: str) -> None:
    settings = Settings(db=location)
    with open_store(location, "create") as store:
        store_analysed(iter(FIRST), store, settings)
        with store.read() as r:
            assert _mismatches(r)[1] == []
            before = _entity_of_keys(r)
        assert before["person:okonkwo"] != before["person:adaeze-okonkwo"]  # namesakes: the surname stays apart
        report = store_analysed(iter(SECOND), store, settings)
        assert report.links.entities_merged == 1, report
        with store.read() as r:
            after = _entity_of_keys(r)
            merged = after["person:okonkwo"]
            assert merged == after["person:adaeze-okonkwo"]
            counted, wrong = _mismatches(r)
            assert wrong == [] and counted >= 3
            retired = ({before["person:okonkwo"], before["person:adaeze-okonkwo"]} - {merged}).pop()
            assert r.entity_days(retired) == []  # a retired entity keeps no count
            # s1 and s2 on the first day; s4 and s5 (which names it twice) on the second; u1 is undated
            assert r.entity_days(merged) == [("2024-10-01", 2), ("2024-10-02", 2)]
            assert r.entity_days(merged, ("clear", "green")) == [("2024-10-01", 2), ("2024-10-02", 1)]


def test_a_version_9_store_gets_its_counts(sample_store: Store, sample_analyses: list, location: str) -> None:
    """The sample picture stored anew, taken back to version 9 (no counts), reopened for writing: the upgrade
    counts every entity's documents as the link step would have."""
    with open_store(location, "create") as store:
        store_analysed(iter(sample_analyses), store, Settings(db=location))
        with store.write() as w:
            w.connection.execute(text("DROP TABLE entity_days"))
            w.connection.execute(text(set_version_sql(w.engine, 9)))
    with open_store(location, "write") as store:
        assert store.schema_version() == LATEST
        with store.read() as r, sample_store.read() as original:
            counted, wrong = _mismatches(r)
            assert wrong == [] and counted > 20
            cells = select(t.entity_days).order_by(*t.entity_days.primary_key.columns)
            assert r.connection.execute(cells).all() == original.connection.execute(cells).all()


def test_the_integrity_check_finds_a_count_that_drifted(sample_analyses: list, location: str) -> None:
    with open_store(location, "create") as store:
        store_analysed(iter(sample_analyses), store, Settings(db=location))
        with store.read() as r:
            assert r.integrity_problems() == []
        days = t.entity_days
        with store.write() as w:
            first = w.connection.execute(select(days).order_by(*days.primary_key.columns).limit(2)).all()
            w.connection.execute(days.update().where(days.c.entity_id == first[0].entity_id,
                                                     days.c.day == first[0].day, days.c.tlp == first[0].tlp)
                                 .values(documents=first[0].documents + 1))
            w.connection.execute(days.delete().where(days.c.entity_id == first[1].entity_id,
                                                     days.c.day == first[1].day, days.c.tlp == first[1].tlp))
        with store.read() as r:
            assert r.integrity_problems() == [
                "entity-day counts: 1 kept that the mentions do not add up to",
                "entity-day counts: 2 that the mentions add up to but are not kept"]
