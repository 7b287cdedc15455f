"""ingest → analyze → store → link, in three phases per batch. Re-running on the same input is a no-op.

- *plan*: read the input and drop what the store already holds (one query per chunk, no analysis);
- *analyze*: a pure function of the settings and one document (spaCy, then the rest, embeddings included), in
  this process or on workers (``scale/``: a process pool or a Dask cluster), the results in input order;
- *write*, on a thread of its own so that it overlaps the analysis of the next batch: one write transaction per
  batch under the store's writer lock — the documents that are still new
  (another process may have stored some meanwhile), their near-duplicate marks, and the incremental link
  update of the picture. An interruption loses at most the batch in hand; re-running stores only what is
  missing and links whatever an interrupted run left unlinked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from .analyze import ANALYZER_VERSION, AnalyzeOptions, analyze_documents, with_embeddings
from .config import Settings
from .errors import IngestError
from .ingest import IngestOptions, read_paths
from .ingest.dedup import band_keys, jaccard_estimate, minhash
from .link.update import LinkReport, link_documents, refresh_claims
from .model import Document, DocumentAnalysis, Tlp
from .scale.collector import fewer_collections
from .scale.pools import Analyzer
from .scale.threads import write_behind
from .scale.worker import CHUNK_SIZE
from .store import NewDocument, Store, Writer

__all__ = ["IngestReport", "ReanalyzeReport", "analyze_options", "ingest_documents", "ingest_paths", "link_pending",
           "reanalyze", "store_analysed", "write_batch"]


@dataclass
class IngestReport:
    added: int = 0
    already_stored: int = 0
    near_duplicates: int = 0
    errors: list[IngestError] = field(default_factory=list)
    added_ids: list[str] = field(default_factory=list)
    links: LinkReport = field(default_factory=LinkReport)

    @property
    def ok(self) -> bool:
        return not self.errors

    def merge(self, other: IngestReport) -> None:
        self.added += other.added
        self.already_stored += other.already_stored
        self.near_duplicates += other.near_duplicates
        self.errors += other.errors
        self.added_ids += other.added_ids
        self.links.add(other.links)


Progress = Callable[[int], None]


def _plan(items: Iterable[Document | IngestError], store: Store, report: IngestReport, chunk: int) -> Iterator[Document]:
    """New documents only: errors are collected, repeats in the input and documents already stored skipped. The
    store is asked ``chunk`` documents at a time: a worker's chunk, or a batch where that is smaller (a query of
    0.2-0.3 ms on SQLite, whatever its size). Asked a batch of 32 at a time, the workers' first chunks waited for 32
    stories to be read and checked (about 2 ms a story, most of it telling its language), now for 24
    (``scale.pools.chunks`` reads two chunks ahead), then 8 more each; a smaller batch is not held back."""
    seen: set[str] = set()
    pending: list[Document] = []

    def new() -> list[Document]:
        with store.read() as r:
            known = r.known_ids(d.id for d in pending)
        report.already_stored += len(known)
        return [d for d in pending if d.id not in known]

    for item in items:
        if isinstance(item, IngestError):
            report.errors.append(item)
            continue
        if item.id in seen:
            report.already_stored += 1
            continue
        seen.add(item.id)
        pending.append(item)
        if len(pending) >= chunk:
            yield from new()
            pending = []
    if pending:
        yield from new()


def _mark_near_duplicates(w: Writer, batch: list[tuple[Document, DocumentAnalysis]], threshold: float,
                          version: int) -> tuple[list[NewDocument], int]:
    """The batch ready to store, each document marked when it nearly duplicates a stored or earlier one."""
    ready: list[NewDocument] = []
    marked = 0
    signatures = [minhash(document.text) for document, _ in batch]
    keys = [band_keys(signature) for signature in signatures]
    stored = w.near_duplicate_candidates(b for bands in keys for b in bands)
    in_batch: dict[str, list[tuple[str, np.ndarray]]] = {}
    for (document, analysis), signature, bands in zip(batch, signatures, keys, strict=True):
        candidates = {c[0]: c[1] for b in bands for c in stored.get(b, ())}
        candidates.update(c for b in bands for c in in_batch.get(b, ()))
        best = max(((jaccard_estimate(signature, sig), doc_id) for doc_id, sig in candidates.items()),
                   default=(0.0, ""))
        if best[0] >= threshold and best[1] != document.id:
            document = replace(document, near_duplicate_of=best[1])
            marked += 1
        for band in bands:
            in_batch.setdefault(band, []).append((document.id, signature))
        ready.append(NewDocument(document, analysis, signature, tuple(bands), version))
    return ready, marked


def write_batch(store: Store, batch: list[tuple[Document, DocumentAnalysis]], settings: Settings,
                report: IngestReport) -> None:
    """One transaction: the documents still new, then the picture brought up to date with them — at one time,
    taken once the writer lock is held: the documents' ``ingested_at`` is the ``updated_at`` of the claims they
    change, so that a partner reading at a TLP ceiling sees a claim change when its reports arrive, not later."""
    with store.write() as w:
        now = datetime.now(UTC).isoformat()
        known = w.known_ids(d.id for d, _ in batch)
        fresh = [(d, a) for d, a in batch if d.id not in known]
        ready, marked = _mark_near_duplicates(w, fresh, settings.near_duplicate_threshold, ANALYZER_VERSION)
        written = w.add_documents(ready, now)
        stored = set(written)
        report.links.add(link_documents(w, now=now, written=[(n.document, n.analysis) for n in ready
                                                              if n.document.id in stored]))
    report.already_stored += len(known)
    report.near_duplicates += marked
    report.added += len(written)
    report.added_ids.extend(written)


def analyze_options(settings: Settings) -> AnalyzeOptions:
    return AnalyzeOptions(settings.spacy_model, settings.processes, settings.batch_size)


def ingest_documents(
    items: Iterable[Document | IngestError], store: Store, settings: Settings, progress: Progress | None = None,
    analyzer: Analyzer | None = None,
) -> IngestReport:
    """Analyse, store and link new documents; errors are collected, the rest goes on.

    Without an ``analyzer`` (worker processes, a Dask cluster: ``scale/``) this process parses while a second
    thread embeds, stores and links the batches before (embedding and SQLite release the GIL, so the two overlap
    on a second core). Either way the batches written, and so the results, are the same."""
    report = IngestReport()
    planned = _plan(items, store, report, min(CHUNK_SIZE, settings.batch_size))
    with fewer_collections():  # both threads of this process (scale/collector.py)
        if analyzer is not None:
            return store_analysed(analyzer.analyze(planned), store, settings, progress, report)
        options = analyze_options(settings)
        parsed = analyze_documents(planned, replace(options, embeddings=False))
        return store_analysed(parsed, store, settings, progress, report, embed=options.embeddings)


def store_analysed(pairs: Iterable[tuple[Document, DocumentAnalysis]], store: Store, settings: Settings,
                   progress: Progress | None = None, report: IngestReport | None = None, embed: bool = False,
                   ) -> IngestReport:
    """The write phase: analysed documents (by this process, workers, a cluster, or a benchmark beforehand) are
    stored and linked a batch per transaction, on a thread of their own while ``pairs`` is still being produced.
    ``embed``: the analyses still lack their lead embeddings (the last, pure step of analysis), made here."""
    report = report if report is not None else IngestReport()
    written = IngestReport()
    batch: list[tuple[Document, DocumentAnalysis]] = []

    def write(full: list[tuple[Document, DocumentAnalysis]]) -> None:
        write_batch(store, full, settings, written)
        if progress:
            progress(len(full))

    def take(pair: tuple[Document, DocumentAnalysis]) -> None:
        # each document is embedded as it arrives, not when its batch is full: the last batch's leads are then
        # embedded while the documents after them are parsed, instead of after the last parse (each lead runs
        # alone through the model, so the vectors are the same either way)
        batch.append(with_embeddings([pair])[0] if embed else pair)
        if len(batch) >= settings.batch_size:
            write(batch.copy())
            batch.clear()

    write_behind(pairs, take, depth=2 * settings.batch_size)
    if batch:
        write(batch)  # the last, partial batch: the writer thread has ended
    report.merge(written)
    report.links.add(link_pending(store, settings.batch_size))
    return report


def link_pending(store: Store, batch_size: int = 32) -> LinkReport:
    """Link what an interrupted run or an upgrade left unlinked, a batch per transaction, and apply the analysts'
    grades set since the last link run (by a watched source's ``reliability``, say)."""
    total = LinkReport()
    while True:
        with store.write() as w:
            pending = w.unlinked_ids(limit=batch_size)
            total.add(link_documents(w, pending))  # with none pending, it applies analysts' new grades
            if not pending:
                return total


@dataclass
class ReanalyzeReport:
    reanalysed: int = 0
    links: LinkReport = field(default_factory=LinkReport)


def reanalyze(store: Store, settings: Settings, progress: Progress | None = None) -> ReanalyzeReport:
    """Analyse again the stored documents an older analyzer saw, and re-score the claims they touch. One
    transaction per batch holds a batch's new analyses and claims, so an interruption loses nothing and
    re-running picks up where it stopped."""
    report = ReanalyzeReport()
    with store.read() as r:
        stale = r.stale_ids(ANALYZER_VERSION)  # ids only: texts are read a batch at a time
    options = analyze_options(settings)
    with fewer_collections():
        for start in range(0, len(stale), settings.batch_size):
            with store.read() as r:
                documents = list(r.documents(stale[start : start + settings.batch_size]))
            batch = list(analyze_documents(documents, options))
            with store.write() as w:
                for document, analysis in batch:
                    w.replace_analysis(document.id, analysis, ANALYZER_VERSION)
                report.links.add(refresh_claims(w, batch))
            report.reanalysed += len(batch)
            if progress:
                progress(len(batch))
    report.links.add(link_pending(store, settings.batch_size))
    return report


def ingest_paths(
    paths: Iterable[Path], store: Store, settings: Settings, progress: Progress | None = None, tlp: Tlp | None = None,
    analyzer: Analyzer | None = None,
) -> IngestReport:
    """Ingest files: their documents are stored and linked a batch at a time, marked ``tlp`` when given."""
    items = read_paths(paths, IngestOptions(settings.max_file_mb))
    if tlp is not None:
        items = (replace(i, tlp=tlp) if isinstance(i, Document) else i for i in items)
    return ingest_documents(items, store, settings, progress, analyzer)
