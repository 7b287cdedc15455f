"""``watchfloor push --taxii URL``: send a STIX bundle to a partner's TAXII 2.1 collection.

The URL is a collection (``…/api-root/collections/<id>/``) or an API root, with the collection then named by id
or title (or found alone among the writable ones). Authentication is HTTP Basic, as TAXII 2.1 specifies. The
objects go in envelopes no larger than the API root's ``max_content_length``; the server's status for each
envelope is read back, and objects it refused are reported rather than ignored. Re-pushing the same export
duplicates nothing: ids and ``modified`` times are deterministic, so the server sees versions it already holds
(medallion refuses them again and counts them as failures).

The two extension-definition objects that declare the claim and event types are left out unless asked for:
medallion (the OASIS reference server, 3.0.0 and its current source) reads an object's ``version`` property as
a manifest timestamp, and an extension-definition has one ("1.0.0"), after which every read of the collection
fails. The objects still name their extension; the definitions travel in ``watchfloor export --format stix``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..errors import DependencyError, WatchfloorError

__all__ = ["PushError", "PushReport", "push_bundle"]

#: used when the API root does not say (TAXII servers commonly accept about 10 MB)
_DEFAULT_MAX_BYTES = 8_000_000


class PushError(WatchfloorError):
    """The TAXII server could not be reached, refused the credentials, or has no such collection."""


@dataclass
class PushReport:
    collection: str
    sent: int = 0
    envelopes: int = 0
    succeeded: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)


_EMPTY = len(json.dumps({"objects": []}).encode("utf-8"))


def _envelopes(objects: list[dict[str, Any]], max_bytes: int) -> list[bytes]:
    """Objects in envelopes, serialised, each at most ``max_bytes`` long."""
    chunks: list[list[str]] = [[]]
    size = _EMPTY
    for obj in objects:
        text = json.dumps(obj, ensure_ascii=False)
        cost = len(text.encode("utf-8")) + 2  # and the ", " that separates it from the next
        if cost + _EMPTY > max_bytes:
            raise PushError(f"object {obj.get('id')} alone is {cost} bytes, over the server's limit of {max_bytes}")
        if chunks[-1] and size + cost > max_bytes:
            chunks.append([])
            size = _EMPTY
        chunks[-1].append(text)
        size += cost
    return [('{"objects": [' + ", ".join(chunk) + "]}").encode("utf-8") for chunk in chunks if chunk]


def _collection(url: str, name: str | None, user: str | None, password: str | None) -> tuple[Any, int]:
    from taxii2client.v21 import ApiRoot, Collection

    if "/collections/" in url:
        collection = Collection(url, user=user, password=password)
        root_url = url[: url.index("/collections/") + 1]
        root = ApiRoot(root_url, user=user, password=password)
        return collection, root.max_content_length or _DEFAULT_MAX_BYTES
    root = ApiRoot(url, user=user, password=password)
    writable = [c for c in root.collections if c.can_write]
    chosen = [c for c in writable if name in (c.id, c.title)] if name else writable
    if len(chosen) != 1:
        titles = ", ".join(f"{c.title} ({c.id})" for c in writable) or "none"
        reason = f"no writable collection named {name!r}" if name else "several writable collections"
        raise PushError(f"{url}: {reason}; writable collections: {titles}. Name one with --collection.")
    return chosen[0], root.max_content_length or _DEFAULT_MAX_BYTES


def push_bundle(bundle: dict[str, Any], url: str, *, collection: str | None = None, user: str | None = None,
                password: str | None = None, definitions: bool = False, timeout: float = 60) -> PushReport:
    """Add the objects of ``bundle`` to the TAXII 2.1 collection at ``url``; extension-definition objects only
    with ``definitions`` (see the module docstring)."""
    try:
        from requests.exceptions import RequestException
        from taxii2client.exceptions import TAXIIServiceException
    except ImportError:
        raise DependencyError("pushing to TAXII needs taxii2-client: pip install 'watchfloor[share]'") from None
    try:
        target, max_bytes = _collection(url.rstrip("/") + "/", collection, user, password)
        report = PushReport(collection=f"{target.title} ({target.id})")
        objects = [o for o in bundle["objects"] if definitions or o["type"] != "extension-definition"]
        report.sent = len(objects)
        for envelope in _envelopes(objects, max_bytes):
            status = target.add_objects(envelope, wait_for_completion=True, poll_interval=0.2, timeout=timeout)
            report.envelopes += 1
            report.succeeded += status.success_count
            report.failed += status.failure_count
            report.failures += [f"{f.get('id')}: {f.get('message', 'refused')}" for f in status.failures or []]
    except (TAXIIServiceException, RequestException) as exc:
        raise PushError(f"TAXII push to {url} failed: {exc}") from None
    return report
