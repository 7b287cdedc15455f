"""The watcher's state and alert outbox in the store, on both engines: what a restart reads back, two watchers on
one store alerting once, and the journal an earlier watchfloor kept, imported once."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from watchfloor import codec
from watchfloor.cli import app
from watchfloor.store import open_store
from watchfloor.watch.records import Alert, SeenItem, SourceState
from watchfloor.watch.run import watch_state_for
from watchfloor.watch.stored import StoreState

from .versions import set_version_sql

NOW = datetime(2024, 11, 4, 9, tzinfo=UTC)
FEED = "https://feed.example/rss.xml"


def _alert(key: str, record: str = "c1") -> Alert:
    return Alert(key=key, rule="troops", kind="claim", record_id=record, reason="new", summary=f"summary {key}",
                 status="single_source", sources=("Herald",), doc_ids=("d1",), urls=(), created_at=NOW)


def test_state_survives_a_restart(location: str) -> None:
    with open_store(location, "create") as store:
        state = StoreState(store)
        assert state.source(FEED) is None and state.rules_position() is None
        state.record_poll(SourceState(FEED, outlet="Herald", tlp="amber", etag='"v1"', last_success=NOW, polls=1,
                                      items_seen=2, documents_added=1),
                          [SeenItem(FEED, "a", "https://feed.example/a", "d1", None, NOW),
                           SeenItem(FEED, "b", None, None, "no article text", NOW)], ["d1"])
        state.record_poll(SourceState("https://other.example/", outlet="Post", polls=1), [], ["d2", "d1"])
        # the fetch threads ask at the same time, each on a connection of its own
        answers: list[list[str]] = []
        threads = [threading.Thread(target=lambda: answers.append(state.unseen(FEED, ["c", "a", "b", "d"])))
                   for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert answers == [["c", "d"]] * 4
        state.clear_pending(["d1"], "2024-11-04T09:00:00+00:00")
    with open_store(location, "write") as store:  # a restarted watcher
        state = StoreState(store)
        known = state.source(FEED)
        assert known is not None and (known.etag, known.tlp, known.last_success, known.items_seen) == (
            '"v1"', "amber", NOW, 2)
        assert [s.outlet for s in state.sources()] == ["Herald", "Post"]  # in the order first polled
        assert state.pending_documents() == ["d2"] and state.rules_position() == "2024-11-04T09:00:00+00:00"
        with store.read() as reader:
            (row, _) = reader.watch_sources()
            assert (row.outlet, row.last_success, row.items_seen) == ("Herald", NOW.isoformat(), 2)
        state.record_poll(replace(known, last_error="HTTP 503", last_error_at=NOW, failures=1), [], [])
    stats = CliRunner().invoke(app, ["stats", "--db", location], env={"COLUMNS": "200"})
    assert stats.exit_code == 0, stats.output
    # the items above name documents no store holds (this test stores none): the integrity check says so
    check = CliRunner().invoke(app, ["stats", "--check", "--db", location])
    assert check.exit_code == 1 and "rows of watch_pending name a document that is not stored" in check.output
    herald = next(line for line in stats.output.splitlines() if "Herald" in line)
    assert "2024-11-04 09:00:00" in herald and "2024-11-04 09:00 HTTP 503" in herald and herald.rstrip(" │").endswith("2")


def test_two_watchers_on_one_store_alert_once(location: str) -> None:
    """Each watcher has its own connection pool, as two processes would; the alert key and the delivery claims
    are all that keeps them from alerting twice."""
    with open_store(location, "create") as first_store, open_store(location, "write") as second_store:
        first, second = StoreState(first_store), StoreState(second_store)
        start = threading.Barrier(2)
        raised: dict[str, list[Alert]] = {}

        def raise_alerts(name: str, state: StoreState) -> None:
            start.wait()
            raised[name] = state.add_alerts([_alert("k1"), _alert("k2", "c2")], ["stdout", "webhook"])

        threads = [threading.Thread(target=raise_alerts, args=item) for item in (("a", first), ("b", second))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(len(found) for found in raised.values()) == [0, 2]  # one of them raised both, the other none
        assert [a.key for a in first.alerts()] == ["k1", "k2"]

        held = first.claim("webhook")  # the first watcher is sending k1...
        assert held is not None and held.key == "k1"
        other = second.claim("webhook")  # ...so the second takes k2, never k1
        assert other is not None and other.key == "k2"
        assert second.claim("webhook") is None
        first.release("webhook", ["k1"])  # k1 could not be delivered: free for the next try, by anyone
        again = second.claim("webhook")
        assert again is not None and again.key == "k1"
        second.mark_delivered("webhook", ["k1", "k2"])
        assert first.undelivered("webhook") == [] and [a.key for a in first.undelivered("stdout")] == ["k1", "k2"]
        assert first.claim("webhook") is None and second.claim("webhook") is None


def _line(entry: dict[str, object]) -> str:
    return json.dumps(entry) + "\n"


def test_an_earlier_journal_is_imported_once(location: str, tmp_path: Path) -> None:
    journal = tmp_path / "desk.db.watch.jsonl"
    source = codec.dump(SourceState(FEED, outlet="Herald", tlp="green", etag='"v3"', last_polled=NOW, polls=3))
    journal.write_text(
        _line({"op": "poll", "state": source, "items": ["a", "b"], "pending": ["d1", "d2"]})
        + _line({"op": "clear", "docs": ["d1"], "position": "p7"})
        + _line({"op": "alerts", "alerts": [codec.dump(_alert("k1")), codec.dump(_alert("k2"))],
                 "outputs": ["stdout", "jsonl:a.jsonl"]})
        + _line({"op": "delivered", "output": "stdout", "keys": ["k1", "k2"]})
        + _line({"op": "delivered", "output": "jsonl:a.jsonl", "keys": ["k1"]})
        + '{"op":"poll","state":{"key":"' + FEED + '","polls":4')  # a crash mid-write: never happened
    with open_store(location, "create") as store:
        state = watch_state_for(store, journal)
        known = state.source(FEED)
        assert known is not None and (known.polls, known.etag, known.outlet) == (3, '"v3"', "Herald")
        assert state.unseen(FEED, ["a", "b", "c"]) == ["c"]
        assert state.pending_documents() == ["d2"] and state.rules_position() == "p7"
        assert [a.key for a in state.alerts()] == ["k1", "k2"]
        assert state.undelivered("stdout") == [] and [a.key for a in state.undelivered("jsonl:a.jsonl")] == ["k2"]
        assert not journal.exists() and (tmp_path / "desk.db.watch.jsonl.imported").exists()
        (tmp_path / "desk.db.watch.jsonl.imported").rename(journal)  # the same file again: nothing is doubled
        state = watch_state_for(store, journal)
        assert len(state.alerts()) == 2 and state.source(FEED).polls == 3  # type: ignore[union-attr]


def test_a_sources_files_reliability_grades_the_outlet_only_when_set_or_changed(location: str) -> None:
    from watchfloor.link.regrade import set_grades
    from watchfloor.watch.session import grade_outlets
    from watchfloor.watch.sources import parse_sources

    def sources(grade: str) -> tuple:
        return parse_sources(f'[[source]]\nurl = "{FEED}"\noutlet = "Herald"\ntlp = "clear"\nreliability = "{grade}"\n'
                             '[[source]]\nurl = "https://post.example/"\noutlet = "Post"\ntlp = "clear"\n')[1]

    with open_store(location, "create") as store:
        state = StoreState(store)
        assert grade_outlets(store, state, sources("b"), "sources file S.toml") == [("Herald", "B")]
        with store.read() as r:
            herald = r.source_grade("Herald")
            assert herald is not None and (herald.grade, herald.set_by) == ("B", "sources file S.toml")
            assert r.source_grade("Post") is None  # no reliability given: the default F grades nothing
        assert grade_outlets(store, state, sources("B"), "sources file S.toml") == []  # unchanged: nothing again
        with store.write() as w:  # an analyst grades the outlet since
            set_grades(w, [("Herald", "D")], "anna", NOW.isoformat())
        assert grade_outlets(store, state, sources("B"), "sources file S.toml") == []
        with store.read() as r:
            assert r.source_grade("Herald").grade == "D"  # type: ignore[union-attr]
        assert grade_outlets(store, state, sources("C"), "sources file S.toml") == [("Herald", "C")]  # changed
        with store.read() as r:
            assert r.source_grade("Herald").grade == "C"  # type: ignore[union-attr]
        assert state.source(FEED).polls == 0  # type: ignore[union-attr]  # graded, not polled


def test_a_version_7_store_gets_the_watch_tables(location: str) -> None:
    from sqlalchemy import inspect, text

    from watchfloor.store.migrations import LATEST

    names = ("watch_sources", "watch_items", "watch_pending", "alerts", "alert_deliveries", "linked_rows")
    with open_store(location, "create") as store, store.write() as w:
        for name in names:
            w.connection.execute(text(f"DROP TABLE {name}"))
        w.connection.execute(text(set_version_sql(w.engine, 7)))
    with open_store(location, "write") as store:
        assert store.schema_version() == LATEST
        with store.read() as r:
            assert set(names) <= set(inspect(r.connection).get_table_names())
        state = StoreState(store)
        assert state.add_alerts([_alert("k1")], ["stdout"]) and state.sources() == []


def test_two_watchers_raising_and_delivering_at_once_write_each_alert_once(location: str, tmp_path: Path) -> None:
    """The same batch matched by two watchers at the same moment, both delivering to the same JSON Lines file."""
    from watchfloor.watch.alerts import Alerting, JsonlOutput
    from watchfloor.watch.rules import parse_rules
    from watchfloor.watch.view import PictureDelta, QuantityView, RecordView

    rules = parse_rules('[[rule]]\nname = "big"\nkind = "claim"\nabove = 100\n').rules
    records = tuple(RecordView(kind="claim", id=f"c{n}", text=f"{1000 + n} workers", status="single_source",
                               modality="asserted", polarity="positive", sources=("Herald",), independent_sources=1,
                               doc_ids=(f"d{n}",), quantity=QuantityView(1000.0 + n, None, None, "worker"))
                    for n in range(12))
    delta = PictureDelta(frozenset(f"d{n}" for n in range(12)), records)
    out = tmp_path / "alerts.jsonl"
    with open_store(location, "create") as first_store, open_store(location, "write") as second_store:
        start = threading.Barrier(2)
        raised: list[int] = []

        def watch(store: object) -> None:
            alerting = Alerting(rules, [JsonlOutput(out)], StoreState(store))  # type: ignore[arg-type]
            start.wait()
            report = alerting.run(StoreState(store), delta, NOW)  # type: ignore[arg-type]
            raised.append(report.raised)

        threads = [threading.Thread(target=watch, args=(s,)) for s in (first_store, second_store)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    keys = [json.loads(line)["key"] for line in out.read_text().splitlines()]
    assert sum(raised) == 12 and len(keys) == 12 == len(set(keys))  # every alert raised once, written once
