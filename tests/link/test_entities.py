from __future__ import annotations

from typing import Any

from watchfloor.analyze.name_keys import entity_key
from watchfloor.link.entities import EntityIndex, MemoryEntityState, fold_name, resolve_entities
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


def test_names_side_by_side_join_across_batches_and_namesakes_do_not() -> None:
    state = MemoryEntityState()
    first = [(_ref("organization:northern-relief-forces", "Northern Relief Forces"), "d1"),
             (_ref("organization:transitional-governing-council", "Transitional Governing Council"), "d1"),
             (_ref("organization:moldovan-defense-ministry", "Moldovan Defense Ministry"), "d1"),
             (_ref("place:tell-hamdaniyah", "Tell Hamdaniyah"), "d1"),
             (_ref("person:jane-harrow", "Jane Harrow"), "d1")]
    resolution, changes = EntityIndex(state).resolve(first)
    state.apply(changes)
    assert any(part.startswith("body:acronym:") for part, _ in changes.parts)  # filed under blocking keys
    later = [(_ref("organization:nrf", "NRF"), "d2"),
             (_ref("organization:governing-council", "Governing Council"), "d2"),
             (_ref("organization:defense-ministry", "Defense Ministry"), "d2"),
             (_ref("place:tel-hamdaniya", "Tel Hamdaniya"), "d2"),
             (_ref("person:john-harrow", "John Harrow"), "d2")]
    resolution, changes = EntityIndex(state).resolve(later)
    assert resolution.key("organization:nrf") == "organization:northern-relief-forces"
    assert resolution.key("organization:governing-council") == "organization:transitional-governing-council"
    assert resolution.key("place:tel-hamdaniya") == "place:tell-hamdaniyah"
    assert resolution.key("organization:defense-ministry") == "organization:defense-ministry"  # every country's
    assert resolution.key("person:john-harrow") == "person:john-harrow"


def test_a_body_some_reports_type_as_a_person_stays_a_body() -> None:
    resolution = resolve_entities([
        *[(_ref("person:northern-relief-forces", "Northern Relief Forces"), d) for d in ("d1", "d1", "d2")],
        (_ref("organization:northern-relief-forces", "Northern Relief Forces"), "d3"),
        *[(_ref("organization:nrf", "NRF"), d) for d in ("d3", "d4", "d5")],
    ])
    entity = resolution.ref(_ref("organization:nrf", "NRF"))
    assert entity == resolution.ref(_ref("person:northern-relief-forces", "Northern Relief Forces"))
    assert (entity.name, entity.type) == ("Northern Relief Forces", "organization")


def test_a_blocking_key_shared_by_too_many_names_is_not_followed() -> None:
    def joins(namesakes: int) -> bool:
        state = MemoryEntityState()
        given = [f"{a}{b}{c}a" for a in "BCDFGHJKLM" for b in "aeiou" for c in "nrst"][:namesakes]
        stored = [(_ref("person:anne-harrow", "Anne Harrow"), "d0"),
                  *[(_ref(f"person:{g.lower()}-harrow", f"{g} Harrow"), f"d{i + 1}") for i, g in enumerate(given)]]
        state.apply(EntityIndex(state).resolve(stored)[1])
        later = EntityIndex(state).resolve([(_ref("person:anne-marie-harrow", "Anne-Marie Harrow"), "d99")])[0]
        return later.key("person:anne-marie-harrow") == "person:anne-harrow"

    assert joins(3)  # under the surname's key with a few namesakes: the compound given name joins
    assert not joins(70)  # the surname's key lists more names than it can tell apart: not followed
