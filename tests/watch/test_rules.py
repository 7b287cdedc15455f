"""Watch rules: the TOML language, matching over typed records, de-duplication and delivery."""

from __future__ import annotations

import io
import json
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from watchfloor.errors import ConfigError
from watchfloor.watch.alerts import Alerting, JsonlOutput, StdoutOutput, WebhookOutput
from watchfloor.watch.match import match_rules, record_matches
from watchfloor.watch.rules import Rule, parse_rules
from watchfloor.watch.state import JournalState
from watchfloor.watch.view import EntityView, PictureDelta, QuantityView, RecordView, StatusChange

NOW = datetime(2024, 11, 5, 12, tzinfo=UTC)
DENMARK = EntityView("country:dk", "Denmark", ("Danish", "Copenhagen"))
ESTONIA = EntityView("country:ee", "Estonia", ("Tallinn",))


def _figure(record_id: str, value: float, docs: tuple[str, ...], status: str = "single_source") -> RecordView:
    return RecordView(kind="claim", id=record_id, text=f"{value:,.0f} Danish troops were in Estonia", status=status,
                      modality="asserted", polarity="positive", sources=("Test Herald",), independent_sources=1,
                      doc_ids=docs, evidence=(f"Officials said {value:,.0f} Danish troops were in Estonia.",),
                      attributed_to=(ESTONIA,), subject=DENMARK, quantity=QuantityView(value, None, None, "troop"))


def _mobilize(status: str, sources: int, docs: tuple[str, ...]) -> RecordView:
    return RecordView(kind="event", id="e1", text="The Danish army mobilized two brigades.", status=status,
                      modality="asserted", polarity="positive", sources=("A", "B")[:sources],
                      independent_sources=sources, doc_ids=docs, actors=(EntityView(**{**DENMARK.__dict__,
                                                                                       "role": "source"}),),
                      event_type="MOBILIZE")


RULES = """
[[rule]]
name = "troop estimates"
kind = "claim"
subject = "denmark"
unit = ["troop"]
keywords = ["Estonia"]

[[rule]]
name = "big figure"
kind = "claim"
above = 3000

[[rule]]
name = "corroborated mobilisation"
kind = "event"
event_type = ["mobilize"]
actor = ["Danish"]
role = "source"
status = ["corroborated"]

[[rule]]
name = "contested"
when = "becomes"
status = ["contested"]
entity = ["Copenhagen"]
"""


def test_rules_parse_and_report_mistakes() -> None:
    ruleset = parse_rules(RULES)
    assert [r.name for r in ruleset.rules] == ["troop estimates", "big figure", "corroborated mobilisation", "contested"]
    assert ruleset.rules[2].event_type == ("MOBILIZE",) and ruleset.rules[0].subject == ("denmark",)
    assert [o.name for o in ruleset.outputs] == ["stdout"]
    bad = {
        '[[rule]]\nname = "x"\nstatus = ["confirmed"]': "status 'confirmed' is not one of",
        '[[rule]]\nname = "x"\nwhen = "becomes"': "needs a status",
        '[[rule]]\nname = "x"\nkind = "claim"\nactor = ["A"]': "apply to events",
        '[[rule]]\nname = "x"\nabove = "ten"': "above must be a number",
        '[[rule]]\nname = "x"\ncolour = "red"': "unknown condition 'colour'",
        '[[rule]]\nname = "x"\n[[rule]]\nname = "x"': "two rules are named 'x'",
        '[[rule]]\nname = "x"\n[[output]]\ntype = "webhook"\nurl = "ftp://x"': "webhook output needs url",
        '[[rule]]\nname = "x"\n[[output]]\ntype = "webhook"\nurl = "http://[x"': "webhook output needs url",
        '[[output]]\ntype = "stdout"': "no [[rule]] tables",
        "[[rule]\n": "not valid TOML",
    }
    for text, message in bad.items():
        with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("(", r"\(")):
            parse_rules(text)


def test_conditions() -> None:
    figure = _figure("c1", 3500, ("d1",))
    assert record_matches(Rule("r", subject=("Danish",), unit=("troops",)), figure) is False  # units as recorded
    assert record_matches(Rule("r", subject=("country:dk",), unit=("troop",), above=3000), figure)
    assert not record_matches(Rule("r", above=3500), figure) and record_matches(Rule("r", below=3501), figure)
    assert record_matches(Rule("r", attributed_to=("tallinn",)), figure)
    assert not record_matches(Rule("r", keywords=("stonia",)), figure)  # whole words only
    assert record_matches(Rule("r", keywords=("ESTONIA",)), figure)
    assert not record_matches(Rule("r", kind="event"), figure)
    assert not record_matches(Rule("r", modality=("denied",)), figure)
    assert not record_matches(Rule("r", min_sources=2), figure)
    assert not record_matches(Rule("r", actor=("Denmark",), role="target"), _mobilize("corroborated", 2, ("d1",)))


def test_each_match_alerts_once() -> None:
    rules = parse_rules(RULES).rules
    # batch 1: one estimate, a mobilisation reported once
    first = PictureDelta(frozenset({"d1"}), (_figure("c1", 2000, ("d1",)), _mobilize("single_source", 1, ("d1",))))
    alerts = match_rules(rules, first, NOW)
    assert [(a.rule, a.record_id, a.reason) for a in alerts] == [("troop estimates", "c1", "new")]
    # batch 2: a competing estimate makes both contested; a second outlet corroborates the mobilisation
    second = PictureDelta(
        frozenset({"d2"}),
        (_figure("c1", 2000, ("d1",), "contested"), _figure("c2", 3500, ("d2",), "contested"),
         _mobilize("corroborated", 2, ("d1", "d2"))),
        changes=(StatusChange("c1", "single_source", "contested"), StatusChange("c2", None, "contested"),
                 StatusChange("e1", "single_source", "corroborated")))
    found = {(a.rule, a.record_id, a.reason) for a in match_rules(rules, second, NOW)}
    assert found == {
        ("troop estimates", "c2", "new"),
        ("big figure", "c2", "new"),
        ("corroborated mobilisation", "e1", "new report of a known record"),
        ("contested", "c1", "became contested (was single source)"),
        ("contested", "c2", "became contested (was new)"),
    }
    outbox = JournalState()
    alerting = Alerting(rules, [StdoutOutput(io.StringIO())], outbox)
    assert len(alerting.evaluate(first, NOW)) == 1
    assert len(alerting.evaluate(second, NOW)) == 5
    # the same batches seen again (a restart before the rules' position was saved): nothing new
    assert alerting.evaluate(first, NOW) == [] and alerting.evaluate(second, NOW) == []
    # a third report of the known estimate is not a new estimate; every report rule would fire
    third = PictureDelta(frozenset({"d3"}), (_figure("c2", 3500, ("d2", "d3"), "contested"),))
    assert alerting.evaluate(third, NOW) == []
    every = Rule("every report", kind="claim", when="report", subject=("Denmark",))
    assert [a.doc_ids for a in match_rules([every], third, NOW)] == [("d3",)]


def test_outputs_stdout_and_jsonl(tmp_path: Path) -> None:
    stream = io.StringIO()
    path = tmp_path / "out" / "alerts.jsonl"
    outbox = JournalState(tmp_path / "state.jsonl")
    alerting = Alerting(parse_rules(RULES).rules, [StdoutOutput(stream), JsonlOutput(path)], outbox)
    delta = PictureDelta(frozenset({"d1"}), (_figure("c1", 4000, ("d1",)),))
    alerting.evaluate(delta, NOW)
    report = alerting.deliver()
    assert report.delivered == 4 and report.waiting == 0
    assert stream.getvalue().count("ALERT [") == 2 and "ALERT [big figure] new: 4,000 Danish troops" in stream.getvalue()
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    assert [x["rule"] for x in lines] == ["troop estimates", "big figure"]
    assert lines[0]["type"] == "watchfloor-alert" and lines[0]["doc_ids"] == ["d1"]
    assert alerting.deliver().delivered == 0  # delivered once, also after a restart:
    again = Alerting(parse_rules(RULES).rules, [JsonlOutput(path)], JournalState(tmp_path / "state.jsonl"))
    assert again.deliver().delivered == 0 and len(path.read_text().splitlines()) == 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_webhook_down_at_first_gets_each_alert_once(tmp_path: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/hook"
    outbox = JournalState(tmp_path / "state.jsonl")
    alerting = Alerting(parse_rules(RULES).rules, [WebhookOutput(url, retries=2, backoff=0.01)], outbox)
    alerting.evaluate(PictureDelta(frozenset({"d1"}), (_figure("c1", 4000, ("d1",)),)), NOW)
    down = alerting.deliver()  # nobody listens yet: retried, then kept
    assert (down.delivered, down.waiting) == (0, 2)

    received: list[tuple[str, dict]] = []
    answers = iter([503])  # up, but its first answer is an error: retried at once

    def hook(request: Request) -> Response:
        received.append((request.headers["Idempotency-Key"], request.get_json()))
        return Response("", status=next(answers, 204))

    receiver = HTTPServer(host="127.0.0.1", port=port)
    receiver.expect_request("/hook", method="POST").respond_with_handler(hook)
    receiver.start()
    try:
        alerting.evaluate(PictureDelta(frozenset({"d2"}), (_figure("c2", 5000, ("d2",)),)), NOW)
        up = alerting.deliver()
        assert (up.delivered, up.waiting) == (4, 0)
        assert Alerting(parse_rules(RULES).rules, [WebhookOutput(url)], JournalState(tmp_path / "state.jsonl")
                        ).deliver().delivered == 0  # a restarted watcher sends nothing again
    finally:
        receiver.stop()
    keys = [key for key, _ in received]
    assert len(keys) == 5 and len(set(keys)) == 4  # the one 503'd POST was sent again, every other once
    assert [body["record_id"] for _, body in received][-4:] == ["c1", "c1", "c2", "c2"]  # oldest first


def test_a_country_matches_the_bodies_described_as_its_own() -> None:
    army = EntityView("organization:dk-military", "Danish military", ("the Danish army",), role="source")
    event = RecordView(kind="event", id="e2", text="The Danish army mobilized two brigades.", status="single_source",
                       modality="asserted", polarity="positive", sources=("Herald",), independent_sources=1,
                       doc_ids=("d1",), event_type="MOBILIZE", actors=(army,))
    assert record_matches(Rule("r", kind="event", actor=("Denmark",)), event)
    assert record_matches(Rule("r", kind="event", actor=("DENMARK",), role="source"), event)
    assert not record_matches(Rule("r", kind="event", actor=("Estonia",)), event)
    assert not record_matches(Rule("r", kind="event", actor=("Denmark",), role="target"), event)
    post = RecordView(**{**event.__dict__, "actors": (EntityView("organization:washington-post", "Washington Post"),)})
    assert not record_matches(Rule("r", kind="event", actor=("United States",)), post)  # a name, not a body


@pytest.mark.parametrize(("description", "country"), [
    ("US officials", "country:us"), ("the Danish army", "country:dk"), ("Seoul's spy agency", "country:kr"),
    ("South Korean officials", "country:kr"), ("Ukraine's defence ministry", "country:ua"),
    ("Washington Post", None), ("American Airlines", None), ("Denmark", None), ("armed forces", None),
])
def test_the_country_a_description_belongs_to(description: str, country: str | None) -> None:
    from watchfloor.analyze.gazetteer import gazetteer

    owner = gazetteer().owner(description)
    assert (owner.key if owner else None) == country
