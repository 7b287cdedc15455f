"""JSON Lines and JSON: records with ``id``, ``url``, ``title``, ``outlet``, ``published`` and ``text`` or ``html``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..errors import IngestError
from ..model import Document
from .document import build_document
from .html import fragment_to_text, read_html

__all__ = ["read_json", "read_jsonl"]


def _field(record: dict[str, Any], *names: str) -> str | None:
    """The first of the named fields that holds a non-empty string; a number or a list there is ignored,
    as a record's metadata must not stop its text from being read."""
    for name in names:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _record_to_document(record: Any, source: str) -> Document:
    if not isinstance(record, dict):
        raise IngestError(source, f"expected a JSON object, found {type(record).__name__}")
    text = _field(record, "text")
    html = _field(record, "html")
    if text is None and html is None:
        raise IngestError(source, "record has neither a non-empty 'text' nor 'html' field")
    title, url, author = _field(record, "title"), _field(record, "url"), _field(record, "author")
    outlet = _field(record, "outlet", "source", "section_outlet")
    published = _field(record, "published", "date")
    if text is None:
        assert html is not None
        if "<html" in html[:2000].lower() or "<body" in html[:4000].lower():
            page = read_html(html, source, url=url)
            return build_document(
                source=source,
                title=title or page.title,
                text=page.text,
                outlet=outlet or page.outlet,
                url=url or page.url,
                published=published or page.published,
                author=author or page.author,
            )
        text = fragment_to_text(html)
    return build_document(source=source, title=title, text=text, outlet=outlet, url=url, published=published,
                          author=author)


def read_jsonl(raw: str, source: str) -> Iterator[Document | IngestError]:
    """One document per line; a malformed line is reported and the others go on."""
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(where, f"malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        try:
            yield _record_to_document(record, where)
        except IngestError as exc:
            yield exc


def read_json(raw: str, source: str) -> Iterator[Document | IngestError]:
    """A JSON array of records, an object with a ``documents`` array, or one record."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        yield IngestError(source, f"malformed JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})")
        return
    records = data.get("documents", [data]) if isinstance(data, dict) else data
    if not isinstance(records, list):
        yield IngestError(source, "expected a list of records or an object with a 'documents' list")
        return
    for index, record in enumerate(records):
        try:
            yield _record_to_document(record, f"{source}[{index}]")
        except IngestError as exc:
            yield exc
