"""Casualty figures: what befell the people a number counts (killed, injured, captured, missing).

A death toll and a troop strength are both "soldiers"; a tracker that puts them side by side misleads. The
casualty is read from the clause around the count, in the ways reports phrase it:
- the count is what the verb did or suffered: "12 people were killed", "killing at least 20 people",
  "capturing 594 servicemen", "thousands have died";
- a participle or adjective after the count: "five people dead and 57 wounded", "2,750 injured";
- a relative clause: "the 42 people who were killed";
- a toll: "the death toll stands at 132".
Killing and wounding are only said of the living, so any counted noun but a measure takes them; capture and
going missing are said of places and things too ("captured 10 villages"), so they need a noun for people.
"""

from __future__ import annotations

from spacy.tokens import Token

from .nlp import children_of, is_root

__all__ = ["CASUALTY_KINDS", "PEOPLE", "casualty_of", "counts_people", "toll_kind"]

CASUALTY_KINDS = ("killed", "injured", "captured", "missing", "casualty")
_KIND_OF_LEMMA = {
    "kill": "killed", "die": "killed", "dead": "killed", "slay": "killed", "murder": "killed",
    "massacre": "killed", "execute": "killed", "perish": "killed",
    "injure": "injured", "wound": "injured", "hurt": "injured", "injured": "injured", "wounded": "injured",
    "maim": "injured",
    "capture": "captured", "abduct": "captured", "kidnap": "captured",
    "miss": "missing", "missing": "missing", "disappear": "missing",
}
_NEEDS_PEOPLE = {"captured", "missing"}
#: nouns that count people: a casualty of capture or disappearance is said of these (and of nationalities)
PEOPLE = {
    "person", "people", "civilian", "child", "kid", "infant", "baby", "woman", "man", "girl", "boy", "adult",
    "soldier", "troop", "serviceman", "servicemember", "personnel", "force", "fighter", "militant", "rebel",
    "insurgent", "combatant", "member", "officer", "general", "commander", "guard", "marine", "sailor",
    "seafarer", "crew", "crewman", "pilot", "paratrooper", "conscript", "recruit", "mercenary", "volunteer",
    "resident", "villager", "inhabitant", "citizen", "national", "patient", "worker", "employee", "staff",
    "journalist", "reporter", "doctor", "nurse", "medic", "student", "pupil", "refugee", "migrant", "prisoner",
    "hostage", "detainee", "protester", "demonstrator", "passenger", "tourist", "pilgrim", "worshipper",
    "policeman", "police", "peacekeeper", "official", "diplomat", "ally", "other", "family", "victim",
}
#: what is measured, not counted: "killed" near one of these is about something else ("12 km from where ...")
_MEASURES = {"kilometer", "kilometre", "km", "mile", "meter", "metre", "percent", "dollar", "euro", "ton",
             "tonne", "hectare", "acre", "hour", "day", "week", "month", "year", "minute", "second", "time"}
_BETWEEN = {"were", "was", "are", "is", "been", "have", "has", "had", "being", "reportedly", "also", "later",
            "critically", "seriously", "lightly", "severely", "gravely", "badly", "slightly", "mortally", ",",
            "others", "more", "still", "remain", "remained", "remains", "now", "all"}


def _kind(token: Token) -> str | None:
    return _KIND_OF_LEMMA.get(token.lemma_.lower()) or _KIND_OF_LEMMA.get(token.lower_)


def counts_people(noun: Token | None) -> bool:
    return noun is not None and (noun.lemma_.lower() in PEOPLE or noun.lower_ in PEOPLE or noun.ent_type_ == "NORP")


def _suffered(verb: Token) -> bool:
    """The subject of ``verb`` undergoes it: a passive, a bare participle ("1,230 wounded"), or dying."""
    if verb.lemma_.lower() in {"die", "perish", "disappear", "miss"} or verb.lower_ in {"dead", "missing"}:
        return True
    children = {c.dep_ for c in children_of(verb)}
    if "auxpass" in children:
        return True
    return verb.tag_ == "VBN" and "aux" not in children


def _after(anchor: Token) -> str | None:
    """A casualty word right after the count, past auxiliaries and adverbs: "57 wounded", "were killed"."""
    doc = anchor.doc
    i = anchor.i + 1
    while i < len(doc) and i <= anchor.i + 4 and doc[i].lower_ in _BETWEEN:
        i += 1
    skipped = {t.lower_ for t in doc[anchor.i + 1 : i]}
    if skipped & {"have", "has", "had"} and "been" not in skipped:
        return None  # "3,000 troops had killed ...": they did it
    if i < len(doc) and doc[i].tag_ in {"VBN", "JJ", "VBD"} and (doc[i].tag_ != "VBD" or i > anchor.i + 1):
        return _kind(doc[i])
    return None


def toll_kind(anchor: Token) -> str | None:
    """"the death toll stands at 132", "a toll of 42 dead": the casualty a toll counts (killed unless said)."""
    head = anchor.head
    if anchor.dep_ == "pobj" and head.lower_ in {"at", "to", "of"}:
        holder = head.head
        nouns = [holder] if holder.lemma_.lower() == "toll" else [
            c for c in children_of(holder) if c.dep_ in {"nsubj", "nsubjpass"} and c.lemma_.lower() == "toll"]
        for noun in nouns:
            modifiers = {c.lemma_.lower() for c in children_of(noun) if c.dep_ in {"compound", "amod", "nmod"}}
            if modifiers & {"injury", "wounded", "injured"}:
                return "injured"
            if modifiers & {"casualty"}:
                return "casualty"
            return "killed"
    return None


def casualty_of(anchor: Token, noun: Token | None) -> str | None:
    """What befell the people counted by the number whose last token or counted noun is ``anchor``."""
    if noun is not None and noun.lemma_.lower() in _MEASURES:
        return None
    lemma = noun.lemma_.lower() if noun is not None else ""
    if lemma in {"death", "fatality", "dead"}:
        return "killed"
    if lemma in {"casualty"}:
        return "casualty"
    if lemma in {"injury", "wounded", "injured"}:
        return "injured"
    kind = _clause_kind(anchor)
    if kind in _NEEDS_PEOPLE and noun is not None and not counts_people(noun):
        return None
    return kind


def _clause_kind(anchor: Token) -> str | None:
    if anchor.dep_ == "pobj" and anchor.head.lower_ == "of" and anchor.head.head.lemma_.lower() in _COLLECTIVE:
        anchor = anchor.head.head  # "a total of 44 members ... were killed": what the total undergoes
    head = anchor.head
    if anchor.dep_ in {"nsubjpass", "nsubj"} and _kind(head) and (anchor.dep_ == "nsubjpass" or _suffered(head)):
        return _kind(head)
    if anchor.dep_ in {"dobj", "obj"} and _kind(head) and head.pos_ == "VERB":
        return _kind(head)
    for child in children_of(anchor):
        if child.dep_ in {"amod", "acl", "acomp"} and _kind(child) and child.i > anchor.i:
            return _kind(child)
        if child.dep_ == "relcl" and _kind(child) and _suffered(child):
            return _kind(child)
    own = toll_kind(anchor) or _after(anchor)
    if own is not None:
        return own
    first = anchor
    while first.dep_ == "conj" and first.head.pos_ in {"NOUN", "PROPN", "NUM"} and not is_root(first):
        first = first.head  # "killed five civilians and two soldiers": the verb governs the first conjunct
    return _clause_kind(first) if first.i != anchor.i else None


_COLLECTIVE = {"total", "number", "group", "toll", "tally", "count"}
