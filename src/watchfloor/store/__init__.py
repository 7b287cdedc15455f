"""Store: SQLite (one file, WAL, FTS5) with versioned migrations."""

from ..errors import StoreError
from .sqlite import SearchHit, Store

__all__ = ["SearchHit", "Store", "open_store"]


def open_store(location: str) -> Store:
    """Open (creating when needed) the SQLite store at ``location``."""
    if "://" in location:
        scheme = location.split("://", 1)[0]
        raise StoreError(f"{location}: {scheme} stores are not supported yet; give the path of an SQLite file")
    return Store(location)
