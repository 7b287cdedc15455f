"""What every response carries and every request is held to, before any route runs.

- Headers: a Content-Security-Policy that lets the pages run only the scripts served from here (no inline
  script, no ``eval``, nothing from another host), no framing, no sniffing, no referrer.
- Size: a request body larger than its limit is refused with 413 in the one error shape, whether it announces
  its length or streams it (uploads have their own, larger limit).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .errors import TAXII_MEDIA_TYPE, is_taxii, taxii_error

__all__ = ["CSP", "Guard"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

#: the one stylesheet a library writes into the page itself (cytoscape 3.33.1's container rules), allowed by its
#: digest rather than by allowing inline styles; the browser tests fail on any other inline style or script
CYTOSCAPE_STYLE = "'sha256-pgvDUBa4IjFA2yuSJ2cqcyxmNYJMborsd0ORcRv9vw8='"

CSP = ("default-src 'self'; script-src 'self'; "
       f"style-src 'self' {CYTOSCAPE_STYLE}; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")

_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def _refusal(status: int, code: str, message: str, path: str = "") -> tuple[bytes, list[tuple[bytes, bytes]]]:
    if is_taxii(path):
        body, media = json.dumps(taxii_error(status, message)).encode(), TAXII_MEDIA_TYPE.encode()
    else:
        body = json.dumps({"error": {"status": status, "code": code, "message": message, "details": []}}).encode()
        media = b"application/json"
    return body, [(b"content-type", media), (b"content-length", str(len(body)).encode())]


def _too_large(limit: int, path: str) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    return _refusal(413, "too_large", f"the request body is larger than this endpoint takes ({limit:,} bytes)", path)


def _has_nul(scope: Scope) -> bool:
    """A NUL character in the address or its query: no text holds one (PostgreSQL cannot even compare it)."""
    return "\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b"").lower()


class Guard:
    """ASGI middleware: security headers on every response, a body size limit on every request."""

    def __init__(self, app: App, max_body: int, max_upload: int, upload_paths: tuple[str, ...]) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload
        self.upload_paths = upload_paths

    def _limit(self, scope: Scope) -> int:
        return self.max_upload if scope.get("path", "") in self.upload_paths else self.max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        refused = False
        if _has_nul(scope):
            body, headers = _refusal(422, "invalid_character", "a NUL character is not allowed in an address or a query",
                                     scope.get("path", ""))
            await send({"type": "http.response.start", "status": 422, "headers": headers + _HEADERS})
            await send({"type": "http.response.body", "body": body})
            return

        async def send_with_headers(message: Message) -> None:
            if refused:
                return  # the 413 has been sent; what the app makes of the cut-off body is dropped
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in _HEADERS if h[0] not in names]
            await send(message)

        async def refuse() -> None:
            nonlocal refused
            body, headers = _too_large(limit, scope.get("path", ""))
            await send_with_headers({"type": "http.response.start", "status": 413, "headers": headers})
            await send_with_headers({"type": "http.response.body", "body": body})
            refused = True

        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    announced = int(value)
                except ValueError:
                    announced = limit + 1
                if announced > limit:
                    await refuse()
                    return
        received = 0

        async def counted() -> Message:
            nonlocal received
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    await refuse()  # a body that did not announce its length, cut off where it passes the limit
                    return {"type": "http.disconnect"}
            return message

        await self.app(scope, counted, send_with_headers)
