"""What the API and the pages show, read from one snapshot and limited to what the caller may see.

The routes stay thin: each calls one function here with a :class:`~watchfloor.store.Reader` and the
:class:`~.tokens.Caller`. Claims and events come out as the export gives them (``report.export_json``), and
with a TLP ceiling below ``red`` they are cut down exactly as ``report.tlp.within`` cuts an export: reports
above the ceiling are dropped and what the claim says, its sources and its status are derived again from
the rest. Lists read the stored summaries (``store/views.py``) and fall back to that full path only for the
claims on the page that rest partly on documents the caller may not see.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import codec
from ..ids import name_key
from ..link.consolidation import ClaimGroup, Occurrence
from ..link.update import load_groups_with_rows
from ..report.entities import EntityLookup
from ..report.export_json import group_records, named_keys
from ..report.tlp import restrict
from ..report.tracker import format_figure
from ..store import ClaimFilter, GroupRow, GroupSummary, Reader
from .tokens import Caller

__all__ = ["AGAINST_PAGE", "EVIDENCE_PAGE", "Page", "claim_detail", "claim_page", "figure_text", "records",
           "summaries"]

#: reports of a claim shown on one page of it, and of each claim that contradicts it (the largest claims have
#: hundreds: read and decoded whole, they made the page cost a third of a second)
EVIDENCE_PAGE = 50
AGAINST_PAGE = 5


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int

    def as_dict(self) -> dict[str, Any]:
        return {"items": self.items, "total": self.total, "limit": self.limit, "offset": self.offset}


def figure_text(figure: str | None) -> str | None:
    if not figure:
        return None
    q = json.loads(figure)
    return format_figure(q.get("value"), q.get("low"), q.get("high"), bool(q.get("approximate")))


def _load(reader: Reader, ids: Sequence[str]) -> tuple[list[ClaimGroup], dict[str, GroupRow]]:
    return load_groups_with_rows(reader, ids=list(dict.fromkeys(ids)))


def records(reader: Reader, caller: Caller, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Claims and events in the export's form, cut down to the caller's ceiling (those not visible at all are
    left out), in the order of ``ids``."""
    groups, rows = _load(reader, ids)
    if not groups:
        return []
    if caller.levels is None:
        return group_records(reader, groups, EntityLookup.read_keys(reader, named_keys(groups)), rows=rows)
    wanted = {g.id for g in groups}
    context, more = _load(reader, sorted({c for g in groups for c in g.contradicted_by} - wanted))
    both = [*groups, *context]
    out = group_records(reader, both, EntityLookup.read_keys(reader, named_keys(both)), rows={**rows, **more})
    doc_ids = {e["doc_id"] for item in out for e in item["evidence"]}
    times = reader.ingest_times(doc_ids)
    documents = {d: {"tlp": level, "ingested_at": times.get(d, "")} for d, level in reader.document_levels(doc_ids).items()}
    seen = set(caller.levels)
    contradicting = {c for item in out for c in item["contradicted_by"]}
    visible = {g for g, found in reader.group_levels(contradicting).items() if found & seen}
    graded = {name_key(g.name): g.set_at for g in reader.source_grades()}
    kept = restrict(out[: len(groups)], documents, caller.ceiling, visible, graded, out[len(groups):])
    by_id = {item["id"]: item for item in kept}
    return [by_id[g.id] for g in groups if g.id in by_id]


def _from_record(summary: GroupSummary, record: dict[str, Any]) -> dict[str, Any]:
    quantity = record.get("quantity") or None
    return {**_base(summary), "status": record["status"], "text": (record.get("evidence") or [{}])[0].get("text", "")
            if summary.kind == "event" else record.get("text", summary.text),
            "sources": record["sources"], "independent_sources": record["independent_sources"],
            "modality": record["modality"], "polarity": record["polarity"],
            "figure": format_figure(quantity.get("value"), quantity.get("low"), quantity.get("high"),
                                    bool(quantity.get("approximate"))) if quantity else None}


def _base(s: GroupSummary) -> dict[str, Any]:
    return {"id": s.id, "kind": s.kind, "type": s.event_type, "status": s.status, "text": s.text, "day": s.day,
            "last_day": s.last_day, "figure": figure_text(s.figure), "unit": s.unit,
            "place": {"name": s.place, "lat": s.lat, "lon": s.lon} if s.place else None, "reports": s.members}


def summaries(reader: Reader, caller: Caller, rows: Sequence[GroupSummary]) -> list[dict[str, Any]]:
    """One list entry per claim or event: the stored summary (its outlets and independent sources are those of
    all its reports, which the caller sees), or for a claim that rests partly on documents above the caller's
    ceiling, the summary of what the caller may see of it."""
    partial: set[str] = set()
    if caller.levels is not None:
        allowed = set(caller.levels)
        partial = {g for g, found in reader.group_levels([r.id for r in rows]).items() if found - allowed}
    cut = {r["id"]: r for r in records(reader, caller, [r.id for r in rows if r.id in partial])}
    out = []
    for row in rows:
        if row.id in partial:
            if row.id in cut:
                out.append(_from_record(row, cut[row.id]))
            continue
        out.append({**_base(row), "sources": list(row.outlets), "independent_sources": row.independent_sources,
                    "modality": row.modality, "polarity": row.polarity})
    return out


def claim_page(reader: Reader, caller: Caller, f: ClaimFilter, limit: int, offset: int) -> Page:
    rows, total = reader.group_page(f, limit, offset)
    return Page(summaries(reader, caller, rows), total, limit, offset)


def _against(reader: Reader, caller: Caller, rows: list[GroupSummary], limit: int,
             first: dict[str, tuple[dict[str, Any], int]]) -> list[dict[str, Any]]:
    """The claims that contradict one: each as the claims list shows it, with the first ``limit`` of its reports
    (``evidence``) and how many there are (``evidence_total``). ``first``: records built from a page of reports
    (with how many the claim has), for a reader who sees everything; the others come from the cut-down records
    (below ``red`` what a report shows depends on the rest)."""
    items = summaries(reader, caller, rows)
    evidence: dict[str, tuple[list[dict[str, Any]], int]] = {}
    for group_id, (record, total) in first.items():
        if len(record["evidence"]) >= min(limit, total):  # repeated sentences beyond the page: read them all
            evidence[group_id] = record["evidence"][:limit], total
    full = records(reader, caller, [r.id for r in rows if r.id not in evidence])
    evidence.update({r["id"]: (r["evidence"][:limit], len(r["evidence"])) for r in full})
    return [{**item, "evidence": evidence[item["id"]][0], "evidence_total": evidence[item["id"]][1]}
            for item in items if item["id"] in evidence]


def _with_first_reports(reader: Reader, group_id: str, limit: int) -> tuple[
        dict[str, Any], str, dict[str, GroupSummary], dict[str, tuple[dict[str, Any], int]]] | None:
    """For a reader who sees everything: the claim's record and kind, the summaries of the claims contradicting
    it, and those claims' records from their first ``limit`` reports — built together, so that the names and
    grades they share are read once."""
    loaded, rows = _load(reader, [group_id])
    if not loaded:
        return None
    main = loaded[0]
    found = reader.group_summaries(main.contradicted_by) if main.contradicted_by else {}
    pages = reader.report_pages([i for i in main.contradicted_by if i in found], limit)
    heads = [_page_group(found[i], pages[i][0]) for i in dict.fromkeys(main.contradicted_by) if i in pages]
    both = [main, *heads]
    built = group_records(reader, both, EntityLookup.read_keys(reader, named_keys(both)), rows=rows)
    return built[0], main.kind, found, {r["id"]: (r, pages[r["id"]][1]) for r in built[1:]}


def _page_group(row: GroupSummary, data: list[str]) -> ClaimGroup:
    """A claim with only some of its reports loaded (``report_pages`` gives them in the export's order)."""
    members = [codec.loads(Occurrence, d) for d in data]
    return ClaimGroup(row.id, row.key, row.kind, "", members, row.status)


def claim_detail(reader: Reader, caller: Caller, group_id: str, limit: int = EVIDENCE_PAGE, offset: int = 0
                 ) -> dict[str, Any] | None:
    """A claim or event with a page of its reports (each with its document's date; ``evidence_total`` says how
    many there are), the claims that contradict it with the first reports of each, its status history and the
    notes on it; None when it does not exist or the caller may not see it. The claim's own fields (sources,
    attribution, independent sources) are derived from all of its reports, whatever the page."""
    first: dict[str, tuple[dict[str, Any], int]] = {}
    if caller.levels is None:
        together = _with_first_reports(reader, group_id, AGAINST_PAGE)
        if together is None:
            return None
        record, kind, found, first = together
    else:
        visible = records(reader, caller, [group_id])
        if not visible:
            return None
        record = visible[0]
        found = reader.group_summaries([group_id, *record["contradicted_by"]])
        kind = found[group_id].kind if group_id in found else ""
    total = len(record["evidence"])
    record["evidence"] = record["evidence"][offset: offset + limit]
    rows = [found[i] for i in dict.fromkeys(record["contradicted_by"]) if i in found]
    against = _against(reader, caller, rows, AGAINST_PAGE, first)
    reports = [*record["evidence"], *(e for item in against for e in item["evidence"])]
    docs = reader.document_heads({e["doc_id"] for e in reports})
    for report in reports:
        head = docs.get(report["doc_id"])
        report["published"] = head.published if head else None
        report["title"] = head.title if head else ""
    changes, noted = reader.history_and_notes(group_id)
    history = [{"status": h.status, "previous": h.previous, "independent_sources": h.independent_sources,
                "changed_at": h.changed_at, "reason": h.reason} for h in changes]
    notes = [{"id": n.id, "author": n.author, "text": n.text, "created_at": n.created_at} for n in noted]
    return {"claim": record, "kind": kind, "evidence_total": total, "evidence_offset": offset,
            "evidence_limit": limit, "contradicted_by": against, "history": history, "notes": notes}
