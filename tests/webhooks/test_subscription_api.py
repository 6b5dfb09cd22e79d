"""The subscription API on a running alerter: strong secrets, refusal of non-global destinations at
creation, masked URLs, PATCH, DELETE with its dropped deliveries, file-defined subscriptions."""

from __future__ import annotations

import base64
import logging
import os
from pathlib import Path

import pytest
from redis.asyncio import Redis
from standardwebhooks import Webhook

from services.alerter.webhooks.jobs import DeliveryQueue
from services.common.settings import Settings
from tests.alerter.factories import report, seed_reports
from tests.alerter.harness import (
    SECRET,
    alerter_settings,
    feed,
    first_entry,
    read_log,
    running_alerter,
    wait_for,
    webhooks_file,
)

from .api import TOKEN, api_client
from .receivers import always, recording_receiver

# A literal global address: creating a subscription to it needs no DNS (nothing is sent to it).
PUBLIC_URL = "https://93.184.215.14/hooks"


def new(sub_id: str = "desk", **fields: object) -> dict[str, object]:
    return {"id": sub_id, "url": PUBLIC_URL, "secret": SECRET, **fields}


@pytest.mark.parametrize(
    ("secret", "says"),
    [
        ("whsec_AA==", "its key is 1 byte(s) long"),
        ("whsec_" + base64.b64encode(os.urandom(16)).decode(), "its key is 16 byte(s) long"),
        ("whsec_" + base64.b64encode(os.urandom(65)).decode(), "its key is 65 byte(s) long"),
        ("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "does not start with 'whsec_'"),
        ("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS", "not standard base64"),
        ("whsec_" + base64.b64encode(b"0123" * 8).decode(), "distinct byte values"),
    ],
)
async def test_weak_secrets_are_refused_with_the_reason(settings: Settings, secret: str, says: str) -> None:
    s = alerter_settings(settings, api_token=TOKEN)
    async with running_alerter(s) as (app, _rt), api_client(app) as api:
        answer = await api.post("/subscriptions", json=new(secret=secret))
        assert answer.status_code == 422
        assert says in answer.json()["error"]
        assert secret.removeprefix("whsec_") not in answer.text
        assert (await api.get("/subscriptions")).json() == []


async def test_without_a_secret_one_is_generated_shown_once_and_signs_deliveries(
    settings: Settings, redis: Redis
) -> None:
    s = alerter_settings(settings, api_token=TOKEN)
    async with recording_receiver() as (rec, url), running_alerter(s) as (app, _rt), api_client(app) as api:
        created = await api.post("/subscriptions", json={"id": "desk", "url": url})
        assert created.status_code == 201
        secret = created.json()["secret"]
        assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 32
        listed = (await api.get("/subscriptions")).json()
        assert listed[0]["secret"] == f"whsec_…{secret[-4:]}"
        assert (await api.get("/subscriptions/desk")).json()["secret"] == f"whsec_…{secret[-4:]}"
        await feed(redis, s, report("a"))
        await rec.wait(lambda r: len(r.seen) == 1)
    (seen,) = rec.seen
    assert Webhook(secret).verify(seen.body, seen.headers)["sources"][0]["article_id"] == "a"


NON_GLOBAL_URLS = {
    "private": "http://10.1.2.3/h",
    "loopback": "http://127.0.0.1:8080/h",
    "loopback IPv6": "http://[::1]/h",
    "link-local (cloud metadata)": "http://169.254.169.254/latest/meta-data",
    "unique-local IPv6": "http://[fd00::5]/h",
    "carrier-grade NAT": "http://100.64.0.1/h",
    "IETF protocol assignments 192.0.0.0/24": "http://192.0.0.8/h",
    "6to4 2002::/16": "http://[2002:a00:1::1]/h",
    "multicast": "http://224.0.0.1/h",
    "reserved": "http://240.0.0.1/h",
    "unspecified": "http://0.0.0.0/h",
    "IPv4-mapped private": "http://[::ffff:10.0.0.1]/h",
    "NAT64 of a private address": "http://[64:ff9b::a00:1]/h",
    "name resolving to loopback": "http://localhost:8080/h",
}


@pytest.mark.parametrize("url", NON_GLOBAL_URLS.values(), ids=NON_GLOBAL_URLS.keys())
async def test_non_global_destinations_are_refused_at_creation_and_change(
    settings: Settings, url: str
) -> None:
    """Refused when created and when a URL is changed to it, unless allow-listed; nothing stored."""
    s = alerter_settings(settings, api_token=TOKEN, webhook_allowlist="")
    async with running_alerter(s) as (app, _rt), api_client(app) as api:
        refused = await api.post("/subscriptions", json=new(url=url))
        assert refused.status_code == 422, refused.text
        assert "address; add it to STRIKEWATCH_WEBHOOK_ALLOWLIST" in refused.json()["error"]
        assert (await api.get("/subscriptions")).json() == []
        assert (await api.post("/subscriptions", json=new())).status_code == 201
        changed = await api.patch("/subscriptions/desk", json={"url": url})
        assert changed.status_code == 422, changed.text
        assert (await api.get("/subscriptions/desk")).json()["url"] == PUBLIC_URL


async def test_a_host_that_does_not_resolve_is_refused_with_the_reason(settings: Settings) -> None:
    s = alerter_settings(settings, api_token=TOKEN)
    async with running_alerter(s) as (app, _rt), api_client(app) as api:
        refused = await api.post("/subscriptions", json=new(url="https://hooks.strikewatch.invalid/h"))
        assert refused.status_code == 422
        assert "cannot resolve hooks.strikewatch.invalid" in refused.json()["error"]


async def test_allow_listed_private_destinations_are_accepted(settings: Settings) -> None:
    s = alerter_settings(settings, api_token=TOKEN, webhook_allowlist="10.0.0.0/8,localhost")
    async with running_alerter(s) as (app, _rt), api_client(app) as api:
        assert (await api.post("/subscriptions", json=new("a", url="http://10.1.2.3/h"))).status_code == 201
        assert (await api.post("/subscriptions", json=new("b", url="http://localhost/h"))).status_code == 201


async def test_url_credentials_and_query_are_masked_in_answers_errors_and_logs(
    settings: Settings, redis: Redis, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="strikewatch")
    s = alerter_settings(settings, api_token=TOKEN, webhook_retry_schedule="0,0.05")
    async with recording_receiver(always(500)) as (rec, url), running_alerter(s) as (app, _rt):
        secret_url = url.replace("http://", "http://desk:hunter2@") + "?token=s3cr3t"
        async with api_client(app) as api:
            created = await api.post("/subscriptions", json=new(url=secret_url))
            assert created.status_code == 201
            masked = url.replace("http://", "http://***@") + "?token=***"
            assert created.json()["url"] == masked
            assert (await api.get("/subscriptions")).json()[0]["url"] == masked
            refused = await api.patch(
                "/subscriptions/desk", json={"url": "http://root:hunter2@10.0.0.1/?token=s3cr3t"}
            )
            assert refused.status_code == 422 and "http://***@10.0.0.1/?token=***" in refused.json()["error"]
            texts = [created.text, (await api.get("/subscriptions")).text, refused.text]
        await feed(redis, s, report("a"))
        await rec.wait(lambda r: len(r.seen) == 2)
        ((_, fields),) = await _dead_letters(redis, s)
    assert rec.seen[0].headers["authorization"].startswith("Basic "), "the credentials are still sent"
    assert rec.seen[0].path == "/hook?token=s3cr3t", "the query string is still sent"
    # Our logs, not the receiver's (werkzeug logs the path it was called with).
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("strikewatch"))
    assert "returned 500" in logged
    for text in [*texts, logged, fields[b"__data__"].decode()]:
        assert "hunter2" not in text and "s3cr3t" not in text


async def _dead_letters(redis: Redis, s: Settings) -> list[tuple[bytes, dict[bytes, bytes]]]:
    await first_entry(redis, s.names.deadletter)
    return list(await redis.xrange(s.names.deadletter))


async def test_patch_changes_url_filters_format_and_status(settings: Settings) -> None:
    s = alerter_settings(settings, api_token=TOKEN)
    async with running_alerter(s) as (app, _rt), api_client(app) as api:
        assert (await api.post("/subscriptions", json=new())).status_code == 201
        patched = await api.patch(
            "/subscriptions/desk",
            json={
                "url": "https://93.184.215.15/other",
                "min_severity": "extreme",
                "regions": ["Kyiv City", "kharkiv-oblast"],
                "attack_types": ["missile"],
                "format": "standard",
            },
        )
        assert patched.status_code == 200, patched.text
        view = patched.json()
        assert (view["url"], view["min_severity"], view["regions"], view["attack_types"]) == (
            "https://93.184.215.15/other",
            "extreme",
            ["kyiv-city", "kharkiv-oblast"],
            ["missile"],
        )
        assert view["secret"] == "whsec_…LaSw" and view["previous_secrets"] == [], "no rotation"
        cleared = await api.patch("/subscriptions/desk", json={"regions": None, "min_severity": None})
        assert "regions" not in cleared.json() and "min_severity" not in cleared.json()
        assert cleared.json()["attack_types"] == ["missile"]

        paused = (await api.patch("/subscriptions/desk", json={"status": "disabled"})).json()
        assert (paused["status"], paused["disabled_reason"]) == ("disabled", "disabled through the API")
        assert "disabled_at" in paused
        resumed = (await api.patch("/subscriptions/desk", json={"status": "active"})).json()
        assert resumed["status"] == "active" and "disabled_reason" not in resumed

        for fmt in ("slack", "teams", "standard"):
            changed = await api.patch("/subscriptions/desk", json={"format": fmt})
            assert (changed.status_code, changed.json()["format"]) == (200, fmt), changed.text
        for body, status, says in [
            ({"regions": ["Donetsk"]}, 422, "did you mean 'donetsk-oblast'"),
            # `slack` and `teams` are formats since issue 17; an unknown one is refused with the choices.
            ({"format": "discord"}, 422, "'standard', 'slack' or 'teams'"),
            ({"status": "paused"}, 422, "status must be one of ['active', 'disabled']"),
            ({"id": "other"}, 422, "id cannot change"),
            ({"colour": "red"}, 422, "PATCH cannot change ['colour']"),
            ({"secret": None}, 422, "rotate-secret"),
            ({"secret": "whsec_AA=="}, 422, "its key is 1 byte(s) long"),
        ]:
            answer = await api.patch("/subscriptions/desk", json=body)
            assert (answer.status_code, says in answer.json()["error"]) == (status, True), (body, answer.text)
        assert (await api.patch("/subscriptions/nobody", json={"status": "active"})).status_code == 404
        assert (await api.get("/subscriptions/nobody")).status_code == 404
        assert (await api.patch("/subscriptions/desk", content=b"[1]")).status_code == 422


async def test_file_defined_subscriptions_take_only_status_changes(
    settings: Settings, tmp_path: Path
) -> None:
    """The file owns what it defines: 409 naming the file for every change but `status`."""
    path = webhooks_file(tmp_path, {"id": "from-file", "url": PUBLIC_URL})
    s = alerter_settings(settings, api_token=TOKEN, webhooks_file=path)
    async with running_alerter(s) as (app, _rt), api_client(app) as api:
        for call in (
            api.patch("/subscriptions/from-file", json={"min_severity": "severe"}),
            api.post("/subscriptions/from-file/rotate-secret"),
            api.delete("/subscriptions/from-file"),
            api.delete("/subscriptions?id=from-file"),
        ):
            answer = await call
            assert answer.status_code == 409
            assert f"is defined in {path}" in answer.json()["error"]
        paused = await api.patch("/subscriptions/from-file", json={"status": "disabled"})
        assert paused.status_code == 200 and paused.json()["status"] == "disabled"
        view = (await api.get("/subscriptions/from-file")).json()
        assert (view["source"], view["file"], view["status"]) == ("file", str(path), "disabled")
        assert (await api.patch("/subscriptions/from-file", json={"status": "active"})).json()[
            "status"
        ] == "active"
        assert (await api.post("/subscriptions", json=new("from-file"))).status_code == 409


async def test_delete_drops_queued_deliveries_and_says_how_many(settings: Settings, redis: Redis) -> None:
    """Five deliveries wait for a retry in 30 s; deleting the subscription drops them and answers 5.
    The first form, DELETE /subscriptions?id=, answers 204 with the count in a header."""
    s = alerter_settings(settings, api_token=TOKEN, webhook_retry_schedule="0,30")
    queue = DeliveryQueue(redis, s.names, deadletter_maxlen=1000)
    async with (
        recording_receiver(always(503)) as (rec, url),
        running_alerter(s) as (app, _rt),
        api_client(app) as api,
    ):
        assert (await api.post("/subscriptions", json=new("desk", url=url))).status_code == 201
        await feed(redis, s, *seed_reports())
        await read_log(redis, s, 5)
        await rec.wait(lambda r: len(r.seen) == 5)
        await _wait_queued(queue, 5)
        deleted = await api.delete("/subscriptions/desk")
        assert deleted.status_code == 200
        assert deleted.json() == {"id": "desk", "deleted": True, "dropped_deliveries": 5}
        assert await queue.counts() == (0, 0)
        assert (await api.delete("/subscriptions/desk")).status_code == 404

        assert (await api.post("/subscriptions", json=new("old-form", url=url))).status_code == 201
        await feed(redis, s, report("late", day=None, locations=None, types=["artillery"]))
        await rec.wait(lambda r: len(r.seen) == 6)
        await _wait_queued(queue, 1)
        old_form = await api.delete("/subscriptions?id=old-form")
        assert old_form.status_code == 204 and old_form.headers["strikewatch-dropped-deliveries"] == "1"
    assert await redis.hlen(s.names.webhook_subscriptions) == 0
    assert await redis.hlen(s.names.webhook_jobs) == 0


async def _wait_queued(queue: DeliveryQueue, count: int) -> None:
    async def queued() -> bool:
        return await queue.counts() == (count, 0)

    await wait_for(queued, what=f"{count} deliveries queued for a retry")
