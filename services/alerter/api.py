"""The alerter's subscription API (Starlette routes, served beside /metrics):

- `/subscriptions` and `/subscriptions/{id}`: the webhook subscription API (see
  `services.alerter.webhooks.routes`); bearer STRIKEWATCH_API_TOKEN on every call, refused (403)
  when no token is configured; secrets and URL credentials are masked in every answer.

The read endpoints (`/alerts...`) are in `read_api`.
"""

from __future__ import annotations

from redis.asyncio import Redis
from starlette.routing import BaseRoute

from services.alerter.webhooks.jobs import DeliveryQueue
from services.alerter.webhooks.routes import subscription_routes
from services.alerter.webhooks.subscriptions import SubscriptionStore
from services.common.settings import Settings


def routes(redis: Redis, settings: Settings, store: SubscriptionStore) -> list[BaseRoute]:
    queue = DeliveryQueue(redis, settings.names, deadletter_maxlen=settings.deadletter_maxlen)
    return list(subscription_routes(store, queue, settings))
