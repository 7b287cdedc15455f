"""Named entities from spaCy, canonicalised through the alias table, with in-document person coreference.

A capital or a metonym ("Pyongyang said", "the Kremlin denied") that acts is its country's government;
the same name as a location ("troops arrived in Moscow") stays a place.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from ..model import EntityRef, Mention, Span
from .gazetteer import gazetteer, normalise_name, slug
from .nlp import sentence_of

__all__ = ["extract_mentions", "is_actor_position"]

_KEEP = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
_TITLES = re.compile(
    r"^(?:(?:the|former|acting|deputy|vice|then-)\s+)*(?:president|prime minister|minister|secretary|general|gen\.|"
    r"mr\.?|mrs\.?|ms\.?|dr\.?|sen\.?|senator|rep\.?|col\.?|lt\.?|maj\.?|adm\.?|chancellor|king|queen|prince|"
    r"leader|spokesman|spokeswoman|ambassador|envoy|commander)\s+",
    re.IGNORECASE,
)
_ACTOR_DEPS = {"nsubj", "nsubjpass", "agent", "poss", "csubj"}
_TYPE_BY_LABEL = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place",
                  "NORP": "group"}


def is_actor_position(span: SpacySpan) -> bool:
    """True when the span acts: subject of a verb, possessor, or agent of a passive."""
    root = span.root
    if root.dep_ in _ACTOR_DEPS:
        return True
    if root.dep_ == "pobj" and root.head.dep_ == "agent":
        return True
    return root.dep_ == "compound" and root.head.dep_ in _ACTOR_DEPS and root.head.lemma_ in {
        "official", "government", "ministry", "authority", "leader", "spokesman", "spokeswoman"}


def _trim(span: SpacySpan) -> SpacySpan:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    while end > start and doc[end - 1].text in {"'s", "’s", "'", "’"}:
        end -= 1
    if end <= start or (start, end) == (span.start, span.end):
        return span
    return SpacySpan(doc, start, end, label=span.label)


def _gazetteer_spans(doc: Doc, taken: set[int]) -> list[SpacySpan]:
    """Aliases that the statistical NER missed ("the Kremlin", "Pentagon", "NATO" in lower-confidence spots)."""
    gaz = gazetteer()
    found: list[SpacySpan] = []
    i = 0
    while i < len(doc):
        if i in taken or not (doc[i].is_title or doc[i].is_upper) or doc[i].is_stop and doc[i].lower_ != "us":
            i += 1
            continue
        for length in (4, 3, 2, 1):
            span = doc[i : i + length]
            if span.end > len(doc) or any(t.i in taken for t in span):
                continue
            if not all(t.is_title or t.is_upper or t.lower_ in {"of", "and", "the", "for"} for t in span):
                continue
            if length == 1 and (len(doc[i]) < 3 or doc[i].text == "US" and i == sentence_of(span[0]).start):
                continue
            hit = gaz.lookup(span.text)
            if hit and hit.kind in {"name", "metonym"}:
                found.append(span)
                i += length - 1
                break
        i += 1
    return found


def _person_canonical(names: list[str]) -> dict[str, str]:
    """Map each person name to the longest full name in the document that ends with it."""
    full = sorted({n for n in names if len(n.split()) >= 2}, key=len, reverse=True)
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


def extract_mentions(doc: Doc, doc_id: str) -> tuple[Mention, ...]:
    gaz = gazetteer()
    ents = [_trim(e) for e in doc.ents if e.label_ in _KEEP]
    taken = {t.i for e in ents for t in e}
    spans = sorted(ents + _gazetteer_spans(doc, taken), key=lambda s: s.start)
    labels = {id(s): (s.label_ or "ORG") for s in spans}
    person_names = [_TITLES.sub("", s.text) for s in spans if labels[id(s)] == "PERSON"]
    canonical_person = _person_canonical(person_names)
    mentions: list[Mention] = []
    for span in spans:
        label = labels[id(span)]
        text = span.text
        actor = is_actor_position(span)
        hit = gaz.lookup(text)
        entity: EntityRef | None = None
        as_actor = False
        if label == "PERSON":
            if hit and hit.entity.type == "organization":
                entity = hit.entity
            else:
                name = canonical_person.get(_TITLES.sub("", text), text)
                entity = EntityRef(f"person:{slug(name)}", name, "person")
        elif hit is not None:
            entity = hit.entity
            as_actor = hit.kind == "metonym" or (hit.entity.type == "country" and actor)
            if hit.kind == "demonym" and label == "NORP" and span.root.dep_ not in {"amod", "compound"}:
                as_actor = actor
        elif label in {"GPE", "LOC", "FAC"} and actor and (country := gaz.capital_country(text)) is not None:
            entity, as_actor = country, True
        if entity is None:
            etype = _TYPE_BY_LABEL.get(label, "other")
            entity = EntityRef(f"{etype}:{slug(text)}", text, etype)
        if not normalise_name(text):
            continue
        mentions.append(
            Mention(Span(doc_id, span.start_char, span.end_char, text), label, entity, as_actor)
        )
    return tuple(mentions)
