"""Running the alerter against the session's real Redis, and a real webhook receiver on 127.0.0.1."""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pytest_httpserver import HTTPServer
from redis.asyncio import Redis
from standardwebhooks import Webhook
from werkzeug import Request, Response

from schemas import Alert, Classification
from services.alerter.app import build_alerter
from services.common import runtime as runtime_module
from services.common.runtime import Runtime, StrikewatchApp, build_app, start_http
from services.common.settings import Settings, load_settings
from services.common.streams import encode

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
_instances = itertools.count()


def alerter_settings(base: Settings, **overrides: Any) -> Settings:
    """The test's Redis and prefix, quick polling, a retry schedule of tenths of seconds, loopback
    allowed."""
    assert base.redis_url is not None
    values: dict[str, Any] = {
        "redis_url": base.redis_url.get_secret_value(),
        "prefix": base.prefix,
        "poll_ms": 20,
        "claim_idle_ms": 1000,
        "webhook_allowlist": "127.0.0.1/32",
        "webhook_retry_schedule": "0,0.02,0.04,0.08,0.16,0.2,0.2,0.2",
        "webhook_timeout_s": 2.0,
        "webhook_poll_max_s": 0.2,
        "http_host": "127.0.0.1",
        **overrides,
    }
    return load_settings(**values)


@asynccontextmanager
async def running_alerter(settings: Settings) -> AsyncIterator[tuple[StrikewatchApp, Runtime]]:
    """One alerter replica with its own consumer names, as a separate process would have."""
    original = runtime_module.consumer_base_name
    name = f"test-alerter-{next(_instances)}"
    runtime_module.consumer_base_name = lambda: name  # type: ignore[assignment]
    try:
        app, rt = build_app(settings, [build_alerter], title="alerter-test", http_port=0)
    finally:
        runtime_module.consumer_base_name = original  # type: ignore[assignment]
    # start_lifespan_context returns before the broker has started; the last after-startup hook
    # tells us everything (subscribers, background loops) runs.
    started = asyncio.Event()

    async def mark_started() -> None:
        started.set()

    app.after_startup(mark_started)
    async with app.start_lifespan_context():
        async with asyncio.timeout(15):
            await started.wait()
        yield app, rt


@asynccontextmanager
async def serving_alerter(settings: Settings) -> AsyncIterator[tuple[StrikewatchApp, str]]:
    """One alerter replica serving HTTP on a free loopback port (a real server, for streaming
    clients); yields the app and its base URL."""
    original = runtime_module.consumer_base_name
    name = f"test-alerter-{next(_instances)}"
    runtime_module.consumer_base_name = lambda: name  # type: ignore[assignment]
    try:
        app, _rt = build_app(settings, [build_alerter], title="alerter-test", http_port=0)
    finally:
        runtime_module.consumer_base_name = original  # type: ignore[assignment]
    server, serving = await start_http(app, 0)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield app, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving


async def feed(redis: Redis, settings: Settings, *reports: Classification) -> None:
    for report in reports:
        await redis.xadd(settings.names.classified, encode(report))  # type: ignore[arg-type]


async def read_log(redis: Redis, settings: Settings, count: int, *, timeout: float = 10.0) -> list[Alert]:
    """Block on the alert log until `count` alerts are there (fails after `timeout`)."""
    alerts: list[Alert] = []
    last = "0-0"
    async with asyncio.timeout(timeout):
        while len(alerts) < count:
            response = await redis.xread({settings.names.alert_log: last}, block=200)
            for _stream, entries in response or []:
                for entry_id, fields in entries:
                    last = entry_id.decode()
                    alerts.append(Alert.model_validate_json(fields[b"__data__"]))
    return alerts


async def wait_for(condition: Callable[[], Awaitable[bool]], *, timeout: float = 10.0, what: str) -> None:
    """Re-check a Redis-side condition until it holds; there is no event to wait on for it."""
    async with asyncio.timeout(timeout):
        # Redis sends no notification when a group's pending list empties: re-check, bounded.
        while not await condition():  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    assert await condition(), what


async def queue_empty(redis: Redis, s: Settings) -> bool:
    return not await redis.hlen(s.names.webhook_jobs) and not await redis.zcard(s.names.webhook_inflight)


def webhooks_file(tmp_path: Path, *subscriptions: dict[str, Any]) -> Path:
    """A STRIKEWATCH_WEBHOOKS_FILE with these entries (SECRET unless an entry gives one)."""
    path = tmp_path / "webhooks.yaml"
    path.write_text(yaml.safe_dump([{"secret": SECRET, **sub} for sub in subscriptions]))
    return path


async def first_entry(redis: Redis, stream: str, *, timeout: float = 10.0) -> dict[bytes, bytes]:
    """Block until the stream has an entry; return its fields."""
    async with asyncio.timeout(timeout):
        while True:
            response = await redis.xread({stream: "0-0"}, count=1, block=200)
            for _stream, entries in response or []:
                for _id, fields in entries:
                    return dict(fields)


async def group_drained(redis: Redis, settings: Settings) -> bool:
    for group in await redis.xinfo_groups(settings.names.classified):
        if group["name"] in (b"alerter", "alerter"):
            return int(group["pending"]) == 0 and int(group.get("lag") or 0) == 0
    return False


@dataclass
class Receiver:
    """A real HTTP receiver: fails the first `failures` requests with 500, then accepts, verifying
    every signature with standardwebhooks and recording alerts by webhook-id."""

    loop: asyncio.AbstractEventLoop
    failures: int = 0
    secret: str = SECRET
    attempts: int = 0
    delivered: dict[str, dict[str, Any]] = field(default_factory=dict)
    duplicates: int = 0
    bad_signatures: int = 0
    seen: dict[str, int] = field(default_factory=dict)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, request: Request) -> Response:
        body = request.get_data()
        try:
            alert = Webhook(self.secret).verify(body, dict(request.headers))
        except Exception:
            with self._lock:
                self.bad_signatures += 1
            self.loop.call_soon_threadsafe(self.changed.set)
            return Response("bad signature", status=400)
        msg_id = request.headers["webhook-id"]
        with self._lock:
            self.attempts += 1
            self.seen[msg_id] = self.seen.get(msg_id, 0) + 1
            failing = self.attempts <= self.failures
            if not failing:
                if msg_id in self.delivered:
                    self.duplicates += 1
                self.delivered[msg_id] = alert
        self.loop.call_soon_threadsafe(self.changed.set)
        return Response("try later", status=500) if failing else Response("ok", status=200)

    async def wait(self, predicate: Callable[[Receiver], bool], *, timeout: float = 10.0) -> None:
        async with asyncio.timeout(timeout):
            while not predicate(self):
                self.changed.clear()
                if predicate(self):
                    return
                await self.changed.wait()


@asynccontextmanager
async def receiver(failures: int = 0, path: str = "/hook") -> AsyncIterator[tuple[Receiver, str]]:
    server = HTTPServer(host="127.0.0.1", port=0)
    rec = Receiver(asyncio.get_running_loop(), failures=failures)
    server.expect_request(path, method="POST").respond_with_handler(rec.handle)
    server.start()
    try:
        yield rec, server.url_for(path)
    finally:
        server.clear()
        server.stop()
