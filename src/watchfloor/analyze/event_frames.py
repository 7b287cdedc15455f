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
from functools import lru_cache

from spacy.tokens import Token

from .event_lexicon import NOUNS, PHRASAL, VERB_OBJECT, VERBS
from .nlp import child_with, children_of

__all__ = ["framed_type", "may_be_typed", "verb_free_event", "verb_lemma"]

Typed = tuple[str, str | None]

_KILLING = {"kill", "wound", "injure", "maim"}
#: means and acts of war: what they kill is killed in fighting
_MILITARY_CAUSES = {"attack", "strike", "airstrike", "raid", "shelling", "bombardment", "missile", "rocket",
                    "artillery", "mine", "minefield", "landmine", "drone", "fighting", "clash", "battle", "shell",
                    "mortar", "barrage", "offensive", "fire", "predator", "warplane", "jet", "helicopter", "tank",
                    "gunship", "bombing"}
_ATTACKING = {"attack", "shell", "bomb", "strike", "hit", "target", "raid", "storm", "fire", "pound", "bombard",
              "shoot"}
#: whom violence against civilians is aimed at
_CIVILIAN_TARGETS = {"civilian", "refugee", "camp", "village", "villager", "market", "school", "hospital", "clinic",
                     "worshipper", "pilgrim", "protester", "demonstrator", "bus", "mosque", "church", "synagogue",
                     "temple", "home", "house", "wedding", "funeral", "shelter", "student", "child", "woman",
                     "resident", "passenger", "journalist", "family", "farmer", "neighbourhood", "neighborhood"}
_ARMED_FORCES = {"army", "troop", "soldier", "force", "military", "navy", "warplane", "aircraft", "jet", "unit",
                 "artillery", "battalion", "brigade", "division", "marine", "paratrooper"}
#: crowds whose violence is rioting (CAMEO 145), not an armed attack
_CROWDS = {"rioter", "protester", "demonstrator", "mob", "crowd", "student", "supporter", "youth"}
#: people who strike or boycott as a protest (CAMEO 143), where a state's boycott is a sanction
_POPULATION = _CROWDS | {"worker", "teacher", "farmer", "union", "miner", "driver", "doctor", "trader", "merchant",
                         "shopkeeper", "employee", "resident", "villager", "inmate", "prisoner", "parent", "nurse"}
#: verbs that carry an event noun: the noun says what the event is
_LIGHT_VERBS = {"stage", "hold", "carry", "conduct", "mount", "launch", "go", "begin", "start", "organise",
                "organize", "make", "lodge", "file", "issue", "wage", "take", "pay"}
#: verbs of making known a plan: what is planned gives the direction of the intent
_ANNOUNCING = {"announce", "unveil", "outline", "present", "reveal", "disclose", "draw"}
_MOVING = {"return", "arrive", "travel", "fly", "head", "go", "come", "leave", "set"}
_EXERCISES = {"exercise", "drill", "game", "maneuver", "manoeuvre", "manoeuvres", "maneuvers", "war"}
_PREPARING = {"prepare", "gear"}
#: adjectives of readiness: an intent, coded by its direction
_WILLING = {"willing", "ready", "prepared", "eager", "determined", "keen"}
#: verbs of beginning or going on: the act is in their complement ("resume shelling")
_ASPECTUAL = {"resume", "continue", "begin", "start", "keep", "renew"}
_MEASURES = {"day", "week", "month", "hour", "round", "series", "number", "wave", "deployment", "contingent", "batch",
             "patch", "group", "unit", "first", "team"}
_STATING = {"conclude", "find", "determine", "assess", "judge", "establish"}


def _lemma(token: Token) -> str:
    return verb_lemma(token) if token.pos_ == "VERB" else token.lemma_.lower()


_LEXICON_VERBS = set(VERBS) | {v for v, _ in VERB_OBJECT} | {v for v, _ in PHRASAL}


def verb_lemma(token: Token) -> str:
    """The token's lemma, or the lexicon verb it is an inflection of when the lemmatiser missed it
    ("staged" -> "stag" for the model, "stage" for us)."""
    return _verb_lemma(token.lemma_.lower(), token.lower_)


def _verb_lemma(lemma: str, word: str) -> str:
    return lemma if lemma in _LEXICON_VERBS else _inflected(lemma, word)


@lru_cache(maxsize=1 << 14)
def _inflected(lemma: str, word: str) -> str:
    """The lexicon verb ``word`` is an inflection of, else ``lemma`` (kept per process: the same verbs recur in
    every document)."""
    for suffix, replacements in (("ied", ("y",)), ("ed", ("e", "")), ("ing", ("e", "")), ("es", ("e", "")), ("s", ("",))):
        if word.endswith(suffix):
            for replacement in replacements:
                guess = word[: -len(suffix)] + replacement
                if guess in _LEXICON_VERBS:
                    return guess
    return lemma



def _words_of(noun: Token | None) -> set[str]:
    """The noun's lemma and those of its compound and adjectival modifiers ("minefield explosion"), and of
    what it measures ("ten days of war games")."""
    if noun is None:
        return set()
    words = {_lemma(noun), *(_lemma(c) for c in children_of(noun) if c.dep_ in {"compound", "amod", "nmod"})}
    of = next((c for c in children_of(noun) if c.dep_ == "prep" and c.lower_ == "of"), None)
    measured = child_with(of, {"pobj"}) if of is not None and (noun.like_num or _lemma(noun) in _MEASURES) else None
    return words | _words_of(measured) if measured is not None else words


def _parties(token: Token) -> int:
    """How many parties a subject names: "French and Egyptian warships" are two."""
    modifiers = [c for c in children_of(token) if c.dep_ in {"amod", "compound"} and c.ent_type_ in {"NORP", "GPE"}]
    named = len(modifiers) + sum(1 for m in modifiers for c in m.conjuncts)
    return max(1 + len(token.conjuncts), named)


def _light_object(token: Token) -> Token | None:
    """The event noun a light verb carries: "staged a protest", "carried out raids", "went on strike"."""
    if _lemma(token) not in _LIGHT_VERBS:
        return None
    direct = child_with(token, {"dobj"})
    if direct is None:
        on = next((c for c in children_of(token) if c.dep_ in {"prep", "prt"} and c.lower_ in {"on", "out"}), None)
        direct = child_with(on, {"pobj"}) if on is not None and on.lower_ == "on" else child_with(token, {"dobj"})
    return direct if direct is not None and _lemma(direct) in NOUNS else None


#: the verbs whose frame alone makes an event of them, typed by the lexicon or not (the branches of
#: :func:`framed_type` that need no type): any other verb the lexicon leaves untyped stays so, unread
_FRAMING_VERBS = {"blow", "arrive", "deploy", "land", "agree", "accede", "bow", "give", "yield", "submit", "take", "put",
                  "place", "keep", "hold"} | _MOVING


def _aimed_at(token: Token, direct: Token | None) -> set[str]:
    """The words of what the verb is aimed at: its object, and what it is "on" or "at"."""
    return _words_of(direct) | {w for c in children_of(token) if c.dep_ == "prep" and c.lower_ in {"on", "at"}
                                for w in _words_of(child_with(c, {"pobj"}))}


def framed_type(token: Token, typed: Typed | None) -> Typed | None:
    """The type of the event whose verb is ``token``, given its lexicon type ``typed`` (None when the
    lexicon has none), after reading the frame around it."""
    lemma = _lemma(token)
    light = _light_object(token) if typed is None else None
    if light is not None:
        typed = NOUNS[_lemma(light)]
        if _lemma(light) == "strike" and lemma in {"go", "stage", "call", "hold"}:
            typed = ("PROTEST", "strike")
    if typed is None and lemma not in _FRAMING_VERBS:
        return None  # no frame below types a verb the lexicon leaves untyped, but those of these verbs
    subject = child_with(token, {"nsubj"})
    if subject is None and token.dep_ == "conj":  # "rioters set fire to cars and looted shops"
        subject = child_with(token.head, {"nsubj"})
    direct = child_with(token, {"dobj", "nsubjpass"})
    if typed is not None and typed[0] in {"ASSAULT", "FIGHT", "COERCE"} and _words_of(subject) & _CROWDS:
        return "PROTEST", "riot"  # "rioters set fire to cars"
    if typed is not None and typed[0] == "SANCTION" and lemma == "boycott" and _words_of(subject) & _POPULATION:
        return "PROTEST", "boycott"  # "students boycotted classes"
    if lemma == "blow" and any(c.lower_ in {"himself", "herself", "themselves"} for c in children_of(token)):
        return "ASSAULT", "suicide-attack"
    if lemma in _STATING and child_with(token, {"ccomp"}) is not None:
        return None  # "the forum concluded that ...": a statement
    if typed is not None and typed[0] in {"FIGHT", "ASSAULT"} and lemma in _ATTACKING | _KILLING | {"open"} \
            and _aimed_at(token, direct) & _CIVILIAN_TARGETS:
        return "ASSAULT", None
    if typed is not None and typed[0] == "ASSAULT" and lemma in _KILLING | _ATTACKING \
            and _words_of(subject) & (_MILITARY_CAUSES | _ARMED_FORCES):
        return "FIGHT", None  # "a mine killed two soldiers", "warplanes bombed military targets"
    if lemma in _MOVING:
        for prep in (c for c in children_of(token) if c.dep_ == "prep" and c.lower_ == "for"):
            purpose = child_with(prep, {"pobj"})
            if purpose is not None and NOUNS.get(_lemma(purpose), ("", None))[0] == "CONSULT":
                return "CONSULT", "visit"
    if lemma in {"arrive", "deploy", "land"} and ({"peacekeeper", "peacekeeping"} & (
            _words_of(subject) | _words_of(direct))):
        return "AID", "peacekeeping"
    if lemma in {"agree", "accede", "bow", "give", "yield", "submit"} and any(
            c.dep_ == "prep" and c.lower_ == "to" and _words_of(child_with(c, {"pobj"})) & {"demand", "request", "condition",
                                                                                   "pressure", "ultimatum"}
            for c in children_of(token)):
        return "CONCEDE", None  # "agreed to the strikers' demands" (CAMEO 083)
    if lemma == "take" and any(c.dep_ == "prep" and c.lower_ == "to" and any(
            _lemma(g) in {"street", "streets"} for g in children_of(c)) for c in children_of(token)):
        return "PROTEST", "demo"  # "took to the streets"
    if lemma in {"put", "place", "keep", "hold"} and any(c.dep_ == "prep" and c.lower_ == "under" and any(
            _lemma(g) in {"arrest", "detention", "curfew", "guard", "surveillance"} for g in children_of(c))
            for c in children_of(token)):
        return "COERCE", "arrest"  # "placed him under house arrest"
    if lemma in {"put", "place", "keep"} and any(c.dep_ == "prep" and c.lower_ == "on" and any(
            _lemma(g) == "alert" for g in children_of(c)) for c in children_of(token)):
        return "MOBILIZE", None  # "put its troops on alert"
    if typed is not None and typed[0] == "MOBILIZE" and direct is not None and _words_of(direct) & _EXERCISES \
            and (subject is not None and _parties(subject) >= 2 or "joint" in _words_of(direct)):
        return "COOPERATE", "military"
    return typed


#: the verbs that may be typed at all: by the lexicon, by a frame (a light verb's noun, the frames of
#: :func:`framed_type`), or by :func:`verb_free_event` (but for its rule of obligation, "X must ensure")
_TYPABLE = _LEXICON_VERBS | _LIGHT_VERBS | _FRAMING_VERBS | _ANNOUNCING | _PREPARING | {"want", "have"}


def may_be_typed(lemma: str, word: str) -> bool:
    """Whether a verb (its lemma in lower case, and the word) may be typed by :func:`framed_type` or
    :func:`verb_free_event` when no "must" or "should" hangs on it: asked from the parse's arrays, so that most
    verbs of a document are passed over without a token object or a walk of their children."""
    return word == "committed" or _verb_lemma(lemma, word) in _TYPABLE


def verb_free_event(token: Token, conflictual: set[str], type_of_verb: Callable[[Token], Typed | None]) -> Typed | None:
    """An event the lexicon does not type: "prepared to resume shelling" (MOBILIZE), "is committed to opening
    up" (AGREE), "announced plans to build" (AGREE), "X must ensure ..." (REQUEST)."""
    lemma = _lemma(token)
    plan = child_with(token, {"dobj"})
    if lemma in _ANNOUNCING and plan is not None and _lemma(plan) in {"plan", "intention", "proposal", "project"}:
        act = next((c for c in children_of(plan) if c.dep_ in {"acl", "relcl"} and c.pos_ == "VERB"), None)
        if act is not None:
            acted = type_of_verb(act)
            return ("THREATEN", acted[0].lower()) if acted is not None and acted[0] in conflictual else ("AGREE", None)
    if lemma in _PREPARING and token.pos_ == "VERB":
        act = child_with(token, {"xcomp"})
        while act is not None and type_of_verb(act) is None and _lemma(act) in _ASPECTUAL:
            act = child_with(act, {"xcomp"})
        acted = type_of_verb(act) if act is not None else None
        if acted is not None and acted[0] in conflictual:
            return "MOBILIZE", None
    if token.lower_ == "committed" and child_with(token, {"prep"}) is not None \
            and any(c.dep_ in {"nsubj", "nsubjpass"} for c in children_of(token)):
        return "AGREE", None
    if token.pos_ == "ADJ" and token.lower_ in _WILLING:  # "is ready to resume talks", "is ready to strike"
        act = child_with(token, {"xcomp"})
        acted = type_of_verb(act) if act is not None else None
        if act is not None:
            return ("THREATEN", acted[0].lower()) if acted is not None and acted[0] in conflictual else ("AGREE", None)
    if lemma == "want" and child_with(token, {"dobj", "nsubj"}) is not None and child_with(token, {"ccomp", "xcomp"}) is not None \
            and any(c.dep_ == "nsubj" for c in (child_with(token, {"ccomp", "xcomp"}) or token).children):
        return "REQUEST", None  # "wants the UN to send observers"
    if lemma == "have" and any(_lemma(c) in {"intention", "plan"} and any(d.lower_ == "no" for d in children_of(c))
                               for c in children_of(token) if c.dep_ == "dobj"):
        return "REJECT", None  # "has no intention of withdrawing"
    if any(c.dep_ == "aux" and c.lower_ in {"must", "should"} for c in children_of(token)) \
            and child_with(token, {"nsubj"}) is not None:
        return "REQUEST", None
    return None
