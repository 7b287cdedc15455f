"""Store: the only code that knows SQL. SQLite (one file, WAL, FTS5) or PostgreSQL (tsvector + GIN), one
code path (SQLAlchemy Core), versioned migrations, one writer at a time. See README.md in this folder."""

from .desk import NoteRow, TokenRow
from .documents import NewDocument
from .engine import StoreLockedError
from .linked import LinkedRow
from .rows import (
    DocLink,
    EntityKeyRow,
    EntityRow,
    FigureRow,
    GradeHistoryRow,
    GroupRow,
    HistoryRow,
    OccurrenceRow,
    OriginRow,
    SearchHit,
    SourceGradeRow,
    StoryMemberRow,
    StoryRow,
    StoryView,
    TermRow,
)
from .store import DEFAULT_LOCK_TIMEOUT, DeferredReader, Reader, Store, Writer, open_store
from .views import ClaimFilter, DocHead, DocSpan, GroupSummary
from .watch import AlertRow, NewAlert, WatchItemRow, WatchSourceRow

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "AlertRow",
    "NewAlert",
    "WatchItemRow",
    "WatchSourceRow",
    "ClaimFilter",
    "DocHead",
    "DocSpan",
    "GroupSummary",
    "NoteRow",
    "TokenRow",
    "DocLink",
    "FigureRow",
    "EntityKeyRow",
    "EntityRow",
    "GradeHistoryRow",
    "GroupRow",
    "HistoryRow",
    "LinkedRow",
    "NewDocument",
    "OccurrenceRow",
    "OriginRow",
    "DeferredReader",
    "Reader",
    "SearchHit",
    "SourceGradeRow",
    "Store",
    "StoreLockedError",
    "StoryMemberRow",
    "StoryRow",
    "StoryView",
    "TermRow",
    "Writer",
    "open_store",
]
