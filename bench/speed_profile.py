"""Where one ``watchfloor ingest`` process spends its time on the VOA stories: both of its threads profiled.

The ingesting thread reads, parses and analyses; the writer thread embeds, stores and links (``scale/threads.py``).
``cProfile`` sees one thread only, so the writer's batches are profiled apart, each inside its own thread, and the
two profiles are printed one after the other (cumulative seconds, the top functions of each). Profiling slows
Python code more than the compiled parts, so read shares, not absolute seconds.

    python -m bench.speed_profile --data ../shared/data [--top 25]
"""

from __future__ import annotations

import cProfile
import io
import pstats
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchfloor import pipeline
from watchfloor.analyze.embeddings import default_embedder
from watchfloor.analyze.gazetteer import gazetteer
from watchfloor.analyze.geo.gazetteer import geo_gazetteer
from watchfloor.analyze.nlp import load_nlp
from watchfloor.config import Settings
from watchfloor.ingest import read_file
from watchfloor.store import open_store

from .common import data_argument, require


def _print(title: str, profile: cProfile.Profile, top: int) -> None:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    print(f"== {title}: {stats.total_tt:.1f} s profiled ==")  # type: ignore[attr-defined]
    print(out.getvalue().split("\n", 4)[-1])


def main() -> None:
    parser = data_argument(__doc__ or "")
    parser.add_argument("--top", type=int, default=25, help="functions shown per thread")
    args = parser.parse_args()
    path = require(args.data / "voa_news" / "voa_stories.jsonl")
    load_nlp(), geo_gazetteer(), gazetteer(), default_embedder().load()  # as a warm worker has them
    writer = cProfile.Profile()
    originals = {name: getattr(pipeline, name) for name in ("with_embeddings", "write_batch")}  # the writer's work

    def on_writer(function: Callable[..., Any]) -> Callable[..., Any]:
        def profiled(*a: Any, **k: Any) -> Any:
            writer.enable()
            try:
                return function(*a, **k)
            finally:
                writer.disable()
        return profiled

    for name, function in originals.items():
        setattr(pipeline, name, on_writer(function))
    reader = cProfile.Profile()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db=str(Path(tmp) / "profile.db"))
        with open_store(settings.db, "create") as store:
            start = time.perf_counter()
            reader.enable()
            report = pipeline.ingest_documents(read_file(path), store, settings)
            reader.disable()
            elapsed = time.perf_counter() - start
    for name, function in originals.items():
        setattr(pipeline, name, function)
    print(f"{report.added} documents in {elapsed:.1f} s wall ({report.added / elapsed:.2f} documents/s, profiled)")
    _print("ingesting thread (read, parse, analyse)", reader, args.top)
    _print("writer thread (embed, store, link)", writer, args.top)


if __name__ == "__main__":
    main()
