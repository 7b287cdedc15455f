"""The dashboard's screens and the API's composite answers, each one read of the store: a story with its
timeline, claims and competing figures; a document with the spans its claims rest on; an entity with its
aliases, mentions over time and co-occurring actors; the quantity tracker; located events; search; what
changed. Every one is limited to what the caller may see (see :mod:`.reads`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Any

from ..link.entities import fold_name
from ..store import ClaimFilter, Reader, StoryView
from .reads import Page, records, summaries
from .tokens import Caller

__all__ = ["Segment", "changes", "document_view", "entity_view", "located_events", "search", "segments",
           "stories", "story_view", "track_view", "tracks"]

STORY_CLAIMS = 300
#: an entity's spellings are read from the analyses of its latest reports (so many of them)
ALIAS_DOCUMENTS = 10


def _story_dict(story: Any, counts: dict[str, int] | None = None, changed: int | None = None) -> dict[str, Any]:
    return {"id": story.story_id, "title": story.title, "first_published": story.first_published,
            "last_published": story.last_published, "documents": story.doc_count,
            "status_counts": counts or {}, **({"changed": changed} if changed is not None else {})}


def _as_seen(reader: Reader, caller: Caller, story: StoryView) -> StoryView:
    """A story as a caller below ``red`` sees it, as ``report.tlp.within`` gives it: its visible documents only,
    their dates, and the title of its earliest visible document when the one it was named after is hidden."""
    if caller.levels is None:
        return story
    docs, total = reader.story_documents(story.story_id, 1000, caller.levels)
    if not docs or total == story.doc_count:
        return story
    published = sorted(d.published for d in docs if d.published)
    title = story.title
    if title not in {d.title for d in docs}:
        title = min(docs, key=lambda d: (d.published or "9999", d.id)).title
    return replace(story, title=title, doc_count=total, first_published=published[0] if published else None,
                   last_published=published[-1] if published else None)


def _head(head: Any) -> dict[str, Any]:
    return {"id": head.id, "title": head.title, "outlet": head.outlet, "published": head.published,
            "tlp": head.tlp, "language": head.language, "near_duplicate_of": head.near_duplicate_of}


def stories(reader: Reader, caller: Caller, limit: int, offset: int, changed_since: str | None = None) -> Page:
    """The story feed: the most recently reported first, or, with ``changed_since``, the stories with the most
    claims whose status appeared or changed since then."""
    rows: list[tuple[Any, int | None]]
    if changed_since is not None:
        ranked = reader.most_changed_stories(changed_since, limit + offset)[offset:]
        found = reader.stories_by_id([s for s, _ in ranked])
        rows = [(found[s], n) for s, n in ranked if s in found]
        total = len(rows) + offset
    else:
        views, total = reader.story_page(limit, offset, caller.levels)
        rows = [(v, None) for v in views]
    counts = reader.story_status_counts([v.story_id for v, _ in rows], caller.levels)
    return Page([_story_dict(_as_seen(reader, caller, v), counts.get(v.story_id), n) for v, n in rows], total, limit,
                offset)


def story_view(reader: Reader, caller: Caller, story_id: str, documents: int = 100) -> dict[str, Any] | None:
    """A story: its documents, the timeline of its events, its claims and its competing figures."""
    read = reader.story_with_documents(story_id, documents, caller.levels)
    if read is None:
        return None
    found, docs, doc_total = read
    if not docs:
        return None
    rows, total = reader.group_page(ClaimFilter(story_id=story_id, levels=caller.levels), STORY_CLAIMS,
                                    newest_first=False)
    items = summaries(reader, caller, rows)
    keys = {r.id: r.key for r in rows}
    events = [i for i in items if i["kind"] == "event"]
    claims = [i for i in items if i["kind"] != "event"]
    figures: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in claims:
        if item["kind"] == "quantity" and item["figure"] and not keys[item["id"]].startswith("quantity|-|"):
            figures[keys[item["id"]]].append(item)
    tracked = sorted((key, group) for key, group in figures.items() if len({g["figure"] for g in group}) > 1)
    subjects = _subjects(reader, [key for key, _ in tracked])
    competing = [{"track": key, "unit": group[0]["unit"], "subject": subjects.get(key), "figures": group}
                 for key, group in tracked]
    if caller.levels is None and len(rows) == total:  # every claim and event of the story is on the page
        counts = dict(sorted(Counter(r.status for r in rows).items()))
    else:
        counts = reader.story_status_counts([story_id], caller.levels).get(story_id, {})
    return {"story": _story_dict(_as_seen(reader, caller, found), counts), "documents": [_head(d) for d in docs],
            "documents_total": doc_total, "timeline": sorted(events, key=lambda e: (e["day"] or "9999", e["id"])),
            "claims": claims, "claims_total": total, "competing_figures": competing}


def _subjects(reader: Reader, keys: list[str]) -> dict[str, dict[str, Any]]:
    """The entity each figure's track (``quantity|subject|unit``) is about, by track (none for no subject)."""
    named = {key: key.split("|")[1] for key in keys if len(key.split("|")) >= 3 and key.split("|")[1] != "-"}
    rows = reader.entity_rows(set(named.values()))
    return {key: {"id": e, "name": rows[e].name if e in rows else e} for key, e in named.items()}


@dataclass(frozen=True)
class Segment:
    """A stretch of a document's text, and the claims and events that rest on it (none for plain text)."""

    start: int
    text: str
    claims: tuple[str, ...] = ()
    status: str = ""


def segments(text: str, spans: list[tuple[int, int, str, str]]) -> list[Segment]:
    """The text cut at every span boundary; each piece lists the claims whose evidence covers it."""
    cuts = {0, len(text)}
    for start, end, _, _ in spans:
        cuts.update((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    bounds = sorted(cuts)
    order = {"contested": 0, "single_source": 1, "corroborated": 2}
    out: list[Segment] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        if a == b:
            continue
        covering = [(g, s) for start, end, g, s in spans if start <= a and b <= end]
        ids = tuple(dict.fromkeys(g for g, _ in covering))
        status = min((s for _, s in covering), key=lambda s: order.get(s, 3), default="")
        out.append(Segment(a, text[a:b], ids, status))
    return out


def document_view(reader: Reader, caller: Caller, doc_id: str) -> dict[str, Any] | None:
    document = reader.document(doc_id)
    if document is None or document.tlp.rank > caller.ceiling.rank:
        return None
    spans = reader.document_spans(doc_id)
    link = reader.doc_links([doc_id]).get(doc_id)
    story = reader.stories_by_id([link.story_id]).get(link.story_id) if link and link.story_id else None
    story = _as_seen(reader, caller, story) if story else None
    return {
        "document": {"id": document.id, "title": document.title, "outlet": document.outlet, "url": document.url,
                     "published": document.published.isoformat() if document.published else None,
                     "author": document.author, "language": document.language, "tlp": document.tlp.value,
                     "near_duplicate_of": document.near_duplicate_of, "text": document.text,
                     "story": {"id": story.story_id, "title": story.title} if story else None,
                     "origin": link.origin if link else None},
        "spans": [{"claim_id": s.group_id, "start": s.start, "end": s.end, "kind": s.kind, "status": s.status}
                  for s in spans],
    }


def entity_view(reader: Reader, caller: Caller, entity_id: str, claims: int = 50) -> dict[str, Any] | None:
    """An entity: its names, how often it is mentioned by day, the actors it appears with, and its claims."""
    found = reader.entity_with_keys(entity_id)
    if found is None:
        key = reader.entity_keys([entity_id]).get(entity_id)
        found = reader.entity_with_keys(key.entity_id) if key else None
        if found is None:
            return None
    row, spelled = found
    aliases: dict[str, int] = defaultdict(int)
    keys = set(spelled) | {row.id}
    for named, words in reader.entity_recent_spellings(row.id, ALIAS_DOCUMENTS, caller.levels, spelled):
        if named in keys:
            aliases[words] += 1
    mentions = reader.entity_days(row.id, caller.levels)
    groups, total = reader.group_page(ClaimFilter(entity_ids=(row.id,), levels=caller.levels), claims)
    if caller.levels is not None and not mentions and not groups:
        return None
    shared = reader.co_occurring(row.id, 25, levels=caller.levels)
    return {
        "entity": {"id": row.id, "name": row.name, "type": row.type},
        "aliases": [{"name": n, "mentions": c} for n, c in sorted(aliases.items(), key=lambda x: (-x[1], x[0]))
                    if n != row.name],
        "aliases_from": ALIAS_DOCUMENTS,
        "mentions_by_day": [{"day": d, "documents": n} for d, n in mentions],
        "co_occurring": [{"id": c.id, "name": c.name if c.name is not None else c.id, "type": c.type or "",
                          "shared": c.shared} for c in shared],
        "claims": summaries(reader, caller, groups), "claims_total": total,
    }


def located_events(reader: Reader, caller: Caller, limit: int) -> Page:
    rows, total = reader.group_page(ClaimFilter(kinds=("event",), located=True, levels=caller.levels), limit)
    return Page(summaries(reader, caller, rows), total, limit, 0)


def tracks(reader: Reader, caller: Caller, limit: int = 50) -> list[dict[str, Any]]:
    """The figures reported more than once or by anyone: subject and unit, with how many claims give one."""
    found = reader.quantity_tracks(limit, caller.levels)
    subjects = reader.entity_rows({k.split("|")[1] for k, _ in found})
    out = []
    for key, n in found:
        _, subject, unit = key.split("|", 2)
        out.append({"track": key, "subject": {"id": subject, "name": subjects[subject].name if subject in subjects
                                              else subject}, "unit": unit, "claims": n})
    return out


def _value(quantity: dict[str, Any]) -> float | None:
    if quantity.get("value") is not None:
        return float(quantity["value"])
    if quantity.get("low") is not None and quantity.get("high") is not None:
        return (float(quantity["low"]) + float(quantity["high"])) / 2
    return None


def track_view(reader: Reader, caller: Caller, track: str) -> dict[str, Any] | None:
    """Every estimate of one figure, one point per report: when, how many, according to whom, the claim."""
    ids = reader.groups_by_key(track, caller.levels)
    if not ids or not track.startswith("quantity|"):
        return None
    items = records(reader, caller, ids)
    heads = reader.document_heads({e["doc_id"] for i in items for e in i["evidence"]})
    points = []
    for item in items:
        for report in item["evidence"]:
            claim = report["claim"]
            quantity = claim.get("quantity") or {}
            value = _value(quantity)
            if value is None:
                continue
            head = heads.get(report["doc_id"])
            when = (claim.get("date") or {}).get("start") or (head.published[:10] if head and head.published else None)
            chain = report["attributed_to"]
            points.append({"claim_id": item["id"], "day": when, "value": value, "low": quantity.get("low"),
                           "high": quantity.get("high"), "approximate": bool(quantity.get("approximate")),
                           "according_to": chain[-1]["name"] if chain else report["outlet"],
                           "outlet": report["outlet"], "doc_id": report["doc_id"], "status": item["status"],
                           "modality": claim["modality"], "sentence": report["text"]})
    points.sort(key=lambda p: (p["day"] or "9999", p["value"]))
    _, subject, unit = track.split("|", 2)
    name = reader.entity_rows([subject]).get(subject)
    return {"track": track, "subject": {"id": subject, "name": name.name if name else subject}, "unit": unit,
            "points": points}


def search(reader: Reader, caller: Caller, query: str, limit: int) -> dict[str, Any]:
    """Documents, claims and entities matching the words."""
    docs = reader.search(query, limit, caller.levels)
    claims = reader.search_claims(query, limit, levels=caller.levels)
    folded = fold_name(query) if query.strip() else ""
    found = reader.find_entities(folded, 10) if folded else []

    def hit(h: Any) -> dict[str, Any]:
        return {"doc_id": h.doc_id, "title": h.title, "outlet": h.outlet, "published": h.published,
                "snippet": h.snippet, "stance": h.stance or None}

    return {"query": query, "documents": [hit(h) for h in docs], "claims": [hit(h) for h in claims],
            "entities": [{"id": f.id, "name": f.name, "type": f.type, "mentions": f.mentions} for f in found]}


def changes(reader: Reader, caller: Caller, since: str | None, limit: int) -> dict[str, Any]:
    """Status changes after ``since``, the latest first, each with the claim it happened to."""
    rows = reader.changes(since, limit, caller.levels)
    listed, _ = reader.group_page(ClaimFilter(ids=tuple({r.group_id for r in rows})), len(rows) or 1)
    claims = {s["id"]: s for s in summaries(reader, caller, listed)}
    return {"since": since, "changes": [
        {"claim_id": r.group_id, "status": r.status, "previous": r.previous, "changed_at": r.changed_at,
         "reason": r.reason, "claim": claims.get(r.group_id)} for r in rows if r.group_id in claims]}

