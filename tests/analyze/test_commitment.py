"""Denials without "deny", non-commitments without "declined to confirm", hedges without modal verbs, and
plans stated as readiness. Sentences are our own."""

from __future__ import annotations

import pytest

from watchfloor.model import Modality

from .test_stance import _claims, _stance


@pytest.mark.parametrize(("text", "content"), [
    ("\"That is incorrect,\" one of the ministry officials said.", "That is incorrect"),
    ("The spokesman said the report wasn't true.", "the report"),
    ("\"Their claim is a complete departure from the truth,\" the ministry said.", "departure from the truth"),
    ("The embassy called the reports mere talk.", "mere talk"),
    ("\"These accusations are lies,\" the minister said.", "lies"),
])
def test_a_judgement_of_the_report_is_a_denial(text: str, content: str) -> None:
    assert _stance(text, content)[:2] == (Modality.DENIED, "negative")


def test_a_judgement_of_an_act_is_no_denial() -> None:
    assert _stance("The mayor said it was wrong to close the market.", "wrong")[:2] != (Modality.DENIED, "negative")


@pytest.mark.parametrize(("text", "content", "speaker"), [
    ("\"There is no need to confirm it,\" the palace said.", "no need to confirm", "palace"),
    ("It remains to be seen whether the pipeline will reopen, the operator said.", "remains to be seen", "operator"),
    ("There is contradictory information about the convoy, the ministry said.", "contradictory information",
     "ministry"),
    ("The governor said the fate of the fishermen was unknown.", "fate of the fishermen", "governor"),
    ("The founder said he did not know how the devices had been altered.", "did not know", "founder"),
    ("The rebels did not immediately claim the attack.", "the attack", "rebels"),
    ("The militia has yet to claim responsibility for the blast.", "responsibility", "militia"),
    ("The agency was unable to immediately confirm the report.", "the report", "agency"),
    ("The command did not say when the exercise would end.", "exercise would end", "command"),
    ("The army said it repelled the raid, without reporting its own losses.", "its own losses", "army"),
    ("The navy started the drills on Monday and offered no date for their end.", "no date", "navy"),
    ("The ministry has not publicly responded to the accusation.", "the accusation", "ministry"),
])
def test_a_source_that_leaves_the_matter_open_takes_no_side(text: str, content: str, speaker: str) -> None:
    modality, polarity, source = _stance(text, content)
    assert (modality, polarity) == (Modality.ASSERTED, "uncommitted")
    assert speaker in source.lower()


@pytest.mark.parametrize(("text", "content", "modality"), [
    ("\"We hope that the bridge will be repaired soon,\" the mayor said.", "bridge will be repaired", Modality.HEDGED),
    ("The agency said it had indications that the group plans to strike again.", "indications", Modality.HEDGED),
    ("The minister said the rebels were likely to attack the port.", "attack the port", Modality.HEDGED),
    ("The government said it was ready to resume the talks.", "resume the talks", Modality.PLANNED),
    ("The navy says it reserves the right to board the ships.", "reserves the right", Modality.PLANNED),
    ("The opposition leader repeated his claims that the vote had been rigged.", "had been rigged",
     Modality.ALLEGED),
])
def test_hedges_plans_and_claims_without_modal_verbs(text: str, content: str, modality: Modality) -> None:
    assert _stance(text, content)[0] is modality


def test_condemning_is_an_assertion_not_an_accusation() -> None:
    claims = _claims("The council condemned the shelling of the hospital.")
    assert claims and all(c.modality is Modality.ASSERTED for c in claims)


@pytest.mark.parametrize(("text", "content"), [
    ("“The drones were not ours. They only carried our logo,” the firm's founder told reporters.", "not ours"),
    ("“That is simply false,” the spokeswoman said. “We never received any such warning.”", "simply false"),
    ("\"I am at my desk and I have not fled,\" the minister said in a video.", "have not fled"),
])
def test_each_proposition_of_a_quotation_keeps_its_own_stance(text: str, content: str) -> None:
    assert _stance(text, content)[1] == "negative"


@pytest.mark.parametrize(("text", "content"), [
    ("The envoy said that the story wasn’t true.", "the story"),  # a curly apostrophe the parser takes apart
    ("The letter says that “at no point did I consider leaving the country”.", "at no point"),
])
def test_negations_the_parser_misreads_are_still_negations(text: str, content: str) -> None:
    assert _stance(text, content)[1] == "negative"
