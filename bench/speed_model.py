"""The single writer's measured ceiling, and the throughput modelled from it for clusters we do not have.

The writer stores each batch (documents, analyses, near-duplicate marks, claim index) and links it (entities,
origins, stories, consolidated claims) in one transaction. Its ceiling is measured here with the analyses made
beforehand, so nothing else competes for it; its time is split into *inserting* (``add_documents``) and the rest
(near-duplicates and the link step), which is what deciding between one writer and workers writing their own
batches turns on: workers could take over the inserting only, never the linking, which needs every earlier batch.
"""

from __future__ import annotations

import json
import math
import re
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

from .linking_cost import BATCH

__all__ = ["model_rows", "writer_ceiling"]

#: the volumes the issue names, in documents per second
TARGETS = {"1 M articles/day": 1_000_000 / 86_400, "GDELT, about 0.6 M articles/day": 600_000 / 86_400}
WORKERS = (2, 8, 32, 128)
#: where ``make bench-linking`` leaves the link step's measured cost per document at growing store sizes
LINKING = Path(__file__).resolve().parent / "results" / "linking.json"
_ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
_AT = re.compile(r"ms per (document|batch) at (\d+)k$")


def link_growth(engine: str, path: Path = LINKING) -> tuple[int, float] | None:
    """The largest store size ``make bench-linking`` measured on an engine, and the seconds per document the link
    step costs there beyond its cost at the smallest size (None when the file holds no such rows)."""
    if not path.exists():
        return None
    costs: dict[int, float] = {}
    for row in json.loads(path.read_text()).get("rows", []):
        found = _AT.match(str(row.get("metric", "")))
        if row.get("task") == "linking_cost" and found and str(row.get("dataset", "")).endswith(_ENGINES[engine]):
            per = BATCH if found.group(1) == "batch" else 1  # the cost row is per batch of BATCH new documents
            costs[int(found.group(2)) * 1000] = float(row["watchfloor"]) / 1000 / per
    if len(costs) < 2:
        return None
    return max(costs), max(0.0, costs[max(costs)] - costs[min(costs)])  # a cheaper large store adds nothing


@contextmanager
def _timed_inserts(spent: list[float]) -> Iterator[None]:
    """Add the seconds spent in ``add_documents`` to ``spent`` (instrumentation for the benchmark only)."""
    original = DocumentWrites.add_documents

    def timed(self: DocumentWrites, items: Any, now: str | None = None) -> list[str]:
        start = time.perf_counter()
        try:
            return original(self, items, now)
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
    one worker core, linear in N, network ignored); the writer takes at most its ceiling measured here on a new
    store, and on a grown store that ceiling with the link step's measured growth added to each document's cost
    (``link_growth``). Throughput is the smaller of the workers' and the writer's."""
    per_doc = analysis_seconds / stories
    rows: list[dict[str, Any]] = []

    def row(metric: str, value: float, **extra: Any) -> None:
        rows.append({"task": "speed", "dataset": "model from the VOA measurements", "kind": "modelled",
                     "metric": metric, "watchfloor": value, "baseline": None, "baseline_name": "", **extra})

    for engine, figures in writer.items():
        if not isinstance(figures, dict):
            continue
        stores = [("a new store", figures["documents_per_s"])]
        grown = link_growth(engine)
        if grown is not None:
            size, extra = grown
            stores.append((f"a store of {size // 1000}k documents", 1 / (1 / figures["documents_per_s"] + extra)))
        for where, ceiling in stores:
            for n in WORKERS:
                analysis = n / per_doc
                row(f"{n} workers, {engine} writer, {where}: documents/s", min(analysis, ceiling),
                    workers_alone=analysis, writer_ceiling=ceiling,
                    limit="writer" if ceiling < analysis else "analysis (workers)",
                    articles_per_day=min(analysis, ceiling) * 86_400)
            row(f"{engine} writer, {where}: the limit from this many workers on", ceiling * per_doc, limit="writer")
            for name, rate in TARGETS.items():
                row(f"{name} ({rate:.1f}/s), {engine} writer, {where}: workers needed", math.ceil(rate * per_doc),
                    writer_headroom=ceiling / rate,
                    limit="met" if ceiling >= rate else "the writer cannot keep up")
    return rows
