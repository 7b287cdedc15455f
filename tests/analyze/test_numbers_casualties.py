"""Numbers as reports write them, the noun they count, the approximate flag, and casualty figures kept apart."""

from __future__ import annotations

import pytest

from watchfloor.analyze.nlp import load_nlp
from watchfloor.analyze.numbers import parse_number
from watchfloor.analyze.quantities import extract_quantities
from watchfloor.model import Quantity


def figures(text: str) -> dict[float | None, Quantity]:
    """Quantities of one text by value (the low end for a range)."""
    doc = load_nlp()(text)
    return {q.value if q.value is not None else q.low: q for q in extract_quantities(doc, "t")}


@pytest.mark.parametrize(("words", "value"), [
    (["12", "000"], 12000), (["12", "500", "000"], 12_500_000), (["12\u202f000"], 12000), (["7", "1/2"], 7.5),
    (["twenty-five"], 25), (["three", "hundred"], 300), (["one", "hundred", "and", "fifty"], 150),
    (["1.2", "million"], 1_200_000), (["a", "dozen"], 12), (["banana"], None),
])
def test_parse_number(words: list[str], value: float | None) -> None:
    assert parse_number(words) == value


def test_space_separated_thousands_and_words() -> None:
    found = figures("Some 12 000 soldiers crossed the river, and twenty-five tanks followed them.")
    assert found[12000].unit == "troop" and found[12000].approximate
    assert found[25].unit == "tank" and not found[25].approximate


def test_a_range_is_kept_as_a_range_and_is_approximate() -> None:
    found = figures("The brigade pushed forward from two to four kilometres along the road.")
    assert (found[2].low, found[2].high, found[2].value) == (2, 4, None)
    assert found[2].approximate


def test_area_is_not_a_length() -> None:
    found = figures("The rebels now hold 450 square kilometres of farmland, officials said.")
    assert found[450].unit == "square kilometre" or found[450].unit == "square kilometer"


def test_qualifier_must_stand_before_the_number() -> None:
    found = figures("The militia took under control 300 hectares of land.")
    assert not found[300].approximate
    assert figures("They brought more than 40 trucks.")[40].approximate


def test_killed_and_wounded_with_one_noun() -> None:
    found = figures("Officials said 14 villagers were killed and 30 wounded in the shelling of the market.")
    assert (found[14].unit, found[14].casualty) == ("villager", "killed")
    assert (found[30].unit, found[30].casualty) == ("villager", "injured")


def test_casualties_as_objects_and_others() -> None:
    found = figures("The blast killed six workers and injured more than 20 others near the depot.")
    assert (found[6].unit, found[6].casualty) == ("worker", "killed")
    assert (found[20].unit, found[20].casualty, found[20].approximate) == ("worker", "injured", True)


def test_a_death_toll_counts_people_killed() -> None:
    found = figures("The death toll in the valley stands at 57, including 12 children.")
    assert (found[57].unit, found[57].casualty) == ("person", "killed")
    assert found[12].casualty == "killed" and found[12].part_of is not None


def test_capture_needs_people() -> None:
    found = figures("The rebels captured 12 soldiers and three villages on Friday.")
    assert (found[12].unit, found[12].casualty) == ("troop", "captured")
    assert found[3].casualty is None


def test_a_deployment_is_no_casualty_figure() -> None:
    found = figures("The army deployed 5,000 troops to the border, and 40 more had been killed earlier.")
    assert found[5000].casualty is None
    assert found[40].casualty == "killed"


def test_troops_who_killed_are_not_killed() -> None:
    found = figures("About 200 soldiers had killed the cattle before they left.")
    assert found[200].casualty is None


def test_a_qualifier_covers_the_figure_coordinated_with_it() -> None:
    found = figures("At least 40 people were killed and 100 injured in the attack.")
    assert found[100].approximate and found[100].casualty == "injured"
    exact = figures("About 3,000 soldiers went to the front, and three generals are with them.")
    assert not exact[3].approximate


def test_half_of_a_figure_given_before() -> None:
    found = figures("Some 900 people were injured, about 60 of them seriously.")
    assert (found[60].unit, found[60].casualty) == ("person", "injured")
