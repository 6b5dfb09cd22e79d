"""The subscription API, the CAP endpoint and the functions behind `strikewatch tail/export`."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import yaml
from lxml import etree
from redis.asyncio import Redis

from schemas import Alert
from services.alerter.commands import export_cap, tail
from services.common.settings import Settings

from .factories import KHARKIV, MAKIIVKA, report
from .harness import SECRET, alerter_settings, feed, read_log, running_alerter

TOKEN = "t0ken-for-tests"
XSD = Path(__file__).with_name("CAP-v1.2.xsd")


def client_for(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://alerter")


async def test_subscription_api(settings: Settings, redis: Redis, tmp_path: Path) -> None:
    path = tmp_path / "webhooks.yaml"
    path.write_text(yaml.safe_dump([{"id": "from-file", "url": "https://example.org/a", "secret": SECRET}]))
    s = alerter_settings(settings, api_token=TOKEN, webhooks_file=path, max_request_bytes=2048)
    auth = {"authorization": f"Bearer {TOKEN}"}
    # A literal global address: names are resolved at creation, and tests do not depend on DNS.
    new = {"id": "api-1", "url": "https://93.184.215.14/x", "secret": SECRET, "min_severity": "severe"}
    async with running_alerter(s) as (app, _rt), client_for(app) as client:
        assert (await client.get("/subscriptions")).status_code == 401
        assert (
            await client.post("/subscriptions", json=new, headers={"authorization": "Bearer nope"})
        ).status_code == 401
        created = await client.post("/subscriptions", json=new, headers=auth)
        assert created.status_code == 201
        assert created.json()["secret"] == "whsec_…LaSw"
        assert (await client.post("/subscriptions", json=new, headers=auth)).status_code == 409
        bad = await client.post("/subscriptions", json={**new, "id": "bad", "url": "not a url"}, headers=auth)
        assert bad.status_code == 422 and SECRET not in bad.text
        huge = await client.post("/subscriptions", content=b"x" * 5000, headers=auth)
        assert huge.status_code == 413
        listed = await client.get("/subscriptions", headers=auth)
        assert [(sub["id"], sub["source"]) for sub in listed.json()] == [
            ("from-file", "file"),
            ("api-1", "api"),
        ]
        assert SECRET not in listed.text
        assert (await client.delete("/subscriptions?id=from-file", headers=auth)).status_code == 409
        assert (await client.delete("/subscriptions?id=api-1", headers=auth)).status_code == 204
        assert (await client.delete("/subscriptions?id=api-1", headers=auth)).status_code == 404
    assert await redis.hlen(s.names.webhook_subscriptions) == 0


async def test_api_writes_are_refused_without_a_configured_token(settings: Settings) -> None:
    s = alerter_settings(settings)
    async with running_alerter(s) as (app, _rt), client_for(app) as client:
        answer = await client.post("/subscriptions", json={}, headers={"authorization": "Bearer x"})
        assert answer.status_code == 403
        assert "STRIKEWATCH_API_TOKEN" in answer.json()["error"]


async def test_cap_export_on_api_and_command(settings: Settings, redis: Redis) -> None:
    s = alerter_settings(settings)
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    async with running_alerter(s) as (app, _rt), client_for(app) as client:
        await feed(redis, s, report("a", locations=[MAKIIVKA], severity="Extreme", killed=63))
        (alert,) = await read_log(redis, s, 1)
        answer = await client.get(f"/alerts/cap?id={alert.alert_id}")
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/cap+xml"
        schema.assertValid(etree.fromstring(answer.content))
        assert (await client.get("/alerts/cap?id=nope")).status_code == 404
        as_json = await client.get(f"/alerts/json?id={alert.alert_id}")
        assert Alert.model_validate_json(as_json.content).alert_id == alert.alert_id
    xml = await export_cap(redis, s, alert.alert_id)
    schema.assertValid(etree.fromstring(xml.encode()))
    # After the incident state expired, the alert log still answers.
    await redis.delete(s.names.incident(alert.alert_id))
    assert "<msgType>Alert</msgType>" in await export_cap(redis, s, alert.alert_id)


async def test_tail_replays_then_follows_without_gap_or_duplicate(settings: Settings, redis: Redis) -> None:
    """Alerts published before, during and after the switch from replay to live each appear once,
    in log order; filters apply."""
    s = alerter_settings(settings)
    seen: list[Alert] = []
    extreme_only: list[Alert] = []
    enough = asyncio.Event()
    stop = asyncio.Event()

    def collect(alert: Alert) -> None:
        seen.append(alert)
        if len(seen) == 6:
            enough.set()

    async with running_alerter(s):
        await feed(redis, s, *(report(f"early{i}", locations=[KHARKIV], day=_day(i)) for i in range(3)))
        await read_log(redis, s, 3)
        tailing = asyncio.create_task(tail(redis, s, since="0", on_alert=collect, stop=stop, block_ms=50))
        filtered = asyncio.create_task(
            tail(
                redis, s, since="0", severity="extreme", on_alert=extreme_only.append, stop=stop, block_ms=50
            )
        )
        await feed(redis, s, *(report(f"late{i}", locations=[KHARKIV], day=_day(10 + i)) for i in range(2)))
        await feed(redis, s, report("boom", locations=[MAKIIVKA], severity="Extreme", killed=20))
        async with asyncio.timeout(10):
            await enough.wait()
        log = await read_log(redis, s, 6)
        stop.set()
        await asyncio.gather(tailing, filtered)
    assert [(a.alert_id, a.version) for a in seen] == [(a.alert_id, a.version) for a in log]
    assert [a.severity for a in extreme_only] == ["Extreme"]


def _day(offset: int):
    from datetime import date, timedelta

    return date(2023, 1, 1) + timedelta(days=3 * offset)
