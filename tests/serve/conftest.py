"""The app over the session's sample stores (both engines), tokens of each role, and a small store with
documents at several TLP levels."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from watchfloor.config import Settings
from watchfloor.model import Document, DocumentAnalysis, Tlp
from watchfloor.pipeline import store_analysed
from watchfloor.serve import Role, ServeOptions, create_app, create_token
from watchfloor.store import Store, open_store

from ..conftest import new_location


@pytest.fixture(scope="session")
def sample_client(sample_store: Store) -> Iterator[TestClient]:
    """The app over the sample store, reading open (as on loopback)."""
    with TestClient(create_app(ServeOptions(db=sample_store.given)), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="session")
def tokens(sample_store: Store) -> dict[str, str]:
    """One token per role on the sample store."""
    return {role.value: create_token(sample_store, f"test {role.value}", role)[0] for role in Role}


@pytest.fixture(scope="session")
def closed_client(sample_store: Store) -> Iterator[TestClient]:
    """The app over the sample store with reading closed (as when listening beyond loopback)."""
    options = ServeOptions(db=sample_store.given, open_reads=False)
    with TestClient(create_app(options), raise_server_exceptions=False) as client:
        yield client


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


#: documents of the sample corpus marked amber in the TLP store (by position in publication order)
AMBER_EVERY = 3


@pytest.fixture(scope="session", params=("sqlite", "postgresql"))
def tlp_store(request: pytest.FixtureRequest, sample_analyses: list[tuple[Document, DocumentAnalysis]],
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The sample corpus with every third document marked amber and one red."""
    location = new_location(request.param, request, tmp_path_factory.mktemp("tlp"))
    marked = []
    for i, (document, analysis) in enumerate(sorted(sample_analyses, key=lambda p: p[0].id)):
        level = Tlp.RED if i == 0 else Tlp.AMBER if i % AMBER_EVERY == 0 else Tlp.CLEAR
        marked.append((replace(document, tlp=level), analysis))
    with open_store(location, "create") as store:
        store_analysed(iter(marked), store, Settings(db=location))
        yield store


@pytest.fixture(scope="session")
def tlp_client(tlp_store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(ServeOptions(db=tlp_store.given)), raise_server_exceptions=False) as client:
        yield client


def make_store(path: Path) -> str:
    location = str(path / "store.db")
    open_store(location, "create").close()
    return location


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(app: Any) -> Iterator[str]:
    """The app served as `watchfloor serve` serves it (uvicorn), in a thread, on a free loopback port; its URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
