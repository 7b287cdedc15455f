"""``make bench-real``: ingest real_news_dev into a temporary store through the normal pipeline, score the JSON
export against the set's gold by the rules of its README, side by side with a bare-spaCy baseline; print the
table and write the rows to bench/results/quality.json (task "real news").

A second column scores the analyses as stored, before the link step consolidates claims across reports (each
claim and event its own record, attributed by the names the analysis gave): where the two differ, consolidation
or entity resolution moved the figure. ``--errors CATEGORY[,CATEGORY]`` (e.g. ``--errors denials,quantity-found``) lists the gold items of one category that fail, with what the export had instead.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from watchfloor.config import Settings
from watchfloor.model import Claim, Span, TimeValue
from watchfloor.pipeline import ingest_paths
from watchfloor.report.export_json import build_export, quantity_record
from watchfloor.store import Store

from ..common import RESULTS, data_argument, merge_rows
from ..quality.scoring import row
from .baseline import NAME as BASELINE_NAME
from .baseline import baseline_export
from .gold import RealSet, load_set
from .scoring import CATEGORIES, Check, macro, score_export, summarise

TASK = "real news"


def _span(span: Span) -> dict[str, Any]:
    return {"doc_id": span.doc_id, "start": span.start, "end": span.end, "text": span.text}


def _when(value: TimeValue | None) -> dict[str, Any] | None:
    return None if value is None else {"start": value.start.isoformat(), "end": value.end.isoformat(),
                                       "precision": value.precision.value, "text": value.text}


def _unlinked(store: Store, export: dict[str, Any]) -> dict[str, Any]:
    """The export with its claims and events replaced by every analysis's own, one record each."""
    claims, events = [], []
    for _, analysis in store.analyses():
        for item in [*analysis.claims, *analysis.events]:
            record = {"modality": item.modality.value, "polarity": item.polarity, "date": _when(item.date),
                      "attributed_to": [{"entity_id": e.key, "name": e.name} for e in item.attributed_to],
                      "evidence": [_span(item.evidence)]}
            if isinstance(item, Claim):
                record["quantity"] = quantity_record(item.quantity) if item.quantity is not None else None
                claims.append(record)
            else:
                events.append(record)
    return {**export, "claims": claims, "events": events}


def watchfloor_exports(real: RealSet) -> tuple[dict[str, Any], dict[str, Any]]:
    """What a user gets (``watchfloor ingest articles.jsonl`` into a fresh store, then the JSON export), and
    the same with the claims and events of the analyses before consolidation."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db=str(Path(tmp) / "real.db"))
        with Store(settings.db) as store:
            report = ingest_paths([real.path], store, settings)
            if report.errors:
                raise SystemExit(f"ingest failed: {report.errors[0]}")
            export = build_export(store)
            return export, _unlinked(store, export)


def print_errors(checks: list[Check], category: str) -> None:
    failing = [c for c in checks if c.category == category and not c.ok]
    print(f"\n{category}: {len(failing)} failing")
    for check in failing:
        print(f"- [{check.doc}] {check.sentence[:220]}\n    want: {check.expected}\n    have: {check.found}")


def main() -> None:
    parser = data_argument(__doc__ or "")
    parser.add_argument("--errors", default="", metavar="CATEGORY[,CATEGORY]",
                        help=f"list failing items of these categories ('-' for a space): {', '.join(CATEGORIES)}")
    parser.add_argument("--baseline-errors", action="store_true", help="list the baseline's failures instead")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results alone")
    args = parser.parse_args()
    wanted = [c.strip().replace("-", " ").replace("_", " ") for c in args.errors.split(",") if c.strip()]
    unknown = [c for c in wanted if c not in CATEGORIES]
    if unknown:
        parser.error(f"unknown category {unknown[0]!r}; choose from: {', '.join(CATEGORIES)}")
    real = load_set(args.data)
    started = time.perf_counter()
    export, unlinked = watchfloor_exports(real)
    ours_checks = score_export(export, real)
    elapsed = time.perf_counter() - started
    base_checks = score_export(baseline_export(real), real)
    ours, base, analysed = summarise(ours_checks), summarise(base_checks), summarise(score_export(unlinked, real))
    for category in wanted:
        print_errors(base_checks if args.baseline_errors else ours_checks, category)

    dataset = f"real_news_dev ({len(real.articles)} articles)"
    table = Table(title=f"{dataset}: watchfloor (ingest + export in {elapsed:.0f} s) vs {BASELINE_NAME}")
    for column in ("category", "watchfloor", "", "baseline", " ", "before linking"):
        table.add_column(column, justify="left" if column == "category" else "right")
    rows = []
    for category in CATEGORIES:
        (held, total), (base_held, _) = ours[category], base[category]
        table.add_row(category, f"{held / total:.3f}", f"{held}/{total}", f"{base_held / total:.3f}",
                      f"{base_held}/{total}", f"{analysed[category][0]}/{total}")
        rows.append(row(TASK, dataset, category, held / total, base_held / total, BASELINE_NAME))
    table.add_row("macro average", f"{macro(ours):.3f}", "", f"{macro(base):.3f}", "")
    rows.append(row(TASK, dataset, "macro average", macro(ours), macro(base), BASELINE_NAME))
    Console(width=160).print(table)
    if not args.no_write:
        merge_rows(RESULTS / "quality.json", rows, {TASK})


if __name__ == "__main__":
    main()
