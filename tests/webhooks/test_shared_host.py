"""Two receivers behind one host: a hanging path must not take the slots of a healthy path beside
it (red-team finding 22: with two hanging paths and a healthy `/ok` on the same port, `/ok` waited
for the hanging requests to time out, because the per-endpoint cap was counted per origin)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from pytest_httpserver import HTTPServer
from redis.asyncio import Redis
from werkzeug import Request, Response

from services.common.settings import Settings
from services.common.streams import encode
from tests.alerter.factories import KYIV, report
from tests.alerter.harness import SECRET, Receiver, alerter_settings, running_alerter, webhooks_file

ALERTS = 8
# Long enough that no hanging request times out while the test runs: the hang holds its slots.
TIMEOUT_S = 60.0


@dataclass
class Hang:
    """A path that accepts a request and answers only when `release` is set."""

    loop: asyncio.AbstractEventLoop
    release: threading.Event = field(default_factory=threading.Event)
    entered: int = 0
    answered: int = 0
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, request: Request) -> Response:
        with self._lock:
            self.entered += 1
        self.loop.call_soon_threadsafe(self.changed.set)
        self.release.wait(TIMEOUT_S)
        with self._lock:
            self.answered += 1
        return Response("late", status=200)

    async def wait_entered(self, count: int, timeout: float = 15.0) -> None:
        async with asyncio.timeout(timeout):
            while self.entered < count:
                self.changed.clear()
                if self.entered >= count:
                    return
                await self.changed.wait()


@asynccontextmanager
async def one_host(*hang_paths: str) -> AsyncIterator[tuple[HTTPServer, Receiver, list[Hang]]]:
    """One threaded HTTP server on 127.0.0.1: a hanging handler per path of `hang_paths`, and a
    healthy receiver at /ok."""
    loop = asyncio.get_running_loop()
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    healthy = Receiver(loop)
    hangs = [Hang(loop) for _ in hang_paths]
    for path, hang in zip(hang_paths, hangs, strict=True):
        server.expect_request(path, method="POST").respond_with_handler(hang.handle)
    server.expect_request("/ok", method="POST").respond_with_handler(healthy.handle)
    server.start()
    try:
        yield server, healthy, hangs
    finally:
        for hang in hangs:
            hang.release.set()
        server.clear()
        server.stop()


def distinct_alerts(count: int) -> list[bytes | dict[str, str]]:
    # One place, three days apart: outside the clustering window, so each is an alert of its own.
    first = date(2022, 3, 1)
    return [
        encode(report(f"shared-host-{n}", locations=[KYIV], day=first + timedelta(days=3 * n)))
        for n in range(count)
    ]


async def test_a_hanging_path_leaves_a_healthy_path_on_the_same_host_its_slots(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    async with one_host("/hang-a", "/hang-b") as (server, healthy, hangs):
        path = webhooks_file(
            tmp_path,
            {"id": "stuck-a", "url": server.url_for("/hang-a")},
            {"id": "stuck-b", "url": server.url_for("/hang-b")},
            {"id": "desk", "url": server.url_for("/ok")},
        )
        s = alerter_settings(settings, webhooks_file=path, webhook_timeout_s=TIMEOUT_S)
        async with running_alerter(s) as (_app, _rt):
            for fields in distinct_alerts(ALERTS):
                await redis.xadd(s.names.classified, fields)  # type: ignore[arg-type]
            # Every hanging path fills its own cap, and the healthy path still gets every alert.
            for hang in hangs:
                await hang.wait_entered(s.webhook_concurrency)
            await healthy.wait(lambda r: len(r.delivered) == ALERTS, timeout=30.0)
            assert all(hang.answered == 0 for hang in hangs), "the hanging requests were still held"
            # Each hanging path holds no more than its own share.
            assert [hang.entered for hang in hangs] == [s.webhook_concurrency] * len(hangs)
    assert healthy.bad_signatures == 0
    assert len({(a["alert_id"], a["version"]) for a in healthy.delivered.values()}) == ALERTS


async def test_paths_of_one_host_that_all_answer_each_get_every_alert(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    """Separate slots per path do not change what a healthy receiver gets: two healthy paths on
    one host each receive every alert once."""
    loop = asyncio.get_running_loop()
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    first, second = Receiver(loop), Receiver(loop)
    server.expect_request("/one", method="POST").respond_with_handler(first.handle)
    server.expect_request("/two", method="POST").respond_with_handler(second.handle)
    server.start()
    try:
        path = webhooks_file(
            tmp_path,
            {"id": "one", "url": server.url_for("/one")},
            {"id": "two", "url": server.url_for("/two")},
        )
        s = alerter_settings(settings, webhooks_file=path)
        async with running_alerter(s) as (_app, _rt):
            for fields in distinct_alerts(ALERTS):
                await redis.xadd(s.names.classified, fields)  # type: ignore[arg-type]
            await first.wait(lambda r: len(r.delivered) == ALERTS, timeout=30.0)
            await second.wait(lambda r: len(r.delivered) == ALERTS, timeout=30.0)
    finally:
        server.clear()
        server.stop()
    assert first.duplicates == second.duplicates == 0
    assert first.bad_signatures == second.bad_signatures == 0


def test_the_endpoint_of_a_subscription_is_its_url_without_the_query() -> None:
    from schemas import WebhookSubscription
    from services.alerter.webhooks.subscriptions import Subscription
    from services.alerter.webhooks.worker import _endpoint

    def endpoint(url: str) -> str:
        definition = WebhookSubscription.model_validate({"id": "x", "url": url, "secret": SECRET})
        return _endpoint(Subscription(definition=definition, source="api"))

    assert endpoint("http://127.0.0.1:9000/hang") != endpoint("http://127.0.0.1:9000/ok")
    assert endpoint("http://127.0.0.1:9000/ok?a=1") == endpoint("http://127.0.0.1:9000/ok?a=2")
    assert endpoint("http://127.0.0.1:9000/ok") != endpoint("http://127.0.0.1:9001/ok")
