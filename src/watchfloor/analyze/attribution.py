"""Reported speech and sourcing: who asserts what.

Patterns: "X said / told / confirmed / warned / estimated (that) ...", "..., X said", "according to X, ...",
quotes with their speakers, and nested chains ("the agency reported, citing NATO officials, that ...").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from spacy.attrs import LEMMA, POS
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..model import Attribution, EntityRef, Mention, Span
from .gazetteer import slug
from .modality import CUE_MODALITY, WITHHOLDING_VERBS, withheld
from .nlp import children_of, is_root, kept, sentence_of, sentences_of, text_of
from .sources import DESCRIPTIONS, PRONOUNS, resolve_source

__all__ = ["FoundAttribution", "SPEECH_VERBS", "find_attributions", "sentence_span"]

SPEECH_VERBS = {
    "say", "tell", "confirm", "warn", "report", "announce", "claim", "state", "add", "note", "estimate",
    "believe", "assess", "accuse", "deny", "reject", "dismiss", "allege", "insist", "argue", "stress", "write",
    "post", "brief", "suggest", "indicate", "acknowledge", "admit", "reveal", "disclose", "explain", "declare",
    "vow", "pledge", "promise", "threaten", "urge", "describe", "predict", "conclude", "assert", "maintain",
    "emphasize", "emphasise", "tweet", "inform", "testify", "show", "find", "think", "suspect", "caution", "specify",
    "contend", "observe", "remark", "reiterate", "repeat", "refute", "dispute", "charge", "blame", "condemn",
    "signal", "hint", "speculate", "fear", "recall", "quote", "cite", "detail", "outline", "decry", "know",
    "call", "ask", "respond", "reply", "mention", "point", "question", "criticize", "criticise", "agree", "continue", "joke", "concede", "boast", "complain", "recount", "recommend", "propose",
    "verify", "corroborate", "characterize", "characterise",
}
#: verbs that only count as attribution with a clausal complement ("showed that ...", not "showed a film")
_NEEDS_CLAUSE = {"show", "find", "know", "add", "note", "write", "post", "describe", "characterize", "characterise", "specify",
                 "recall", "brief", "signal", "continue", "agree", "ask", "respond", "reply", "mention", "joke", "concede", "recommend", "propose"}
#: verbs whose object is the proposition ("accused X of Y", "denied sending", "condemned the deployment")
_OBJECT_CONTENT = {"accuse", "deny", "reject", "dismiss", "allege", "confirm", "condemn", "blame", "refute",
                   "dispute", "charge", "estimate", "report", "announce", "acknowledge", "admit", "reveal",
                   "disclose", "decry", "verify", "corroborate"}
#: verbs whose object is the party spoken about or to: in the passive their subject is not the speaker
_ADDRESSED = {"accuse", "charge", "blame", "condemn", "criticize", "criticise", "question", "ask", "urge", "tell",
              "inform", "brief", "warn", "describe", "call", "decry"}
#: acts of saying that count only when withheld: "did not claim the attack", "did not clarify whether",
#: "has yet to claim responsibility", "was unable to confirm", "offered no date", "did not answer calls"
#: (a comment withheld, or a request for one unanswered, is the "no comment" of _no_comment)
WITHHELD_ACTS = {"claim", "say", "state", "clarify", "elaborate", "report", "address", "specify", "explain", "detail",
                 "respond", "reply", "confirm", "verify", "acknowledge", "disclose", "reveal", "mention", "identify",
                 "offer", "give", "provide", "name", "publish", "release"}
_QUOTES = {'"', "“", "”", "«", "»"}
_DENIAL_WORDS = {"groundless", "baseless", "false", "fake", "untrue", "unfounded", "absurd", "fabricated", "nonsense"}


@dataclass(frozen=True)
class FoundAttribution:
    """An attribution with the parse tokens the later stages need."""

    record: Attribution
    cue: Token
    content_root: Token | None


def _subject(verb: Token) -> Token | None:
    for child in children_of(verb):
        if child.dep_ in {"nsubj", "nsubjpass", "csubj"}:
            return child
    if verb.dep_ in {"conj", "xcomp", "advcl"} and verb.head.pos_ in {"VERB", "AUX"}:
        return _subject(verb.head)
    if verb.dep_ == "xcomp" and verb.head.dep_ == "acomp" and verb.head.lower_ in WITHHOLDING_VERBS \
            and verb.head.head.pos_ in {"VERB", "AUX"}:
        return _subject(verb.head.head)  # "was unable to confirm"
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in {"VERB", "AUX"}:
        return _subject(verb.head.head)  # "responded by saying ...", "after saying ..."
    return _misattached_speaker(verb)


def _misattached_speaker(verb: Token) -> Token | None:
    """"... troops to Russia, South Korea's spy agency said": the parser hangs the speaker on the last noun
    of the content as an appositive; the noun phrase right before the verb, after a comma, is the speaker."""
    if verb.i == 0:
        return None
    last = verb.doc[verb.i - 1]
    if last.dep_ != "appos" or last.pos_ not in {"NOUN", "PROPN"} or last.head.i >= last.i:
        return None
    before = verb.doc[last.left_edge.i - 1] if last.left_edge.i > 0 else None
    if before is None or before.text != "," or not any(c.dep_ == "ccomp" for c in children_of(verb)):
        return None
    return last


def _fronted_content(verb: Token, subject: Token) -> Token | None:
    """"Troops were moved, officials said." parsed without a clause link: the words before the speaker."""
    sent = sentence_of(verb)
    if any(not (t.is_punct or t.dep_ in {"advmod", "npadvmod", "prep", "pobj"}) for t in sent[verb.i - sent.start + 1:]):
        return None
    speaker_start = min(subject.left_edge.i, verb.i)
    before = [t for t in sent[: speaker_start - sent.start] if not t.is_punct]
    if len(before) < 3:
        return None
    heads = [t for t in before if t.head.i >= speaker_start or is_root(t) or t.head.i < sent.start]
    return heads[0] if heads else before[0]


#: "officials put the number at 8,000": verbs that set a figure, and the nouns that name one
_SETTING_VERBS = {"put", "place", "estimate", "set", "peg", "fix"}
_FIGURE_NOUNS = {"number", "figure", "toll", "total", "count", "size", "strength", "tally", "estimate"}


#: the lemmas of the verbs :func:`find_attributions` reads: speech, an act of saying withheld, a figure put at
_REPORTING = SPEECH_VERBS | WITHHELD_ACTS | _SETTING_VERBS


def _figure_estimate(verb: Token) -> Token | None:
    """"put the number in Kursk at about 8,000": the figure given (the object of "at")."""
    if verb.lemma_.lower() not in _SETTING_VERBS:
        return None
    if not any(c.dep_ == "dobj" and c.lemma_.lower() in _FIGURE_NOUNS for c in children_of(verb)):
        return None
    at = next((c for c in children_of(verb) if c.dep_ == "prep" and c.lower_ == "at"), None)
    return next((g for g in children_of(at) if g.dep_ == "pobj"), None) if at is not None else None


#: verbs that characterise their object: "described the deployment as a provocation"
_CHARACTERISING = {"describe", "characterize", "characterise"}


def _characterisation(verb: Token) -> Token | None:
    """The "as" of "described X as Y": the object and what it is called make the proposition."""
    if verb.lemma_.lower() not in _CHARACTERISING or not any(c.dep_ == "dobj" for c in children_of(verb)):
        return None
    return next((c for c in children_of(verb) if c.dep_ == "prep" and c.lower_ == "as"
                 or c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "as" for m in children_of(c))), None)


def _citing(token: Token) -> bool:
    """"citing NATO officials", hung on a reporting verb or on the clause it reports: part of that verb's
    chain, not a cue of its own."""
    return token.lemma_ in {"cite", "quote"} and token.dep_ in {"advcl", "xcomp", "conj", "prep"}


#: nouns of claiming whose clause is what is claimed: "repeated his claims that the vote was rigged"
_CLAIM_NOUNS = {"claim", "allegation", "accusation", "assertion", "charge", "contention", "belief", "view",
                "assessment", "warning", "insistence"}


def _content_of(verb: Token) -> Token | None:
    figure = _figure_estimate(verb)
    if figure is not None:
        return figure
    clauses = [c for c in children_of(verb) if c.dep_ in {"ccomp", "xcomp"}]
    if len(clauses) > 1:  # "X said A; officials said B" parsed with A under the second "said": B is its content
        clauses = [c for c in clauses if c.i > verb.i] or clauses
    if clauses:
        return clauses[0]
    for child in children_of(verb):  # "repeated his claims that ...": the clause of the noun of claiming
        if child.dep_ == "dobj" and child.lemma_.lower() in _CLAIM_NOUNS and verb.lemma_.lower() not in _OBJECT_CONTENT \
                and any(d.dep_ in {"poss", "det"} for d in children_of(child)):
            # a complement ("claims that it was rigged"), not a relative clause ("accusations that he denied")
            clause = next((g for g in children_of(child) if g.dep_ in {"acl", "ccomp"}
                           and any(m.dep_ == "mark" for m in children_of(g))), None)
            if clause is not None:
                return clause
    for child in children_of(verb):  # "reported, citing NATO officials, that ...": the clause hangs on "citing"
        if _citing(child):
            clause = next((g for g in children_of(child) if g.dep_ == "ccomp"), None)
            if clause is not None:
                return clause
    for child in children_of(verb):  # "said earlier that ...": the parser hangs the clause on the adverb
        if child.dep_ == "advmod":
            clause = next((g for g in children_of(child) if g.dep_ == "ccomp"
                           and any(m.dep_ == "mark" and m.lower_ == "that" for m in children_of(g))), None)
            if clause is not None:
                return clause
    characterised = _characterisation(verb)
    if characterised is not None:
        return characterised
    if verb.lemma_ in {"call", "describe", "brand", "label"}:  # "called the reports groundless"
        judged = next((c for c in children_of(verb) if c.dep_ in {"oprd", "ccomp", "xcomp"}
                       and c.lower_ in _DENIAL_WORDS), None)
        direct = next((c for c in children_of(verb) if c.dep_ == "dobj"), None)
        if judged is not None and direct is not None:
            return direct
    if verb.lemma_ in {"call", "point", "criticize", "criticise", "question", "cite", "mention"}:
        for child in children_of(verb):  # "called for new talks", "pointed to the report", "cited a poll"
            if child.dep_ == "prep" and child.lower_ in {"for", "on", "to"}:
                inner = next((g for g in children_of(child) if g.dep_ in {"pobj", "pcomp"}), None)
                if inner is not None:
                    return inner
            if child.dep_ in {"dobj", "oprd"} and verb.lemma_ != "call":
                return child
            if child.dep_ == "oprd" and verb.lemma_ == "call":  # "called the reports groundless"
                return child
    if verb.lemma_ in _OBJECT_CONTENT:
        for child in children_of(verb):
            if child.dep_ in {"dobj", "prep"}:
                if child.dep_ == "prep" and child.lower_ in {"of", "that", "about", "for"}:
                    inner = next((g for g in children_of(child) if g.dep_ in {"pcomp", "pobj"}), None)
                    if inner is not None:
                        return inner
                elif child.dep_ == "dobj" and verb.lemma_ != "accuse":
                    return child
        # "accused the US and its allies of stoking ...": the parser hangs "of" on the last accused
        accused = next((c for c in children_of(verb) if c.dep_ == "dobj"), None)
        for holder in (accused, *accused.conjuncts) if accused is not None else ():
            prep = next((c for c in children_of(holder) if c.dep_ == "prep" and c.lower_ in {"of", "for"}), None)
            inner = next((g for g in children_of(prep) if g.dep_ == "pcomp"), None) if prep is not None else None
            if inner is not None:
                return inner
    if verb.dep_ == "ccomp" and verb.head.i > verb.i and any(
            c.dep_ == "mark" and c.lower_ == "that" and c.i > verb.i for c in children_of(verb.head)):
        return verb.head  # "X reported, citing Y, that Z" parsed with "reported" under Z
    if verb.dep_ in {"parataxis", "advcl", "conj"}:
        head = verb.head
        if head.i != verb.i and head.pos_ in {"VERB", "AUX"} and (verb.i > head.i or verb.dep_ == "parataxis"):
            return head  # "Troops arrived, officials said" / "Troops, he said, arrived" hang "said" off the clause
    return None


#: what is given or offered when something is said: "offered no date", "gave no details"
_INFORMATION = {"date", "detail", "timeline", "timetable", "evidence", "figure", "number", "explanation",
                "information", "reason", "name", "comment", "response", "answer", "assessment", "estimate",
                "indication", "account", "proof", "confirmation", "update", "statement"}
#: acts of saying only by what they give: "offered no date", not "without providing health insurance"
_GIVING = {"offer", "give", "provide", "release", "publish", "name"}
#: an unanswered request for comment is the "no comment" of _no_comment, whose cue is the word "comment"
_ASKING = {"request", "call", "email", "message", "question", "inquiry", "enquiry"}


def _withheld_act(verb: Token) -> bool:
    """An act of saying that did not happen, by a speaker: "did not claim the attacks", "has yet to claim
    responsibility", "was unable to confirm", "did not say whether", "offered no date"."""
    if verb.lemma_.lower() not in WITHHELD_ACTS or any(c.dep_ == "auxpass" for c in children_of(verb)):
        return False  # "will not be revealed": nobody withholds it
    if not withheld(verb):
        return False
    objects = [c for c in children_of(verb) if c.dep_ == "dobj"]
    objects += [g for c in children_of(verb) if c.dep_ == "prep" for g in children_of(c) if g.dep_ == "pobj"]
    if verb.lemma_.lower() in _GIVING:
        return any(o.lemma_.lower() in _INFORMATION for o in objects)
    return not any(o.lemma_.lower() in _ASKING for o in objects)


def _withheld_content(verb: Token) -> Token | None:
    """What a withheld act of saying leaves open: its object, what it was asked about, or the act itself
    ("did not respond to the accusation", "did not claim the attacks", "has not responded")."""
    for child in children_of(verb):
        if child.dep_ in {"dobj", "ccomp", "xcomp"}:
            return child
    for child in children_of(verb):
        if child.dep_ == "prep" and child.lower_ in {"to", "on", "about", "for", "whether"}:
            inner = next((g for g in children_of(child) if g.dep_ in {"pobj", "pcomp"}), None)
            if inner is not None:
                return inner
    return verb


def sentence_span(sent: SpacySpan, doc_id: str) -> Span:
    """The sentence without the whitespace spaCy keeps around it."""
    whole = text_of(sent.doc)
    text = whole[sent.start_char : sent.end_char]
    start = sent.start_char + (len(text) - len(text.lstrip()))
    end = sent.end_char - (len(text) - len(text.rstrip()))
    return Span(doc_id, start, end, whole[start:end])


def _nest(found: list[FoundAttribution]) -> list[FoundAttribution]:
    """Prefix each chain with the chains of the attributions whose content holds its cue."""
    nested = []
    for item in found:
        cue = item.record.cue
        outer = [o for o in found if o is not item and o.record.content.start <= cue.start
                 and cue.end <= o.record.content.end]
        if outer:
            enclosing = min(outer, key=lambda o: o.record.content.end - o.record.content.start)
            record = item.record
            source, own = record.source, record.chain
            if source is not None and source.type == "source" and source.name.lower() in PRONOUNS:
                # "the coalition said it was working to verify ...": an unresolved "it" is the speaker around it
                source, own = enclosing.record.source, own[1:]
            prefix = tuple(e for e in enclosing.record.chain if e not in own)
            item = FoundAttribution(
                Attribution(source, record.source_span, record.cue, record.content, prefix + own),
                item.cue, item.content_root)
        nested.append(item)
    return nested


def _span(doc: Doc, doc_id: str, start: int, end: int) -> Span:
    return Span(doc_id, start, end, text_of(doc)[start:end])


def _second_contents(content: Token) -> list[Token]:
    """"said that X, and that Y", "said X, and Y" or "said X was defensive and was not directed against Y":
    Y, a clause or a verb phrase with its own auxiliary, is a second proposition of the same speaker."""
    return [c for c in children_of(content) if c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"}
            and any(m.dep_ in {"mark", "nsubj", "nsubjpass", "aux", "auxpass"}
                    and (m.dep_ != "mark" or m.lower_ == "that") for m in children_of(c))]


def _content_span(content: Token, cue: Token, speaker: Token | None = None,
                  cut: list[Token] | None = None) -> tuple[int, int]:
    spoken = set() if speaker is None else {t.i for t in speaker.subtree}
    if content.dep_ == "oprd" or content == _characterisation(content.head):
        # "called [the reports] [groundless]", "described [them] [as a dangerous development]": the object and
        # what it is called
        named = next((c for c in children_of(content.head) if c.dep_ == "dobj"), None)
        tokens = [*(named.subtree if named is not None else ()), *content.subtree]
        tokens = [t for t in tokens if t.text not in _QUOTES and not t.is_punct]
        if tokens:
            first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
            return first.idx, last.idx + len(last)
    own = {t.i for t in content.subtree}
    if cue.i in own and cue.i < content.i:
        # the reporting clause parsed inside what it reports: "[The paper reported, citing X,] that ..."
        spoken |= {t.i for t in cue.subtree}
    for other in cut or ():
        # a second clause inside the content, or a citation around it ("citing X, that [...]")
        spoken |= {t.i for t in other.subtree} if other.i in own else {t.i for t in other.subtree} - own
        spoken |= {c.i for c in children_of(other.head) if c.dep_ == "cc" and c.i < other.i}
    tokens = [t for t in content.subtree if not (cue.i <= t.i <= cue.i) and t.dep_ != "mark" and t.i not in spoken]
    while tokens and tokens[0].is_punct and tokens[0].text not in _QUOTES:
        tokens = tokens[1:]  # ", that the brigade ..." once the citation before it is cut
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


#: “curly” (also ”opened with a closing mark”), "straight", ''doubled single'' (apostrophes inside it are
#: words: ''There's no ...'') and ‘‘…’’ quotes; and a double quote closed by a single one after punctuation
#: (“It had our brand on it,’ he said), a slip of the keyboard that the other patterns would run past
_QUOTE = re.compile(r"“[^“”]{2,1500}”|”[^“”\n]{2,1500}”|\"[^\"\n]{2,1500}\"|''(?:(?!'')[^\n]){2,1500}''|‘‘[^’\n]{2,1500}’’"
                    r"|“[^“”\n]{2,1500}?[,.!?][’'](?=\s)|\"[^\"\n]{2,1500}?[,.!?]'(?=\s)")
#: what may stand between a quote and its credit, matched in place (``match(text, start, end)``): slicing the text
#: between a verb and every quote of the document copied most of it once per speech verb
_GAP_BEFORE = re.compile(r"[\s,:;—–-]*$")
_GAP_AFTER_CREDIT = re.compile(r"[\s,:;—–-]*(?:\.[ \t]*)?$")
_UNCREDITED_END = re.compile(r"[ \t]*(?:$|\n|[A-Z“\"'‘])")


def quotations(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of quoted speech, quote marks included."""
    return list(kept(doc, "watchfloor_quotes", _find_quotations))


def _find_quotations(doc: Doc) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTE.finditer(text_of(doc))]


def _spoken(doc: Doc) -> list[tuple[int, int]]:
    """The quotations of four words or more: speech, not a scare-quoted phrase."""
    return list(kept(doc, "watchfloor_spoken", _find_speech))


def _find_speech(doc: Doc) -> list[tuple[int, int]]:
    text = text_of(doc)
    return [q for q in quotations(doc) if len(text[q[0]:q[1]].split()) >= 4]


def _quoted_content(verb: Token, subject: Token) -> tuple[int, int] | None:
    """The quote a speech verb introduces or closes: '"...," he said' / 'he said: "..."' / both sides."""
    text = text_of(verb.doc)
    # punctuation hangs where the parser pleases (a closing quote mark on the speaker): not part of the credit
    clause = [t for t in (verb, subject, *subject.subtree) if t is not None and not t.is_punct]
    first = min(t.idx for t in clause)
    last = max(t.idx + len(t) for t in clause)
    spoken = _spoken(verb.doc)
    before = [q for q in spoken if q[1] <= first and _GAP_BEFORE.match(text, q[1], first)]
    # '“X,” he said. “Y.”': a quote that goes on after the credit is the same speaker's
    after = [q for q in spoken if q[0] >= last and _GAP_BEFORE.match(text, last, q[0])]
    if before and not after:  # unless the next quote has a credit of its own ('“Y,” she replied')
        after = [q for q in spoken if q[0] >= last and _GAP_AFTER_CREDIT.match(text, last, q[0])
                 and _UNCREDITED_END.match(text, q[1])]
    parts = before[-1:] + after[:1]
    if not parts:
        return None
    return min(p[0] for p in parts), max(p[1] for p in parts)


def _cue_span(verb: Token) -> tuple[int, int]:
    """The verb with the auxiliaries and negation right before it ("has said", "did not deny")."""
    start = verb.i
    while start > 0 and verb.doc[start - 1].dep_ in {"aux", "auxpass", "neg"} and verb.doc[start - 1].head == verb:
        start -= 1
    first = verb.doc[start]
    return first.idx, verb.idx + len(verb)


def find_attributions(doc: Doc, doc_id: str, mentions: list[Mention]) -> list[FoundAttribution]:
    found: list[FoundAttribution] = []
    cited: set[int] = set()  # "citing X" tokens that belong to a reporting verb's chain
    starts: list[int] = []  # where the sentences seen so far begin
    # the verbs that may report, found in the arrays of parts of speech and lemmas: a token object is made for them
    # only (spaCy makes a new one each time a token is asked for): a verb in five
    strings = doc.vocab.strings
    verbal = {strings["VERB"], strings["AUX"]}
    verbs = [i for i, (pos, lemma) in enumerate(doc.to_array([POS, LEMMA]).tolist())
             if pos in verbal and strings[lemma].lower() in _REPORTING]
    openings: dict[int, Mention] = {}  # the first mention starting at each offset: where a sentence may open
    for mention in mentions:
        openings.setdefault(mention.span.start, mention)
    for sent in sentences_of(doc):
        starts.append(sent.start_char)
        speakers = _recent_speakers(found, starts[max(0, len(starts) - 4)], sent.start_char)
        for i in verbs[bisect_left(verbs, sent.start) : bisect_left(verbs, sent.end)]:
            token = doc[i]
            lemma = token.lemma_.lower()
            withholding = _withheld_act(token)
            if lemma not in SPEECH_VERBS and _figure_estimate(token) is None and not withholding or token.i in cited:
                continue
            subject = _subject(token)
            if subject is None:
                continue
            content = (_withheld_content(token) if withholding else None) or _content_of(token)
            if content is None and token.lemma_ in {"say", "tell"}:
                content = next((c for c in children_of(token) if c.dep_ == "advcl" and any(
                    g.dep_ == "nsubj" for g in children_of(c))), None) or _fronted_content(token, subject)
            quoted = _quoted_content(token, subject) if token.lemma_ not in _NEEDS_CLAUSE else None
            if quoted is not None and (content is None or quoted[0] <= content.idx < quoted[1]):
                root = doc.char_span(quoted[0] + 1, quoted[1] - 1, alignment_mode="contract")
                if root is not None and len(root):
                    found.extend(_quote_attributions(doc, doc_id, token, subject, root, quoted, mentions,
                                                     speakers))
                continue
            if content is None:
                continue
            if token.lemma_ in _NEEDS_CLAUSE and content.dep_ not in {"ccomp"} and content != _characterisation(token) \
                    and not withholding:
                continue
            if subject.lower_ in {"it", "this", "that", "which", "who"} and token.lemma_ in {"show", "find", "suggest"}:
                continue
            if subject.dep_ == "nsubjpass" and token.lemma_ in _ADDRESSED:
                # "North Korea is accused of ...": the subject is who it is about, the agent (if any) speaks
                subject = _passive_agent(token)
                if subject is None:
                    continue
            source, source_span = resolve_source(_self_described(subject, content), mentions, doc_id,
                                                 speakers)
            chain = [source]
            # "reported, citing NATO officials, that ...": the citation hangs on the verb or on its clause
            citations = [c for c in (*children_of(token), *children_of(content)) if _citing(c)]
            cited.update(c.i for c in citations)
            for child in citations:
                inner = next((g for g in children_of(child) if g.dep_ in {"dobj", "pobj"}), None)
                if inner is not None:
                    chain.append(resolve_source(inner, mentions, doc_id)[0])
                nested = next((g for g in children_of(child) if g.dep_ == "ccomp"), None)
                content = nested or content
            speaker = subject if subject.dep_ == "appos" else None
            seconds = _second_contents(content)
            for part, cut in ((content, seconds + citations), *((second, []) for second in seconds)):
                start, end = _content_span(part, token, speaker, cut)
                record = Attribution(
                    source=source,
                    source_span=source_span,
                    cue=_span(doc, doc_id, *_cue_span(token)),
                    content=_span(doc, doc_id, start, end),
                    chain=tuple(chain),
                )
                found.append(FoundAttribution(record, token, part))
        found.extend(_no_comment(sent, doc_id, mentions))
        found.extend(_according_to(sent, doc_id, mentions))
        found.extend(_headline_colon(sent, doc_id, openings))
    found.extend(_dash_credits(doc, doc_id, mentions))
    return _nest(found)


def _recent_speakers(found: list[FoundAttribution], since: int, before: int) -> list[EntityRef]:
    """The sources cited between two offsets (the few sentences before this one), the latest last."""
    return [f.record.chain[-1] for f in found if since <= f.record.cue.start < before and f.record.chain]


def _passive_agent(verb: Token) -> Token | None:
    """"was denied by Moscow": the agent; None when the passive names nobody."""
    by = next((c for c in children_of(verb) if c.dep_ == "agent"), None)
    return next((g for g in children_of(by) if g.dep_ == "pobj"), None) if by is not None else None


def _self_described(speaker: Token, content: Token) -> Token:
    """"The agency expects further transfers, it said": "it" is the body the clause describes."""
    if speaker.lower_ != "it":
        return speaker
    inner = next((c for c in children_of(content) if c.dep_ in {"nsubj", "nsubjpass"}), None)
    return inner if inner is not None and inner.lemma_.lower() in DESCRIPTIONS else speaker


def _no_comment_speaker(token: Token) -> Token | None:
    """Who withholds comment: "no comment from X", "X had no comment", "X declined to comment", "X did not
    respond to a request for comment"."""
    if token.pos_ == "VERB":
        held_back = token.dep_ == "xcomp" and token.head.lemma_.lower() in WITHHOLDING_VERBS
        return _subject(token) if held_back or any(c.dep_ == "neg" for c in children_of(token)) else None
    if any(c.dep_ == "det" and c.lower_ == "no" for c in children_of(token)):
        source = next((c for c in children_of(token) if c.dep_ == "prep" and c.lower_ == "from"), None)
        if source is not None:
            return next((g for g in children_of(source) if g.dep_ == "pobj"), None)
        return _subject(token.head) if token.dep_ == "dobj" and token.head.lemma_ == "have" else None
    request = token.head.head if token.head.lower_ == "for" else None
    if request is not None and request.lemma_ == "request" and request.head.lower_ == "to":
        verb = request.head.head
        if verb.lemma_ in {"respond", "reply"} and any(c.dep_ == "neg" for c in children_of(verb)):
            return _subject(verb)
    return None


def _no_comment(sent: SpacySpan, doc_id: str, mentions: list[Mention]) -> list[FoundAttribution]:
    """A party that withholds comment takes no side; the claim says so, attributed to that party."""
    found: list[FoundAttribution] = []
    if "comment" not in text_of(sent.doc)[sent.start_char : sent.end_char].lower():
        return found
    for token in sent:
        if token.lemma_.lower() != "comment":
            continue
        speaker = _no_comment_speaker(token)
        if speaker is None:
            continue
        source, source_span = resolve_source(speaker, mentions, doc_id)
        words = [t for t in token.subtree if not t.is_punct]
        content = _span(sent.doc, doc_id, words[0].idx, words[-1].idx + len(words[-1]))
        cue = _span(sent.doc, doc_id, token.idx, token.idx + len(token))
        found.append(FoundAttribution(Attribution(source, source_span, cue, content, (source,)), token, token))
    return found


_DASH_CREDIT = re.compile(r"[^\S\n]*[―—–][^\S\n]*(?=[A-Z])")


def _dash_credits(doc: Doc, doc_id: str, mentions: list[Mention]) -> list[FoundAttribution]:
    """A quotation credited after a dash: “We will not be silenced.” ― Ana Ruiz."""
    text = text_of(doc)
    found = []
    for start, end in quotations(doc):
        dash = _DASH_CREDIT.match(text, end)
        if dash is None:
            continue
        name = doc.char_span(dash.end(), dash.end() + 1, alignment_mode="expand")
        if name is None or name.root.pos_ != "PROPN":
            continue
        speaker = name.root
        while not is_root(speaker) and speaker.head.pos_ == "PROPN" and speaker.dep_ in {"compound", "flat"}:
            speaker = speaker.head
        content = doc.char_span(start + 1, end - 1, alignment_mode="contract")
        if content is None or not len(content):
            continue
        source, source_span = resolve_source(speaker, mentions, doc_id)
        cue_start = dash.start() + len(dash.group()) - len(dash.group().lstrip())
        record = Attribution(source=source, source_span=source_span, cue=_span(doc, doc_id, cue_start, cue_start + 1),
                             content=_span(doc, doc_id, start + 1, end - 1), chain=(source,))
        cue_token = doc.char_span(cue_start, cue_start + 1, alignment_mode="expand")
        if cue_token is not None:
            found.append(FoundAttribution(record, cue_token.root, content.root))
    return found


def _quote_attributions(doc: Doc, doc_id: str, verb: Token, subject: Token, quote: SpacySpan,
                        quoted: tuple[int, int], mentions: list[Mention],
                        speakers: list[EntityRef]) -> list[FoundAttribution]:
    """The quote as one attribution, and each further proposition in it as one more of the same speaker: a
    quote of several sentences ("The product was not ours. It only had our brand on it."), a quote that goes
    on after the credit, and clauses joined in one sentence ("I am in my house and I have not left")."""
    source, source_span = resolve_source(subject, mentions, doc_id, speakers)
    cue = _span(doc, doc_id, *_cue_span(verb))
    found = [FoundAttribution(Attribution(source, source_span, cue, _span(doc, doc_id, *quoted), (source,)),
                              verb, quote.root)]
    roots: list[Token] = []
    segments = [q for q in quotations(doc) if quoted[0] <= q[0] and q[1] <= quoted[1]] or [quoted]
    for start, end in segments:
        for sent in sentences_of(doc):
            first, last = max(sent.start_char, start + 1), min(sent.end_char, end - 1)
            if first >= last:
                continue  # a sentence outside the segment holds none of it (spaCy would make no span of it either)
            part = doc.char_span(first, last, alignment_mode="contract")
            if part is not None and len(part) > 2:
                roots.append(part.root)
    # clauses joined to a quoted one, with or without a subject of their own ("we only provide X and have no Y")
    roots += [c for r in list(roots) for c in children_of(r) if c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"}]
    for root in roots:
        if root == quote.root or root == verb or root.i in range(verb.i - 1, verb.i + 2):
            continue
        words = [t for t in root.subtree if quote.start <= t.i < quote.end and not t.is_punct]
        if words:
            content = _span(doc, doc_id, words[0].idx, words[-1].idx + len(words[-1]))
            found.append(FoundAttribution(Attribution(source, source_span, cue, content, (source,)), verb, root))
    return found


def _transcript_speaker(sent: SpacySpan, doc_id: str) -> Mention | None:
    """A turn of a transcript: a line that opens with a name in capitals and a colon ("WALLACE:")."""
    words: list[Token] = []
    for token in sent:
        if token.text == ":":
            break
        if not (token.is_alpha and token.is_upper and len(token) > 1) or len(words) == 3:
            return None
        words.append(token)
    text = text_of(sent.doc)
    if not words or (sent.start_char > 0 and text[sent.start_char - 1] != "\n"):
        return None
    start, end = words[0].idx, words[-1].idx + len(words[-1])
    name = text[start:end]
    return Mention(Span(doc_id, start, end, name), "PERSON",
                   EntityRef(f"source:{slug(name)}", name.title(), "source"))


def _headline_colon(sent: SpacySpan, doc_id: str, openings: dict[int, Mention]) -> list[FoundAttribution]:
    """"Rutte: North Korean troops are in Kursk" — a named speaker, a colon, what they said; and the turns of
    a transcript ("PENCE: Well, look, ..."). ``openings``: the document's first mention at each offset."""
    first = openings.get(sent.start_char) or _transcript_speaker(sent, doc_id)
    if first is None or first.entity.type not in {"person", "organization", "country", "source"}:
        return []
    doc = sent.doc
    colon = doc.char_span(first.span.end, first.span.end + 1)
    if colon is None or colon.text != ":":
        return []
    rest = doc[colon.end : sent.end]
    if colon.end >= sent.end:  # "PENCE:" split off as a sentence of its own: the turn runs to the end of the line
        text = text_of(doc)
        line_end = text.find("\n", colon.end_char)
        turn = doc.char_span(colon.end_char, line_end if line_end >= 0 else len(text), alignment_mode="contract")
        if turn is None:
            return []
        rest = turn
    tokens = [t for t in rest if not t.is_space]
    while tokens and tokens[-1].is_punct and tokens[-1].text not in {"”", '"', "’"}:
        tokens.pop()
    if len(tokens) < 3:
        return []
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    record = Attribution(first.entity, first.span, _span(doc, doc_id, colon.start_char, colon.end_char),
                         _span(doc, doc_id, start, end), (first.entity,))
    return [FoundAttribution(record, colon[0], rest.root)]


#: what a source issues: "according to a map the ministry released", "according to an estimate by MSF"
_ISSUED = {"map", "report", "estimate", "statement", "figure", "data", "tally", "count", "assessment", "survey",
           "analysis", "document", "filing", "update", "study", "calculation", "projection", "poll", "census"}


def _maker(issued: Token) -> Token | None:
    """Who issued the map, estimate or report a figure is according to."""
    if issued.lemma_.lower() not in _ISSUED:
        return None
    for child in children_of(issued):
        if child.dep_ == "relcl":  # "a map the ministry released"
            subject = next((g for g in children_of(child) if g.dep_ == "nsubj"), None)
            if subject is not None and subject.lower_ not in {"which", "that", "who"}:
                return subject
        if child.dep_ == "prep" and child.lower_ in {"by", "from", "of"}:  # "an estimate by the MSF"
            pobj = next((g for g in children_of(child) if g.dep_ == "pobj"), None)
            if pobj is not None and (pobj.pos_ == "PROPN" or pobj.ent_type_ in {"ORG", "GPE", "NORP", "PERSON"}
                                     or any(d.lower_ == "the" for d in children_of(pobj))):
                return pobj
        if child.dep_ == "poss":  # "the ministry's tally"
            return child
    return None


def _according_to(sent: SpacySpan, doc_id: str, mentions: list[Mention]) -> list[FoundAttribution]:
    results: list[FoundAttribution] = []
    doc = sent.doc
    if "according to" not in text_of(doc)[sent.start_char : sent.end_char].lower():
        return results
    for token in sent:
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            to = doc[token.i + 1]
            pobj = next((c for c in children_of(to) if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            maker = _maker(pobj)
            source, source_span = resolve_source(maker or pobj, mentions, doc_id)
            chain = [source]
            for child in pobj.subtree:  # "according to X, citing Y"
                if child.lemma_ == "cite":
                    inner = next((g for g in children_of(child) if g.dep_ in {"dobj", "pobj"}), None)
                    if inner is not None:
                        chain.append(resolve_source(inner, mentions, doc_id)[0])
            phrase_end = max(t.i for t in token.subtree)
            root = sent.root if is_root(token) else token.head
            tokens = [t for t in sent if not (token.i <= t.i <= phrase_end) and not t.is_punct]
            if not tokens:
                continue
            start = tokens[0].idx
            end = tokens[-1].idx + len(tokens[-1])
            cue = Span(doc_id, token.idx, to.idx + len(to), text_of(doc)[token.idx : to.idx + len(to)])
            # "according to a conservative estimate by MSF": the estimate's modality is the cue's
            cue_token = pobj if maker is not None and pobj.lemma_.lower() in CUE_MODALITY else token
            results.append(FoundAttribution(
                Attribution(source, source_span, cue, Span(doc_id, start, end, text_of(doc)[start:end]), tuple(chain)),
                cue_token, root))
    return results
