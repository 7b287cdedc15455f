from __future__ import annotations

from datetime import date

import numpy as np

from watchfloor.link.event_coref import (
    FEATURES,
    EventCorefIndex,
    EventMentionFeatures,
    cluster_mentions,
    pair_features,
)


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


ARREST = unit(1, 0.1, 0)
DETAIN = unit(0.9, 0.3, 0)
QUAKE = unit(0, 0, 1)


def mention(mid: str, doc: str, lemma: str, context: np.ndarray, arguments: set[str], group: str = "s1",
            when: date | None = None) -> EventMentionFeatures:
    return EventMentionFeatures(mid, doc, lemma, group, context, context, context, frozenset(arguments), when)


def test_pair_features_are_named_and_bounded() -> None:
    a = mention("a", "d1", "arrest", ARREST, {"@person:oler", "police"})
    b = mention("b", "d2", "detain", DETAIN, {"@person:oler"})
    features = pair_features(a, b)
    assert features.shape == (len(FEATURES),)
    named = dict(zip(FEATURES, features, strict=True))
    assert named["same_lemma"] == 0.0 and named["argument_overlap"] == 0.5 and named["same_document"] == 0.0


def test_same_event_across_documents_joins_and_others_stay_apart() -> None:
    mentions = [
        mention("a1", "d1", "arrest", ARREST, {"@person:blackmore", "@place:bountiful", "police"}),
        mention("a2", "d2", "arrest", ARREST, {"@person:blackmore", "@place:bountiful"}),
        mention("a3", "d3", "detain", DETAIN, {"@person:blackmore", "@place:bountiful", "police"}),
        mention("q1", "d3", "strike", QUAKE, {"@place:sulawesi", "magnitude"}),
        mention("a4", "d4", "arrest", ARREST, {"@person:blackmore"}, group="s2"),  # another story: never joins
    ]
    clusters = cluster_mentions(mentions)
    assert clusters["a1"] == clusters["a2"] == clusters["a3"]
    assert clusters["q1"] != clusters["a1"] and clusters["a4"] != clusters["a1"]


def test_conflicting_dates_keep_mentions_apart() -> None:
    index = EventCorefIndex()
    first = index.add(mention("a", "d1", "arrest", ARREST, {"@person:x"}, when=date(2024, 10, 1)))
    second = index.add(mention("b", "d2", "arrest", ARREST, {"@person:x"}, when=date(2024, 11, 20)))
    assert first.cluster_id != second.cluster_id
    assert index.probability(mention("c", "d3", "arrest", ARREST, {"@person:x"}, when=date(2024, 10, 1)),
                             mention("d", "d4", "arrest", ARREST, {"@person:x"}, when=date(2024, 11, 20))) == 0.0


def test_rows_round_trip() -> None:
    index = EventCorefIndex()
    for m in (mention("a", "d1", "arrest", ARREST, {"@person:x"}), mention("b", "d2", "detain", DETAIN, {"@person:x"}),
              mention("c", "d2", "strike", QUAKE, set(), when=date(2024, 1, 2))):
        index.add(m)
    rebuilt = EventCorefIndex.from_rows(index.to_rows())
    assert rebuilt.to_rows() == index.to_rows() and rebuilt.clusters() == index.clusters()
    new = mention("d", "d3", "arrest", ARREST, {"@person:x"})
    assert rebuilt.add(new) == index.add(new)
