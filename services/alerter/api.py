"""The alerter's HTTP API (Starlette routes, served beside /metrics):

- `/subscriptions` and `/subscriptions/{id}`: the webhook subscription API (see
  `services.alerter.webhooks.routes`); bearer STRIKEWATCH_API_TOKEN on every call, refused (403)
  when no token is configured; secrets and URL credentials are masked in every answer.
- `GET /alerts/cap?id=ALERT_ID` — the incident's latest version as CAP 1.2 XML;
  `GET /alerts/json?id=ALERT_ID` — the same as Alert JSON. No token: alerts are public.
"""

from __future__ import annotations

from redis.asyncio import Redis
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from services.alerter.commands import current_alert
from services.alerter.render import to_cap_xml
from services.alerter.webhooks.jobs import DeliveryQueue
from services.alerter.webhooks.routes import subscription_routes
from services.alerter.webhooks.subscriptions import SubscriptionStore
from services.common.http import HttpError, query_param
from services.common.settings import Settings


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
    queue = DeliveryQueue(redis, settings.names, deadletter_maxlen=settings.deadletter_maxlen)
    return [
        *subscription_routes(store, queue, settings),
        alert_route(redis, settings, fmt="cap"),
        alert_route(redis, settings, fmt="json"),
    ]
