from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.analyze.entities import extract_mentions
from watchfloor.analyze.geo import event_place, extract_places, geocode_spans
from watchfloor.analyze.geo.gazetteer import distance_km, fold
from watchfloor.analyze.nlp import load_nlp
from watchfloor.model import Place


def places_of(text: str) -> tuple[Place, ...]:
    doc = load_nlp()(text)
    return extract_places(doc, "t", extract_mentions(doc, "t"))


def by_text(places: tuple[Place, ...]) -> dict[str, Place]:
    return {p.span.text: p for p in places}


def near(place: Place, lat: float, lon: float, km: float = 50) -> bool:
    return place.lat is not None and place.lon is not None and distance_km(place.lat, place.lon, lat, lon) <= km


def test_fold_meets_spelling_variants() -> None:
    assert fold("St. Louis") == fold("st louis")
    assert fold("Zaporizhzhia") == "zaporizhzhia"
    assert fold("Łódź") == "lodz"
    assert fold("the Donbas") == "donbas"


def test_pokrovsk_in_eastern_ukraine_is_the_ukrainian_town() -> None:
    text = "Russian forces pressed toward Pokrovsk in the Donetsk region, Ukrainian officials said."
    pokrovsk = by_text(places_of(text))["Pokrovsk"]
    assert pokrovsk.country == "UA" and pokrovsk.admin == "UA-14"
    assert near(pokrovsk, 48.28, 37.18)


def test_qualifier_picks_paris_texas() -> None:
    places = by_text(places_of("The festival in Paris, Texas drew visitors."))
    assert places["Paris"].country == "US" and places["Paris"].admin == "US-TX"
    assert places["Texas"].feature == "admin1"


def test_paris_alone_is_the_capital() -> None:
    paris = by_text(places_of("The summit opened in Paris on Monday."))["Paris"]
    assert paris.country == "FR" and near(paris, 48.85, 2.35)


def test_region_is_the_admin_area_and_the_bare_name_the_town() -> None:
    places = by_text(places_of("Shelling hit Kursk overnight. Fighting continued in the Kursk region."))
    assert places["Kursk"].feature == "city" and places["Kursk"].country == "RU"
    region = places["Kursk region"]
    assert region.feature == "admin1" and region.admin == "RU-KRS" and region.gazetteer_id == "iso:RU-KRS"


def test_capital_acting_for_government_is_not_a_place() -> None:
    places = places_of("Pyongyang said the report was false. Seoul rejected the claim.")
    assert places == ()


def test_capital_as_location_stays_a_place() -> None:
    places = by_text(places_of("Troops arrived in Moscow on Friday."))
    assert places["Moscow"].country == "RU"


def test_demonyms_and_organisation_names_are_not_places() -> None:
    places = by_text(places_of("North Korean soldiers spoke to reporters of the Kyiv Independent."))
    assert "North Korean" not in places
    assert not any("Kyiv" in t for t in places)


def test_unknown_place_stays_unresolved() -> None:
    [resolution] = geocode_spans("They reached Qwxzvillebrook at dawn.", [(13, 27)])
    assert resolution.entry is None and resolution.lat is None and resolution.lon is None


def test_transliteration_variants_meet() -> None:
    kiev, kyiv = geocode_spans("Kiev and Kyiv", [(0, 4), (9, 13)])
    assert kiev.entry is not None and kyiv.entry is not None and kiev.entry.id == kyiv.entry.id
    [kharkov] = geocode_spans("Kharkov", [(0, 7)])
    assert kharkov.entry is not None and kharkov.entry.name == "Kharkiv"


def test_evidence_spans_match_text() -> None:
    text = "Explosions were heard in Kharkiv and in the Zaporizhzhia region; Kyiv said nothing."
    for place in places_of(text):
        assert text[place.span.start : place.span.end] == place.span.text


@pytest.mark.parametrize(("text", "trigger", "expected"), [
    ("Two soldiers were killed in Sudzha on Tuesday.", "killed", "Sudzha"),
    ("North Korea sent troops to Russia last month.", "sent", None),
    ("Pyongyang sent troops to the front near Kursk.", "sent", None),
    ("Russian forces attacked a depot near Kharkiv after talks in Moscow ended.", "attacked", "Kharkiv"),
    ("The leaders met in Vladivostok, Russia.", "met", "Vladivostok"),
])
def test_event_place_rule(text: str, trigger: str, expected: str | None) -> None:
    doc = load_nlp()(text)
    places = extract_places(doc, "t", extract_mentions(doc, "t"))
    token = next(t for t in doc if t.text == trigger)
    found = event_place(token, places)
    assert (found.span.text if found else None) == expected


#: every place with coordinates that the sample corpus yields, and its country
SAMPLE_PLACES = {
    "Brussels": "BE", "Chongjin": "KP", "Kazan": "RU", "Khabarovsk": "RU", "Kursk Oblast": "RU", "Kursk": "RU",
    "Kyiv": "UA", "Moscow": "RU", "New York City": "US", "North Korea": "KP", "Pyongyang": "KP", "Rome": "IT",
    "Russia": "RU", "Russian Far East": "RU", "Seoul": "KR", "South Korea": "KR", "Tokyo": "JP", "Ukraine": "UA",
    "United States": "US", "Ussuriysk": "RU", "Vladivostok": "RU", "Washington": "US", "Wŏnsan": "KP",
    "Indo-Pacific": None,
}


def test_sample_corpus_places(samples: Path) -> None:
    nlp = load_nlp()
    for path in sorted(samples.glob("*.*")):
        if path.suffix not in {".txt", ".md"} or path.name == "README.md":
            continue
        text = path.read_text(encoding="utf-8")
        doc = nlp(text)
        mentions = extract_mentions(doc, path.name)
        actors = [m.span for m in mentions if m.as_actor]
        for place in extract_places(doc, path.name, mentions):
            assert not any(a.start < place.span.end and place.span.start < a.end for a in actors), place
            if place.lat is not None:
                assert place.name in SAMPLE_PLACES, (path.name, place)
                assert place.country == SAMPLE_PLACES[place.name], (path.name, place)
        if path.name == "nis-12000-troops-seoul-signal.txt":
            start = text.index("Pyongyang and Moscow have both denied")
            assert any(a.start == start for a in actors)
