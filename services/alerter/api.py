"""The alerter's HTTP API (Starlette routes, served beside /metrics):

- `GET /subscriptions`, `POST /subscriptions` (JSON body: a WebhookSubscription),
  `DELETE /subscriptions?id=ID` — bearer STRIKEWATCH_API_TOKEN on every call; refused (403) when no
  token is configured; secrets are masked in every answer.
- `GET /alerts/cap?id=ALERT_ID` — the incident's latest version as CAP 1.2 XML;
  `GET /alerts/json?id=ALERT_ID` — the same as Alert JSON. No token: alerts are public.
"""

from __future__ import annotations

import json

from pydantic import ValidationError
from redis.asyncio import Redis
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from schemas import WebhookSubscription
from services.alerter.commands import current_alert
from services.alerter.render import to_cap_xml
from services.alerter.webhooks.subscriptions import SubscriptionConflict, SubscriptionStore, public_view
from services.common.http import HttpError, query_param, require_bearer
from services.common.settings import Settings


def _authorize(request: Request, settings: Settings) -> None:
    token = settings.api_token.get_secret_value() if settings.api_token else None
    require_bearer(request, token, disabled="the subscription API is disabled: set STRIKEWATCH_API_TOKEN")


def subscriptions_route(store: SubscriptionStore, settings: Settings) -> Route:
    async def subscriptions(request: Request) -> Response:
        _authorize(request, settings)
        if request.method == "GET":
            return JSONResponse([public_view(sub, source) for sub, source in await store.all()])
        if request.method == "POST":
            try:
                subscription = WebhookSubscription.model_validate_json(await request.body())
            except ValidationError as exc:
                errors = [
                    {"loc": list(err["loc"]), "msg": err["msg"]} for err in exc.errors(include_input=False)
                ]
                raise HttpError(422, f"invalid subscription: {json.dumps(errors)}") from None
            try:
                await store.add(subscription)
            except SubscriptionConflict as exc:
                raise HttpError(409, str(exc)) from None
            return JSONResponse(public_view(subscription, "api"), status_code=201)
        sub_id = query_param(request, "id")  # DELETE
        try:
            removed = await store.remove(sub_id)
        except SubscriptionConflict as exc:
            raise HttpError(409, str(exc)) from None
        if not removed:
            raise HttpError(404, f"no subscription {sub_id!r}")
        return Response(status_code=204)

    return Route("/subscriptions", subscriptions, methods=["GET", "POST", "DELETE"])


def alert_route(redis: Redis, settings: Settings, *, fmt: str) -> Route:
    async def alert(request: Request) -> Response:
        alert_id = query_param(request, "id")
        found = await current_alert(redis, settings, alert_id)
        if found is None:
            raise HttpError(404, f"no alert {alert_id!r}")
        if fmt == "cap":
            xml = to_cap_xml(found, sender=settings.cap_sender).encode("utf-8")
            return Response(xml, media_type="application/cap+xml")
        return Response(found.model_dump_json(), media_type="application/json")

    return Route(f"/alerts/{fmt}", alert, methods=["GET"])


def routes(redis: Redis, settings: Settings, store: SubscriptionStore) -> list[BaseRoute]:
    return [
        subscriptions_route(store, settings),
        alert_route(redis, settings, fmt="cap"),
        alert_route(redis, settings, fmt="json"),
    ]
