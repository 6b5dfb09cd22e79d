"""Small ASGI helpers for the services' own endpoints: capped bodies, JSON replies, bearer tokens.

Handlers raise `HttpError`; `guarded` turns it into a JSON reply, so no handler writes error
responses by hand.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from faststream.asgi.types import ASGIApp, Receive, Scope, Send

Handler = Callable[[Scope, Receive, Send], Awaitable[None]]


class HttpError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


async def respond(
    send: Send, status: int, body: bytes, content_type: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": [*headers, *(extra or [])]})
    await send({"type": "http.response.body", "body": body})


async def respond_json(
    send: Send, status: int, data: Any, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    await respond(send, status, json.dumps(data).encode(), "application/json", extra)


def headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def query_param(scope: Scope, name: str) -> str:
    raw: bytes = scope.get("query_string", b"")
    values = parse_qs(raw.decode("latin-1")).get(name)
    if not values or not values[0]:
        raise HttpError(400, f"query parameter {name!r} is required")
    return values[0]


async def read_body(scope: Scope, receive: Receive, limit: int) -> bytes:
    """The request body; 413 as soon as it (or its declared length) passes `limit` bytes."""
    declared = headers(scope).get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HttpError(413, f"request body is {declared} bytes; the limit is {limit}")
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise HttpError(400, "client disconnected")
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise HttpError(413, f"request body is over the limit of {limit} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def require_bearer(scope: Scope, expected: str | None, *, disabled: str) -> None:
    """Constant-time bearer check. With no token configured the endpoint is refused (403, `disabled`
    says which setting enables it)."""
    if expected is None:
        raise HttpError(403, disabled)
    scheme, _, token = headers(scope).get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise HttpError(401, "missing or wrong bearer token")


def guarded(handler: Handler) -> ASGIApp:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await handler(scope, receive, send)
        except HttpError as exc:
            extra = [(b"www-authenticate", b"Bearer")] if exc.status == 401 else []
            await respond_json(send, exc.status, {"error": exc.message}, extra)

    return app
