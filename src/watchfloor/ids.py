"""Stable ids for derived records: the same input always gives the same id (re-runs are idempotent)."""

from __future__ import annotations

import hashlib

from .model import Claim, Event

__all__ = ["claim_id", "event_id", "name_key", "short_hash"]


def short_hash(*parts: object, length: int = 12) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:length]


def claim_id(claim: Claim) -> str:
    return "c" + short_hash(claim.evidence.doc_id, claim.kind, claim.trigger.start, claim.trigger.end)


def event_id(event: Event) -> str:
    return "v" + short_hash(event.evidence.doc_id, event.type, event.trigger.start, event.trigger.end)


def name_key(name: str | None) -> str:
    """How an outlet or a named source is looked up when analysts grade it: case and spacing do not matter."""
    return " ".join((name or "").split()).casefold()
