"""The store's integrity check: the engine's own check of its files (SQLite's ``integrity_check``), and on both
engines the promises the store's writes keep — every document has its analysis and every row that names a
document names a stored one, no half-written batch, and the kept counts (each entity's documents by day) equal
what the stored mentions add up to. Run after hostile input (``tests/ingest``) and by
``watchfloor stats --check``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, CompoundSelect, Table, except_, func, select

from . import tables as t
from .base import Access
from .entity_days import counted_from_mentions

__all__ = ["IntegrityReads"]

#: (table, column) pairs that name a stored document
_DOCUMENT_REFERENCES: tuple[tuple[Table, Column[str]], ...] = (
    (t.analyses, t.analyses.c.doc_id), (t.claims_index, t.claims_index.c.doc_id),
    (t.claim_sources, t.claim_sources.c.doc_id), (t.minhash_bands, t.minhash_bands.c.doc_id),
    (t.pending_links, t.pending_links.c.doc_id), (t.doc_links, t.doc_links.c.doc_id),
    (t.occurrences, t.occurrences.c.doc_id), (t.entity_docs, t.entity_docs.c.doc_id),
    (t.origins, t.origins.c.doc_id), (t.story_members, t.story_members.c.doc_id),
    (t.watch_pending, t.watch_pending.c.doc_id), (t.watch_items, t.watch_items.c.doc_id),
)


class IntegrityReads(Access):
    def integrity_problems(self) -> list[str]:
        """What is wrong with the store, one line each; empty when it is sound."""
        problems: list[str] = []
        if self.engine == "sqlite":
            found = [str(r[0]) for r in self.connection.exec_driver_sql("PRAGMA integrity_check").all()]
            problems += [f"sqlite: {line}" for line in found if line != "ok"]
        d = t.documents
        without = self.connection.execute(select(func.count()).select_from(d).where(
            d.c.id.not_in(select(t.analyses.c.doc_id)))).scalar_one()
        if without:
            problems.append(f"{without} documents without their analysis")
        for table, column in _DOCUMENT_REFERENCES:
            orphans = self.connection.execute(select(func.count()).select_from(table).where(
                column.is_not(None), column.not_in(select(d.c.id)))).scalar_one()
            if orphans:
                problems.append(f"{orphans} rows of {table.name} name a document that is not stored")
        deliveries = t.alert_deliveries
        lost = self.connection.execute(select(func.count()).select_from(deliveries).where(
            deliveries.c.key.not_in(select(t.alerts.c.key)))).scalar_one()
        if lost:
            problems.append(f"{lost} alert deliveries without their alert")
        problems += self._entity_day_problems()
        return problems

    def _entity_day_problems(self) -> list[str]:
        days = t.entity_days
        kept = select(days.c.entity_id, days.c.day, days.c.tlp, days.c.documents)
        counted = counted_from_mentions()
        problems = []
        checks: tuple[tuple[CompoundSelect[Any], str], ...] = (
            (except_(kept, counted), "kept that the mentions do not add up to"),
            (except_(counted, kept), "that the mentions add up to but are not kept"))
        for wrong, what in checks:
            n = self.connection.execute(select(func.count()).select_from(wrong.subquery())).scalar_one()
            if n:
                problems.append(f"entity-day counts: {n} {what}")
        return problems
