"""Events on CASE 2021 task 2 (news snippets labelled with ACLED sub-event types), mapped onto PLOVER types.

ACLED's sub-event types do not map one-to-one onto PLOVER, so only those with a PLOVER counterpart are
scored. Each is mapped through the CAMEO code that names the same act (``CAMEO2PLOVER-2021.txt`` in the
PLOVER data folder), except conventional battles, which PLOVER's gold records code as FIGHT. Where an ACLED
type spans two PLOVER types, either counts (a battle that changes who holds a town is FIGHT, or COERCE/seize:
CAMEO 192 "occupy territory"; an agreement is AGREE, or SUPPORT: CAMEO 057 "sign formal agreement").
Left out, with no single PLOVER counterpart: disrupted weapons use, headquarters established, change to group
activity, non-violent transfer of territory, OTHER, and the non-ACLED types (organised crime, disasters,
diplomacy, attribution).

Metrics: accuracy of the main event's type (the event highest in the parse, as for the PLOVER records), the
share of snippets where any event found has an accepted type, and the share with no event at all. This is the
released test set, read only for this table; no rule was written from it. Not comparable with the shared task's
published weighted F1 (83.9 over 25 fine-grained types), which classifies every snippet into ACLED's own labels.
Baseline, as for the PLOVER records: the root verb of the first sentence in the same lexicon.
"""

from __future__ import annotations

import csv
from pathlib import Path

from spacy.tokens import Doc

from watchfloor.analyze.events import event_candidates, plover_type
from watchfloor.analyze.modality import classify
from watchfloor.analyze.nlp import load_nlp

from ..common import require
from .events import code_baseline, main_event
from .scoring import row

TASK = "events"

#: ACLED sub-event type -> the PLOVER types that code the same act (CAMEO code in the comment)
ACLED_TO_PLOVER: dict[str, frozenset[str]] = {
    "ARMED_CLASH": frozenset({"FIGHT"}),  # 190/193 conventional force, small arms
    "AIR_STRIKE": frozenset({"FIGHT"}),  # 195 aerial weapons
    "ART_MISS_ATTACK": frozenset({"FIGHT"}),  # 194 artillery and tanks
    "GOV_REGAINS_TERIT": frozenset({"FIGHT", "COERCE"}),  # a battle; 192 occupy territory
    "NON_STATE_ACTOR_OVERTAKES_TER": frozenset({"FIGHT", "COERCE"}),
    "CHEM_WEAP": frozenset({"ASSAULT"}),  # 2041 chemical weapons
    "SUIC_BOMB": frozenset({"ASSAULT"}),  # 1831 suicide bombing
    "REM_EXPLOS": frozenset({"ASSAULT"}),  # 1833 roadside bombing
    "GRENADE": frozenset({"ASSAULT"}),  # 183 non-military bombing
    "ATTACK": frozenset({"ASSAULT"}),  # 180 unconventional violence, 1823 kill by physical assault
    "ABDUCT_DISSAP": frozenset({"ASSAULT"}),  # 181 abduct
    "SEX_VIOL": frozenset({"ASSAULT"}),  # 1821 sexually assault
    "FORCE_AGAINST_PROTEST": frozenset({"ASSAULT"}),  # 175 violent repression
    "PROPERTY_DISTRUCT": frozenset({"ASSAULT", "COERCE"}),  # 1712 destroy property; 171 seize (looting)
    "PEACE_PROTEST": frozenset({"PROTEST"}),  # 141 demonstrate
    "PROTEST_WITH_INTER": frozenset({"PROTEST"}),  # 141, broken up by the authorities
    "VIOL_DEMONSTR": frozenset({"PROTEST"}),  # 145 riot
    "MOB_VIOL": frozenset({"PROTEST", "ASSAULT"}),  # 145 riot; 180 violence by a mob
    "ARREST": frozenset({"COERCE"}),  # 173 arrest
    "AGREEMENT": frozenset({"AGREE", "SUPPORT"}),  # 03x agree; 057 sign formal agreement
}


def _types(doc: Doc) -> tuple[str | None, set[str]]:
    """(type of the main event, types of all events) as watchfloor codes them."""
    main = main_event(doc)
    every = {plover_type(c, *classify(c.trigger))[0] for c in event_candidates(doc)}
    return (plover_type(main, *classify(main.trigger))[0] if main else None), every


def load(data: Path) -> list[tuple[str, str]]:
    path = require(data / "event_coding" / "case2021_task2_acled_finegrained" / "test_set_final_release_with_labels.tsv")
    with path.open(encoding="utf-8", newline="") as handle:
        return [(r["EventSnippet"], r["SubType"]) for r in csv.DictReader(handle, delimiter="\t")]


def run(data: Path) -> list[dict]:
    snippets = [(text, label) for text, label in load(data) if label in ACLED_TO_PLOVER]
    nlp = load_nlp()
    docs = list(nlp.pipe(text for text, _ in snippets))
    accepted = [ACLED_TO_PLOVER[label] for _, label in snippets]
    ours = [_types(d) for d in docs]
    # the baseline's REQUEST/ACCUSE come back under PLOVER 0.5 names; none of them is an accepted type here
    base = [code_baseline(d).type for d in docs]
    n = len(snippets)
    dataset = f"CASE 2021 task 2, ACLED types mapped to PLOVER ({n} of 1,019 snippets)"
    name = "root verb + same lexicon"
    return [
        row(TASK, dataset, "type accuracy (main event)",
            sum(main in ok for (main, _), ok in zip(ours, accepted, strict=True)) / n,
            sum(b in ok for b, ok in zip(base, accepted, strict=True)) / n, name),
        row(TASK, dataset, "accepted type among all events",
            sum(bool(every & ok) for (_, every), ok in zip(ours, accepted, strict=True)) / n,
            sum(b in ok for b, ok in zip(base, accepted, strict=True)) / n, name),
        row(TASK, dataset, "snippets with no event",
            sum(main is None for main, _ in ours) / n, sum(b is None for b in base) / n, name),
    ]
