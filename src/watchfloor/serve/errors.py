"""One error shape for every error the server gives, whatever raised it.

    {"error": {"status": 404, "code": "not_found", "message": "no claim c1234", "details": []}}

Routes raise :class:`ApiError`; FastAPI's validation errors (422), Starlette's HTTP errors (404 for unknown
paths, 405), the size limit (413), a store that cannot be read (503) and anything unexpected (500, without
the traceback) all come out in this shape. Pages (paths outside ``/api`` asked for by a browser) get the same
facts as an HTML page.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import StoreError, WatchfloorError

__all__ = ["ApiError", "ErrorBody", "error_response", "install_handlers"]

log = logging.getLogger("watchfloor.serve")

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid_request",
         500: "internal_error", 503: "store_unavailable"}


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    details: list[dict[str, Any]] = []


class ErrorBody(BaseModel):
    """What every error response carries."""

    error: ErrorDetail


class ApiError(Exception):
    def __init__(self, status: int, message: str, details: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details or []
        self.headers = headers or {}


def _wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api") or path.startswith("/taxii") or path.startswith("/openapi"):
        return False
    return "text/html" in request.headers.get("accept", "")


def error_response(request: Request | None, status: int, message: str, details: list[dict[str, Any]] | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    body = ErrorBody(error=ErrorDetail(status=status, code=CODES.get(status, "error"), message=message,
                                       details=details or []))
    if request is not None and _wants_html(request):
        templates = getattr(request.app.state, "templates", None)
        if templates is not None:
            return templates.TemplateResponse(request, "error.html", {"error": body.error, "who": None}, status_code=status,
                                              headers=headers)
        return HTMLResponse(f"<h1>{status}</h1>", status_code=status, headers=headers)
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _clean(errors: list[Any]) -> list[dict[str, Any]]:
    """Validation errors without the echoed input (it may be large, or hostile)."""
    return [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in errors]


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc.status, exc.message, exc.details, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, "the request does not match what this endpoint takes",
                              _clean(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else CODES.get(exc.status_code, "error")
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        return error_response(request, exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        log.warning("store error: %s", exc)
        return error_response(request, 503, str(exc))

    @app.exception_handler(WatchfloorError)
    async def watchfloor_error(request: Request, exc: WatchfloorError) -> Response:
        return error_response(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "the server failed to answer this request; the log says why")
