from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from watchfloor.analyze.geo.cache import cache_dir, cached, cached_tables, fingerprint, pack_tables, unpack_tables
from watchfloor.analyze.geo.gazetteer import _Builder, geo_gazetteer


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


def test_tables_round_trip_and_map_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHFLOOR_CACHE_DIR", str(tmp_path))
    columns = {"lat": np.array([48.3, np.nan], dtype=np.float64), "ids": np.array([3, 1, 2], dtype=np.int32),
               "text": np.frombuffer("Kursk\x1fKyïv".encode(), dtype=np.uint8)}
    calls: list[int] = []

    def build() -> tuple[dict[str, np.ndarray], dict[str, object]]:
        calls.append(1)
        return columns, {"country_entry": {"RU": 0}}

    first = cached_tables("probe", build)
    again = cached_tables("probe", build)
    assert len(calls) == 1
    assert again.columns["ids"].tolist() == [3, 1, 2] and again.columns["lat"][0] == 48.3
    assert bytes(again.columns["text"]).decode() == "Kursk\x1fKyïv" and again.meta == {"country_entry": {"RU": 0}}
    assert first.columns["ids"].tolist() == again.columns["ids"].tolist()
    (copy,) = tmp_path.glob("probe-*.tables")
    copy.write_bytes(copy.read_bytes()[:40])  # truncated: rebuilt, not trusted
    assert cached_tables("probe", build).columns["ids"].tolist() == [3, 1, 2]
    assert len(calls) == 2


def test_tables_refuse_a_foreign_or_damaged_buffer() -> None:
    packed = pack_tables({"n": np.arange(4, dtype=np.int64)}, {})
    assert unpack_tables(packed).columns["n"].tolist() == [0, 1, 2, 3]
    for bad in (b"not ours at all, not at all", packed[:-8], packed[:12]):
        with pytest.raises(ValueError):
            unpack_tables(bad)
    with pytest.raises(ValueError):
        pack_tables({"s": np.array(["a"])}, {})


@pytest.mark.slow
def test_mapped_gazetteer_answers_as_the_built_one() -> None:
    """Every name the builder indexed, looked up in the mapped tables, gives the same entries in the same order."""
    built = _Builder()
    mapped = geo_gazetteer()
    assert len(mapped) == len(built.entries)
    for index, name in ((built._names, "_names"), (built._designated, "_designated")):
        for key, postings in index.items():
            assert getattr(mapped, name).get(key) == postings, key
    alternates = sorted(built._alternates)
    for key in alternates[:: max(1, len(alternates) // 20000)]:
        assert mapped._alternates.get(key) == built._alternates[key], key
    for idx in range(0, len(built.entries), 101):
        assert mapped.entry(idx) == built.entries[idx]
    assert mapped.country_entry == built.country_entry and mapped.region_by_admin1 == built.region_by_admin1
    assert mapped._names.get("no such place anywhere") == []
