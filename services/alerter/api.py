"""The alerter's HTTP API (plain ASGI, mounted beside /metrics):

- `GET /subscriptions`, `POST /subscriptions` (JSON body: a WebhookSubscription),
  `DELETE /subscriptions?id=ID` — bearer STRIKEWATCH_API_TOKEN on every call; refused (403) when no
  token is configured; secrets are masked in every answer.
- `GET /alerts/cap?id=ALERT_ID` — the incident's latest version as CAP 1.2 XML;
  `GET /alerts/json?id=ALERT_ID` — the same as Alert JSON. No token: alerts are public.
"""

from __future__ import annotations

import json

from faststream.asgi.types import ASGIApp, Receive, Scope, Send
from pydantic import ValidationError
from redis.asyncio import Redis

from schemas import WebhookSubscription
from services.alerter.commands import current_alert
from services.alerter.render import to_cap_xml
from services.alerter.webhooks.subscriptions import SubscriptionConflict, SubscriptionStore, public_view
from services.common.http import (
    HttpError,
    guarded,
    query_param,
    read_body,
    require_bearer,
    respond,
    respond_json,
)
from services.common.settings import Settings


def _authorize(scope: Scope, settings: Settings) -> None:
    token = settings.api_token.get_secret_value() if settings.api_token else None
    require_bearer(scope, token, disabled="the subscription API is disabled: set STRIKEWATCH_API_TOKEN")


def subscriptions_app(store: SubscriptionStore, settings: Settings) -> ASGIApp:
    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        _authorize(scope, settings)
        method = scope["method"]
        if method == "GET":
            items = [public_view(sub, source) for sub, source in await store.all()]
            await respond_json(send, 200, items)
        elif method == "POST":
            body = await read_body(scope, receive, settings.max_request_bytes)
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
            await respond_json(send, 201, public_view(subscription, "api"))
        elif method == "DELETE":
            sub_id = query_param(scope, "id")
            try:
                removed = await store.remove(sub_id)
            except SubscriptionConflict as exc:
                raise HttpError(409, str(exc)) from None
            if not removed:
                raise HttpError(404, f"no subscription {sub_id!r}")
            await respond(send, 204, b"", "application/json")
        else:
            raise HttpError(405, f"method {method} not allowed; use GET, POST or DELETE")

    return guarded(handle)


def alert_app(redis: Redis, settings: Settings, *, fmt: str) -> ASGIApp:
    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "GET":
            raise HttpError(405, "use GET")
        alert_id = query_param(scope, "id")
        alert = await current_alert(redis, settings, alert_id)
        if alert is None:
            raise HttpError(404, f"no alert {alert_id!r}")
        if fmt == "cap":
            body = to_cap_xml(alert, sender=settings.cap_sender).encode("utf-8")
            await respond(send, 200, body, "application/cap+xml")
        else:
            await respond(send, 200, alert.model_dump_json().encode(), "application/json")

    return guarded(handle)


def routes(redis: Redis, settings: Settings, store: SubscriptionStore) -> list[tuple[str, ASGIApp]]:
    return [
        ("/subscriptions", subscriptions_app(store, settings)),
        ("/alerts/cap", alert_app(redis, settings, fmt="cap")),
        ("/alerts/json", alert_app(redis, settings, fmt="json")),
    ]
