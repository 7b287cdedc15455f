"""Who speaks, as real reports name speakers: a title before a name, a nationality before a body of people, a
dateline before the first sentence. Sentences are our own."""

from __future__ import annotations

import pytest

from watchfloor.analyze.attribution import find_attributions
from watchfloor.analyze.entities import extract_mentions
from watchfloor.analyze.nlp import load_nlp


def speakers(text: str) -> list[str]:
    doc = load_nlp()(text)
    return [f.record.chain[-1].name for f in find_attributions(doc, "t", list(extract_mentions(doc, "t")))]


@pytest.mark.parametrize(("text", "speaker"), [
    ("The maritime security firm Ambrey said a tanker was hit near the strait.", "Ambrey"),
    ("Former Brazilian president, Luiz Inacio Lula da Silva, said the talks had failed.", "Luiz Inacio Lula da Silva"),
    ("Egypt's state news agency MENA reported that the border crossing had reopened.", "MENA"),
])
def test_a_title_before_a_name_speaks_as_the_name(text: str, speaker: str) -> None:
    assert speaker in speakers(text)


@pytest.mark.parametrize(("text", "speaker"), [
    ("The Syrian military said its units had withdrawn from the town.", "Syrian military"),
    ("Ukrainian officials said the bridge had been damaged.", "Ukrainian officials"),
    ("Russian authorities said five villages had been evacuated.", "Russian authorities"),
])
def test_a_body_named_by_its_nationality_is_not_the_country(text: str, speaker: str) -> None:
    assert speakers(text) == [speaker]


@pytest.mark.parametrize(("text", "speaker"), [
    ("NEW DELHI, India (Wire) -India's Tata said on Monday the plant had not been sold.", "Tata"),
    ("SAO PAULO, Brazil (Wire) -Brazil's Embraer said on Friday the jets were not delivered.", "Embraer"),
])
def test_a_dateline_is_not_the_speaker(text: str, speaker: str) -> None:
    assert speakers(text) == [speaker]


def test_it_goes_on_with_the_body_that_spoke_before_not_a_name_in_its_quote() -> None:
    text = ("The drills began at dawn, the coast guard said.\n\n"
            "\"Beijing's account of the incident is a complete departure from the truth,\" it said.")
    assert speakers(text)[-1] == "coast guard"


def test_it_is_the_body_that_was_the_subject_just_before() -> None:
    text = ("Diplomats said the talks could resume in May. The Dutch foreign ministry welcomed the plan. "
            "It accused the militia of stalling the talks.")
    assert speakers(text)[-1] == "Dutch foreign ministry"


def test_a_quote_closed_by_a_single_mark_is_still_a_quote() -> None:
    doc = load_nlp()("“The rifles were not ours. They only carried our mark,’ the company's founder told reporters.")
    found = find_attributions(doc, "t", list(extract_mentions(doc, "t")))
    assert any(f.record.content.text.startswith("“The rifles were not ours") for f in found)
