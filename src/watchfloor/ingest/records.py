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


def _record_to_document(record: Any, source: str) -> Document:
    if not isinstance(record, dict):
        raise IngestError(source, f"expected a JSON object, found {type(record).__name__}")
    text = record.get("text")
    html = record.get("html")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html.strip()):
        raise IngestError(source, "record has neither a non-empty 'text' nor 'html' field")
    if not (isinstance(text, str) and text.strip()):
        assert isinstance(html, str)
        if "<html" in html[:2000].lower() or "<body" in html[:4000].lower():
            page = read_html(html, source, url=record.get("url"))
            return build_document(
                source=source,
                title=record.get("title") or page.title,
                text=page.text,
                outlet=record.get("outlet") or record.get("source") or page.outlet,
                url=record.get("url") or page.url,
                published=record.get("published") or page.published,
                author=record.get("author") or page.author,
            )
        text = fragment_to_text(html)
    return build_document(
        source=source,
        title=record.get("title"),
        text=text,
        outlet=record.get("outlet") or record.get("source") or record.get("section_outlet"),
        url=record.get("url"),
        published=record.get("published") or record.get("date"),
        author=record.get("author"),
    )


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
