"""Who gives a figure when no verb of saying governs it: a body that recorded or passed it on, a document
and its maker, a sentence that goes on with the source before it. Sentences are our own."""

from __future__ import annotations

import pytest

from watchfloor.analyze.claims import extract_claims
from watchfloor.analyze.dates import extract_dates
from watchfloor.analyze.entities import extract_mentions
from watchfloor.analyze.nlp import load_nlp
from watchfloor.analyze.quantities import extract_quantities
from watchfloor.model import Document

from .test_stance import _claims as _statements


def figure_sources(text: str) -> dict[float, str]:
    """Value of each figure -> the innermost source it is attributed to."""
    doc = load_nlp()(text)
    document = Document(id="f", text=text, title="", outlet="Figure Wire")
    mentions = extract_mentions(doc, "f")
    _, _, claims = extract_claims(doc, document, mentions, extract_dates(doc, "f", None), extract_quantities(doc, "f"))
    return {c.quantity.value: c.attributed_to[-1].name for c in claims
            if c.quantity is not None and c.quantity.value is not None}


@pytest.mark.parametrize(("text", "value", "source"), [
    ("The coast guard also recorded 11 fishing boats near the reef on Sunday.", 11, "coast guard"),
    ("The monitor received a report from a tanker about 40 nautical miles off the port.", 40, "monitor"),
    ("The navy published a map showing six zones where the exercise would take place.", 6, "navy"),
    ("Of those boats, 4 entered the bay, according to a map the ministry released.", 4, "ministry"),
])
def test_a_figure_recorded_or_passed_on_is_given_by_who_did_it(text: str, value: float, source: str) -> None:
    assert source in figure_sources(text)[value].lower()


def test_a_sentence_that_goes_on_with_the_source_before_it() -> None:
    text = ("The relief agency said that 52 people had been killed in the raid. "
            "Additionally, 30 houses were burned, including the clinic.")
    assert "relief agency" in figure_sources(text)[30].lower()
    # without the opening that says so, the outlet gives the figure
    plain = figure_sources("The relief agency said that 52 people had been killed. 30 houses were burned.")
    assert plain[30] == "Figure Wire"


def test_each_clause_of_a_semicolon_joined_sentence_has_its_own_speaker() -> None:
    found = figure_sources("The governor said that 300 people had fled; police said 6 officers had been hurt.")
    assert "governor" in found[300].lower() and "police" in found[6].lower()


def test_an_estimate_by_a_body_is_its_hedged_figure() -> None:
    claims = _statements("At least 90 people were killed, according to an estimate by the Red Crescent.")
    assert any("Red Crescent" in c.attributed_to[-1].name and c.modality.value == "hedged" for c in claims)
