"""The services' HTTP layer, on Starlette: one app per process, built by `http_app`, with the body
limit, bearer checks and JSON errors in one place, so every endpoint (and every later one) gets them
the same way.

Handlers raise `HttpError`; it becomes `{"error": message}` with its status. A Redis that cannot be
reached (refused, timed out, loading) becomes a 503 of the same shape with `Retry-After`, on every
endpoint. Unknown paths get Starlette's plain 404, a wrong method its plain 405.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute

from services.common.retry import REDIS_DOWN

__all__ = ["HttpError", "http_app", "query_param", "redis_unavailable", "require_bearer"]


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


def redis_unavailable(exc: BaseException, *, retry_after_s: int) -> HttpError:
    """The 503 an endpoint answers when Redis cannot be reached (`exc`: the error, or the bounded
    wait running out)."""
    why = "no answer in time" if isinstance(exc, TimeoutError) and not exc.args else type(exc).__name__
    return HttpError(
        503,
        f"Redis is unreachable ({why}); retry after {retry_after_s}s (resending a request is safe)",
        headers={"retry-after": str(retry_after_s)},
    )


def http_app(routes: Sequence[BaseRoute], *, max_request_bytes: int, retry_after_s: int = 5) -> Starlette:
    """The one Starlette app of a process: `routes`, request bodies capped at `max_request_bytes`
    (413 as soon as the declared or streamed size passes it), errors as JSON; Redis unreachable is
    a 503 with `Retry-After: retry_after_s` (it was Starlette's plain-text 500)."""

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HttpError)
        return JSONResponse({"error": exc.message}, status_code=exc.status, headers=exc.headers)

    async def starlette_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 413:
            message = f"request body is over the limit of {max_request_bytes} bytes"
            return JSONResponse({"error": message}, status_code=413)
        return PlainTextResponse(exc.detail, status_code=exc.status_code, headers=exc.headers)

    async def redis_error(request: Request, exc: Exception) -> Response:
        return await http_error(request, redis_unavailable(exc, retry_after_s=retry_after_s))

    handlers: dict[type[Exception], Any] = {HttpError: http_error, HTTPException: starlette_error}
    handlers.update(dict.fromkeys(REDIS_DOWN, redis_error))
    return Starlette(
        routes=list(routes),
        exception_handlers=handlers,
        max_body_size=max_request_bytes,
    )
