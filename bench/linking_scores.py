"""Coreference and clustering scores: MUC, B³, CEAF-e and their mean (CoNLL F1).

Clusterings are ``{item: cluster label}`` over the same items; singletons count (as in the ECB+
literature since Cybulska & Vossen 2015).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping

import numpy as np
from scipy.optimize import linear_sum_assignment

Clustering = Mapping[Hashable, Hashable]


def _groups(labels: Clustering) -> list[frozenset[Hashable]]:
    groups: dict[Hashable, set[Hashable]] = defaultdict(set)
    for item, label in labels.items():
        groups[label].add(item)
    return [frozenset(g) for g in groups.values()]


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def b_cubed(gold: Clustering, predicted: Clustering) -> tuple[float, float, float]:
    gold_of = {item: g for g in _groups(gold) for item in g}
    pred_of = {item: g for g in _groups(predicted) for item in g}
    items = list(gold)
    precision = sum(len(gold_of[i] & pred_of[i]) / len(pred_of[i]) for i in items) / len(items)
    recall = sum(len(gold_of[i] & pred_of[i]) / len(gold_of[i]) for i in items) / len(items)
    return precision, recall, _f1(precision, recall)


def _muc_side(keys: list[frozenset[Hashable]], other: Clustering) -> float:
    numerator = denominator = 0
    for key in keys:
        partitions = {other.get(item, ("singleton", item)) for item in key}
        numerator += len(key) - len(partitions)
        denominator += len(key) - 1
    return numerator / denominator if denominator else 0.0


def muc(gold: Clustering, predicted: Clustering) -> tuple[float, float, float]:
    recall = _muc_side(_groups(gold), predicted)
    precision = _muc_side(_groups(predicted), gold)
    return precision, recall, _f1(precision, recall)


def ceaf_e(gold: Clustering, predicted: Clustering) -> tuple[float, float, float]:
    keys, responses = _groups(gold), _groups(predicted)
    response_of = {item: j for j, r in enumerate(responses) for item in r}
    similarity = np.zeros((len(keys), len(responses)))
    for i, key in enumerate(keys):
        for item in key:
            j = response_of[item]
            similarity[i, j] = 2 * len(key & responses[j]) / (len(key) + len(responses[j]))
    rows, cols = linear_sum_assignment(-similarity)
    total = float(similarity[rows, cols].sum())
    precision, recall = total / len(responses), total / len(keys)
    return precision, recall, _f1(precision, recall)


def conll_f1(gold: Clustering, predicted: Clustering) -> float:
    return (muc(gold, predicted)[2] + b_cubed(gold, predicted)[2] + ceaf_e(gold, predicted)[2]) / 3
