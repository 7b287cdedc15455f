"""The desk's own records: API tokens (their digests, never the secrets), analysts' notes on claims, and when
each token holder last looked at what changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, literal, null, select, union_all

from . import tables as t
from .base import Access, among, shaped
from .rows import HistoryRow

__all__ = ["DeskReads", "DeskWrites", "NoteRow", "TokenRow"]

_T, _N, _V = t.api_tokens, t.claim_notes, t.visits


@dataclass(frozen=True)
class TokenRow:
    id: str
    name: str
    role: str
    tlp_ceiling: str
    created_at: str
    revoked_at: str | None


@dataclass(frozen=True)
class NoteRow:
    id: str
    group_id: str
    token_id: str
    author: str
    text: str
    created_at: str


_TOKEN_COLUMNS = (_T.c.id, _T.c.name, _T.c.role, _T.c.tlp_ceiling, _T.c.created_at, _T.c.revoked_at)
_NOTE_COLUMNS = (_N.c.id, _N.c.group_id, _N.c.token_id, _N.c.author, _N.c.text, _N.c.created_at)


class DeskReads(Access):
    def token_by_digest(self, digest: str) -> TokenRow | None:
        """The live token whose secret has this digest (revoked tokens are not found)."""
        row = self.connection.execute(select(*_TOKEN_COLUMNS).where(_T.c.digest == digest)
                                      .where(_T.c.revoked_at.is_(None))).first()
        return TokenRow(*row) if row else None

    def tokens(self) -> list[TokenRow]:
        return [TokenRow(*r) for r in self.connection.execute(select(*_TOKEN_COLUMNS).order_by(_T.c.created_at))]

    def notes(self, group_ids: Sequence[str]) -> list[NoteRow]:
        """Notes on the given claims, oldest first."""
        if not group_ids:
            return []
        return [NoteRow(*r) for r in self.connection.execute(_notes(self.engine), {"ids": list(group_ids)})]

    def history_and_notes(self, group_id: str) -> tuple[list[HistoryRow], list[NoteRow]]:
        """A claim's status changes (``PictureReads.history``) and the notes on it, each in time order, in one read
        (its page shows both)."""
        history: list[HistoryRow] = []
        notes: list[NoteRow] = []
        for r in self.connection.execute(_history_and_notes(), {"group_id": group_id}):
            if r.part:
                notes.append(NoteRow(r[1], r[2], r[3], r[4], r[7], r[6]))
            else:
                history.append(HistoryRow(*r[1:]))
        return history, notes

    def last_visit(self, visitor: str) -> str | None:
        value = self.connection.execute(select(_V.c.seen_at).where(_V.c.visitor == visitor)).scalar_one_or_none()
        return None if value is None else str(value)


class DeskWrites(DeskReads):
    def add_token(self, token_id: str, name: str, role: str, tlp_ceiling: str, digest: str, created_at: str) -> None:
        self.connection.execute(_T.insert().values(id=token_id, name=name, role=role, tlp_ceiling=tlp_ceiling,
                                                   digest=digest, created_at=created_at))

    def revoke_token(self, token_id: str, when: str) -> bool:
        result = self.connection.execute(_T.update().where(_T.c.id == token_id).where(_T.c.revoked_at.is_(None))
                                         .values(revoked_at=when))
        return bool(result.rowcount)

    def add_note(self, note: NoteRow) -> None:
        self.connection.execute(_N.insert().values(id=note.id, group_id=note.group_id, token_id=note.token_id,
                                                   author=note.author, text=note.text, created_at=note.created_at))

    def set_last_visit(self, visitor: str, seen_at: str) -> None:
        self._upsert(_V, [{"visitor": visitor, "seen_at": seen_at}], ("visitor",))


@shaped
def _notes(engine: str) -> Select[Any]:
    return select(*_NOTE_COLUMNS).where(among(engine, _N.c.group_id, "ids")).order_by(_N.c.created_at, _N.c.id)


@shaped
def _history_and_notes() -> Select[Any]:
    """Claim ``group_id``'s status changes (``part`` 0: the columns of ``status_history``) in time order, then the
    notes on it (``part`` 1: id, claim, token, author, -, created_at, text) in time order."""
    h = t.status_history
    changes = select(literal(0).label("part"), h.c.group_id, h.c.key, h.c.status, h.c.previous, h.c.independent_sources,
                     h.c.changed_at, h.c.reason).where(h.c.group_id == bindparam("group_id"))
    notes = select(literal(1), _N.c.id, _N.c.group_id, _N.c.token_id, _N.c.author, null(), _N.c.created_at,
                   _N.c.text).where(_N.c.group_id == bindparam("group_id"))
    both = union_all(changes, notes).subquery()
    part, first, when = both.c[0], both.c[1], both.c[6]
    return select(both).order_by(part, when, first)
