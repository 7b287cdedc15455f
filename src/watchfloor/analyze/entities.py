"""Named entities from spaCy, corrected and canonicalised through the alias table, with in-document coreference.

spaCy's spans are first cleaned (split at brackets, commas and spaced dashes; determiners, possessives and
scores trimmed), retyped where the alias table knows better (a country is a place, a demonym a group), and
then made consistent within the document: a name found once is found everywhere it recurs, and every
occurrence of one name gets the type most of them have ("one sense per discourse").

A capital or a metonym ("Pyongyang said", "the Kremlin denied") is its country's entity: acting, it is the
government (``Mention.as_actor``); as a location ("troops arrived in Moscow") it is the country's seat, a
mention of the same entity in the role of a place (geocoding and event places still read it as a town).
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token as SpacyToken

from ..model import EntityRef, Mention, Span
from .gazetteer import Gazetteer, gazetteer, normalise_name
from .institutions import institution_candidates
from .name_keys import entity_key
from .name_tokens import Candidate, Tokens, is_initial, tokens_of
from .nlp import ents_of, first_conjunct, sentence_of, span_text
from .operations import operation_candidates
from .org_names import acronym_candidates, is_english_word, organisation_rules
from .teams import is_sports_report, team_candidates

__all__ = ["extract_mentions", "is_actor_position"]

#: spaCy labels that name something (numeric and temporal labels are other stages' business)
_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "PRODUCT"}
#: labels whose names never start or end with a number ("Kent 108-3" is a team and its score)
_NUMBERLESS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
_TITLES = re.compile(
    r"^(?:(?:the|former|acting|deputy|vice|then-)\s+)*(?:president|prime minister|minister|secretary|general|gen\.|"
    r"mr\.?|mrs\.?|ms\.?|dr\.?|sen\.?|senator|rep\.?|col\.?|lt\.?|maj\.?|adm\.?|chancellor|king|queen|prince|"
    r"leader|spokesman|spokeswoman|ambassador|envoy|commander)\s+",
    re.IGNORECASE,
)
#: words of offices, ranks and honorifics that reports put before a name and the NER takes into it
_OFFICE_WORDS = {
    "president", "vice", "prime", "minister", "secretary", "general", "gen", "lt", "lieutenant", "col", "colonel",
    "maj", "major", "capt", "captain", "adm", "admiral", "brig", "brigadier", "sgt", "sergeant", "cpl", "field",
    "marshal", "commander", "chief", "spokesman", "spokeswoman", "spokesperson", "ambassador", "envoy", "deputy",
    "senator", "sen", "rep", "representative", "governor", "mayor", "king", "queen", "prince", "princess",
    "premier", "chancellor", "director", "judge", "justice", "officer", "head", "leader", "chairman", "chairwoman",
    "speaker", "lawmaker", "mr", "mrs", "ms", "dr", "rev", "former", "acting", "interim", "defense", "defence",
    "foreign", "interior", "finance", "economy", "trade", "state", "army", "navy", "air", "force", "marine",
    "marines", "corps", "staff", "joint", "chiefs", "national", "security", "intelligence", "adviser", "advisor",
    "president-elect", "ex", "sheikh", "emir", "crown", "supreme", "grand", "ayatollah", "cardinal", "bishop",
    "pope", "imam", "patriarch", "commissioner", "attorney", "foreign-minister", "rebel", "militia", "opposition",
}
#: titles that are followed by their holder's name ("Minister Rustem Umerov", "Gen. Jane Doe")
_NAMING_OFFICES = {"minister", "president", "secretary", "gen", "general", "commander", "spokesman",
                   "spokeswoman", "spokesperson", "ambassador", "envoy", "premier", "chancellor", "governor",
                   "mayor", "senator", "sen", "lt", "col", "colonel", "maj", "capt", "adm", "admiral", "chief",
                   "director", "chairman", "speaker", "judge", "king", "queen", "prince", "sheikh", "emir"}
_ACTOR_DEPS = {"nsubj", "nsubjpass", "agent", "poss", "csubj"}
_TYPE_BY_LABEL = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place",
                  "NORP": "group"}
_SEPARATORS = {"(", ")", "[", "]", "{", "}", ",", ";", ":", "|", "/"}
_DASHES = {"-", "--", "—", "–"}
_EDGE_PUNCT = {'"', "'", "“", "”", "‘", "’", "`", "``", "''", ".", "*", "&", "-", "--", "—", "–"}
_DETERMINERS = {"the", "a", "an"}
_POSSESSIVE = {"'s", "’s", "'", "’"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
#: short capitalised words that are sentence furniture, never names on their own
_CALENDAR_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
                   "march", "april", "june", "july", "august", "september", "october", "november", "december"}
_COMPANY_SUFFIXES = {"inc", "corp", "co", "ltd", "plc", "llc", "ag", "sa", "nv", "bv", "gmbh", "spa", "group"}
_BIG_PLACE = 1_000_000
_COMMON_NOUNS = {"men", "women", "man", "woman", "people", "death", "god"}
_TITLE_NOUNS = {"minister", "ministers", "secretary", "secretaries", "ministry", "department", "dept"}


def is_actor_position(span: SpacySpan) -> bool:
    """True when the span acts: subject of a verb, possessor, or agent of a passive."""
    root = span.root
    if root.dep_ in _ACTOR_DEPS:
        return True
    if root.dep_ == "pobj" and root.head.dep_ == "agent":
        return True
    return root.dep_ == "compound" and root.head.dep_ in _ACTOR_DEPS and root.head.lemma_ in {
        "official", "government", "ministry", "authority", "leader", "spokesman", "spokeswoman"}


def _is_separator(tok: Tokens, i: int, label: str) -> bool:
    """Tokens no name runs across: brackets, commas, spaced dashes, an inner possessive, a score, "Inc of"."""
    text = tok.text[i]
    if text in _SEPARATORS or text in _POSSESSIVE or text.isspace():
        return True
    if label in _NUMBERLESS and tok.is_score(i):
        return True
    if tok.lower[i] in {"of", "in"} and i > 0 and tok.lower[i - 1].rstrip(".") in _COMPANY_SUFFIXES:
        return True
    return text in _DASHES and tok.spaced[i] and i > 0 and tok.spaced[i - 1]


def _glued(tok: Tokens, i: int) -> bool:
    """The lower-case second half of a hyphenated name, as in "Tae-yul" or "Hong-kyun"."""
    return i >= 2 and tok.text[i - 1] in {"-", "‐"} and not tok.spaced[i - 1] and not tok.spaced[i - 2] \
        and tok.title[i - 2]


def _trim(tok: Tokens, start: int, end: int, label: str) -> tuple[int, int]:
    """Without determiners, possessives, edge punctuation, dates, scores ("Kent 108-3") or trailing common words."""
    while start < end and (tok.lower[start] in _DETERMINERS or tok.text[start] in _EDGE_PUNCT
                           or tok.lower[start] in _CALENDAR_WORDS or tok.is_score(start)):
        start += 1
    while end > start and (tok.text[end - 1] in _POSSESSIVE or tok.text[end - 1] in _EDGE_PUNCT
                           or tok.text[end - 1].islower() and label in _NUMBERLESS and not _glued(tok, end - 1)
                           or tok.is_score(end - 1) and (label in _NUMBERLESS or not tok.text[end - 1].isdigit())):
        end -= 1
    return start, end


def _pieces(tok: Tokens, start: int, end: int, label: str, gaz: Gazetteer) -> list[tuple[int, int, str]]:
    """A span split where two names meet ("Scott Draper (Australia", "American Dennis Mitchell"), trimmed."""
    bounds = [start - 1, *(i for i in range(start, end) if _is_separator(tok, i, label)), end]
    pieces = []
    for left, right in zip(bounds, bounds[1:], strict=False):
        s, e = _trim(tok, left + 1, right, label)
        if e <= s or not any(tok.text[i][:1].isupper() for i in range(s, e)):
            continue
        if label == "PERSON" and e - s >= 3 and (hit := gaz.lookup(tok.text[s])) is not None \
                and hit.kind == "demonym":
            pieces.append((s, s + 1, "NORP"))
            s += 1
        while label == "PERSON" and e - s >= 2 and tok.lower[s].rstrip(".") in _OFFICE_WORDS \
                and not gaz.is_given_name(tok.text[s]):
            s += 1  # "Defense Minister Rustem Umerov", "Marine Corps Lt. Gen. Jane Doe": the person is the name
        pieces.append((s, e, label))
    return pieces


def _with_initials(tok: Tokens, start: int, end: int) -> tuple[int, int]:
    """Take in the initials before a name ("J. Smith") and, for a bare initial, the name after it."""
    while start > 0 and is_initial(tok.text[start - 1]):
        start -= 1
    while end < tok.n and tok.title[end] and all(is_initial(tok.text[i]) for i in range(start, end)):
        end += 1
    return start, end


def _looks_like_person(tok: Tokens, start: int, end: int, gaz: Gazetteer) -> bool:
    """A given name followed by capitalised words that name nothing else ("Dennis Mitchell")."""
    if end - start < 2 or end - start > 4 or not gaz.is_given_name(tok.text[start]):
        return False
    return all(tok.title[i] and gaz.lookup(tok.text[i]) is None for i in range(start + 1, end)) \
        and tok.lower[end - 1].rstrip(".") not in _COMPANY_SUFFIXES


def _is_team(tok: Tokens, start: int, end: int, gaz: Gazetteer) -> bool:
    """A town followed by a score ("Surrey 429-7", "Chicago 4 Houston 3") is a team: sports results and tables."""
    if end >= tok.n or not tok.is_score(end):
        return False
    if _ISO_DATE.match("".join(tok.text[end : end + 5])):
        return False  # a dateline: "LONDON 1996-08-30"
    return gaz.place_population(tok.string(start, end)) is not None


def _retyped(gaz: Gazetteer, text: str, label: str) -> tuple[str, bool]:
    """The label the alias table gives a name (a country is a place, a demonym a group); fixed or not."""
    hit = gaz.lookup(text)
    if hit is not None:
        if hit.kind == "demonym":
            return "NORP", True
        if hit.kind == "name" and hit.entity.type == "country":
            return "GPE", True
        if hit.kind == "name" and hit.entity.type == "organization":
            return "ORG", True
    if gaz.is_region(text):
        return "GPE", True
    if label in {"ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"}:
        population = gaz.place_population(text)
        if population is not None and population >= _BIG_PLACE:
            return "GPE", False
    return label, False


def _not_a_name(tok: Tokens, start: int, end: int) -> bool:
    """Calendar words, a lone letter and a department before its minister ("Education Minister") are no names."""
    if all(tok.lower[i] in _CALENDAR_WORDS or tok.lower[i] in _COMMON_NOUNS for i in range(start, end)):
        return True
    if end - start == 1 and len(tok.text[start]) == 1:
        return True
    return end - start == 1 and end < tok.n and tok.lower[end] in _TITLE_NOUNS


def _dateline(tok: Tokens, taken: set[int]) -> list[Candidate]:
    """"SEOUL, Oct. 18 (Wire) —", "LONDON 1996-08-30": the capitalised place that opens a story line."""
    found = []
    for i in range(tok.n):
        if not (i == 0 or tok.line_end[i - 1]) or not (tok.upper[i] and tok.alpha[i]):
            continue
        end = i
        while end < tok.n and end - i < 4 and tok.upper[end] and (tok.alpha[end] or tok.text[end] == "."):
            end += 1
        dated = end < tok.n and bool(_ISO_DATE.match("".join(tok.text[end : end + 5])))
        if end < tok.n and end - i < 4 and (tok.text[end] in {",", "("} or dated) and not _not_a_name(tok, i, end):
            if not any(t in taken for t in range(i, end)):
                found.append(Candidate(i, end, "GPE", fixed=True))
            credit = end + 1 if tok.text[end] == "(" else -1
            if 0 < credit < tok.n - 1 and tok.text[credit + 1] == ")" and tok.upper[credit] and tok.alpha[credit] \
                    and credit not in taken:
                found.append(Candidate(credit, credit + 1, "ORG", fixed=True))  # "ISTANBUL (AA) -": the wire
    return found


def _alias_at(tok: Tokens, i: int, length: int, gaz: Gazetteer) -> Candidate | None:
    """An alias-table name the statistical NER missed ("the Kremlin", "Pentagon", "NATO")."""
    if not all(tok.capitalised(j) or tok.lower[j] in {"of", "and", "the", "for"} for j in range(i, i + length)):
        return None
    if length == 1 and (len(tok.text[i]) < 3 or tok.text[i] == "US" and sentence_of(tok.doc[i]).start == i):
        return None
    if tok.lower[i] in STOP_WORDS and tok.lower[i] != "us":
        return None
    hit = gaz.lookup(tok.string(i, i + length))
    if hit is None or hit.kind not in {"name", "metonym"}:
        return None
    return Candidate(i, i + length, "GPE" if hit.entity.type == "country" and hit.kind == "name" else "ORG", True)


def _person_at(tok: Tokens, i: int, taken: set[int], gaz: Gazetteer) -> Candidate | None:
    """A given name and the capitalised words after it, or initials and a name ("J. Smith")."""
    if tok.title[i] and gaz.is_given_name(tok.text[i]):
        end = i + 1
        while end < tok.n and end - i < 4 and end not in taken and tok.capitalised(end) \
                and tok.lower[end] not in STOP_WORDS and gaz.lookup(tok.text[end]) is None:
            end += 1
        if end > i + 1:
            return Candidate(i, end, "PERSON")
    if is_initial(tok.text[i]):
        start, end = _with_initials(tok, i, i + 1)
        if end > i + 1 and not any(t in taken for t in range(start, end)):
            return Candidate(start, end, "PERSON")
    if i > 0 and tok.lower[i - 1].rstrip(".") in _NAMING_OFFICES and tok.title[i - 1] and tok.title[i] \
            and tok.lower[i] not in _OFFICE_WORDS:
        # "Defense Minister Rustem Umerov": the capitalised words after a title are the holder's name
        end = i
        while end < tok.n and end - i < 3 and end not in taken and tok.title[end] and tok.alpha[end] \
                and tok.lower[end] not in STOP_WORDS and tok.lower[end] not in _CALENDAR_WORDS \
                and gaz.lookup(tok.text[end]) is None and gaz.place_population(tok.text[end]) is None:
            end += 1
        if end - i >= 2:
            return Candidate(i, end, "PERSON")
    return None


def _team_at(tok: Tokens, i: int, taken: set[int], gaz: Gazetteer) -> Candidate | None:
    """A town between scores in a results line ("Leeds 2 Portsmouth 1") is a team."""
    if not (i == 0 or tok.line_end[i - 1] or tok.is_score(i - 1)):
        return None
    for end in range(min(i + 3, tok.n), i, -1):
        if all(tok.capitalised(j) and j not in taken for j in range(i, end)) and _is_team(tok, i, end, gaz):
            return Candidate(i, end, "ORG")
    return None


def _recurrences(tok: Tokens, known: dict[tuple[str, ...], str], taken: set[int], gaz: Gazetteer) -> list[
        Candidate]:
    """Names the statistical NER missed: a name found elsewhere in the document, an alias, a person's name."""
    longest = max(4, max((len(k) for k in known), default=0))
    lengths = {len(k) for k in known}  # a name of another length is not looked up
    found: list[Candidate] = []
    after = 0  # where the last name found ends: no name starts inside it
    for i in tok.name_starts():
        if i < after or i in taken:
            continue
        match = None
        top = min(longest, tok.n - i)
        free = next((t for t in range(i, i + top) if t in taken), i + top) - i  # words before the next name taken
        for length in range(free, 0, -1):
            if length in lengths:
                key = tok.key(i, i + length)
                if key in known and tok.can_start_name(i + length - 1):
                    match = Candidate(i, i + length, known[key])
                    break
            if length <= 4 and (match := _alias_at(tok, i, length, gaz)) is not None:
                break
        if match is None:
            match = _person_at(tok, i, taken, gaz) or _team_at(tok, i, taken, gaz)
        if match is None:
            continue
        found.append(match)
        taken.update(range(match.start, match.end))
        known.setdefault(tok.key(match.start, match.end), match.label)
        lengths.add(match.end - match.start)
        after = match.end
    return found


def _short_forms(tok: Tokens, c: Candidate, gaz: Gazetteer) -> list[tuple[str, ...]]:
    """The words a full personal name is shortened to: its last word ("Smith"), and its first when that is a
    family name written first, as in Chinese, Korean and Vietnamese names ("Wang" of "Wang Donghai", "Lai" of
    "Lai Ching-te")."""
    if c.label != "PERSON" or c.end - c.start < 2:
        return []
    forms = [] if is_initial(tok.text[c.end - 1]) else [tok.key(c.end - 1, c.end)]
    first = tok.text[c.start]
    hyphenated_given = c.end - c.start == 4 and tok.text[c.start + 2] in {"-", "‐"} and tok.lower[c.start + 3].isalpha()
    if first.istitle() and (gaz.is_family_name_first(first) or hyphenated_given and not gaz.is_given_name(first)):
        forms.append(tok.key(c.start, c.start + 1))
    return forms


def _consistent(tok: Tokens, candidates: list[Candidate], gaz: Gazetteer) -> list[Candidate]:
    """Every occurrence of a name gets its majority label; a lone surname of a named person is a person."""
    votes: dict[tuple[str, ...], Counter[str]] = {}
    fixed: dict[tuple[str, ...], str] = {}
    surnames: set[tuple[str, ...]] = set()
    for c in candidates:
        key = tok.key(c.start, c.end)
        tally = votes.get(key)
        if tally is None:
            tally = votes[key] = Counter()
        tally[c.label] += 1
        if c.fixed:
            fixed[key] = c.label
        surnames.update(_short_forms(tok, c, gaz))
    for c in candidates:
        if c.fixed:
            continue
        key = tok.key(c.start, c.end)
        if key in fixed:
            c.label = fixed[key]
        elif key in surnames:
            c.label = "PERSON"
        else:
            best, count = votes[key].most_common(1)[0]
            if count > votes[key][c.label]:
                c.label = best
    return candidates


#: nouns after a name that make it a place: "Sumy region", "Gezira state", "Hmeimim air base", "Zamzam camp"
_PLACE_NOUNS = {"region", "oblast", "province", "state", "governorate", "district", "prefecture", "krai",
                "airbase", "base", "prison", "camp", "airport", "village", "town", "city", "area"}
_REGION_NOUNS = {"region", "oblast", "province", "state", "governorate", "district", "prefecture", "krai"}
#: words between a name and its place noun: "Hmeimim air base", "Saydnaya military prison"
_PLACE_NOUN_MODIFIERS = {"air", "military", "naval", "refugee", "displacement", "detention", "border", "frontier"}


_LOCATIVE = {"in", "at", "near", "outside", "around", "inside", "across", "towards", "toward"}


def _located(token: SpacyToken) -> bool:
    """The object of a preposition of place, or a name joined to one: "in Tartus and Khmeimim"."""
    token = first_conjunct(token)
    return token.dep_ == "pobj" and token.head.lower_ in _LOCATIVE


#: plural nouns of places, whose apposition names one: "border regions, particularly Sumy"
_PLACE_PLURALS = {"region", "area", "city", "town", "village", "province", "district", "state", "country",
                  "territory", "settlement", "oblast"}


def _named_as_place(tok: Tokens, i: int) -> bool:
    """A name set beside a noun of places or a place: "border regions, particularly Sumy", "Tartus and X"."""
    token = tok.doc[i]
    return token.dep_ in {"appos", "conj"} and (token.head.lemma_.lower() in _PLACE_PLURALS
                                                 or token.head.ent_type_ in {"GPE", "LOC"})


def _places_by_their_nouns(tok: Tokens, candidates: list[Candidate], gaz: Gazetteer) -> None:
    """A name before a place noun ("Sumy region") or ending in one ("Gezira State") is a place, and so is
    the bare name elsewhere in the report ("Gezira")."""
    places: set[tuple[str, ...]] = set()
    for c in candidates:
        if c.fixed and c.label not in {"GPE", "LOC", "FAC"} or all(tok.upper[i] for i in range(c.start, c.end)) \
                or gaz.lookup(tok.string(c.start, c.end)) is not None \
                or c.label == "NORP" and (tok.doc[c.end - 1].pos_ != "PROPN" or is_english_word(tok.text[c.end - 1])):
            # "Kurdish region", "Moslem area": a nationality or a faith before the noun, not a place's name
            continue
        if c.label == "PERSON" and c.end - c.start >= 2 and gaz.is_given_name(tok.text[c.start]):
            continue
        after = c.end + (c.end < tok.n and tok.lower[c.end] in _PLACE_NOUN_MODIFIERS)
        if after < tok.n and tok.text[after].islower() and tok.lower[after] in _PLACE_NOUNS:
            c.label, c.fixed = "GPE", True
            places.add(tok.key(c.start, c.end))
        elif c.end - c.start >= 2 and tok.lower[c.end - 1] in _REGION_NOUNS and tok.title[c.end - 1]:
            c.label, c.fixed = "GPE", True
            places.add(tok.key(c.start, c.end - 1))
    surnames = {tok.lower[c.end - 1] for c in candidates if c.label == "PERSON" and c.end - c.start >= 2}
    sports = is_sports_report(tok)  # where a town the NER took for a person is more likely a team
    for c in candidates:
        if c.fixed or c.label not in {"PERSON", "NORP"} or c.end - c.start != 1 or tok.lower[c.start] in surnames \
                or gaz.is_given_name(tok.text[c.start]) or gaz.lookup(tok.text[c.start]) is not None:
            continue
        if _located(tok.doc[c.start]) or c.label == "PERSON" and not sports and _named_as_place(tok, c.start):
            # "bases in Tartus and Khmeimim", "regions, particularly Sumy": a place the NER took for a person
            c.label = "GPE"
            places.add(tok.key(c.start, c.end))
    for c in candidates:
        if not c.fixed and tok.key(c.start, c.end) in places:
            c.label, c.fixed = "GPE", True


def _candidates(doc: Doc) -> list[Candidate]:
    gaz = gazetteer()
    tok = tokens_of(doc)
    shouting = tok.shouting()
    candidates: list[Candidate] = []
    for ent in ents_of(doc):
        if ent.label_ not in _NAME_LABELS:
            continue
        for start, end, label in _pieces(tok, ent.start, ent.end, ent.label_, gaz):
            if label in {"PERSON", "ORG", "GPE", "NORP", "LOC", "PRODUCT", "FAC"}:
                start, end = _with_initials(tok, start, end)
                label = "PERSON" if is_initial(tok.text[start]) else label
                if start > 0 and tok.title[start - 1] and gaz.is_given_name(tok.text[start - 1]) \
                        and end - start == 1 and label != "GPE":
                    start, label = start - 1, "PERSON"  # "Ana Kovac" where the NER saw only "Kovac"
            label, fixed = _retyped(gaz, tok.string(start, end), label)
            if not fixed and label != "PERSON" and _looks_like_person(tok, start, end, gaz):
                label = "PERSON"
            if not fixed and label in {"GPE", "LOC", "PERSON"} and _is_team(tok, start, end, gaz):
                label = "ORG"
            if (fixed or start not in shouting) and not _not_a_name(tok, start, end):
                candidates.append(Candidate(start, end, label, fixed))
    taken = {i for c in candidates for i in range(c.start, c.end)}
    candidates += _dateline(tok, taken)
    candidates = operation_candidates(tok, candidates)
    candidates = acronym_candidates(tok, organisation_rules(tok, candidates, gaz), gaz)
    candidates = institution_candidates(tok, candidates, gaz)
    _places_by_their_nouns(tok, candidates, gaz)
    candidates = team_candidates(tok, candidates, gaz)
    taken = {i for c in candidates for i in range(c.start, c.end)}
    candidates = _consistent(tok, candidates, gaz)
    known = {tok.key(c.start, c.end): c.label for c in candidates if c.known_as is None}
    for c in candidates:
        for form in _short_forms(tok, c, gaz):
            known.setdefault(form, "PERSON")
    candidates += _recurrences(tok, known, taken, gaz)
    candidates = _consistent(tok, candidates, gaz)
    if is_sports_report(tok):
        for c in candidates:  # "KANSAS CITY AT DETROIT": the home side's town is where the game is played
            if c.label == "ORG" and c.start > 0 and tok.lower[c.start - 1] in {"at", "in"} \
                    and gaz.place_population(tok.string(c.start, c.end)) is not None:
                c.label = "GPE"
    return sorted(candidates, key=lambda c: c.start)


def _person_canonical(names: list[str]) -> dict[str, str]:
    """Map each person name to the longest full name in the document that ends with it."""
    # document order, not a set's: of two full names as long, the first named wins in every process
    full = sorted(dict.fromkeys(n for n in names if len(n.split()) >= 2), key=len, reverse=True)
    result: dict[str, str] = {}
    for name in names:
        tokens = name.split()
        for candidate in full:
            ctoks = candidate.split()
            if len(ctoks) > len(tokens) and (ctoks[-len(tokens):] == tokens or ctoks[: len(tokens)] == tokens):
                result[name] = candidate
                break
        else:
            result[name] = name
    return result


#: a capital smaller than this shares its name with bigger towns elsewhere ("Victoria", "Kingston")
_CAPITAL_POPULATION = 300_000


def _capital_of(gaz: Gazetteer, text: str) -> EntityRef | None:
    """The country a national capital's name stands for, when the name is the capital's before any other
    town's."""
    country = gaz.capital_country(text)
    population = gaz.place_population(text)
    return country if country is not None and (population or 0) >= _CAPITAL_POPULATION else None


def _abbreviated(doc: Doc, candidates: list[Candidate]) -> dict[str, str]:
    """Acronym → the full name it abbreviates, for acronyms introduced in brackets in the document."""
    return {span_text(doc[c.start : c.end]): span_text(doc[c.stands_for[0] : c.stands_for[1]])
            for c in candidates if c.stands_for is not None}


def extract_mentions(doc: Doc, doc_id: str) -> tuple[Mention, ...]:
    """Named-entity mentions, each with its canonical entity and whether it acts for a government."""
    gaz = gazetteer()
    candidates = _candidates(doc)
    abbreviated = _abbreviated(doc, candidates)
    described = {(c.start, c.end): c.known_as for c in candidates if c.known_as is not None}
    spans = [(doc[c.start : c.end], c.label) for c in candidates]
    texts = [span_text(s) for s, _ in spans]
    person_names = [_TITLES.sub("", text) for text, (_, label) in zip(texts, spans, strict=True) if label == "PERSON"]
    canonical_person = _person_canonical(person_names)
    mentions: list[Mention] = []
    for (span, label), text in zip(spans, texts, strict=True):
        if not normalise_name(text):
            continue
        actor = is_actor_position(span)
        hit = gaz.lookup(text)
        entity: EntityRef | None = None
        as_actor = False
        if (span.start, span.end) in described:
            entity = described[(span.start, span.end)]
        elif label == "PERSON":
            if hit and hit.entity.type == "organization":
                entity = hit.entity
            elif len(span) == 1 and canonical_person.get(text, text) == text and (
                    country := _capital_of(gaz, text)) is not None:
                entity, as_actor, label = country, actor, "GPE"  # "Kyiv" taken for a person: the capital
            else:
                name = canonical_person.get(_TITLES.sub("", text), text)
                entity = EntityRef(entity_key("person", name), name, "person")
        elif hit is not None:
            entity = hit.entity
            as_actor = hit.kind == "metonym" or (hit.entity.type == "country" and actor)
            if hit.kind == "demonym" and label == "NORP" and span.root.dep_ not in {"amod", "compound"}:
                as_actor = actor
        elif label in {"GPE", "LOC", "FAC", "ORG"} and (country := _capital_of(gaz, text)) is not None:
            # a capital is its country's entity: as the government where it acts, as the place where it does not
            entity, as_actor = country, actor
        if entity is None:
            etype = _TYPE_BY_LABEL.get(label, "other")
            full = abbreviated.get(text, text)  # "RSF" after "Rapid Support Forces (RSF)": one entity
            entity = EntityRef(entity_key(etype, full), full, etype)
        mentions.append(Mention(Span(doc_id, span.start_char, span.end_char, text), label, entity, as_actor))
    return tuple(mentions)
