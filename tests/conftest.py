from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from watchfloor.config import Settings
from watchfloor.pipeline import ingest_paths
from watchfloor.report.export_json import build_export
from watchfloor.store import Store

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "watchfloor" / "data" / "samples"


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The bundled sample corpus, ingested once for the whole session."""
    path = tmp_path_factory.mktemp("store") / "samples.db"
    store = Store(path)
    report = ingest_paths([SAMPLES], store, Settings(db=str(path)))
    assert report.ok, report.errors
    yield store
    store.close()


@pytest.fixture(scope="session")
def sample_export(sample_store: Store) -> dict[str, Any]:
    return build_export(sample_store)


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(db=str(tmp_path / "test.db"))
