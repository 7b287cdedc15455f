"""MinHash signatures over word shingles, and LSH band keys for finding near-duplicates cheaply."""

from __future__ import annotations

import re
import zlib
from functools import lru_cache

import numpy as np

__all__ = ["BANDS", "SHINGLE_SIZE", "band_keys", "jaccard_estimate", "minhash", "shingles", "text_shingles"]

NUM_PERM = 128
BANDS = 32  # 32 bands of 4 rows: pairs with Jaccard ≥ ~0.5 collide in at least one band with high probability
_ROWS = NUM_PERM // BANDS
_rng = np.random.default_rng(20241018)
_A = _rng.integers(1, np.iinfo(np.uint64).max, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, np.iinfo(np.uint64).max, size=NUM_PERM, dtype=np.uint64)
_WORD = re.compile(r"\w+")
#: words per shingle (``link/syndication`` reuses a body's shingles when its copies are sketched with this size)
SHINGLE_SIZE = 5


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[int]:
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i : i + size]).encode()) for i in range(len(words) - size + 1)}


@lru_cache(maxsize=128)
def minhash(text: str) -> np.ndarray:
    """A 128-value signature; equal positions estimate the Jaccard similarity of the shingle sets.

    The writer asks for a document's signature twice in one batch (marking near-duplicates, then finding
    its copies in the link step), so the last few are kept; they are read-only, being shared."""
    signature = _minhash(text)
    signature.setflags(write=False)
    return signature


@lru_cache(maxsize=128)
def text_shingles(text: str) -> frozenset[int]:
    """``shingles(text)`` of the last few texts: the writer's link step takes a document's again (its copies)."""
    return frozenset(shingles(text))


def _minhash(text: str) -> np.ndarray:
    values = np.fromiter(text_shingles(text), dtype=np.uint64)
    if values.size == 0:
        return np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    # multiply-shift hashing: (a*x + b) mod 2**64, keep the high 32 bits
    with np.errstate(over="ignore"):
        hashed = (_A[None, :] * values[:, None] + _B[None, :]) >> np.uint64(32)
    return hashed.min(axis=0)


def jaccard_estimate(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


def band_keys(signature: np.ndarray) -> list[str]:
    return [
        f"{band}:{zlib.crc32(signature[band * _ROWS : (band + 1) * _ROWS].tobytes()):08x}" for band in range(BANDS)
    ]
