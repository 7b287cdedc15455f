"""How the words around a trigger change the event it reports.

The lexicon types a verb by itself ("kill" is ASSAULT, "attack" is FIGHT, "return" is RETREAT); the frame
around it can say otherwise, following the PLOVER category definitions:

* what kills matters: a mine, a shell or an air strike that kills is fighting (FIGHT), a gunman is ASSAULT;
* whom an attack is aimed at matters: an attack on a camp of refugees, a market or a bus is violence against
  civilians (ASSAULT), not a battle;
* going somewhere "for talks" is a visit to consult (CONSULT), not a return;
* peacekeepers arriving or deploying are aid (AID, peacekeeping);
* exercises held by two parties together, or called joint, are military cooperation (COOPERATE);
* preparing to strike is a show of force (MOBILIZE);
* "is committed to" is a promise (AGREE);
* concluding or finding *that* something holds is a statement, not an event;
* "X must do Y", whatever Y is, is a demand (REQUEST) made by whoever says it.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from .event_lexicon import NOUNS

__all__ = ["framed_type", "verb_free_event"]

Typed = tuple[str, str | None]

_KILLING = {"kill", "wound", "injure", "maim"}
#: means and acts of war: what they kill is killed in fighting
_MILITARY_CAUSES = {"attack", "strike", "airstrike", "raid", "shelling", "bombardment", "missile", "rocket",
                    "artillery", "mine", "minefield", "landmine", "drone", "fighting", "clash", "battle", "shell",
                    "mortar", "barrage", "offensive", "fire", "predator", "warplane", "jet", "helicopter", "tank",
                    "gunship", "bombing"}
_ATTACKING = {"attack", "shell", "bomb", "strike", "hit", "target", "raid", "storm", "fire", "pound", "bombard"}
#: whom violence against civilians is aimed at
_CIVILIAN_TARGETS = {"civilian", "refugee", "camp", "village", "villager", "market", "school", "hospital", "clinic",
                     "worshipper", "pilgrim", "protester", "demonstrator", "bus", "mosque", "church", "synagogue",
                     "temple", "home", "house", "wedding", "funeral", "shelter", "student", "child", "woman",
                     "resident", "passenger", "journalist", "family", "farmer", "neighbourhood", "neighborhood"}
_MOVING = {"return", "arrive", "travel", "fly", "head", "go", "come", "leave", "set"}
_EXERCISES = {"exercise", "drill", "game", "maneuver", "manoeuvre", "manoeuvres", "maneuvers", "war"}
_PREPARING = {"prepare", "ready", "gear"}
#: verbs of beginning or going on: the act is in their complement ("resume shelling")
_ASPECTUAL = {"resume", "continue", "begin", "start", "keep", "renew"}
_MEASURES = {"day", "week", "month", "hour", "round", "series", "number", "wave", "deployment", "contingent", "batch",
             "patch", "group", "unit", "first", "team"}
_STATING = {"conclude", "find", "determine", "assess", "judge", "establish"}


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _child(token: Token, deps: set[str]) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def _words_of(noun: Token | None) -> set[str]:
    """The noun's lemma and those of its compound and adjectival modifiers ("minefield explosion"), and of
    what it measures ("ten days of war games")."""
    if noun is None:
        return set()
    words = {_lemma(noun), *(_lemma(c) for c in noun.children if c.dep_ in {"compound", "amod", "nmod"})}
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    measured = _child(of, {"pobj"}) if of is not None and (noun.like_num or _lemma(noun) in _MEASURES) else None
    return words | _words_of(measured) if measured is not None else words


def _parties(token: Token) -> int:
    """How many parties a subject names: "French and Egyptian warships" are two."""
    modifiers = [c for c in token.children if c.dep_ in {"amod", "compound"} and c.ent_type_ in {"NORP", "GPE"}]
    named = len(modifiers) + sum(1 for m in modifiers for c in m.conjuncts)
    return max(1 + len(token.conjuncts), named)


def framed_type(token: Token, typed: Typed | None) -> Typed | None:
    """The type of the event whose verb is ``token``, given its lexicon type ``typed`` (None when the
    lexicon has none), after reading the frame around it."""
    lemma = _lemma(token)
    subject = _child(token, {"nsubj"})
    direct = _child(token, {"dobj", "nsubjpass"})
    if lemma in _STATING and _child(token, {"ccomp"}) is not None:
        return None  # "the forum concluded that ...": a statement
    if typed is not None and typed[0] == "ASSAULT" and lemma in _KILLING and _words_of(subject) & _MILITARY_CAUSES:
        return "FIGHT", None
    if typed is not None and typed[0] == "FIGHT" and lemma in _ATTACKING and _words_of(direct) & _CIVILIAN_TARGETS:
        return "ASSAULT", None
    if lemma in _MOVING:
        for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "for"):
            purpose = _child(prep, {"pobj"})
            if purpose is not None and NOUNS.get(_lemma(purpose), ("", None))[0] == "CONSULT":
                return "CONSULT", "visit"
    if lemma in {"arrive", "deploy", "land"} and ({"peacekeeper", "peacekeeping"} & (
            _words_of(subject) | _words_of(direct))):
        return "AID", "peacekeeping"
    if typed is not None and typed[0] == "MOBILIZE" and direct is not None and _words_of(direct) & _EXERCISES \
            and (subject is not None and _parties(subject) >= 2 or "joint" in _words_of(direct)):
        return "COOPERATE", "military"
    return typed


def verb_free_event(token: Token, conflictual: set[str], type_of_verb: Callable[[Token], Typed | None]) -> Typed | None:
    """An event the lexicon does not type: "prepared to resume shelling" (MOBILIZE), "is committed to opening
    up" (AGREE), "X must ensure ..." (REQUEST)."""
    lemma = _lemma(token)
    if lemma in _PREPARING:
        act = _child(token, {"xcomp"})
        while act is not None and type_of_verb(act) is None and _lemma(act) in _ASPECTUAL:
            act = _child(act, {"xcomp"})
        acted = type_of_verb(act) if act is not None else None
        if acted is not None and acted[0] in conflictual:
            return "MOBILIZE", None
    if token.lower_ == "committed" and _child(token, {"prep"}) is not None \
            and any(c.dep_ in {"nsubj", "nsubjpass"} for c in token.children):
        return "AGREE", None
    if any(c.dep_ == "aux" and c.lower_ in {"must", "should"} for c in token.children) \
            and _child(token, {"nsubj"}) is not None:
        return "REQUEST", None
    return None
