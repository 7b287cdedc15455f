"""Who speaks: the entity behind a source phrase — a named mention, a capital or a body named by where it
sits ("officials in Ankara"), a definite description of an organisation named earlier ("the agency"), a
pronoun's antecedent, or else the phrase itself ("US officials").

A title or description with a name after it speaks as that name ("the private intelligence firm Ambrey",
"former US president, Donald Trump", "Iran's news agency IRNA"). A nationality before a body of people is
part of the body's name, not the country ("the Syrian military", "Ukrainian officials", "Israeli media"):
the country speaks only as its government or its capital. A dateline at the head of a wire story
("NEW TAIPEI, Taiwan (Reuters) -") is never the speaker.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..model import EntityRef, Mention, Span
from .gazetteer import gazetteer, slug
from .nlp import children_of, kept, sentence_of, span_text, text_of

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
    """The mention is a clause's subject; kept per document, as every pronoun after it asks again."""
    known = kept(doc, "watchfloor_subject_mentions", _no_subjects_yet)
    key = (mention.span.start, mention.span.end)
    found = known.get(key)
    if found is None:
        span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
        found = known[key] = span is not None and span.root.dep_ in {"nsubj", "nsubjpass"}
    return found


def _no_subjects_yet(_doc: Doc) -> dict[tuple[int, int], bool]:
    return {}


#: heads of a phrase that names a body of people by its nationality: "Syrian military", "Russian authorities"
_BODIES = {"official", "authority", "military", "army", "navy", "media", "leader", "leadership", "force",
           "police", "diplomat", "lawmaker", "source", "prosecutor", "investigator", "commander", "intelligence",
           "troop", "soldier", "negotiator", "envoy", "delegation", "analyst", "expert", "observer", "monitor",
           "press", "broadcaster", "outlet", "journalist", "reporter", "medic", "rescuer", "agency", "service",
           "medium"}  # spaCy's lemma of "media"
#: a dateline opens a wire story: "NEW TAIPEI, Taiwan (Reuters) -", "WASHINGTON, June 22 (Reuters) -"
_DATELINE_END = {"-", "—", "–", "--"}


def _after_dateline(token: Token) -> Token:
    """The speaker past a dateline the parser took for the subject ("TAIPEI ... -Gold Apollo said")."""
    if not token.text.isupper():  # a dateline's place is written in capitals: nothing else to look at
        return token
    sent = sentence_of(token)
    words = [t for t in sent if not t.is_space]
    end = next((t.i for t in words[:12] if t.text in _DATELINE_END or t.text.startswith(("-", "—", "–"))
                and t.i > sent.start and t.doc[t.i - 1].text == ")"), None)
    if end is None or token.i > end:
        return token
    later = [c for c in children_of(token.head) if c.i > end and c.dep_ == token.dep_]  # a second subject
    later += [c for c in token.subtree if c.i >= end and c.dep_ in {"conj", "appos"}]
    return later[0] if later else token


def _named_after(token: Token, mentions: list[Mention]) -> Mention | None:
    """A title or description followed by a name: the name speaks ("the firm Ambrey", "President X")."""
    candidates = [c for c in children_of(token) if c.dep_ == "appos"]
    candidates += [g for c in children_of(token) if c.dep_ == "conj" for g in children_of(c) if g.dep_ == "appos"]
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    if following is not None and following.pos_ == "PROPN":
        candidates.append(following)  # "President Bashar al-Assad" split by the parser
    for candidate in candidates:
        mention = _mention_covering(mentions, candidate)
        if mention is not None and mention.entity.type in {"person", "organization"} \
                and mention.span.start > token.idx:
            return mention
    return None


def _body_of_nationals(token: Token, phrase: SpacySpan, inner: Mention) -> bool:
    """"the Syrian military": a body named by its nationality, not the country itself."""
    return inner.entity.type == "country" and token.lemma_.lower() in _BODIES and inner.span.start < token.idx \
        and phrase.end - phrase.start <= 3


def _inside_credited_quote(token: Token, mention: Mention, sentence_start: int) -> bool:
    """'"... the Chinese claim ...," it said': a name inside the quote a pronoun credits is not its antecedent
    (``sentence_start``: where the pronoun's sentence starts)."""
    between = text_of(token.doc)[mention.span.end : token.idx] if sentence_start <= mention.span.start else ""
    return any(mark in between for mark in '"”’')


def _antecedent(pronoun: Token, mentions: list[Mention]) -> Mention | None:
    """The last person, body or country named before the pronoun, outside a quote it credits; for "he" and
    "she", the last person, and the last who was a subject when one was ("Choe met Lavrov. She said ..."):
    the most salient. Sought backwards, so that only the mentions after the answer are tested."""
    start = sentence_of(pronoun).start_char
    person = pronoun.lower_ in {"he", "she"}
    kinds = {"person"} if person else {"person", "organization", "country"}
    last = None
    for m in reversed(mentions):
        if m.span.end > pronoun.idx or m.entity.type not in kinds or _inside_credited_quote(pronoun, m, start):
            continue
        if not person or _is_subject(pronoun.doc, m):
            return m
        last = last or m
    return last


def resolve_source(token: Token, mentions: list[Mention], doc_id: str,
                   speakers: Sequence[EntityRef] = ()) -> tuple[EntityRef, Span]:
    """The entity behind a source phrase: a named mention, else the phrase itself ("US officials").
    ``speakers`` are the sources cited in the sentences just before, the latest last: "it said" after a
    body has spoken goes on with that body (a speaker introduced in one sentence, quoted in the next)."""
    token = _after_dateline(token)
    if token.lower_ == "it":
        return _it(token, mentions, doc_id, speakers)
    if token.lower_ in PRONOUNS:
        antecedent = _antecedent(token, mentions)
        if antecedent is not None:
            return antecedent.entity, Span(doc_id, token.idx, token.idx + len(token), token.text)
    phrase = _noun_phrase(token)
    owner = next((c for c in children_of(token) if c.dep_ == "poss" and c.lower_ in {"his", "her"}), None)
    if owner is not None:  # "his office said": the person's office speaks for the person
        person = [m for m in mentions if m.span.end <= token.idx and m.entity.type == "person"]
        if person:
            return person[-1].entity, Span(doc_id, phrase.start_char, phrase.end_char, span_text(phrase))
    head_mention = _mention_covering(mentions, token)
    left = phrase.start - 1 if phrase.start > 0 and phrase.doc[phrase.start - 1].dep_ == "det" else phrase.start
    written = phrase.doc[left : phrase.end]
    span = Span(doc_id, written.start_char, written.end_char, span_text(written))
    if head_mention is not None and head_mention.entity.type != "country":
        return head_mention.entity, span
    named = _named_after(token, mentions)
    if named is not None:
        return named.entity, Span(doc_id, named.span.start, named.span.end, named.span.text)
    if head_mention is not None:
        return head_mention.entity, span
    hit = gazetteer().lookup(span_text(phrase))
    if hit is not None:
        return hit.entity, span
    inner = _mention_at(mentions, phrase.start_char, phrase.end_char)
    if inner is not None and _body_of_nationals(token, phrase, inner):
        return EntityRef(f"source:{slug(span_text(phrase))}", span_text(phrase), "source"), span
    if inner is not None and phrase.end - phrase.start <= 2:
        return inner.entity, span
    described = _described(token, phrase, mentions) or _officials_in(token, mentions)
    if described is not None:
        return described, span
    name = span_text(phrase)
    return EntityRef(f"source:{slug(name)}", name, "source"), span


def _it(token: Token, mentions: list[Mention], doc_id: str, speakers: Sequence[EntityRef]) -> tuple[EntityRef, Span]:
    """"It said": a body that was the subject of a sentence just before, else the body that spoke last, else
    the last body named (never a person, never a name inside the quote "it" credits)."""
    span = Span(doc_id, token.idx, token.idx + len(token), token.text)
    sentence = sentence_of(token)
    previous = [m for m in mentions if m.span.end <= token.idx and m.entity.type in {"organization", "country"}
                and not _inside_credited_quote(token, m, sentence.start_char)]
    recent = sentence_of(token.doc[max(0, sentence.start - 1)]).start_char  # this sentence and the one before
    subjects = [m for m in previous if m.span.start >= recent and _is_subject(token.doc, m)]
    if subjects:
        return subjects[-1].entity, span
    body = next((e for e in reversed(speakers) if e.type not in {"person", "outlet"}), None)
    if body is not None:
        return body, span
    if previous:
        return previous[-1].entity, span
    return EntityRef("source:it", token.text, "source"), span


#: people who speak for a government named by where they sit ("officials in Ankara", "sources in Kyiv")
_GOVERNMENT_VOICES = {"official", "source", "authority", "diplomat", "spokesman", "spokeswoman", "spokesperson"}


def _officials_in(token: Token, mentions: list[Mention]) -> EntityRef | None:
    if token.lemma_.lower() not in _GOVERNMENT_VOICES:
        return None
    where = next((g for c in children_of(token) if c.dep_ == "prep" and c.lower_ in {"in", "from"}
                  for g in children_of(c) if g.dep_ == "pobj"), None)
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
    if words is None or not any(c.dep_ == "det" and c.lower_ == "the" for c in children_of(token)) \
            or len(phrase) > 3:
        return None
    earlier = [m for m in mentions if m.span.end <= token.idx and m.entity.type == "organization"
               and words & set(m.entity.name.lower().split())]
    return earlier[-1].entity if earlier else None
