"""Toponym recognition: the places a parsed document names, geocoded together.

Candidates are spaCy's GPE, LOC and FAC entities, plus capitalised names the NER left untagged or tagged
as a person or organisation when they are unambiguous gazetteer places (a country, a first-level area, one
of our own places). Left out, because they are not places where something is:

- a mention that acts for its government ("Pyongyang said", "the Kremlin denied": ``Mention.as_actor``);
- demonyms and adjectives ("North Korean troops", "the Ukrainian side");
- names inside an organisation's name ("Kyiv Independent", "University of Texas").

"Kursk region" and "the Kursk Oblast" are the area (ISO 3166-2), "Kursk" alone is the town, and
"Paris, Texas" is read as Paris within Texas.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.attrs import POS
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ...model import Mention, Place, Span
from ..gazetteer import gazetteer as alias_table
from ..name_tokens import tokens_of
from ..nlp import ents_of, span_text, text_of
from .event import DIRECTIONAL, LOCATIVE
from .gazetteer import ADMIN1, CITY, COUNTRY, DESIGNATORS, Gazetteer, geo_gazetteer
from .resolve import Toponym, demonym_place, resolve

__all__ = ["extract_places"]

_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_SKIP_WORDS = {"the", "a", "an"}
#: kinds of place that a name need not be tagged as a place to be taken for one
_SURE_FEATURES = {COUNTRY, ADMIN1, "region", "sea", "site", "continent"}
#: a town tagged as something else is taken only when it is this large
_SURE_POPULATION = 100_000
#: a name found only as a town is taken when a town of that name has this many people
_MIN_TOWN = 1000
#: ... or, when the name is a town's alternate spelling, this many
_ALTERNATE_TOWN = 50_000
#: a name tagged as a person is a town of the document's country when the town has this many people
_PERSON_TOWN = 5000
#: entity labels that are never names of places
_HONORIFICS = {"mr", "mrs", "ms", "dr", "sir", "lady", "lord", "gen", "col", "sen", "rep", "gov", "president"}
#: other labels that may hide a town the small model did not know
_MAYBE_LABELS = {"PERSON", "PRODUCT", "NORP"}
#: words after a place name that make it the name of something else
_NAMED_AFTER = {"virus", "fever", "disease", "flu", "strain", "variant", "syndrome", "accord", "accords",
                "agreement", "format", "convention", "protocol", "process", "declaration"}
#: capitalised words the NER often calls places that name none on their own
_NOT_PLACES = {"North", "South", "East", "West", "Easter", "M.D.", "Midwest Region"}
_NOT_NAMES = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "LANGUAGE", "LAW", "EVENT", "WORK_OF_ART"}


def _trailing(token: Token) -> bool:
    """A possessive ending, a punctuation mark or a space: not part of the place's name at its end."""
    return token.text in {"'s", "’s", "'", "’"} or token.is_punct or token.is_space


def _trim(span: SpacySpan) -> SpacySpan | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in _SKIP_WORDS:
        start += 1
    while end > start and _trailing(doc[end - 1]):
        end -= 1
    return doc[start:end] if end > start else None


@lru_cache(maxsize=1 << 14)
def _is_sure_place(gaz: Gazetteer, text: str, towns: bool = True) -> bool:
    """A country, an area, one of our own places, or (``towns``) a large town by its own name (kept per process:
    the same names recur)."""
    for entry, own in gaz.candidates(text):
        if own and (entry.feature in _SURE_FEATURES
                    or towns and entry.feature == CITY and entry.population >= _SURE_POPULATION):
            return True
    return False


def _town_countries(gaz: Gazetteer, text: str, population: int = 0) -> set[str]:
    """Countries with a town of this name (its own name, or an alternate of a large town)."""
    floor = max(population, _MIN_TOWN)
    return {e.country for e, own in gaz.candidates(text) if e.feature == CITY and e.country
            and e.population >= (floor if own else max(floor, _ALTERNATE_TOWN))}


def _parts(span: SpacySpan) -> list[SpacySpan]:
    """"Kharkiv, Odesa" tagged as one organisation: the names between its commas and "and"s."""
    parts, start = [], span.start
    for token in span:
        if token.is_punct or token.dep_ == "cc":
            if token.i > start:
                parts.append(span.doc[start : token.i])
            start = token.i + 1
    if span.end > start:
        parts.append(span.doc[start : span.end])
    return parts


def _likeliest_country(gaz: Gazetteer, text: str) -> str | None:
    found = [e for e, own in gaz.candidates(text) if own]
    return max(found, key=lambda e: e.population).country if found else None


def _located(span: SpacySpan) -> bool:
    """The syntax says place: "in/near/toward X", "X region", "X, Y" after a place."""
    doc = span.doc
    if span.end < len(doc) and doc[span.end].lower_ in DESIGNATORS:
        return True
    root = span.root
    return root.dep_ == "pobj" and (root.head.lower_ in LOCATIVE or root.head.lower_ in DIRECTIONAL)


def _with_designator(span: SpacySpan) -> tuple[SpacySpan, str | None]:
    """Extend "Kursk" to "Kursk region" or "the region of Kursk"; split a designator the NER included."""
    doc = span.doc
    last = span[-1].lower_
    if len(span) > 1 and last in DESIGNATORS:
        return span, last
    if span.end < len(doc) and doc[span.end].lower_ in DESIGNATORS:
        return doc[span.start : span.end + 1], doc[span.end].lower_
    if span.start >= 2 and doc[span.start - 1].lower_ == "of" and doc[span.start - 2].lower_ in DESIGNATORS:
        return doc[span.start - 2 : span.end], doc[span.start - 2].lower_
    return span, None


def _base_text(span: SpacySpan, designator: str | None) -> str:
    words = [t.text for t in span]
    if designator is None:
        return span_text(span)
    if words[-1].lower() == designator:
        return span[:-1].text
    return span[2:].text  # "region of Kursk"


def _proper_runs(doc: Doc, taken: set[int]) -> list[SpacySpan]:
    """Runs of capitalised proper nouns that no entity covers ("Toretsk" the NER missed)."""
    propn = doc.vocab.strings["PROPN"]
    # read as an array and the name rules' view of the words: a spaCy token is a new object each time it is asked
    # for, and its lexeme's IS_TITLE costs as much to gather as the word's own istitle
    proper = [pos == propn and title for pos, title in zip(doc.to_array(POS).tolist(), tokens_of(doc).title,
                                                              strict=True)]
    runs = []
    end = 0  # where the last run ends
    for i in [i for i, is_proper in enumerate(proper) if is_proper]:
        if i < end or i in taken:
            continue
        end = i
        while end < len(proper) and end not in taken and proper[end] and end - i < 4:
            end += 1
        runs.append(doc[i:end])
    return runs


def _person_words(doc: Doc) -> set[str]:
    """Words of the document's multi-word person names: a later "Jackson" after "Maria Elena Jackson" is her,
    not the town of that name."""
    return {t.text for e in ents_of(doc) if e.label_ == "PERSON" and len(e) > 1 for t in e}


def _not_a_place_name(span: SpacySpan, people: set[str]) -> bool:
    first = span[0]
    doc = span.doc
    if not first.text[:1].isupper() or first.lower_.rstrip(".") in _HONORIFICS or span_text(span) in _NOT_PLACES:
        return True
    if span.end < len(doc) and doc[span.end].lower_ in _NAMED_AFTER:
        return True  # "West Nile virus", "Marburg fever"
    if len(span) == 1 and first.text in people:
        return True
    hit = alias_table().lookup(span_text(span))
    return hit is not None and (hit.kind == "demonym" or hit.entity.type == "organization")


def _located_town(gaz: Gazetteer, span: SpacySpan) -> bool:
    """The syntax says place, and some country has a town of that name: asked only where the answer counts (a
    name the NER called a place needs no such test, and finding a span's root walks its tokens)."""
    return _located(span) and bool(_town_countries(gaz, span_text(span)))


def _candidate_spans(doc: Doc, gaz: Gazetteer, mentions: tuple[Mention, ...]) -> list[SpacySpan]:
    """Sure places first; then names that are towns of a country the sure places are in."""
    people = _person_words(doc)
    sure: list[SpacySpan] = []
    maybe: list[tuple[SpacySpan, bool]] = []  # (span, tagged as a person)
    covered: set[int] = set()
    for ent in ents_of(doc):
        covered.update(range(ent.start, ent.end))
        trimmed = _trim(ent)
        if trimmed is None or ent.label_ in _NOT_NAMES:
            continue
        if ent.label_ not in _PLACE_LABELS and any(t.text == "," for t in trimmed):
            parts = _parts(trimmed)
            if all(_is_sure_place(gaz, span_text(p)) for p in parts):
                sure.extend(parts)
                continue
        if _not_a_place_name(trimmed, people):
            continue
        if demonym_place(gaz, span_text(trimmed)) is not None:
            continue
        if ent.label_ in {"GPE", "LOC"} or ent.label_ == "FAC" and gaz.candidates(span_text(trimmed)):
            sure.append(trimmed)
        elif ent.label_ == "PERSON":
            if _located_town(gaz, trimmed) or _is_sure_place(gaz, span_text(trimmed), towns=False):
                sure.append(trimmed)
            else:
                maybe.append((trimmed, True))
        elif _is_sure_place(gaz, span_text(trimmed)) or _located_town(gaz, trimmed):
            sure.append(trimmed)
        elif ent.label_ in _MAYBE_LABELS and (ent.label_ != "ORG" or len(trimmed) == 1):
            maybe.append((trimmed, False))
    for run in _proper_runs(doc, covered):
        if _not_a_place_name(run, people):
            continue
        if _is_sure_place(gaz, span_text(run)) or _located(run) and _town_countries(gaz, span_text(run)):
            sure.append(run)
        else:
            maybe.append((run, False))
    taken = {t.i for s in sure for t in s}
    for mention in mentions:  # names the entity stage found and the NER did not call places
        if mention.label in _PLACE_LABELS and not mention.as_actor:
            span = doc.char_span(mention.span.start, mention.span.end)
            if span is not None and not taken.intersection(range(span.start, span.end)) \
                    and _is_sure_place(gaz, span_text(span)):
                sure.append(span)
    countries = {_likeliest_country(gaz, span_text(span)) for span in sure} - {None}
    accepted = {t.i for s in sure for t in s}
    for span, person in sorted(maybe, key=lambda m: m[0].start):
        if accepted.intersection(range(span.start, span.end)) or not _town_countries(gaz, span_text(span)) & countries:
            continue  # already a place (the entity stage may retype what the NER called a person)
        if person and not (span.root.dep_ in {"conj", "appos"} and span.root.head.i in accepted) \
                and not _town_countries(gaz, span_text(span), _PERSON_TOWN) & countries:
            continue
        sure.append(span)
        accepted.update(t.i for t in span)
    return sorted(sure, key=lambda s: s.start)


def _qualifiers(spans: list[SpacySpan]) -> dict[int, int]:
    """"Paris, Texas": index of Paris -> index of Texas when only a comma stands between them."""
    within = {}
    for a in range(len(spans) - 1):
        left, right = spans[a], spans[a + 1]
        if right.start == left.end + 1 and left.doc[left.end].text == ",":
            within[a] = a + 1
    return within


def extract_places(doc: Doc, doc_id: str, mentions: tuple[Mention, ...]) -> tuple[Place, ...]:
    """Every place the document names, geocoded; unknown ones keep ``lat``/``lon`` None."""
    gaz = geo_gazetteer()
    aliases = alias_table()
    actors = [(m.span.start, m.span.end) for m in mentions if m.as_actor]
    spans: list[tuple[SpacySpan, str | None]] = []
    for span in _candidate_spans(doc, gaz, mentions):
        if any(span.start_char < end and start < span.end_char for start, end in actors):
            continue
        hit = aliases.lookup(span_text(span))
        if hit is not None and hit.kind == "demonym" or demonym_place(gaz, span_text(span)) is not None:
            continue
        spans.append(_with_designator(span))
    if not spans:
        return ()
    within = _qualifiers([s for s, _ in spans])
    toponyms = [Toponym(_base_text(s, d), s.start_char, s.end_char, d, within.get(i))
                for i, (s, d) in enumerate(spans)]
    # Capitals acting for governments and demonyms are no places, but they still say where the story is.
    context = [Toponym(m.span.text, m.span.start, m.span.end) for m in mentions
               if m.as_actor or m.label == "NORP" and demonym_place(gaz, m.span.text) is not None]
    resolutions = resolve(toponyms + context)[: len(toponyms)]
    text = text_of(doc)
    places = []
    for toponym, resolution in zip(toponyms, resolutions, strict=True):
        entry = resolution.entry
        evidence = Span(doc_id, toponym.start, toponym.end, text[toponym.start : toponym.end])
        if entry is None:
            if not (toponym.text.isupper() and len(toponym.text) <= 4):  # "AI", "FBI": acronyms, not places
                places.append(Place(evidence, evidence.text, None, None))
            continue
        places.append(Place(evidence, entry.name, resolution.lat, resolution.lon, entry.country, resolution.admin,
                            entry.feature, resolution.confidence, entry.id))
    return tuple(places)
