"""Quantities: a number bound to the noun it counts, with ranges, hedges, owner and part–whole links.

"about 3,000 North Korean soldiers" → value 3000, unit "soldier", approximate, subject North Korea.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from ..model import EntityRef, Quantity, Span
from .gazetteer import gazetteer
from .nlp import text_of

__all__ = ["extract_quantities", "parse_number"]

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1, "dozen": 12, "half": 0.5,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000, "mln": 1_000_000}
#: vague plurals: a lower bound that always holds and a plausible upper one
_VAGUE = {"dozens": (12, 99), "hundreds": (100, 999), "thousands": (1_000, 9_999), "millions": (1_000_000, 9_999_999),
          "tens of thousands": (10_000, 99_999), "hundreds of thousands": (100_000, 999_999),
          "scores": (20, 99)}
_HEDGES = {"about", "around", "roughly", "nearly", "approximately", "some", "almost", "over", "estimated",
           "up", "least", "more", "less", "fewer", "than", "as", "many", "much", "close", "upwards", "under",
           "reportedly", "possibly", "perhaps", "~", "circa", "c.", "approx", "approx.", "maybe"}
_APPROX_WORDS = {"about", "around", "roughly", "nearly", "approximately", "some", "almost", "over", "estimated",
                 "up", "least", "more", "less", "fewer", "many", "close", "upwards", "under", "~", "circa",
                 "approx", "approx.", "reportedly", "possibly", "perhaps", "maybe", "much"}
_CURRENCY = {"$": "dollar", "€": "euro", "£": "pound", "¥": "yen", "₩": "won", "₽": "ruble", "₴": "hryvnia",
             "usd": "dollar", "us$": "dollar", "eur": "euro"}
_SKIP_ENTS = {"DATE", "TIME", "ORDINAL", "PERSON", "ORG", "LAW", "PRODUCT", "WORK_OF_ART", "EVENT", "FAC", "GPE"}
_NUMERIC = re.compile(r"^\d[\d,]*(?:\.\d+)?$")


def parse_number(words: list[str]) -> float | None:
    """Value of a numeral written in digits, words or both ("1.5 million", "three thousand", "12,000")."""
    total = 0.0
    current: float | None = None
    for raw in words:
        word = raw.lower().strip().replace(",", "")
        if not word or word in {"and", "-"}:
            continue
        if _NUMERIC.match(word):
            current = (current or 0) + float(word)
        elif word in _SMALL:
            current = (current or 0) + _SMALL[word]
        elif "-" in word and all(p in _SMALL for p in word.split("-")):
            current = (current or 0) + sum(_SMALL[p] for p in word.split("-"))
        elif word in _SCALES:
            scale = _SCALES[word]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = None
        else:
            return None
    if current is None and total == 0:
        return None
    return total + (current or 0)


def _number_group(token: Token) -> list[Token]:
    """The contiguous numeral tokens around ``token`` ("1.5", "million")."""
    doc = token.doc
    start = end = token.i
    while start > 0 and _is_numeral(doc[start - 1]) and doc[start - 1].ent_type_ not in _SKIP_ENTS:
        start -= 1
    while end + 1 < len(doc) and _is_numeral(doc[end + 1]) and doc[end + 1].ent_type_ not in _SKIP_ENTS:
        end += 1
    return list(doc[start : end + 1])


def _is_numeral(token: Token) -> bool:
    low = token.lower_.replace(",", "")
    return bool(_NUMERIC.match(low)) or low in _SMALL and low not in {"a", "an", "half"} or low in _SCALES and (
        token.pos_ == "NUM" or token.like_num)


def _counted_noun(group: list[Token]) -> Token | None:
    last = group[-1]
    head = last.head if last.dep_ in {"nummod", "quantmod", "compound", "amod"} else None
    for tok in group:
        if tok.dep_ == "nummod" and tok.head not in group:
            head = tok.head
    if head is None and last.dep_ == "pobj" and last.head.lower_ == "of":
        return None
    if head is not None and head.pos_ in {"NOUN", "PROPN", "SYM"} and head not in group:
        return head
    nxt = last.nbor(1) if last.i + 1 < len(last.doc) else None
    if nxt is not None and nxt.pos_ == "NOUN" and nxt.tag_ in {"NNS", "NN"}:
        return nxt
    return None


#: counted nouns that name the same thing when counting forces
UNIT_SYNONYMS = {"soldier": "troop", "serviceman": "troop", "servicemen": "troop", "personnel": "troop",
                 "people": "person", "persons": "person",
                 "force": "troop", "service member": "troop", "servicemember": "troop", "per cent": "percent"}


def _partitive(number: Token) -> Token | None:
    """The noun in "five of the 11 charges"."""
    prep = next((c for c in number.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if prep is None:
        return None
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    return pobj if pobj is not None and pobj.pos_ in {"NOUN", "PROPN"} else None


def _unit(noun: Token | None, group: list[Token]) -> tuple[str, Token | None]:
    unit, token = _raw_unit(noun, group)
    return UNIT_SYNONYMS.get(unit, unit), token


def _raw_unit(noun: Token | None, group: list[Token]) -> tuple[str, Token | None]:
    doc = group[0].doc
    before = doc[group[0].i - 1] if group[0].i > 0 else None
    if before is not None and before.lower_ in _CURRENCY:
        return _CURRENCY[before.lower_], before
    if noun is not None:
        if noun.lower_ in {"%", "percent", "per cent"}:
            return "percent", noun
        if noun.lower_ in _CURRENCY:
            return _CURRENCY[noun.lower_], noun
        return noun.lemma_.lower(), noun
    after = doc[group[-1].i + 1] if group[-1].i + 1 < len(doc) else None
    if after is not None and after.lower_ in {"%", "percent"}:
        return "percent", after
    return "", None


def _approximate(group: list[Token], noun: Token | None) -> bool:
    doc = group[0].doc
    window = [t.lower_ for t in doc[max(0, group[0].i - 3) : group[0].i]]
    if any(w in _APPROX_WORDS for w in window[-2:]) or window[-3:] == ["as", "many", "as"]:
        return True
    if any(c.lower_ in _APPROX_WORDS for t in group for c in t.children):
        return True
    return noun is not None and any(c.lower_ in {"estimated", "approximately"} for c in noun.children)


_SENDING = {"send", "deploy", "dispatch", "move", "transfer", "ship", "provide", "supply", "station", "mobilize",
            "mobilise", "field", "commit", "contribute", "lose", "have"}


def _subject(noun: Token | None) -> EntityRef | None:
    """Whose the counted things are: "North Korean troops", "troops from North Korea", "Russia's soldiers",
    or the sender in "North Korea sent 3,000 troops"."""
    if noun is None:
        return None
    gaz = gazetteer()
    candidates: list[Token] = []
    verb = noun.head
    if noun.dep_ == "dobj" and verb.lemma_ in _SENDING:
        candidates.extend(c for c in verb.children if c.dep_ == "nsubj")
        if verb.dep_ in {"xcomp", "conj"} and not candidates:
            candidates.extend(c for c in verb.head.children if c.dep_ == "nsubj")
    for child in noun.children:
        if child.dep_ in {"amod", "compound", "poss", "nmod"} and child.ent_type_ in {"NORP", "GPE", "ORG"}:
            candidates.append(child)
        if child.dep_ == "prep" and child.lower_ in {"from", "of"}:
            candidates.extend(g for g in child.children if g.dep_ == "pobj" and g.ent_type_ in {"NORP", "GPE", "ORG"})
    for token in reversed(candidates):
        if token.ent_type_ not in {"NORP", "GPE", "ORG"}:
            continue
        ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
        text = ent.text if ent is not None else token.text
        hit = gaz.lookup(text) or gaz.lookup(re.sub(r"^the\s+", "", text, flags=re.I))
        if hit is not None:
            return hit.entity
    return None


_TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"}
_FRACTIONS = {"third", "quarter", "half", "fifth", "tenth"}


def _is_duration(token: Token) -> bool:
    """"five years", "a 19-day journey": a count of time units inside a DATE entity is still a quantity."""
    if token.ent_type_ != "DATE" or (token.text.isdigit() and len(token.text) == 4):
        return False
    nxt = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    if nxt is not None and nxt.text == "-" and token.i + 2 < len(token.doc):
        nxt = token.doc[token.i + 2]
    return nxt is not None and nxt.lemma_.lower() in _TIME_UNITS


def _range_partner(group: list[Token]) -> list[Token] | None:
    """The other end of "between 1,500 and 3,000", "10,000 to 12,000", "10,000-12,000"."""
    doc = group[0].doc
    j = group[-1].i + 1
    if j < len(doc) and doc[j].text in {"%", "percent"}:  # "250% to 390%"
        j += 1
    if j + 1 < len(doc) and doc[j].lower_ in {"and", "to", "-", "–", "or"} and _is_numeral(doc[j + 1]):
        second = _number_group(doc[j + 1])
        if doc[j].lower_ == "and" and not (group[0].i > 0 and doc[group[0].i - 1].lower_ == "between"):
            return None
        return second
    return None


def extract_quantities(doc: Doc, doc_id: str) -> tuple[Quantity, ...]:
    results: list[Quantity] = []
    seen: set[int] = set()
    noun_index: dict[int, int] = {}
    vague_pattern = re.compile(r"\b(?:tens of thousands|hundreds of thousands|dozens|hundreds|thousands|millions|scores)"
                               r"\s+of\s+(\w+)", re.IGNORECASE)
    for token in doc:
        if token.i in seen or not _is_numeral(token):
            continue
        if token.ent_type_ in _SKIP_ENTS and not _is_duration(token):
            continue
        if token.lower_ == "one" and token.dep_ not in {"nummod"}:
            continue
        group = _number_group(token)
        seen.update(t.i for t in group)
        value = parse_number([t.text for t in group])
        if value is None:
            continue
        if len(group) == 1 and 1900 <= value <= 2100 and token.text.isdigit() and token.dep_ != "nummod":
            continue  # a year that NER missed
        partner = _range_partner(group)
        low = high = value
        last = group[-1]
        if partner:
            seen.update(t.i for t in partner)
            other = parse_number([t.text for t in partner])
            if other is not None:
                scale_words = [t for t in partner if t.lower_ in _SCALES]
                if scale_words and not any(t.lower_ in _SCALES for t in group):
                    value = parse_number([t.text for t in group] + [t.text for t in scale_words]) or value
                low, high = min(value, other), max(value, other)
                last = partner[-1]
        noun = _counted_noun([*group, *(partner or [])]) or _counted_noun(group)
        of_noun = _partitive(group[-1])
        if of_noun is not None and (noun is None or noun.i < group[0].i):
            noun = of_noun  # "nine of Sudan's 18 states"
        unit, unit_token = _unit(noun, group)
        subject = _subject(noun)
        if unit in _FRACTIONS or (noun is not None and noun.lemma_.lower() == "age" and noun.i < group[0].i):
            continue  # "two-thirds", "under the age of five"
        if unit == "point" and noun is not None and any(c.lower_ == "percentage" for c in noun.children):
            unit = "percentage point"
        if not unit:
            # "a force of about 12,000": the noun the number is "of"
            head = group[-1].head
            if group[-1].dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
                unit, unit_token = UNIT_SYNONYMS.get(head.head.lemma_.lower(), head.head.lemma_.lower()), head.head
                subject = _subject(head.head)
            elif group[-1].dep_ in {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj"}:
                # elliptical: "about 8,000 were in the Kursk region" counts what a recent, similar figure counted
                similar = next((q for q in reversed(results) if group[0].idx - q.span.end < 800
                                and q.high and value and 0.1 <= value / q.high <= 10), None)
                if similar is not None:
                    unit, subject = similar.unit, similar.subject
            if not unit:
                continue
        start = group[0].idx
        if start > 0 and text_of(doc)[start - 1] in _CURRENCY:
            start -= 1
        end = last.idx + len(last)
        is_range = low != high
        results.append(
            Quantity(
                span=Span(doc_id, start, end, text_of(doc)[start:end]),
                value=None if is_range else value,
                low=low,
                high=high,
                unit=unit,
                approximate=_approximate(group, noun),
                unit_span=Span(doc_id, unit_token.idx, unit_token.idx + len(unit_token), unit_token.text)
                if unit_token is not None else None,
                subject=subject,
            )
        )
        if noun is not None:
            noun_index[noun.i] = len(results) - 1
    for match in vague_pattern.finditer(text_of(doc)):
        words = match.group(0).lower().split(" of ")[0] if "of thousands" not in match.group(0).lower() else \
            " ".join(match.group(0).lower().split()[:3])
        counted = doc.char_span(match.start(1), match.end(1))
        if counted is None or counted[0].pos_ not in {"NOUN", "PROPN"}:
            continue
        noun_token = counted[0]
        low, high = _VAGUE[words]
        end = match.start() + len(words)
        results.append(Quantity(Span(doc_id, match.start(), end, text_of(doc)[match.start():end]), None, low, high,
                                noun_token.lemma_.lower(), True,
                                Span(doc_id, noun_token.idx, noun_token.idx + len(noun_token), noun_token.text),
                                _subject(noun_token)))
    return tuple(_link_parts(doc, results, noun_index))


def _link_parts(doc: Doc, quantities: list[Quantity], noun_index: dict[int, int]) -> list[Quantity]:
    """Mark "including 500 officers" as part of the quantity it qualifies."""
    linked = list(quantities)
    for noun_i, index in noun_index.items():
        token = doc[noun_i]
        while token.dep_ == "conj" and token.head is not token:  # "500 officers and three generals"
            token = token.head
        prep = token.head
        if token.dep_ != "pobj" or prep.lower_ not in {"including", "among", "of"}:
            continue
        holder = prep.head
        if holder.i not in noun_index and holder.pos_ in {"VERB", "AUX"} and prep.lower_ != "of":
            # "sent 12,000 personnel to Russia, including 500 officers": the parser hangs it on the verb
            holder = next((c for c in holder.children if c.dep_ in {"dobj", "nsubjpass"} and c.i < prep.i
                           and c.i in noun_index), holder)
        if holder.i in noun_index:
            whole = noun_index[holder.i]
            if whole != index:
                q = linked[index]
                linked[index] = Quantity(q.span, q.value, q.low, q.high, q.unit, q.approximate, q.unit_span,
                                         q.subject or linked[whole].subject, whole)
    return linked
