"""The exceptions watchfloor raises on purpose.

    WatchfloorError                 base: message says what, where, and how to fix
    ├── ConfigError                 a setting has a bad value
    ├── IngestError                 one input item could not be read (file + reason)
    ├── FetchError                  a URL could not be fetched, or was refused (url + reason; transient or not)
    ├── StoreError                  the store cannot be opened or is from a newer version
    └── DependencyError             an optional component is not installed (names the install command)

The CLI prints these without a traceback and exits non-zero.
"""

from __future__ import annotations

__all__ = ["ConfigError", "DependencyError", "FetchError", "IngestError", "StoreError", "WatchfloorError"]


class WatchfloorError(Exception):
    """Base class for errors that are shown to users as one clear line."""


class ConfigError(WatchfloorError):
    pass


class IngestError(WatchfloorError):
    """One item of a batch could not be ingested; the rest of the batch goes on."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class FetchError(WatchfloorError):
    """A URL could not be fetched or was refused. ``transient`` errors (timeouts, 5xx, a host that is down) are
    worth retrying at the next poll; the others (refused address, robots.txt, 404, too large) are not."""

    def __init__(self, url: str, reason: str, transient: bool = False, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.transient = transient
        self.status = status  # the HTTP status when the server answered with an error


class StoreError(WatchfloorError):
    pass


class DependencyError(WatchfloorError):
    pass
