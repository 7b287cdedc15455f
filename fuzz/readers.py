"""Coverage-guided fuzzing of every reader with atheris: nothing but a Document or an IngestError may come out.

    python fuzz/readers.py TARGET -runs=N [-max_len=BYTES] [corpus dir]

TARGET is one of: text, markdown, html, jsonl, json, feed, warc, gdelt, page (a fetched feed or page as
the watcher reads it), file (the format dispatch of `watchfloor ingest`). `make fuzz` runs each one for a
bounded number of inputs. Any other exception is a crash: atheris prints the input that caused it.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["watchfloor"]):
    from watchfloor.errors import IngestError
    from watchfloor.ingest import IngestOptions, read_file
    from watchfloor.ingest.feeds import read_feed
    from watchfloor.ingest.gdelt import GdeltArticle, GdeltEvent, read_gdelt_lines
    from watchfloor.ingest.html import read_html
    from watchfloor.ingest.records import read_json, read_jsonl
    from watchfloor.ingest.text import read_text
    from watchfloor.ingest.warc import read_warc
    from watchfloor.model import Document
    from watchfloor.watch.fetch import ServedBytes
    from watchfloor.watch.poll import PollOutcome, poll_source
    from watchfloor.watch.sources import Source
    from watchfloor.watch.state import JournalState


def _check(items: Iterable[object], allowed: tuple[type, ...] = (Document, IngestError)) -> None:
    for item in items:
        if not isinstance(item, allowed):
            raise AssertionError(f"a reader yielded {type(item).__name__}")


def _one(read: Callable[[], Document]) -> None:
    with contextlib.suppress(IngestError):
        _check([read()])


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogateescape").encode("utf-8", errors="replace").decode("utf-8")


_TMP = Path(tempfile.mkdtemp(prefix="watchfloor-fuzz-"))
_NAMES = ("a.txt", "a.md", "a.html", "a.jsonl", "a.json", "a.xml", "a.warc", "a.warc.gz", "noext")


_FETCHER = ServedBytes()


def _page(data: bytes) -> None:
    fetcher = _FETCHER
    fetcher.body = data
    for kind in ("auto", "page"):
        outcome = poll_source(fetcher, Source("http://feed.example/f", "Fuzz", "clear", kind=kind), JournalState())
        if not isinstance(outcome, PollOutcome) or outcome.status not in ("ok", "failed"):
            raise AssertionError(f"unexpected outcome {outcome!r}")
        _check(outcome.documents)


def _file(data: bytes) -> None:
    name = _NAMES[data[0] % len(_NAMES)] if data else "a.txt"
    path = _TMP / name
    path.write_bytes(data[1:])
    _check(read_file(path, IngestOptions(max_file_mb=1)))


TARGETS: dict[str, Callable[[bytes], None]] = {
    "text": lambda d: _one(lambda: read_text(_text(d), "fuzz")),
    "markdown": lambda d: _one(lambda: read_text(_text(d), "fuzz", markdown=True)),
    "html": lambda d: _one(lambda: read_html(d, "fuzz")),
    "jsonl": lambda d: _check(read_jsonl(_text(d), "fuzz")),
    "json": lambda d: _check(read_json(_text(d), "fuzz")),
    "feed": lambda d: _check(read_feed(d, "fuzz")),
    "warc": lambda d: _check(read_warc(d, "fuzz")),
    "gdelt": lambda d: _check(read_gdelt_lines(io.StringIO(_text(d), newline="\n"), "fuzz"),
                              (GdeltEvent, GdeltArticle, IngestError)),
    "page": _page,
    "file": _file,
}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(TARGETS)}}} -runs=N")
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
