"""Shared pieces of the benchmarks: data location, result tables."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

RESULTS = Path(__file__).resolve().parent / "results"


def data_argument(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="evaluation data folder")
    return parser


def require(path: Path) -> Path:
    """Stop with a clear message when an evaluation set is absent (it is never downloaded)."""
    if not path.exists():
        print(f"skipped: {path} not found; pass --data pointing at the shared evaluation data", file=sys.stderr)
        raise SystemExit(0)
    return path


def print_rows(title: str, rows: list[dict[str, Any]]) -> None:
    table = Table(title=title)
    for column in ("task", "dataset", "metric", "watchfloor", "baseline", "baseline_name"):
        table.add_column(column, justify="right" if column in {"watchfloor", "baseline"} else "left")
    for row in rows:
        table.add_row(*(f"{row[c]:.4g}" if isinstance(row[c], float) else str(row[c]) for c in
                        ("task", "dataset", "metric", "watchfloor", "baseline", "baseline_name")))
    Console(width=160).print(table)


def merge_rows(path: Path, rows: list[dict[str, Any]], tasks: set[str] | None = None) -> None:
    """Replace the rows of the given tasks in a results file, keeping the others; without tasks, replace only
    the rows of the (task, dataset) pairs given (a partial run of a task's benchmarks)."""
    existing: list[dict[str, Any]] = []
    pairs = {(r["task"], r["dataset"]) for r in rows}
    if path.exists():
        existing = [r for r in json.loads(path.read_text())["rows"]
                    if (r["task"] not in tasks if tasks is not None else (r["task"], r["dataset"]) not in pairs)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"rows": existing + rows}, indent=1) + "\n")
