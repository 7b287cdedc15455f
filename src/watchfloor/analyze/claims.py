"""Claims: attributed propositions with modality, polarity, subject, quantity and date.

Every attribution gives a claim (who asserts what); every quantity gives a claim about that figure,
attributed to whoever asserts the clause it sits in, or to the outlet itself when nobody is named.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from ..model import Attribution, Claim, DateMention, Document, EntityRef, Event, Mention, Place, Quantity, Span
from .attribution import FoundAttribution, find_attributions, sentence_span
from .events import extract_events
from .gazetteer import slug
from .geo import event_place
from .modality import classify
from .nlp import sentence_of

__all__ = ["extract_claims", "outlet_entity"]


def outlet_entity(outlet: str) -> EntityRef:
    return EntityRef(f"outlet:{slug(outlet)}", outlet, "outlet")


def _sentence_span(token: Token, doc_id: str) -> Span:
    return sentence_span(sentence_of(token), doc_id)


def _token_span(token: Token, doc_id: str) -> Span:
    return Span(doc_id, token.idx, token.idx + len(token), token.text)


def _subject_of(predicate: Token, mentions: list[Mention]) -> EntityRef | None:
    for child in predicate.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            for m in mentions:
                if m.span.start <= child.idx < m.span.end or (
                        child.left_edge.idx <= m.span.start and m.span.end <= child.idx + len(child)):
                    return m.entity
    return None


def _governing(found: list[FoundAttribution], start: int, end: int) -> FoundAttribution | None:
    """The innermost attribution whose content covers [start, end)."""
    best = None
    for item in found:
        content = item.record.content
        if content.start <= start and end <= content.end:
            if best is None or content.end - content.start < best.record.content.end - best.record.content.start:
                best = item
    return best


def _date_in(dates: tuple[DateMention, ...], start: int, end: int) -> DateMention | None:
    return next((d for d in dates if start <= d.span.start and d.span.end <= end), None)


def _attributed(item: FoundAttribution | None, outlet: EntityRef) -> tuple[EntityRef, ...]:
    if item is None:
        return (outlet,)
    return tuple(e for e in item.record.chain) or (outlet,)


def extract_claims(
    doc: Doc,
    document: Document,
    mentions: tuple[Mention, ...],
    dates: tuple[DateMention, ...],
    quantities: tuple[Quantity, ...],
    places: tuple[Place, ...] = (),
) -> tuple[tuple[Attribution, ...], tuple[Event, ...], tuple[Claim, ...]]:
    doc_id = document.id
    outlet = outlet_entity(document.outlet)
    mention_list = list(mentions)
    found = find_attributions(doc, doc_id, mention_list)
    claims: list[Claim] = []
    for item in found:
        root = item.content_root
        if root is None:
            continue
        modality, polarity = classify(root, item.cue)
        content = item.record.content
        date = _date_in(dates, sentence_of(item.cue).start_char, sentence_of(item.cue).end_char)
        claims.append(Claim(
            text=content.text,
            trigger=_token_span(root, doc_id),
            evidence=_sentence_span(item.cue, doc_id),
            modality=modality,
            polarity=polarity,
            attributed_to=_attributed(item, outlet),
            subject=_subject_of(root, mention_list),
            date=date.value if date else None,
            kind="statement",
        ))
    for quantity in quantities:
        token = doc.char_span(quantity.span.start, quantity.span.end, alignment_mode="expand")
        if token is None:
            continue
        anchor = token.root
        predicate = anchor.head
        for _ in range(6):
            if predicate.pos_ in {"VERB", "AUX"} or predicate.dep_ == "ROOT":
                break
            predicate = predicate.head
        governing = _governing(found, quantity.span.start, quantity.span.end)
        modality, polarity = classify(predicate, governing.cue if governing else None)
        sentence = _sentence_span(anchor, doc_id)
        date = _date_in(dates, sentence.start, sentence.end)
        claims.append(Claim(
            text=sentence.text,
            trigger=quantity.span,
            evidence=sentence,
            modality=modality,
            polarity=polarity,
            attributed_to=_attributed(governing, outlet),
            subject=quantity.subject,
            quantity=quantity,
            date=date.value if date else None,
            kind="quantity",
        ))
    events = extract_events(doc, doc_id, mention_list, dates, found, outlet,
                            place_of=lambda trigger: event_place(trigger, places) if places else None)
    return tuple(item.record for item in found), events, tuple(claims)
