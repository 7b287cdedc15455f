from __future__ import annotations

from datetime import UTC, datetime

import pytest

from watchfloor.analyze import analyze_parsed
from watchfloor.analyze.nlp import load_nlp
from watchfloor.analyze.quantities import parse_number
from watchfloor.model import Document, DocumentAnalysis


def analyse(text: str, published: datetime | None = datetime(2024, 11, 6, tzinfo=UTC)) -> DocumentAnalysis:
    doc = Document(id="t", title="t", text=text, outlet="Test Outlet", published=published)
    return analyze_parsed(doc, load_nlp()(text))


@pytest.mark.parametrize(("words", "value"), [(["12,000"], 12000), (["1.5", "million"], 1_500_000),
                                              (["three"], 3), (["twenty-five"], 25), (["three", "thousand"], 3000),
                                              (["two", "hundred", "and", "fifty"], 250)])
def test_parse_number(words: list[str], value: float) -> None:
    assert parse_number(words) == value


def test_quantity_bound_to_counted_noun_and_owner() -> None:
    text = "North Korea has sent about 3,000 soldiers to Russia, and three generals are with them."
    a = analyse(text)
    by_unit = {q.unit: q for q in a.quantities}
    assert by_unit["troop"].value == 3000 and by_unit["troop"].approximate
    assert by_unit["troop"].subject is not None and by_unit["troop"].subject.name == "North Korea"
    assert by_unit["general"].value == 3 and not by_unit["general"].approximate
    assert all(text[q.span.start : q.span.end] == q.span.text for q in a.quantities)


def test_range_and_part_whole() -> None:
    a = analyse("Officials put the total at between 10,000 and 12,000 North Korean troops, "
                "including about 500 officers.")
    ranged = next(q for q in a.quantities if q.value is None)
    assert (ranged.low, ranged.high, ranged.unit) == (10000, 12000, "troop")
    officers = next(q for q in a.quantities if q.unit == "officer")
    assert officers.value == 500 and officers.approximate


def test_years_and_dates_are_not_quantities() -> None:
    a = analyse("In 2024, the treaty signed on June 19 took effect, and F-16 jets flew over Kyiv.")
    assert [q.span.text for q in a.quantities] == []


def test_entities_canonical_and_capital_as_government() -> None:
    a = analyse("The DPRK denied the reports. Pyongyang said the claims were false. "
                "Troops were seen in Moscow. President Vladimir Putin spoke later, and Putin said nothing new.")
    keys = {(m.span.text, m.entity.key, m.as_actor) for m in a.mentions}
    assert ("DPRK", "country:kp", True) in keys
    assert ("Pyongyang", "country:kp", True) in keys
    # a capital as a location is a mention of its country in the role of a place, not the government acting
    assert ("Moscow", "country:ru", False) in keys
    putins = {m.entity.key for m in a.mentions if "Putin" in m.span.text}
    assert putins == {"person:vladimir-putin"}


def test_relative_date_in_document() -> None:
    a = analyse("The ministers met on Monday and will meet again next week.")
    values = {d.span.text: (d.value.start.isoformat(), d.value.precision.value) for d in a.dates}
    assert values["Monday"] == ("2024-11-04", "day")
    assert values["next week"] == ("2024-11-11", "week")


def test_no_dates_without_publication_date() -> None:
    assert analyse("They met on Monday.", published=None).dates == ()
