"""Modality and polarity of a proposition, read off the dependency parse around its predicate.

asserted; hedged (may, might, could, reportedly, is considering, expected to); planned (will, plans to,
is set to); denied (a party denies or rejects it); alleged (an accusation); negated (did not, no).

Polarity is positive, negative, or uncommitted: a source that declines to confirm, could not verify, has not
acknowledged or did not deny something states plainly (asserted) that it takes no side on it.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from ..model import Modality
from .commitment import calls_false, is_negated, judged_false, takes_no_side
from .nlp import children_of, is_root, kept, kin_of

__all__ = ["CUE_MODALITY", "classify", "cue_modality", "non_committal", "withheld"]

HEDGE_AUX = {"may", "might", "could", "can", "would"}
HEDGE_ADV = {"reportedly", "possibly", "perhaps", "probably", "likely", "apparently", "seemingly",
             "supposedly", "presumably", "maybe", "potentially", "conceivably", "unlikely"}
HEDGE_VERBS = {"consider", "appear", "seem", "expect", "suspect", "believe", "think", "estimate", "assess",
               "suggest", "speculate", "fear", "predict", "anticipate", "hope", "weigh", "mull", "explore"}
PLAN_VERBS = {"plan", "intend", "prepare", "schedule", "aim", "vow", "pledge", "promise", "decide", "agree",
              "set", "due", "threaten", "want", "propose", "offer", "swear",
              "willing", "prepared", "ready", "determined", "poised", "eager", "resolve"}
#: verbs naming an intention rather than an act that happened ("decided", "pledged" are acts: asserted)
INTENTION_VERBS = {"plan", "intend", "aim", "consider", "weigh", "mull", "contemplate", "expect"}
#: of those, the ones whose object alone is the thing weighed: "is considering new sanctions"
_WEIGHING = {"consider", "weigh", "mull", "contemplate"}
_FORECASTING = {"expect", "anticipate", "predict"}
FUTURE_AUX = {"will", "shall", "'ll", "wo", "gon"}
DENY_VERBS = {"deny", "reject", "dismiss", "refute", "rebuff", "disavow", "dispute", "contradict", "debunk"}
ALLEGE_VERBS = {"accuse", "allege", "charge", "blame", "claim", "implicate"}

#: modality contributed by the attribution cue itself ("X denied that ...", "X accused Y of ...")
CUE_MODALITY: dict[str, Modality] = {
    **dict.fromkeys(DENY_VERBS, Modality.DENIED),
    **dict.fromkeys(ALLEGE_VERBS, Modality.ALLEGED),
    **dict.fromkeys(("believe", "suspect", "estimate", "assess", "think", "speculate", "suggest", "fear", "guess"), Modality.HEDGED),
    **dict.fromkeys(("vow", "pledge", "promise", "threaten", "plan", "intend"), Modality.PLANNED),
}


def cue_modality(cue: Token | None) -> Modality | None:
    if cue is None:
        return None
    if cue.lemma_.lower() in {"call", "describe", "brand", "label", "dismiss"} and any(
            dep in {"oprd", "ccomp", "xcomp"} and (word in DENIAL_WORDS or calls_false(c)) for c, dep, word, _ in kin_of(cue)):
        return Modality.DENIED  # "called the reports groundless", "called them mere talk"
    if cue.lemma_.lower() in CUE_MODALITY:
        return CUE_MODALITY[cue.lemma_.lower()]
    if cue.lower_ in {"allegedly", "alleged"}:
        return Modality.ALLEGED
    if cue.lower_ in {"denial", "denials", "rejection"}:
        return Modality.DENIED
    return None


def _negated(token: Token) -> bool:
    return is_negated(token)


#: cues that take a side when said and none when withheld ("has not confirmed", "did not deny", "did not claim
#: the attack", "did not clarify whether", "offered no date")
COMMITTING_CUES = {"confirm", "verify", "acknowledge", "corroborate", "deny", "announce", "say", "comment", "specify",
                   "disclose", "reveal", "know", "admit", "dispute", "claim", "state", "clarify", "elaborate",
                   "report", "address", "explain", "detail", "respond", "reply", "mention", "identify", "answer",
                   "return", "offer", "give", "provide", "name", "publish", "release"}
#: verbs (and adjectives) that withhold the cue under them ("declined to confirm", "refused to say", "was unable
#: to confirm")
WITHHOLDING_VERBS = {"decline", "refuse", "avoid", "fail", "hesitate", "sidestep", "dodge", "unable", "unwilling"}
#: what is given when nothing is said: "offered no date", "gave no details"
_NOTHING_GIVEN = {"offer", "give", "provide", "name", "publish", "release"}


def withheld(verb: Token) -> bool:
    """The act is not performed: "did not claim", "has yet to claim", "was unable to confirm", "declined to say",
    "without reporting", "offered no date"."""
    if _negated(verb):
        return True
    if verb.dep_ in {"xcomp", "pcomp", "advcl"} and verb.head.lemma_.lower() in WITHHOLDING_VERBS:
        return True
    if verb.dep_ == "xcomp" and any(word == "yet" for _, _, word, _ in kin_of(verb.head)):
        return True  # "have yet to claim"
    if verb.dep_ == "pcomp" and verb.head.lower_ == "without":
        return True
    return verb.lemma_.lower() in _NOTHING_GIVEN and any(
        dep == "dobj" and any(word == "no" for _, _, word, _ in kin_of(c)) for c, dep, _, _ in kin_of(verb))


#: "it is not clear whether", "it remains unclear if": the speaker says the question is open
_OPEN_QUESTION = {"clear", "certain", "known", "evident"}
_OPEN_QUESTION_NEGATIVE = {"unclear", "uncertain", "unknown"}
#: "working to verify the information", "looking into the claims": a check still under way
_CHECKING = {"verify", "confirm", "establish", "ascertain", "determine", "investigate", "check", "clarify"}
_UNDER_WAY = {"work", "try", "seek", "attempt", "look", "move", "scramble"}


def _open_question(predicate: Token) -> bool:
    judged = next((c for c, dep, _, _ in kin_of(predicate) if dep in {"acomp", "oprd", "attr"}), None)
    if judged is None:
        return False
    if not (judged.lower_ in _OPEN_QUESTION_NEGATIVE or judged.lower_ in _OPEN_QUESTION and _negated(predicate)):
        return False
    return any(dep in {"ccomp", "csubj"} and any(m.lower_ in {"whether", "if", "how", "what", "when", "where", "who", "why"}
                                                 for m in c.subtree if m.i < c.i)
               for c, dep, _, _ in (*kin_of(predicate), *kin_of(judged)))


def _check_under_way(predicate: Token) -> bool:
    """"is working to verify", "was looking into": a check in progress ("worked to verify" is one done)."""
    if predicate.tag_ != "VBG":
        return False
    lemma = predicate.lemma_.lower()
    if lemma == "look":
        return any(dep == "prep" and word == "into" for _, dep, word, _ in kin_of(predicate))
    return lemma in _UNDER_WAY and any(_checking(c) for c in children_of(predicate))


def _checking(token: Token) -> bool:
    """"(working) to verify": an infinitive of checking under a verb of effort."""
    return token.lemma_.lower() in _CHECKING and (token.dep_ == "xcomp" or token.dep_ == "advcl" and any(
        dep == "aux" and word == "to" for _, dep, word, _ in kin_of(token)))


def non_committal(cue: Token | None) -> bool:
    """The source withholds its word: "could not confirm", "declined to confirm or deny", "did not deny"."""
    if cue is None or cue.lemma_.lower() not in COMMITTING_CUES:
        return False
    if cue.pos_ == "NOUN":  # the noun "comment" is a cue only when withheld ("no comment", "a request for comment")
        return True
    head = cue.head if cue.dep_ == "conj" and cue.head.lemma_.lower() in COMMITTING_CUES else cue
    if withheld(head) or withheld(cue):
        return True
    if _checking(head) and head.head.lemma_.lower() in _UNDER_WAY and head.head.tag_ == "VBG":
        return True  # "working to verify the information"
    return head.dep_ in {"xcomp", "pcomp", "advcl"} and head.head.lemma_.lower() in WITHHOLDING_VERBS


def _infinitive_advcl(token: Token) -> bool:
    """"have sworn to fight" parsed with "fight" as an adverbial clause: an infinitive under a plan verb."""
    return token.dep_ == "advcl" and any(dep == "aux" and word == "to" for _, dep, word, _ in kin_of(token)) \
        and token.head.lemma_.lower() in PLAN_VERBS


def _governors(predicate: Token) -> list[Token]:
    """The predicate and the verbs it hangs from up to its clause (xcomp chains: "plans to send")."""
    chain = [predicate]
    current = predicate
    while (current.dep_ in {"xcomp", "pcomp"} or _infinitive_advcl(current)) and not is_root(current):
        current = current.head
        chain.append(current)
    if current.dep_ == "auxpass" or current.dep_ == "aux":
        chain.append(current.head)
    return chain


def _conditional(chain: list[Token]) -> bool:
    return any(dep == "advcl" and any(word in {"if", "unless"} for _, _, word, _ in kin_of(c))
               for t in chain for c, dep, _, _ in kin_of(t))


def _alleged_by_structure(predicate: Token) -> bool:
    """"accused of trying", "stands accused of collusion", "accusations of undermining", "allegedly trying"."""
    if any(word in {"allegedly", "purportedly"} for _, _, word, _ in kin_of(predicate)):
        return True
    prep = predicate.head
    accusing = prep.head.lemma_.lower()
    return predicate.dep_ in {"pobj", "pcomp"} and (
        prep.lower_ == "of" and accusing in {"accuse", "accusation", "allegation", "charge", "suspect"}
        # "charged with fraud"; "charged with overseeing the budget" is a duty, not a charge
        or prep.lower_ == "with" and accusing == "charge" and predicate.dep_ == "pobj")


#: words that call a claim false ("reports were unfounded", "called them groundless")
DENIAL_WORDS = {"groundless", "baseless", "false", "fake", "untrue", "unfounded", "absurd", "fabricated", "nonsense",
                "lie", "lies", "rumour", "rumours", "rumor", "rumors", "disinformation", "fabrication", "fiction",
                "speculation", "hoax", "propaganda"}


def _denied_by_relative(predicate: Token) -> bool:
    """"transfers ... which Moscow denied"; "the reports were unfounded"; "called them groundless"."""
    kin = kin_of(predicate)
    if any(dep == "relcl" and lemma in DENY_VERBS for _, dep, _, lemma in kin):
        return True
    return any(dep in {"acomp", "attr", "oprd", "xcomp", "ccomp"} and word in DENIAL_WORDS for _, dep, word, _ in kin)


def classify(predicate: Token, cue: Token | None = None) -> tuple[Modality, str]:
    """(modality, polarity) of the proposition whose main predicate is ``predicate``.

    ``cue`` is the attribution cue governing it, if any ("denied", "accused", "said"). Kept per document: claims,
    events and the outlet's own voice ask it of the same predicate and cue (about one call in six).
    """
    known = kept(predicate.doc, "watchfloor_modality", _verdicts)
    key = (predicate.i, -1 if cue is None else cue.i)
    found = known.get(key)
    if found is None:
        found = known[key] = _classify(predicate, cue)
    return found


def _verdicts(_doc: Doc) -> dict[tuple[int, int], tuple[Modality, str]]:
    return {}


def _classify(predicate: Token, cue: Token | None) -> tuple[Modality, str]:
    if non_committal(cue) or _open_question(predicate) or _check_under_way(predicate) or takes_no_side(predicate):
        return Modality.ASSERTED, "uncommitted"
    from_cue = cue_modality(cue)
    chain = _governors(predicate)
    kin = kin_of(predicate)
    subjects = [(s, word) for t in chain for s, dep, word, _ in kin_of(t) if dep in {"nsubj", "nsubjpass", "dobj"}]
    negated = (any(_negated(t) for t in chain)
               or any(t.lemma_.lower() in {"fail", "refuse"} for t in chain[1:])
               or any(dep == "det" and word in {"no", "neither"} for _, dep, word, _ in kin)
               or any(word in {"no", "neither", "none"} or any(w in {"no", "neither", "none"} for _, _, w, _ in kin_of(s))
                      for s, word in subjects)
               or any(word in {"nobody", "nothing", "none", "neither"} for _, word in subjects))
    if from_cue is Modality.DENIED or _denied_by_relative(predicate) or judged_false(predicate):
        return Modality.DENIED, "negative"
    if from_cue is None and cue is not None and any(word in {"allegedly", "purportedly"} for _, _, word, _ in kin_of(cue)):
        from_cue = Modality.ALLEGED  # "allegedly told"
    if from_cue is Modality.ALLEGED or _alleged_by_structure(predicate) or _claimed_content(predicate):
        return Modality.ALLEGED, "negative" if negated else "positive"
    polarity = "negative" if negated else "positive"
    lemmas = {t.lemma_.lower() for t in chain[1:]}  # the verbs above the predicate: "plans to send"
    lemma = predicate.lemma_.lower()
    governs = {dep for _, dep, _, _ in kin} & ({"xcomp", "ccomp", "dobj"} if lemma in _WEIGHING else {"xcomp", "ccomp"})
    # "if true, ..." on the proposition, or on the speech act ("described them, if true, as ...")
    conditional = _conditional(chain) or (cue is not None and _conditional([cue]))
    # "would" is the future of reported speech ("said the bloc would consider") unless a condition hangs on it
    own_future = any(dep == "aux" and (word in FUTURE_AUX or word == "would" and not conditional)
                     for _, dep, word, _ in kin)
    passive_expectation = lemma == "expect" and any(dep == "auxpass" for _, dep, _, _ in kin)
    # "the agency expects further transfers": what is expected is a forecast
    forecast = lemma in _FORECASTING and any(dep == "dobj" for _, dep, _, _ in kin)
    intention = lemma in INTENTION_VERBS and (governs or passive_expectation)
    if (intention or forecast) and not own_future:
        # a state of intention, not an act: "it plans to close", "is considering", "a second transfer is expected";
        # "will consider all options" is a plan to weigh them, and stays planned
        lemmas.add(lemma)
    words = {word for t in chain for _, _, word, _ in kin_of(t)}
    future = words & FUTURE_AUX or ("would" in words and not conditional)
    if future or lemmas & PLAN_VERBS or (predicate.head.lower_ == "to" and predicate.head.head.lemma_ in PLAN_VERBS) \
            or "going" in words and predicate.tag_ == "VB":
        modality = Modality.PLANNED
    else:
        modality = Modality.ASSERTED
    # "would be a significant escalation": a judgement on a hypothetical, not a future in the past
    hypothetical = "would" in words and predicate.lemma_ == "be" and any(dep in {"attr", "acomp"} for _, dep, _, _ in kin)
    hedges = (words & HEDGE_AUX) - ({"would"} if not (conditional or hypothetical) else set())
    modifiers = {word for _, dep, word, _ in kin if dep == "amod"}
    if modality is Modality.ASSERTED and _readiness(predicate):
        modality = Modality.PLANNED
    if hedges or words & HEDGE_ADV or lemmas & HEDGE_VERBS or from_cue is Modality.HEDGED \
            or modifiers & {"possible", "potential", "likely", "probable", "suspected", "reported", "expected"} \
            or _hedged_by_wording(predicate, chain, cue):
        modality = Modality.HEDGED
    if modality is Modality.ASSERTED and conditional and cue is not None:
        # "he said that if they existed, they showed something": true only on a condition (a condition in the
        # outlet's own voice is most often a rule stated generally: "if a person cannot afford a lawyer, ...")
        modality = Modality.HEDGED
    if modality is Modality.ASSERTED and from_cue is Modality.PLANNED:
        modality = Modality.PLANNED
    if negated and modality is Modality.ASSERTED:
        modality = Modality.DENIED if cue is not None and _rebuts_charge(predicate) else Modality.NEGATED
    return modality, polarity


#: a belief or hope stated as such: "we hope that the enemy will be stopped", "I believe they will"
_BELIEVING = {"hope", "believe", "think", "suspect", "fear", "assume", "guess", "reckon", "trust", "doubt"}
#: nouns of likelihood and indication: "it had indications that", "the likelihood of an attack"
HEDGE_NOUNS = {"indication", "sign", "likelihood", "probability", "possibility", "chance", "expectation",
               "suggestion", "suspicion", "assessment", "estimate", "belief", "hope", "prospect", "risk"}
#: adjectives of likelihood over the predicate: "is likely to strike", "appears unlikely to"
_LIKELY = {"likely", "unlikely", "probable", "possible", "expected", "poised"}


def _hedged_by_wording(predicate: Token, chain: list[Token], cue: Token | None) -> bool:
    """Hedges that are not auxiliaries: a belief stated as such, a noun or adjective of likelihood or
    indication, "reportedly" on the reporting verb itself ("the former leader reportedly describes ...")."""
    kin = kin_of(predicate)
    if predicate.lemma_.lower() in _BELIEVING and any(dep in {"ccomp", "xcomp"} for _, dep, _, _ in kin):
        return True
    if any(t.lower_ in _LIKELY and t.pos_ == "ADJ" for t in chain[1:]):
        return True
    nouns = [c for c, dep, _, lemma in kin if dep in {"dobj", "attr", "nsubj"} and lemma in HEDGE_NOUNS]
    if any(any(dep in {"acl", "ccomp", "prep", "relcl"} for _, dep, _, _ in kin_of(n)) for n in nouns):
        return True
    return cue is not None and any(word in HEDGE_ADV for _, dep, word, _ in kin_of(cue) if dep == "advmod")


#: "ready to", "prepared to", "reserves the right to": a stated readiness is a plan
_READY = {"ready", "prepared", "willing", "determined", "poised", "eager", "set"}


def _readiness(predicate: Token) -> bool:
    for child, dep, word, lemma in kin_of(predicate):
        if dep == "acomp" and word in _READY and any(d == "xcomp" for _, d, _, _ in kin_of(child)):
            return True  # "the government was ready to extend its hand"
        if dep == "dobj" and lemma == "right" and predicate.lemma_.lower() == "reserve":
            return True  # "reserves the right to strike"
    return False


def _claimed_content(predicate: Token) -> bool:
    """"reiterated his claims that ...": a content that hangs on a noun of claiming is alleged."""
    head = predicate.head
    return predicate.dep_ in {"acl", "ccomp"} and head.pos_ == "NOUN" \
        and head.lemma_.lower() in {"claim", "allegation", "accusation", "assertion", "charge", "contention"}


#: predicates that make a charge: a party saying its conduct does *not* do this denies the charge
#: ("said the treaty was not directed against third countries", "does not violate international law")
_CHARGES = {"violate", "breach", "direct", "aim", "target", "threaten", "interfere", "meddle", "involve",
            "supply", "send", "deploy", "provide", "arm", "participate"}


def _rebuts_charge(predicate: Token) -> bool:
    lemma = predicate.lemma_.lower()
    if lemma in {"direct", "aim"}:  # "directed against", "aimed at": the sense that accuses
        return any(dep == "prep" and word in {"against", "at"} for _, dep, word, _ in kin_of(predicate))
    return lemma in _CHARGES
