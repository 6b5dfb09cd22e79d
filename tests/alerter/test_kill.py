"""An alerter process killed with SIGKILL while deliveries wait for a retry loses none of them."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import yaml
from redis.asyncio import Redis

from services.alerter.webhooks.jobs import DeliveryQueue
from services.common.settings import Settings

from .factories import seed_reports
from .harness import SECRET, alerter_settings, feed, read_log, receiver, running_alerter

ROOT = Path(__file__).resolve().parents[2]


async def test_killed_alerter_process_loses_no_delivery(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    async with receiver(failures=10_000) as (rec, url):
        hooks = tmp_path / "webhooks.yaml"
        hooks.write_text(yaml.safe_dump([{"id": "ops", "url": url, "secret": SECRET}]))
        s = alerter_settings(
            settings,
            webhooks_file=hooks,
            webhook_lease_s=0.5,
            webhook_retry_schedule="0,0.3,0.5,0.5,0.5,0.5,0.5,0.5",
        )
        assert s.redis_url is not None
        env = {
            **os.environ,
            "STRIKEWATCH_REDIS_URL": s.redis_url.get_secret_value(),
            "STRIKEWATCH_PREFIX": s.prefix,
            "STRIKEWATCH_WEBHOOKS_FILE": str(hooks),
            "STRIKEWATCH_WEBHOOK_ALLOWLIST": "127.0.0.1/32",
            "STRIKEWATCH_WEBHOOK_RETRY_SCHEDULE": "0,0.3,0.5,0.5,0.5,0.5,0.5,0.5",
            "STRIKEWATCH_WEBHOOK_LEASE_S": "0.5",
            "STRIKEWATCH_POLL_MS": "20",
            "STRIKEWATCH_HTTP_PORT": "0",
            "STRIKEWATCH_HTTP_HOST": "127.0.0.1",
        }
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
            await read_log(redis, s, 5, timeout=30)
            await rec.wait(lambda r: len(r.seen) == 5, timeout=30)
        finally:
            process.send_signal(signal.SIGKILL)
            await process.wait()
        pending = await DeliveryQueue(redis, s.names, deadletter_maxlen=1000).pending()
        assert pending == 5
        assert not rec.delivered

        rec.failures = 0
        async with running_alerter(s):
            await rec.wait(lambda r: len(r.delivered) == 5, timeout=15)
    assert rec.bad_signatures == 0
