"""The coreference scores of bench/linking_scores.py on small cases worked out by hand."""

from __future__ import annotations

import pytest
from bench.linking_scores import b_cubed, ceaf_e, conll_f1, muc

GOLD = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
PRED = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}


def test_perfect_clustering_scores_one() -> None:
    assert conll_f1(GOLD, GOLD) == pytest.approx(1.0)


def test_muc_counts_links() -> None:
    precision, recall, _ = muc(GOLD, PRED)
    assert recall == pytest.approx(2 / 3)  # gold links 2 + 1; found 1 + 1
    assert precision == pytest.approx(2 / 3)  # predicted links 1 + 2; right 1 + 1


def test_b_cubed_averages_over_items() -> None:
    precision, recall, _ = b_cubed(GOLD, PRED)
    assert precision == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5)
    assert recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)


def test_ceaf_e_aligns_entities_one_to_one() -> None:
    precision, recall, _ = ceaf_e(GOLD, PRED)
    best = 2 * 2 / (3 + 2) + 2 * 2 / (2 + 3)  # {a,b,c}↔{a,b}, {d,e}↔{c,d,e}
    assert precision == pytest.approx(best / 2) and recall == pytest.approx(best / 2)
