"""The watcher's state and its alerts: per-source state, the items already handled, the documents queued for the
watch rules and how far the rules have read the status history; every alert once, and its delivery to each
output.

The watcher's own records (``watch/records.py``) are kept as JSON beside the columns that are looked up or
listed, so this module needs nothing from ``watch/`` (which comes before the store and imports it). Every
write is one transaction under the writer lock: with two watchers on one store, the alert key (a primary key,
inserts that meet it do nothing) lets only one of them raise an alert, and a delivery row claimed by one
sender is not taken by another until its claim runs out.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_, select

from ..model import Tlp
from . import tables as t
from .base import Access, chunks

__all__ = ["AlertRow", "NewAlert", "WatchItemRow", "WatchReads", "WatchSourceRow", "WatchWrites"]

_S, _I, _P, _A, _DL = t.watch_sources, t.watch_items, t.watch_pending, t.alerts, t.alert_deliveries
#: the meta key of the rules' position in the status history
RULES_POSITION = "watch_rules_position"


@dataclass(frozen=True)
class WatchSourceRow:
    """A watched source: what ``watchfloor stats`` lists, and the watcher's whole record of it (``data``)."""

    key: str
    outlet: str
    last_success: str | None
    last_error: str | None
    last_error_at: str | None
    items_seen: int
    data: str


@dataclass(frozen=True)
class WatchItemRow:
    source_key: str
    item_key: str
    url: str | None
    doc_id: str | None
    error: str | None
    seen_at: str


@dataclass(frozen=True)
class NewAlert:
    """An alert to record: ``doc_ids`` made it fire; ``record_id`` is the claim group it is about."""

    key: str
    rule: str
    record_id: str
    doc_ids: tuple[str, ...]
    created_at: str
    data: str  # the watcher's record of the alert, as JSON


@dataclass(frozen=True)
class AlertRow:
    key: str
    rule: str
    record_id: str
    created_at: str
    tlp: str
    data: str


_SOURCE_COLUMNS = (_S.c.key, _S.c.outlet, _S.c.last_success, _S.c.last_error, _S.c.last_error_at, _S.c.items_seen,
                   _S.c.data)
_ALERT_COLUMNS = (_A.c.key, _A.c.rule, _A.c.record_id, _A.c.created_at, _A.c.tlp, _A.c.data)


class WatchReads(Access):
    def watch_source(self, key: str) -> WatchSourceRow | None:
        row = self.connection.execute(select(*_SOURCE_COLUMNS).where(_S.c.key == key)).first()
        return WatchSourceRow(*row) if row else None

    def watch_sources(self) -> list[WatchSourceRow]:
        """Every source ever polled, in the order first polled."""
        return [WatchSourceRow(*r) for r in self.connection.execute(select(*_SOURCE_COLUMNS).order_by(_S.c.seq))]

    def unseen_items(self, source_key: str, item_keys: Sequence[str]) -> list[str]:
        """The keys among ``item_keys`` not yet handled for this source, in the order given."""
        seen: set[str] = set()
        for chunk in chunks(set(item_keys)):
            seen.update(self.connection.execute(select(_I.c.item_key).where(_I.c.source_key == source_key)
                                                .where(_I.c.item_key.in_(chunk))).scalars())
        return [key for key in item_keys if key not in seen]

    def watch_items(self, source_key: str) -> list[WatchItemRow]:
        query = select(_I.c.source_key, _I.c.item_key, _I.c.url, _I.c.doc_id, _I.c.error, _I.c.seen_at).where(
            _I.c.source_key == source_key).order_by(_I.c.seen_at, _I.c.item_key)
        return [WatchItemRow(*r) for r in self.connection.execute(query)]

    def watch_pending(self) -> list[str]:
        return list(self.connection.execute(select(_P.c.doc_id).order_by(_P.c.seq)).scalars())

    def rules_position(self) -> str | None:
        return self.connection.execute(select(t.meta.c.value).where(t.meta.c.key == RULES_POSITION)).scalar_one_or_none()

    def alert_rows(self, keys: Collection[str] | None = None) -> list[AlertRow]:
        """Every alert, oldest first; or those with these keys (in no set order)."""
        query = select(*_ALERT_COLUMNS).order_by(_A.c.seq)
        if keys is None:
            return [AlertRow(*r) for r in self.connection.execute(query)]
        found: list[AlertRow] = []
        for chunk in chunks(set(keys)):
            found += [AlertRow(*r) for r in self.connection.execute(query.where(_A.c.key.in_(chunk)))]
        return found

    def alerts_page(self, limit: int, offset: int = 0, rule: str | None = None,
                    levels: Sequence[str] | None = None) -> tuple[list[AlertRow], int]:
        """A page of alerts, newest first, with the total; only those at the given TLP levels (None: all)."""
        conditions: list[ColumnElement[bool]] = []
        if rule is not None:
            conditions.append(_A.c.rule == rule)
        if levels is not None:
            conditions.append(_A.c.tlp.in_(list(levels)))
        query = select(*_ALERT_COLUMNS).where(*conditions).order_by(_A.c.seq.desc()).limit(limit).offset(offset)
        total = self.connection.execute(select(func.count()).select_from(_A).where(*conditions)).scalar_one()
        return [AlertRow(*r) for r in self.connection.execute(query)], int(total)

    def undelivered_alerts(self, output: str) -> list[AlertRow]:
        """Alerts not yet delivered to ``output``, oldest first (claimed or not)."""
        query = (select(*_ALERT_COLUMNS).join(_DL, _DL.c.key == _A.c.key).where(_DL.c.output == output)
                 .where(_DL.c.delivered_at.is_(None)).order_by(_DL.c.seq))
        return [AlertRow(*r) for r in self.connection.execute(query)]

    def alert_level(self, record_id: str, doc_ids: Collection[str]) -> str:
        """The most restrictive TLP level among these documents and those the record's reports come from."""
        o, d = t.occurrences, t.documents
        reporting = select(o.c.doc_id).where(o.c.group_id == record_id)
        levels = set(self.connection.execute(select(d.c.tlp).distinct().where(
            or_(d.c.id.in_(reporting), d.c.id.in_(list(doc_ids))))).scalars())
        return max((Tlp(level) for level in levels), key=lambda level: level.rank, default=Tlp.CLEAR).value


class WatchWrites(WatchReads):
    def _next_seq(self, column: ColumnElement[int]) -> int:
        return int(self.connection.execute(select(func.coalesce(func.max(column), 0))).scalar_one()) + 1

    def record_watch_poll(self, source: WatchSourceRow, items: Sequence[WatchItemRow], pending: Sequence[str]) -> None:
        """A source's new state, the items it handled (those already recorded are left), the documents queued."""
        row = {"key": source.key, "outlet": source.outlet, "last_success": source.last_success,
               "last_error": source.last_error, "last_error_at": source.last_error_at, "items_seen": source.items_seen,
               "data": source.data}
        if self.connection.execute(select(_S.c.key).where(_S.c.key == source.key)).first() is None:
            self.connection.execute(_S.insert().values(seq=self._next_seq(_S.c.seq), **row))
        else:
            self.connection.execute(_S.update().where(_S.c.key == source.key).values(**row))
        self._insert_new(_I, [{"source_key": i.source_key, "item_key": i.item_key, "url": i.url, "doc_id": i.doc_id,
                               "error": i.error, "seen_at": i.seen_at} for i in items], ("source_key", "item_key"))
        self.queue_for_rules(pending)

    def queue_for_rules(self, doc_ids: Sequence[str]) -> None:
        queued = set(self.connection.execute(select(_P.c.doc_id).where(_P.c.doc_id.in_(list(set(doc_ids))))).scalars()) \
            if doc_ids else set()
        fresh = [d for d in dict.fromkeys(doc_ids) if d not in queued]
        if fresh:
            start = self._next_seq(_P.c.seq)
            self._insert_new(_P, [{"doc_id": d, "seq": start + n} for n, d in enumerate(fresh)], ("doc_id",))

    def clear_watch_pending(self, doc_ids: Sequence[str], position: str | None) -> None:
        for chunk in chunks(set(doc_ids)):
            self.connection.execute(_P.delete().where(_P.c.doc_id.in_(chunk)))
        if position is not None:
            self._upsert(t.meta, [{"key": RULES_POSITION, "value": position}], ("key",))

    def add_alerts(self, alerts: Sequence[NewAlert], outputs: Sequence[str]) -> list[str]:
        """Record the alerts whose key is new, with a delivery row for each output; the keys recorded, in order.
        The writer lock makes the check and the insert one step: another watcher's copy is refused here."""
        wanted = list({a.key: a for a in alerts}.values())
        known: set[str] = set()
        for chunk in chunks([a.key for a in wanted]):
            known.update(self.connection.execute(select(_A.c.key).where(_A.c.key.in_(chunk))).scalars())
        fresh = [a for a in wanted if a.key not in known]
        if not fresh:
            return []
        start = self._next_seq(_A.c.seq)
        self._insert_new(_A, [{"key": a.key, "seq": start + n, "rule": a.rule, "record_id": a.record_id,
                               "created_at": a.created_at, "tlp": self.alert_level(a.record_id, a.doc_ids),
                               "data": a.data} for n, a in enumerate(fresh)], ("key",))
        self._insert_new(_DL, [{"key": a.key, "output": output, "seq": start + n} for n, a in enumerate(fresh)
                               for output in dict.fromkeys(outputs)], ("key", "output"))
        return [a.key for a in fresh]

    def claim_delivery(self, output: str, claimant: str, now: str, until: str) -> AlertRow | None:
        """The oldest alert still to deliver to ``output`` that no sender holds (or whose claim ran out), now held
        by ``claimant`` until ``until`` (ISO times); None when there is none."""
        free = or_(_DL.c.claimed_by.is_(None), _DL.c.claimed_until < now)
        key = self.connection.execute(select(_DL.c.key).where(and_(_DL.c.output == output, _DL.c.delivered_at.is_(None),
                                                                   free)).order_by(_DL.c.seq).limit(1)).scalar()
        if key is None:
            return None
        self.connection.execute(_DL.update().where(_DL.c.key == key, _DL.c.output == output)
                                .values(claimed_by=claimant, claimed_until=until))
        row = self.connection.execute(select(*_ALERT_COLUMNS).where(_A.c.key == key)).one()
        return AlertRow(*row)

    def release_deliveries(self, output: str, keys: Sequence[str]) -> None:
        """Give up the claims on these deliveries (not delivered: another try may take them at once)."""
        for chunk in chunks(set(keys)):
            self.connection.execute(_DL.update().where(_DL.c.output == output, _DL.c.key.in_(chunk),
                                                       _DL.c.delivered_at.is_(None))
                                    .values(claimed_by=None, claimed_until=None))

    def mark_alerts_delivered(self, output: str, keys: Sequence[str], when: str) -> None:
        for chunk in chunks(set(keys)):
            self.connection.execute(_DL.update().where(_DL.c.output == output, _DL.c.key.in_(chunk))
                                    .values(delivered_at=when, claimed_by=None, claimed_until=None))
