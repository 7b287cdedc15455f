"""The exceptions watchfloor raises on purpose.

    WatchfloorError                 base: message says what, where, and how to fix
    ├── ConfigError                 a setting has a bad value
    ├── IngestError                 one input item could not be read (file + reason)
    ├── StoreError                  the store cannot be opened or is from a newer version
    └── DependencyError             an optional component is not installed (names the install command)

The CLI prints these without a traceback and exits non-zero.
"""

from __future__ import annotations

__all__ = ["ConfigError", "DependencyError", "IngestError", "StoreError", "WatchfloorError"]


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


class StoreError(WatchfloorError):
    pass


class DependencyError(WatchfloorError):
    pass
