"""Alerts out: standard output, a JSON Lines file, or a webhook (an HTTP POST of the alert as JSON).

Delivery goes through the outbox: an alert is marked delivered to an output only once that output took
it, so an output that is down gets it later (in order), and an output never gets it twice from us. A
webhook is retried with exponential backoff (tenacity) and carries the alert key in ``Idempotency-Key``,
so a receiver can drop a copy sent again after a crash between its answer and our record of it.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TextIO

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from .. import codec
from ..errors import WatchfloorError
from .match import match_rules
from .records import Alert
from .rules import OutputSpec, Rule
from .state import AlertOutbox, WatchState
from .view import PictureDelta

__all__ = ["AlertOutput", "Alerting", "DeliveryError", "JsonlOutput", "StdoutOutput", "WebhookOutput",
           "alert_json", "make_output"]

log = logging.getLogger("watchfloor.watch")


class DeliveryError(WatchfloorError):
    """An output could not take an alert; it stays in the outbox for the next try."""


def alert_json(alert: Alert) -> dict[str, Any]:
    return {"type": "watchfloor-alert", **codec.dump(alert)}


class AlertOutput(Protocol):
    name: str

    def send(self, alert: Alert) -> None:
        """Deliver one alert or raise :class:`DeliveryError`."""


class StdoutOutput:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.name = "stdout"
        self.stream = stream

    def send(self, alert: Alert) -> None:
        stream = self.stream or sys.stdout
        links = f" {' '.join(alert.urls)}" if alert.urls else ""
        stream.write(f"ALERT [{alert.rule}] {alert.reason}: {alert.summary}{links}\n")
        stream.flush()


class JsonlOutput:
    def __init__(self, path: Path) -> None:
        self.name = f"jsonl:{path}"
        self.path = path

    def send(self, alert: Alert) -> None:
        line = json.dumps(alert_json(alert), ensure_ascii=False) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise DeliveryError(f"cannot append to {self.path}: {exc}") from exc


class _Retry(Exception):
    pass


class WebhookOutput:
    """POST each alert as JSON; 2xx is delivered, 429/5xx/connection failures are retried, other 4xx fail."""

    def __init__(self, url: str, retries: int = 4, backoff: float = 0.5, timeout: float = 10.0,
                 stop: threading.Event | None = None) -> None:
        self.name = f"webhook:{url}"
        self.url = url
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.stop = stop or threading.Event()

    def _post(self, client: httpx.Client, alert: Alert) -> None:
        try:
            response = client.post(self.url, json=alert_json(alert), headers={"Idempotency-Key": alert.key})
        except httpx.HTTPError as exc:
            raise _Retry(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise _Retry(f"HTTP {response.status_code}")
        if response.status_code >= 300:
            raise DeliveryError(f"webhook {self.url} refused the alert: HTTP {response.status_code}")

    def _sleep(self, seconds: float) -> None:
        self.stop.wait(seconds)

    def send(self, alert: Alert) -> None:
        retrying = Retrying(stop=stop_after_attempt(self.retries + 1),
                            wait=wait_exponential(multiplier=self.backoff, max=30),
                            retry=retry_if_exception_type(_Retry), sleep=self._sleep, reraise=True)
        with httpx.Client(timeout=self.timeout, trust_env=False, follow_redirects=False) as client:
            try:
                retrying(self._post, client, alert)
            except _Retry as exc:
                raise DeliveryError(f"webhook {self.url} unreachable after {self.retries + 1} tries ({exc})") from exc


def make_output(spec: OutputSpec, stop: threading.Event | None = None, backoff: float = 0.5) -> AlertOutput:
    if spec.type == "jsonl":
        assert spec.path is not None
        return JsonlOutput(Path(spec.path))
    if spec.type == "webhook":
        assert spec.url is not None
        return WebhookOutput(spec.url, stop=stop, backoff=backoff)
    return StdoutOutput()


@dataclass
class AlertReport:
    raised: int = 0  # new alerts recorded in the outbox
    delivered: int = 0
    waiting: int = 0  # still undelivered to some output


class Alerting:
    """The rules and where their alerts go; run after every stored batch."""

    def __init__(self, rules: Sequence[Rule], outputs: Sequence[AlertOutput], outbox: AlertOutbox) -> None:
        self.rules = tuple(rules)
        self.outputs = tuple(outputs)
        self.outbox = outbox

    def evaluate(self, delta: PictureDelta, now: datetime) -> list[Alert]:
        """Match the rules and record the new alerts (those whose key the outbox has not seen)."""
        return self.outbox.add_alerts(match_rules(self.rules, delta, now), [o.name for o in self.outputs])

    def deliver(self) -> AlertReport:
        """Send every waiting alert to each output, in order; an output that fails keeps the rest for later."""
        report = AlertReport()
        for output in self.outputs:
            waiting = self.outbox.undelivered(output.name)
            for index, alert in enumerate(waiting):
                try:
                    output.send(alert)
                except DeliveryError as exc:
                    log.warning("alert delivery to %s failed: %s (%d alert(s) kept for the next try)",
                                output.name, exc, len(waiting) - index)
                    report.waiting += len(waiting) - index
                    break
                self.outbox.mark_delivered(output.name, [alert.key])
                report.delivered += 1
        return report

    def run(self, state: WatchState, delta: PictureDelta, now: datetime) -> AlertReport:
        fresh = self.evaluate(delta, now)
        state.clear_pending(sorted(delta.new_doc_ids), delta.position)
        report = self.deliver()
        report.raised = len(fresh)
        return report
