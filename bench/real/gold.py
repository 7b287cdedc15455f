"""The real_news_dev set as the scorer reads it: articles by the line they sit on, gold items by category."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..common import require

FOLDER = "real_news_dev"


@dataclass(frozen=True)
class RealSet:
    path: Path  # articles.jsonl
    articles: dict[str, dict[str, Any]]  # id -> record
    line_of: dict[int, str]  # line number (1-based) -> article id
    gold: dict[str, Any]


def load_set(data: Path) -> RealSet:
    """Read articles and gold from ``data/real_news_dev``; stop with a clear message when the set is absent."""
    folder = require(data / FOLDER)
    path = require(folder / "articles.jsonl")
    articles: dict[str, dict[str, Any]] = {}
    line_of: dict[int, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            record = json.loads(line)
            articles[record["id"]] = record
            line_of[number] = record["id"]
    gold = json.loads(require(folder / "gold.json").read_text(encoding="utf-8"))
    return RealSet(path, articles, line_of, gold)
