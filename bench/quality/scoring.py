"""Precision, recall and F1 from counts; span matching helpers shared by the task scorers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PRF:
    tp: float = 0.0
    fp: float = 0.0
    fn: float = 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def row(task: str, dataset: str, metric: str, ours: float, baseline: float | None, baseline_name: str) -> dict:
    return {"task": task, "dataset": dataset, "metric": metric, "watchfloor": round(ours, 4),
            "baseline": None if baseline is None else round(baseline, 4), "baseline_name": baseline_name}
