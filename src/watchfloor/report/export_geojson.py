"""``watchfloor export --format geojson``: events that have a located place, as a GeoJSON FeatureCollection.

Coordinates follow RFC 7946 (longitude, latitude). Each feature carries the event's id, type, mode, actors,
date, status and sources, and the sentence it came from.
"""

from __future__ import annotations

from typing import Any

from .export_json import build_export

__all__ = ["build_geojson", "events_to_geojson"]


def events_to_geojson(export: dict[str, Any]) -> dict[str, Any]:
    features = []
    for event in export["events"]:
        place = event.get("place")
        if not place or place.get("lat") is None or place.get("lon") is None:
            continue
        features.append({
            "type": "Feature",
            "id": event["id"],
            "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
            "properties": {
                "place": place["name"],
                "type": event["type"],
                "mode": event["mode"],
                "actors": [f"{a['name']} ({a['role']})" for a in event["actors"]],
                "date_start": event["date"]["start"] if event["date"] else None,
                "date_end": event["date"]["end"] if event["date"] else None,
                "modality": event["modality"],
                "status": event["status"],
                "sources": event["sources"],
                "independent_sources": event["independent_sources"],
                "evidence": event["evidence"][0]["text"],
            },
        })
    return {"type": "FeatureCollection", "features": features}


def build_geojson(store: Any) -> dict[str, Any]:
    return events_to_geojson(build_export(store))
