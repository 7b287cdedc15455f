"""A batch re-consolidates only the claims within reach of the days it touches, yet the picture is the one a
consolidation of every stored occurrence at once would give: the same claims, members and statuses."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

from watchfloor import codec
from watchfloor.config import Settings
from watchfloor.link.consolidation import Occurrence, consolidate, member_id
from watchfloor.model import Document
from watchfloor.pipeline import ingest_documents
from watchfloor.store import open_store

SPEAKERS = ["the defence ministry", "Ukraine's military intelligence", "the Pentagon", "NATO officials"]
FIGURES = ["1,500", "3,000", "8,000", "10,000", "12,000"]


def _reports(seed: int = 3) -> list[Document]:
    """Six months of reports on one figure and one deployment, with denials, from several sources."""
    rng = random.Random(seed)
    start = datetime(2024, 6, 1, 9, tzinfo=UTC)
    reports = []
    for i in range(48):
        when = start + timedelta(days=rng.randrange(180), hours=rng.randrange(12))
        speaker = rng.choice(SPEAKERS)
        if i % 7 == 3:
            text = f"North Korea denied on Tuesday that it had sent soldiers to Russia, {speaker} said."
        else:
            text = (f"North Korea has sent about {rng.choice(FIGURES)} soldiers to Russia, {speaker} said on "
                    f"Tuesday. The soldiers were moved by ship to Vladivostok.")
        reports.append(Document(f"r{i:02d}", f"Report {i}", text, f"Outlet {i % 5}", published=when))
    return reports


def _partition(groups: list[tuple[str, list[tuple[str, int, int, str]], list[str]]]) -> set[tuple[frozenset, str]]:
    return {(frozenset(members), status) for status, members, _ in groups}


def test_windowed_consolidation_equals_consolidating_everything(location: str) -> None:
    reports = _reports()
    settings = Settings(db=location, batch_size=8)
    with open_store(location, "create") as store:
        for part in (reports[:16], reports[16:30], reports[30:]):  # later batches reach back into earlier months
            ingest_documents(iter(part), store, settings)
        with store.read() as r:
            stored = [(g.status, [(m["doc_id"], m["evidence"]["start"], m["evidence"]["end"], m["text"])
                                  for m in json.loads(g.data)["members"]], g.key) for g in r.groups()]
            keys = {key for _, _, key in stored}
            everything = [codec.loads(Occurrence, data) for key in sorted(keys) for data in r.occurrences(key)]
    whole = consolidate(everything)
    expected = [(g.status, [member_id(m) for m in g.members], g.key) for g in whole]
    assert len(everything) > 60 and len({k for _, _, k in stored}) < len(everything)  # keys are shared widely
    assert _partition(stored) == _partition(expected)
    assert {s for s, _, _ in stored} >= {"contested"}
