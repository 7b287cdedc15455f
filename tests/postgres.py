"""A real PostgreSQL server for the tests: Debian's binaries, ``initdb`` and ``pg_ctl`` in a temporary
directory on a free port, run as the ``postgres`` user when the tests run as root (initdb refuses root).

A temporary server's directory names the process that started it; a run that was killed before it could stop
its server (``pg_ctl`` leaves the server running on its own) has it stopped and removed by the next run.

Without the binaries the PostgreSQL tests are skipped with the reason, unless ``WATCHFLOOR_REQUIRE_POSTGRES``
is set (CI sets it, so that a missing server fails the run instead of passing it quietly).
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PostgresServer", "find_binaries", "start_server"]


def find_binaries() -> Path | None:
    """The newest PostgreSQL server binaries on the machine, or None."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _as_server_user(command: tuple[str, ...]) -> list[str]:
    """The command run as the ``postgres`` user when the tests run as root (the server refuses root)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    bin: Path
    directory: Path
    port: int
    user: str
    _names: itertools.count = itertools.count(1)  # type: ignore[assignment]

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(_as_server_user(args), check=True, capture_output=True, text=True, cwd=self.directory)

    def create_database(self, prefix: str = "wf") -> str:
        """A new empty database; its URL."""
        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        self._run(str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d", "postgres",
                  "-v", "ON_ERROR_STOP=1", "-q", "-c", f'CREATE DATABASE "{name}"')
        return self.url(name)

    def database_exists(self, name: str) -> bool:
        found = self._run(str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d",
                          "postgres", "-tAq", "-c", f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
        return found.stdout.strip() == "1"

    def create_named_database(self, name: str) -> str:
        """A new empty database of the given name; its URL."""
        self._run(str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d", "postgres",
                  "-v", "ON_ERROR_STOP=1", "-q", "-c", f'DROP DATABASE IF EXISTS "{name}"', "-c",
                  f'CREATE DATABASE "{name}"')
        return self.url(name)

    def restart(self) -> None:
        """Stop the server (its backends end their connections) and start it again with the same options."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.directory / "data"), "-l", str(self.directory / "log"),
                  "-m", "fast", "-w", "restart")

    def stop(self, keep: bool = False) -> None:
        """Stop the server; its directory is removed unless ``keep`` (a server started on a kept directory)."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.directory / "data"), "-m", "fast" if keep else "immediate",
                  "-w", "stop")
        if not keep:
            shutil.rmtree(self.directory, ignore_errors=True)


_PREFIX = "watchfloor-pg-"
_OWNER = "owner.pid"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stop_abandoned(binaries: Path) -> None:
    """Stop and remove the temporary servers of test runs whose process is gone."""
    for owner in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*/{_OWNER}"):
        try:
            pid = int(owner.read_text().strip() or 0)
        except (OSError, ValueError):
            continue
        if pid and _alive(pid):
            continue
        directory = owner.parent
        if (directory / "data" / "postmaster.pid").exists():
            subprocess.run(_as_server_user((str(binaries / "pg_ctl"), "-D", str(directory / "data"), "-m",
                                            "immediate", "-w", "stop")), capture_output=True, text=True, cwd=directory)
        shutil.rmtree(directory, ignore_errors=True)


def start_server(directory: Path | None = None, settings: Mapping[str, str] | None = None) -> PostgresServer:
    """initdb + pg_ctl start on a free port, trust authentication on loopback only (about a second). With
    ``directory``, the cluster there is used (made when absent) and outlives the server: a benchmark's seeded
    databases are kept for its next run. ``settings``: server parameters given at start (``-c name=value``) beside
    the tests' own, e.g. a benchmark's ``shared_buffers``."""
    binaries = find_binaries()
    if binaries is None:
        raise FileNotFoundError("PostgreSQL server binaries not found (Debian package: postgresql)")
    if directory is None:
        _stop_abandoned(binaries)
        directory = Path(tempfile.mkdtemp(prefix=_PREFIX))
        (directory / _OWNER).write_text(str(os.getpid()))
    directory.mkdir(parents=True, exist_ok=True)
    root = os.geteuid() == 0
    if root:
        shutil.chown(directory, "postgres", "postgres")
    user = "postgres" if root else os.environ.get("USER", "postgres")
    server = PostgresServer(binaries, directory, _free_port(), user)
    data = directory / "data"
    if not (data / "PG_VERSION").exists():
        server._run(str(binaries / "initdb"), "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-sync")
    options = (f"-p {server.port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off "
               f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
    options += "".join(f" -c {name}={value}" for name, value in (settings or {}).items())
    server._run(str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(directory / "log"), "-w", "start")
    return server
