"""Ingest: bytes from files, feeds, records and archives → :class:`~watchfloor.model.Document`.

Every reader yields documents or :class:`~watchfloor.errors.IngestError` values: one bad item is
reported (file and reason) and the rest of the batch goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import IngestError
from ..model import Document
from .feeds import looks_like_feed, read_feed
from .gdelt import is_gdelt_file
from .html import read_html
from .records import read_json, read_jsonl
from .text import read_text

__all__ = ["IngestOptions", "discover", "read_file", "read_paths"]

_SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
_SKIP_NAMES = {"readme.md", "readme.txt", "license", "license.txt"}


@dataclass(frozen=True)
class IngestOptions:
    max_file_mb: float = 20.0


def _kind(path: Path, head: bytes) -> str:
    kind = _SUFFIXES.get(path.suffix.lower())
    if kind == "feed" or (kind is None and looks_like_feed(head)):
        return "feed"
    if kind:
        return kind
    start = head.lstrip()[:200].lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return "html"
    if start.startswith(b"{"):
        return "jsonl"
    return "text"


def _decode(raw: bytes, source: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            source, f"invalid UTF-8 at byte {exc.start} (convert the file to UTF-8, e.g. with iconv)"
        ) from exc


def _read_warc_file(path: Path, options: IngestOptions) -> Iterator[Document | IngestError]:
    """A WARC archive is streamed from disk whatever its size; the size limit holds for each page."""
    from .warc import read_warc_stream  # warcio is imported for archives only (start-up of every other ingest)

    try:
        handle = path.open("rb")
    except OSError as exc:
        yield IngestError(str(path), f"cannot read file ({exc.strerror or exc})")
        return
    with handle:
        yield from read_warc_stream(handle, str(path), int(options.max_file_mb * 1024 * 1024))


def read_file(path: Path, options: IngestOptions = IngestOptions()) -> Iterator[Document | IngestError]:
    """Read one file of any supported format."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size == 0:
            yield IngestError(source, "empty file")
            return
        if path.name.lower().endswith((".warc.gz", ".warc")):
            yield from _read_warc_file(path, options)
            return
        if is_gdelt_file(path):
            yield IngestError(source, "a GDELT file holds coded rows that link to articles, not articles; read it "
                                      "with `watchfloor gdelt FILE` (--fetch ingests the articles it links to)")
            return
        if size > options.max_file_mb * 1024 * 1024:
            yield IngestError(
                source,
                f"file is {size / 1024 / 1024:.1f} MB, over the {options.max_file_mb:g} MB limit "
                "(raise max_file_mb to accept it)",
            )
            return
        raw = path.read_bytes()
    except OSError as exc:
        yield IngestError(source, f"cannot read file ({exc.strerror or exc})")
        return
    kind = _kind(path, raw[:4096])
    if b"\x00" in raw[:8192]:
        yield IngestError(source, "binary file (contains NUL bytes); not a text, HTML, JSON or feed file")
        return
    try:
        if kind == "feed":
            yield from read_feed(raw, source)
        elif kind == "html":
            yield read_html(raw, source)
        else:
            text = _decode(raw, source)
            if not text.strip():
                yield IngestError(source, "file holds only whitespace")
            elif kind == "jsonl":
                yield from read_jsonl(text, source)
            elif kind == "json":
                yield from read_json(text, source)
            else:
                yield read_text(text, source, markdown=kind == "markdown")
    except IngestError as exc:
        yield exc


def discover(paths: Iterable[Path]) -> Iterator[Path | IngestError]:
    """Files under the given paths, recursively, in a stable order; hidden files and READMEs skipped."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if child.is_file() and not any(p.startswith(".") for p in relative.parts):
                    if child.name.lower() not in _SKIP_NAMES:
                        yield child
        elif path.is_file():
            yield path
        else:
            yield IngestError(str(path), "no such file or directory")


def read_paths(
    paths: Iterable[Path], options: IngestOptions = IngestOptions()
) -> Iterator[Document | IngestError]:
    for item in discover(paths):
        if isinstance(item, IngestError):
            yield item
        else:
            yield from read_file(item, options)
