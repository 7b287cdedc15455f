"""Where a source stands on what it talks about: non-commitments ("declined to confirm"), denials that rebut
a charge, open questions, checks still under way, and forecasts or plans in the outlet's own voice.
Sentences are our own."""

from __future__ import annotations

import pytest

from watchfloor.analyze.claims import extract_claims
from watchfloor.analyze.dates import extract_dates
from watchfloor.analyze.entities import extract_mentions
from watchfloor.analyze.nlp import load_nlp
from watchfloor.analyze.quantities import extract_quantities
from watchfloor.model import Claim, Document, Modality


def _claims(text: str) -> list[Claim]:
    doc = load_nlp()(text)
    document = Document(id="stance", text=text, title="", outlet="Stance Wire")
    mentions = extract_mentions(doc, "stance")
    dates = extract_dates(doc, "stance", None)
    _, _, claims = extract_claims(doc, document, mentions, dates, extract_quantities(doc, "stance"))
    return [c for c in claims if c.kind == "statement"]


def _stance(text: str, content: str) -> tuple[Modality, str, str]:
    """(modality, polarity, innermost source) of the statement whose text holds ``content``."""
    matching = [c for c in _claims(text) if content.lower() in c.text.lower()]
    assert matching, (text, [c.text for c in _claims(text)])
    claim = min(matching, key=lambda c: len(c.text))
    return claim.modality, claim.polarity, claim.attributed_to[-1].name


@pytest.mark.parametrize(("text", "content", "speaker"), [
    ("The ministry has not confirmed the arrest of the two journalists.", "the arrest", "ministry"),
    ("The army declined to confirm or deny the strike on the depot.", "the strike", "army"),
    ("Officials in Ankara avoided confirming the number of detainees.", "the number", "Turkey"),
    ("The Herald could not independently verify the footage.", "the footage", "Herald"),
    ("Tomas Lind did not deny that his company had sold drones to the militia.", "had sold drones", "Tomas Lind"),
    ("The coalition said it was working to verify the casualty reports.", "casualty reports", "coalition"),
    ("The governor said it was not yet clear whether the dam would hold.", "whether the dam", "governor"),
])
def test_a_source_that_takes_no_side_is_uncommitted(text: str, content: str, speaker: str) -> None:
    modality, polarity, source = _stance(text, content)
    assert (modality, polarity) == (Modality.ASSERTED, "uncommitted")
    assert speaker.lower() in source.lower()


@pytest.mark.parametrize(("text", "speaker"), [
    ("There was no immediate comment from the Interior Ministry.", "Interior Ministry"),
    ("The port authority did not respond to a request for comment.", "port authority"),
    ("Lena Ortiz declined to comment on the audit.", "Lena Ortiz"),
])
def test_no_comment_is_an_uncommitted_statement_of_the_party(text: str, speaker: str) -> None:
    claims = _claims(text)
    assert any(c.polarity == "uncommitted" and c.modality is Modality.ASSERTED
               and speaker.lower() in c.attributed_to[-1].name.lower() for c in claims), claims


def test_saying_ones_conduct_does_not_do_what_is_charged_is_a_denial() -> None:
    modality, polarity, _ = _stance("Officials in Minsk said the exercises were not directed against any neighbour.",
                                    "directed against")
    assert (modality, polarity) == (Modality.DENIED, "negative")
    # a plain negation that rebuts nobody stays a negation
    modality, polarity, _ = _stance("Officials said no date had been set for the vote.", "no date")
    assert (modality, polarity) == (Modality.NEGATED, "negative")


def test_a_second_verb_phrase_of_the_same_speaker_keeps_its_own_stance() -> None:
    claims = _claims("The minister said the pact was temporary and was not aimed at any third country.")
    stances = {(c.modality, c.polarity) for c in claims}
    assert (Modality.DENIED, "negative") in stances and (Modality.ASSERTED, "positive") in stances


@pytest.mark.parametrize(("text", "modality", "subject"), [
    ("The envoy is expected to stay in Vienna until Friday.", Modality.HEDGED, None),
    ("The agreement will take effect once both parliaments ratify it.", Modality.PLANNED, None),
    ("Maria Keane criticised the ruling, and she plans to appeal it next month.", Modality.PLANNED, "Maria Keane"),
])
def test_the_outlets_own_forecasts_and_plans_are_claims_of_the_outlet(text: str, modality: Modality,
                                                                      subject: str | None) -> None:
    claims = [c for c in _claims(text) if c.attributed_to == (c.attributed_to[0],)
              and c.attributed_to[0].type == "outlet"]
    assert [c.modality for c in claims] == [modality], claims
    assert (claims[0].subject.name if claims[0].subject else None) == subject


@pytest.mark.parametrize("text", [
    "The convoy reached the border town on Tuesday.",
    "Heavy rain can cause landslides in the valley.",  # what can happen in general
    "If a driver is caught speeding, the licence is suspended.",  # a rule, not a hedge
    "We could see more floods this year.",  # someone speaking, whoever it is
    "“The second phase could take years.",  # a quotation running on from an earlier paragraph
])
def test_plain_statements_rules_and_stray_quotes_are_not_claims_of_the_outlet(text: str) -> None:
    assert [c.text for c in _claims(text)] == []


def test_forecasts_and_conditions_are_hedged() -> None:
    assert _stance("The agency expects more arrivals, it said.", "more arrivals")[:2] == (Modality.HEDGED, "positive")
    assert _stance("The agency expects more arrivals, it said.", "more arrivals")[2] != "Stance Wire"
    assert _stance("He said that if the figures were right, they showed a sharp fall.", "sharp fall")[0] \
        is Modality.HEDGED
    assert _stance("The bloc's envoy said the bloc would consider new measures.", "new measures")[0] \
        is Modality.PLANNED
    # a condition on the speech act: "described them, if accurate, as ..."
    assert _stance("The ministry described the figures, if accurate, as alarming.", "alarming")[0] is Modality.HEDGED


def test_reportedly_goes_on_with_the_source_the_previous_sentence_cites() -> None:
    text = ("According to the coast guard, the ferry left port at dawn. It was reportedly carrying 300 passengers.\n"
            "The crew was reportedly rescued by fishermen.")
    claims = {c.text: c for c in _claims(text) if c.modality is Modality.HEDGED}
    carrying = next(c for t, c in claims.items() if "300 passengers" in t)
    assert carrying.attributed_to[-1].name.lower() == "coast guard"
    # a new paragraph starts afresh: nobody is cited there, so the outlet relays the report
    rescued = next(c for t, c in claims.items() if "rescued" in t)
    assert rescued.attributed_to[-1].type == "outlet"


@pytest.mark.parametrize(("text", "alleged"), [
    ("The shipping firm is accused of breaking the embargo.", True),
    ("Three officers were charged with torture.", True),
    ("Two men are suspected of planting the device.", True),
    ("The deputy was charged with overseeing the budget.", False),
])
def test_an_accusation_with_no_accuser_named_is_an_allegation_the_outlet_relays(text: str, alleged: bool) -> None:
    claims = [c for c in _claims(text) if c.modality is Modality.ALLEGED]
    assert bool(claims) is alleged
    assert all(c.attributed_to[-1].type == "outlet" for c in claims)


def test_an_accusation_inside_reported_speech_is_relayed_by_the_speaker() -> None:
    claims = _claims("A senator said the firm had also sold radar parts, besides the drones it is accused of selling "
                     "last year.")
    accused = [c for c in claims if c.modality is Modality.ALLEGED]
    assert [c.text for c in accused] == ["it is accused of selling last year"]
    assert accused[0].attributed_to[-1].name == "senator"


@pytest.mark.parametrize("text", [
    "The radio reported, citing port officials, that the tanker had been detained.",
    "The Ledger reported, citing two diplomats, that the talks had stalled over the border question.",
])
def test_a_citation_joins_the_chain_and_stays_out_of_the_content(text: str) -> None:
    claims = [c for c in _claims(text) if len(c.attributed_to) == 2]
    assert len(claims) == 1, [(c.text, c.attributed_to) for c in _claims(text)]
    assert "citing" not in claims[0].text and not claims[0].text.startswith(",")
