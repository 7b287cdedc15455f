"""Quantities: a number bound to the noun it counts, with ranges, hedges, owner and part–whole links.

"about 3,000 North Korean soldiers" → value 3000, unit "soldier", approximate, subject North Korea.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import NamedTuple

from spacy.tokens import Doc, Token

from ..model import EntityRef, Quantity, Span
from .casualties import casualty_of, counts_people, toll_kind
from .gazetteer import gazetteer
from .nlp import children_of, ents_of, first_conjunct, sentence_of, text_of
from .numbers import SCALES, SKIP_ENTS, is_numeral, number_group, numeral_candidates, parse_number, range_partner

__all__ = ["UNIT_SYNONYMS", "extract_quantities", "parse_number"]

#: vague plurals: a lower bound that always holds and a plausible upper one
_VAGUE = {"dozens": (12, 99), "hundreds": (100, 999), "thousands": (1_000, 9_999), "millions": (1_000_000, 9_999_999),
          "tens of thousands": (10_000, 99_999), "hundreds of thousands": (100_000, 999_999),
          "scores": (20, 99)}
#: a qualifier right before the number makes it approximate ("about 40", "some 110", "an estimated 3,000")
_QUALIFIERS = {"about", "around", "roughly", "nearly", "approximately", "some", "almost", "over", "estimated",
               "under", "~", "circa", "c.", "approx", "approx.", "reportedly", "possibly", "perhaps", "maybe",
               "upwards", "just", "below", "above", "beyond", "exceeding", "barely"}
#: ... or two or three words ending right before it ("more than", "up to", "at least", "as many as")
_QUALIFIER_PHRASES = {("more", "than"), ("less", "than"), ("fewer", "than"), ("up", "to"), ("at", "least"),
                      ("at", "most"), ("close", "to"), ("upwards", "of"), ("as", "many", "as"), ("as", "much", "as"),
                      ("as", "few", "as"), ("well", "over"), ("nearly", "all"), ("in", "excess", "of"),
                      ("just", "over"), ("just", "under"), ("an", "estimated"), ("no", "fewer", "than"),
                      ("not", "less", "than"), ("more", "then")}
_CURRENCY = {"$": "dollar", "€": "euro", "£": "pound", "¥": "yen", "₩": "won", "₽": "ruble", "₴": "hryvnia",
             "usd": "dollar", "us$": "dollar", "eur": "euro"}


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
    prep = next((c for c in children_of(number) if c.dep_ == "prep" and c.lower_ == "of"), None)
    if prep is None:
        return None
    pobj = next((c for c in children_of(prep) if c.dep_ == "pobj"), None)
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
        if noun.lower_ in {"km2", "km²", "sq.km", "sqkm"}:
            return "square kilometer", noun
        if noun.ent_type_ == "NORP" and noun.tag_ in {"NNS", "NNPS"} or noun.lower_ in _NATIONALS:
            return "person", noun  # "70,000 Israelis": people, whose country is the subject
        lemma = noun.lemma_.lower()
        if any(c.lower_ in {"square", "sq", "sq."} for c in children_of(noun) if c.i < noun.i):
            return f"square {lemma}", noun  # an area, not a length
        return lemma, noun
    after = doc[group[-1].i + 1] if group[-1].i + 1 < len(doc) else None
    if after is not None and after.lower_ in {"%", "percent"}:
        return "percent", after
    return "", None


#: nationality nouns the parser does not always tag as such
_NATIONALS = {"lebanese", "sudanese", "chinese", "japanese", "vietnamese", "taiwanese", "burmese", "congolese",
              "senegalese", "portuguese", "maltese", "nepalese", "togolese", "guinean"}


def _qualified(group: list[Token]) -> bool:
    """A qualifier right before the number ("about 40", "more than 70", "as many as 3,000"), or attached to it."""
    doc = group[0].doc
    before = [t.lower_ for t in doc[max(0, group[0].i - 3) : group[0].i]]
    if before and before[-1] in _QUALIFIERS:
        return True
    if any(tuple(before[-n:]) in _QUALIFIER_PHRASES for n in (2, 3) if len(before) >= n):
        return True
    return any(c.lower_ in _QUALIFIERS and c.i < group[0].i for t in group for c in children_of(t))


def _approximate(group: list[Token], noun: Token | None, is_range: bool) -> bool:
    if is_range or _qualified(group):
        return True
    return noun is not None and any(c.lower_ in {"estimated", "approximately"} for c in children_of(noun))


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
        candidates.extend(c for c in children_of(verb) if c.dep_ == "nsubj")
        if verb.dep_ in {"xcomp", "conj"} and not candidates:
            candidates.extend(c for c in children_of(verb.head) if c.dep_ == "nsubj")
    if noun.ent_type_ == "NORP":
        candidates.append(noun)  # "70,000 Israelis"
    for child in children_of(noun):
        if child.dep_ in {"amod", "compound", "poss", "nmod"} and child.ent_type_ in {"NORP", "GPE", "ORG"}:
            candidates.append(child)
        if child.dep_ == "prep" and child.lower_ in {"from", "of"}:
            candidates.extend(g for g in children_of(child) if g.dep_ == "pobj" and g.ent_type_ in {"NORP", "GPE", "ORG"})
    for token in reversed(candidates):
        if token.ent_type_ not in {"NORP", "GPE", "ORG"}:
            continue
        ent = next((e for e in ents_of(token.doc) if e.start <= token.i < e.end), None)
        text = ent.text if ent is not None else token.text
        hit = gaz.lookup(text) or gaz.lookup(re.sub(r"^the\s+", "", text, flags=re.I))
        if hit is not None:
            return hit.entity
    return None


_TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"}
_FRACTIONS = {"third", "quarter", "half", "fifth", "tenth"}


def _is_duration(token: Token) -> bool:
    """"five years", "a 19-day journey", "the 25 hours to 6 am": a count of time units inside a DATE or TIME
    entity is still a quantity."""
    if token.ent_type_ not in {"DATE", "TIME"} or (token.text.isdigit() and len(token.text) == 4):
        return False
    nxt = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    if nxt is not None and nxt.text == "-" and token.i + 2 < len(token.doc):
        nxt = token.doc[token.i + 2]
    return nxt is not None and nxt.lemma_.lower() in _TIME_UNITS


#: verbs whose passive subject, when only a number, is people ("almost 9 million have been displaced")
_DONE_TO_PEOPLE = {"displace", "evacuate", "arrest", "detain", "rescue", "relocate", "deport", "kill", "injure",
                   "wound", "capture", "abduct", "kidnap", "hospitalize", "hospitalise", "treat", "free", "release",
                   "uproot", "force", "strand", "trap", "expel", "execute"}


def _earlier_in_sentence(group: list[Token], results: list[Quantity]) -> Quantity | None:
    """The nearest figure before this one in its sentence, which a bare count may go on counting."""
    sentence = sentence_of(group[0])
    return next((q for q in reversed(results) if sentence.start_char <= q.span.start < group[0].idx and q.unit), None)


class _Counted(NamedTuple):
    """What a number without a noun of its own counts, worked out from its clause or the figure before it."""

    unit: str
    token: Token | None = None
    casualty: str | None = None
    subject: EntityRef | None = None


def _elided(group: list[Token], value: float, results: list[Quantity]) -> _Counted:
    """Unit, unit token, casualty and owner of a number that names no counted noun of its own."""
    last = group[-1]
    earlier = _earlier_in_sentence(group, results)
    pronoun = next((g for c in children_of(last) if c.dep_ == "prep" and c.lower_ == "of" for g in children_of(c)
                    if g.dep_ == "pobj" and g.lower_ in {"them", "those", "these", "whom", "which"}), None)
    if pronoun is not None:  # "about 200 of them critically": of the figure just given
        return _Counted(earlier.unit, None, earlier.casualty, earlier.subject) if earlier else _Counted("")
    toll = toll_kind(last)
    if toll is not None:  # "the death toll stands at 132"
        return _Counted("person", None, toll)
    casualty = casualty_of(last, None)
    if casualty is not None:  # "8 people were killed and 2,750 injured"
        if earlier is not None and earlier.unit_span is not None and earlier.casualty is not None:
            return _Counted(earlier.unit, None, casualty, earlier.subject)
        return _Counted("person", None, casualty)
    if last.dep_ in {"nsubjpass", "nsubj"} and last.head.lemma_.lower() in _DONE_TO_PEOPLE \
            and any(c.dep_ == "auxpass" for c in children_of(last.head)):
        return _Counted("person")
    # "Of those aircraft, 28 crossed": the noun an "of" before the number names
    if last.dep_ in {"nsubj", "nsubjpass"}:
        of = next((c for c in children_of(last.head) if c.dep_ == "prep" and c.lower_ == "of" and c.i < group[0].i), None)
        noun = next((g for g in children_of(of) if g.dep_ == "pobj" and g.pos_ == "NOUN"), None) if of else None
        if noun is not None:
            return _Counted(_unit(noun, group)[0], noun, None, _subject(noun))
    # "a force of about 12,000": the noun the number is "of"
    head = last.head
    if last.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
        unit, token = _unit(head.head, group)
        return _Counted(unit, token, None, _subject(head.head))
    if last.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj"}:
        # elliptical: "about 8,000 were in the Kursk region" counts what a recent, similar figure counted
        similar = next((q for q in reversed(results) if group[0].idx - q.span.end < 800
                        and q.high and value and 0.1 <= value / q.high <= 10), None)
        if similar is not None:
            return _Counted(similar.unit, None, similar.casualty, similar.subject)
    return _Counted("")


def _other(noun: Token | None, group: list[Token], results: list[Quantity]) -> Quantity | None:
    """"injuring around 2,750 others", "59,000 others": the figure before, whose noun "others" repeats."""
    if noun is None or noun.lemma_.lower() not in {"other", "more"}:
        return None
    return _earlier_in_sentence(group, results)


def _starts_range(token: Token) -> bool:
    """"one" is a number here, not a pronoun: "from one to three", "between one and two"."""
    doc = token.doc
    before = doc[token.i - 1].lower_ if token.i > 0 else ""
    return before in {"from", "between"} or range_partner([token]) is not None


#: "hundreds of people": a vague count and what it counts (group 1); the lookahead, the first letters of the
#: alternatives, spares trying them at every word (a third fewer instructions over a whole text)
_VAGUE_COUNT = re.compile(r"\b(?=[dhmst])(?:tens of thousands|hundreds of thousands|dozens|hundreds|thousands|millions|"
                          r"scores)\s+of\s+(\w+)", re.IGNORECASE)


def extract_quantities(doc: Doc, doc_id: str) -> tuple[Quantity, ...]:
    results: list[Quantity] = []
    seen: set[int] = set()
    noun_index: dict[int, int] = {}
    for i in numeral_candidates(doc):
        token = doc[i]
        if i in seen or not is_numeral(token):
            continue
        if token.ent_type_ in SKIP_ENTS and not _is_duration(token):
            continue
        if token.lower_ == "one" and token.dep_ not in {"nummod"} and not _starts_range(token):
            continue
        group = number_group(token)
        seen.update(t.i for t in group)
        value = parse_number([t.text for t in group])
        if value is None:
            continue
        if len(group) == 1 and 1900 <= value <= 2100 and token.text.isdigit() and token.dep_ != "nummod":
            continue  # a year that NER missed
        partner = range_partner(group)
        low = high = value
        last = group[-1]
        if partner:
            seen.update(t.i for t in partner)
            other = parse_number([t.text for t in partner])
            if other is not None:
                scale_words = [t for t in partner if t.lower_ in SCALES]
                if scale_words and not any(t.lower_ in SCALES for t in group):
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
        if unit == "point" and noun is not None and any(c.lower_ == "percentage" for c in children_of(noun)):
            unit = "percentage point"
        casualty = casualty_of(noun, noun) if noun is not None else None
        if casualty is None and noun is not None and of_noun is not None and noun.i == of_noun.i:
            casualty = casualty_of(group[-1], noun)  # "two of its fighters ... have been killed"
        repeated = _other(noun, group, results)
        if repeated is not None:
            unit, subject, casualty = repeated.unit, repeated.subject, casualty or repeated.casualty
        if not unit:
            unit, unit_token, casualty, subject = _elided(group, value, results)
            if not unit:
                continue
        if casualty in {"captured", "missing"} and unit_token is not None and not counts_people(unit_token):
            casualty = None
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
                approximate=_approximate(group, noun, is_range),
                unit_span=Span(doc_id, unit_token.idx, unit_token.idx + len(unit_token), unit_token.text)
                if unit_token is not None else None,
                subject=subject,
                casualty=casualty,
            )
        )
        noun_index[(noun if noun is not None else last).i] = len(results) - 1
    for match in _VAGUE_COUNT.finditer(text_of(doc)):
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
                                _subject(noun_token), casualty=casualty_of(noun_token, noun_token)))
    return tuple(_share_qualifiers(doc, _link_parts(doc, results, noun_index)))


def _share_qualifiers(doc: Doc, quantities: list[Quantity]) -> list[Quantity]:
    """"about 12 km deep and 40 km wide", "at least 8 killed and 2,750 injured": a qualifier before the first
    of two coordinated figures covers the second when it has none of its own and counts the same thing, or
    names nothing it counts ("about 3,000 soldiers, and three generals" keeps the generals exact)."""
    shared = list(quantities)
    text = text_of(doc)
    ordered = sorted(range(len(shared)), key=lambda i: shared[i].span.start)
    for before, after in zip(ordered, ordered[1:], strict=False):
        first, second = shared[before], shared[after]
        if second.approximate or not first.approximate or first.low != first.high:
            continue
        if second.unit_span is not None and second.unit != first.unit:
            continue
        between = text[first.span.end : second.span.start]
        words = between.split()
        first_tokens = doc.char_span(first.span.start, first.span.end, alignment_mode="expand")
        if first_tokens is None or not _qualified(list(first_tokens)):
            continue
        if ("and" in words or "or" in words) and len(words) <= 6 and not re.search(r"[.;:()]|\d", between) \
                and not any(w in {"while", "but", "whereas", "which", "who", "after", "before"} for w in words):
            shared[after] = replace(second, approximate=True)
    return shared


def _link_parts(doc: Doc, quantities: list[Quantity], noun_index: dict[int, int]) -> list[Quantity]:
    """Mark "including 500 officers" as part of the quantity it qualifies; a part of a casualty figure is
    one too ("37 soldiers were killed, including four officers")."""
    linked = list(quantities)
    for noun_i, index in noun_index.items():
        token = doc[noun_i]
        token = first_conjunct(token)  # "500 officers and three generals"
        prep = token.head
        if token.dep_ != "pobj" or prep.lower_ not in {"including", "among", "of"}:
            continue
        holder = prep.head
        if holder.i not in noun_index and holder.pos_ in {"VERB", "AUX"} and prep.lower_ != "of":
            # "sent 12,000 personnel to Russia, including 500 officers": the parser hangs it on the verb;
            # "the toll stands at 132, including 65 fighters": or on the verb of a figure it holds by "at"
            holders = [c for c in children_of(holder) if c.dep_ in {"dobj", "nsubjpass", "nsubj", "attr"}]
            holders += [g for c in children_of(holder) if c.dep_ == "prep" for g in children_of(c) if g.dep_ == "pobj"]
            holder = next((c for c in holders if c.i < prep.i and c.i in noun_index), holder)
        if holder.i in noun_index:
            if noun_index[holder.i] != index:
                linked[index] = _part_of(linked, index, noun_index[holder.i])
    for index, q in enumerate(linked):
        listed = _listed_after_including(doc, linked, q) if q.part_of is None else None
        if listed is not None:
            linked[index] = _part_of(linked, index, listed)
    return linked


def _part_of(quantities: list[Quantity], index: int, whole: int) -> Quantity:
    """The part keeps its own owner and casualty when it names them, else takes the whole's."""
    part, of = quantities[index], quantities[whole]
    return replace(part, subject=part.subject or of.subject, part_of=whole, casualty=part.casualty or of.casualty)


def _listed_after_including(doc: Doc, quantities: list[Quantity], part: Quantity) -> int | None:
    """"132 killed, including 65 fighters, 18 of its allies and 49 soldiers": every figure of the list after
    "including" (with no verb of its own in between) is part of the figure before it, however it is parsed."""
    tokens = doc.char_span(part.span.start, part.span.end, alignment_mode="expand")
    if tokens is None:
        return None
    sentence = sentence_of(tokens[0])
    for token in reversed(sentence[: tokens[0].i - sentence.start]):
        if token.pos_ in {"VERB", "AUX"} and token.lower_ != "including":
            return None
        if token.lower_ == "including":
            before = [i for i, q in enumerate(quantities) if sentence.start_char <= q.span.start
                      and q.span.end <= token.idx and q.part_of is None]
            return max(before, key=lambda i: quantities[i].span.start) if before else None
    return None
