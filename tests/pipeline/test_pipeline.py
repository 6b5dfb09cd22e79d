"""The whole pipeline over a real Redis: seeds in, alerts out on pub/sub channels and the alert log,
as a real subscriber sees them."""

from __future__ import annotations

import asyncio
import json
from collections import Counter, defaultdict
from typing import Any

from redis.asyncio import Redis

from schemas import Alert
from services.alerter.app import build_alerter
from services.common.runtime import ServiceFactory
from services.common.settings import Settings
from services.producer.app import build_producer
from services.producer.replay import replay
from tests.conftest import SEEDS
from tests.pipeline.conftest import running, wait_drained


async def test_seeds_become_three_incidents_on_every_channel(
    redis: Redis, settings: Settings, classifier_factory: ServiceFactory
) -> None:
    names = settings.names
    listener = redis.pubsub()
    await listener.psubscribe(f"{names.alerts}*")
    received: dict[str, list[dict[str, Any]]] = defaultdict(list)
    arrived = asyncio.Event()

    async def listen() -> None:
        async for message in listener.listen():
            if message["type"] == "pmessage":
                received[message["channel"].decode()].append(json.loads(message["data"]))
                arrived.set()

    listening = asyncio.create_task(listen())
    try:
        async with running(settings, [build_producer, classifier_factory, build_alerter]):
            await replay(redis, settings, [SEEDS])
            await wait_drained(redis, settings)
        log = [Alert.model_validate_json(f[b"__data__"]) for _, f in await redis.xrange(names.alert_log)]
        # Every alert in the log reached the all-alerts channel (published before the log append
        # returned, so it is in our listener's socket buffer by now).
        while len(received[names.alerts]) < len(log):
            arrived.clear()
            await asyncio.wait_for(arrived.wait(), timeout=10)
    finally:
        listening.cancel()
        await listener.aclose()

    incidents: dict[str, list[Alert]] = defaultdict(list)
    for alert in log:
        incidents[alert.alert_id].append(alert)
    assert len(incidents) == 3, {k: [a.headline for a in v] for k, v in incidents.items()}
    for versions in incidents.values():
        assert [a.msg_type for a in versions].count("Alert") == 1
        assert [a.version for a in versions] == list(range(1, len(versions) + 1))
    kyiv = next(
        v
        for v in incidents.values()
        if any(loc.name == "Kyiv" for loc in v[-1].locations)
        and v[0].event_date
        and v[0].event_date.isoformat() == "2022-12-19"
    )
    assert max(a.source_count for a in kyiv) == 3
    makiivka = next(v for v in incidents.values() if any(loc.name == "Makiivka" for loc in v[-1].locations))
    assert makiivka[-1].severity == "Extreme"
    assert makiivka[-1].attacker == "Ukraine"

    on_channel = [Alert.model_validate(a) for a in received[names.alerts]]
    assert Counter((a.alert_id, a.version) for a in on_channel) == Counter(
        (a.alert_id, a.version) for a in log
    )
    assert {a["alert_id"] for a in received[names.severity_channel("Extreme")]} == {makiivka[0].alert_id}
    assert makiivka[0].alert_id in {a["alert_id"] for a in received[names.region_channel("Donetsk Oblast")]}
    assert kyiv[0].alert_id in {a["alert_id"] for a in received[names.type_channel("drone")]}
