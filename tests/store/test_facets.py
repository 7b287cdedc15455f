"""The rows the desk's screens read (``store/facets.py`` and each report's own columns) agree with the claims
they come from, are kept with every rewrite of a claim, and are built once for a store made before version 7;
tokens, notes and visit markers round-trip on both engines."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select, text

from watchfloor import codec
from watchfloor.config import Settings
from watchfloor.link.consolidation import Occurrence
from watchfloor.link.update import load_groups
from watchfloor.pipeline import link_pending, store_analysed
from watchfloor.store import ClaimFilter, HistoryRow, NoteRow, Reader, Store, open_store
from watchfloor.store import tables as t
from watchfloor.store.facets import group_facets, outlet_marks, summed_outlets
from watchfloor.store.migrations import LATEST
from watchfloor.store.rows import GroupRow

from .versions import set_version_sql


def _facets(store: Store) -> dict[str, Any]:
    with store.read() as r:
        groups = load_groups(r)
        rows, total = r.group_page(ClaimFilter(), 100_000)
        spans = {g.id: sorted((m.doc_id, m.evidence.start, m.evidence.end) for m in g.members) for g in groups}
        stored: dict[str, list[tuple[str, int, int]]] = {}
        for doc_id in {m.doc_id for g in groups for m in g.members}:
            for s in r.document_spans(doc_id):
                stored.setdefault(s.group_id, []).append((doc_id, s.start, s.end))
        sources = {row.id: (list(row.outlets), row.independent_sources) for row in rows}
        return {"groups": groups, "rows": rows, "total": total, "spans": spans,
                "stored": {k: sorted(v) for k, v in stored.items()}, "sources": sources}


def test_facets_agree_with_the_groups(sample_store: Store) -> None:
    found = _facets(sample_store)
    groups = found["groups"]
    assert found["total"] == len(groups) == len(found["rows"])
    assert found["stored"] == found["spans"]  # every report of every group, at its evidence span
    for group in groups:
        outlets, independent = found["sources"][group.id]
        assert outlets == group.outlets and independent == group.independent_sources
    by_id = {r.id: r for r in found["rows"]}
    for group in groups:
        row = by_id[group.id]
        assert (row.kind, row.status, row.members) == (group.kind, group.status, len(group.members))
        days = sorted(str(m.when) for m in group.members if m.when)
        assert (row.day, row.last_day) == ((days[0], days[-1]) if days else (None, None))
        if group.kind == "event":
            assert row.event_type == group.first.event.type  # type: ignore[union-attr]


def test_entity_filter_finds_every_group_naming_the_entity(sample_store: Store) -> None:
    with sample_store.read() as r:
        groups = load_groups(r)
        named: Counter[str] = Counter()
        for g in groups:
            keys = {e.key for m in g.members for e in m.attributed_to if e.type != "outlet"}
            keys |= {m.claim.subject.key for m in g.members if m.claim and m.claim.subject}
            keys |= {a.entity.key for m in g.members if m.event for a in m.event.actors}
            named.update(keys)
        entity, count = named.most_common(1)[0]
        rows, total = r.group_page(ClaimFilter(entity_ids=(entity,)), 1000)
        assert total == count == len(rows)


def test_a_version_6_store_gets_its_rows_built(sample_store: Store, sample_analyses: list, location: str) -> None:
    """The sample picture stored anew, taken back to version 6 (no desk tables, reports without their own
    columns), reopened: the upgrade and the next writing command give the rows a new store has."""
    settings = Settings(db=location)
    with open_store(location, "create") as store:
        store_analysed(iter(sample_analyses), store, settings)
        with store.write() as w:
            for name in ("group_entities", "group_summary", "mention_days", "api_tokens", "claim_notes", "visits"):
                w.connection.execute(text(f"DROP TABLE {name}"))
            for index in ("occurrences_outlet", "occurrences_doc_group", "occurrences_group_sources"):
                w.connection.execute(text(f"DROP INDEX {index}"))
            w.connection.execute(text("CREATE INDEX occurrences_doc ON occurrences (doc_id)"))  # version 6's
            for column in ("start", "end", "outlet", "asserting", "modality", "polarity"):
                w.connection.execute(text(f'ALTER TABLE occurrences DROP COLUMN "{column}"'))
            w.connection.execute(text(set_version_sql(w.engine, 6)))
    with open_store(location, "write") as store:
        assert store.schema_version() == LATEST
        link_pending(store)  # the first writing command writes the claims' sums
        with store.read() as r, sample_store.read() as original:
            rows, total = r.group_page(ClaimFilter(), 100_000)
            expected, expected_total = original.group_page(ClaimFilter(), 100_000)
            strip = lambda page: sorted((x.id, x.kind, x.status, x.text, x.day, x.members) for x in page)  # noqa: E731
            assert total == expected_total and strip(rows) == strip(expected)
            groups = load_groups(r)
            assert {g.id: sorted((m.doc_id, m.evidence.start) for m in g.members) for g in groups} == {
                g.id: sorted((m.doc_id, m.evidence.start) for m in g.members) for g in load_groups(original)}


def test_tokens_notes_and_visits_round_trip(location: str) -> None:
    with open_store(location, "create") as store:
        with store.write() as w:
            w.add_token("t1", "desk", "analyst", "red", "digest-1", "2024-11-01T00:00:00+00:00")
            w.add_note(NoteRow("n1", "c1", "t1", "desk", "checked <b>twice</b>", "2024-11-02T00:00:00+00:00"))
            w.add_note(NoteRow("n0", "c1", "t1", "desk", "first", "2024-11-01T12:00:00+00:00"))
            w.add_note(NoteRow("n2", "c2", "t1", "desk", "elsewhere", "2024-11-01T00:00:00+00:00"))
            w.add_history([HistoryRow("c1", "k1", "contested", "single_source", 2, "2024-11-03T00:00:00+00:00", "x"),
                           HistoryRow("c1", "k1", "single_source", None, 1, "2024-11-01T00:00:00+00:00", "one source"),
                           HistoryRow("c2", "k2", "single_source", None, 1, "2024-11-02T00:00:00+00:00", "y")])
            w.set_last_visit("token:t1", "2024-11-03T00:00:00+00:00")
            w.set_last_visit("token:t1", "2024-11-04T00:00:00+00:00")
        with store.read() as r:
            assert r.token_by_digest("digest-1") is not None and r.token_by_digest("other") is None
            assert [n.text for n in r.notes(["c1"])] == ["first", "checked <b>twice</b>"]
            for claim in ("c1", "c2", "c3"):  # a claim page reads both at once
                assert r.history_and_notes(claim) == (r.history(group_id=claim), r.notes([claim]))
            assert [h.status for h in r.history_and_notes("c1")[0]] == ["single_source", "contested"]
            assert r.last_visit("token:t1") == "2024-11-04T00:00:00+00:00"
        with store.write() as w:
            assert w.revoke_token("t1", "2024-11-05T00:00:00+00:00")
            assert not w.revoke_token("t1", "2024-11-05T00:00:00+00:00")
        with store.read() as r:
            assert r.token_by_digest("digest-1") is None


def test_the_reports_indexes_are_replaced_on_upgrade(location: str) -> None:
    """A store of version 7 (reports indexed by document and by claim alone) gets the indexes that carry what the
    screens read; the ones they supersede go."""
    from sqlalchemy import inspect

    with open_store(location, "create") as store, store.write() as w:
        for index in ("occurrences_doc_group", "occurrences_group_sources"):
            w.connection.execute(text(f"DROP INDEX {index}"))
        w.connection.execute(text("CREATE INDEX occurrences_doc ON occurrences (doc_id)"))
        w.connection.execute(text("CREATE INDEX occurrences_group ON occurrences (group_id)"))
        w.connection.execute(text(set_version_sql(w.engine, 7)))
    with open_store(location, "write") as store:
        assert store.schema_version() == LATEST
        with store.read() as r:
            indexes = {i["name"]: i["column_names"] for i in inspect(r.connection).get_indexes("occurrences")}
    assert indexes["occurrences_group_sources"] == ["group_id", "outlet", "asserting"]
    assert indexes["occurrences_doc_group"] == ["doc_id", "group_id", "start", "end"]
    assert "occurrences_doc" not in indexes and "occurrences_group" not in indexes


def test_one_entitys_page_walked_in_its_index_is_the_general_filters_page(sample_store: Store) -> None:
    """A page of one entity's claims (walked in the entity's own index) has the claims, order and capped count
    the general filter gives (asked for with the entity named twice, which takes the general path), at every
    offset, with and without a kind and a status."""
    with sample_store.read() as r:
        entities = [e.id for e in r.all_entities()]
        compared = 0
        for entity in entities:
            for extra in ({}, {"kinds": ("statement", "quantity")}, {"kinds": ("event",)}, {"status": "corroborated"},
                          {"kinds": ("statement", "quantity"), "status": "corroborated"}, {"kinds": ("quantity",)}):
                one = ClaimFilter(entity_ids=(entity,), **extra)  # type: ignore[arg-type]
                general = ClaimFilter(entity_ids=(entity, entity), **extra)  # type: ignore[arg-type]
                for offset in (0, 3):
                    rows, total = r.group_page(one, 4, offset)
                    expected, expected_total = r.group_page(general, 4, offset)
                    assert ([x.id for x in rows], total) == ([x.id for x in expected], expected_total)
                    compared += bool(rows)
        assert compared > 10


def test_an_outlets_claims_walked_as_for_a_large_outlet_are_the_general_filters(
        sample_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """An outlet's page and capped count read as for an outlet of thousands of reports (each claim checked for
    the outlet, the count taken from the outlet's reports: on SQLite by key range for kinds alone) give the
    claims, order and count the general filter gives, for every outlet of the sample, every kind, with and
    without a status, counted below the cap and over it."""
    from watchfloor.store import views

    with sample_store.read() as r:
        compared = capped = 0
        for outlet in r.outlets():
            for extra in ({}, {"kinds": ("statement", "quantity")}, {"kinds": ("event",)}, {"kinds": ("quantity",)},
                          {"kinds": ("statement", "quantity"), "status": "single_source"}):
                f = ClaimFilter(outlet=outlet, **extra)  # type: ignore[arg-type]
                for cap in (1000, 3):
                    monkeypatch.setattr(views, "COUNT_CAP", cap)
                    monkeypatch.setattr(views, "DENSE", 2000)
                    expected = r.group_page(f, 2, 0)
                    monkeypatch.setattr(views, "DENSE", -1)
                    found = r.group_page(f, 2, 0)
                    assert ([x.id for x in found[0]], found[1]) == ([x.id for x in expected[0]], expected[1])
                    compared += expected[1] > 2
                    capped += expected[1] == cap + 1
        assert compared > 10 and capped > 5


def test_a_page_of_reports_is_the_head_of_all_of_them(sample_store: Store) -> None:
    """``report_pages``: the first reports of each claim in the order ``load_groups`` gives them all, and how many
    distinct sentences it rests on, for every claim of the sample and page sizes from one up."""
    with sample_store.read() as r:
        groups = load_groups(r)
        for limit in (1, 2, 5):
            pages = r.report_pages([g.id for g in groups], limit)
            assert set(pages) == {g.id for g in groups}
            for group in groups:
                data, total = pages[group.id]
                assert [codec.loads(Occurrence, d) for d in data] == group.members[:limit]
                assert total == len({(m.doc_id, m.evidence.start) for m in group.members})
        summaries = r.group_summaries([g.id for g in groups] + ["no-such-claim"])
        assert set(summaries) == {g.id for g in groups}
        assert all((s.status, s.members) == (g.status, len(g.members)) for g in groups for s in [summaries[g.id]])


def test_an_entitys_latest_documents_merged_from_its_keys_are_the_sorted_ones(sample_store: Store) -> None:
    """The latest documents of an entity merged from each of its keys' own latest equal those of one sorted read
    of all its mentions (the path taken for an entity of very many keys)."""
    with sample_store.read() as r:
        compared = 0
        for entity in r.all_entities():
            keys = [k.key for k in r.keys_of_entities([entity.id])]
            for limit in (1, 3, 10):
                merged = r.entity_recent_documents(entity.id, limit, keys=keys)
                assert merged == r.entity_recent_documents(entity.id, limit)  # keys read by itself
                sorted_read = r.entity_recent_documents(entity.id, limit, keys=[f"{k}" for k in keys] * 60)
                assert merged == sorted_read
                assert merged == r.entity_recent_documents(entity.id, limit, ("clear", "green", "amber", "red",
                                                                            "amber+strict"), keys)
                compared += len(merged) > 1
        assert compared > 5


def _reports_sums(r: Reader) -> dict[str, tuple[tuple[str, ...], int]]:
    """Per claim: the outlets of its reports (each once, in order) and how many distinct sources they have, from
    the reports' own rows."""
    m = t.occurrences
    outlets: dict[str, set[str]] = {}
    sources: dict[str, set[str]] = {}
    for group, outlet, asserting in r.connection.execute(select(m.c.group_id, m.c.outlet, m.c.asserting)):
        outlets.setdefault(str(group), set()).add(str(outlet))
        sources.setdefault(str(group), set()).add(str(asserting))
    return {g: (tuple(sorted(outlets[g])), len(sources[g])) for g in outlets}


def _summed(r: Reader) -> dict[str, tuple[tuple[str, ...], int]]:
    rows, _ = r.group_page(ClaimFilter(), 100_000)
    return {row.id: (row.outlets, row.independent_sources) for row in rows}


def test_each_summary_keeps_its_reports_outlets_and_sources(sample_analyses: list, location: str) -> None:
    """A claim's summary row holds the outlets its reports come from and how many distinct sources they have, as
    the reports' own rows give them, after the sample is stored three documents at a time (claims written again
    as reports join them, earlier ones too); outlets whose names hold quotes and control characters are kept whole."""
    named = [(replace(doc, outlet=f'desk\x1f"{i % 4}"' if i % 3 == 0 else f"outlet {i % 5}"), analysis)
             for i, (doc, analysis) in enumerate(sample_analyses)]
    with open_store(location, "create") as store:
        store_analysed(iter(named), store, Settings(db=location, batch_size=3))
        with store.read() as r:
            expected = _reports_sums(r)
            assert any('\x1f"' in o for found, _ in expected.values() for o in found)
            assert max(len(found) for found, _ in expected.values()) > 2
            assert _summed(r) == expected


def test_an_outlet_is_found_in_a_summarys_outlets_exactly_when_listed() -> None:
    """``outlet_marks``: a summary's outlets text begins with the first mark or holds the second exactly when the
    outlet is one of those listed, names with quotes, separators, brackets and backslashes included (a name that
    ends another after a quote is not found in it)."""
    names = ['outlet 1', 'say "outlet 1', 'outlet 1"', 'a, "outlet 1"', '["outlet 1"]', 'back\\', '\\"', 'é', '']
    for size in range(3):
        for listed in itertools.combinations(names, size):
            text = summed_outlets({"outlets": dict.fromkeys(listed, 1)})
            for outlet in names:
                first, later = outlet_marks(outlet)
                assert (text.startswith(first) or later in text) == (outlet in listed), (outlet, text)


def test_a_large_outlets_page_finds_outlets_of_any_name(sample_analyses: list, location: str) -> None:
    """An outlet's page walked as for a large outlet (on PostgreSQL by the summaries' lists of outlets) is the
    general filter's for outlets whose names hold quotes, commas and one another."""
    from watchfloor.store import views

    names = ['outlet 1', 'say "outlet 1', 'a, "outlet 1"', 'back\\slash', 'ü']
    named = [(replace(doc, outlet=names[i % len(names)]), analysis) for i, (doc, analysis) in enumerate(sample_analyses)]
    with open_store(location, "create") as store:
        store_analysed(iter(named), store, Settings(db=location, batch_size=3))
        with store.read() as r, pytest.MonkeyPatch.context() as patch:
            for outlet in names:
                f = ClaimFilter(outlet=outlet, kinds=("statement", "quantity"))
                patch.setattr(views, "DENSE", 2000)
                expected = r.group_page(f, 1000, 0)
                patch.setattr(views, "DENSE", -1)
                assert r.group_page(f, 1000, 0) == expected
                assert expected[1] > 0


def test_a_version_10_store_gets_its_outlets(sample_store: Store, sample_analyses: list, location: str) -> None:
    """The sample picture stored anew, taken back to version 10 (summaries without outlets, no index by claim and
    family), reopened for writing: the upgrade gives every summary its outlets, as a new store has them."""
    from sqlalchemy import inspect

    with open_store(location, "create") as store:
        store_analysed(iter(sample_analyses), store, Settings(db=location))
        with store.write() as w:
            w.connection.execute(text("DROP INDEX group_summary_family"))
            w.connection.execute(text("ALTER TABLE group_summary DROP COLUMN outlets"))
            w.connection.execute(text(set_version_sql(w.engine, 10)))
    with open_store(location, "write") as store:
        assert store.schema_version() == LATEST
        with store.read() as r, sample_store.read() as original:
            found = _summed(r)
            assert found == _summed(original) == _reports_sums(r)
            assert sum(len(outlets) for outlets, _ in found.values()) > len(found)  # claims of several outlets
            indexes = {i["name"]: i["column_names"] for i in inspect(r.connection).get_indexes("group_summary")}
    assert indexes["group_summary_family"] == ["group_id", "family"]


def test_a_version_11_store_gets_each_entity_rows_family(sample_store: Store, sample_analyses: list,
                                                          location: str) -> None:
    """The sample picture stored anew, taken back to version 11 (entity rows without their claim's family, the
    entity's index without it), reopened for writing: every row gets its claim's family and the index its column,
    and an entity's pages of claims and of events are those of the store made new."""
    from sqlalchemy import inspect

    with open_store(location, "create") as store:
        store_analysed(iter(sample_analyses), store, Settings(db=location))
        with store.write() as w:
            w.connection.execute(text("DROP INDEX group_entities_latest"))
            w.connection.execute(text("ALTER TABLE group_entities DROP COLUMN family"))
            w.connection.execute(text("CREATE INDEX group_entities_entity ON group_entities (entity_id, last_day, "
                                      "group_id)"))
            w.connection.execute(text(set_version_sql(w.engine, 11)))
    e, s = t.group_entities, t.group_summary
    with open_store(location, "write") as store:
        assert store.schema_version() == LATEST
        with store.read() as r, sample_store.read() as original:
            families = r.connection.execute(select(e.c.family, s.c.family).join(s, s.c.group_id == e.c.group_id)).all()
            assert {a for a, _ in families} == {"claim", "event"} and all(a == b for a, b in families)
            assert len(families) == r.connection.execute(select(func.count()).select_from(e)).scalar_one()
            entity = r.connection.execute(select(e.c.entity_id).group_by(e.c.entity_id)
                                          .order_by(func.count().desc(), e.c.entity_id).limit(1)).scalar_one()
            for kinds in (("statement", "quantity"), ("event",)):
                f = ClaimFilter(kinds=kinds, entity_ids=(entity,))
                rows, total = r.group_page(f, 5)
                assert total > 0 and ([x.id for x in rows], total) == (
                    [x.id for x in original.group_page(f, 5)[0]], original.group_page(f, 5)[1])
            indexes = {i["name"]: i["column_names"] for i in inspect(r.connection).get_indexes("group_entities")}
    assert indexes["group_entities_latest"] == ["entity_id", "last_day", "group_id", "family"]
    assert "group_entities_entity" not in indexes


def test_co_occurring_entities_are_counted_over_the_latest_claims(sample_store: Store) -> None:
    """The actors named with an entity, counted as the claims they share with it among its latest few (a claim
    naming either in two roles counted once), most first, as the entities' rows give them counted here, each with
    its name and type."""
    e = t.group_entities
    with sample_store.read() as r:
        rows = r.connection.execute(select(e.c.group_id, e.c.entity_id, e.c.last_day)).all()
        names = {row.id: row for row in r.all_entities()}
        compared = 0
        for entity in sorted({str(row.entity_id) for row in rows}):
            for recent, limit in ((500, 25), (3, 2)):
                latest = sorted(((row.last_day, row.group_id) for row in rows if row.entity_id == entity),
                                reverse=True)[:recent]
                shared: dict[str, set[str]] = {}
                for row in rows:
                    if row.entity_id != entity and (row.last_day, row.group_id) in latest:
                        shared.setdefault(str(row.entity_id), set()).add(str(row.group_id))
                expected = sorted(((o, len(g)) for o, g in shared.items()), key=lambda x: (-x[1], x[0]))[:limit]
                found = r.co_occurring(entity, limit, recent)
                assert [(c.id, c.shared) for c in found] == expected
                assert [(c.name, c.type) for c in found] == [(names[c.id].name, names[c.id].type) for c in found]
                compared += any(n > 1 for _, n in expected)
        assert compared > 3


def test_a_deep_page_of_claims_is_its_slice_of_every_match(sample_store: Store) -> None:
    """A page at an offset (picked in the summaries' index first on PostgreSQL) holds the rows, in the order, that
    the matches read whole give at that place, newest first and earliest first, for several filters."""
    with sample_store.read() as r:
        for f in (ClaimFilter(), ClaimFilter(kinds=("statement", "quantity")), ClaimFilter(kinds=("event",)),
                  ClaimFilter(status="single_source"), ClaimFilter(kinds=("event",), located=True)):
            for newest in (True, False):
                everything, _ = r.group_page(f, 100_000, newest_first=newest)
                assert len(everything) > 5
                for offset in (1, 3, len(everything) - 2):
                    rows, _ = r.group_page(f, 4, offset, newest_first=newest)
                    assert rows == everything[offset: offset + 4]


def test_a_claims_rows_from_its_sums_in_hand_are_those_from_its_stored_data() -> None:
    """The link step hands over the sums it has just encoded, in the order it counted them; the rows must be those
    the stored (sorted) JSON gives, a tie between places included."""
    sep = "\x1f"
    sums = {"stance": "positive", "count": 4, "first": "2024-10-01", "last": "2024-10-03",
            "outlets": {"Zeta News": 2, "Alpha Post": 2},
            "places": {sep.join(("Seoul", "37.5", "127.0")): 2, sep.join(("Busan", "35.1", "129.0")): 2},
            "entities": {sep.join(("subject", "country:kp")): 3, sep.join(("attributed", "org:nis")): 1},
            "head": {"text": "Troops were sent.", "event_type": None, "modality": "asserted", "polarity": "positive",
                     "figure": None, "unit": None, "order": ["2024-10-01", "d1", 0]}}
    row = GroupRow("c1", "statement|a|b|said", "statement", "single_source", 2, "2024-10-04T00:00:00+00:00",
                   json.dumps(sums, ensure_ascii=False, sort_keys=True), "2024-10-01", "2024-10-03", "F", 6,
                   "2024-10-04T00:00:00+00:00")
    stored = group_facets(row)
    assert group_facets(row, sums) == stored
    assert stored[0]["place"] == "Busan"  # of the places given as often, the first by name
