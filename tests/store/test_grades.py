"""Analysts' grades, the grade history and ingest times in the store, on both engines; and the upgrade of a
version-5 store, whose claims get their grades from the first writing command after it."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from watchfloor.config import Settings
from watchfloor.errors import StoreError
from watchfloor.model import Document
from watchfloor.pipeline import ingest_documents, link_pending
from watchfloor.store import GradeHistoryRow, SourceGradeRow, open_store
from watchfloor.store.engine import parse_location
from watchfloor.store.migrations import LATEST, REGRADE, table_columns

from .versions import set_version_sql

TEXTS = ("The defence ministry said on Monday that 2,000 soldiers had been moved to the border.",
         "Officials in Vilnius said on Tuesday that 2,000 soldiers had been moved to the border, the defence "
         "ministry said.")


def _docs() -> list[Document]:
    return [Document(f"g{i}", f"Border {i}", text, outlet, content_hash=f"g{i}")
            for i, (text, outlet) in enumerate(zip(TEXTS, ("Herald", "Courier"), strict=True))]


def test_grades_are_kept_by_name_with_who_and_when(location: str) -> None:
    with open_store(location, "create") as store:
        with store.write() as w:
            w.set_source_grades([SourceGradeRow("  Meridian   Wire ", "b", "anna", "2024-11-01T09:00:00+00:00"),
                                 SourceGradeRow("Kyiv Lantern", "D — not usually reliable", "anna",
                                                "2024-11-01T09:00:00+00:00")])
        with store.write() as w:  # graded again, by someone else: the new grade, setter and time replace the old
            w.set_source_grades([SourceGradeRow("meridian wire", "A", "ben", "2024-11-02T10:00:00+00:00")])
        with store.read() as r:
            assert r.source_grades() == [SourceGradeRow("Kyiv Lantern", "D", "anna", "2024-11-01T09:00:00+00:00"),
                                         SourceGradeRow("meridian wire", "A", "ben", "2024-11-02T10:00:00+00:00")]
            assert r.source_grade("MERIDIAN WIRE") == r.source_grades()[1]
            assert r.source_grade("Nobody") is None
            assert r.source_grades_of([" MERIDIAN wire", "Nobody", "kyiv  lantern"]) == r.source_grades()
            assert r.source_grades_of(["Kyiv Lantern"]) == r.source_grades()[:1]
            assert r.source_grades_of(["Nobody"]) == r.source_grades_of([]) == []
            assert len(r.pending_source_grades()) == 2
        with store.write() as w:
            w.mark_source_grades_applied(["Meridian Wire"])
        with store.read() as r:
            assert [g.name for g in r.pending_source_grades()] == ["Kyiv Lantern"]


@pytest.mark.parametrize("grade", ["G", "", "good", "1"])
def test_a_bad_grade_is_refused_and_nothing_is_written(location: str, grade: str) -> None:
    with open_store(location, "create") as store:
        with pytest.raises(StoreError, match="not a grade"), store.write() as w:
            w.set_source_grades([SourceGradeRow("Herald", "B", "anna", "t"), SourceGradeRow("Courier", grade, "anna", "t")])
        with store.read() as r:
            assert r.source_grades() == []


def test_grade_history_and_ingest_times(location: str) -> None:
    rows = [GradeHistoryRow("c1", "k", "F6", None, "2024-11-01T00:00:00+00:00", "new: one source"),
            GradeHistoryRow("c1", "k", "B6", "F6", "2024-11-02T00:00:00+00:00", "Herald graded B by anna")]
    with open_store(location, "create") as store:
        ingest_documents(iter(_docs()), store, Settings(db=location))
        with store.write() as w:
            w.add_grade_history(rows)
        with store.read() as r:
            assert r.grade_history(group_id="c1") == rows
            assert [h for h in r.grade_history(since="2024-11-01T12:00:00") if h.group_id == "c1"] == rows[1:]
            times = r.ingest_times()
            assert set(times) == {"g0", "g1"} and all(t.startswith("20") for t in times.values())
            assert r.ingest_times(["g1"]) == {"g1": times["g1"]}
            assert r.outlets() == ["Courier", "Herald"]
            assert r.docs_of_outlets(["Herald"]) == {"g0"}
            keys = r.claim_keys_of_docs(["g0"])
            assert keys and all(g.reliability == "F" for k in keys for g in r.groups_for_key(k))  # nobody graded


def _downgrade_to_version_5(location: str, engine: str) -> None:
    """What a store written by watchfloor before version 6 looks like: no grades, grade history or indexes."""
    statements = ["DROP TABLE source_grades", "DROP TABLE grade_history", "DROP INDEX claim_groups_updated",
                  "DROP INDEX documents_outlet", "DROP INDEX documents_latest",
                  *(f"ALTER TABLE claim_groups DROP COLUMN {c}" for c in ("reliability", "credibility", "updated_at")),
                  set_version_sql(engine, 5)]
    connection_engine = create_engine(parse_location(location).url)
    with connection_engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    connection_engine.dispose()


def test_a_version_5_store_is_upgraded_and_graded(location: str, engine: str) -> None:
    with open_store(location, "create") as store:
        ingest_documents(iter(_docs()), store, Settings(db=location))
        with store.read() as r:
            fresh_columns = table_columns(r.connection)
            grades = {g.id: g.grade for g in r.groups()}
    assert "F1" in grades.values()  # two independent sources say it
    _downgrade_to_version_5(location, engine)

    with open_store(location, "write") as store:
        assert store.schema_version() == LATEST
        with store.read() as r:
            assert table_columns(r.connection) == fresh_columns
            groups = r.groups()
            assert {g.grade for g in groups} == {"F6"}  # not graded yet: the defaults
            assert all(g.updated_at == g.first_seen for g in groups)
            assert r.meta(REGRADE)
        link_pending(store)  # the first writing command grades every claim
        with store.read() as r:
            assert {g.id: g.grade for g in r.groups()} == grades
            assert not r.meta(REGRADE)
            changed = [h for h in r.grade_history() if h.previous == "F6"]
            assert changed and {h.reason for h in changed} == {"graded when grades came into the store"}
