"""The sources file (``SOURCES.toml``): what to watch, how often, and how politely.

    [watch]                      # optional: defaults for every source, and per-host politeness
    delay = 1.0                  # seconds between two requests to one host
    concurrency = 2              # requests in flight to one host at once
    user_agent = "watchfloor/0.1"

    [[source]]
    url = "https://news.example/world/rss.xml"
    outlet = "Example Herald"
    tlp = "green"                # clear | green | amber | amber+strict | red
    reliability = "B"            # Admiralty source reliability, A (reliable) to F (cannot be judged)
    interval = 600               # seconds between polls of this source
    max_items = 20               # new articles fetched per poll
    max_mb = 2                   # largest body read from this source
    kind = "feed"                # feed | page | auto (decided from what the URL serves)

Every mistake is reported with the file, the source's position and the fix, before anything is fetched.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError

__all__ = ["KINDS", "RELIABILITY", "TLP_LEVELS", "Source", "WatchOptions", "load_sources", "parse_sources"]

TLP_LEVELS = ("clear", "green", "amber", "amber+strict", "red")
#: Admiralty (NATO AJP-2.1) source reliability: A completely reliable ... E unreliable, F cannot be judged
RELIABILITY = ("A", "B", "C", "D", "E", "F")
KINDS = ("auto", "feed", "page")


@dataclass(frozen=True)
class WatchOptions:
    """Settings that hold for the whole run: politeness per host and the defaults of every source."""

    user_agent: str = "watchfloor/0.1 (offline monitoring desk; polite polling)"
    delay: float = 1.0
    concurrency: int = 2
    workers: int = 4
    timeout: float = 20.0
    max_mb: float = 5.0
    interval: float = 900.0
    max_items: int = 50
    retries: int = 3
    backoff: float = 1.0
    max_redirects: int = 5


@dataclass(frozen=True)
class Source:
    """One feed or page to poll. ``key`` identifies its state across runs (the URL as written)."""

    url: str
    outlet: str
    tlp: str
    reliability: str = "F"
    kind: str = "auto"
    interval: float = 900.0
    max_items: int = 50
    max_mb: float = 5.0
    timeout: float = 20.0
    delay: float = 1.0
    fetch_articles: bool = True

    @property
    def key(self) -> str:
        return self.url

    @property
    def host(self) -> str:
        try:
            return (urlsplit(self.url).hostname or "").lower()
        except ValueError:
            return ""

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * 1024 * 1024)


_OPTION_TYPES: dict[str, type] = {f.name: type(f.default) for f in fields(WatchOptions)}
_SOURCE_REQUIRED = ("url", "outlet", "tlp")
_SOURCE_INHERITED = ("interval", "max_items", "max_mb", "timeout", "delay")
_SOURCE_KEYS = {f.name for f in fields(Source)}


def _number(where: str, name: str, value: Any, kind: type) -> Any:
    """A positive number of the wanted kind (an int is accepted where a float is wanted, not the reverse)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or (kind is int and not isinstance(value, int)):
        raise ConfigError(f"{where}: {name} must be a {'whole ' if kind is int else ''}number, not {value!r}")
    if value <= 0 and name not in ("delay", "retries", "backoff"):
        raise ConfigError(f"{where}: {name} must be above 0, not {value!r}")
    if value < 0:
        raise ConfigError(f"{where}: {name} must not be negative, not {value!r}")
    return kind(value)


def _options(table: Any, where: str) -> WatchOptions:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [watch] must be a table of settings")
    values: dict[str, Any] = {}
    for name, value in table.items():
        if name not in _OPTION_TYPES:
            raise ConfigError(f"{where}: unknown setting {name!r} in [watch]; known: {', '.join(sorted(_OPTION_TYPES))}")
        kind = _OPTION_TYPES[name]
        if kind is str:
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{where}: [watch] {name} must be a non-empty string")
            values[name] = value.strip()
        else:
            values[name] = _number(f"{where} [watch]", name, value, kind)
    return WatchOptions(**values)


def _url(where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: url must be a non-empty string")
    url = value.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError as exc:
        raise ConfigError(f"{where}: url {url!r} is not a valid address ({exc})") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where}: url {url!r} must be an http:// or https:// address with a host name")
    return url


def _choice(where: str, name: str, value: Any, allowed: tuple[str, ...], upper: bool = False) -> str:
    text = value.strip() if isinstance(value, str) else ""
    text = text.upper() if upper else text.lower()
    if text not in allowed:
        raise ConfigError(f"{where}: {name} {value!r} is not one of {', '.join(allowed)}")
    return text


def _source(table: Any, where: str, options: WatchOptions) -> Source:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: each [[source]] must be a table")
    unknown = sorted(set(table) - _SOURCE_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}; known: {', '.join(sorted(_SOURCE_KEYS))}")
    missing = [name for name in _SOURCE_REQUIRED if name not in table]
    if missing:
        raise ConfigError(f"{where}: missing {', '.join(missing)} (every source needs url, outlet and tlp)")
    outlet = table["outlet"]
    if not isinstance(outlet, str) or not outlet.strip():
        raise ConfigError(f"{where}: outlet must be the outlet's name, a non-empty string")
    fetch_articles = table.get("fetch_articles", True)
    if not isinstance(fetch_articles, bool):
        raise ConfigError(f"{where}: fetch_articles must be true or false")
    inherited = {}
    for name in _SOURCE_INHERITED:
        default = getattr(options, name)
        value = table.get(name, default)
        inherited[name] = _number(where, name, value, int if name == "max_items" else float)
    return Source(
        url=_url(where, table["url"]),
        outlet=outlet.strip(),
        tlp=_choice(where, "tlp", table["tlp"], TLP_LEVELS),
        reliability=_choice(where, "reliability", table.get("reliability", "F"), RELIABILITY, upper=True),
        kind=_choice(where, "kind", table.get("kind", "auto"), KINDS),
        fetch_articles=fetch_articles,
        **inherited,
    )


def parse_sources(text: str, name: str = "SOURCES.toml") -> tuple[WatchOptions, tuple[Source, ...]]:
    """Read a sources file's text; raises :class:`ConfigError` naming the file and the source at fault."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: not valid TOML ({exc})") from exc
    unknown = sorted(set(data) - {"watch", "source"})
    if unknown:
        raise ConfigError(f"{name}: unknown table {unknown[0]!r}; a sources file holds [watch] and [[source]] tables")
    options = _options(data.get("watch", {}), name)
    tables = data.get("source", [])
    if not isinstance(tables, list) or not tables:
        raise ConfigError(f"{name}: no [[source]] tables; add one with url, outlet and tlp")
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for index, table in enumerate(tables, start=1):
        where = f"{name}: source {index}"
        source = _source(table, where, options)
        if source.key in seen:
            raise ConfigError(f"{where}: url {source.url!r} is already source {seen[source.key]}; list each once")
        seen[source.key] = index
        sources.append(source)
    return options, tuple(sources)


def load_sources(path: Path) -> tuple[WatchOptions, tuple[Source, ...]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the sources file ({exc})") from exc
    return parse_sources(text, str(path))
