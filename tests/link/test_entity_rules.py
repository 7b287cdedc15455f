"""Cross-document entity rules (``link.entity_rules``), on names invented for these tests."""

from __future__ import annotations

import pytest

from watchfloor.link.entity_rules import EntityDescription, match_keys, same_entity


def _e(name: str, kind: str = "organization", *aliases: str, docs: tuple[str, ...] = ("d1",)) -> EntityDescription:
    return EntityDescription(f"{kind}:{name.lower().replace(' ', '-')}", name, kind, aliases, frozenset(docs))


@pytest.mark.parametrize(("a", "b", "reason"), [
    (_e("NRF"), _e("Northern Relief Forces"), "acronym"),
    (_e("UKSTA"), _e("UK Shipping Trade Authority"), "acronym"),
    (_e("LMC"), _e("Liberation Movement of Carthena"), "acronym"),
    (_e("Governing Council"), _e("Transitional Governing Council"), "short form of a body"),
    (_e("Anne Dubreuil", "person"), _e("Anne-Marie Dubreuil", "person"), "compound given name"),
    (_e("Karim Abdel Salam", "person"), _e("Karim Abdussalam", "person"), "transliteration"),
    (_e("Tel Hamdaniya", "place"), _e("Tell Hamdaniyah", "place"), "transliteration"),
    (_e("Sarmadiya", "place"), _e("Sarmaydiya", "place"), "transliteration"),
    (_e("Jund Ansar al-Haqq"), _e("Jund Ansar Am-Haqq"), "typo"),
    (_e("Halili", "person", docs=("d7",)), _e("Omar Faruk Halali", "person", docs=("d7",)), "vowel slip"),
])
def test_one_entity(a: EntityDescription, b: EntityDescription, reason: str) -> None:
    assert same_entity(a, b) == reason
    assert same_entity(b, a) == reason
    assert match_keys(a) & match_keys(b), "the two must meet under some blocking key"


@pytest.mark.parametrize(("a", "b"), [
    (_e("John Harrow", "person"), _e("Jane Harrow", "person")),  # namesakes
    (_e("NRF"), _e("National Rifle Federation Board")),  # letters that do not spell it
    (_e("Saraqib", "place"), _e("Sarmada", "place")),  # two towns
    (_e("Sidra", "place"), _e("Sudra", "person")),  # a place and a person are never one here
    (_e("Halili", "person", docs=("d1",)), _e("Omar Faruk Halali", "person", docs=("d2",))),  # never together
    (_e("Supreme Council"), _e("Transitional Governing Council")),
    (_e("Defense Ministry"), _e("Moldovan Defense Ministry")),  # every country has one
    (_e("defence ministry", "source"), _e("Moldova's defence ministry", "source")),  # a description, not a name
    (_e("NRF", "source"), _e("a statement by the NRF", "source")),  # an acronym inside a phrase
    (_e("Maria Rossetti", "person"), _e("Mario Rossetti", "person")),
])
def test_not_one_entity(a: EntityDescription, b: EntityDescription) -> None:
    assert same_entity(a, b) is None
    assert same_entity(b, a) is None


def test_aliases_count_as_forms() -> None:
    a = _e("Northern Relief Forces")
    b = EntityDescription("organization:relief", "the relief forces", "organization", ("NRF",))
    assert same_entity(a, b) == "acronym"
