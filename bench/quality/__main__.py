"""``make bench-quality``: run every quality task, print one table, write bench/results/quality.json."""

from __future__ import annotations

import importlib
import time

from ..common import RESULTS, data_argument, merge_rows, print_rows

TASK_MODULES = ("ner", "dates", "attribution", "events", "case2021", "voa")


def main() -> None:
    parser = data_argument(__doc__ or "")
    parser.add_argument("--only", nargs="*", help="run only these task modules")
    args = parser.parse_args()
    rows = []
    tasks: set[str] = set()
    for name in args.only or TASK_MODULES:
        module = importlib.import_module(f"bench.quality.{name}")
        started = time.perf_counter()
        found = module.run(args.data)
        print(f"{name}: {len(found)} rows in {time.perf_counter() - started:.0f} s", flush=True)
        rows.extend(found)
        tasks.update(r["task"] for r in found)
    print_rows("quality, watchfloor vs side-by-side baselines", rows)
    # a full run replaces its tasks' rows; a partial one (--only) the rows of the datasets it ran
    merge_rows(RESULTS / "quality.json", rows, None if args.only else tasks)


if __name__ == "__main__":
    main()
