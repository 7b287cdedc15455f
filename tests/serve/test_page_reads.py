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
from watchfloor.serve.tokens import Caller, Role
from watchfloor.store import Store


@contextmanager
def tables_read(store: Store) -> Iterator[Counter[str]]:
    """How many statements read each table (by the first table named after FROM) while the block runs."""
    counts: Counter[str] = Counter()

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        words = statement.replace("\n", " ").split()
        if "FROM" in words:
            counts[words[words.index("FROM") + 1].strip('"')] += 1

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
