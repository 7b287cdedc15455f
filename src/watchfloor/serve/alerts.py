"""The watch rules' alerts, as the API and the dashboard list them: newest first, a page at a time, by rule,
cut to the caller's TLP ceiling. An alert carries the level of the documents its claim or event rested on when it
was raised (the most restrictive one: its summary, sources and links come from all of them), so an alert about
amber material never reaches a green reader, and the total counts only what the caller may see."""

from __future__ import annotations

import json
from typing import Any

from ..store import Reader
from .tokens import Caller

__all__ = ["alert_page"]


def alert_page(reader: Reader, who: Caller, limit: int, offset: int = 0, rule: str | None = None) -> dict[str, Any]:
    rows, total = reader.alerts_page(limit, offset, rule, who.levels)
    items = []
    for row in rows:
        data = json.loads(row.data)
        items.append({"key": row.key, "rule": row.rule, "kind": data["kind"], "record_id": row.record_id,
                      "reason": data["reason"], "summary": data["summary"], "status": data["status"],
                      "sources": data["sources"], "doc_ids": data["doc_ids"], "urls": data["urls"],
                      "created_at": row.created_at, "tlp": row.tlp})
    return {"items": items, "total": total, "limit": limit, "offset": offset}
