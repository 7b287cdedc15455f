from __future__ import annotations

from typing import Any

from watchfloor.analyze.name_keys import entity_key
from watchfloor.link.entities import fold_name, resolve_entities
from watchfloor.model import EntityRef


def _ref(key: str, name: str) -> EntityRef:
    return EntityRef(key, name, key.split(":", 1)[0])


def test_transliterations_fold_to_one_entity() -> None:
    assert fold_name("Choe Son-hui") == fold_name("Choé Son Hui") == "choesonhui"
    resolution = resolve_entities([
        (_ref("person:choe-son-hui", "Choe Son Hui"), "d1"),
        (_ref("person:choe-son-hui", "Choe Son Hui"), "d2"),
        (_ref("person:choe-sonhui", "Choe Sonhui"), "d3"),
    ])
    assert resolution.key("person:choe-sonhui") == "person:choe-son-hui"
    assert resolution.ref(_ref("person:choe-sonhui", "Choe Sonhui")).name == "Choe Son Hui"


def test_surname_joins_the_only_full_name() -> None:
    resolution = resolve_entities([
        (_ref("person:antony-blinken", "Antony Blinken"), "d1"),
        (_ref("person:blinken", "Blinken"), "d2"),
        (_ref("place:blinken", "Blinken"), "d3"),  # the parser's GPE for a bare surname
        (_ref("person:cho-tae-yul", "Cho Tae-yul"), "d1"),
        (_ref("person:cho", "Cho"), "d4"),  # family name first
    ])
    assert resolution.key("person:blinken") == "person:antony-blinken"
    assert resolution.key("place:blinken") == "person:antony-blinken"
    assert resolution.key("person:cho") == "person:cho-tae-yul"


def test_namesakes_stay_apart_unless_the_document_names_one() -> None:
    resolution = resolve_entities([
        (_ref("person:kim-jong-un", "Kim Jong Un"), "d1"),
        (_ref("person:kim-yong-hyun", "Kim Yong-hyun"), "d2"),
        (_ref("person:kim", "Kim"), "d3"),
        (_ref("person:kim", "Kim"), "d2"),
    ])
    assert resolution.key("person:kim") == "person:kim-yong-hyun"  # d2 names Kim Yong-hyun in full
    alone = resolve_entities([
        (_ref("person:kim-jong-un", "Kim Jong Un"), "d1"),
        (_ref("person:kim-yong-hyun", "Kim Yong-hyun"), "d2"),
        (_ref("person:kim", "Kim"), "d3"),
    ])
    assert alone.key("person:kim") == "person:kim"


def test_places_and_their_namesake_people_are_not_merged() -> None:
    resolution = resolve_entities([
        (_ref("person:george-washington", "George Washington"), "d1"),
        (_ref("place:washington", "Washington"), "d2"),
        (_ref("person:vladivostok", "Vladivostok"), "d3"),  # a parser error
        (_ref("place:vladivostok", "Vladivostok"), "d4"),
    ], places=["Washington", "Vladivostok"])  # geocoded by the geoparser
    assert resolution.key("place:washington") == "place:washington"
    assert resolution.key("person:vladivostok") == "place:vladivostok"


def test_a_wire_named_in_text_is_the_outlet() -> None:
    resolution = resolve_entities([
        (_ref("outlet:meridian-wire", "Meridian Wire"), "d1"),
        (_ref("person:meridian-wire", "Meridian Wire"), "d2"),
        (_ref("organization:meridian-wire", "Meridian Wire"), "d3"),
    ])
    assert {resolution.key(k) for k in ("person:meridian-wire", "organization:meridian-wire")} == {
        "outlet:meridian-wire"}


def test_sample_export_has_one_entity_per_person(sample_export: dict[str, Any]) -> None:
    by_id = {e["id"]: e for e in sample_export["entities"]}
    assert entity_key("person", "Blinken") not in by_id and entity_key("place", "Blinken") not in by_id
    assert "Blinken" in by_id[entity_key("person", "Antony Blinken")]["aliases"]
    assert by_id[entity_key("person", "Cho Tae-yul")]["name"] == "Cho Tae-yul"
    names = [e["name"] for e in sample_export["entities"] if e["type"] == "person"]
    assert len(names) == len(set(names))
    actor_ids = {a["entity_id"] for e in sample_export["events"] for a in e["actors"]}
    assert actor_ids <= set(by_id)
