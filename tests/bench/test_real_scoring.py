"""The real_news_dev scorer (bench/real) on a tiny invented set: each README rule holds and can fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bench.real.gold import RealSet
from bench.real.matching import gold_casualty, gold_heads, names_match, unit_matches
from bench.real.scoring import macro, score_export, summarise

TEXT = ("Officials in Lumeria said about 40 soldiers were killed near the river. "
        "The ministry denied the report, calling it groundless. "
        "The convoy left on Monday.")
SENTENCES = TEXT.split(". ")


def _real() -> RealSet:
    article = {"id": "lum-1", "title": "Convoy leaves", "outlet": "Wire", "published": "2024-03-06", "text": TEXT}
    copy = {**article, "id": "lum-2", "title": "Convoy leaves (copy)"}
    gold = {
        "quantities": [{"doc": "lum-1", "value": 40, "unit": "soldier killed", "approximate": True,
                        "qualifier": "about", "source_any": ["officials"], "sentence": SENTENCES[0] + "."}],
        "attributions": [{"doc": "lum-1", "source_any": ["officials", "lumerian officials"],
                          "content_contains": "soldiers were killed", "modality": "asserted",
                          "sentence": SENTENCES[0] + "."}],
        "denials": [{"doc": "lum-1", "denier_any": ["ministry", "the ministry"], "what": "the report",
                     "sentence": SENTENCES[1] + "."}],
        "dated_events": [{"doc": "lum-1", "date": "2024-03-04", "what": "convoy leaves",
                          "must_mention_any": ["monday"], "sentence": SENTENCES[2]}],
        "entities": {"Lumeria": ["lumeria"], "Ministry of Lumeria": ["the ministry", "ministry"]},
        "same_story_groups": [["lum-1", "lum-2"]],
        "syndicated_pairs": [["lum-1", "lum-2"]],
    }
    return RealSet(Path("/nowhere/articles.jsonl"), {"lum-1": article, "lum-2": copy}, {1: "lum-1", 2: "lum-2"},
                   gold)


def _evidence(index: int) -> list[dict[str, Any]]:
    start = TEXT.index(SENTENCES[index])
    return [{"doc_id": "D1", "start": start, "end": start + len(SENTENCES[index]), "text": SENTENCES[index]}]


def _export(**changes: Any) -> dict[str, Any]:
    quantity = {"value": 40.0, "unit": "soldier", "approximate": True, "casualty": "killed"}
    quantity.update(changes.get("quantity", {}))
    return {
        "documents": [
            {"id": "D1", "title": "Convoy leaves", "text": TEXT, "source_path": "/x/articles.jsonl:1",
             "story_id": "s1", "origin": "o1", "near_duplicate_of": None},
            {"id": "D2", "title": "Convoy leaves (copy)", "text": TEXT, "source_path": "/x/articles.jsonl:2",
             "story_id": changes.get("story", "s1"), "origin": changes.get("origin", "o1"), "near_duplicate_of": None},
        ],
        "entities": [{"id": "country:lu", "name": "Lumeria", "type": "country", "aliases": [], "mentions": []},
                     {"id": "org:min", "name": "Ministry", "type": "org", "aliases": changes.get("aliases", []),
                      "mentions": []}],
        "claims": [
            {"quantity": quantity, "date": None, "modality": changes.get("modality", "asserted"),
             "polarity": "positive", "attributed_to": [{"entity_id": "s:o", "name": "Lumerian officials"}],
             "evidence": _evidence(0)},
            {"quantity": None, "date": None, "modality": "asserted", "polarity": changes.get("polarity", "negative"),
             "attributed_to": [{"entity_id": "org:min", "name": "Ministry"}], "evidence": _evidence(1)},
        ],
        "events": [{"date": {"start": changes.get("day", "2024-03-04"), "end": changes.get("day", "2024-03-04")},
                    "modality": "asserted", "polarity": "positive", "attributed_to": [], "evidence": _evidence(2)}],
    }


def _scores(export: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return summarise(score_export(export, _real()))


def test_a_faithful_export_passes_every_check() -> None:
    scores = _scores(_export())
    assert all(held == total for held, total in scores.values() if total), scores
    assert macro(scores) == pytest.approx(1.0)


def test_a_casualty_figure_must_say_so() -> None:
    scores = _scores(_export(quantity={"casualty": None}))
    assert scores["quantity found"] == (1, 1)
    assert scores["quantity bound to its noun"] == (0, 1)


def test_each_rule_can_fail() -> None:
    assert _scores(_export(quantity={"approximate": False}))["quantity approximate flag"] == (0, 1)
    assert _scores(_export(quantity={"value": 41.0}))["quantity found"] == (0, 1)
    assert _scores(_export(polarity="positive"))["denials"] == (0, 1)
    assert _scores(_export(modality="hedged"))["attribution modality"] == (0, 1)
    assert _scores(_export(day="2024-03-05"))["dated events"] == (0, 1)
    assert _scores(_export(story="s2"))["same story"] == (0, 1)
    assert _scores(_export(origin="o2"))["copies count once"] == (0, 1)
    # the ministry's mentions split into two entities: found, but not one entity
    split = _scores(_export(aliases=["the ministry"]) | {"entities": [
        {"id": "a", "name": "Ministry", "type": "org", "aliases": [], "mentions": []},
        {"id": "b", "name": "the Ministry", "type": "org", "aliases": [], "mentions": []}]})
    assert split["entity found"][0] == 1 and split["entity is one entity"] == (0, 2)


def test_names_match_whole_words_only() -> None:
    assert names_match("Taiwan’s defence ministry", ["defence ministry"])
    assert names_match("The Ministry", ["ministry"])
    assert not names_match("Ministryless Office", ["ministry"])
    assert not names_match("", ["ministry"])


def test_gold_units_read_to_their_head_noun() -> None:
    assert gold_heads("Chinese military aircraft detected (single day)") == {"aircraft"}
    assert gold_heads("allied armed group member killed") == {"member"}
    assert gold_heads("missile or drone launched at the border") == {"missile", "drone"}
    assert gold_casualty("person lightly injured by shrapnel") == "injured"
    assert gold_casualty("square kilometre captured") is None
    assert gold_casualty("Russian serviceman captured") == "captured"


def test_unit_rules() -> None:
    assert unit_matches("Russian serviceman deployed to the front", {"unit": "troop"})
    assert not unit_matches("Russian serviceman deployed to the front", {"unit": "troop", "casualty": "killed"})
    assert unit_matches("square kilometre of land controlled", {"unit": "square kilometer"})
    assert not unit_matches("square kilometre of land controlled", {"unit": "km"})
    assert unit_matches("kilometre (depth)", {"unit": "km"})
    assert not unit_matches("person wounded", {"unit": "person", "casualty": "killed"})
