"""The name rules of ``teams``, ``org_names`` and the short forms of personal names, on sentences written
for these tests."""

from __future__ import annotations

from watchfloor.analyze.entities import extract_mentions
from watchfloor.analyze.nlp import load_nlp


def _labels(text: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for mention in extract_mentions(load_nlp()(text), "t"):
        found.setdefault(mention.span.text, set()).add(mention.label)
    return found


def test_teams_in_a_results_table_and_in_the_match_report() -> None:
    text = ("SOCCER - NORTHERN LEAGUE RESULTS .\n"
            "Results of Northern league soccer matches played on Saturday :\n"
            "Harrowby 2 Kelsall 1\n"
            "Dunmore 0 Alnwick 3\n"
            "Standings ( played , won , drawn , lost , points ) :\n"
            "Alnwick 5 4 1 0 13\n"
            "Harrowby 5 3 1 1 10\n"
            "Kelsall 5 1 1 3 4\n"
            "Dunmore 5 0 1 4 1\n"
            "Alnwick beat Dunmore with two late goals , and the league leaders meet Kelsall next week in Leeds .\n")
    labels = _labels(text)
    for team in ("Harrowby", "Kelsall", "Dunmore", "Alnwick"):
        assert labels[team] == {"ORG"}, (team, labels.get(team))
    assert labels["Leeds"] == {"GPE"}  # a town after "in" stays a place


def test_a_town_outside_sport_stays_a_place() -> None:
    labels = _labels("Officials in Leeds said 2 people were hurt and 3 buildings damaged when the storm hit Leeds.")
    assert labels["Leeds"] == {"GPE"}


def test_a_company_by_its_legal_form_and_its_short_name() -> None:
    labels = _labels("Shares of Brackwell Optics Inc rose on Monday. Analysts said Brackwell would gain "
                     "from the deal, and Brackwell shares closed higher.")
    assert labels["Brackwell Optics Inc"] == {"ORG"}
    assert labels["Brackwell"] == {"ORG"}


def test_classifier_nouns_and_wire_desks() -> None:
    labels = _labels("The daily Vremya Novostei reported the deal, citing packaging company Ostrova. "
                     "Contact the Tallinn Newsroom for details.")
    assert labels["Vremya Novostei"] == {"ORG"}
    assert labels["Ostrova"] == {"ORG"}
    assert labels["Tallinn Newsroom"] == {"ORG"}


def test_acronyms_in_running_text_and_in_brackets() -> None:
    text = ("Fighters of the Northern Liberation Front ( NLF ) attacked a convoy, and the KVPD said it would "
            "respond. The NLF denied it. Oil prices rose 2 percent on Monday at 10:00 GMT.")
    labels = _labels(text)
    assert labels["NLF"] == {"ORG"}
    assert labels["KVPD"] == {"ORG"}
    assert "GMT" not in labels


def test_a_family_name_written_first_is_the_person() -> None:
    text = "Police detained dissident Wang Liqun on Friday. Wang had been warned, and Wang's family was told."
    labels = _labels(text)
    assert labels["Wang"] == {"PERSON"}
    mentions = extract_mentions(load_nlp()(text), "t")
    assert {m.entity.name for m in mentions if m.span.text == "Wang"} == {"Wang Liqun"}


def _keys(text: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for mention in extract_mentions(load_nlp()(text), "t"):
        found.setdefault(mention.span.text, set()).add(mention.entity.key)
    return found


def test_a_capital_is_its_country_as_actor_and_as_place() -> None:
    mentions = extract_mentions(load_nlp()("Talks were held in Ankara on Monday. Ankara said they went well."), "t")
    ankara = [(m.entity.key, m.as_actor) for m in mentions if m.span.text == "Ankara"]
    assert ankara == [("country:tr", False), ("country:tr", True)]


def test_spelling_variants_of_one_name_share_a_key() -> None:
    first = _keys("Commander Oleksandr Bezruchko said the unit held. Bezruchko spoke from Hodeidah.")
    second = _keys("Oleksandr Bezruchkyy said the unit held, speaking from Hodeida.")
    assert first["Oleksandr Bezruchko"] != second["Oleksandr Bezruchkyy"]  # different endings: not folded
    third = _keys("Oleksandr Bezruchkoo said the unit held.")
    assert first["Oleksandr Bezruchko"] == third["Oleksandr Bezruchkoo"]
    assert first["Hodeidah"] == second["Hodeida"]
    assert _keys("Bashar al-Assad spoke.")["Bashar al-Assad"] == _keys("Bashar Assad spoke.")["Bashar Assad"]


def test_a_title_before_a_name_is_not_the_name() -> None:
    labels = _labels("Defense Minister Tamaz Oruladze urged the allies on Monday to lift the ban.")
    assert labels.get("Tamaz Oruladze") == {"PERSON"}


def test_an_acronym_in_brackets_is_the_body_it_abbreviates() -> None:
    keys = _keys("The Northern Liberation Front ( NLF ) attacked a convoy. The NLF later withdrew.")
    assert keys["NLF"] == keys["Northern Liberation Front"]


def test_a_body_described_by_its_country_is_one_entity() -> None:
    keys = _keys("Seoul's spy agency said the troops had left. South Korea's intelligence agency later added "
                 "details. The Moldovan army said it was ready, and Moldova's military denied the report.")
    assert keys["Seoul's spy agency"] == keys["South Korea's intelligence agency"] == {
        "org:national-intelligence-service"}
    assert keys["Moldovan army"] == keys["Moldova's military"]
    assert keys["Moldovan"] == {"country:md"}  # the nationality stays a mention of the country


def test_a_name_before_a_region_noun_is_a_place() -> None:
    text = "Shelling hit the Tarvensk region overnight. Tarvensk has been under fire for a week."
    labels = _labels(text)
    assert labels["Tarvensk"] == {"GPE"}
    assert len({k for ks in _keys(text).values() for k in ks if "tarvensk" in k}) == 1


def test_named_exercises_and_operations() -> None:
    labels = _labels('The navy held the "Northern Shield-2023B" drills for two days, then began Operation Iron Gate.')
    assert labels["Northern Shield-2023B"] == {"EVENT"}
    assert labels["Operation Iron Gate"] == {"EVENT"}
    spaced = _keys("Troops joined the “Northern Shield – 2023B” exercises.")
    assert spaced["Northern Shield – 2023B"] == _keys('the "Northern Shield-2023B" drills')["Northern Shield-2023B"]


def test_the_wire_credited_in_a_dateline() -> None:
    labels = _labels("KAZAN (QX) - Officials said on Monday that the talks would resume.")
    assert labels["QX"] == {"ORG"}


def test_a_place_the_ner_took_for_a_person_is_a_place_after_in() -> None:
    labels = _labels("Russian forces kept their bases in Tartus and Khalvarim after the talks.")
    assert labels.get("Khalvarim") == {"GPE"}


def test_competitions_and_indexes_are_no_bodies() -> None:
    labels = _labels("Shares fell as the Dow Jones industrial average slipped until 1800 GMT.")
    assert labels["Dow Jones"] == {"MISC"}  # the parser's ORG
    assert "GMT" not in labels  # the parser's ORG
    assert _labels("Spain beat France on Sunday, and the PGA Tour event was cancelled.")["PGA Tour"] == {"EVENT"}


def test_a_table_row_is_no_dateline_and_the_home_side_is_a_town() -> None:
    text = ("BASEBALL - LEAGUE STANDINGS .\n"
            "Standings after games played on Thursday ( won , lost , percentage , games behind ) :\n"
            "DENVER 74 59 .556 -\n"
            "PORTLAND 70 63 .526 4\n"
            "TULSA 69 65 .515 5\n"
            "Friday 's games in the league :\n"
            "TULSA AT DENVER\n")
    mentions = extract_mentions(load_nlp()(text), "t")
    labels = [(m.span.text, m.label) for m in mentions]
    assert ("PORTLAND", "ORG") in labels and ("TULSA", "ORG") in labels
    assert labels[-1] == ("DENVER", "GPE")
