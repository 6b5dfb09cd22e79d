"""The alerter's read endpoints (Starlette routes, served beside /metrics). Every one is public
unless STRIKEWATCH_READ_TOKEN is set; then each needs it as `Authorization: Bearer <token>` or
`?token=<token>` (browsers' EventSource cannot send headers).

- `GET /alerts?severity=&region=&type=&since=&limit=&cursor=`: the latest version of each incident,
  newest first by sent time: `{"alerts": [Alert, ...], "next": cursor|null}`; the first page also
  gives `stream_since`, an alert-log id to pass as `since` to the stream to follow on without a gap.
- `GET /alerts/stream?severity=&region=&type=&since=ID|0`: Server-Sent Events (`stream.py`).
- `GET /alerts.geojson`, `GET /alerts.atom`: open incidents (latest version sent within
  STRIKEWATCH_OPEN_WINDOW_H) as a GeoJSON FeatureCollection and an Atom feed of CAP links.
- `GET /alerts/{alert_id}` (latest version), `GET /alerts/{alert_id}/versions` (all, oldest first).
- `GET /alerts/cap?id=ALERT_ID`, `GET /alerts/json?id=ALERT_ID`: the incident as it stands (its
  latest version, current source count) as CAP 1.2 XML or Alert JSON.

Lists and feeds read the read model (the read-model sink); the stream reads the alert log itself.
Every query parameter is checked: a bad or unknown one is a 400 that says what is valid. A Redis
that does not answer within STRIKEWATCH_HTTP_REDIS_WAIT_S is a 503 with Retry-After.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

from redis.asyncio import Redis
from sse_starlette import EventSourceResponse
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from services.alerter.cap import cap_options, to_cap_xml
from services.alerter.commands import current_alert
from services.alerter.feeds import atom_feed, feature_collection
from services.alerter.filters import (
    BadQuery,
    alert_filter,
    check_known,
    cursor_param,
    limit_param,
    log_id,
    since_time,
)
from services.alerter.queries import AlertQueries, Found
from services.alerter.sinks.read_model import sent_ms
from services.alerter.stream import AlertLogHub, TooManyClients, events
from services.common.http import HttpError, query_param, redis_unavailable
from services.common.settings import Settings

log = logging.getLogger("strikewatch.alerter.read")

FILTERS = ("severity", "region", "type")
TOKEN_PARAM = "token"
MAX_ALERT_ID = 200
Endpoint = Callable[[Request], Awaitable[Response]]


def require_read_token(request: Request, token: str | None) -> None:
    """Constant-time check of STRIKEWATCH_READ_TOKEN, from the bearer header or `?token=`."""
    if token is None:
        return
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    supplied = value.strip() if scheme.lower() == "bearer" else request.query_params.get(TOKEN_PARAM, "")
    if not supplied or not hmac.compare_digest(supplied.encode(), token.encode()):
        raise HttpError(
            401,
            "this endpoint needs the read token: send `Authorization: Bearer <token>` or `?token=<token>`",
            headers={"www-authenticate": 'Bearer realm="strikewatch"'},
        )


def _json(body: str, status: int = 200, media_type: str = "application/json") -> Response:
    return Response(body, status_code=status, media_type=media_type)


def _alerts_array(found: Sequence[Found]) -> str:
    # The Alert JSON exactly as logged, not re-serialised.
    return "[" + ",".join(item.payload for item in found) + "]"


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


class ReadApi:
    def __init__(self, redis: Redis, settings: Settings, hub: AlertLogHub) -> None:
        self._redis = redis
        self._settings = settings
        self._hub = hub
        self._queries = AlertQueries(redis, settings.names)
        self._cap = cap_options(settings)
        self._token = settings.read_token.get_secret_value() if settings.read_token else None

    def endpoint(self, handler: Endpoint, *, params: Sequence[str]) -> Endpoint:
        """The token check, the known-parameter check and 400s for bad values, around `handler`."""

        async def guarded(request: Request) -> Response:
            require_read_token(request, self._token)
            wait = self._settings.http_redis_wait_s
            try:
                check_known(request.query_params.keys(), [*params, TOKEN_PARAM])
                # Bounded like POST /articles: a Redis that is paused or overloaded (it accepts the
                # connection and never answers) is a 503 + Retry-After within the wait, not a hung
                # request or a 500 (red team 7 #11). The live stream's own reads are its generator's.
                async with asyncio.timeout(wait):
                    return await handler(request)
            except BadQuery as exc:
                raise HttpError(400, str(exc)) from None
            except TimeoutError as exc:
                raise redis_unavailable(exc, retry_after_s=self._settings.refused_retry_after_s) from None

        return guarded

    # -- lists and feeds ----------------------------------------------------------------------

    async def list_alerts(self, request: Request) -> Response:
        q = request.query_params
        where = alert_filter(q)
        since = since_time(q.get("since"))
        limit = limit_param(q.get("limit"))
        cursor = cursor_param(q.get("cursor"))
        # Read before the page: the page then holds at least every entry up to this position.
        position = await self._queries.position() if cursor is None else None
        page = await self._queries.page(
            where=where, limit=limit, cursor=cursor, since_ms=sent_ms(since) if since else None
        )
        body = (
            '{"alerts":'
            + _alerts_array(page.items)
            + ',"next":'
            + json.dumps(page.next.encode() if page.next else None)
        )
        if cursor is None:
            body += ',"stream_since":' + json.dumps(position)
        return _json(body + "}")

    async def _open(self, request: Request) -> list[Found]:
        now = datetime.now(UTC)
        opened = now - timedelta(hours=self._settings.open_window_h)
        page = await self._queries.page(
            where=alert_filter(request.query_params),
            limit=self._settings.open_feed_limit,
            since_ms=sent_ms(opened),
            budget=self._settings.open_feed_limit,
        )
        return page.items

    async def geojson(self, request: Request) -> Response:
        collection = feature_collection([item.alert for item in await self._open(request)])
        return _json(json.dumps(collection, separators=(",", ":")), media_type="application/geo+json")

    async def atom(self, request: Request) -> Response:
        base = _base_url(request)
        filters = {k: v for k, v in request.query_params.items() if k in FILTERS}
        feed_url = f"{base}/alerts.atom" + (f"?{urlencode(filters)}" if filters else "")
        xml = atom_feed(
            [item.alert for item in await self._open(request)],
            feed_url=feed_url,
            incident_url=lambda alert_id: f"{base}/alerts/{quote(alert_id, safe='')}",
            cap_url=lambda alert_id: f"{base}/alerts/cap?id={quote(alert_id, safe='')}",
            sender=self._cap.sender,
            now=datetime.now(UTC),
        )
        return Response(xml, media_type="application/atom+xml")

    # -- one incident -------------------------------------------------------------------------

    async def _versions(self, request: Request) -> list[Found]:
        alert_id = request.path_params["alert_id"]
        if len(alert_id) > MAX_ALERT_ID:
            raise BadQuery(f"alert id is {len(alert_id)} characters; ids are at most {MAX_ALERT_ID}")
        found = await self._queries.versions(alert_id)
        if not found:
            raise HttpError(
                404,
                f"no incident {alert_id!r} in the read model (an incident leaves it "
                "STRIKEWATCH_INCIDENT_TTL_S after its last version; the alert log keeps every version)",
            )
        return found

    async def latest(self, request: Request) -> Response:
        return _json((await self._versions(request))[-1].payload)

    async def versions(self, request: Request) -> Response:
        found = await self._versions(request)
        alert_id = json.dumps(request.path_params["alert_id"])
        return _json('{"alert_id":' + alert_id + ',"versions":' + _alerts_array(found) + "}")

    async def current(self, request: Request, *, fmt: str) -> Response:
        alert_id = query_param(request, "id")
        found = await current_alert(self._redis, self._settings, alert_id)
        if found is None:
            raise HttpError(404, f"no alert {alert_id!r}")
        if fmt == "cap":
            xml = to_cap_xml(found, self._cap).encode("utf-8")
            return Response(xml, media_type="application/cap+xml")
        return Response(found.model_dump_json(), media_type="application/json")

    # -- live ---------------------------------------------------------------------------------

    async def stream(self, request: Request) -> Response:
        where = alert_filter(request.query_params)
        last_event_id = request.headers.get("last-event-id")
        since = request.query_params.get("since")
        start: str | None = None
        if last_event_id is not None and last_event_id.strip():
            start = log_id(last_event_id, what="Last-Event-ID")
        elif since is not None and since.strip():
            start = log_id(since, what="since")
        try:
            listener, position = await self._hub.listen()
        except TooManyClients:
            raise HttpError(
                429,
                f"{self._settings.sse_max_clients} live-stream clients already; try again shortly",
                headers={"retry-after": "5"},
            ) from None
        return EventSourceResponse(
            events(self._redis, self._hub, listener, position, start=start, where=where),
            ping=self._settings.sse_heartbeat_s,
            send_timeout=self._settings.sse_send_timeout_s,
            headers={"cache-control": "no-store"},
            # Also when the client left before the first event (the generator never started, so
            # its own `finally` never runs): the client's slot is freed either way.
            background=BackgroundTask(self._hub.leave, listener),
        )


def routes(redis: Redis, settings: Settings, hub: AlertLogHub) -> list[BaseRoute]:
    api = ReadApi(redis, settings, hub)

    async def cap(request: Request) -> Response:
        return await api.current(request, fmt="cap")

    async def as_json(request: Request) -> Response:
        return await api.current(request, fmt="json")

    def get(path: str, handler: Endpoint, *params: str) -> Route:
        return Route(path, api.endpoint(handler, params=params), methods=["GET"])

    # Fixed paths before `/alerts/{alert_id}`, which would otherwise take them.
    return [
        get("/alerts", api.list_alerts, *FILTERS, "since", "limit", "cursor"),
        get("/alerts/stream", api.stream, *FILTERS, "since"),
        get("/alerts.geojson", api.geojson, *FILTERS),
        get("/alerts.atom", api.atom, *FILTERS),
        get("/alerts/cap", cap, "id"),
        get("/alerts/json", as_json, "id"),
        get("/alerts/{alert_id}/versions", api.versions),
        get("/alerts/{alert_id}", api.latest),
    ]
