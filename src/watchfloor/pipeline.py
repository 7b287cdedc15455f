"""ingest → analyze → store, in batches. Re-running on the same input is a no-op."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .analyze import ANALYZER_VERSION, AnalyzeOptions, analyze_documents
from .config import Settings
from .errors import IngestError
from .ingest import IngestOptions, read_paths
from .ingest.dedup import band_keys, jaccard_estimate, minhash
from .model import Document
from .picture import LinkReport, refresh_claims, update_picture
from .store import Store

__all__ = ["IngestReport", "ReanalyzeReport", "ingest_documents", "ingest_paths", "reanalyze"]


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


Progress = Callable[[int], None]


def _fresh(
    items: Iterable[Document | IngestError], store: Store, report: IngestReport, threshold: float,
) -> Iterator[tuple[Document, np.ndarray, list[str]]]:
    """New documents only, marked when they nearly duplicate one already stored or earlier in the batch."""
    seen: set[str] = set()
    batch_signatures: dict[str, list[tuple[str, np.ndarray]]] = {}
    for item in items:
        if isinstance(item, IngestError):
            report.errors.append(item)
            continue
        if item.id in seen or store.known_ids([item.id]):
            report.already_stored += 1
            continue
        seen.add(item.id)
        signature = minhash(item.text)
        bands = band_keys(signature)
        candidates = store.near_duplicate_candidates(bands)
        candidates += [c for b in bands for c in batch_signatures.get(b, [])]
        best = max(((jaccard_estimate(signature, sig), doc_id) for doc_id, sig in candidates), default=(0.0, ""))
        if best[0] >= threshold and best[1] != item.id:
            item = replace(item, near_duplicate_of=best[1])
            report.near_duplicates += 1
        for band in bands:
            batch_signatures.setdefault(band, []).append((item.id, signature))
        yield item, signature, bands


def ingest_documents(
    items: Iterable[Document | IngestError], store: Store, settings: Settings, progress: Progress | None = None,
) -> IngestReport:
    """Analyse and store documents; errors are collected, the rest goes on."""
    report = IngestReport()
    signatures: dict[str, tuple[np.ndarray, list[str]]] = {}

    def documents() -> Iterator[Document]:
        for document, signature, bands in _fresh(items, store, report, settings.near_duplicate_threshold):
            signatures[document.id] = (signature, bands)
            yield document

    options = AnalyzeOptions(settings.spacy_model, settings.processes, settings.batch_size)
    pending: list[tuple[Document, object]] = []

    def flush() -> None:
        if not pending:
            return
        with store.transaction() as db:
            for document, analysis in pending:
                signature, bands = signatures.pop(document.id)
                store.add(db, document, analysis, signature, bands, ANALYZER_VERSION)  # type: ignore[arg-type]
        report.added += len(pending)
        report.added_ids.extend(d.id for d, _ in pending)
        if progress:
            progress(len(pending))
        pending.clear()

    for document, analysis in analyze_documents(documents(), options):
        pending.append((document, analysis))
        if len(pending) >= settings.batch_size:
            flush()
    flush()
    return report


@dataclass
class ReanalyzeReport:
    reanalysed: int = 0
    links: LinkReport = field(default_factory=LinkReport)


def reanalyze(store: Store, settings: Settings, progress: Progress | None = None) -> ReanalyzeReport:
    """Analyse again the stored documents an older analyzer saw, and re-score the claims they touch. One
    transaction per batch holds a batch's new analyses and claims, so an interruption loses nothing and
    re-running picks up where it stopped."""
    report = ReanalyzeReport()
    stale = store.stale_ids(ANALYZER_VERSION)  # ids only: texts are read a batch at a time
    options = AnalyzeOptions(settings.spacy_model, settings.processes, settings.batch_size)
    for start in range(0, len(stale), settings.batch_size):
        documents = (store.document(doc_id) for doc_id in stale[start : start + settings.batch_size])
        batch = list(analyze_documents((d for d in documents if d is not None), options))
        with store.transaction() as db:
            for document, analysis in batch:
                store.replace_analysis(db, document.id, analysis, ANALYZER_VERSION)
            linked = refresh_claims(store, batch)
        report.reanalysed += len(batch)
        report.links.linked += linked.linked
        report.links.claims_rescored += linked.claims_rescored
        report.links.status_changes += linked.status_changes
        if progress:
            progress(len(batch))
    return report


def ingest_paths(
    paths: Iterable[Path], store: Store, settings: Settings, progress: Progress | None = None,
) -> IngestReport:
    """Ingest files, then bring the cross-document picture up to date."""
    report = ingest_documents(read_paths(paths, IngestOptions(settings.max_file_mb)), store, settings, progress)
    report.links = update_picture(store)
    return report
