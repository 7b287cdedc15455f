"""The single writer's measured ceiling, and the throughput modelled from it for clusters we do not have.

The writer stores each batch (documents, analyses, near-duplicate marks, claim index) and links it (entities,
origins, stories, consolidated claims) in one transaction. Its ceiling is measured here with the analyses made
beforehand, so nothing else competes for it; its time is split into *inserting* (``add_documents``) and the rest
(near-duplicates and the link step), which is what deciding between one writer and workers writing their own
batches turns on: workers could take over the inserting only, never the linking, which needs every earlier batch.
"""

from __future__ import annotations

import math
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from watchfloor.config import Settings
from watchfloor.model import Document, DocumentAnalysis
from watchfloor.pipeline import store_analysed
from watchfloor.store import open_store
from watchfloor.store.documents import DocumentWrites

__all__ = ["model_rows", "writer_ceiling"]

#: the volumes the issue names, in documents per second
TARGETS = {"1 M articles/day": 1_000_000 / 86_400, "GDELT, about 0.6 M articles/day": 600_000 / 86_400}
WORKERS = (2, 8, 32, 128)
#: the link step's cost per document at 100k stored documents over its cost at 1k (bench/results/linking.json,
#: ``linking_cost``): the writer ceiling measured on a new store is divided by this for a store that has grown
LINK_GROWTH_100K = 1.2337


@contextmanager
def _timed_inserts(spent: list[float]) -> Iterator[None]:
    """Add the seconds spent in ``add_documents`` to ``spent`` (instrumentation for the benchmark only)."""
    original = DocumentWrites.add_documents

    def timed(self: DocumentWrites, items: Any) -> list[str]:
        start = time.perf_counter()
        try:
            return original(self, items)
        finally:
            spent.append(time.perf_counter() - start)

    DocumentWrites.add_documents = timed  # type: ignore[method-assign]
    try:
        yield
    finally:
        DocumentWrites.add_documents = original  # type: ignore[method-assign]


def _write(location: str, pairs: list[tuple[Document, DocumentAnalysis]]) -> dict[str, float]:
    inserts: list[float] = []
    with open_store(location, "create") as store, _timed_inserts(inserts):
        start = time.perf_counter()
        report = store_analysed(iter(pairs), store, Settings(db=location))
        elapsed = time.perf_counter() - start
    assert report.added == len(pairs), report
    return {"seconds": elapsed, "documents_per_s": len(pairs) / elapsed, "insert_share": sum(inserts) / elapsed}


def writer_ceiling(pairs: list[tuple[Document, DocumentAnalysis]], postgres: bool = True, repeat: int = 2
                   ) -> dict[str, Any]:
    """Documents/s the one writer stores and links, best of ``repeat`` runs on new stores, per engine."""
    found: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        runs = [_write(str(Path(tmp) / f"writer-{i}.db"), pairs) for i in range(repeat)]
        found["sqlite"] = max(runs, key=lambda r: r["documents_per_s"])
    if not postgres:
        return found
    try:
        from tests.postgres import start_server
        server = start_server()
    except (ImportError, FileNotFoundError, OSError) as exc:
        found["postgresql"] = f"not measured: {exc}"
        return found
    try:
        runs = [_write(server.create_database("speed"), pairs) for _ in range(repeat)]
        found["postgresql"] = max(runs, key=lambda r: r["documents_per_s"])
    finally:
        server.stop()
    return found


def model_rows(writer: dict[str, Any], stories: int, analysis_seconds: float) -> list[dict[str, Any]]:
    """Modelled rows: ``N`` workers analyse ``N / a`` documents/s (``a``: measured analysis seconds per document on
    one worker core, linear in N, network ignored); the writer takes at most its measured ceiling, divided by the
    link step's growth to a store of 100k documents. Throughput is the smaller of the two."""
    per_doc = analysis_seconds / stories
    rows: list[dict[str, Any]] = []
    for engine, figures in writer.items():
        if not isinstance(figures, dict):
            continue
        ceiling = figures["documents_per_s"] / LINK_GROWTH_100K
        for n in WORKERS:
            analysis = n / per_doc
            rows.append({"task": "speed", "dataset": "model from the VOA measurements", "kind": "modelled",
                         "metric": f"{n} workers, {engine} writer: documents/s",
                         "watchfloor": min(analysis, ceiling), "baseline": analysis,
                         "baseline_name": "the workers alone (analysis seconds per document measured on one core)",
                         "limit": "writer" if ceiling < analysis else "analysis (workers)",
                         "articles_per_day": min(analysis, ceiling) * 86_400})
        rows.append({"task": "speed", "dataset": "model from the VOA measurements", "kind": "modelled",
                     "metric": f"{engine} writer becomes the limit at this many workers",
                     "watchfloor": ceiling * per_doc, "baseline": None, "baseline_name": "", "limit": "writer"})
        for name, rate in TARGETS.items():
            rows.append({"task": "speed", "dataset": "model from the VOA measurements", "kind": "modelled",
                         "metric": f"{name} ({rate:.1f}/s), {engine} writer: workers needed",
                         "watchfloor": math.ceil(rate * per_doc), "baseline": None,
                         "baseline_name": "", "writer_headroom": ceiling / rate,
                         "limit": "met" if ceiling >= rate else "the writer cannot keep up"})
    return rows
