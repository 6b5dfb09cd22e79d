"""A webhook receiver that accepts connections and never answers must not freeze the alerter nor
hold back the other receivers: with a hanging and a healthy receiver subscribed and 120 distinct
incidents, the healthy one gets every alert version, `/healthz` keeps answering within a second and
the alerter's memory stays bounded. (Issue 10, item 1: the delivery loop used to spin without
yielding once every in-flight slot was taken, leaking a timer handle per pass; and a job that
waited past its lease was started twice.)"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from redis.asyncio import Redis

from services.common.embedded import EmbeddedRedis
from services.common.settings import Settings, load_settings
from services.common.streams import encode
from tests.alerter.factories import KHARKIV, KYIV, report, seed_reports
from tests.alerter.harness import alerter_settings, feed, read_log, running_alerter, wait_for
from tests.alerter.test_webhooks import queue_empty
from tests.conftest import SEEDS
from tests.reliability.procs import ROOT, STRIKEWATCH, LivenessProbe, ServiceProcess
from tests.reliability.webhook_receiver import HangingReceiver, Receiver

pytestmark = pytest.mark.slow
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
INCIDENTS = 120
HEALTHZ_BOUND_S = 1.0
RSS_BOUND_KB = 400 * 1024
# Generous: the healthy receiver's 120 deliveries take well under a second on an idle machine.
DELIVERY_TIMEOUT_S = 90.0


@pytest.fixture
def alerter_proc() -> Iterator[list[ServiceProcess]]:
    started: list[ServiceProcess] = []
    yield started
    for proc in started:
        proc.stop()


async def wait_until(condition: object, probe: LivenessProbe, timeout: float) -> bool:
    """Poll a thread-side condition (a receiver's count) until it holds, the probe fails, or the
    time runs out; the receivers live in threads, so there is no asyncio event to await."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    assert callable(condition)
    while loop.time() < deadline and not probe.failed:
        if condition():
            return True
        await asyncio.sleep(0.1)
    return bool(condition())


async def test_hanging_receiver_neither_freezes_the_alerter_nor_starves_others(
    redis_server: EmbeddedRedis,
    redis: Redis,
    prefix: str,
    tmp_path: Path,
    alerter_proc: list[ServiceProcess],
) -> None:
    hanging = HangingReceiver().start()
    healthy = Receiver(0, SECRET).start()
    try:
        hooks = tmp_path / "hooks.yaml"
        hooks.write_text(
            f"- id: stuck\n  url: {hanging.url}\n  secret: {SECRET}\n"
            f"- id: desk\n  url: http://127.0.0.1:{healthy.port}/hook\n  secret: {SECRET}\n"
        )
        # Default delivery settings (timeout, concurrency, lease, poll): the freeze showed with them.
        env = {
            "STRIKEWATCH_REDIS_URL": redis_server.url,
            "STRIKEWATCH_PREFIX": prefix,
            "STRIKEWATCH_WEBHOOKS_FILE": str(hooks),
            "STRIKEWATCH_WEBHOOK_ALLOWLIST": "127.0.0.1/32",
        }
        settings = load_settings(redis_url=redis_server.url, prefix=prefix)
        alerter = ServiceProcess("alerter", env, tmp_path).start()
        alerter_proc.append(alerter)
        await asyncio.to_thread(alerter.wait_ready)
        probe = LivenessProbe(alerter, kill_above_kb=2 * RSS_BOUND_KB).start()
        try:
            # 120 incidents at one place, three days apart: outside the clustering window, so each
            # is an incident of its own and raises version 1 of its alert.
            first = date(2021, 1, 1)
            for n in range(INCIDENTS):
                incident = report(f"hang-{n}", locations=[KYIV], day=first + timedelta(days=3 * n))
                await redis.xadd(settings.names.classified, encode(incident))  # type: ignore[arg-type]

            async def alert_versions() -> set[tuple[str, int]]:
                entries = await redis.xrange(settings.names.alert_log)
                return {
                    (a["alert_id"], a["version"])
                    for a in (json.loads(fields[b"__data__"]) for _, fields in entries)
                }

            assert await wait_until(lambda: len(healthy.by_id) >= INCIDENTS, probe, DELIVERY_TIMEOUT_S), (
                f"the healthy receiver got {len(healthy.by_id)} of {INCIDENTS} alerts; probe: "
                f"{probe.failures[:3]}\n{alerter.log()[-1500:]}"
            )
            # Keep watching through the hanging receiver's first timeouts and retries (10 s
            # request timeout by default): the second wave of connections proves the stuck
            # deliveries were settled and rescheduled while the loop stayed responsive.
            concurrency = settings.webhook_concurrency
            assert await wait_until(
                lambda: hanging.accepted >= 2 * concurrency, probe, 4 * settings.webhook_timeout_s
            ), f"no second wave of deliveries reached the hanging receiver ({hanging.accepted} connections)"
        finally:
            probe.stop()
        expected = await alert_versions()
    finally:
        hanging.stop()
        healthy.stop()

    print(
        f"hanging receiver: {hanging.accepted} connections; /healthz answers {probe.answers}, slowest "
        f"{probe.slowest_s * 1000:.0f} ms; alerter max RSS {probe.max_rss_kb // 1024} MB"
    )
    assert len(expected) == INCIDENTS
    assert healthy.versions() == expected
    assert healthy.bad_signatures == 0
    assert not probe.failures, probe.failures[:5]
    assert probe.answers > 10
    assert probe.slowest_s < HEALTHZ_BOUND_S, f"/healthz took {probe.slowest_s:.2f}s"
    assert probe.max_rss_kb < RSS_BOUND_KB, f"alerter RSS reached {probe.max_rss_kb // 1024} MB"
    # A slow endpoint gets no more than its share of connections at a time.
    assert hanging.accepted <= 3 * concurrency


async def test_a_delivery_slower_than_its_lease_is_sent_once(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    """Each request takes longer than the lease and only one may run at a time: the worker keeps
    renewing the leases of what it holds, so no job is claimed again and started a second time
    under the same webhook-id (it used to be, once a job waited past its lease)."""
    slow = Receiver(0, SECRET, delay_s=0.6).start()
    try:
        hooks = tmp_path / "hooks.yaml"
        hooks.write_text(f"- id: slow\n  url: http://127.0.0.1:{slow.port}/hook\n  secret: {SECRET}\n")
        s = alerter_settings(
            settings, webhooks_file=hooks, webhook_lease_s=0.3, webhook_concurrency=1, webhook_timeout_s=5.0
        )
        async with running_alerter(s):
            await feed(redis, s, *seed_reports())
            first = {(a.alert_id, a.version) for a in await read_log(redis, s, 5)}
            assert await asyncio.to_thread(slow.wait_for, first, 30.0)
            # One more alert afterwards: a second start of an earlier job would be queued for the
            # endpoint's one slot ahead of it, so by the time it arrives any double has arrived too.
            await feed(redis, s, report("late", locations=[KHARKIV], day=date(2020, 6, 1)))
            expected = {(a.alert_id, a.version) for a in await read_log(redis, s, 6)}
            assert await asyncio.to_thread(slow.wait_for, expected, 30.0)
            await wait_for(lambda: queue_empty(redis, s), what="delivery queue empty")
    finally:
        slow.stop()
    assert slow.versions() == expected
    assert slow.requests == len(expected), f"{slow.requests - len(expected)} deliveries were started twice"


def test_the_demo_says_which_webhook_deliveries_it_could_not_make(tmp_path: Path) -> None:
    """`strikewatch demo` with a webhook receiver that never answers: the alerts are printed and the
    demo exits 0 as before, and it says that the deliveries were not made (its output shows alerts
    and warnings only, so a failing receiver went unnoticed)."""
    hanging = HangingReceiver().start()
    try:
        hooks = tmp_path / "webhooks.yaml"
        hooks.write_text(f"- id: stuck\n  url: {hanging.url}\n  secret: {SECRET}\n")
        env = {
            **os.environ,
            "STRIKEWATCH_WEBHOOKS_FILE": str(hooks),
            "STRIKEWATCH_WEBHOOK_ALLOWLIST": "127.0.0.1/32",
            "STRIKEWATCH_WEBHOOK_TIMEOUT_S": "1",
            "STRIKEWATCH_HTTP_PORT": "0",
        }
        env.pop("STRIKEWATCH_REDIS_URL", None)
        seed = next(iter(sorted(SEEDS.glob("*.txt"))))
        done = subprocess.run(
            [str(STRIKEWATCH), "demo", "--json", str(seed)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=240,
        )
    finally:
        hanging.stop()
    assert done.returncode == 0, done.stderr[-1500:]
    alerts = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert alerts and hanging.accepted >= 1
    said = [line for line in done.stderr.splitlines() if "webhook deliver" in line]
    count = len({(a["alert_id"], a["version"]) for a in alerts})
    assert said == [
        f"strikewatch: {count} webhook deliver{'y' if count == 1 else 'ies'} not made: the receiver failed "
        "or did not answer, and retries are scheduled (STRIKEWATCH_WEBHOOK_RETRY_SCHEDULE); the "
        "embedded server stops now, and they with it"
    ], done.stderr[-1500:]
