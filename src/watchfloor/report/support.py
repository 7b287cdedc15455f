"""What a consolidated claim or event says, derived from what each report of it says.

The export keeps one evidence record per report of a claim or an event: the sentence, the outlet, the
independent source it counts as, who the report attributes it to, and what that report says (for a claim its
text, subject, figure, date, modality and polarity; for an event its mode, actors, date and place). The
consolidated fields shown at the top of each claim and event are derived from those records by the functions
here, both when the export is built and when a TLP ceiling drops the reports a recipient may not see, so that
a claim shown to a partner says only what the reports shown to that partner say:

- text, subject, figure, date, modality, polarity, mode: as the first report gives them (reports are in
  consolidation order, earliest first);
- attributed_to and actors: every one any report names, in order of first appearance;
- an event's date: the first report that dates it; its place: the place most of its reports give, unless
  fewer than a third of the reports give it (then more likely a merged-in event's place);
- sources: the outlets, sorted; independent_sources: the number of distinct independent sources.
"""

from __future__ import annotations

from typing import Any

__all__ = ["claim_fields", "event_fields"]


def _common(evidence: list[dict[str, Any]]) -> dict[str, Any]:
    attributed: dict[str, dict[str, Any]] = {}
    for item in evidence:
        for ref in item["attributed_to"]:
            attributed.setdefault(ref["entity_id"], ref)
    return {
        "attributed_to": list(attributed.values()),
        "sources": sorted({item["outlet"] for item in evidence}),
        "independent_sources": len({item["independent_source"] for item in evidence}),
    }


def claim_fields(evidence: list[dict[str, Any]]) -> dict[str, Any]:
    """The consolidated fields of a claim from its evidence records (at least one)."""
    first = evidence[0]["claim"]
    return {
        "text": first["text"],
        "subject": first["subject"],
        "quantity": first["quantity"],
        "date": first["date"],
        "modality": first["modality"],
        "polarity": first["polarity"],
        **_common(evidence),
    }


def _place_key(place: dict[str, Any]) -> tuple[Any, ...]:
    return place["name"], place["lat"], place["lon"]


def event_fields(evidence: list[dict[str, Any]]) -> dict[str, Any]:
    """The consolidated fields of an event from its evidence records (at least one)."""
    first = evidence[0]["event"]
    actors: dict[tuple[str, str], dict[str, Any]] = {}
    for item in evidence:
        for actor in item["event"]["actors"]:
            actors.setdefault((actor["entity_id"], actor["role"]), actor)
    dated = next((item["event"]["date"] for item in evidence if item["event"]["date"]), None)
    places = [item["event"]["place"] for item in evidence if item["event"]["place"]]
    counts: dict[tuple[Any, ...], int] = {}
    for place in places:
        counts[_place_key(place)] = counts.get(_place_key(place), 0) + 1
    placed = max(places, key=lambda p: counts[_place_key(p)]) if places else None
    if placed is not None and 3 * counts[_place_key(placed)] < len(evidence):
        placed = None
    return {
        "mode": first["mode"],
        "actors": list(actors.values()),
        "date": dated,
        "place": placed,
        "modality": first["modality"],
        "polarity": first["polarity"],
        **_common(evidence),
    }
