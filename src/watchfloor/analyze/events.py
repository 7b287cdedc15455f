"""PLOVER events from the dependency parse (filled in by the events work)."""

from __future__ import annotations

from spacy.tokens import Doc

from ..model import DateMention, EntityRef, Event, Mention
from .attribution import FoundAttribution

__all__ = ["extract_events"]


def extract_events(doc: Doc, doc_id: str, mentions: list[Mention], dates: tuple[DateMention, ...],
                   attributions: list[FoundAttribution], outlet: EntityRef) -> tuple[Event, ...]:
    return ()
