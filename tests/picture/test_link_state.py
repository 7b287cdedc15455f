"""Linker state is stored as rows written as they change; a store from before that is converted on first use."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from watchfloor import codec
from watchfloor.link.stories import StoryLinker, story_doc
from watchfloor.model import Document
from watchfloor.picture import _load_stories, _save_stories
from watchfloor.store import Store
from watchfloor.store.links import LinkTables

TEXTS = [
    ("Flood waters rise in Porto Alegre", "Flood waters rose again in Porto Alegre as rain fell across Rio Grande do Sul."),
    ("Porto Alegre floods force evacuations", "Thousands left Porto Alegre as the floods in Rio Grande do Sul spread."),
    ("Chess final ends in a draw", "The world chess championship final in Singapore ended in a draw after six hours."),
]


def _linker() -> StoryLinker:
    linker = StoryLinker()
    start = datetime(2024, 5, 6, tzinfo=UTC)
    for i, (title, text) in enumerate(TEXTS):
        document = Document(id=f"d{i}", title=title, text=text, outlet="Test Wire", published=start + timedelta(hours=i))
        linker.add(story_doc(document))
    return linker


def test_legacy_blob_becomes_rows(tmp_path: Path) -> None:
    linker = _linker()
    with Store(tmp_path / "s.db") as store:
        tables = LinkTables(store.db)
        with store.transaction():
            tables.save_state("stories", json.dumps(codec.dump(linker.to_rows())))
            loaded = _load_stories(tables)
        assert loaded.stories() == linker.stories()
        assert tables.load_state("stories") is None and tables.has_rows("story_member")
        assert _load_stories(tables).stories() == linker.stories()  # from the rows this time


def test_only_changed_rows_are_written(tmp_path: Path) -> None:
    linker = _linker()
    with Store(tmp_path / "s.db") as store:
        tables = LinkTables(store.db)
        with store.transaction():
            _save_stories(tables, linker.drain_changes())
        reloaded = _load_stories(tables)
        assert reloaded.stories() == linker.stories()
        assert reloaded.drain_changes().members == ()  # loading marks nothing as changed
        n_members = len(list(tables.rows("story_member")))
        assert n_members == len(TEXTS)
