"""Quality gate for geoparsing: project-owned sentences, each with the places it names and where they are.

The floors below are what the geoparser reached when this fixture was written; a change that drops
under them is a regression (bench/geo.py measures the same on public data).
"""

from __future__ import annotations

from watchfloor.analyze.entities import extract_mentions
from watchfloor.analyze.geo import extract_places
from watchfloor.analyze.geo.gazetteer import distance_km
from watchfloor.analyze.nlp import load_nlp

#: (text, [(place as written, latitude, longitude)]) — coordinates of the place meant, to within 161 km
FIXTURE: list[tuple[str, list[tuple[str, float, float]]]] = [
    ("Ukrainian officials said Russian troops shelled Kramatorsk and Sloviansk in the Donetsk region overnight.",
     [("Kramatorsk", 48.72, 37.56), ("Sloviansk", 48.85, 37.60), ("Donetsk region", 48.0, 37.8)]),
    ("Fighting continued near Pokrovsk and Toretsk, while drones struck an oil depot in the Belgorod region.",
     [("Pokrovsk", 48.28, 37.18), ("Toretsk", 48.40, 37.85), ("Belgorod region", 50.7, 37.4)]),
    ("North Korean soldiers were seen in the Kursk region, near the town of Sudzha, the agency reported.",
     [("Kursk region", 51.7, 36.2), ("Sudzha", 51.19, 35.27)]),
    ("Ships carried the troops from Wonsan to Vladivostok before they moved on to Khabarovsk and Ussuriysk.",
     [("Wonsan", 39.15, 127.44), ("Vladivostok", 43.11, 131.87), ("Khabarovsk", 48.48, 135.08),
      ("Ussuriysk", 43.80, 131.95)]),
    ("The foreign ministers met in Brussels before flying to Kyiv, and later to Warsaw.",
     [("Brussels", 50.85, 4.35), ("Kyiv", 50.45, 30.52), ("Warsaw", 52.23, 21.01)]),
    ("Air raid sirens sounded in Kharkiv, Odesa and Zaporizhzhia on Tuesday morning.",
     [("Kharkiv", 49.98, 36.25), ("Odesa", 46.48, 30.73), ("Zaporizhzhia", 47.82, 35.19)]),
    ("The county fair in Paris, Texas, drew visitors from Dallas and Tyler.",
     [("Paris", 33.66, -95.56), ("Texas", 31.25, -99.25), ("Dallas", 32.78, -96.81), ("Tyler", 32.35, -95.30)]),
    ("Flooding closed roads between Springfield and Decatur, Illinois, officials in Chicago said.",
     [("Springfield", 39.80, -89.64), ("Decatur", 39.84, -88.95), ("Illinois", 40.0, -89.25),
      ("Chicago", 41.85, -87.65)]),
    ("The delegation travelled from Seoul to Busan and then to Tokyo for talks.",
     [("Seoul", 37.57, 126.98), ("Busan", 35.10, 129.04), ("Tokyo", 35.69, 139.69)]),
    ("Talks on the grain corridor opened in Istanbul, with officials from Ankara and Geneva.",
     [("Istanbul", 41.01, 28.95), ("Ankara", 39.92, 32.85), ("Geneva", 46.20, 6.15)]),
    ("Aid convoys reached Rafah and Khan Younis in the south of the Gaza Strip.",
     [("Rafah", 31.29, 34.25), ("Khan Younis", 31.34, 34.31), ("Gaza Strip", 31.42, 34.36)]),
    ("Refugees crossed from Syria into Lebanon and Jordan during the winter.",
     [("Syria", 35.0, 38.0), ("Lebanon", 33.83, 35.83), ("Jordan", 31.0, 36.0)]),
    ("The storm hit Melbourne and Sydney before moving across the Tasman Sea toward New Zealand.",
     [("Melbourne", -37.81, 144.96), ("Sydney", -33.87, 151.21), ("Tasman Sea", -40.0, 160.0),
      ("New Zealand", -42.0, 174.0)]),
    ("Protesters gathered in Toronto, Ontario, and in Vancouver, British Columbia.",
     [("Toronto", 43.70, -79.42), ("Ontario", 49.25, -84.5), ("Vancouver", 49.25, -123.12),
      ("British Columbia", 54.0, -125.0)]),
]
ACCURACY_FLOOR = 0.90  # share of fixture places found and placed within 161 km
PRECISION_FLOOR = 0.85  # share of extracted places that are fixture places


def test_geoparsing_gate() -> None:
    nlp = load_nlp()
    expected = found = correct = extracted = 0
    for text, gold in FIXTURE:
        doc = nlp(text)
        places = {p.span.text: p for p in extract_places(doc, "gate", extract_mentions(doc, "gate"))}
        extracted += len(places)
        for name, lat, lon in gold:
            expected += 1
            place = places.get(name)
            if place is None:
                continue
            found += 1
            if place.lat is not None and place.lon is not None and distance_km(place.lat, place.lon, lat, lon) <= 161:
                correct += 1
    assert correct / expected >= ACCURACY_FLOOR, f"{correct}/{expected} fixture places found and placed"
    assert found / max(extracted, 1) >= PRECISION_FLOOR, f"{found}/{extracted} extracted places are fixture places"
