"""Store: SQLite (one file, WAL, FTS5) with versioned migrations."""

from .sqlite import SearchHit, Store

__all__ = ["SearchHit", "Store", "open_store"]


def open_store(location: str) -> Store:
    """Open (creating when needed) the store at ``location``."""
    return Store(location)
