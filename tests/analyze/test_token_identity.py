"""Rules that ask whether two parse tokens are the same one. spaCy makes a new ``Token`` object on every
access, so ``token.head is token`` is never true and such rules never fired: they compare positions now.
The parses are built by hand (our own sentences), so each test pins the tree the rule is about."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from watchfloor.analyze.attribution import _fronted_content
from watchfloor.analyze.event_frames import may_be_typed
from watchfloor.analyze.events import _ruled_out, event_candidates
from watchfloor.analyze.nlp import first_conjunct, is_root, kin_of

_VOCAB = spacy.blank("en").vocab


def parsed(words: str, heads: list[int], deps: str, pos: str, lemmas: str | None = None) -> Doc:
    """A document with the given tree: ``heads`` are absolute positions, the root heads itself."""
    return Doc(_VOCAB, words=words.split(), heads=heads, deps=deps.split(), pos=pos.split(),
               lemmas=(lemmas or words.lower()).split())


def test_a_token_is_the_root_when_it_heads_itself_whatever_object_spacy_hands_out() -> None:
    doc = parsed("Guards closed the gate .", [1, 1, 3, 1, 1], "nsubj ROOT det dobj punct",
                 "NOUN VERB DET NOUN PUNCT")
    assert doc[1] is not doc[1]  # why identity cannot be used: a new object on each access
    assert [is_root(t) for t in doc] == [False, True, False, False, False]


def test_the_first_conjunct_is_the_name_the_clause_attaches() -> None:
    doc = parsed("They met in Lisbon , Porto and Faro .", [1, 1, 1, 2, 3, 3, 5, 5, 1],
                 "nsubj ROOT prep pobj punct conj cc conj punct", "PRON VERB ADP PROPN PUNCT PROPN CCONJ PROPN PUNCT")
    assert [first_conjunct(doc[i]).i for i in (3, 5, 7, 1)] == [3, 3, 3, 1]


def test_a_fronted_report_keeps_the_root_of_what_was_said_as_its_content() -> None:
    # "Ferries were halted, port staff said." with "said" hung off "halted": the content is the clause the
    # root heads, not its first word (the root was never recognised, so the first word stood in for it)
    doc = parsed("Ferries were halted , port staff said .", [2, 2, 2, 2, 5, 6, 2, 2],
                 "nsubjpass auxpass ROOT punct compound nsubj parataxis punct",
                 "NOUN AUX VERB PUNCT NOUN NOUN VERB PUNCT", "ferry be halt , port staff say .")
    content = _fronted_content(doc[6], doc[5])
    assert content is not None and content.i == 2


def test_out_of_the_question_is_a_refusal_only_under_a_clause_someone_says() -> None:
    said = parsed("Ministers said a ceasefire was out of the question .", [1, 1, 3, 4, 1, 4, 5, 8, 6, 1],
                  "nsubj ROOT det nsubj ccomp acomp prep det pobj punct",
                  "NOUN VERB DET NOUN AUX ADV ADP DET NOUN PUNCT",
                  "minister say a ceasefire be out of the question .")
    refusal = _ruled_out(said[8])
    assert refusal is not None and refusal.type == "REJECT" and [t.i for t in refusal.sources] == [0]
    # a headline fragment whose root is "out": nobody refuses, "ceasefire" is what is ruled out
    fragment = parsed("Ceasefire out of the question", [1, 1, 1, 4, 2], "nsubj ROOT prep det pobj",
                      "NOUN ADV ADP DET NOUN")
    assert _ruled_out(fragment[4]) is None


def test_kin_of_gives_each_child_with_its_label_word_and_lemma_in_lower_case() -> None:
    doc = parsed("Officials Did not CONFIRM it .", [3, 3, 3, 3, 3, 3], "nsubj aux neg ROOT dobj punct",
                 "NOUN AUX PART VERB PRON PUNCT", "Official do not Confirm it .")
    kin = kin_of(doc[3])
    assert [(c.i, dep, word, lemma) for c, dep, word, lemma in kin] == [
        (0, "nsubj", "officials", "official"), (1, "aux", "did", "do"), (2, "neg", "not", "not"),
        (4, "dobj", "it", "it"), (5, "punct", ".", ".")]
    assert kin_of(doc[3]) is kin and kin_of(doc[0]) == ()


def test_a_verb_no_rule_types_is_passed_over_unless_a_must_makes_it_a_demand() -> None:
    demand = parsed("Rebels must halve exports .", [2, 2, 2, 2, 2], "nsubj aux ROOT dobj punct",
                    "NOUN AUX VERB NOUN PUNCT", "rebel must halve export .")
    assert [(c.type, c.trigger.i) for c in event_candidates(demand)] == [("REQUEST", 2)]
    plain = parsed("Rebels halved exports .", [1, 1, 1, 1], "nsubj ROOT dobj punct", "NOUN VERB NOUN PUNCT",
                   "rebel halve export .")
    assert event_candidates(plain) == []
    assert not may_be_typed("halve", "halved")
    assert may_be_typed("attack", "attacked") and may_be_typed("stage", "staged") and may_be_typed("x", "committed")
