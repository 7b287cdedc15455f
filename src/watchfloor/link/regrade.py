"""Grades kept in the picture: every consolidated claim and event carries its Admiralty grade, given again
whenever what it rests on changes.

- Claim consolidation (:mod:`.update`) grades each group of a key it re-scores, with the analysts' grades as the
  store holds them at that moment (:func:`grade_inputs`).
- An analyst's grade of an outlet or a named source (``watchfloor grade``, an imported TOML table, the
  ``reliability`` of a watched source) is written by ``Writer.set_source_grades`` and marked pending; the
  claims it bears on are graded again by :func:`apply_source_grades`, at once by the command that set it or by
  the next link run, whoever comes first. It finds them through indexes: the documents of the outlet, the
  documents naming the entity, the consolidation keys of those documents.
- After the upgrade that brought grades into the store, the first writing command grades every claim.

A grade that changes leaves a row in the grade history with the reason; the group's ``updated_at`` moves, so
that exports give the claim a new version (STIX ``modified``) and partners' servers take it.

One report's grade of its independent source is its named source's grade when the innermost source of its
attribution chain is who it counts as (under that entity's current name), else its outlet's grade
(:meth:`ReliabilityTable.report`); the exports carry that per report, so a TLP filter can grade a claim again
from the reports a recipient sees (``report/grades.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..ids import name_key
from ..model import Reliability
from ..store import GradeHistoryRow, GroupRow, Reader, SourceGradeRow, Writer
from ..store.migrations import REGRADE
from .consolidation import ClaimGroup, Occurrence
from .entities import fold_name
from .grading import ClaimPicture, Grading, ReliabilityTable, grade, graded_sources

__all__ = ["GradeInput", "GradeTarget", "GradesSet", "apply_source_grades", "grade_inputs", "named_source",
           "regrade", "reliability_table", "report_grade", "report_key", "resolve_grade_target", "set_grades",
           "source_names"]


def reliability_table(reader: Reader, names: Iterable[str] | None = None) -> ReliabilityTable:
    """The analysts' grades as the store holds them now (of these names only, when given)."""
    rows = reader.source_grades() if names is None else reader.source_grades_of(names)
    return ReliabilityTable.from_grades([(r.name, r.grade) for r in rows])


def named_source(member: Occurrence) -> bool:
    """Whether a report counts as the source it names (rather than as its outlet's own voice)."""
    return bool(member.attributed_to) and member.attributed_to[-1].key == member.asserting


_SEP = "\x1f"


def report_key(member: Occurrence) -> str:
    """What grading needs of one report, as a claim's stored sums count it: its independent source, whether
    that is a source it names, and its outlet."""
    return _SEP.join((member.asserting, "1" if named_source(member) else "", member.outlet))


@dataclass(frozen=True)
class GradeInput:
    """A claim as grading sees it: its status, its reports (as :func:`report_key` counts them) and what
    contradicts it. Made from a claim being consolidated or from a stored claim's sums alike."""

    id: str
    status: str
    reports: tuple[tuple[str, bool, str], ...]  # (independent source, named, outlet)
    contradicted_by: tuple[str, ...]

    @classmethod
    def of_group(cls, group: ClaimGroup) -> GradeInput:
        keys = [report_key(m) for m in group.members] + list(group.elsewhere.reports if group.elsewhere else ())
        return cls(group.id, group.status, tuple(_split(k) for k in dict.fromkeys(keys)), tuple(group.contradicted_by))

    @classmethod
    def of_row(cls, row: GroupRow) -> GradeInput:
        summary = json.loads(row.data)
        return cls(row.id, row.status, tuple(_split(k) for k in summary.get("reports", {})),
                   tuple(summary.get("contradicted_by", ())))


def _split(key: str) -> tuple[str, bool, str]:
    asserting, named, outlet = key.split(_SEP, 2)
    return asserting, bool(named), outlet


def source_names(reader: Reader, asserting: Iterable[str]) -> dict[str, str]:
    """Independent source key -> the current name of its entity (for reports that count as a named source)."""
    wanted = set(asserting)
    rows = reader.entity_keys(wanted)
    entities = reader.entity_rows({r.entity_id for r in rows.values()} | wanted)
    names = {}
    for key in wanted:
        row = rows.get(key)
        entity = entities.get(row.entity_id if row else key)
        if entity is not None:
            names[key] = entity.name
    return names


def grade_inputs(reader: Reader, claims: Sequence[GradeInput], table: ReliabilityTable) -> dict[str, Grading]:
    """Claim id -> its grade, each weighed against those among ``claims`` that contradict it."""
    names = source_names(reader, {a for c in claims for a, named, _ in c.reports if named})
    supporting = {c.id: graded_sources((a, table.report(names.get(a) if named else None, outlet))
                                       for a, named, outlet in c.reports) for c in claims}
    return {c.id: grade(ClaimPicture(c.status, supporting[c.id],
                                     tuple(s for x in c.contradicted_by if x in supporting for s in supporting[x])))
            for c in claims}


def report_grade(member: Occurrence, table: ReliabilityTable, names: dict[str, str]) -> Reliability | None:
    """The grade one report gives its independent source (None: nobody graded its source or its outlet)."""
    return table.report(names.get(member.asserting) if named_source(member) else None, member.outlet)


def regrade(w: Writer, keys: Iterable[str], now: str, reason: str, table: ReliabilityTable | None = None) -> int:
    """Grade the stored groups of these keys again without consolidating them again; returns how many grades
    changed (each with a history row and a new ``updated_at``)."""
    table = table if table is not None else reliability_table(w)
    changed: list[tuple[str, str, int, str]] = []
    history: list[GradeHistoryRow] = []
    for key in sorted(set(keys)):
        rows = w.groups_for_key(key)
        inputs = {row.id: GradeInput.of_row(row) for row in rows}
        missing = {c for i in inputs.values() for c in i.contradicted_by} - set(inputs)
        inputs.update({row.id: GradeInput.of_row(row) for row in w.groups_by_id(sorted(missing))})
        grades = grade_inputs(w, list(inputs.values()), table)
        for row in rows:
            new = grades[row.id]
            if new.code != row.grade:
                changed.append((row.id, new.reliability.value, int(new.credibility), now))
                history.append(GradeHistoryRow(row.id, key, new.code, row.grade, now, reason))
    w.set_group_grades(changed)
    w.add_grade_history(history)
    return len(history)


@dataclass(frozen=True)
class GradeTarget:
    """What a name given to ``watchfloor grade`` stands for: a stored outlet, a named source (under the entity's
    current name), or nothing stored yet (the grade is kept under the name as given and applies when it appears)."""

    name: str
    kind: str  # outlet | source | unknown
    given: str


def resolve_grade_target(reader: Reader, given: str) -> GradeTarget:
    """An outlet when one is written so (case and spacing aside); else the one entity a key of which is spelled
    so (accents and punctuation aside), under its current name; else the name as given."""
    wanted = name_key(given)
    outlets = [o for o in reader.outlets() if name_key(o) == wanted]
    if outlets:
        return GradeTarget(outlets[0], "outlet", given)
    entity_ids = reader.entities_named(fold_name(given))
    entities = reader.entity_rows(entity_ids)
    if len(entities) == 1:
        return GradeTarget(next(iter(entities.values())).name, "source", given)
    return GradeTarget(" ".join(given.split()), "unknown", given)


def _touched(w: Writer, names: Sequence[str]) -> set[str]:
    """Consolidation keys of the documents an outlet of these names published or naming an entity so named."""
    wanted = {name_key(n) for n in names}
    docs = w.docs_of_outlets(o for o in w.outlets() if name_key(o) in wanted)
    entity_ids = {e for n in names for e in w.entities_named(fold_name(n))}
    keys = [row.key for row in w.keys_of_entities(entity_ids)]
    docs |= {d for found in w.docs_of_keys(keys).values() for d in found}
    return w.claim_keys_of_docs(docs)


def _describe(rows: Sequence[SourceGradeRow]) -> str:
    shown = "; ".join(f"{r.name} graded {r.grade} by {r.set_by}" for r in rows[:5])
    return shown + (f"; and {len(rows) - 5} more" if len(rows) > 5 else "")


def apply_source_grades(w: Writer, now: str) -> int:
    """Grade again the claims that the analysts' grades set since the last time bear on (every claim after the
    upgrade that brought grades into the store); returns how many grades changed."""
    pending = w.pending_source_grades()
    everything = bool(w.meta(REGRADE))
    if not pending and not everything:
        return 0
    table = reliability_table(w)
    if everything:
        changed = regrade(w, w.occurrence_keys(), now, "graded when grades came into the store", table)
        w.set_meta(REGRADE, "")
    else:
        changed = regrade(w, _touched(w, [r.name for r in pending]), now, _describe(pending), table)
    w.mark_source_grades_applied(r.name for r in pending)
    return changed


@dataclass(frozen=True)
class GradesSet:
    """What ``set_grades`` did: each name as it was recorded, and how many claim grades changed."""

    targets: tuple[GradeTarget, ...]
    changed: int


def set_grades(w: Writer, grades: Sequence[tuple[str, str]], by: str, now: str) -> GradesSet:
    """Record analysts' grades ((name, grade) pairs; a name is resolved to the stored outlet or entity it stands
    for) and grade again at once the claims they bear on."""
    targets = tuple(resolve_grade_target(w, name) for name, _ in grades)
    w.set_source_grades([SourceGradeRow(t.name, g, by, now) for t, (_, g) in zip(targets, grades, strict=True)])
    return GradesSet(targets, apply_source_grades(w, now))
