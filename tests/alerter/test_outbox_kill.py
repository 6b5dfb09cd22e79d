"""The outbox across a SIGKILL: an alerter process killed after writing the alert log and before
its sinks delivered loses nothing and doubles nothing once an alerter runs again."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import yaml
from redis.asyncio import Redis

from schemas import Alert
from services.common.settings import Settings

from .factories import KHARKIV, report, seed_reports
from .harness import SECRET, alerter_settings, feed, read_log, receiver, running_alerter, wait_for
from .test_sinks import drain_channel

ROOT = Path(__file__).resolve().parents[2]
# The consumer names a killed process's sinks had: `<host>-<pid>-sink-<name>` (runtime.Runtime).
DEAD_CONSUMER = "killed-host-1-sink-{sink}"


async def test_versions_logged_by_a_killed_alerter_reach_pubsub_and_webhooks_once(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    """A real alerter process runs with its sinks held back (STRIKEWATCH_SINKS=none: the state a
    crash leaves between the clustering transaction and the sinks, made deterministic), logs the
    seeds' five versions and is SIGKILLed. Two versions were also handed to sink consumers of the
    dead process (pending in its name, as XREADGROUP leaves them when the process dies before
    delivering). A new alerter delivers every version to pub/sub once and to the webhook once
    (each webhook-id once), the pending ones through its reclaimer."""
    async with receiver() as (rec, url):
        hooks = tmp_path / "webhooks.yaml"
        hooks.write_text(yaml.safe_dump([{"id": "ops", "url": url, "secret": SECRET}]))
        s = alerter_settings(settings, webhooks_file=hooks, claim_idle_ms=200)
        assert s.redis_url is not None
        env = {
            **os.environ,
            "STRIKEWATCH_REDIS_URL": s.redis_url.get_secret_value(),
            "STRIKEWATCH_PREFIX": s.prefix,
            "STRIKEWATCH_WEBHOOKS_FILE": str(hooks),
            "STRIKEWATCH_WEBHOOK_ALLOWLIST": "127.0.0.1/32",
            "STRIKEWATCH_POLL_MS": "20",
            "STRIKEWATCH_SINKS": "none",
            "STRIKEWATCH_HTTP_PORT": "0",
            "STRIKEWATCH_HTTP_HOST": "127.0.0.1",
        }
        listener = redis.pubsub()
        await listener.subscribe(s.names.alerts)
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "faststream",
            "run",
            "services.alerter.app:app",
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            await feed(redis, s, *seed_reports())
            log = await read_log(redis, s, 5, timeout=30)
        finally:
            process.send_signal(signal.SIGKILL)
            await process.wait()
        for sink in ("pubsub", "webhooks"):
            held = await redis.xreadgroup(
                sink, DEAD_CONSUMER.format(sink=sink), {s.names.alert_log: ">"}, count=2
            )
            assert len(held[0][1]) == 2
        assert not rec.seen, "nothing was delivered before the kill"

        async with running_alerter(s):
            await rec.wait(lambda r: len(r.seen) == 5, timeout=20)

            async def sinks_done() -> bool:
                pending = [await redis.xpending(s.names.alert_log, g) for g in ("pubsub", "webhooks")]
                return all(p["pending"] == 0 for p in pending)

            await wait_for(sinks_done, what="the dead consumer's entries were claimed and delivered")
            # Anything more the new alerter logs also goes out once.
            await feed(redis, s, report("after-restart", locations=[KHARKIV], day=date(2024, 5, 1)))
            (*_, newest) = await read_log(redis, s, 6)
            await rec.wait(lambda r: len(r.seen) == 6, timeout=20)
        published = await drain_channel(redis, listener, s.names.alerts)

    expected = Counter((a.alert_id, a.version) for a in [*log, newest])
    assert len(expected) == 6
    assert Counter((a.alert_id, a.version) for a in published) == expected
    assert rec.duplicates == 0 and set(rec.seen.values()) == {1}
    assert Counter((a["alert_id"], a["version"]) for a in rec.delivered.values()) == expected
    assert rec.bad_signatures == 0
    assert all(isinstance(a, Alert) for a in published)
