"""Every event place on the sample corpus that has coordinates, checked against where the place really is,
and the same places in the GeoJSON export."""

from __future__ import annotations

from typing import Any

from watchfloor.analyze.geo.gazetteer import distance_km
from watchfloor.report.export_geojson import events_to_geojson
from watchfloor.store import Store

BRUSSELS = (50.85, 4.35)
PYONGYANG = (39.02, 125.75)
MOSCOW = (55.76, 37.62)

#: (file the report came from, trigger word) -> (country, coordinates of the place meant, or None where the
#: place is a whole country and only the country is checked)
EXPECTED: dict[tuple[str, str], tuple[str, tuple[float, float] | None]] = {
    ("kremlin-dismisses-troop-reports-harbour-ledger.txt", "summit"): ("BE", BRUSSELS),
    ("kremlin-dismisses-troop-reports-harbour-ledger.txt", "signed"): ("KP", PYONGYANG),
    ("north-korea-un-envoy-groundless-continental-desk.md", "meeting"): ("US", (40.71, -74.01)),
    ("north-korea-un-envoy-groundless-continental-desk.md", "summoned"): ("KR", (37.57, 126.98)),
    ("wire.jsonl", "Asked"): ("RU", (55.79, 49.12)),
    ("wire.jsonl", "summit"): ("RU", (55.79, 49.12)),  # the BRICS summit in Kazan
    ("rutte-confirms-kursk-deployment-northern-gazette.md", "brief"): ("BE", BRUSSELS),
    ("baltic-morning-post-rss.xml", "briefed"): ("BE", BRUSSELS),
    ("brussels-beacon-eu-psc-briefing.html", "briefed"): ("BE", BRUSSELS),
    ("brussels-beacon-eu-psc-briefing.html", "meet"): ("BE", BRUSSELS),
    ("choe-lavrov-moscow-talks.txt", "held"): ("RU", MOSCOW),
    ("choe-lavrov-moscow-talks.txt", "signed"): ("KP", PYONGYANG),
    ("wire.jsonl", "hold"): ("RU", MOSCOW),
    ("explainer-how-many-troops-continental-desk.txt", "training"): ("RU", None),
    ("putin-signs-treaty-ratification-harbour-ledger.md", "signed"): ("KP", PYONGYANG),
    ("kyiv-lantern-atom.xml", "discuss"): ("BE", BRUSSELS),
}


def _file(source_path: str | None) -> str:
    """The file a document came from: "feeds/x.xml#entry" and "wire.jsonl:3" name x.xml and wire.jsonl."""
    path = (source_path or "").split("#", 1)[0].rsplit("/", 1)[-1]
    return path.split(":", 1)[0]


def test_every_located_event_place_is_right(sample_store: Store) -> None:
    found: dict[tuple[str, str], Any] = {}
    with sample_store.read() as reader:
        stored = list(reader.analyses())
    for document, analysis in stored:
        actors = [m.span for m in analysis.mentions if m.as_actor]
        for event in analysis.events:
            place = event.place
            if place is None or place.lat is None or place.lon is None:
                continue
            assert not any(a.start == place.span.start for a in actors), (place, "acts for its government")
            assert event.evidence.start <= place.span.start < event.evidence.end, place
            found[(_file(document.source_path), event.trigger.text)] = place
    assert set(found) == set(EXPECTED)
    for key, place in found.items():
        country, point = EXPECTED[key]
        assert place.country == country, (key, place)
        if point is not None:
            assert distance_km(place.lat, place.lon, *point) <= 161, (key, place)


def test_geojson_has_the_placed_events(sample_export: dict[str, Any]) -> None:
    collection = events_to_geojson(sample_export)
    assert collection["type"] == "FeatureCollection"
    placed = [e for e in sample_export["events"] if e["place"] and e["place"]["lat"] is not None]
    assert len(collection["features"]) == len(placed) >= 10
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert feature["properties"]["type"] and feature["properties"]["evidence"]
