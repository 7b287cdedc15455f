"""A batch re-consolidates only the claims within reach of the days it touches. Reports that arrive in the
order of their dates give the picture a consolidation of every stored report at once would give: the same
claims, members and statuses. Back-dated reports join what is there (claims formed earlier are not merged
afterwards), and the picture stays whole: every report in one claim, every figure agreeing with its claim's."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from watchfloor import codec
from watchfloor.config import Settings
from watchfloor.link.consolidation import Occurrence, consolidate, member_id, settle
from watchfloor.link.update import load_groups
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


def _ingest(location: str, parts: list[list[Document]]) -> None:
    settings = Settings(db=location, batch_size=8)
    with open_store(location, "create") as store:
        for part in parts:
            ingest_documents(iter(part), store, settings)


def test_reports_in_date_order_give_the_picture_of_consolidating_everything(location: str) -> None:
    reports = sorted(_reports(), key=lambda d: d.published or datetime.min)
    _ingest(location, [reports[:16], reports[16:30], reports[30:]])
    with open_store(location, "read") as store, store.read() as r:
        stored = [(g.status, [member_id(m) for m in g.members], g.key) for g in load_groups(r)]
        keys = {key for _, _, key in stored}
        everything = [codec.loads(Occurrence, row.data) for key in sorted(keys) for row in r.occurrences(key)]
    whole = consolidate(everything)
    expected = [(g.status, [member_id(m) for m in g.members], g.key) for g in whole]
    assert len(everything) > 60 and len({k for _, _, k in stored}) < len(everything)  # keys are shared widely
    assert _partition(stored) == _partition(expected)
    assert {s for s, _, _ in stored} >= {"contested"}


def test_back_dated_reports_keep_the_picture_whole(location: str) -> None:
    reports = _reports()
    _ingest(location, [reports[:16], reports[16:30], reports[30:]])  # later batches reach back months
    with open_store(location, "read") as store, store.read() as r:
        groups = load_groups(r)
        occurrences = [codec.loads(Occurrence, row.data) for key in sorted(r.occurrence_keys())
                       for row in r.occurrences(key)]
        rows = {row.id: row for row in r.groups()}
    members = [member_id(m) for g in groups for m in g.members]
    assert sorted(members) == sorted(member_id(o) for o in occurrences)  # each report in exactly one claim
    ids = {g.id for g in groups}
    for group in groups:
        assert {m.key for m in group.members} == {group.key} and group.members
        assert set(group.contradicted_by) <= ids and (group.status == "contested") == bool(group.contradicted_by)
        assert rows[group.id].independent_sources == len({m.asserting for m in group.members})
        if group.kind == "quantity":  # every figure agrees with every other of its claim
            values = [(m.claim.quantity.low, m.claim.quantity.high) for m in group.members]  # type: ignore[union-attr]
            assert all(a[0] <= b[1] and b[0] <= a[1] for a in values for b in values)



def test_a_figure_s_far_claims_that_no_report_of_the_batch_meets_are_left_as_stored(location: str,
                                                                                      monkeypatch) -> None:
    """Under a figure's key, a batch takes up the claims near its days and, of the far ones, only those its
    figures could join or contest; the picture is still that of consolidating everything."""
    reports = sorted(_reports(), key=lambda d: d.published or datetime.min)
    _ingest(location, [reports[:40]])
    with open_store(location, "read") as store, store.read() as r:
        before = {row.id: row for row in r.groups() if row.kind == "quantity"}
    settled: list[set[str]] = []

    def spy(groups, kept=None):  # type: ignore[no-untyped-def]
        settled.append({g.id for g in groups if g.id})
        return settle(groups, kept=kept)

    monkeypatch.setattr("watchfloor.link.update.settle", spy)
    _ingest(location, [reports[40:]])
    with open_store(location, "read") as store, store.read() as r:
        after = {row.id: row for row in r.groups() if row.kind == "quantity"}
        stored = [(g.status, [member_id(m) for m in g.members], g.key) for g in load_groups(r)]
        everything = [codec.loads(Occurrence, row.data) for key in sorted(r.occurrence_keys())
                      for row in r.occurrences(key)]
    taken = set().union(*settled)
    keys = {before[i].key for i in taken if i in before}
    left = {i for i, row in before.items() if row.key in keys} - taken  # under a key the batch touched
    assert left and all(after[i] == before[i] for i in left)  # some far claims were not even read, and stand
    expected = [(g.status, [member_id(m) for m in g.members], g.key) for g in consolidate(everything)]
    assert _partition(stored) == _partition(expected)
