"""Geoparsing: toponyms in a parsed document, geocoded offline against our gazetteer, and event places.

``extract_places`` finds the places a document names (not the capitals that act for their governments,
not demonyms, not names inside organisations) and geocodes them together; ``event_place`` picks the one
where an event happened. README.md in this folder states the rules.
"""

from __future__ import annotations

from .event import event_place
from .places import extract_places
from .resolve import Resolution, Toponym, population_baseline, resolve
from .toponyms import geocode_spans, toponyms_from_spans

__all__ = [
    "Resolution",
    "Toponym",
    "event_place",
    "extract_places",
    "geocode_spans",
    "population_baseline",
    "resolve",
    "toponyms_from_spans",
]
