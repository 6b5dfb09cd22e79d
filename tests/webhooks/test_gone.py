"""A receiver answering `410 Gone` disables its subscription; what was queued for it goes to the
dead-letter stream (counted, redeliverable), alerts published meanwhile are not queued for it, and
PATCH re-enables it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from redis.asyncio import Redis
from werkzeug import Request, Response

from schemas import DeadLetter
from services.alerter.commands import redeliver
from services.alerter.webhooks.jobs import DeliveryQueue
from services.common.runtime import Runtime
from services.common.settings import Settings
from tests.alerter.factories import KHARKIV, report, seed_reports
from tests.alerter.harness import (
    alerter_settings,
    feed,
    queue_empty,
    read_log,
    running_alerter,
    wait_for,
    webhooks_file,
)

from .api import TOKEN, api_client
from .receivers import Answer, always, recording_receiver


def sample(rt: Runtime, name: str, **labels: str) -> float:
    return rt.metrics.registry.get_sample_value(name, labels) or 0.0


def gone_after_first_attempts() -> Answer:
    """503 to each delivery's first attempt (so all five wait for a retry), 410 from then on."""

    def answer(_request: Request, earlier: int) -> Response:
        return Response("", status=503 if earlier == 0 else 410)

    return answer


async def dead_letters(redis: Redis, s: Settings) -> list[DeadLetter]:
    return [DeadLetter.model_validate_json(f[b"__data__"]) for _, f in await redis.xrange(s.names.deadletter)]


async def test_410_disables_keeps_the_queue_as_dead_letters_and_patch_re_enables(
    settings: Settings, redis: Redis
) -> None:
    s = alerter_settings(settings, api_token=TOKEN, webhook_retry_schedule="0,0.5,0.5,0.5")
    queue = DeliveryQueue(redis, s.names, deadletter_maxlen=1000)
    async with (
        recording_receiver(gone_after_first_attempts()) as (rec, url),
        running_alerter(s) as (app, rt),
        api_client(app) as api,
    ):
        assert (await api.post("/subscriptions", json={"id": "desk", "url": url})).status_code == 201
        await feed(redis, s, *seed_reports())
        await read_log(redis, s, 5)

        async def disabled_and_emptied() -> bool:
            return sample(
                rt, "strikewatch_webhook_subscriptions", status="disabled"
            ) == 1 and await queue_empty(redis, s)

        await wait_for(disabled_and_emptied, what="the subscription disabled and its queue emptied")
        view = (await api.get("/subscriptions/desk")).json()
        assert view["status"] == "disabled"
        assert "answered 410 Gone" in view["disabled_reason"] and view["disabled_at"]
        assert sample(rt, "strikewatch_webhook_subscriptions", status="active") == 0

        # Every queued delivery is a dead letter now, none lost: the one answered 410 and the
        # others, moved without another attempt (each was tried once, answered 503).
        letters = await dead_letters(redis, s)
        assert len(letters) == 5 and all(letter.subscription_id == "desk" for letter in letters)
        assert sample(rt, "strikewatch_deadletter_total", stage="webhook") == 5
        assert len(rec.by_status(410)) >= 1
        assert len(rec.seen) == 5 + len(rec.by_status(410)), "no attempt after the subscription was disabled"
        assert all("disabled" in letter.reason or "410 Gone" in letter.reason for letter in letters)

        # Published while disabled: in the alert log, not queued for the subscription.
        await feed(redis, s, report("while-off", locations=[KHARKIV], day=date(2020, 1, 1)))
        await read_log(redis, s, 6)
        assert await queue.counts() == (0, 0)

        rec.answer = always(200)
        enabled = await api.patch("/subscriptions/desk", json={"status": "active"})
        assert enabled.status_code == 200 and enabled.json()["status"] == "active"
        await feed(redis, s, report("back-on", locations=[KHARKIV], day=date(2020, 6, 1)))
        await rec.wait(lambda r: len(r.by_status(200)) == 1)

        # The dead letters come back with redeliver once it is active again.
        assert await redeliver(redis, s, subscription_id="desk") == 5
        await rec.wait(lambda r: len(r.by_status(200)) == 6)
        await wait_for(lambda: queue_empty(redis, s), what="delivery queue empty")

        async def counted_active() -> bool:
            return sample(rt, "strikewatch_webhook_subscriptions", status="active") == 1

        await wait_for(counted_active, what="the metric shows it active again")
    assert await redis.xlen(s.names.deadletter) == 0
    delivered_sources = {seen.body.split('"article_id":"')[1].split('"')[0] for seen in rec.by_status(200)}
    assert "while-off" not in delivered_sources and "back-on" in delivered_sources


async def test_410_disables_a_file_defined_subscription_too(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    async with recording_receiver(always(410)) as (rec, url):
        path = webhooks_file(tmp_path, {"id": "from-file", "url": url})
        s = alerter_settings(settings, api_token=TOKEN, webhooks_file=path)
        async with running_alerter(s) as (app, rt), api_client(app) as api:
            await feed(redis, s, report("a"))

            async def disabled() -> bool:
                return sample(rt, "strikewatch_webhook_subscriptions", status="disabled") == 1

            await wait_for(disabled, what="the file-defined subscription disabled")
            view = (await api.get("/subscriptions/from-file")).json()
            assert (view["source"], view["status"]) == ("file", "disabled")
            assert len(rec.seen) == 1, "410 is not retried"
            resumed = await api.patch("/subscriptions/from-file", json={"status": "active"})
            assert resumed.json()["status"] == "active"
