"""The subscription API (Starlette routes, bearer STRIKEWATCH_API_TOKEN on every call):

- `GET /subscriptions`, `GET /subscriptions/{id}`: secrets and URL credentials masked.
- `POST /subscriptions`: a WebhookSubscription; without `secret` one is generated and returned in
  full in this answer only. The URL's host must resolve to an address deliveries may use.
- `PATCH /subscriptions/{id}`: any of `url`, `min_severity`, `regions`, `attack_types`, `format`,
  `status` (`active` re-enables a subscription disabled by a `410 Gone`), `secret` (a rotation:
  the old secret keeps signing beside the new one for STRIKEWATCH_WEBHOOK_SECRET_OVERLAP_S).
- `POST /subscriptions/{id}/rotate-secret`: a rotation to a generated secret (returned once), or
  to `{"secret": ...}`.
- `DELETE /subscriptions/{id}`: removes it and drops its queued deliveries; answers how many.
  `DELETE /subscriptions?id=ID`, the first form, still works (204, count in a header).

A file-defined subscription answers 409 naming the file to every change but `status`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from schemas import WebhookSubscription, secret_problem
from services.alerter.webhooks.addresses import Resolver, destination_refusal, resolve
from services.alerter.webhooks.jobs import DeliveryQueue
from services.alerter.webhooks.masking import mask_url
from services.alerter.webhooks.signing import generate_secret
from services.alerter.webhooks.subscriptions import (
    STATUSES,
    Subscription,
    SubscriptionConflict,
    SubscriptionStore,
    UnknownSubscription,
    public_view,
)
from services.common.http import HttpError, query_param, require_bearer
from services.common.settings import Settings

# Fields PATCH may change; `id` names the subscription and never changes.
PATCHABLE = ("url", "secret", "format", "min_severity", "regions", "attack_types", "status")
DROPPED_HEADER = "strikewatch-dropped-deliveries"


class SubscriptionApi:
    def __init__(
        self,
        store: SubscriptionStore,
        queue: DeliveryQueue,
        settings: Settings,
        *,
        resolver: Resolver = resolve,
    ) -> None:
        self._store = store
        self._queue = queue
        self._settings = settings
        self._resolver = resolver
        self._allowlist = settings.allowlist()

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/subscriptions", self._collection, methods=["GET", "POST", "DELETE"]),
            Route("/subscriptions/{id}", self._one, methods=["GET", "PATCH", "DELETE"]),
            Route("/subscriptions/{id}/rotate-secret", self._rotate, methods=["POST"]),
        ]

    # -- handlers -------------------------------------------------------------------------------

    async def _collection(self, request: Request) -> Response:
        self._authorize(request)
        if request.method == "GET":
            now = datetime.now(UTC)
            return JSONResponse([self._view(sub, now=now) for sub in await self._store.records()])
        if request.method == "POST":
            return await self._create(request)
        # DELETE ?id=: the first form, kept for existing clients.
        dropped = await self._delete(query_param(request, "id"))
        return Response(status_code=204, headers={DROPPED_HEADER: str(dropped)})

    async def _one(self, request: Request) -> Response:
        self._authorize(request)
        sub_id = request.path_params["id"]
        if request.method == "GET":
            return JSONResponse(self._view(await self._get(sub_id), now=datetime.now(UTC)))
        if request.method == "PATCH":
            return await self._patch(request, sub_id)
        dropped = await self._delete(sub_id)
        return JSONResponse({"id": sub_id, "deleted": True, "dropped_deliveries": dropped})

    async def _create(self, request: Request) -> Response:
        body = await _json_object(request)
        subscription = _validated(body)
        generated = subscription.secret is None
        if generated:
            subscription = subscription.model_copy(update={"secret": generate_secret()})
        await self._check_destination(subscription)
        try:
            created = await self._store.add(subscription)
        except SubscriptionConflict as exc:
            raise HttpError(409, str(exc)) from None
        view = self._view(created, now=datetime.now(UTC), reveal_secret=generated)
        return JSONResponse(view, status_code=201)

    async def _patch(self, request: Request, sub_id: str) -> Response:
        body = await _json_object(request)
        if "id" in body and body.pop("id") != sub_id:
            raise HttpError(422, "a subscription's id cannot change; create a new one and delete this one")
        unknown = sorted(set(body) - set(PATCHABLE))
        if unknown:
            raise HttpError(422, f"PATCH cannot change {unknown}; it accepts {list(PATCHABLE)}")
        status = body.pop("status", None)
        if status is not None and status not in STATUSES:
            raise HttpError(422, f"status must be one of {list(STATUSES)}, not {status!r}")
        if "secret" in body and body["secret"] is None:
            raise HttpError(
                422,
                f"a subscription always has a secret; POST /subscriptions/{sub_id}/rotate-secret makes one",
            )
        current = await self._get(sub_id)
        if body and current.source == "file":
            raise HttpError(409, str(self._store.file_conflict(sub_id, "change it")))
        updates: dict[str, Any] = {}
        if body:
            merged = {**current.definition.model_dump(mode="json"), **body}
            changed = _validated(merged)
            if changed.url != current.definition.url:
                await self._check_destination(changed)
            updates = {field: getattr(changed, field) for field in body}
        return await self._apply(sub_id, updates=updates, status=status, reason="disabled through the API")

    async def _rotate(self, request: Request) -> Response:
        self._authorize(request)
        sub_id = request.path_params["id"]
        body = await _json_object(request, empty_ok=True)
        unknown = sorted(set(body) - {"secret"})
        if unknown:
            raise HttpError(422, f"rotate-secret accepts only 'secret', not {unknown}")
        secret = body.get("secret")
        generated = secret is None
        if generated:
            secret = generate_secret()
        elif not isinstance(secret, str) or (problem := secret_problem(secret)) is not None:
            reason = "it is not a string" if not isinstance(secret, str) else problem
            raise HttpError(422, f"secret refused: {reason}")
        if self._store.file_defined(sub_id):
            raise HttpError(409, str(self._store.file_conflict(sub_id, "change its secret")))
        return await self._apply(sub_id, updates={"secret": secret}, reveal_secret=generated)

    # -- helpers --------------------------------------------------------------------------------

    async def _apply(
        self,
        sub_id: str,
        *,
        updates: dict[str, Any],
        status: str | None = None,
        reason: str = "",
        reveal_secret: bool = False,
    ) -> Response:
        now = datetime.now(UTC)
        try:
            changed = await self._store.patch(
                sub_id,
                updates=updates,
                status=status,  # type: ignore[arg-type]  # checked against STATUSES
                reason=reason,
                now=now,
                overlap_s=self._settings.webhook_secret_overlap_s,
            )
        except UnknownSubscription as exc:
            raise HttpError(404, str(exc)) from None
        except SubscriptionConflict as exc:
            raise HttpError(409, str(exc)) from None
        return JSONResponse(self._view(changed, now=now, reveal_secret=reveal_secret))

    async def _delete(self, sub_id: str) -> int:
        try:
            removed = await self._store.remove(sub_id)
        except SubscriptionConflict as exc:
            raise HttpError(409, str(exc)) from None
        # Dropped even when the definition was already gone: a retry re-queued meanwhile goes too.
        dropped, _in_flight = await self._queue.drop_queued(sub_id)
        if not removed:
            raise HttpError(404, f"no subscription {sub_id!r}")
        return dropped

    async def _get(self, sub_id: str) -> Subscription:
        found = await self._store.get(sub_id)
        if found is None:
            raise HttpError(404, f"no subscription {sub_id!r}")
        return found

    async def _check_destination(self, subscription: WebhookSubscription) -> None:
        url = subscription.url
        port = url.port or (443 if url.scheme == "https" else 80)
        reason = await destination_refusal(
            url.host or "",
            port,
            self._allowlist,
            resolver=self._resolver,
            timeout_s=self._settings.webhook_timeout_s,
        )
        if reason is not None:
            raise HttpError(422, f"url {mask_url(str(url))} refused: {reason}")

    def _view(
        self, subscription: Subscription, *, now: datetime, reveal_secret: bool = False
    ) -> dict[str, Any]:
        return public_view(
            subscription,
            now=now,
            overlap_s=self._settings.webhook_secret_overlap_s,
            file=self._store.file,
            reveal_secret=reveal_secret,
        )

    def _authorize(self, request: Request) -> None:
        token = self._settings.api_token.get_secret_value() if self._settings.api_token else None
        require_bearer(request, token, disabled="the subscription API is disabled: set STRIKEWATCH_API_TOKEN")


async def _json_object(request: Request, *, empty_ok: bool = False) -> dict[str, Any]:
    raw = await request.body()
    if empty_ok and not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        raise HttpError(422, "the body is not JSON") from None
    if not isinstance(data, dict):
        raise HttpError(422, "the body must be a JSON object")
    return data


def _validated(data: dict[str, Any]) -> WebhookSubscription:
    """The subscription, or 422 listing every problem (never the values: they may hold secrets)."""
    try:
        return WebhookSubscription.model_validate(data)
    except ValidationError as exc:
        errors = [
            {"loc": list(err["loc"]), "msg": err["msg"].removeprefix("Value error, ")}
            for err in exc.errors(include_input=False)
        ]
        raise HttpError(422, f"invalid subscription: {json.dumps(errors)}") from None


def subscription_routes(
    store: SubscriptionStore, queue: DeliveryQueue, settings: Settings, *, resolver: Resolver = resolve
) -> Sequence[BaseRoute]:
    return SubscriptionApi(store, queue, settings, resolver=resolver).routes()
