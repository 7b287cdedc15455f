"""Reads of many keys, each around days of its own, in a few statements: the same rows as reading each key whole
and keeping what its window takes, on both engines."""

from __future__ import annotations

from datetime import date, timedelta

from watchfloor.store import Store


def _around(day: str, before: int, after: int) -> tuple[str, str]:
    middle = date.fromisoformat(day)
    return (middle - timedelta(days=before)).isoformat(), (middle + timedelta(days=after)).isoformat()


def _windows(days: dict[str, list[str]]) -> dict[str, tuple[str, str] | None]:
    """Every key, with windows of several widths around its days (some keys read whole), and keys never stored."""
    windows: dict[str, tuple[str, str] | None] = {}
    for i, (key, seen) in enumerate(sorted(days.items())):
        if i % 5 == 0 or not seen:
            windows[key] = None
        else:
            windows[key] = _around(seen[i % len(seen)], i % 3, (i % 4) * 2)
    windows["statement|nobody|nothing|said"] = ("2020-01-01", "2030-01-01")
    windows["quantity|nothing"] = None
    return windows


def test_reads_in_windows_are_each_key_read_whole_and_filtered(sample_store: Store) -> None:
    with sample_store.read() as r:
        keys = sorted(r.occurrence_keys())
        whole = {key: r.occurrences(key) for key in keys}
        groups = {key: r.groups_for_key(key) for key in keys}
        windows = _windows({key: sorted({o.day for o in rows if o.day}) for key, rows in whole.items()})
        occurrences = r.occurrences_in_windows(windows)
        claims = r.groups_in_windows(windows)
    assert sum(1 for w in windows.values() if w is not None) > 10
    narrowed = 0
    for key, window in windows.items():
        rows, kept = whole.get(key, []), groups.get(key, [])
        if window is not None:
            lo, hi = window
            rows = [o for o in rows if o.day is None or lo <= o.day <= hi]
            kept = [g for g in kept if (g.first_day is None and g.last_day is None)
                    or (g.last_day is not None and g.first_day is not None and g.last_day >= lo and g.first_day <= hi)]
            narrowed += len(rows) < len(whole.get(key, []))
        assert occurrences.get(key, []) == rows, key
        assert claims.get(key, []) == kept, key
    assert narrowed > 0  # some windows leave reports out
