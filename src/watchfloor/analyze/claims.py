"""Claims: attributed propositions with modality, polarity, subject, quantity and date.

Every attribution gives a claim (who asserts what); every quantity gives a claim about that figure,
attributed to whoever asserts the clause it sits in, or to the outlet itself when nobody is named. A clause
in the outlet's own voice that is not a plain assertion — a forecast, a plan, an accusation, a hedge
("Choe is expected to stay for several days", "the pact will take effect once ...") — is a claim of the
outlet's, so that its modality is on record like anyone else's.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..model import (
    Attribution,
    Claim,
    DateMention,
    Document,
    EntityRef,
    Event,
    Mention,
    Modality,
    Place,
    Quantity,
    Span,
)
from .attribution import FoundAttribution, find_attributions, quotations, sentence_span
from .events import extract_events
from .gazetteer import slug
from .geo import event_place
from .modality import HEDGE_ADV, classify
from .nlp import children_of, sentence_of, sentences_of, text_of
from .sources import resolve_source

__all__ = ["extract_claims", "outlet_entity"]


def outlet_entity(outlet: str) -> EntityRef:
    return EntityRef(f"outlet:{slug(outlet)}", outlet, "outlet")


def _sentence_span(token: Token, doc_id: str) -> Span:
    return sentence_span(sentence_of(token), doc_id)


def _token_span(token: Token, doc_id: str) -> Span:
    return Span(doc_id, token.idx, token.idx + len(token), token.text)


def _subject_of(predicate: Token, mentions: list[Mention]) -> EntityRef | None:
    for child in children_of(predicate):
        if child.dep_ in {"nsubj", "nsubjpass"}:
            at, first, end = child.idx, child.left_edge.idx, child.idx + len(child)
            for m in mentions:
                if m.span.start <= at < m.span.end or (first <= m.span.start and m.span.end <= end):
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


#: what the outlet says in its own voice becomes a claim only when it is not a plain statement of fact
_MARKED = {Modality.HEDGED, Modality.PLANNED, Modality.ALLEGED}


def _clause_roots(sent: SpacySpan) -> list[Token]:
    """The main clause's verb and the verbs of clauses coordinated with it that have their own subject
    ("Borrell condemned it, and he plans to raise it")."""
    root = sent.root
    if root.pos_ not in {"VERB", "AUX"}:
        return []
    joined = [c.i for c in children_of(root) if c.dep_ == "cc"]  # a clause joined by "and", "but" (not a misparse)
    return [root, *(c for c in children_of(root) if c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"}
                    and any(g.dep_ in {"nsubj", "nsubjpass"} for g in children_of(c)) and any(i < c.i for i in joined))]


def _clause_span(root: Token, others: list[Token], doc_id: str) -> Span:
    """The clause of ``root`` without the coordinated clauses that stand on their own."""
    cut = {t.i for other in others if other != root and other.head == root for t in other.subtree}
    cut |= {c.i for c in children_of(root) if c.dep_ == "cc"}
    tokens = [t for t in root.subtree if t.i not in cut and not t.is_space and t.text not in {",", ".", ";"}]
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    return Span(doc_id, start, end, text_of(root.doc)[start:end])


def _outlet_voice(doc: Doc, doc_id: str, found: list[FoundAttribution], mentions: list[Mention],
                  dates: tuple[DateMention, ...], outlet: EntityRef) -> list[Claim]:
    cues = {item.cue.i for item in found}
    quoted = quotations(doc)  # quoted words are someone's, even when we cannot tell whose
    claims = []
    reporting: FoundAttribution | None = None  # the source the previous sentence of the paragraph cites
    previous_end = 0
    for sent in sentences_of(doc):
        if "\n" in text_of(doc)[previous_end : sent.start_char]:
            reporting = None
        roots = _clause_roots(sent)
        # an accusation with no accuser named, wherever it sits: "the shells it is accused of shipping"
        words = text_of(doc)[sent.start_char : sent.end_char]
        accusations = [t for t in sent if _accused_act(t) is not None and t not in roots] \
            if _ACCUSING.search(words) else []
        for root in (*roots, *accusations):
            speaking = _governing(found, root.idx, root.idx + len(root))
            if root.i in cues or speaking is not None and root not in accusations:
                continue  # someone else's statement: a claim of theirs already
            if speaking is None and (any(start <= root.idx < end for start, end in quoted) or _spoken(words, root)):
                continue
            modality, polarity = classify(_accused_act(root) or root)
            if modality not in _MARKED or modality is Modality.HEDGED and _general_can(root):
                continue
            evidence = sentence_span(sent, doc_id)
            date = _date_in(dates, evidence.start, evidence.end)
            claims.append(Claim(
                text=_clause_span(root, roots, doc_id).text,
                trigger=_token_span(root, doc_id),
                evidence=evidence,
                modality=modality,
                polarity=polarity,
                attributed_to=_reported_by(root, reporting) or _attributed(speaking, outlet),
                subject=_subject_of(root, mentions) or _pronoun_subject(root, mentions, doc_id),
                date=date.value if date else None,
                kind="statement",
            ))
        cited = [item for item in found if sent.start <= item.cue.i < sent.end]
        reporting = cited[-1] if cited else None
        previous_end = sent.end_char
    return claims


def _spoken(sentence: str, root: Token) -> bool:
    """A sentence of a quotation we could not delimit (a quote running over paragraphs opens each with a
    mark and closes only the last), or said in the first person: not the outlet's voice."""
    return any(mark in sentence for mark in '“”"') or any(
        c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ in {"i", "we"} for c in children_of(root))


def _general_can(root: Token) -> bool:
    """"Discrimination can drive women into poverty": what can happen in general, not the outlet hedging."""
    auxiliaries = {c.lower_ for c in children_of(root) if c.dep_ == "aux"}
    return bool(auxiliaries & {"can", "ca"}) and not any(c.lower_ in HEDGE_ADV for c in children_of(root))


#: a sentence that may accuse; the lookahead (the alternatives' first letters) halves the instructions of a search,
#: which otherwise tries every alternative at every character
_ACCUSING = re.compile(r"(?=[abcs])(?:accus|charg|suspect|alleg|blam)", re.IGNORECASE)


def _accused_act(root: Token) -> Token | None:
    """"North Korea is accused of shipping shells" with nobody named as accuser: the act it is accused of."""
    if root.lemma_.lower() not in {"accuse", "charge", "suspect", "allege", "blame"} \
            or not any(c.dep_ == "auxpass" for c in children_of(root)):
        return None
    prep = next((c for c in children_of(root) if c.dep_ == "prep" and c.lower_ in {"of", "for", "with"}), None)
    return next((g for g in children_of(prep) if g.dep_ in {"pcomp", "pobj"}), None) if prep is not None else None


def _reported_by(root: Token, reporting: FoundAttribution | None) -> tuple[EntityRef, ...] | None:
    """"According to the agency, the troops come from four brigades. They were reportedly given uniforms":
    "reportedly" right after a sentence that cites a source goes on with that source's report."""
    if reporting is None or not any(c.lower_ == "reportedly" for c in children_of(root)):
        return None
    return reporting.record.chain or None


#: verbs of recording what one observed: "the ministry recorded 14 ships", "radars detected 30 aircraft"
_OBSERVING = {"record", "detect", "spot", "register", "observe", "track", "count", "log", "tally", "document",
              "monitor", "sight", "intercept", "identify", "verify"}
#: "received a report of ...", "published a map showing ...": what a body passes on is its figure
_PASSING_ON = {"receive", "publish", "release", "issue", "post"}
_DOCUMENTS = {"report", "map", "statement", "update", "tally", "count", "figure", "data", "chart", "graphic", "list",
              "bulletin", "notice", "warning", "alert"}


def _observed_by(anchor: Token, predicate: Token, mentions: list[Mention], doc_id: str) -> tuple[EntityRef, ...] | None:
    """A figure in the outlet's words that someone recorded or passed on: the ministry "recorded 14 ships",
    UKMTO "received a report ... about 60 miles off", the command "published a map showing nine areas", "the
    17 warships it announced"."""
    speaker: Token | None = None
    relative = next((c for c in children_of(anchor) if c.dep_ == "relcl" and c.lemma_.lower() in _OBSERVING | {
        "announce", "report", "give", "cite", "put", "estimate"}), None)
    if relative is not None:
        speaker = next((c for c in children_of(relative) if c.dep_ in {"nsubj", "nsubjpass"}), None)
    lemma = predicate.lemma_.lower()
    if speaker is None and predicate.pos_ == "VERB" and not any(c.dep_ == "auxpass" for c in children_of(predicate)):
        observing = lemma in _OBSERVING
        passing = lemma in _PASSING_ON and any(c.dep_ == "dobj" and c.lemma_.lower() in _DOCUMENTS
                                               for c in children_of(predicate))
        if observing or passing:
            speaker = next((c for c in children_of(predicate) if c.dep_ == "nsubj"), None)
    if speaker is None and predicate.dep_ in {"acl", "relcl"} and predicate.lemma_.lower() in {"show", "list", "mark"}:
        document = predicate.head  # "a map showing nine areas": whoever published the map
        publisher = document.head if document.dep_ == "dobj" and document.head.lemma_.lower() in _PASSING_ON else None
        speaker = next((c for c in children_of(publisher) if c.dep_ == "nsubj"), None) if publisher is not None else None
    if speaker is None:
        return None
    return (resolve_source(speaker, mentions, doc_id)[0],)


#: openings that go on with what the sentence before reported: "Additionally, 37 soldiers were killed"
_GOING_ON = {"additionally", "also", "furthermore", "moreover", "besides"}


def _continued(anchor: Token, predicate: Token, found: list[FoundAttribution]) -> tuple[EntityRef, ...] | None:
    """A figure in the outlet's words that goes on with the source the sentence before cites, in the same
    paragraph: marked "reportedly", or opening with "additionally", "in addition", "moreover"."""
    sent = sentence_of(anchor)
    opening = [t.lower_ for t in sent[:3] if not t.is_punct]
    marked = any(c.lower_ == "reportedly" for c in children_of(predicate)) or (opening and opening[0] in _GOING_ON) \
        or opening[:2] == ["in", "addition"]
    if not marked or sent.start == 0:
        return None
    before = sentence_of(sent.doc[sent.start - 1])
    if "\n" in text_of(sent.doc)[before.end_char : sent.start_char]:
        return None
    cited = [item for item in found if before.start <= item.cue.i < before.end and item.record.chain]
    return cited[-1].record.chain if cited else None


def _pronoun_subject(predicate: Token, mentions: list[Mention], doc_id: str) -> EntityRef | None:
    """"he plans to raise it": the person the pronoun stands for, as attribution resolves speakers."""
    pronoun = next((c for c in children_of(predicate) if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ == "PRON"), None)
    if pronoun is None or pronoun.lower_ not in {"he", "she", "they", "it"}:
        return None
    entity, _ = resolve_source(pronoun, mentions, doc_id)
    return None if entity.type == "source" else entity


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
        attributed = _attributed(governing, outlet) if governing is not None else (
            _observed_by(anchor, predicate, mention_list, doc_id) or _continued(anchor, predicate, found)
            or (outlet,))
        claims.append(Claim(
            text=sentence.text,
            trigger=quantity.span,
            evidence=sentence,
            modality=modality,
            polarity=polarity,
            attributed_to=attributed,
            subject=quantity.subject,
            quantity=quantity,
            date=date.value if date else None,
            kind="quantity",
        ))
    claims.extend(_outlet_voice(doc, doc_id, found, mention_list, dates, outlet))
    events = extract_events(doc, doc_id, mention_list, dates, found, outlet,
                            place_of=lambda trigger: event_place(trigger, places) if places else None)
    return tuple(item.record for item in found), events, tuple(claims)
