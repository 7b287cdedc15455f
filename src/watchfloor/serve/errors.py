"""One error shape for every error the server gives, whatever raised it.

    {"error": {"status": 404, "code": "not_found", "message": "no claim c1234", "details": []}}

Routes raise :class:`ApiError`; FastAPI's validation errors (422), Starlette's HTTP errors (404 for unknown
paths, 405), the size limit (413), a store that cannot be read (503) and anything unexpected (500, without
the traceback) all come out in this shape. Pages (paths outside ``/api`` asked for by a browser) get the same
facts as an HTML page. Under ``/taxii2/`` the same facts come out as TAXII 2.1 error messages, in TAXII's media
type, as TAXII clients expect:

    {"title": "Not Found", "description": "no object ... in this collection", "http_status": "404"}
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import StoreError, WatchfloorError

__all__ = ["TAXII_MEDIA_TYPE", "ApiError", "ErrorBody", "error_response", "install_handlers", "is_taxii",
           "taxii_error"]

log = logging.getLogger("watchfloor.serve")

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid_request",
         500: "internal_error", 503: "store_unavailable"}


#: the media type of everything under /taxii2/, errors included
TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1"


def is_taxii(path: str) -> bool:
    return path == "/taxii2" or path.startswith("/taxii2/")


def taxii_error(status: int, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A TAXII 2.1 error message (section 3.6.1 of the specification)."""
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = CODES.get(status, "error")
    body: dict[str, Any] = {"title": title, "description": message, "http_status": str(status)}
    if details:
        body["details"] = {"errors": details}
    return body


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
    if request is not None and is_taxii(request.url.path):
        return JSONResponse(taxii_error(status, message, details), status_code=status, headers=headers,
                            media_type=TAXII_MEDIA_TYPE)
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
