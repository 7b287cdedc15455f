"""A run collects garbage less often and gives the process back the thresholds it found."""

from __future__ import annotations

import gc

import pytest

from watchfloor.scale.collector import BATCH_THRESHOLDS, fewer_collections


def test_a_run_raises_the_thresholds_and_restores_them_even_on_error() -> None:
    found = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        assert gc.get_threshold() == BATCH_THRESHOLDS
        raise RuntimeError("the run fails")
    assert gc.get_threshold() == found


def test_a_nested_run_leaves_the_outer_thresholds_alone() -> None:
    found = gc.get_threshold()
    with fewer_collections():
        with fewer_collections((1_000, 10, 10)):  # lower than the outer run's: not lowered
            assert gc.get_threshold() == BATCH_THRESHOLDS
        assert gc.get_threshold() == BATCH_THRESHOLDS  # the inner run restored nothing
    assert gc.get_threshold() == found
