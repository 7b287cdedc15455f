"""WARC archives (warcio): every HTML response record is read as a page."""

from __future__ import annotations

import io
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import IngestError
from ..model import Document
from .html import read_html

__all__ = ["read_warc"]


def read_warc(raw: bytes, source: str) -> Iterator[Document | IngestError]:
    found = 0
    try:
        for record in ArchiveIterator(io.BytesIO(raw)):
            if record.rec_type != "response":
                continue
            content_type = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
            if "html" not in content_type.lower():
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            found += 1
            try:
                yield read_html(record.content_stream().read(), f"{source}#{url}", url=url)
            except IngestError as exc:
                yield exc
    except ArchiveLoadFailed as exc:
        yield IngestError(source, f"not a readable WARC archive ({exc})")
        return
    if not found:
        yield IngestError(source, "WARC archive holds no HTML responses")
