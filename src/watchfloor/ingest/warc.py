"""WARC archives (warcio), read as a stream: every HTML response record is read as a page.

News-crawl archives run to gigabytes, so nothing holds the archive: warcio reads one record at a time
from the open file (gzip members are decompressed as they come), a page is read up to ``max_record_bytes``
and a larger one is skipped with an error, and the records that are not HTML pass by in small blocks.
Memory stays at about one page whatever the archive's size. A damaged record ends the archive with an
error naming how far it got; the pages before it are kept.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from ..errors import IngestError
from ..model import Document
from .html import read_html

__all__ = ["read_warc", "read_warc_stream"]

DEFAULT_MAX_RECORD_BYTES = 20 * 1024 * 1024
#: what warcio raises on bytes that are not (or no longer) a WARC archive
_DAMAGED = (ArchiveLoadFailed, StatusAndHeadersParserException, zlib.error, EOFError, OSError, ValueError,
            UnicodeError, IndexError, KeyError, TypeError, AttributeError)


def _header(record: object, name: str) -> str:
    headers = getattr(record, "http_headers", None)
    value = headers.get_header(name) if headers is not None else None
    return value or ""


def _next_page(records: Iterator[Any], max_record_bytes: int) -> tuple[str, bytes | None] | None:
    """The next HTML response (its URL and body, or None for a body over the limit); None at the end."""
    for record in records:
        if getattr(record, "rec_type", None) != "response" or "html" not in _header(record, "Content-Type").lower():
            continue
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        body = record.content_stream().read(max_record_bytes + 1)
        return url, body if len(body) <= max_record_bytes else None
    return None


def _reason(exc: BaseException) -> str:
    """The exception in a few printable characters (warcio quotes the damaged bytes)."""
    text = "".join(c if c.isprintable() else "?" for c in str(exc))
    return f"{type(exc).__name__}: {text[:100]}{'...' if len(text) > 100 else ''}"


def _plain(stream: BinaryIO) -> io.IOBase:
    """The archive decompressed as it is read, in small steps: a gzip member of zeros (or a gzip bomb)
    never expands in memory by more than one read's worth."""
    head = stream.read(2)
    rest = _Prefixed(head, stream)
    if head == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=rest, mode="rb")  # reads every member of a multi-member .warc.gz
    return rest


class _Prefixed(io.RawIOBase):
    """A stream with the bytes already read from it put back in front."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self.head = head
        self.stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def read_warc_stream(stream: BinaryIO, source: str,
                     max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES) -> Iterator[Document | IngestError]:
    """Pages from an open WARC or WARC.gz stream, one record in memory at a time."""
    found = 0
    try:
        records = iter(ArchiveIterator(_plain(stream)))
    except _DAMAGED as exc:
        yield IngestError(source, f"not a readable WARC archive ({_reason(exc)})")
        return
    while True:
        try:
            page = _next_page(records, max_record_bytes)
        except _DAMAGED as exc:
            kept = f"; the {found} pages before it were read" if found else ""
            yield IngestError(source, f"not a readable WARC archive ({_reason(exc)}){kept}")
            return
        if page is None:
            break
        found += 1
        url, body = page
        where = f"{source}#{url or f'page {found}'}"
        if body is None:
            yield IngestError(where, f"page is over the {max_record_bytes / 1024 / 1024:g} MB limit; skipped "
                                     "(raise max_file_mb to accept it)")
            continue
        try:
            yield read_html(body, where, url=url or None)
        except IngestError as exc:
            yield exc
    if not found:
        yield IngestError(source, "WARC archive holds no HTML responses")


def read_warc(raw: bytes, source: str, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
              ) -> Iterator[Document | IngestError]:
    """Pages from a WARC archive already in memory (gzipped or not)."""
    yield from read_warc_stream(io.BytesIO(raw), source, max_record_bytes)
