"""The quantity tracker: every estimate of one figure (a subject and a unit) over time, with who gave it.

Competing figures are listed side by side with their sources and dates, never averaged. A casualty figure is
its own figure: "troop killed" is tracked apart from "troop", so a death toll never sits among strengths.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..link.update import load_groups
from ..store import Reader, Store
from .entities import EntityLookup

__all__ = ["Estimate", "counted", "estimates", "estimates_from", "format_figure"]


@dataclass(frozen=True)
class Estimate:
    subject: str
    unit: str  # what is counted, with what befell them for a casualty figure ("troop killed")
    when: date | None
    figure: str
    low: float | None
    high: float | None
    according_to: str
    outlet: str
    doc_id: str
    modality: str
    status: str
    claim_id: str
    sentence: str
    casualty: str | None = None


def format_figure(value: float | None, low: float | None, high: float | None, approximate: bool) -> str:
    if value is None and low is not None and high is not None:
        text = f"{low:,.0f}–{high:,.0f}"
    elif value is not None:
        text = f"{value:,.0f}" if value == int(value) else f"{value:,}"
    else:
        text = "?"
    return ("~" if approximate else "") + text


def _matches(wanted: str | None, *names: str) -> bool:
    return wanted is None or any(wanted.lower() in n.lower() for n in names if n)


def counted(unit: str, casualty: str | None) -> str:
    """The name of what a figure counts: its unit, and for a casualty figure what befell them."""
    return f"{unit} {casualty}" if casualty else unit


def estimates(store: Store, subject: str | None = None, unit: str | None = None) -> list[Estimate]:
    """Every reported figure, optionally for one subject (name or key) and one unit ("troop", or "troop
    killed" for the casualty figure), in date order."""
    with store.read() as reader:
        return estimates_from(reader, subject, unit)


def estimates_from(reader: Reader, subject: str | None = None, unit: str | None = None) -> list[Estimate]:
    """:func:`estimates` inside a read transaction the caller holds."""
    rows: list[Estimate] = []
    lookup = EntityLookup.read(reader)
    for group in load_groups(reader, ("quantity",)):
        for member in group.members:
            claim = member.claim
            if claim is None or claim.quantity is None:
                continue
            q = claim.quantity
            owner = lookup.ref(claim.subject) if claim.subject else None
            if not _matches(subject, owner.name if owner else "", owner.key if owner else ""):
                continue
            counts = counted(q.unit, q.casualty)
            if unit is not None and counts != unit:
                continue
            chain = tuple(lookup.ref(e) if e.type != "outlet" else e for e in member.attributed_to)
            rows.append(Estimate(
                subject=owner.name if owner else "—", unit=counts, when=member.when,
                figure=format_figure(q.value, q.low, q.high, q.approximate), low=q.low, high=q.high,
                according_to=" ← ".join(e.name for e in reversed(chain)) if chain else member.outlet,
                outlet=member.outlet, doc_id=member.doc_id, modality=member.modality.value, status=group.status,
                claim_id=group.id, sentence=member.evidence.text, casualty=q.casualty))
    rows.sort(key=lambda e: (e.subject, e.unit, e.when or date.max, e.low or 0))
    return rows
