"""Tests that make a store look older or newer than it is: the statement that sets its schema version."""

from __future__ import annotations


def set_version_sql(engine: str, version: int) -> str:
    """SQLite keeps the version in ``PRAGMA user_version``, PostgreSQL in the ``watchfloor_schema`` table."""
    if engine == "sqlite":
        return f"PRAGMA user_version = {version}"
    return f"UPDATE watchfloor_schema SET version = {version}"
