"""PLOVER events from the dependency parse: who did what to whom, when, who says so, and how sure.

Verbal triggers come from the lexicon (with phrasal particles and telling objects: "send troops", "impose
sanctions", "call on"); nominal triggers count when they carry an actor ("North Korea's deployment of troops",
"a phone call with the president"). The source is the subject (or the agent of a passive, or the possessor
of a nominal); the target is the object or the participant in a to/with/against/on phrase.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from spacy.attrs import DEP, LEMMA, LOWER, POS
from spacy.tokens import Doc, Token

from ..model import Actor, DateMention, EntityRef, Event, Mention, Modality, Place, Span
from .attribution import SPEECH_VERBS, FoundAttribution
from .event_frames import framed_type, may_be_typed, verb_free_event, verb_lemma
from .event_lexicon import MODE_WORDS, NOUNS, PHRASAL, SPEECH_ONLY, VERB_OBJECT, VERBS
from .gazetteer import gazetteer
from .modality import classify
from .name_keys import entity_key
from .nlp import child_with, children_of, first_conjunct, is_root, kin_of, sentence_of, span_text
from .sources import resolve_source

__all__ = ["EventCandidate", "entity_for", "event_candidates", "extract_events", "plover_type"]

_ACTOR_TYPES = {"country", "organization", "person", "group", "source", "agent"}
#: verbs too general to code without a named source
_NEEDS_SOURCE = {"return", "allow", "permit", "provide", "supply", "dispatch", "intercept", "leave", "remove", "cut",
                 "break", "recall", "free", "close", "shut", "receive", "exercise", "test", "launch", "train", "target", "hit", "fire", "down",
                 "share", "exchange", "help", "engage", "advance", "sit", "seek", "require", "press", "block",
                 "halt", "ignore", "cancel", "reach", "settle", "conclude", "accept", "offer", "commit", "draft",
                 "ask", "call", "monitor", "examine", "cease", "abandon", "integrate", "unite", "burn", "shoot"}
_TARGET_PREPS = {
    "default": ("with", "against", "on", "to", "at", "into", "toward", "towards"),
    "AID": ("to", "for"), "CONSULT": ("with", "to", "in", "between"), "COOPERATE": ("with",),
    "FIGHT": ("against", "with", "on"), "SANCTION": ("on", "against"), "ACCUSE": ("of", "against", "with"), "REQUEST": ("on", "to", "from"),
    "SUPPORT": ("for",), "THREATEN": ("against", "with"), "PROTEST": ("against",), "MOBILIZE": ("to", "into", "near"),
    "RETREAT": ("from", "on"), "AGREE": ("with",), "REJECT": ("from",),
}
#: the party asked to act named inside what is demanded: "demanded the removal of X", "an admission by X"
_REQUESTED_OF = ("of", "by")
_NOMINAL_SOURCE_PREPS = ("by", "from", "between", "of")


@dataclass(frozen=True)
class EventCandidate:
    """An event trigger with its parse tokens, before records are built."""

    type: str
    mode: str | None
    trigger: Token
    sources: tuple[Token, ...]
    targets: tuple[Token, ...]


#: nouns that count or gather the actors named after "of": "a group of diplomats", "thousands of students"
_COLLECTIVES = {"group", "crowd", "number", "thousand", "hundred", "dozen", "ten", "million", "score", "handful",
                "contingent", "band", "delegation", "batch", "wave", "column", "convoy"}


def _of_object(token: Token) -> Token | None:
    """What an "of" after the token names: "thousands [of students]", "tons [of aid]"."""
    of = next((c for c in children_of(token) if c.dep_ == "prep" and c.lower_ == "of"), None)
    return child_with(of, {"pobj"}) if of is not None else None


def _members(token: Token) -> Token:
    """The actors a collective or a count stands for: "tens of thousands of students" → students."""
    for _ in range(3):
        if token.lemma_.lower() not in _COLLECTIVES and token.pos_ != "NUM":
            break
        members = _of_object(token)
        if members is None:
            break
        token = members
    return token


def _with_conjuncts(token: Token | None) -> tuple[Token, ...]:
    if token is None:
        return ()
    token = _members(token)
    return (token, *(_members(c) for c in token.conjuncts if c.pos_ in {"PROPN", "NOUN", "PRON"}))


def _reporting_subject(verb: Token, pronoun: Token) -> Token | None:
    """"The rebels said they will release ...": the noun that speaks, for a pronoun in what it says."""
    current = verb
    for _ in range(4):
        if current.dep_ not in {"ccomp", "xcomp", "conj"} or is_root(current):
            return None
        current = current.head
        if current.lemma_.lower() in SPEECH_VERBS:
            speaker = child_with(current, {"nsubj"})
            return speaker if speaker is not None and _may_stand_for(pronoun, speaker) else None
    return None


def _may_stand_for(pronoun: Token, noun: Token) -> bool:
    """Number and person agree: "she" is not "Russian officials", "they" is not "the minister"."""
    if noun.pos_ not in {"NOUN", "PROPN"}:
        return False
    plural = noun.tag_ in {"NNS", "NNPS"}
    if pronoun.lower_ in {"he", "she"}:
        return not plural and (noun.pos_ == "PROPN" or noun.ent_type_ == "PERSON" or noun.lemma_.lower() in _PEOPLE)
    if pronoun.lower_ == "it":
        return not plural and noun.ent_type_ != "PERSON" and noun.lemma_.lower() not in _PEOPLE
    return plural or noun.lemma_.lower() not in _PEOPLE  # they, we: a plural, or a body ("the government")


#: nouns for one person, which "he" or "she" (and not "it") can stand for
_PEOPLE = {"minister", "president", "spokesman", "spokeswoman", "spokesperson", "official", "leader", "envoy",
           "ambassador", "secretary", "chief", "commander", "premier", "king", "queen", "governor", "mayor"}


def _subject(verb: Token) -> tuple[Token, ...]:
    subject = child_with(verb, {"nsubj"})
    if subject is None:
        agent = child_with(verb, {"agent"})
        if agent is not None:
            subject = child_with(agent, {"pobj"})
    if subject is None and _to_clause(verb) and verb.head.lemma_.lower() in _OBJECT_CONTROL:
        subject = _controller(verb.head)  # "called on Moscow to halt ...": Moscow would halt
    if subject is None and verb.dep_ in {"xcomp", "conj", "advcl", "pcomp", "acomp"} and not is_root(verb):
        return _subject(verb.head)
    if subject is not None and subject.lower_ in {"who", "which", "that"} and verb.dep_ == "relcl":
        subject = verb.head
    if subject is not None and subject.lower_ in {"they", "it", "he", "she", "we"}:
        subject = _reporting_subject(verb, subject) or subject
    return _with_conjuncts(subject)


#: verbs whose object is the one who is to act: "urged X to", "called on X to", "asked X to", "ordered X to"
_OBJECT_CONTROL = {"urge", "call", "ask", "order", "tell", "persuade", "press", "push", "encourage", "invite",
                   "instruct", "appeal", "force", "allow", "permit"}


def _to_clause(verb: Token) -> bool:
    """"(urged X) to halt": an infinitive complement, however the parser attaches it."""
    return verb.dep_ == "xcomp" or verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to"
                                                               for c in children_of(verb))


def _requested(verb: Token) -> bool:
    """"called on Moscow to halt cooperation": the act asked for is the request's content, not an event."""
    if not _to_clause(verb) or verb.head.lemma_.lower() not in _OBJECT_CONTROL:
        return False
    typed = _verb_type(verb.head)
    return typed is not None and typed[0] == "REQUEST"


def _controller(verb: Token) -> Token | None:
    direct = child_with(verb, {"dobj"})
    if direct is not None:
        return direct
    on = next((c for c in children_of(verb) if c.dep_ == "prep" and c.lower_ in {"on", "to"}), None)
    return child_with(on, {"pobj"}) if on is not None else None


def _objects(verb: Token, event_type: str) -> tuple[Token, ...]:
    direct = child_with(verb, {"dobj"})
    if direct is None and child_with(verb, {"agent"}) is not None:
        direct = child_with(verb, {"nsubjpass"})
    preps = _TARGET_PREPS.get(event_type, _TARGET_PREPS["default"])
    via_prep: list[Token] = []
    for child in children_of(verb):
        if child.dep_ in {"prep", "dative"} and child.lower_ in preps:
            via_prep.extend(g for g in children_of(child) if g.dep_ == "pobj")
        if child.dep_ == "dative" and child.pos_ in {"PROPN", "NOUN"}:
            via_prep.append(child)
        if child.dep_ == "dobj" and (direct is None or child.i != direct.i) and child.pos_ == "PROPN":
            via_prep.append(child)
    if direct is not None:
        for child in children_of(direct):  # "send troops to Russia": the destination hangs on the object
            if child.dep_ == "prep" and (child.lower_ in preps or event_type == "REQUEST" and child.lower_ in _REQUESTED_OF):
                via_prep.extend(g for g in children_of(child) if g.dep_ == "pobj")
    clause = child_with(verb, {"ccomp"})  # "demanded that the US cancel ...": the one asked
    if clause is not None and verb.lemma_.lower() in {"demand", "urge", "ask", "insist", "request", "warn"}:
        via_prep.extend(c for c in children_of(clause) if c.dep_ == "nsubj")
    for complement in children_of(verb):  # "offered to hand over to Great Britain", "agreed to meet X"
        if complement.dep_ == "xcomp" and complement.pos_ == "VERB":
            # the act promised or asked for marks its own recipient ("promised aid to X", "agreed to meet X")
            via_prep.extend(_objects(complement, "default"))
    ordered = [direct] if direct is not None else []
    tokens = [t for tok in ordered + via_prep for t in _with_conjuncts(tok)]
    named = [t for t in tokens if t.pos_ == "PROPN" or t.ent_type_ in {"GPE", "ORG", "NORP", "PERSON"}]
    return tuple(dict.fromkeys(named + tokens))


#: nouns that measure or package what they govern: "25,000 tons of food aid", "ten days of war games"
_MEASURES = {"ton", "tonne", "kilogram", "kg", "pound", "litre", "liter", "barrel", "day", "week", "month", "year",
             "hour", "amount", "number", "batch", "shipment", "consignment", "package", "set", "series", "round",
             "wave", "convoy", "load", "lot", "dozen", "hundred", "thousand", "million", "billion", "worth", "supply"}


def _object_nouns(direct: Token | None) -> list[Token]:
    """The object, its noun modifiers, and, when it only measures something ("tons of aid"), the thing measured."""
    if direct is None:
        return []
    nouns = [direct, *(c for c in children_of(direct) if c.dep_ == "compound" and c.pos_ == "NOUN")]  # "mediation effort"
    measured = _of_object(direct) if direct.lemma_.lower() in _MEASURES or direct.like_num else None
    return nouns + [measured] if measured is not None else nouns


def _verb_type(token: Token) -> tuple[str, str | None] | None:
    """The lexicon's type for the verb (phrasal particle first, then a telling object, then the verb alone),
    as the frame around it changes it (``event_frames``)."""
    return framed_type(token, _lexicon_type(token))


_LETTING = {"allow", "permit", "let"}


def _lexicon_type(token: Token) -> tuple[str, str | None] | None:
    lemma = verb_lemma(token)
    for _, dep, word, _ in kin_of(token):
        if dep in {"prt", "prep", "advmod", "acomp"} and (lemma, word) in PHRASAL:
            return PHRASAL[(lemma, word)]
    direct = child_with(token, {"dobj", "nsubjpass"})
    if direct is None and lemma in _LETTING:  # "allowed candidate X to run": the one let act
        clause = child_with(token, {"ccomp", "xcomp"})
        direct = child_with(clause, {"nsubj"}) if clause is not None else None
        direct = next((c for c in children_of(direct) if c.dep_ == "compound"), direct) if direct is not None else None
    for noun in _object_nouns(direct):
        if (lemma, noun.lemma_.lower()) in VERB_OBJECT:
            return VERB_OBJECT[(lemma, noun.lemma_.lower())]
    if lemma in VERBS and lemma not in SPEECH_ONLY:
        return VERBS[lemma]
    return None


def _mode(event_type: str, mode: str | None, trigger: Token) -> str | None:
    if mode:
        return mode
    words = MODE_WORDS.get(event_type)
    if not words:
        return None
    lemmas = [trigger.lemma_.lower(), *(c.lemma_.lower() for c in trigger.subtree if c.i - trigger.i < 6)]
    return next((words[w] for w in lemmas if w in words), None)


_LABOUR = {"hunger", "general", "labour", "labor", "worker", "union", "nationwide", "teacher", "doctor", "miner",
           "open-ended", "student", "day"}


#: modifiers that turn an event noun into something else: "press release", "news release", "phone call centre"
_NOT_EVENT_COMPOUNDS = {"press", "news", "media", "software", "product", "price", "trade", "market"}


def _nominal(token: Token) -> EventCandidate | None:
    entry = NOUNS.get(token.lower_) or NOUNS.get(token.lemma_.lower())
    if entry is None or any(c.dep_ == "compound" and c.lower_ in _NOT_EVENT_COMPOUNDS for c in children_of(token)):
        return None  # "a press release", "a news conference call"
    if token.lemma_.lower() == "call" and any(c.dep_ == "prep" and c.lower_ == "for" for c in children_of(token)):
        entry = ("REQUEST", None)  # "renewed its call for early elections"
    if token.lemma_.lower() == "strike" and (any(c.lemma_.lower() in _LABOUR for c in children_of(token))
                                             or token.head.lemma_.lower() in {"on", "stage", "call", "continue"}):
        entry = ("PROTEST", "strike")
    head = token.head
    if token.dep_ in {"dobj", "nsubjpass"} and (head.lemma_.lower(), token.lemma_.lower()) in VERB_OBJECT:
        return None  # coded on the verb ("imposed sanctions")
    sources: list[Token] = []
    targets: list[Token] = []
    for child in children_of(token):
        if child.dep_ == "poss" or (child.dep_ in {"amod", "compound"} and child.ent_type_ in {"NORP", "GPE", "ORG"}):
            sources.extend(_with_conjuncts(child))
        elif child.dep_ == "prep":
            objects = [g for g in children_of(child) if g.dep_ == "pobj"]
            if child.lower_ in {"by", "from", "between"}:
                sources.extend(t for o in objects for t in _with_conjuncts(o))
            elif child.lower_ in {"with", "to", "against", "on", "into", "in"}:
                targets.extend(t for o in objects for t in _with_conjuncts(o))
            elif child.lower_ == "of":
                for o in objects:  # "deployment of troops to Russia": the destination hangs on "troops"
                    for grand in children_of(o):
                        if grand.dep_ == "prep" and grand.lower_ in {"to", "into", "against"}:
                            targets.extend(g for g in children_of(grand) if g.dep_ == "pobj")
    if not sources and token.dep_ == "pobj" and token.head.lower_ == "on" \
            and token.head.head.lemma_.lower() in {"be", "go", "remain", "stay", "continue"}:  # "miners are on strike"
        sources.extend(_with_conjuncts(child_with(token.head.head, {"nsubj"})))
    if not sources and not targets:
        return None
    event_type, mode = entry
    return EventCandidate(event_type, _mode(event_type, mode, token), token, tuple(sources), tuple(targets))


def event_candidates(doc: Doc) -> list[EventCandidate]:
    """All triggers with their actor tokens, in text order. The parts of speech, dependency labels, lemmas and
    words are read as one array, so that a token object is made only for the words that may trigger: nouns of the
    lexicon, adjectives of intent, verbs that may be typed (a spaCy token is a new object each time it is asked
    for: most of what a walk over every token costs; three verbs in five are neither in the lexicon nor framed)."""
    found: list[EventCandidate] = []
    strings = doc.vocab.strings
    verb, adj, noun, propn = (strings[p] for p in ("VERB", "ADJ", "NOUN", "PROPN"))
    modifiers = {strings.add(d) for d in ("amod", "compound")}
    table = doc.to_array([POS, DEP, LEMMA, LOWER])
    obliged = _obliged(doc, table)
    parts = table[:, 0]
    rows = np.flatnonzero((parts == verb) | (parts == adj) | (parts == noun) | (parts == propn)).tolist()
    for i, (pos, dep, lemma, lower) in zip(rows, table[rows].tolist(), strict=True):
        if pos == verb and dep not in modifiers:
            if i in obliged or may_be_typed(strings[lemma].lower(), strings[lower]):
                verbal = _verbal(doc[i])
                if verbal is not None:
                    found.append(verbal)
        elif pos == adj and strings[lower] in _INTENT_ADJECTIVES:
            verbal = _verbal(doc[i])
            if verbal is not None:
                found.append(verbal)
        elif pos in (noun, propn) and (strings[lower] in _NOMINAL_WORDS or strings[lemma].lower() in NOUNS):
            token = doc[i]
            nominal = _nominal(token) or _ruled_out(token)
            if nominal is not None:
                found.append(nominal)
    return found


#: the words a noun may trigger by (:func:`_nominal`, :func:`_ruled_out`), its lemma aside
_NOMINAL_WORDS = set(NOUNS) | {"question"}


def _obliged(doc: Doc, table: np.ndarray) -> set[int]:
    """The tokens a "must" or "should" hangs on as an auxiliary (whatever the verb, "X must ensure ..." is a
    demand), found from the array of :func:`event_candidates` (POS, DEP, LEMMA, LOWER)."""
    strings = doc.vocab.strings
    words = table[:, 3]
    modal = np.flatnonzero(((words == strings["must"]) | (words == strings["should"])) & (table[:, 1] == strings["aux"]))
    return {doc[i].head.i for i in modal.tolist()}


def _ruled_out(token: Token) -> EventCandidate | None:
    """"X said lifting the sanctions is out of the question": a refusal, by the speaker."""
    if token.lower_ != "question":  # asked first: the head is a new token object at every asking
        return None
    of = token.head
    if of.lower_ != "of" or of.head.lower_ != "out" or is_root(of.head):
        return None
    anchor = of.head.head
    speaker = _speaker(anchor) or _with_conjuncts(child_with(anchor, {"nsubj"}))
    return EventCandidate("REJECT", None, anchor, speaker, ()) if speaker else None


def _named(tokens: tuple[Token, ...]) -> bool:
    """Some actor is named, is an actor by its sector ("police", "rebels") or its office ("the minister",
    "the government"), or is a pronoun standing for one."""
    return any(s.pos_ == "PROPN" or s.ent_type_ or any(c.ent_type_ for c in children_of(s))
               or s.lemma_.lower() in AGENTS or s.lemma_.lower() in _INSTITUTIONS or s.lemma_.lower() in _PEOPLE
               or s.pos_ == "PRON" and s.lower_ in {"he", "she", "they", "it", "we"} for s in tokens)


#: nouns for bodies that act: "the government recalled its ambassador", "the union would not accept"
_INSTITUTIONS = {"government", "ministry", "cabinet", "parliament", "council", "court", "union", "party", "army",
                 "navy", "authority", "administration", "regime", "junta", "committee", "commission", "group",
                 "organisation", "organization", "agency", "bank", "company", "opposition", "coalition", "alliance",
                 "country", "state", "nation", "side", "force", "militia", "faction", "movement", "embassy",
                 "delegation", "legislature", "assembly", "senate", "congress", "bloc", "official", "lawmaker",
                 "envoy", "diplomat", "donor", "prosecutor", "investigator", "inspector", "judge", "region",
                 "province", "republic", "territory", "kidnapper", "hijacker", "captor", "abductor", "negotiator",
                 "resident", "villager", "inmate", "prisoner", "farmer", "teacher", "miner", "driver", "trader",
                 "employee", "doctor", "family", "bishop", "cleric", "tribe", "clan", "community"}


def _verbal(token: Token) -> EventCandidate | None:
    typed = _verb_type(token)
    if typed is None:
        typed = verb_free_event(token, _CONFLICTUAL, _verb_type)
        if typed is not None and typed[0] == "REQUEST" and verb_lemma(token) == "want":
            # "X wants Y to ...": X asks it of Y
            clause = child_with(token, {"ccomp", "xcomp"})
            asked = _with_conjuncts(child_with(clause, {"nsubj"})) if clause is not None else ()
            return EventCandidate("REQUEST", None, token, _subject(token), asked)
        if typed is not None and typed[0] == "REQUEST":
            # "X said Y must ...": X demands, of Y
            subject = _with_conjuncts(child_with(token, {"nsubj"}))
            speaker = _speaker(token)
            return EventCandidate("REQUEST", None, token, speaker, subject) if _named(speaker + subject) else None
    if typed is None or _requested(token):
        return None
    event_type, mode = _by_complement(token, *typed)
    sources = _subject(token)
    if not sources and event_type == "AGREE" and child_with(token, {"agent"}) is None:
        sources = _with_conjuncts(child_with(token, {"nsubjpass"}))  # "Vietnam is committed to ..."
    if not sources:  # "North Korean troops were sent": the owner of the thing moved
        moved = child_with(token, {"nsubjpass", "dobj"})
        if moved is not None:
            sources = tuple(c for c in children_of(moved) if c.dep_ in {"amod", "compound", "poss"}
                            and c.ent_type_ in {"NORP", "GPE"})
    if token.lemma_.lower() in _NEEDS_SOURCE and not _named(sources):
        return None
    return EventCandidate(event_type, _mode(event_type, mode, token), token, sources, _objects(token, event_type))


def _complement_act(token: Token) -> tuple[Token | None, tuple[str, str | None] | None]:
    """The verb of the token's "to" clause ("vowed to fight", "ordered X to leave") and its type."""
    act = next((c for c in children_of(token) if c.pos_ == "VERB" and _to_clause(c)), None)
    return act, (framed_type(act, _lexicon_type(act)) if act is not None else None)


def _by_complement(token: Token, event_type: str, mode: str | None) -> tuple[str, str | None]:
    """Verbs whose "to" clause says what the act is: sending experts to investigate is investigating, a vow
    to fight is a threat, an order to stop publishing is coercion, a call to unite against someone rallies
    opposition to them (CAMEO 113)."""
    lemma = verb_lemma(token)
    if lemma not in _SENDING | _PROMISING | {"order", "take"} and event_type != "REQUEST":
        return event_type, mode
    act, acted = _complement_act(token)
    if act is None:
        return event_type, mode
    if lemma in _SENDING and acted is not None and acted[0] in {"INVESTIGATE", "CONSULT"}:
        return acted
    if event_type == "AGREE" and lemma in _PROMISING and acted is not None and acted[0] in _CONFLICTUAL:
        return "THREATEN", acted[0].lower()  # "vowed to fight on": a promise of a blow
    if lemma == "order" and acted is not None and acted[0] in {"COERCE", "SANCTION"}:
        return "COERCE", acted[0].lower()
    taken = child_with(token, {"dobj"})
    if lemma == "take" and acted is not None and taken is not None and taken.lemma_.lower() in {"step", "measure",
                                                                                                "action"}:
        return acted  # "took steps to ease restrictions"
    if event_type == "REQUEST" and any(c.dep_ == "prep" and c.lower_ == "against" for t in (act, *act.conjuncts)
                                       for c in children_of(t)):
        return "ACCUSE", None  # "called on Arabs to unite against ..."
    return event_type, mode


def _speaker(verb: Token) -> tuple[Token, ...]:
    """The subject of the speech verb a clause is reported by: "the Red Cross [said] forces must ..."."""
    current = verb
    for _ in range(3):
        if current.dep_ not in {"ccomp", "conj"} or is_root(current):
            return ()
        current = current.head
        if current.lemma_.lower() in SPEECH_VERBS:
            return _with_conjuncts(child_with(current, {"nsubj"}))
    return ()


#: verbs whose object (or "on" object) is a party addressed, asked or blamed
_ADDRESSING = {"urge", "ask", "press", "call", "appeal", "warn", "tell", "invite", "accuse", "blame", "criticize",
               "criticise", "condemn", "demand", "summon"}


def _addressed(token: Token) -> bool:
    """The object of "urged", "called on", "accused" (or a name joined to it by "and")."""
    token = first_conjunct(token)
    if token.dep_ == "pobj" and token.head.lower_ == "on":
        token = token.head
    elif token.dep_ != "dobj":
        return False
    return token.head.lemma_.lower() in _ADDRESSING


def entity_for(token: Token, mentions: list[Mention], doc_id: str) -> EntityRef | None:
    """The entity a noun phrase names: its own mention, else the rightmost actor mention before its head
    ("North Korean Foreign Minister Choe Son Hui" → the minister; "South Korean officials" → South Korea)."""
    at = token.idx
    for mention in mentions:
        if mention.span.start <= at < mention.span.end:
            if mention.entity.type == "place" and _addressed(token):
                # "called on Moscow to halt ...": a capital addressed, asked or blamed is its government
                return gazetteer().capital_country(mention.span.text) or mention.entity
            if mention.entity.type == "country" and not mention.as_actor and not _addressed(token) \
                    and gazetteer().capital_country(mention.span.text) is not None:
                # "talks in Moscow": the capital as a place is no party to the event
                return EntityRef(entity_key("place", mention.span.text), mention.span.text, "place")
            return mention.entity
    start = token.left_edge.idx
    inside = [m for m in mentions if start <= m.span.start and m.span.end <= at
              and m.entity.type in _ACTOR_TYPES]
    if inside:
        return max(inside, key=lambda m: m.span.end).entity
    # "the Danish minister": a nationality the name finder leaves out before a title still says whose
    nationality = next((gazetteer().lookup(c.text) for c in children_of(token) if c.dep_ == "amod"
                        and c.ent_type_ == "NORP"), None)
    if nationality is not None and nationality.entity.type == "country":
        return nationality.entity
    if token.lower_ in {"he", "she", "they", "it"}:
        entity, _ = resolve_source(token, mentions, doc_id)
        return entity if entity.type != "source" else None
    return None


#: unnamed actors that event coders still code (by sector, as GDELT and POLECAT do): "police arrested ..."
AGENTS = {"police": "police", "policeman": "police", "protester": "protesters", "demonstrator": "protesters",
          "rioter": "rioters", "gunman": "gunmen", "militant": "militants", "rebel": "rebels",
          "insurgent": "insurgents", "guerrilla": "rebels", "separatist": "separatists", "jihadist": "militants",
          "terrorist": "militants", "soldier": "soldiers", "troop": "soldiers", "army": "military",
          "military": "military", "activist": "activists", "student": "students", "worker": "workers",
          "farmer": "farmers", "settler": "settlers", "pirate": "pirates", "mob": "rioters", "crowd": "protesters"}


#: types whose object is the one acted upon ("arrested activists"), so an unnamed object is a target
_AGENT_TARGET_TYPES = {"COERCE", "ASSAULT", "FIGHT"}


def _agent(token: Token) -> EntityRef | None:
    name = AGENTS.get(token.lemma_.lower()) if token.pos_ == "NOUN" else None
    return EntityRef(f"agent:{name}", name.capitalize(), "agent") if name else None


def _entities_for(token: Token, mentions: list[Mention], doc_id: str) -> list[EntityRef]:
    """The entities a noun phrase stands for; "the foreign ministers of Chile and Peru" stands for both;
    an unnamed actor ("police", "protesters") is its sector."""
    entity = entity_for(token, mentions, doc_id)
    if entity is not None:
        return [entity]
    of = next((c for c in children_of(token) if c.dep_ == "prep" and c.lower_ == "of"), None)
    owner = next((c for c in children_of(of) if c.dep_ == "pobj"), None) if of is not None else None
    if owner is None:
        agent = _agent(token)
        return [agent] if agent else []
    found = [entity_for(t, mentions, doc_id) for t in (owner, *owner.conjuncts)]
    return [e for e in found if e is not None]


def _actors(candidate: EventCandidate, mentions: list[Mention], doc_id: str) -> tuple[Actor, ...]:
    actors: list[Actor] = []
    seen: set[tuple[str, str]] = set()
    for role, tokens in (("source", candidate.sources), ("target", candidate.targets)):
        for entity in (e for token in tokens for e in _entities_for(token, mentions, doc_id)):
            if entity.type not in _ACTOR_TYPES or (entity.key, role) in seen:
                continue
            if entity.type == "agent" and role == "target" and candidate.type not in _AGENT_TARGET_TYPES:
                continue  # "sent 10,000 soldiers": what is sent is not the one the event is aimed at
            if role == "target" and (entity.key, "source") in seen:
                continue
            seen.add((entity.key, role))
            actors.append(Actor(entity, role))
    return tuple(actors)


def _nearest_date(trigger: Token, dates: tuple[DateMention, ...]) -> DateMention | None:
    sent = sentence_of(trigger)
    inside = [d for d in dates if sent.start_char <= d.span.start and d.span.end <= sent.end_char]
    if not inside:
        return None
    subtree_start, subtree_end = trigger.left_edge.idx, trigger.right_edge.idx + len(trigger.right_edge)
    own = [d for d in inside if subtree_start <= d.span.start and d.span.end <= subtree_end]
    pool = own or inside
    return min(pool, key=lambda d: abs(d.span.start - trigger.idx))


def _governing(found: list[FoundAttribution], token: Token) -> FoundAttribution | None:
    best = None
    for item in found:
        content = item.record.content
        if content.start <= token.idx < content.end and item.cue.i != token.i:
            if best is None or content.end - content.start < best.record.content.end - best.record.content.start:
                best = item
    return best


#: adjectives that state an intent ("is committed to", "is ready to")
_INTENT_ADJECTIVES = {"committed", "willing", "ready", "prepared", "eager", "determined", "keen"}
#: verbs of sending people somewhere, whose purpose clause can say what the act is
_SENDING = {"send", "dispatch", "deploy"}
#: verbs that utter a threat: what they report is an intended act
_THREATENING = {"threaten", "warn", "vow", "pledge", "swear", "promise"}
#: verbs of promising: what is promised gives the direction (PLOVER codes intent to harm as THREATEN)
_PROMISING = {"vow", "pledge", "promise", "swear", "commit", "undertake", "guarantee"}
#: PLOVER codes an intention by its direction: cooperative intents are AGREE, conflictual ones THREATEN
_COOPERATIVE = {"AID", "CONSULT", "CONCEDE", "RETREAT", "SUPPORT", "COOPERATE", "AGREE"}
_CONFLICTUAL = {"SANCTION", "COERCE", "FIGHT", "ASSAULT", "PROTEST", "MOBILIZE", "REJECT", "ACCUSE"}


def plover_type(candidate: EventCandidate, modality: Modality, polarity: str = "positive") -> tuple[str, str | None]:
    """(type, mode) following PLOVER's conventions: an intention is coded by its direction ("will release" →
    AGREE, "would blockade" → THREATEN), "X must do" is a REQUEST, and refusing to cooperate is REJECT."""
    if any(c.dep_ == "aux" and c.lower_ in {"must", "should"} for c in children_of(candidate.trigger)):
        return "REQUEST", candidate.type.lower()
    if polarity == "negative" and modality is not Modality.DENIED and candidate.type in _COOPERATIVE:
        return "REJECT", candidate.type.lower()
    trigger = candidate.trigger
    # the condition hangs on the act, or on the verb that carries it ("would resume fighting if ...")
    carriers = [trigger, trigger.head] if trigger.dep_ in {"xcomp", "dobj"} else [trigger]
    conditions = {m.lower_ for t in carriers for c in children_of(t) if c.dep_ == "advcl" for m in children_of(c)
                  if m.dep_ == "mark"}
    if conditions & {"unless", "if"} and candidate.type not in {"THREATEN", "REQUEST", "AGREE"}:
        # an offer on conditions is an intent to cooperate; a blow on conditions, or any act "unless" the other
        # side gives in (an ultimatum), is a threat
        cooperative = candidate.type in _COOPERATIVE and "unless" not in conditions
        return ("AGREE" if cooperative else "THREATEN"), candidate.type.lower()
    if modality is Modality.PLANNED:
        if candidate.type in _COOPERATIVE and candidate.type != "AGREE":
            return "AGREE", candidate.mode or candidate.type.lower()
        if candidate.type in _CONFLICTUAL:
            return "THREATEN", candidate.mode or candidate.type.lower()
    return candidate.type, candidate.mode


PlaceFinder = Callable[[Token], Place | None]


def extract_events(
    doc: Doc, doc_id: str, mentions: list[Mention], dates: tuple[DateMention, ...],
    attributions: list[FoundAttribution], outlet: EntityRef, place_of: PlaceFinder | None = None,
) -> tuple[Event, ...]:
    events: list[Event] = []
    for candidate in event_candidates(doc):
        actors = _actors(candidate, mentions, doc_id)
        if not actors:
            continue
        trigger = candidate.trigger
        governing = _governing(attributions, trigger)
        modality, polarity = classify(trigger, governing.cue if governing else None)
        event_type, mode = plover_type(candidate, modality, polarity)
        if event_type == "REJECT" and candidate.type != "REJECT":  # "will not accept": the refusal is what happened
            polarity = "positive"
            modality = Modality.ASSERTED if modality is Modality.NEGATED else modality
        if event_type == "THREATEN" and modality is Modality.ASSERTED and polarity == "positive" \
                and verb_lemma(trigger) in _THREATENING:
            modality = Modality.PLANNED  # "warned it would respond": a threat states what is intended
        chain = governing.record.chain if governing else ()
        sent = sentence_of(trigger)
        written = span_text(sent)
        text = written.strip()
        start = sent.start_char + (len(written) - len(written.lstrip()))
        date = _nearest_date(trigger, dates)
        events.append(Event(
            type=event_type,
            mode=mode,
            actors=actors,
            trigger=Span(doc_id, trigger.idx, trigger.idx + len(trigger), trigger.text),
            evidence=Span(doc_id, start, start + len(text), text),
            modality=modality,
            polarity=polarity,
            attributed_to=chain or (outlet,),
            date=date.value if date else None,
            place=place_of(trigger) if place_of else None,
        ))
    return tuple(events)
