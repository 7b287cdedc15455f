"""Event types read from the frame around a trigger (``event_frames``) and the lexicon's newer entries, on
sentences written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.analyze.events import event_candidates, plover_type
from watchfloor.analyze.modality import classify
from watchfloor.analyze.nlp import load_nlp


def _types(text: str) -> dict[str, str]:
    found = {}
    for candidate in event_candidates(load_nlp()(text)):
        found[candidate.trigger.text] = plover_type(candidate, *classify(candidate.trigger))[0]
    return found


@pytest.mark.parametrize(("text", "trigger", "expected"), [
    ("A roadside mine killed three soldiers near the border on Monday.", "killed", "FIGHT"),
    ("Gunmen killed three villagers near the border on Monday.", "killed", "ASSAULT"),
    ("Militiamen attacked a camp of refugees outside the town.", "attacked", "ASSAULT"),
    ("Government troops attacked rebel positions outside the town.", "attacked", "FIGHT"),
    ("The two foreign ministers returned to Vienna on Monday for talks on the dispute.", "returned", "CONSULT"),
    ("Polish and Lithuanian warships launched ten days of exercises in the Baltic.", "launched", "COOPERATE"),
    ("The Polish navy launched ten days of exercises in the Baltic.", "launched", "MOBILIZE"),
    ("The rebel commanders have sworn to fight until the capital falls.", "sworn", "THREATEN"),
    ("The army prepared to resume shelling the northern districts.", "prepared", "MOBILIZE"),
    ("The government lifted the curfew in the eastern province.", "lifted", "CONCEDE"),
    ("The agency will withdraw its inspectors from the plant.", "withdraw", "THREATEN"),
    ("The president reneged on his promise of early elections.", "reneged", "REJECT"),
    ("Protesters blocked traffic into the capital on Tuesday.", "blocked", "PROTEST"),
])
def test_frame_changes_the_type(text: str, trigger: str, expected: str) -> None:
    assert _types(text).get(trigger) == expected, _types(text)


def test_a_demand_without_a_demand_verb_is_made_by_the_speaker() -> None:
    doc = load_nlp()("The Red Crescent said the warring parties must open the roads to the city.")
    requests = [c for c in event_candidates(doc) if c.type == "REQUEST"]
    assert [c.trigger.text for c in requests] == ["open"]
    assert [t.text for t in requests[0].sources] == ["Crescent"]
    assert [t.text for t in requests[0].targets] == ["parties"]


def test_a_finding_is_a_statement_not_an_event() -> None:
    assert "concluded" not in _types("The inquiry concluded that the ministry had ignored the warnings.")
