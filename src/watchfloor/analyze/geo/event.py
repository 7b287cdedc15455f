"""Where an event happened: the place in a locative phrase of the event's own clause.

The rule, in order:

1. A place counts only as the object of a locative preposition (in, at, near, outside, inside, ...) that
   hangs off the trigger itself or off a word of the trigger's clause (its object, say) without crossing
   another verb: "soldiers killed in Kursk" and "an attack on a depot near Kursk" give Kursk.
2. The goal or the source of a movement is never the event's place: "troops sent to Russia", "moved into
   Kursk", "flown from Pyongyang" say where the movement ends or starts, and the sending happened at
   neither end alone. A locative phrase under such a goal ("sent to the front near Kursk") is the goal's
   description, not the event's place, and is skipped too.
3. Participants are not places: a locative phrase on the partner of a "with" ("consulting with its partners
   in the Indo-Pacific") says where the partner is, not where the event happened. A named partner is the
   exception: in "talks with Lavrov in Moscow" the parser hangs the place on the name, but it is the talks'.
4. "Near" or "outside" an area is not in it: "near Ukraine" gives no place; "near Pokrovsk" gives the town.
5. A noun trigger under a light verb shares the verb's locatives: "held talks with Lavrov in Moscow".
6. Of several candidates, the most closely attached wins ("in Sudzha, Kursk region": Sudzha); ties go to
   the finer place (town over area over country).

No locative phrase, no place: ``None``, never the nearest place in the sentence.
"""

from __future__ import annotations

from spacy.tokens import Token

from ...model import Place
from ..nlp import sentence_of

__all__ = ["event_place", "LOCATIVE", "DIRECTIONAL"]

LOCATIVE = frozenset({"in", "at", "near", "outside", "inside", "within", "around", "across", "throughout",
                      "off", "along", "nearby", "beside", "outskirts"})
DIRECTIONAL = frozenset({"to", "into", "toward", "towards", "from", "onto", "via"})
#: prepositions whose object takes part in the event rather than placing it
COMITATIVE = frozenset({"with", "between", "among", "alongside"})
#: prepositions that put the event beside the place, not inside it
BESIDE = frozenset({"near", "outside", "nearby", "beside", "outskirts", "off", "around"})
_AREAS = {"country", "admin1", "region", "continent", "sea"}
#: verbs that carry a noun event ("hold talks", "pay a visit", "sign a treaty" is not one: signing is the event)
LIGHT_VERBS = frozenset({"hold", "have", "conduct", "make", "pay", "attend", "host", "stage", "carry", "launch"})
#: links from a place name to the name it describes ("Sudzha, Kursk region", "Kursk and Belgorod")
_NAME_LINKS = {"compound", "appos", "conj", "npadvmod", "nmod", "amod", "pobj"}
_MAX_STEPS = 4
_FINER = {"city": 0, "site": 0, "admin2": 1, "admin1": 2, "region": 3, "country": 4, "sea": 5, "continent": 6}


def _locative_head(root: Token) -> Token | None:
    """The preposition a place hangs from: "in" for "in Sudzha, Kursk region" from Sudzha or Kursk."""
    token = root
    for _ in range(3):
        if token.dep_ == "pobj" and token.head.dep_ in {"prep", "agent"}:
            return token.head
        if token.dep_ not in _NAME_LINKS or token.head.i == token.i:
            return None
        token = token.head
    return None


def _steps_to(prep: Token, trigger: Token) -> int | None:
    """How many heads up from the preposition the trigger is, within its clause; None if elsewhere."""
    if prep.lower_ not in LOCATIVE:
        return None
    token, steps = prep.head, 1
    while token.i != trigger.i:
        if token.pos_ in {"VERB", "AUX"} or token.head.i == token.i or steps > _MAX_STEPS:
            return None
        if token.dep_ == "pobj" and token.head.lower_ in DIRECTIONAL:
            return None
        if token.dep_ == "pobj" and token.head.lower_ in COMITATIVE and token.pos_ != "PROPN":
            return None  # "partners in the Indo-Pacific"; a named partner's phrase is the parser's attachment
        token, steps = token.head, steps + 1
    return steps


def event_place(trigger: Token, places: tuple[Place, ...]) -> Place | None:
    """The place where the event of ``trigger`` happened, by the rule in this module's docstring."""
    doc = trigger.doc
    sentence = sentence_of(trigger)
    best: tuple[int, int, int] | None = None
    chosen: Place | None = None
    for place in places:
        if not sentence.start_char <= place.span.start < sentence.end_char:
            continue
        span = doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
        if span is None:
            continue
        prep = _locative_head(span.root)
        if prep is None or (prep.lower_ in BESIDE and place.feature in _AREAS):
            continue
        steps = _steps_to(prep, trigger)
        if steps is None and trigger.dep_ == "dobj" and trigger.head.lemma_ in LIGHT_VERBS:
            steps = _steps_to(prep, trigger.head)
        if steps is None:
            continue
        depth = 0
        token = span.root
        while token.i != prep.i and depth < 4:
            token, depth = token.head, depth + 1
        rank = (steps, depth, _FINER.get(place.feature or "", 3))
        if best is None or rank < best:
            best, chosen = rank, place
    return chosen
