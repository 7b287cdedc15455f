"""The load of ``make bench-serve``: each simulated client requests, back to back, URLs of one endpoint drawn
from the list the benchmark wrote (``WATCHFLOOR_BENCH_URLS``, one ``name<TAB>path`` per line)."""

from __future__ import annotations

import os
import random

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["WATCHFLOOR_BENCH_URLS"], encoding="utf-8") as _handle:
    _URLS = [line.split("\t", 1) for line in _handle.read().splitlines() if line.strip()]


class Reader(FastHttpUser):
    wait_time = constant(0)

    @task
    def read(self) -> None:
        name, path = random.choice(_URLS)
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
