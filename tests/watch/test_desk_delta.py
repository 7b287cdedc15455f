"""What the rules read after a batch, read from what the batch touched, is what the whole export gives.

The sample corpus is stored a few documents at a time, as the watcher stores its polls; after each batch the
desk's ``delta`` (the claims and events of the new documents and of the status changes, read through the store's
indexes) is compared with ``whole_export_delta`` (``delta_from_export`` over the export of the whole store, what
the desk read before), on both engines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.config import Settings
from watchfloor.model import Document, DocumentAnalysis
from watchfloor.pipeline import store_analysed
from watchfloor.store import open_store
from watchfloor.watch.desk import StoreDesk, whole_export_delta

from ..conftest import new_location


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_delta_is_the_whole_exports(engine: str, request: pytest.FixtureRequest, tmp_path: Path,
                                    sample_analyses: list[tuple[Document, DocumentAnalysis]]) -> None:
    location = new_location(engine, request, tmp_path)
    batches = [sample_analyses[i : i + 3] for i in range(0, len(sample_analyses), 3)]
    assert len(batches) >= 3
    seen_records = seen_changes = seen_aliases = 0
    with open_store(location, "create") as store:
        desk = StoreDesk(store, Settings(db=location))
        since: str | None = desk.history_position()
        assert since == ""
        for batch in batches:
            store_analysed(iter(batch), store, Settings(db=location, batch_size=len(batch)))
            new = [d.id for d, _ in batch]
            delta = desk.delta(new, since)
            assert delta == whole_export_delta(store, new, since)
            assert delta.position == desk.history_position()
            seen_records += len(delta.records)
            seen_changes += sum(c.previous is not None for c in delta.changes)
            seen_aliases += sum(bool(e.aliases) for r in delta.records
                                for e in (r.subject, *r.actors, *r.attributed_to) if e is not None)
            since = delta.position
        # the comparison covered records, status changes of known records and entities with aliases
        assert seen_records and seen_changes and seen_aliases
        nothing = desk.delta([], since)
        assert nothing.records == () and nothing.changes == ()
        # an earlier position brings back the changes since, and the records they touched, as the export does
        assert desk.delta([], "") == whole_export_delta(store, [], "")
