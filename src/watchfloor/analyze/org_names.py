"""How reports name organisations, beyond what the statistical NER sees.

* **A company's legal form** ("Inc", "Corp", "SpA", "Ltd") makes the whole name an organisation, and the
  name without it ("Magna" of "Magna International Inc") names the same company everywhere in the report.
* **A head noun of a body** ends an organisation's name: "... Association", "... Ministry", "... Party".
* **A classifier noun** before or after a name says what it is: "packaging company X", "the daily X",
  "state news agency X", "X newspaper".
* **An acronym** spelled in capitals in running text is an organisation, unless it is an English word,
  a place, or a unit, currency or time zone; one introduced in brackets after a full name
  ("Rapid Support Forces (RSF)") takes that name's type.
* **A wire desk** ("Bucharest Newsroom") is the agency's office, an organisation, not the town.
"""

from __future__ import annotations

import re
from functools import cache

from .gazetteer import Gazetteer
from .name_tokens import Candidate, Tokens
from .nlp import load_nlp

__all__ = ["acronym_candidates", "company_core", "is_english_word", "organisation_rules"]

#: legal forms of companies, lower-case without dots
LEGAL_FORMS = {"inc", "corp", "corporation", "co", "cos", "ltd", "limited", "plc", "llc", "llp", "ag", "sa", "spa",
               "nv", "bv", "gmbh", "bros", "bhd", "tbk", "kk", "ab", "asa", "oyj", "sarl", "srl", "pty", "lp"}
#: words a company's short name drops along with its legal form
_GENERIC_COMPANY_WORDS = {"international", "holdings", "holding", "group", "industries", "company", "companies",
                          "incorporated", "and", "&", "the", "of"}
#: last words that make a name a body: "Toronto Bond Traders' Association", "Interior Ministry"
BODY_HEADS = {"association", "federation", "union", "institute", "council", "committee", "commission", "party",
              "ministry", "agency", "organisation", "organization", "foundation", "fund", "exchange", "university",
              "authority", "board", "bank", "bancorp", "bancshares", "airlines", "airways", "holdings", "group",
              "corporation", "company", "society", "front", "movement", "army", "police", "congress",
              "parliament", "assembly", "senate", "court", "tribunal", "office", "bureau", "directorate",
              "service", "services", "command", "forces", "guard", "guards", "brigade", "brigades", "consortium", "cartel", "syndicate", "network", "observatory", "alliance", "coalition"}
#: nouns that say the name next to them is an organisation
_CLASSIFIERS_BEFORE = {"company", "firm", "group", "bank", "carrier", "airline", "newspaper", "daily", "weekly",
                       "magazine", "agency", "maker", "manufacturer", "producer", "retailer", "insurer", "brokerage", "conglomerate", "operator", "distributor", "exporter", "importer", "subsidiary",
                       "party", "movement", "broadcaster", "network", "channel", "tabloid", "consortium", "utility",
                       "publisher", "miner", "refiner", "automaker", "carmaker", "chipmaker", "supplier", "lender",
                       "shipper", "exchange", "club", "outlet", "militia", "faction"}
_CLASSIFIERS_AFTER = {"newspaper", "daily", "weekly", "magazine", "agency", "company", "firm", "airline", "carrier",
                      "broadcaster", "tabloid"}
#: last words of a competition's name: "Fed Cup", "PGA Tour", "World Series", "National League"
COMPETITION_HEADS = {"cup", "tour", "series", "championship", "championships", "open", "games", "olympics",
                     "prix", "final", "finals", "trophy", "tournament", "classic", "masters", "marathon", "league"}
#: last words of a building or site: "Central Clinical Hospital", "Sednaya Prison" (a place, not a body)
FACILITY_HEADS = {"hospital", "motel", "hotel", "airport", "prison", "mosque", "church", "cathedral", "stadium",
                  "palace", "square", "bridge", "harbour", "harbor", "checkpoint", "crossing", "dam", "tower",
                  "temple", "synagogue", "monastery", "embassy", "consulate"}
#: what a body or a company has, named right after it: "Ericsson spokesman", "Jones stock"
_OWNED_BY_BODIES = {"spokesman", "spokeswoman", "spokesperson", "shares", "stock", "shareholders", "stake",
                    "subsidiary", "headquarters"}
#: capitalised words after a classifier noun that begin no name
_NOT_ORG_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
                  "february", "march", "april", "may", "june", "july", "august", "september", "october",
                  "november", "december", "the", "and", "of", "on", "in", "said", "says"}
#: a wire's office named after its town: "Bucharest Newsroom"
_DESKS = {"newsroom", "newsdesk"}
#: capitals that are not organisations: units, currencies, time zones, indicators, standards, roman numerals
_NOT_ORGS = set("""
    gmt utc edt est cst cdt mst mdt pst pdt bst cet cest jst ist hkt sgt aest
    usd eur gbp jpy chf cad aud nzd hkd sgd cny rmb inr krw rub skr dkr nkr sek nok dkk dm ffr ecu lira
    gdp gnp cpi ppi pmi ism eps nav ytd yoy qoq mom pct bps fob cif ipo ceo cfo coo cto mp mps qc
    isdn pc tv dvd cd usb gps sms atm faq pdf html http www
    rbi era mph kph kmh km kg lb oz
    aids hiv sars dna rna bse tb
    ii iii iv vi vii viii ix xi xii xiii xiv xv xx
    vs ok hq ad bc bce ce am pm ps nb
""".split())
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,6}$")


@cache
def _english_words() -> frozenset[str]:
    """English lemmas from the parser's own lemmatizer tables; a capitalised word among them is a word
    ("OIL", "PRESS"), not an acronym. Empty when the loaded pipeline has no such tables."""
    try:
        lookups = getattr(load_nlp().get_pipe("lemmatizer"), "lookups", None)
        table = lookups.get_table("lemma_index") if lookups is not None else {}
    except (KeyError, ValueError):
        return frozenset()
    return frozenset(w for words in table.values() for w in words if w.isalpha())


def is_english_word(word: str) -> bool:
    lower = word.lower()
    words = _english_words()
    return lower in words or lower.endswith("s") and lower[:-1] in words


def company_core(tok: Tokens, start: int, end: int) -> tuple[int, int] | None:
    """The short name of a company named with its legal form: "Magna" of "Magna International Inc";
    None when the name has no legal form at its end."""
    if end - start < 2 or tok.lower[end - 1].replace(".", "") not in LEGAL_FORMS:
        return None
    stop = end - 1
    while stop > start and tok.lower[stop - 1].replace(".", "") in (_GENERIC_COMPANY_WORDS | LEGAL_FORMS):
        stop -= 1
    return (start, stop) if stop > start else None


def _classified(tok: Tokens, c: Candidate) -> bool:
    """"packaging company Cofinec", "the daily Kompas", "Tanjug news agency", "Der Spiegel magazine"."""
    before = tok.lower[c.start - 1] if c.start > 0 else ""
    after = tok.lower[c.end] if c.end < tok.n else ""
    if after == "news" and c.end + 1 < tok.n and tok.lower[c.end + 1] == "agency":
        return True
    return before in _CLASSIFIERS_BEFORE or after in _CLASSIFIERS_AFTER


def _is_person_name(tok: Tokens, c: Candidate, gaz: Gazetteer) -> bool:
    return c.label == "PERSON" and c.end - c.start >= 2 and gaz.is_given_name(tok.text[c.start])


#: words after the name of a market index: "Dow Jones industrial average", "FTSE 100 index"
_INDEX_WORDS = {"index", "average", "composite", "industrials", "industrial"}


def _names_an_index(tok: Tokens, c: Candidate) -> bool:
    after = c.end + (c.end < tok.n and tok.text[c.end].isdigit())
    return after < tok.n and tok.lower[after] in _INDEX_WORDS and tok.text[after].islower()


def _extend(tok: Tokens, c: Candidate) -> None:
    """Take in a legal form or a wire desk the NER left after the name: "Apic Yamada Corp", "Warsaw Newsroom"."""
    if c.end < tok.n and tok.capitalised(c.end) and (tok.lower[c.end] in _DESKS
                                                   or tok.lower[c.end].replace(".", "") in LEGAL_FORMS - {"co"}):
        c.end, c.label, c.fixed = c.end + 1, "ORG", True


def _employs(tok: Tokens, c: Candidate) -> bool:
    """"Ericsson spokesman", "Jones stock": a name that has a spokesman or shares is a body or a company."""
    return c.end < tok.n and tok.lower[c.end] in _OWNED_BY_BODIES and c.end - c.start == 1


def organisation_rules(tok: Tokens, candidates: list[Candidate], gaz: Gazetteer) -> list[Candidate]:
    """Candidates retyped by legal form, body head, facility head and classifier nouns; the short names of
    companies (and the desks of wires) made organisations wherever they occur."""
    surnames = {tok.lower[c.end - 1] for c in candidates if c.label == "PERSON" and c.end - c.start >= 2}
    short: set[tuple[str, ...]] = set()
    for c in candidates:
        _extend(tok, c)
        if c.fixed and c.label != "ORG":
            continue
        last = tok.lower[c.end - 1].replace(".", "")
        core = company_core(tok, c.start, c.end)
        if core is not None:
            short.add(tok.key(*core))
            first = tok.text[core[0]]
            if core[1] - core[0] >= 2 and not (is_english_word(first) or gaz.is_given_name(first)
                                                or gaz.lookup(first) or gaz.place_population(first) is not None):
                short.add(tok.key(core[0], core[0] + 1))  # "Brackwell" of "Brackwell Optics Inc"
        several = c.end - c.start >= 2
        if c.label == "ORG" and not c.fixed and _names_an_index(tok, c):
            c.label = "MISC"  # "the Dow Jones industrial average", "the FTSE 100 index": an index, not a company
            continue
        if several and last in COMPETITION_HEADS and tok.capitalised(c.end - 1) and not c.fixed:
            c.label = "EVENT"  # "the Harbour Cup", "a Coastal Tour", "the Island Games": a competition, not a body
            continue
        if core is not None or last in BODY_HEADS and several and c.label not in {"GPE", "LOC"} \
                and not _is_person_name(tok, c, gaz):
            c.label, c.fixed = "ORG", True
        elif last in FACILITY_HEADS and several and tok.title[c.end - 1]:
            c.label = "FAC"
        elif c.label in {"PERSON", "GPE", "LOC", "MISC", "PRODUCT", "FAC", "WORK_OF_ART"} \
                and (_classified(tok, c) and not _is_person_name(tok, c, gaz)
                     or c.label != "GPE" and _employs(tok, c) and tok.lower[c.start] not in surnames):
            c.label, c.fixed = "ORG", True
    for c in candidates:
        key = tok.key(c.start, c.end)
        if not c.fixed and key in short and not (len(key) == 1 and key[0] in surnames):
            c.label, c.fixed = "ORG", True
    # a unit, a time zone or an indicator the NER took for a body ("1800 GMT", "two RBI") is no name
    kept = [c for c in candidates if not (c.label == "ORG" and not c.fixed and c.end - c.start == 1
                                          and tok.lower[c.start] in _NOT_ORGS)]
    return kept + _classified_unfound(tok, kept, gaz)


def _classified_unfound(tok: Tokens, candidates: list[Candidate], gaz: Gazetteer) -> list[Candidate]:
    """Names after a classifier noun that the NER missed: "the Yugoslav news agency Tanjug"."""
    taken = {i for c in candidates for i in range(c.start, c.end)}
    found = []
    for i in range(1, tok.n):
        if tok.lower[i - 1] not in _CLASSIFIERS_BEFORE or i in taken or not tok.can_start_name(i) \
                or not tok.title[i] or gaz.is_given_name(tok.text[i]) or tok.lower[i] in _NOT_ORG_WORDS:
            continue
        end = i + 1
        while end < tok.n and end - i < 4 and end not in taken and tok.title[end] and tok.lower[end] not in _NOT_ORG_WORDS:
            end += 1
        found.append(Candidate(i, end, "ORG", True))
        taken.update(range(i, end))
    return found


def _defined_acronym(tok: Tokens, i: int, by_end: dict[int, Candidate]) -> Candidate | None:
    """The name an acronym in brackets follows: "Rapid Support Forces ( RSF )"."""
    if not (i >= 2 and tok.text[i - 1] == "(" and i + 1 < tok.n and tok.text[i + 1] == ")"):
        return None
    full = by_end.get(i - 1)
    if full is None or full.end - full.start < 2:
        return None
    capitals = "".join(c for j in range(full.start, full.end) for c in tok.text[j] if c.isupper())
    letters = iter(capitals)
    acronym = tok.text[i].replace("&", "")
    in_order = all(letter in letters for letter in acronym)  # each letter found after the one before
    return full if capitals[:1] == acronym[:1] and in_order else None


def _mixed_case_line(tok: Tokens, i: int) -> bool:
    """At least three lower-case words on the token's line: running text, not a heading or a table."""
    start, end = tok.line_of(i)
    return sum(tok.alpha[j] and tok.text[j].islower() for j in range(start, end)) >= 3


def acronym_candidates(tok: Tokens, candidates: list[Candidate], gaz: Gazetteer) -> list[Candidate]:
    """Acronyms the statistical NER missed or took for a person, as organisations (or as whatever the
    name they abbreviate is)."""
    by_start = {c.start: c for c in candidates}
    by_end = {c.end: c for c in candidates}
    taken = {i for c in candidates for i in range(c.start, c.end)}
    added: list[Candidate] = []
    for i in [i for i, upper in enumerate(tok.upper) if upper]:  # an acronym is in capitals: the pattern runs on those
        word = tok.text[i]
        if not _ACRONYM.match(word) or (i in taken and (i not in by_start or by_start[i].end != i + 1)):
            continue
        own = by_start.get(i)
        full = _defined_acronym(tok, i, by_end)
        stands_for = (full.start, full.end) if full is not None else None
        if own is not None and (own.fixed or own.label not in {"PERSON", "GPE", "LOC"}):
            own.stands_for = own.stands_for or stands_for
            continue
        if full is not None:
            label = full.label
        elif len(word) < 3 or word.lower() in _NOT_ORGS or is_english_word(word) or gaz.lookup(word) is not None \
                or gaz.place_population(word) is not None or not _mixed_case_line(tok, i) \
                or (i > 0 and tok.upper[i - 1] and tok.alpha[i - 1]) or (i + 1 < tok.n and tok.upper[i + 1]
                                                                          and tok.alpha[i + 1]):
            continue
        else:
            label = "ORG"
        if own is not None:
            own.label, own.fixed, own.stands_for = label, True, stands_for
        else:
            added.append(Candidate(i, i + 1, label, True, stands_for))
    return candidates + added
