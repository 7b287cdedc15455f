"""Plain text and Markdown: first line is the title, then optional ``key: value`` header lines.

A ``date YYYY-MM-DD`` line or a dateline ("SEOUL, Oct. 18, 2024 (Outlet) —") gives the publication date.
"""

from __future__ import annotations

import re

from ..model import Document
from .document import build_document, parse_published

__all__ = ["read_text"]

_HEADER = re.compile(r"^(outlet|source|date|published|url|author|by)\s*[:=]?\s+(.+)$", re.IGNORECASE)
_DATE_LINE = re.compile(r"^date\s*[:=]?\s*(\d{4}-\d{2}-\d{2}(?:[T ][\d:]+(?:Z|[+-]\d\d:?\d\d)?)?)\s*$", re.I)
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z .'\-]{1,40}?),\s+"
    r"(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4})"
    r"\s*(?:\((?P<credit>[^)]{2,60})\))?\s*[—–-]"
)
_BYLINE = re.compile(r"^(?:by|written by)\s+([A-Z][\w.'-]+(?:\s+(?:and\s+)?[A-Z][\w.'-]+){0,5})$", re.IGNORECASE)
_MD_MARKUP = re.compile(r"^#{1,6}\s+|\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)")


def _strip_markdown(line: str) -> str:
    line = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line)  # [text](link) -> text
    return _MD_MARKUP.sub("", line)


def read_text(raw: str, source: str, markdown: bool = False) -> Document:
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    title = lines.pop(0).strip() if lines else ""
    if markdown:
        title = _strip_markdown(title)
    meta: dict[str, str] = {}
    while lines and (not lines[0].strip() or _HEADER.match(lines[0].strip()) or _DATE_LINE.match(lines[0].strip())):
        line = lines.pop(0).strip()
        if not line:
            if meta:
                break
            continue
        date_line = _DATE_LINE.match(line)
        if date_line:
            meta["date"] = date_line.group(1)
            continue
        header = _HEADER.match(line)
        if header:
            key = header.group(1).lower()
            key = {"source": "outlet", "published": "date", "by": "author"}.get(key, key)
            meta[key] = header.group(2).strip()
    while lines and not lines[0].strip():
        lines.pop(0)
    byline = _BYLINE.match(lines[0].strip()) if lines else None
    if byline:
        meta.setdefault("author", byline.group(1))
        lines.pop(0)
    body_lines = [_strip_markdown(x) for x in lines] if markdown else lines
    body = "\n".join(body_lines)
    published = parse_published(meta.get("date"))
    outlet = meta.get("outlet")
    dateline = _DATELINE.match(body.lstrip())
    if dateline:
        if published is None:
            published = parse_published(dateline.group("date"))
        if not outlet and dateline.group("credit"):
            outlet = dateline.group("credit").strip()
    return build_document(
        source=source,
        title=title,
        text=body,
        outlet=outlet,
        url=meta.get("url"),
        published=published,
        author=meta.get("author"),
    )
