"""Ingest throughput: watchfloor's whole ingest vs bare spaCy (same model, same texts), in one run.

The whole ingest reads, cleans, analyses (spaCy, then our stages, embeddings included), stores and links
(stories, copies, entities, consolidated claims) a batch per transaction, as ``watchfloor ingest`` does."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import spacy

from watchfloor.analyze.nlp import DEFAULT_MODELS, load_nlp
from watchfloor.config import Settings
from watchfloor.ingest import read_file
from watchfloor.pipeline import ingest_documents
from watchfloor.store import open_store

from .common import RESULTS, data_argument, print_rows, require


def main() -> None:
    parser = data_argument(__doc__ or "")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side, interleaved; the best is kept")
    args = parser.parse_args()
    path = require(args.data / "voa_news" / "voa_stories.jsonl")
    documents = [d for d in read_file(path) if not isinstance(d, Exception)]
    texts = [d.text for d in documents]
    words = sum(len(t.split()) for t in texts)
    ours = load_nlp()
    nlp = spacy.load(next(n for n in DEFAULT_MODELS if spacy.util.is_package(n)))  # bare: no component of ours
    list(nlp.pipe(texts[:5]))
    list(ours.pipe(texts[:5]))

    def bare() -> float:
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32, n_process=args.processes):
            pass
        return time.perf_counter() - start

    def whole() -> float:
        """Seconds to read, analyse, store and link the stories into a new store."""
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(db=str(Path(tmp) / "speed.db"), processes=args.processes)
            with open_store(settings.db, "create") as store:
                start = time.perf_counter()
                items = (d for d in read_file(path))  # reading and cleaning the file is part of ingest
                report = ingest_documents(items, store, settings)
                elapsed = time.perf_counter() - start
                assert report.added == len(documents), report
        return elapsed

    whole()  # the first run loads the gazetteer and the embedder; a user's first ingest pays that once too
    # interleaved, so that a slow or fast spell of the machine falls on both sides alike; the best run of each counts
    spacy_runs, ours_runs = [], []
    for _ in range(args.repeat):
        spacy_runs.append(bare())
        ours_runs.append(whole())
    spacy_s, ours_s = min(spacy_runs), min(ours_runs)
    rows = [
        {"task": "speed", "dataset": "voa_news (89 stories)", "metric": "words/s", "watchfloor": words / ours_s,
         "baseline": words / spacy_s, "baseline_name": "bare spaCy nlp.pipe (same model)"},
        {"task": "speed", "dataset": "voa_news (89 stories)", "metric": "stories/s", "watchfloor": len(texts) / ours_s,
         "baseline": len(texts) / spacy_s, "baseline_name": "bare spaCy nlp.pipe (same model)"},
        {"task": "speed", "dataset": "voa_news (89 stories)", "metric": "throughput ratio, whole ingest with linking",
         "watchfloor": spacy_s / ours_s, "baseline": 1.0, "baseline_name": "bare spaCy nlp.pipe (same model)"},
    ]
    print_rows(f"ingest speed, {words} words, processes={args.processes}", rows)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "speed.json").write_text(json.dumps({"rows": rows, "words": words, "stories": len(texts),
                                                    "seconds": {"watchfloor": ours_s, "spacy": spacy_s}}, indent=1))


if __name__ == "__main__":
    main()
