"""A large WARC archive, built on the fly, is read as a stream: memory stays at about one record."""

from __future__ import annotations

import io
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from watchfloor.errors import IngestError
from watchfloor.ingest import IngestOptions, read_file
from watchfloor.model import Document

TEXT = ("The harbour authority said on Friday that the northern pier would stay closed for repairs until March, "
        "and that ferries would use the southern terminal in the meantime. Traders asked for a faster timetable.")


class _Zeros(io.RawIOBase):
    """A payload of ``size`` bytes produced as it is read, so that building the archive holds none of it."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self.left)
        buffer[:n] = b"\0" * n
        self.left -= n
        return n


def _page(n: int) -> bytes:
    return (f"<html><head><title>Pier report {n}</title></head><body><article><p>{TEXT} Report {n}.</p>"
            f"<p>{TEXT}</p></article></body></html>").encode()


def _write(writer: WARCWriter, url: str, content_type: str, payload: io.RawIOBase | io.BytesIO, length: int) -> None:
    headers = StatusAndHeaders("200 OK", [("Content-Type", content_type), ("Content-Length", str(length))],
                               protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=payload, length=length,
                                                  http_headers=headers))


def _archive(path: Path, binary_records: int, record_mb: int) -> int:
    """HTML pages around many large binary responses and one oversized page; returns the bytes it holds."""
    total = 0
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for n in range(3):
            _write(writer, f"https://arch.example/p{n}", "text/html; charset=utf-8", io.BytesIO(_page(n)), len(_page(n)))
        for n in range(binary_records):
            size = record_mb * 1024 * 1024
            _write(writer, f"https://arch.example/video{n}.mp4", "video/mp4", _Zeros(size), size)
            total += size
        big = 6 * 1024 * 1024  # an HTML record larger than the per-page limit below
        _write(writer, "https://arch.example/huge.html", "text/html", _Zeros(big), big)
        total += big
        for n in range(3, 5):
            _write(writer, f"https://arch.example/p{n}", "text/html", io.BytesIO(_page(n)), len(_page(n)))
    return total


def _traced(items: Iterator[Document | IngestError]) -> tuple[list[Document | IngestError], int]:
    tracemalloc.start()
    try:
        found = list(items)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return found, peak


def test_large_warc_streams_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    started = time.perf_counter()
    held = _archive(path, binary_records=24, record_mb=8)
    assert held > 190 * 1024 * 1024 and path.stat().st_size < held / 50  # 198 MB held, far less on disk
    options = IngestOptions(max_file_mb=4)  # per page; the archive itself is far larger than any limit
    found, peak = _traced(read_file(path, options))
    documents = [x for x in found if isinstance(x, Document)]
    errors = [x for x in found if isinstance(x, IngestError)]
    assert [d.url for d in documents] == [f"https://arch.example/p{n}" for n in range(5)]
    assert len(errors) == 1 and "huge.html" in errors[0].source and "over the 4 MB limit" in errors[0].reason
    assert peak < 12 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB while reading {held / 1e6:.0f} MB"
    assert time.perf_counter() - started < 30
    small = tmp_path / "small.warc.gz"
    _archive(small, binary_records=2, record_mb=8)
    _, small_peak = _traced(read_file(small, options))
    assert peak < small_peak * 1.1  # eight times the archive, the same memory


def test_damaged_archive_keeps_pages_before_the_damage(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc.gz"
    _archive(path, binary_records=1, record_mb=1)
    raw = path.read_bytes()
    whole = [x for x in read_file(path) if isinstance(x, Document)]
    cut = tmp_path / "cut-short.warc.gz"
    cut.write_bytes(raw[: len(raw) - 200] + b"garbage that is not gzip" * 3)
    found = list(read_file(cut))
    assert all(isinstance(x, Document | IngestError) for x in found)
    documents = [x for x in found if isinstance(x, Document)]
    assert 3 <= len(documents) < len(whole) == 5
    assert any(isinstance(x, IngestError) and "not a readable WARC archive" in x.reason for x in found)
