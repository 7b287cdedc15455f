"""Regression gate for NER: our mentions, mapped to CoNLL types, on a small fixture of our own sentences.

Scored with the benchmark's scorer (exact-span micro F1, conlleval semantics) against the raw spaCy model run
side by side. The floors are what the pipeline reaches now; a drop below them fails the suite.
"""

from __future__ import annotations

import spacy
from bench.quality.ner import baseline_spans, parse_conll, predictions, score, watchfloor_spans

from watchfloor.analyze.nlp import DEFAULT_MODELS, load_nlp

#: written for this test (not taken from any evaluation set): datelines, headlines, results tables,
#: initials, possessives, demonyms and an organisation with its town
FIXTURE = """
-DOCSTART- O

GENEVA B-LOC
2024-05-14 O

Foreign O
Minister O
Ines B-PER
Calderon I-PER
of O
Peru B-LOC
met O
Swiss B-MISC
officials O
in O
Bern B-LOC
on O
Tuesday O
. O

Calderon B-PER
said O
the O
talks O
with O
the O
World B-ORG
Health I-ORG
Organization I-ORG
had O
gone O
well O
. O

Peru B-LOC
's O
delegation O
will O
travel O
to O
Nairobi B-LOC
, O
Kenya B-LOC
, O
next O
week O
. O

-DOCSTART- O

TENNIS O
- O
ROSSI B-PER
BEATS O
KOVAC B-PER
IN O
ROME B-LOC
. O

ROME B-LOC
1996-05-10 O

Second O
round O
results O
: O

Marco B-PER
Rossi I-PER
( O
Italy B-LOC
) O
beat O
Ana B-PER
Kovac I-PER
( O
Croatia B-LOC
) O
6-3 O
6-4 O

Daniel B-PER
Weber I-PER
( O
Germany B-LOC
) O
beat O
Pablo B-PER
Ortega I-PER
( O
Spain B-LOC
) O
7-5 O
6-2 O

Rossi B-PER
will O
play O
Weber B-PER
on O
Friday O
. O

-DOCSTART- O

SOCCER O
- O
LEAGUE O
RESULTS O
. O

LONDON B-LOC
1996-09-07 O

Results O
of O
English B-MISC
league O
matches O
on O
Saturday O
: O

Leeds B-ORG
2 O
Portsmouth B-ORG
1 O

Bristol B-ORG
0 O
Sheffield B-ORG
3 O

Leeds B-ORG
manager O
Paul B-PER
Hart I-PER
praised O
his O
players O
. O

-DOCSTART- O

The O
European B-ORG
Union I-ORG
and O
NATO B-ORG
agreed O
on O
Monday O
to O
send O
more O
aid O
to O
Ukraine B-LOC
, O
officials O
in O
Brussels B-LOC
said O
. O

Russian B-MISC
President O
Vladimir B-PER
Putin I-PER
rejected O
the O
plan O
, O
and O
Putin B-PER
's O
spokesman O
Dmitry B-PER
Peskov I-PER
called O
it O
a O
provocation O
. O

J. B-PER
Morales I-PER
, O
an O
analyst O
at O
Acme B-ORG
Holdings I-ORG
Inc I-ORG
of O
Denver B-LOC
, O
said O
the O
Kremlin B-ORG
would O
not O
change O
course O
. O

Morales B-PER
added O
that O
Japanese B-MISC
and O
Korean B-MISC
investors O
were O
watching O
closely O
. O
"""

F1_FLOOR = 0.95


def test_ner_floor_and_margin_over_raw_spacy() -> None:
    documents = parse_conll(FIXTURE)
    texts = [d.text_and_offsets()[0] for d in documents]
    ours = score(documents, predictions(documents, load_nlp().pipe(texts), watchfloor_spans))
    bare = spacy.load(next(n for n in DEFAULT_MODELS if spacy.util.is_package(n)))
    base = score(documents, predictions(documents, bare.pipe(texts), baseline_spans))
    assert ours.total.f1 >= F1_FLOOR, (ours.total.f1, ours.total.precision, ours.total.recall)
    assert ours.total.f1 >= base.total.f1 + 0.1, (ours.total.f1, base.total.f1)
    assert ours.by_type["PER"].f1 >= 0.9
