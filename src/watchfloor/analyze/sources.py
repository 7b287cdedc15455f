"""Who speaks: the entity behind a source phrase — a named mention, a capital or a body named by where it
sits ("officials in Ankara"), a definite description of an organisation named earlier ("the agency"), a
pronoun's antecedent, or else the phrase itself ("US officials")."""

from __future__ import annotations

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..model import EntityRef, Mention, Span
from .gazetteer import gazetteer, slug

__all__ = ["DESCRIPTIONS", "PRONOUNS", "resolve_source"]

PRONOUNS = {"he", "she", "they", "it", "we", "i"}


def _noun_phrase(token: Token) -> SpacySpan:
    """The token's noun phrase without relative clauses or appositions that run long."""
    left = token.left_edge.i
    right = token.i
    for child in token.rights:
        if child.dep_ in {"compound", "prep", "pobj", "amod", "poss", "case"} and child.i - token.i <= 4:
            short = child.dep_ != "prep" or child.right_edge.i - child.i <= 3  # "officials in Ankara"
            right = max(right, child.right_edge.i if short else child.i)
    doc = token.doc
    while left < token.i and doc[left].dep_ in {"det", "punct"}:
        left += 1
    return doc[left : right + 1]


def _mention_covering(mentions: list[Mention], token: Token) -> Mention | None:
    return next((m for m in mentions if m.span.start <= token.idx < m.span.end), None)


def _mention_at(mentions: list[Mention], start: int, end: int) -> Mention | None:
    best = None
    for mention in mentions:
        if mention.span.start >= start and mention.span.end <= end:
            if best is None or mention.span.end - mention.span.start > best.span.end - best.span.start:
                best = mention
    return best


def _is_subject(doc: Doc, mention: Mention) -> bool:
    span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    return span is not None and span.root.dep_ in {"nsubj", "nsubjpass"}


def resolve_source(token: Token, mentions: list[Mention], doc_id: str) -> tuple[EntityRef, Span]:
    """The entity behind a source phrase: a named mention, else the phrase itself ("US officials")."""
    if token.lower_ in PRONOUNS:
        previous = [m for m in mentions if m.span.end <= token.idx and m.entity.type in {"person", "organization", "country"}]
        if token.lower_ in {"he", "she"}:
            previous = [m for m in previous if m.entity.type == "person"]
            # the most salient person: the last one who was a subject ("Choe met Lavrov. She said ...")
            subjects = [m for m in previous if _is_subject(token.doc, m)]
            previous = subjects or previous
        if previous:
            m = previous[-1]
            return m.entity, Span(doc_id, token.idx, token.idx + len(token), token.text)
    phrase = _noun_phrase(token)
    owner = next((c for c in token.children if c.dep_ == "poss" and c.lower_ in {"his", "her"}), None)
    if owner is not None:  # "his office said": the person's office speaks for the person
        person = [m for m in mentions if m.span.end <= token.idx and m.entity.type == "person"]
        if person:
            return person[-1].entity, Span(doc_id, phrase.start_char, phrase.end_char, phrase.text)
    head_mention = _mention_covering(mentions, token)
    left = phrase.start - 1 if phrase.start > 0 and phrase.doc[phrase.start - 1].dep_ == "det" else phrase.start
    written = phrase.doc[left : phrase.end]
    span = Span(doc_id, written.start_char, written.end_char, written.text)
    if head_mention is not None:
        return head_mention.entity, span
    hit = gazetteer().lookup(phrase.text)
    if hit is not None:
        return hit.entity, span
    inner = _mention_at(mentions, phrase.start_char, phrase.end_char)
    if inner is not None and phrase.end - phrase.start <= 2:
        return inner.entity, span
    described = _described(token, phrase, mentions) or _officials_in(token, mentions)
    if described is not None:
        return described, span
    name = phrase.text
    return EntityRef(f"source:{slug(name)}", name, "source"), span


#: people who speak for a government named by where they sit ("officials in Ankara", "sources in Kyiv")
_GOVERNMENT_VOICES = {"official", "source", "authority", "diplomat", "spokesman", "spokeswoman", "spokesperson"}


def _officials_in(token: Token, mentions: list[Mention]) -> EntityRef | None:
    if token.lemma_.lower() not in _GOVERNMENT_VOICES:
        return None
    where = next((g for c in token.children if c.dep_ == "prep" and c.lower_ in {"in", "from"}
                  for g in c.children if g.dep_ == "pobj"), None)
    mention = _mention_covering(mentions, where) if where is not None else None
    if mention is None:
        return None
    if mention.entity.type == "country":
        return mention.entity
    return gazetteer().capital_country(mention.span.text)


#: head nouns of a definite description and the words of the names they can stand for
DESCRIPTIONS = {"agency": {"agency", "service", "intelligence", "bureau", "directorate"},
                 "ministry": {"ministry", "department"}, "service": {"service"}, "council": {"council"},
                 "committee": {"committee"}, "commission": {"commission"}, "bloc": {"union"},
                 "office": {"office"}, "embassy": {"embassy"}, "court": {"court"}, "department": {"department"}}


def _described(token: Token, phrase: SpacySpan, mentions: list[Mention]) -> EntityRef | None:
    """"The agency said ...": the nearest organisation named before it whose name fits the description."""
    words = DESCRIPTIONS.get(token.lemma_.lower())
    if words is None or not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children) \
            or len(phrase) > 3:
        return None
    earlier = [m for m in mentions if m.span.end <= token.idx and m.entity.type == "organization"
               and words & set(m.entity.name.lower().split())]
    return earlier[-1].entity if earlier else None
