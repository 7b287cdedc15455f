"""Whether a source takes a side, when it does not say so with "deny" or "confirm".

Denials phrased as a judgement of what was reported: "That is incorrect", "the report wasn't true", "a complete
departure from the truth", "called the reports mere talk", "lies".
Non-commitments phrased indirectly: "there is no need to confirm it", "it remains to be seen whether", "there
is contradictory information about", "did not know how", "the fate of ... is unknown", "was unaware of".
Both are read off the predicate of what the source says; each returns None when it does not apply.
"""

from __future__ import annotations

from spacy.tokens import Token

from .nlp import kin_of

__all__ = ["NEGATIONS", "calls_false", "is_negated", "judged_false", "takes_no_side"]

NEGATIONS = {"not", "n't", "n’t", "never", "no", "neither", "nor", "without"}
#: "at no point", "in no way", "under no circumstances", "by no means": a negation made with a phrase
_NO_OCCASION = {"point", "way", "circumstance", "time", "case", "means", "stage", "moment"}


def is_negated(token: Token) -> bool:
    """The predicate is negated: "not", "never", a contraction the parser took for punctuation ("wasn’t" with a
    curly apostrophe), or a negative phrase ("at no point did I consider")."""
    for child, dep, word, _ in kin_of(token):
        if dep == "neg" or word in NEGATIONS and dep in {"advmod", "det", "neg", "preconj", "cc"}:
            return True
        if word in {"n't", "n’t"}:
            return True
        if dep == "prep" and any(lemma in _NO_OCCASION and any(w == "no" for _, _, w, _ in kin_of(g))
                                 for g, _, _, lemma in kin_of(child)):
            return True
    return False

#: what a claim is called when the source rejects it, whatever the claim is
_FALSE = {"false", "untrue", "fake", "groundless", "baseless", "unfounded", "fabricated", "lie", "lies",
          "fabrication", "disinformation", "misinformation", "hoax", "nonsense", "slander", "baloney", "rubbish"}
#: ... and words that reject a claim only when what they judge is something said ("That is incorrect"; not
#: "it was wrong to attack")
_WRONG = {"incorrect", "inaccurate", "wrong", "misleading", "absurd", "ridiculous", "provocation", "speculation",
          "rumour", "rumor", "rumours", "rumors", "fiction", "fantasy", "propaganda", "invention", "exaggeration"}
#: ... or what it is not
_TRUE = {"true", "correct", "accurate", "right", "so", "case"}
#: words for what was said or reported: the things a denial judges
_REPORTS = {"that", "this", "it", "report", "claim", "allegation", "accusation", "information", "news", "story",
            "rumour", "rumor", "assertion", "statement", "account", "reporting", "suggestion", "speculation",
            "charge", "version", "assumption", "thesis", "narrative"}
#: "mere talk", "empty words": a claim reduced to words
_EMPTY = {"mere", "idle", "empty", "just", "only", "pure", "nothing"}
_TALK = {"talk", "words", "rhetoric", "chatter", "gossip", "invention", "speculation", "fiction", "fantasy"}


def _judged(predicate: Token) -> Token | None:
    """The complement that judges the subject: "is [false]", "is [a departure] from the truth"."""
    return next((c for c, dep, _, _ in kin_of(predicate) if dep in {"acomp", "attr", "oprd"}), None)


def _about_a_report(predicate: Token) -> bool:
    subject = next((c for c, dep, _, _ in kin_of(predicate) if dep in {"nsubj", "nsubjpass", "dobj"}), None)
    if subject is None or subject.lower_ == "it" and any(dep in {"xcomp", "ccomp"} for _, dep, _, _ in kin_of(predicate)):
        return False  # "it was wrong to close the market": "it" stands for the clause, not for a report
    return subject.lemma_.lower() in _REPORTS or subject.lower_ in _REPORTS


def calls_false(judged: Token, about_a_report: bool = True) -> bool:
    """A word that calls what it judges false: "false", "lies", "mere talk", "a departure from the truth"; and,
    of something said, "incorrect", "misleading"."""
    word = judged.lemma_.lower()
    if word in _FALSE or judged.lower_ in _FALSE:
        return True
    if (word in _WRONG or judged.lower_ in _WRONG) and about_a_report:
        return True
    if word == "departure" and any(w == "from" and any(lemma in {"truth", "reality", "fact"} for _, _, _, lemma in kin_of(c))
                                   for c, _, w, _ in kin_of(judged)):
        return True  # "a complete departure from the truth"
    return word in _TALK and any(w in _EMPTY for _, _, w, _ in kin_of(judged))  # "mere talk"


def judged_false(predicate: Token) -> bool:
    """The proposition calls a report or claim false: the source denies it."""
    judged = _judged(predicate)
    if judged is None:
        return False
    if calls_false(judged, _about_a_report(predicate)):
        return True
    return is_negated(predicate) and judged.lemma_.lower() in _TRUE and _about_a_report(predicate)  # "wasn't true"


#: "unknown", "unclear": the speaker says the matter is open
_OPEN = {"unknown", "unclear", "uncertain", "unconfirmed", "unverified", "unaware", "undetermined"}
#: what makes information a matter of no side: "contradictory information", "conflicting reports"
_CONFLICTING = {"contradictory", "conflicting", "contradicting", "inconsistent", "mixed"}
_INFORMATION = {"information", "report", "account", "data", "figure", "claim", "signal", "message", "statement"}
_WH = {"whether", "if", "how", "what", "when", "where", "who", "why", "which"}


def _wh_clause(token: Token) -> bool:
    return any(dep in {"ccomp", "xcomp", "advcl", "dobj"} and any(m.lower_ in _WH for m in c.subtree if m.i <= c.i)
               for c, dep, _, _ in kin_of(token))


def takes_no_side(predicate: Token) -> bool:
    """The proposition leaves the matter open: the source takes no side on it."""
    judged = _judged(predicate)
    if judged is not None and judged.lower_ in _OPEN:
        return True  # "the fate of 2,000 people is unknown", "it was unaware of his whereabouts"
    lemma = predicate.lemma_.lower()
    if lemma == "remain" and any(dep == "xcomp" and kin_lemma == "see" for _, dep, _, kin_lemma in kin_of(predicate)):
        return True  # "it remains to be seen whether"
    if lemma == "know" and is_negated(predicate) and _wh_clause(predicate):
        return True  # "did not know how the pagers could have been rigged"
    for noun, dep, _, noun_lemma in kin_of(predicate):
        if dep not in {"attr", "dobj", "nsubj"}:
            continue
        if noun_lemma == "need" and any(w == "no" for _, _, w, _ in kin_of(noun)):
            return True  # "there is no need to confirm it"
        if noun_lemma in _INFORMATION and any(w in _CONFLICTING for _, _, w, _ in kin_of(noun)):
            return True  # "there is contradictory information about"
    return False
