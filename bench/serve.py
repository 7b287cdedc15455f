"""``make bench-serve``: the dashboard and the API under load, on stores of 10k and 100k synthetic documents.

    .venv/bin/python -m bench.serve [--sizes 10000 100000] [--engines sqlite postgresql] [--users 10 20]
                                    [--seconds 15] [--workers 2] [--keep /tmp/serve-stores]
                                    [--endpoints "search API"]

For each engine and size: a store is seeded through the store interface (``bench/serve_seed.py``; SQLite
stores are kept in ``bench/.cache`` for the next run, or in ``--keep``, where PostgreSQL's seeded databases are
kept too, in a cluster of their own), ``watchfloor serve`` is started on a loopback port, and locust (headless,
``FastHttpUser``) runs from a second process with N clients requesting back to back (each N of ``--users``), one
endpoint at a time, against ``watchfloor serve --workers W`` (W server processes, 2 by default: this machine's
cores): the story page, the claim page, the entity page, the claims API (pages, filters) and search
(API). The baseline, measured in the same run the same way: a bare FastAPI route returning a static JSON body
as large as the claims API's answers (``bench/serve_baseline.py``): what uvicorn, FastAPI and the client cost
with no store and no work. Rows go to ``bench/results/serve.json``: requests/s, p50 and p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from watchfloor.store import ClaimFilter, open_store

from .common import RESULTS, merge_rows, print_rows
from .serve_seed import seed

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".cache"
SEED_VERSION = 5
USERS = (10, 20)
ENDPOINTS = ("story page", "claim page", "entity page", "claims API", "search API")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=5).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


@contextmanager
def _server(command: list[str], url: str, env: dict[str, str] | None = None) -> Any:
    process = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    try:
        _wait(url)
        yield
    finally:
        process.terminate()
        process.wait(20)


def _store(engine: str, size: int, postgres: Any, cache: Path, kept: bool) -> str:
    if engine == "sqlite":
        cache.mkdir(parents=True, exist_ok=True)
        path = cache / f"serve-{size}-v{SEED_VERSION}.db"
        if not path.exists():
            partial = path.with_suffix(".partial")
            for stale in cache.glob(partial.name + "*"):
                stale.unlink()
            with open_store(str(partial), "create") as store:
                seed(store, size)
            partial.rename(path)
        return str(path)
    if not kept:
        location = str(postgres.create_database("bench"))
        with open_store(location, "create") as store:
            seed(store, size)
        return location
    name = f"serve_{size}_v{SEED_VERSION}"
    done = cache / f"{name}.seeded"
    if done.exists() and postgres.database_exists(name):
        return str(postgres.url(name))
    location = str(postgres.create_named_database(name))
    with open_store(location, "create") as store:
        seed(store, size)
    done.touch()
    return location


def _urls(location: str, rng: random.Random) -> dict[str, list[str]]:
    """Paths per endpoint, drawn from what the store holds (stories, claims and entities of every size)."""
    open_store(location, "write").close()  # a kept store is brought to the current schema first
    with open_store(location, "read") as store, store.read() as r:
        stories, total = r.story_page(1, 0)
        story_ids = [s.story_id for s in r.story_page(200, rng.randrange(max(1, total - 200)))[0]]
        claims, claim_total = r.group_page(ClaimFilter(kinds=("statement", "quantity")), 1)
        claim_ids = [c.id for c in r.group_page(ClaimFilter(kinds=("statement", "quantity")), 300,
                                                rng.randrange(max(1, claim_total - 300)))[0]]
        entities = [e.id for e in r.all_entities()]
        outlets = r.outlets()
    frequent, rare = entities[:20], rng.sample(entities[20:], min(180, len(entities) - 20))
    words = ("troops", "border", "minister", "sanctions", "talks", "deployment", "security", "envoy")
    return {
        "story page": [f"/stories/{s}" for s in story_ids],
        "claim page": [f"/claims/{c}" for c in claim_ids],
        "entity page": [f"/entities/{e}" for e in frequent + rare],
        "claims API": [f"/api/claims?limit=50&offset={rng.randrange(0, 5000)}" for _ in range(50)]
                      + [f"/api/claims?limit=50&status={s}" for s in ("contested", "corroborated", "single_source")]
                      + [f"/api/claims?limit=50&entity={e}" for e in frequent[:10] + rare[:40]]
                      + [f"/api/claims?limit=50&outlet={o}" for o in outlets[:20]],
        "search API": [f"/api/search?q={w}" for w in words] + [f"/api/search?q={w}+{v}" for w in words for v in words],
    }


def _locust(host: str, name: str, paths: list[str], seconds: int, folder: Path, users: int) -> dict[str, float]:
    urls = folder / f"{name.replace(' ', '-')}.tsv"
    urls.write_text("".join(f"{name}\t{p}\n" for p in paths), encoding="utf-8")
    prefix = folder / name.replace(" ", "-")
    command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "serve_locustfile.py"), "--headless",
               "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "-H", host, "--csv", str(prefix),
               "--only-summary", "--loglevel", "ERROR"]
    subprocess.run(command, env={**os.environ, "WATCHFLOOR_BENCH_URLS": str(urls)}, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=seconds + 120)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Name"] == name)
    return {"rps": float(row["Requests/s"]), "p50": float(row["50%"]), "p95": float(row["95%"]),
            "requests": float(row["Request Count"]), "failures": float(row["Failure Count"])}


#: the server as a deployment would run it, not with initdb's defaults: PostgreSQL's documentation starts a
#: dedicated server's ``shared_buffers`` at a quarter of its memory; this one shares 24 GB with the clients and the
#: web server's processes, so 2 GB (the default 128 MB holds little of a 100k store's hot pages: a story page's
#: first read of its summaries copies them in from the system's cache, 7 ms where 0.5 ms do once they are held)
POSTGRESQL_SETTINGS = {"shared_buffers": "2GB"}


def run(sizes: list[int], engines: list[str], seconds: int, users: list[int], keep: Path | None,
        endpoints: list[str], workers: int) -> list[dict[str, Any]]:
    rng = random.Random(7)
    rows: list[dict[str, Any]] = []
    postgres = None
    cache = keep or CACHE
    if "postgresql" in engines:
        sys.path.insert(0, str(ROOT))
        from tests.postgres import start_server

        postgres = start_server(keep / "postgresql" if keep else None, POSTGRESQL_SETTINGS)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-serve-") as scratch:
            folder = Path(scratch)
            for engine in engines:
                for size in sizes:
                    print(f"  {engine}, {size:,} documents: seeding", flush=True)
                    started = time.perf_counter()
                    location = _store(engine, size, postgres, cache, keep is not None)
                    print(f"    store ready in {time.perf_counter() - started:.0f} s", flush=True)
                    rows += _measure(engine, size, location, rng, seconds, folder, users, endpoints, workers)
    finally:
        if postgres is not None:
            postgres.stop(keep=keep is not None)
    return rows


def _measure(engine: str, size: int, location: str, rng: random.Random, seconds: int, folder: Path,
             users: list[int], endpoints: list[str], workers: int) -> list[dict[str, Any]]:
    urls = _urls(location, rng)
    port = _port()
    host = f"http://127.0.0.1:{port}"
    watchfloor = str(Path(sys.executable).parent / "watchfloor")
    results: dict[tuple[int, str], dict[str, float]] = {}
    with _server([watchfloor, "serve", "--db", location, "--port", str(port), "--workers", str(workers)],
                 host + "/api/me"):
        sizes = [len(httpx.get(host + p, timeout=30).content) for p in urls["claims API"][:10]]
        for n in users:
            for name in endpoints:
                found = results[n, name] = _locust(host, name, urls[name], seconds, folder, n)
                print(f"    {n} clients, {name}: {found['rps']:.0f} req/s, p50 {found['p50']:.0f} ms, "
                      f"p95 {found['p95']:.0f} ms, {found['failures']:.0f} failures", flush=True)
    body = int(sum(sizes) / len(sizes))
    port = _port()
    base_host = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "uvicorn", "bench.serve_baseline:app", "--port", str(port), "--log-level",
               "warning"]
    baselines: dict[int, dict[str, float]] = {}
    with _server(command, base_host + "/static-json", {"WATCHFLOOR_BASELINE_BYTES": str(body)}):
        for n in users:
            baseline = baselines[n] = _locust(base_host, "baseline", ["/static-json"], seconds, folder, n)
            print(f"    {n} clients, baseline: {baseline['rps']:.0f} req/s, p50 {baseline['p50']:.0f} ms, "
                  f"p95 {baseline['p95']:.0f} ms")
    name = f"bare FastAPI route, static JSON of {body:,} bytes"
    rows = []
    for (n, endpoint), found in results.items():
        dataset = (f"synthetic, {size:,} documents, {engine}, {n} clients back to back, "
                   f"{workers} server process{'es' if workers > 1 else ''}")
        baseline = baselines[n]
        for metric, key in (("requests/s", "rps"), ("p50 ms", "p50"), ("p95 ms", "p95")):
            rows.append({"task": "serve", "dataset": dataset, "metric": f"{endpoint} {metric}",
                         "watchfloor": found[key], "baseline": baseline[key], "baseline_name": name})
        if found["failures"]:
            rows.append({"task": "serve", "dataset": dataset, "metric": f"{endpoint} failed requests",
                         "watchfloor": found["failures"], "baseline": baseline["failures"], "baseline_name": name})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--engines", nargs="*", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--users", type=int, nargs="*", default=list(USERS),
                        help="clients requesting back to back (each number a run of its own)")
    parser.add_argument("--seconds", type=int, default=15, help="seconds of load per endpoint")
    parser.add_argument("--keep", type=Path, help="keep the seeded stores here (SQLite files and a PostgreSQL "
                        "cluster) for the next run; default: SQLite stores in bench/.cache, PostgreSQL seeded anew")
    parser.add_argument("--endpoints", nargs="*", default=list(ENDPOINTS), choices=ENDPOINTS)
    parser.add_argument("--workers", type=int, default=2, help="server processes (watchfloor serve --workers)")
    args = parser.parse_args()
    rows = run(args.sizes, args.engines, args.seconds, args.users, args.keep, args.endpoints, args.workers)
    merge_rows(RESULTS / "serve.json", rows)
    print_rows("serve: watchfloor vs a bare FastAPI route, side by side", rows)


if __name__ == "__main__":
    main()
