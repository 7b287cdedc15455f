"""What a page costs the store: the statements one claim page sends (each table's rows read once), on both
engines. Every statement is a round trip on PostgreSQL, and the Python around it costs more than most of the
reads themselves."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from watchfloor.model import Tlp
from watchfloor.serve.reads import claim_detail
from watchfloor.serve.screens import entity_view, story_view
from watchfloor.serve.tokens import Caller, Role
from watchfloor.store import Store


@contextmanager
def tables_read(store: Store) -> Iterator[Counter[str]]:
    """How many statements read each table (the tables named after a FROM, a subquery's too) while the block runs."""
    counts: Counter[str] = Counter()

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        words = statement.replace("\n", " ").split()
        counts.update({words[i + 1].strip('"') for i, word in enumerate(words[:-1])
                       if word == "FROM" and not words[i + 1].startswith("(")})

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        yield counts
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)


def test_a_claim_page_reads_its_claim_and_names_once(sample_store: Store, sample_export: dict[str, Any]) -> None:
    """The claim's stored row is read once (with its reports: it was read again to build the record), and the
    names of the entities its reports name once (they were read again for the named sources among them); a
    contested claim reads the rows of the claims against it once more."""
    who = Caller(Role.READER, Tlp.RED)
    claims = sample_export["claims"]
    plain = [c for c in claims if not c["contradicted_by"]][:10]
    contested = [c for c in claims if c["contradicted_by"]][:5]
    assert plain and contested
    for claim in plain + contested:
        with sample_store.read() as r, tables_read(sample_store) as counts:
            assert claim_detail(r, who, claim["id"]) is not None
        against = 1 if claim["contradicted_by"] else 0
        assert counts["claim_groups"] == 1 + against, (claim["id"], counts)
        assert counts["entity_keys"] <= 1 and counts["entities"] <= 1, (claim["id"], counts)
        if not against:  # (the first reports of the claims against it are read apart: places, then records)
            assert counts["occurrences"] == 1, (claim["id"], counts)


@contextmanager
def statements_sent(store: Store) -> Iterator[list[Any]]:
    """The statements (as built, before compilation) run while the block runs."""
    sent: list[Any] = []

    def seen(_conn: Any, clause: Any, *_args: Any) -> None:
        sent.append(clause)

    event.listen(store.engine, "before_execute", seen)
    try:
        yield sent
    finally:
        event.remove(store.engine, "before_execute", seen)


def _pages(export: dict[str, Any]) -> list[tuple[str, Any, list[str]]]:
    return [("story", story_view, [s["id"] for s in export["stories"]]),
            ("entity", entity_view, [e["id"] for e in export["entities"]]),
            ("claim", claim_detail, [c["id"] for c in export["claims"] if not c["contradicted_by"]]),
            ("contested claim", claim_detail, [c["id"] for c in export["claims"] if c["contradicted_by"]])]


def test_each_page_sends_a_few_statements(sample_store: Store, sample_export: dict[str, Any]) -> None:
    """Statements per page (each a round trip and ~0.2 ms of Python on PostgreSQL): a story with its documents is one
    read, then its claims and the subjects of its competing figures; an entity with its keys is one read, then its
    latest spellings, days, claims (with their count) and co-occurring actors (with their names); a claim page reads
    its claim with its reports, the names they give with their entities, and its history with its notes, each in one
    read, and its summary only when other claims contradict it. Before: story 3-4, entity 7-9, claim 9 (contested
    12)."""
    who = Caller(Role.READER, Tlp.RED)
    most = {"story": 3, "entity": 5, "claim": 5, "contested claim": 9}
    for name, show, ids in _pages(sample_export):
        assert ids, name
        for i in ids:
            with sample_store.read() as r, statements_sent(sample_store) as sent:
                assert show(r, who, i) is not None
            assert len(sent) <= most[name], (name, i, len(sent))


def test_the_pages_statements_are_built_once(sample_store: Store, sample_export: dict[str, Any]) -> None:
    """Every entity page and every claim page that no claim contradicts runs statements built once per shape
    (``store.base.shaped``) and given their values: across all of the sample's pages, a handful of statement objects
    (an entity's latest documents take a shape per number of its keys), where building them per request made a
    new one for each of the hundreds of statements run."""
    who = Caller(Role.READER, Tlp.RED)
    for name, show, ids in _pages(sample_export):
        if name not in ("entity", "claim"):
            continue
        run: list[Any] = []  # kept, so that no statement's id is taken again by a later one
        for i in ids:
            with sample_store.read() as r, statements_sent(sample_store) as sent:
                show(r, who, i)
            run += sent
        built = {id(statement) for statement in run}
        assert len(run) > 500 and len(built) <= 8, (name, len(run), len(built))
