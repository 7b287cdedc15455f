"""`watchfloor watch` end to end: a local server's feeds change between polls, the real pipeline stores
what they bring into a real store, rules raise alerts once, and a webhook that is down at first gets them."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from html import escape
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner
from werkzeug import Request, Response

from watchfloor.cli import app
from watchfloor.store import open_store

from .helpers import rss

REPORTS = {
    "est-1": ("Danish troops reach Estonia",
              "Norway's defence ministry said on Monday that about 2,000 Danish troops had arrived in Estonia for the "
              "winter exercise. The soldiers travelled by ferry and rail over the weekend, the ministry added."),
    "est-2": ("More Danish troops than announced",
              "Estonian officials said on Tuesday that 3,500 Danish troops were now in Estonia, more than had been "
              "announced. The officials gave no reason for the larger number and said the exercise would go on."),
    "mob-a": ("Danish army mobilizes brigades",
              "The Danish army mobilized two brigades on Monday, the defence ministry in Copenhagen said. Reservists "
              "were told to report to their barracks by the end of the week for training."),
    "mob-b": ("Copenhagen calls up reserves",
              "Denmark's army mobilized two brigades of reservists on Monday, according to a statement from the "
              "armed forces. Officers said the units would train near the western coast until spring."),
}

RULES = """
[[rule]]
name = "Danish troop estimates"
kind = "claim"
subject = ["Denmark"]
unit = ["troop"]
keywords = ["Estonia"]

[[rule]]
name = "figure above 3000"
kind = "claim"
unit = ["troop"]
above = 3000

[[rule]]
name = "estimate contested"
kind = "claim"
when = "becomes"
status = ["contested"]
subject = ["Denmark"]

[[rule]]
name = "mobilisation corroborated"
kind = "event"
event_type = ["MOBILIZE"]
actor = ["Denmark"]
status = ["corroborated"]

[[output]]
type = "jsonl"
path = "{jsonl}"

[[output]]
type = "webhook"
url = "{hook}"
"""


def _page(key: str) -> str:
    title, text = REPORTS[key]
    return (f"<html><head><title>{escape(title)}</title>"
            f'<meta property="article:published_time" content="2024-11-0{4 + list(REPORTS).index(key) % 2}T08:00:00Z">'
            f"</head><body><article><h1>{escape(title)}</h1><p>{escape(text)}</p></article></body></html>")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(site: HTTPServer, feeds: dict[str, list[str]]) -> None:
    for name in ("herald", "post"):
        site.expect_request(f"/{name}.xml").respond_with_handler(
            lambda r, name=name: Response(rss([(k, site.url_for(f"/a/{k}"), "") for k in feeds[name]]),
                                          content_type="application/rss+xml"))
    for key in REPORTS:
        site.expect_request(f"/a/{key}").respond_with_data(_page(key), content_type="text/html")


def _files(tmp_path: Path, site: HTTPServer, hook: str) -> tuple[Path, Path]:
    sources = tmp_path / "SOURCES.toml"
    sources.write_text("[watch]\ndelay = 0.0\nbackoff = 0.01\nretries = 1\n\n"
                       f'[[source]]\nurl = "{site.url_for("/herald.xml")}"\noutlet = "Test Herald"\ntlp = "clear"\n'
                       'reliability = "b"\n\n'
                       f'[[source]]\nurl = "{site.url_for("/post.xml")}"\noutlet = "Harbour Post"\ntlp = "amber"\n')
    rules = tmp_path / "RULES.toml"
    rules.write_text(RULES.format(jsonl=tmp_path / "alerts.jsonl", hook=hook))
    return sources, rules


@pytest.mark.slow
def test_watch_once_stores_new_items_and_alerts_once(site: HTTPServer, tmp_path: Path) -> None:
    feeds = {"herald": ["est-1", "mob-a"], "post": []}
    _serve(site, feeds)
    port = _free_port()
    sources, rules = _files(tmp_path, site, f"http://127.0.0.1:{port}/hook")
    db = tmp_path / "desk.db"
    args = ["watch", str(sources), "--once", "--allow-private", "--db", str(db), "--rules", str(rules)]
    runner = CliRunner()

    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "polled 2 sources: 2 new items, 2 documents added" in first.output
    alerts = [json.loads(x) for x in (tmp_path / "alerts.jsonl").read_text().splitlines()]
    assert [a["rule"] for a in alerts] == ["Danish troop estimates"]

    feeds["herald"].append("est-2")  # a competing estimate, and a second outlet's report of the mobilisation
    feeds["post"].append("mob-b")
    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    assert "2 new items, 2 documents added" in second.output
    alerts = [json.loads(x) for x in (tmp_path / "alerts.jsonl").read_text().splitlines()]
    fired = sorted((a["rule"], a["reason"]) for a in alerts[1:])
    assert ("Danish troop estimates", "new") in fired
    assert ("figure above 3000", "new") in fired
    assert ("estimate contested", "became contested (was single source)") in fired
    assert any(rule == "mobilisation corroborated" for rule, _ in fired), fired

    received: list[str] = []

    def hook(request: Request) -> Response:
        received.append(request.headers["Idempotency-Key"])
        return Response("", status=204)

    receiver = HTTPServer(host="127.0.0.1", port=port)  # the webhook comes up only now
    receiver.expect_request("/hook", method="POST").respond_with_handler(hook)
    receiver.start()
    try:
        third = runner.invoke(app, args)
    finally:
        receiver.stop()
    assert third.exit_code == 0, third.output
    assert f"0 new items, 0 documents added, 0 already stored, 0 item errors, 0 left for the next poll; 0 alerts " \
           f"raised, {len(alerts)} delivered" in third.output
    assert sorted(received) == sorted(a["key"] for a in alerts)  # each alert once, none lost while it was down
    assert len((tmp_path / "alerts.jsonl").read_text().splitlines()) == len(alerts)

    with open_store(str(db), "read") as store, store.read() as reader:
        assert reader.count() == 4  # four articles over three polls, nothing stored twice
        outlets = sorted(d.outlet for d in reader.documents())
        assert {d.tlp.value for d in reader.documents()} == {"clear", "amber"}  # each source's level
    assert outlets == ["Harbour Post", "Test Herald", "Test Herald", "Test Herald"]

    status = runner.invoke(app, ["watch", str(sources), "--status", "--db", str(db)])
    assert status.exit_code == 0 and "Harbour" in status.output and "amber" in status.output
    listed = runner.invoke(app, ["alerts", "--db", str(db)])
    assert listed.exit_code == 0 and "figure above 3000" in listed.output
    check = runner.invoke(app, ["alerts", "--db", str(db), "--rules", str(rules), "--check"])
    assert check.exit_code == 0 and "Danish troop estimates" in check.output


@pytest.mark.slow
def test_sigterm_to_the_cli_mid_poll_then_restart(site: HTTPServer, tmp_path: Path) -> None:
    """The real command in its own process gets SIGTERM while an article is slow to come; it exits
    cleanly, and the next run stores every item exactly once."""
    feeds = {"herald": ["est-1", "mob-a", "est-2", "mob-b"], "post": []}
    arrived: list[float] = []
    site.clear()
    site.expect_request("/robots.txt").respond_with_data("", status=404)

    def slow_article(request: Request) -> Response:
        arrived.append(time.monotonic())
        time.sleep(1.5)
        return Response(_page("mob-a"), content_type="text/html")

    site.expect_request("/a/mob-a").respond_with_handler(slow_article)
    _serve(site, feeds)
    sources, _ = _files(tmp_path, site, "http://127.0.0.1:9/hook")
    db = tmp_path / "desk.db"
    command = [sys.executable, "-m", "watchfloor.cli", "watch", str(sources), "--once", "--allow-private", "--db", str(db)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 60
    while not arrived and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert arrived, process.communicate()
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "SIGTERM received" in err and "stopped before the end" in out
    with open_store(str(db), "create") as store:
        assert store.count() == 0  # the half-polled feed stored nothing...
    assert "est-1" not in (tmp_path / "desk.db.watch.jsonl").read_text()  # ...and recorded no item as handled

    again = CliRunner().invoke(app, ["watch", str(sources), "--once", "--allow-private", "--db", str(db)])
    assert again.exit_code == 0, again.output
    with open_store(str(db), "read") as store:
        assert store.count() == 4
