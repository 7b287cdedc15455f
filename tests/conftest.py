from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from watchfloor.analyze import AnalyzeOptions, analyze_documents
from watchfloor.config import Settings
from watchfloor.ingest import IngestOptions, read_paths
from watchfloor.model import Document, DocumentAnalysis
from watchfloor.pipeline import store_analysed
from watchfloor.report.export_json import build_export
from watchfloor.store import Store, open_store

from .postgres import PostgresServer, start_server

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "watchfloor" / "data" / "samples"
ENGINES = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the session, started by the tests themselves."""
    try:
        server = start_server()
    except (FileNotFoundError, OSError) as exc:
        if os.environ.get("WATCHFLOOR_REQUIRE_POSTGRES"):
            raise
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    yield server
    server.stop()


def new_location(engine: str, request: pytest.FixtureRequest, directory: Path) -> str:
    """A place for a new, empty store on the engine: an SQLite path or a fresh PostgreSQL database."""
    if engine == "sqlite":
        return str(directory / "store.db")
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.create_database()


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture()
def location(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a test's own store goes, once per engine."""
    return new_location(engine, request, tmp_path)


@pytest.fixture(scope="session")
def sample_analyses() -> list[tuple[Document, DocumentAnalysis]]:
    """The bundled sample corpus read and analysed once for the whole session."""
    items = list(read_paths([SAMPLES], IngestOptions()))
    assert all(isinstance(i, Document) for i in items), [i for i in items if not isinstance(i, Document)]
    return list(analyze_documents([i for i in items if isinstance(i, Document)], AnalyzeOptions()))


@pytest.fixture(scope="session", params=ENGINES)
def sample_store(request: pytest.FixtureRequest, sample_analyses: list[tuple[Document, DocumentAnalysis]],
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The sample corpus stored and linked through the write path, once per engine for the session."""
    location = new_location(request.param, request, tmp_path_factory.mktemp("samples"))
    with open_store(location, "create") as store:
        report = store_analysed(iter(sample_analyses), store, Settings(db=location))
        assert report.added == len(sample_analyses), report
        yield store


@pytest.fixture(scope="session")
def sample_export(sample_store: Store) -> dict[str, Any]:
    return build_export(sample_store)


#: analysts' grades of the sample corpus's graded store: an outlet and a named source
SAMPLE_GRADES = (("Meridian Wire", "B"), ("National Intelligence Service", "A"))


@pytest.fixture(scope="session")
def graded_store(sample_analyses: list[tuple[Document, DocumentAnalysis]],
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The sample corpus in an SQLite store of its own, with the analysts' grades of ``SAMPLE_GRADES`` set."""
    from watchfloor.link.regrade import set_grades

    location = str(tmp_path_factory.mktemp("graded") / "graded.db")
    with open_store(location, "create") as store:
        store_analysed(iter(sample_analyses), store, Settings(db=location))
        with store.write() as w:
            set_grades(w, list(SAMPLE_GRADES), "test analyst", "2030-01-01T00:00:00+00:00")
        yield store


@pytest.fixture(scope="session")
def graded_export(graded_store: Store) -> dict[str, Any]:
    return build_export(graded_store)


@pytest.fixture()
def settings(location: str) -> Settings:
    return Settings(db=location)
