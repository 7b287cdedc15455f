"""The language a document is written in, identified offline with py3langid (its model ships in the package).

Chosen over lingua after measuring both on short news sentences in English, Russian, Ukrainian, Korean, German
and French and on the openings of 54 English reports: both named every one right; py3langid took about 0.3 ms a
text, lingua about 400 ms. Text with too few letters to tell is taken as English, the language the analysis reads.
"""

from __future__ import annotations

from functools import cache
from importlib import metadata
from typing import Any

import numpy as np

__all__ = ["ENGLISH", "detect_language"]

ENGLISH = "en"
#: the layout of the cached model's tables; change it with the code that writes them
_LAYOUT = 2
_SAMPLE_CHARS = 3000
_MIN_LETTERS = 20


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language ("en", "ru", "uk", "ko", ...)."""
    sample = text[:_SAMPLE_CHARS]
    if not _has_letters(sample, _MIN_LETTERS):
        return ENGLISH
    language, _ = _identifier().classify(sample)
    return str(language)


def _has_letters(text: str, wanted: int) -> bool:
    """Whether ``text`` holds ``wanted`` letters: counted until there are enough (the first few dozen characters of
    a story), not through the whole sample."""
    for ch in text:
        if ch.isalpha():
            wanted -= 1
            if wanted <= 0:
                return True
    return wanted <= 0


@cache
def _identifier() -> Any:
    """py3langid's identifier, its model memory-mapped from flat tables in watchfloor's disk cache
    (``analyze/geo/cache.py``): the package ships it LZMA-compressed, and decompressing it took about half a second
    of every command's start-up, and 70 MB in every process; mapped, it opens in milliseconds and the processes on
    a machine share its pages. The numbers are the package's own, so the answers are too."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
    from py3langid.modelio import load_model

    from ..analyze.geo.cache import cached_tables

    def build() -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        ptc, pc, classes, nextmove, row, output = load_model(MODEL_DIR / MODEL_FILE)
        columns: dict[str, np.ndarray] = {"ptc": np.asarray(ptc, dtype=np.float16).ravel().view(np.uint16),  # float16 bits, kept as such
                   "pc": np.asarray(pc, dtype=np.float64), "nextmove": np.frombuffer(nextmove, dtype=np.uint32),
                   "row": np.frombuffer(row, dtype=np.uint16), "output": np.asarray(output, dtype=np.int32)}
        return columns, {"classes": list(classes), "features": int(np.asarray(ptc).shape[0])}

    tables = cached_tables(f"langid-{metadata.version('py3langid')}-{_LAYOUT}", build)
    columns, meta = tables.columns, tables.meta
    try:
        ptc = np.frombuffer(columns["ptc"], dtype=np.float16).reshape(meta["features"], len(meta["classes"]))
        pc = np.frombuffer(columns["pc"], dtype=np.float64).astype(np.float32)
        return LanguageIdentifier(ptc, pc, list(meta["classes"]), columns["nextmove"], columns["output"],
                                  tk_row=columns["row"])
    except (KeyError, ValueError, TypeError):  # a copy not of this layout: the package's own loader, slower
        return LanguageIdentifier.from_model_file(MODEL_FILE)
