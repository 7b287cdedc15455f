from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.analyze.geo.cache import cache_dir, cached, fingerprint


def test_cache_builds_once_and_rebuilds_a_damaged_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHFLOOR_CACHE_DIR", str(tmp_path))
    assert cache_dir() == tmp_path
    calls: list[int] = []

    def build() -> dict[str, list[int]]:
        calls.append(1)
        return {"kursk": [1, 2, 3]}

    assert cached("probe", build) == {"kursk": [1, 2, 3]}
    assert cached("probe", build) == {"kursk": [1, 2, 3]}
    assert len(calls) == 1
    (copy,) = tmp_path.glob("probe-*.pickle")
    assert fingerprint() in copy.name
    copy.write_bytes(b"not a pickle")
    assert cached("probe", build) == {"kursk": [1, 2, 3]}
    assert len(calls) == 2


def test_unwritable_cache_still_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("WATCHFLOOR_CACHE_DIR", str(blocker / "sub"))
    assert cached("probe", lambda: 42) == 42
