"""What the watch rules' read costs after a batch as the store grows: the wall time of ``StoreDesk.delta``
(the claims and events a batch touched, read through the store's indexes) and of ``whole_export_delta``
(the same picked out of a whole export, what ``delta`` did before), after a batch of new documents stored and
linked into stores of each size. The two deltas are checked equal at every size.

    python -m bench.watch_delta [--sizes 1000 10000] [--batch 25] [--engines sqlite postgresql]

The stores are grown by the linking-cost benchmark's synthetic stream (``bench.linking_cost``: VOA sentences
reworded, entities from a long-tailed pool, a figure claim, a statement and an event per document) through
the real write path; story embeddings are random unit vectors here (no model runs: stories do not matter to
this read). No result file: the figures go to the watch section of the README.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable

import numpy as np

from watchfloor.config import Settings
from watchfloor.pipeline import IngestReport, store_analysed, write_batch
from watchfloor.store import open_store
from watchfloor.watch.desk import StoreDesk, whole_export_delta
from watchfloor.watch.view import PictureDelta

from .common import data_argument, require
from .linking_cost import SEED_BATCH, SyntheticStream
from .linking_syndication import load_voa


def _median_ms(call: Callable[[], PictureDelta], runs: int) -> tuple[float, PictureDelta]:
    timings, result = [], None
    for _ in range(runs):
        begin = time.perf_counter()
        result = call()
        timings.append((time.perf_counter() - begin) * 1000)
    assert result is not None
    return statistics.median(timings), result


def measure(location: str, stream: SyntheticStream, sizes: list[int], batch: int, runs: int) -> None:
    with open_store(location, "create") as store:
        desk = StoreDesk(store, Settings(db=location))
        held = 0
        for size in sizes:
            store_analysed((stream.next_analysed() for _ in range(size - held)), store,
                           Settings(db=location, batch_size=SEED_BATCH))
            since = desk.history_position()
            pairs = [stream.next_analysed() for _ in range(batch)]
            write_batch(store, pairs, Settings(db=location, batch_size=batch), IngestReport())
            held = size + batch
            new = [d.id for d, _ in pairs]
            after, delta = _median_ms(lambda: desk.delta(new, since), runs)  # noqa: B023
            before, reference = _median_ms(lambda: whole_export_delta(store, new, since), runs)  # noqa: B023
            assert delta == reference, "the delta differs from the whole export's"
            print(f"  {location.split('://')[0] if '://' in location else 'sqlite'} at {size:,} documents, "
                  f"batch of {batch}: delta {after:.0f} ms (whole export {before:.0f} ms); "
                  f"{len(delta.records)} records, {len(delta.changes)} status changes", flush=True)


def main() -> None:
    parser = data_argument(__doc__ or "")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000])
    parser.add_argument("--batch", type=int, default=25)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engines", nargs="*", choices=("sqlite", "postgresql"), default=["sqlite"])
    args = parser.parse_args()
    stories = load_voa(require(args.data / "voa_news" / "voa_stories.jsonl"))
    rng = np.random.default_rng(5)
    embeddings = rng.normal(size=(len(stories), 384))
    embeddings /= np.linalg.norm(embeddings, axis=1, keepdims=True)
    random.seed(5)
    with tempfile.TemporaryDirectory() as tmp:
        for engine in args.engines:
            if engine == "sqlite":
                measure(f"{tmp}/delta.db", SyntheticStream(stories, embeddings), args.sizes, args.batch, args.runs)
                continue
            from tests.postgres import start_server

            server = start_server()
            try:
                measure(server.create_database("delta"), SyntheticStream(stories, embeddings), args.sizes,
                        args.batch, args.runs)
            finally:
                server.stop()


if __name__ == "__main__":
    main()
