"""The services' HTTP layer, on Starlette: one app per process, built by `http_app`, with the body
limit, bearer checks and JSON errors in one place, so every endpoint (and every later one) gets them
the same way.

Handlers raise `HttpError`; it becomes `{"error": message}` with its status. Unknown paths get
Starlette's plain 404, a wrong method its plain 405.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute

__all__ = ["HttpError", "http_app", "query_param", "require_bearer"]


class HttpError(Exception):
    """An answer other than success: `status` and a message the caller can act on."""

    def __init__(self, status: int, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def query_param(request: Request, name: str) -> str:
    value = request.query_params.get(name)
    if not value:
        raise HttpError(400, f"query parameter {name!r} is required")
    return value


def require_bearer(request: Request, expected: str | None, *, disabled: str) -> None:
    """Constant-time bearer check. With no token configured the endpoint is refused (403, `disabled`
    says which setting enables it)."""
    if expected is None:
        raise HttpError(403, disabled)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise HttpError(401, "missing or wrong bearer token", headers={"www-authenticate": "Bearer"})


def http_app(routes: Sequence[BaseRoute], *, max_request_bytes: int) -> Starlette:
    """The one Starlette app of a process: `routes`, request bodies capped at `max_request_bytes`
    (413 as soon as the declared or streamed size passes it), errors as JSON."""

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HttpError)
        return JSONResponse({"error": exc.message}, status_code=exc.status, headers=exc.headers)

    async def starlette_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 413:
            message = f"request body is over the limit of {max_request_bytes} bytes"
            return JSONResponse({"error": message}, status_code=413)
        return PlainTextResponse(exc.detail, status_code=exc.status_code, headers=exc.headers)

    return Starlette(
        routes=list(routes),
        exception_handlers={HttpError: http_error, HTTPException: starlette_error},
        max_body_size=max_request_bytes,
    )
