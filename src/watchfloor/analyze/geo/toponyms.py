"""Toponyms from character spans: designators ("Kursk region") and qualifiers ("Paris, Texas") read off the text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .gazetteer import DESIGNATORS
from .resolve import Resolution, Toponym, population_baseline, resolve

__all__ = ["geocode_spans", "split_designator", "toponyms_from_spans"]

_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")
_QUALIFIER_GAP = re.compile(r"\s*,\s*")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


def split_designator(name: str) -> tuple[str, str | None]:
    """``"Kursk region"`` -> ``("Kursk", "region")``; a name without one comes back whole."""
    words = name.split()
    if len(words) > 1 and words[-1].lower() in DESIGNATORS:
        return " ".join(words[:-1]), words[-1].lower()
    if len(words) > 2 and words[0].lower() in DESIGNATORS and words[1].lower() == "of":
        return " ".join(words[2:]), words[0].lower()
    return name, None


def toponyms_from_spans(text: str, spans: Sequence[tuple[int, int]]) -> list[Toponym]:
    """One :class:`Toponym` per span, in the given order."""
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    within: dict[int, int] = {}
    for a, b in zip(order, order[1:], strict=False):
        if _QUALIFIER_GAP.fullmatch(text[spans[a][1]:spans[b][0]]) and "," in text[spans[a][1]:spans[b][0]]:
            within[a] = b
    toponyms = []
    for i, (start, end) in enumerate(spans):
        name = _POSSESSIVE.sub("", text[start:end].strip())
        name, designator = split_designator(name)
        if designator is None:
            following = _NEXT_WORD.match(text, end)
            if following and following.group(1).lower() in DESIGNATORS:
                designator = following.group(1).lower()
        toponyms.append(Toponym(name, start, end, designator, within.get(i)))
    return toponyms


def geocode_spans(text: str, spans: Sequence[tuple[int, int]], baseline: bool = False) -> list[Resolution]:
    """Geocode given toponym spans of one text together (the gold-toponym setting of the benchmark)."""
    toponyms = toponyms_from_spans(text, spans)
    return population_baseline(toponyms) if baseline else resolve(toponyms)
