"""A country's institutions named by description: "Seoul's spy agency", "the Sudanese army", "Taiwan's defence
ministry".

Reports name a state body by its country and what it is more often than by its name. Each such phrase is one
organisation mention, and every phrase naming the same kind of body of the same country is one entity: "South
Korea's intelligence agency", "Seoul's spy agency" and the alias table's "National Intelligence Service" (whose
entry says it is South Korea's intelligence service) are one; "the Sudanese army" and "Sudan's military" are
one even when the table knows no name for it. The owner is a country, its demonym or its capital.
"""

from __future__ import annotations

from ..model import EntityRef
from .gazetteer import BODY_KINDS, Gazetteer, slug
from .name_tokens import Candidate, Tokens

__all__ = ["BODY_LABEL", "institution_candidates"]

_LONGEST = max(len(k) for k in BODY_KINDS)
_OWNER_LABELS = {"GPE", "NORP", "LOC", "ORG"}


def _owner_country(tok: Tokens, c: Candidate, gaz: Gazetteer) -> EntityRef | None:
    """The country a candidate names: a country, its demonym, or its capital."""
    text = tok.string(c.start, c.end)
    hit = gaz.lookup(text)
    if hit is not None and hit.entity.type == "country" and hit.kind in {"name", "demonym"}:
        return hit.entity
    return gaz.capital_country(text) if c.label in {"GPE", "LOC"} else None


def _kind_at(tok: Tokens, i: int) -> tuple[str, int] | None:
    """The kind of body named by the lower-case words from ``i`` on, and where they end."""
    for length in range(_LONGEST, 0, -1):
        words = tuple(tok.lower[i : i + length])
        if len(words) == length and words in BODY_KINDS and all(tok.text[j].islower() for j in range(i, i + length)):
            return BODY_KINDS[words], i + length
    return None


#: the label of a body named by description; its mention overlaps the country or nationality it contains,
#: which stays a mention of its own ("Sudanese" the nationality, "Sudanese army" the body)
BODY_LABEL = "BODY"


def institution_candidates(tok: Tokens, candidates: list[Candidate], gaz: Gazetteer) -> list[Candidate]:
    """The candidates, and for each country (or demonym, or capital) that owns a described institution, the
    whole description as a mention of that institution (label ``BODY``)."""
    by_country = gaz.bodies_by_kind()
    taken = {i for c in candidates for i in range(c.start, c.end)}
    result: list[Candidate] = []
    for c in candidates:
        country = _owner_country(tok, c, gaz) if c.label in _OWNER_LABELS else None
        after = c.end + (c.end < tok.n and tok.text[c.end] in {"'s", "’s", "'"})
        found = _kind_at(tok, after) if country is not None and after < tok.n else None
        result.append(c)
        if country is None or found is None or any(i in taken for i in range(after, found[1])):
            continue
        kind, end = found
        code = country.key.split(":", 1)[1]
        named = by_country.get((code.upper(), kind))
        # the body the table names, or one key for every way of naming an unnamed body, with the name as the
        # report writes it ("the Syrian military")
        entity = named or EntityRef(f"organization:{code}-{slug(kind)}", tok.string(c.start, end), "organization")
        result.append(Candidate(c.start, end, BODY_LABEL, True, known_as=entity))
    return result
