"""Build a :class:`Document` from what a reader found: clean text, parsed date, content-hash id."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from ..errors import IngestError
from ..model import Document
from .boilerplate import normalise_whitespace, strip_boilerplate
from .language import detect_language

__all__ = ["build_document", "parse_published"]

UNKNOWN_OUTLET = "unknown outlet"


def parse_published(value: object) -> datetime | None:
    """Read a publication time from ISO 8601, RFC 822, a date or a time tuple; None when unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, tuple):  # time.struct_time from feedparser, always UTC
        year, month, day, hour, minute, second = value[:6]
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        import dateparser  # here, not at the top: ISO 8601 dates never need it, and its import costs ~30 ms

        parsed = dateparser.parse(
            text, languages=["en"], settings={"RETURN_AS_TIMEZONE_AWARE": True, "TIMEZONE": "UTC"}
        )
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def content_id(outlet: str, title: str, text: str) -> str:
    """Stable id from what the document says and who published it: re-ingesting is a no-op."""
    digest = hashlib.sha256(f"{outlet}\x1f{title}\x1f{text}".encode()).hexdigest()
    return f"d{digest[:15]}"


def build_document(
    *,
    source: str,
    title: str | None,
    text: str,
    outlet: str | None,
    url: str | None = None,
    published: object = None,
    author: str | None = None,
) -> Document:
    """Clean the body and assemble the record; raises :class:`IngestError` when nothing is left."""
    body = strip_boilerplate(text)
    if not body.strip():
        raise IngestError(source, "no article text after removing boilerplate")
    title = normalise_whitespace(title or "").replace("\n", " ") or body.split("\n", 1)[0][:120]
    outlet = (outlet or "").strip() or UNKNOWN_OUTLET
    digest = hashlib.sha256(body.encode()).hexdigest()
    return Document(
        id=content_id(outlet, title, body),
        title=title,
        text=body,
        outlet=outlet,
        url=url or None,
        published=parse_published(published),
        author=(author or "").strip() or None,
        language=detect_language(body),
        source_path=source,
        content_hash=digest,
    )
