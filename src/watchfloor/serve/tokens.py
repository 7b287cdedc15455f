"""API tokens: who may read what, and who may write.

A token is ``wf_<id>_<secret>``; the store keeps its id, name, role, TLP ceiling and the SHA-256 digest of the
whole token, never the token itself (it is shown once, when made). Roles are ordered: a ``reader`` reads, an
``analyst`` also writes (uploads documents, notes on claims), an ``admin`` also manages tokens. Every read is
limited to the holder's TLP ceiling (default ``green`` for readers, ``red`` for analysts and admins), so that
one check serves the JSON API, the dashboard and the TAXII collections alike (:func:`caller_for`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from ..errors import ConfigError
from ..model import Tlp
from ..store import Reader, Store, TokenRow

__all__ = ["Caller", "Role", "create_token", "credential_from_header", "digest", "caller_for", "default_ceiling"]


class Role(StrEnum):
    READER = "reader"
    ANALYST = "analyst"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


def default_ceiling(role: Role) -> Tlp:
    return Tlp.GREEN if role is Role.READER else Tlp.RED


@dataclass(frozen=True)
class Caller:
    """Who is asking: a token holder, or an anonymous reader where reading is open."""

    role: Role
    ceiling: Tlp
    token_id: str | None = None
    name: str = "anonymous"

    def may(self, role: Role) -> bool:
        return self.token_id is not None and self.role.rank >= role.rank

    @property
    def levels(self) -> tuple[str, ...] | None:
        """The TLP levels this caller may read, None when that is every level."""
        if self.ceiling is Tlp.RED:
            return None
        return tuple(t.value for t in Tlp if t.rank <= self.ceiling.rank)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise ConfigError(f"unknown role {value!r}; use one of: {', '.join(r.value for r in Role)}") from None


def create_token(store: Store, name: str, role: Role, ceiling: Tlp | None = None) -> tuple[str, TokenRow]:
    """Make and store a token; the token itself (shown once) and its stored row."""
    token_id = secrets.token_hex(4)
    token = f"wf_{token_id}_{secrets.token_urlsafe(24)}"
    level = ceiling or default_ceiling(role)
    now = datetime.now(UTC).isoformat()
    with store.write() as w:
        w.add_token(token_id, name, role.value, level.value, digest(token), now)
    return token, TokenRow(token_id, name, role.value, level.value, now, None)


def credential_from_header(header: str | None) -> str | None:
    """The token of an ``Authorization`` header: ``Bearer TOKEN``, or HTTP Basic with the token as the password
    (what TAXII clients send); None when there is no header."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer":
        return value
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[2]
    return ""


def caller_for(reader: Reader, token: str) -> Caller | None:
    """The caller a token stands for, None when it is unknown or revoked."""
    row = reader.token_by_digest(digest(token)) if token else None
    if row is None:
        return None
    return Caller(Role(row.role), Tlp(row.tlp_ceiling), row.id, row.name)
