"""Articles linked from metadata (GDELT rows): fetched with the watcher's checks and read into documents.

The same politeness and refusals as polling apply: robots.txt, per-host delay, no private addresses,
body and time limits. Each URL is fetched once however many rows name it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from .. import codec
from ..errors import FetchError, IngestError
from ..ingest.document import build_document
from ..ingest.gdelt import GdeltArticle, GdeltEvent, read_gdelt
from ..ingest.html import read_html
from ..model import Document
from .fetch import PAGE_ACCEPT, Fetched, Fetcher, FetchLimits
from .politeness import Interrupted

__all__ = ["GdeltReport", "fetch_linked", "linked_urls", "read_gdelt_file"]


def linked_urls(rows: Iterable[GdeltEvent | GdeltArticle | IngestError], limit: int | None = None
                ) -> Iterator[tuple[str, str]]:
    """(url, outlet) of the articles rows link to, each URL once, in file order; GKG rows name their outlet."""
    seen: set[str] = set()
    for row in rows:
        if isinstance(row, IngestError) or not row.url or row.url in seen:
            continue
        seen.add(row.url)
        outlet = row.outlet if isinstance(row, GdeltArticle) and row.outlet else (urlsplit(row.url).hostname or "")
        yield row.url, outlet.removeprefix("www.")
        if limit is not None and len(seen) >= limit:
            return


def fetch_linked(links: Iterable[tuple[str, str]], fetcher: Fetcher, limits: FetchLimits
                 ) -> Iterator[Document | IngestError]:
    """Each linked article as a document under its outlet, or an error naming the URL."""
    for url, outlet in links:
        if fetcher.stop.is_set():
            return
        try:
            fetched = fetcher.fetch(url, limits, accept=PAGE_ACCEPT)
            if not isinstance(fetched, Fetched):
                continue
            page = read_html(fetched.body, url, url=url)
            yield build_document(source=url, title=page.title, text=page.text, outlet=outlet or page.outlet,
                                 url=url, published=page.published, author=page.author)
        except FetchError as exc:
            yield IngestError(url, exc.reason)
        except IngestError as exc:
            yield exc
        except Interrupted:
            return


@dataclass
class GdeltReport:
    events: int = 0
    articles: int = 0  # GKG rows
    errors: list[IngestError] = field(default_factory=list)
    urls: int = 0  # distinct article URLs
    themes: Counter[str] = field(default_factory=Counter)
    links: list[tuple[str, str]] = field(default_factory=list)  # the first `limit` (url, outlet)


def read_gdelt_file(path: Path, out: TextIO | None = None, limit: int = 100, max_errors: int = 1000) -> GdeltReport:
    """One pass over a GDELT file: count its rows, write them as JSON Lines to ``out``, keep the first
    ``limit`` linked URLs to fetch. Memory: one row, the set of URLs seen, the theme counts."""
    report = GdeltReport()
    seen: set[str] = set()
    for row in read_gdelt(path):
        if isinstance(row, IngestError):
            if len(report.errors) < max_errors:
                report.errors.append(row)
            continue
        if isinstance(row, GdeltEvent):
            report.events += 1
        else:
            report.articles += 1
            report.themes.update(row.themes)
        if out is not None:
            out.write(json.dumps({"kind": "gdelt_" + ("event" if isinstance(row, GdeltEvent) else "gkg"),
                                  **codec.dump(row)}, ensure_ascii=False) + "\n")
        if row.url and row.url not in seen:
            seen.add(row.url)
            if len(report.links) < limit:
                report.links.extend(linked_urls([row]))
    report.urls = len(seen)
    return report
