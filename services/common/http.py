"""Small ASGI helpers for the services' own endpoints: capped bodies, JSON replies, bearer tokens."""

from __future__ import annotations

import hmac
import json
from typing import Any

from faststream.asgi.types import Receive, Scope, Send


class BodyTooLarge(Exception):
    pass


async def read_body(receive: Receive, limit: int) -> bytes:
    """The request body, refusing (BodyTooLarge) as soon as it passes `limit` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"request body is over the limit of {limit} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def respond(send: Send, status: int, body: Any, content_type: str = "application/json") -> None:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type.encode()),
                (b"content-length", str(len(data)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


def bearer_token(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" else None
    return None


def token_matches(scope: Scope, expected: str | None) -> bool:
    """Constant-time comparison; with no token configured nothing matches (writes are refused)."""
    given = bearer_token(scope)
    if expected is None or given is None:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())
