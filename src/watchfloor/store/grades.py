"""Grades: the analysts' reliability grades of outlets and named sources, the grade history of consolidated
claims and events, and what a new grade touches.

An analyst's grade is kept under :func:`watchfloor.ids.name_key` of the name it was given for (case and spacing
do not matter), with who set it and when; setting it again replaces it. The grade each claim or event carries
is a column of ``claim_groups`` (written with the group by ``picture.py``); every grade it was given is a row of
``grade_history``. What a grade of an outlet or a named source touches is found through indexes (documents by
outlet, documents by entity key, occurrences by document), never by reading every claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, select

from ..errors import StoreError
from ..ids import name_key
from ..model import Reliability
from . import tables as t
from .base import Access, among, chunks, shaped
from .picture import changes
from .rows import GradeHistoryRow, SourceGradeRow

__all__ = ["GradeReads", "GradeWrites"]

_SG = t.source_grades
_GH = t.grade_history
_D = t.documents
#: every grade, by name (what the whole export and regrading read: built once)
_ALL_GRADES = select(_SG.c.name, _SG.c.grade, _SG.c.set_by, _SG.c.set_at).order_by(_SG.c.key)
_HISTORY_COLUMNS = (_GH.c.group_id, _GH.c.key, _GH.c.grade, _GH.c.previous, _GH.c.changed_at, _GH.c.reason)


class GradeReads(Access):
    def source_grades(self) -> list[SourceGradeRow]:
        """Every analyst's grade, by name."""
        return [SourceGradeRow(*r) for r in self.connection.execute(_ALL_GRADES)]

    def source_grades_of(self, names: Iterable[str]) -> list[SourceGradeRow]:
        """The analysts' grades given for these names (case and spacing ignored), by name: what a page of claims
        needs of them, however many the desk has graded."""
        found: list[SourceGradeRow] = []
        for chunk in chunks({name_key(n) for n in names}):
            found += [SourceGradeRow(*r) for r in self.connection.execute(_grades_of(self.engine), {"keys": chunk})]
        return found

    def pending_source_grades(self) -> list[SourceGradeRow]:
        """Grades set since the claims they bear on were last graded again (see ``link/regrade.py``)."""
        query = (select(_SG.c.name, _SG.c.grade, _SG.c.set_by, _SG.c.set_at).where(_SG.c.applied.is_(False))
                 .order_by(_SG.c.key))
        return [SourceGradeRow(*r) for r in self.connection.execute(query)]

    def source_grade(self, name: str) -> SourceGradeRow | None:
        query = select(_SG.c.name, _SG.c.grade, _SG.c.set_by, _SG.c.set_at).where(_SG.c.key == name_key(name))
        row = self.connection.execute(query).first()
        return SourceGradeRow(*row) if row else None

    def grade_history(self, since: str | None = None, group_id: str | None = None) -> list[GradeHistoryRow]:
        """Grades given in time order: all, those after ``since``, or those of one group."""
        return [GradeHistoryRow(*r) for r in self.connection.execute(changes(_GH, _HISTORY_COLUMNS, since, group_id))]

    def outlets(self) -> list[str]:
        """Every outlet that published a stored document, as it was written."""
        return list(self.connection.execute(select(_D.c.outlet).distinct().order_by(_D.c.outlet)).scalars())

    def docs_of_outlets(self, outlets: Iterable[str]) -> set[str]:
        """Ids of the documents these outlets published (names exactly as stored: see :meth:`outlets`)."""
        found: set[str] = set()
        for chunk in chunks(set(outlets)):
            found.update(self.connection.execute(select(_D.c.id).where(self._among(_D.c.outlet, chunk))).scalars())
        return found

    def claim_keys_of_docs(self, doc_ids: Iterable[str]) -> set[str]:
        """The consolidation keys these documents' claims and events are under."""
        o = t.occurrences
        found: set[str] = set()
        for chunk in chunks(set(doc_ids)):
            query = select(o.c.key).distinct().where(self._among(o.c.doc_id, chunk))
            found.update(self.connection.execute(query).scalars())
        return found


class GradeWrites(GradeReads):
    def set_source_grades(self, rows: Sequence[SourceGradeRow]) -> None:
        """Record analysts' grades (an outlet or a named source, A-F); a name graded before gets the new grade,
        setter and time. The claims they bear on are graded again by the next link run, or at once by
        ``link.regrade.apply_source_grades`` in the same transaction."""
        by_key: dict[str, dict[str, object]] = {}
        for r in rows:  # the last of one name wins, as when they are set one after another
            if not name_key(r.name):
                raise StoreError("a reliability grade needs the name of an outlet or a named source")
            try:
                grade = Reliability.parse(r.grade).value
            except ValueError as exc:
                raise StoreError(f"{r.name!r}: {exc}") from None
            by_key[name_key(r.name)] = {"key": name_key(r.name), "name": " ".join(r.name.split()), "grade": grade,
                                        "set_by": r.set_by, "set_at": r.set_at, "applied": False}
        self._upsert(_SG, list(by_key.values()), ("key",))

    def mark_source_grades_applied(self, names: Iterable[str]) -> None:
        for chunk in chunks({name_key(n) for n in names}):
            self.connection.execute(_SG.update().where(self._among(_SG.c.key, chunk)).values(applied=True))

    def set_group_grades(self, rows: Iterable[tuple[str, str, int, str]]) -> None:
        """(group id, reliability, credibility, updated_at): a grade given again without re-consolidating."""
        g = t.claim_groups
        for group_id, reliability, credibility, updated_at in rows:
            self.connection.execute(g.update().where(g.c.id == group_id).values(
                reliability=reliability, credibility=credibility, updated_at=updated_at))

    def add_grade_history(self, rows: Sequence[GradeHistoryRow]) -> None:
        if rows:
            self.connection.execute(_GH.insert(), [
                {"group_id": r.group_id, "key": r.key, "grade": r.grade, "previous": r.previous,
                 "changed_at": r.changed_at, "reason": r.reason} for r in rows])


@shaped
def _grades_of(engine: str) -> Select[Any]:
    return _ALL_GRADES.where(among(engine, _SG.c.key, "keys"))
