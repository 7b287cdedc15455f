"""Reported speech and sourcing: who asserts what.

Patterns: "X said / told / confirmed / warned / estimated (that) ...", "..., X said", "according to X, ...",
quotes with their speakers, and nested chains ("the agency reported, citing NATO officials, that ...").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..model import Attribution, EntityRef, Mention, Span
from .gazetteer import gazetteer, slug
from .nlp import sentences_of, text_of

__all__ = ["FoundAttribution", "SPEECH_VERBS", "find_attributions", "sentence_span"]

SPEECH_VERBS = {
    "say", "tell", "confirm", "warn", "report", "announce", "claim", "state", "add", "note", "estimate",
    "believe", "assess", "accuse", "deny", "reject", "dismiss", "allege", "insist", "argue", "stress", "write",
    "post", "brief", "suggest", "indicate", "acknowledge", "admit", "reveal", "disclose", "explain", "declare",
    "vow", "pledge", "promise", "threaten", "urge", "describe", "predict", "conclude", "assert", "maintain",
    "emphasize", "emphasise", "tweet", "inform", "testify", "show", "find", "think", "suspect", "caution",
    "contend", "observe", "remark", "reiterate", "repeat", "refute", "dispute", "charge", "blame", "condemn",
    "signal", "hint", "speculate", "fear", "recall", "quote", "cite", "detail", "outline", "decry", "know",
}
#: verbs that only count as attribution with a clausal complement ("showed that ...", not "showed a film")
_NEEDS_CLAUSE = {"show", "find", "know", "add", "note", "write", "post", "describe", "recall", "brief", "signal"}
#: verbs whose object is the proposition ("accused X of Y", "denied sending", "condemned the deployment")
_OBJECT_CONTENT = {"accuse", "deny", "reject", "dismiss", "allege", "confirm", "condemn", "blame", "refute",
                   "dispute", "charge", "estimate", "report", "announce", "acknowledge", "admit", "reveal",
                   "disclose", "decry"}
_QUOTES = {'"', "“", "”", "«", "»"}
_PRONOUNS = {"he", "she", "they", "it", "we", "i"}


@dataclass(frozen=True)
class FoundAttribution:
    """An attribution with the parse tokens the later stages need."""

    record: Attribution
    cue: Token
    content_root: Token | None


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass", "csubj"}:
            return child
    if verb.dep_ in {"conj", "xcomp", "advcl"} and verb.head.pos_ in {"VERB", "AUX"}:
        return _subject(verb.head)
    return None


def _noun_phrase(token: Token) -> SpacySpan:
    """The token's noun phrase without relative clauses or appositions that run long."""
    left = token.left_edge.i
    right = token.i
    for child in token.rights:
        if child.dep_ in {"compound", "prep", "pobj", "amod", "poss", "case"} and child.i - token.i <= 4:
            right = max(right, child.right_edge.i if child.dep_ != "prep" else child.i)
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


def resolve_source(token: Token, mentions: list[Mention], doc_id: str) -> tuple[EntityRef, Span]:
    """The entity behind a source phrase: a named mention, else the phrase itself ("US officials")."""
    if token.lower_ in _PRONOUNS:
        previous = [m for m in mentions if m.span.end <= token.idx and m.entity.type in {"person", "organization", "country"}]
        if token.lower_ in {"he", "she"}:
            previous = [m for m in previous if m.entity.type == "person"]
        if previous:
            m = previous[-1]
            return m.entity, Span(doc_id, token.idx, token.idx + len(token), token.text)
    phrase = _noun_phrase(token)
    head_mention = _mention_covering(mentions, token)
    span = Span(doc_id, phrase.start_char, phrase.end_char, phrase.text)
    if head_mention is not None:
        return head_mention.entity, span
    hit = gazetteer().lookup(phrase.text)
    if hit is not None:
        return hit.entity, span
    inner = _mention_at(mentions, phrase.start_char, phrase.end_char)
    if inner is not None and phrase.end - phrase.start <= 2:
        return inner.entity, span
    name = phrase.text
    return EntityRef(f"source:{slug(name)}", name, "source"), span


def _content_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in {"ccomp", "xcomp"}:
            return child
    if verb.lemma_ in _OBJECT_CONTENT:
        for child in verb.children:
            if child.dep_ in {"dobj", "prep"}:
                if child.dep_ == "prep" and child.lower_ in {"of", "that", "about", "for"}:
                    inner = next((g for g in child.children if g.dep_ in {"pcomp", "pobj"}), None)
                    if inner is not None:
                        return inner
                elif child.dep_ == "dobj" and verb.lemma_ != "accuse":
                    return child
    if verb.dep_ in {"parataxis", "advcl", "conj"} or verb.dep_ == "ROOT" and verb.head is verb:
        head = verb.head
        if head is not verb and head.pos_ in {"VERB", "AUX"} and verb.i > head.i:
            return head  # "Troops arrived, officials said" parsed with "said" under "arrived"
    return None


def sentence_span(sent: SpacySpan, doc_id: str) -> Span:
    """The sentence without the whitespace spaCy keeps around it."""
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    end = sent.end_char - (len(text) - len(text.rstrip()))
    return Span(doc_id, start, end, text_of(sent.doc)[start:end])


def _nest(found: list[FoundAttribution]) -> list[FoundAttribution]:
    """Prefix each chain with the chains of the attributions whose content holds its cue."""
    nested = []
    for item in found:
        cue = item.record.cue
        outer = [o for o in found if o is not item and o.record.content.start <= cue.start
                 and cue.end <= o.record.content.end]
        if outer:
            enclosing = min(outer, key=lambda o: o.record.content.end - o.record.content.start)
            prefix = tuple(e for e in enclosing.record.chain if e not in item.record.chain)
            record = item.record
            item = FoundAttribution(
                Attribution(record.source, record.source_span, record.cue, record.content, prefix + record.chain),
                item.cue, item.content_root)
        nested.append(item)
    return nested


def _span(doc: Doc, doc_id: str, start: int, end: int) -> Span:
    return Span(doc_id, start, end, text_of(doc)[start:end])


def _content_span(content: Token, cue: Token) -> tuple[int, int]:
    tokens = [t for t in content.subtree if not (cue.i <= t.i <= cue.i) and t.dep_ != "mark"]
    if content.i < cue.i:
        tokens = [t for t in tokens if t.i < cue.i and not t.is_punct or t.i < cue.i and t.text not in {",", "\""}]
    tokens = [t for t in tokens if t.text not in _QUOTES]
    if not tokens:
        return content.idx, content.idx + len(content)
    start = min(t.idx for t in tokens)
    last = max(tokens, key=lambda t: t.i)
    while last.is_punct and last.i > tokens[0].i:
        last = last.doc[last.i - 1]
    return start, last.idx + len(last)


def find_attributions(doc: Doc, doc_id: str, mentions: list[Mention]) -> list[FoundAttribution]:
    found: list[FoundAttribution] = []
    for sent in sentences_of(doc):
        for token in sent:
            if token.pos_ not in {"VERB", "AUX"} or token.lemma_.lower() not in SPEECH_VERBS:
                continue
            if token.lemma_ == "cite":
                continue
            subject = _subject(token)
            content = _content_of(token)
            if subject is None or content is None:
                continue
            if token.lemma_ in _NEEDS_CLAUSE and content.dep_ not in {"ccomp"}:
                continue
            if subject.lower_ in {"it", "this", "that", "which", "who"} and token.lemma_ in {"show", "find", "suggest"}:
                continue
            source, source_span = resolve_source(subject, mentions, doc_id)
            chain = [source]
            for child in token.children:  # "reported, citing NATO officials, that ..."
                if child.lemma_ in {"cite", "quote"} and child.dep_ in {"advcl", "xcomp", "conj", "prep"}:
                    inner = next((g for g in child.children if g.dep_ in {"dobj", "pobj"}), None)
                    if inner is not None:
                        chain.append(resolve_source(inner, mentions, doc_id)[0])
                    nested = next((g for g in child.children if g.dep_ == "ccomp"), None)
                    content = nested or content
            start, end = _content_span(content, token)
            record = Attribution(
                source=source,
                source_span=source_span,
                cue=_span(doc, doc_id, token.idx, token.idx + len(token)),
                content=_span(doc, doc_id, start, end),
                chain=tuple(chain),
            )
            found.append(FoundAttribution(record, token, content))
        found.extend(_according_to(sent, doc_id, mentions))
    return _nest(found)


def _according_to(sent: SpacySpan, doc_id: str, mentions: list[Mention]) -> list[FoundAttribution]:
    results = []
    doc = sent.doc
    for token in sent:
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            to = doc[token.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            source, source_span = resolve_source(pobj, mentions, doc_id)
            chain = [source]
            for child in pobj.subtree:  # "according to X, citing Y"
                if child.lemma_ == "cite":
                    inner = next((g for g in child.children if g.dep_ in {"dobj", "pobj"}), None)
                    if inner is not None:
                        chain.append(resolve_source(inner, mentions, doc_id)[0])
            phrase_end = max(t.i for t in token.subtree)
            root = token.head if token.head is not token else sent.root
            tokens = [t for t in sent if not (token.i <= t.i <= phrase_end) and not t.is_punct]
            if not tokens:
                continue
            start = tokens[0].idx
            end = tokens[-1].idx + len(tokens[-1])
            cue = Span(doc_id, token.idx, to.idx + len(to), text_of(doc)[token.idx : to.idx + len(to)])
            results.append(FoundAttribution(
                Attribution(source, source_span, cue, Span(doc_id, start, end, text_of(doc)[start:end]), tuple(chain)),
                token, root))
    return results
