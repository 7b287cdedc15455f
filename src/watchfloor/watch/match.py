"""Matching watch rules against what a batch changed: pure functions from rules and a
:class:`~watchfloor.watch.view.PictureDelta` to alerts. Each alert's key says what makes it unique, so the
outbox can refuse a second delivery of the same match:

- ``new``: once per record and rule — the first batch that reports the record while it matches;
- ``becomes``: once per record, rule and status reached;
- ``report``: once per record, rule and new document reporting it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cache

from ..analyze.gazetteer import gazetteer
from .records import Alert
from .rules import Rule
from .view import EntityView, PictureDelta, RecordView

__all__ = ["alert_key", "match_rule", "match_rules", "record_matches"]


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _names_match(wanted: Sequence[str], entities: Iterable[EntityView | None]) -> bool:
    """An entity named as wanted, or a body of a wanted country ("Denmark" matches "the Danish army" and "Danish
    officials", as event coders code a country's military and officials as that country)."""
    targets = {_fold(w) for w in wanted}
    countries = {key for w in wanted if (key := _country(w)) is not None}
    return any(e is not None and (any(_fold(n) in targets for n in e.names())
                                  or bool(countries) and _owner(e.name) in countries) for e in entities)


@cache
def _country(name: str) -> str | None:
    hit = gazetteer().lookup(name)
    return hit.entity.key if hit is not None and hit.entity.type == "country" else None


@cache
def _owner(name: str) -> str | None:
    owner = gazetteer().owner(name)
    return owner.key if owner is not None else None


@cache
def _word_pattern(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(_fold(word)) + r"(?!\w)")


def _mentions(words: Sequence[str], record: RecordView) -> bool:
    texts = [_fold(record.text), *(_fold(e) for e in record.evidence)]
    return any(_word_pattern(w).search(t) for w in words for t in texts)


def _involved(record: RecordView) -> tuple[EntityView | None, ...]:
    return (record.subject, *record.actors, *record.attributed_to)


def record_matches(rule: Rule, record: RecordView) -> bool:
    """Whether the record meets every condition of the rule (``when`` aside)."""
    if rule.kind != "any" and rule.kind != record.kind:
        return False
    checks = (
        not rule.status or record.status in rule.status,
        not rule.modality or record.modality in rule.modality,
        not rule.polarity or record.polarity in rule.polarity,
        not rule.event_type or (record.event_type or "").upper() in rule.event_type,
        rule.min_sources is None or record.independent_sources >= rule.min_sources,
        not rule.entity or _names_match(rule.entity, _involved(record)) or _mentions(rule.entity, record),
        not rule.subject or _names_match(rule.subject, (record.subject,) if record.kind == "claim" else record.actors),
        not rule.actor or _names_match(rule.actor, (a for a in record.actors if rule.role in (None, a.role))),
        not rule.attributed_to or _names_match(rule.attributed_to, record.attributed_to),
        not rule.keywords or _mentions(rule.keywords, record),
    )
    if not all(checks):
        return False
    if rule.unit or rule.above is not None or rule.below is not None:
        quantity = record.quantity
        if quantity is None:
            return False
        if rule.unit and _fold(quantity.unit) not in {_fold(u) for u in rule.unit}:
            return False
        if rule.above is not None and not (quantity.largest is not None and quantity.largest > rule.above):
            return False
        if rule.below is not None and not (quantity.smallest is not None and quantity.smallest < rule.below):
            return False
    return True


def alert_key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _summary(record: RecordView) -> str:
    sources = ", ".join(record.sources[:4]) + (f" and {len(record.sources) - 4} more" if len(record.sources) > 4 else "")
    status = record.status.replace("_", " ")
    if record.kind == "event":
        actors = ", ".join(f"{a.name} ({a.role})" if a.role else a.name for a in record.actors) or "no named actor"
        head = f"{record.event_type} event: {actors}"
    else:
        head = record.text
    return f"{head} [{status}; {record.independent_sources} independent source(s): {sources}]"


def _alert(rule: Rule, record: RecordView, delta: PictureDelta, key: str, reason: str, doc_ids: Sequence[str],
           now: datetime) -> Alert:
    urls = [delta.documents[d].url for d in doc_ids if d in delta.documents and delta.documents[d].url]
    return Alert(key=key, rule=rule.name, kind=record.kind, record_id=record.id, reason=reason,
                 summary=_summary(record), status=record.status, sources=record.sources,
                 doc_ids=tuple(doc_ids), urls=tuple(u for u in urls if u), created_at=now)


def match_rule(rule: Rule, delta: PictureDelta, now: datetime) -> list[Alert]:
    alerts: list[Alert] = []
    reached = {c.record_id: c for c in delta.changes if c.status in rule.status}
    for record in delta.records:
        if not record_matches(rule, record):
            continue
        new_docs = [d for d in record.doc_ids if d in delta.new_doc_ids]
        if rule.when == "becomes":
            change = reached.get(record.id)
            if change is None and not (new_docs and len(new_docs) == len(record.doc_ids)):
                continue  # neither a status change in this batch nor a record born in it
            was = change.previous if change and change.previous else "new"
            alerts.append(_alert(rule, record, delta, alert_key(rule.name, record.id, "becomes", record.status),
                                 f"became {record.status.replace('_', ' ')} (was {was.replace('_', ' ')})", new_docs, now))
        elif rule.when == "report":
            alerts.extend(_alert(rule, record, delta, alert_key(rule.name, record.id, "report", doc), "new report",
                                 [doc], now) for doc in new_docs)
        elif new_docs:
            reason = "new" if len(new_docs) == len(record.doc_ids) else "new report of a known record"
            alerts.append(_alert(rule, record, delta, alert_key(rule.name, record.id, "new"), reason, new_docs, now))
    return alerts


def match_rules(rules: Iterable[Rule], delta: PictureDelta, now: datetime) -> list[Alert]:
    """Every alert the rules raise on this delta, rule by rule in file order."""
    return [alert for rule in rules for alert in match_rule(rule, delta, now)]
