"""Names of military exercises and operations: "the "Joint Sword-2024A" drills", "Operation Iron Shield".

Armed forces name their drills and campaigns, and reports quote the names, often with a code ("-2024A") the
statistical NER cuts apart or calls a work of art. A quoted capitalised name right before "drills",
"exercises", "manoeuvres" or "operation", a capitalised name ending in such a code before one of those nouns,
and the capitalised words after "Operation" are each one name (label EVENT); the names inside replace the
pieces the NER made of them.
"""

from __future__ import annotations

from .name_tokens import Candidate, Tokens

__all__ = ["operation_candidates"]

_OPERATION_NOUNS = {"drill", "drills", "exercise", "exercises", "manoeuvres", "maneuvers", "manoeuvre", "maneuver",
                    "wargames", "operation", "offensive", "campaign", "games"}
_OPEN = {'"', "“", "‘", "'", "«"}
_CLOSE = {'"', "”", "’", "'", "»"}
_DASHES = {"-", "–", "—"}


def _name_part(tok: Tokens, i: int) -> bool:
    """A word of an operation's name: capitalised, a code with digits ("2024A"), or a dash inside."""
    text = tok.text[i]
    return tok.capitalised(i) or text in _DASHES or any(c.isdigit() for c in text) and text[:1].isalnum()


def _quoted_name(tok: Tokens, i: int) -> tuple[int, int] | None:
    """The name between the quote at ``i`` and its closing quote, when an operation noun follows."""
    end = i + 1
    while end < tok.n and end - i <= 6 and tok.text[end] not in _CLOSE and _name_part(tok, end):
        end += 1
    if end >= tok.n or tok.text[end] not in _CLOSE or end == i + 1 or not tok.capitalised(i + 1):
        return None
    after = end + 1
    if after < tok.n and tok.lower[after] == "war" and after + 1 < tok.n:
        after += 1
    return (i + 1, end) if after < tok.n and tok.lower[after] in _OPERATION_NOUNS else None


def _coded_name(tok: Tokens, i: int) -> tuple[int, int] | None:
    """"Joint Sword-2024B drills" without quotes: capitalised words ending in a code, then an operation noun."""
    if not tok.title[i] or i > 0 and tok.capitalised(i - 1):
        return None
    end = i
    while end < tok.n and end - i < 5 and _name_part(tok, end) and tok.text[end] not in _CLOSE:
        end += 1
    coded = any(any(c.isdigit() for c in tok.text[j]) for j in range(i, end))
    named = end - i >= 2 and any(tok.text[j].isalpha() for j in range(i, end))  # a name and a code, not "F-16"
    return (i, end) if coded and named and end < tok.n and tok.lower[end] in _OPERATION_NOUNS else None


def _after_operation(tok: Tokens, i: int) -> tuple[int, int] | None:
    """"Operation Iron Shield": the capitalised words after the word "Operation"."""
    if tok.text[i] != "Operation":
        return None
    end = i + 1
    while end < tok.n and end - i <= 3 and tok.title[end]:
        end += 1
    return (i, end) if end > i + 1 else None


def operation_candidates(tok: Tokens, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates with the names of exercises and operations found, and the pieces inside them dropped."""
    if not _OPERATION_NOUNS.intersection(tok.lower) and "operation" not in tok.lower:
        return candidates  # most reports name no exercise: nothing to look for
    names: list[tuple[int, int]] = []
    i = 0
    while i < tok.n:
        if not (tok.title[i] or tok.text[i] in _OPEN):
            i += 1
            continue
        found = (_quoted_name(tok, i) if tok.text[i] in _OPEN else None) or _after_operation(tok, i) \
            or _coded_name(tok, i)
        if found is not None:
            names.append(found)
            i = found[1]
        else:
            i += 1
    if not names:
        return candidates
    inside = {j for start, end in names for j in range(start, end)}
    kept = [c for c in candidates if not any(j in inside for j in range(c.start, c.end))]
    return kept + [Candidate(start, end, "EVENT", True) for start, end in names]
