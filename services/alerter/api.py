"""The alerter's HTTP API (plain ASGI, mounted beside /metrics):

- `GET /subscriptions`, `POST /subscriptions` (JSON body: a WebhookSubscription),
  `DELETE /subscriptions?id=ID` — bearer STRIKEWATCH_API_TOKEN on every call; refused (403) when no
  token is configured; secrets are masked in every answer.
- `GET /alerts/cap?id=ALERT_ID` — the incident's latest version as CAP 1.2 XML;
  `GET /alerts/json?id=ALERT_ID` — the same as Alert JSON. No token: alerts are public.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from faststream.asgi.types import ASGIApp, Receive, Scope, Send
from pydantic import ValidationError
from redis.asyncio import Redis

from schemas import WebhookSubscription
from services.alerter.commands import current_alert
from services.alerter.render import to_cap_xml
from services.alerter.webhooks.subscriptions import SubscriptionConflict, SubscriptionStore, public_view
from services.common.settings import Settings


class HttpError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


async def _send(
    send: Send, status: int, body: bytes, content_type: str, extra: list[tuple[bytes, bytes]]
) -> None:
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode()), *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _send_json(
    send: Send, status: int, data: Any, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    await _send(send, status, json.dumps(data).encode(), "application/json", extra or [])


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _query(scope: Scope) -> dict[str, list[str]]:
    raw: bytes = scope.get("query_string", b"")
    return parse_qs(raw.decode("latin-1"))


def _one(scope: Scope, name: str) -> str:
    values = _query(scope).get(name)
    if not values or not values[0]:
        raise HttpError(400, f"query parameter {name!r} is required")
    return values[0]


async def _read_body(scope: Scope, receive: Receive, limit: int) -> bytes:
    declared = _headers(scope).get("content-length")
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


def _authorize(scope: Scope, settings: Settings) -> None:
    if settings.api_token is None:
        raise HttpError(403, "the subscription API is disabled: set STRIKEWATCH_API_TOKEN")
    given = _headers(scope).get("authorization", "")
    scheme, _, token = given.partition(" ")
    expected = settings.api_token.get_secret_value().encode()
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected):
        raise HttpError(401, "missing or wrong bearer token")


Handler = Callable[[Scope, Receive, Send], Awaitable[None]]


def _guarded(handler: Handler) -> ASGIApp:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await handler(scope, receive, send)
        except HttpError as exc:
            extra = [(b"www-authenticate", b"Bearer")] if exc.status == 401 else []
            await _send_json(send, exc.status, {"error": exc.message}, extra)

    return app


def subscriptions_app(store: SubscriptionStore, settings: Settings) -> ASGIApp:
    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        _authorize(scope, settings)
        method = scope["method"]
        if method == "GET":
            items = [public_view(sub, source) for sub, source in await store.all()]
            await _send_json(send, 200, items)
        elif method == "POST":
            body = await _read_body(scope, receive, settings.max_request_bytes)
            try:
                subscription = WebhookSubscription.model_validate_json(body)
            except ValidationError as exc:
                errors = [
                    {"loc": list(err["loc"]), "msg": err["msg"]} for err in exc.errors(include_input=False)
                ]
                raise HttpError(422, f"invalid subscription: {json.dumps(errors)}") from None
            try:
                await store.add(subscription)
            except SubscriptionConflict as exc:
                raise HttpError(409, str(exc)) from None
            await _send_json(send, 201, public_view(subscription, "api"))
        elif method == "DELETE":
            sub_id = _one(scope, "id")
            try:
                removed = await store.remove(sub_id)
            except SubscriptionConflict as exc:
                raise HttpError(409, str(exc)) from None
            if not removed:
                raise HttpError(404, f"no subscription {sub_id!r}")
            await _send(send, 204, b"", "application/json", [])
        else:
            raise HttpError(405, f"method {method} not allowed; use GET, POST or DELETE")

    return _guarded(handle)


def alert_app(redis: Redis, settings: Settings, *, fmt: str) -> ASGIApp:
    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "GET":
            raise HttpError(405, "use GET")
        alert_id = _one(scope, "id")
        alert = await current_alert(redis, settings, alert_id)
        if alert is None:
            raise HttpError(404, f"no alert {alert_id!r}")
        if fmt == "cap":
            body = to_cap_xml(alert, sender=settings.cap_sender).encode("utf-8")
            await _send(send, 200, body, "application/cap+xml", [])
        else:
            await _send(send, 200, alert.model_dump_json().encode(), "application/json", [])

    return _guarded(handle)


def routes(redis: Redis, settings: Settings, store: SubscriptionStore) -> list[tuple[str, ASGIApp]]:
    return [
        ("/subscriptions", subscriptions_app(store, settings)),
        ("/alerts/cap", alert_app(redis, settings, fmt="cap")),
        ("/alerts/json", alert_app(redis, settings, fmt="json")),
    ]
