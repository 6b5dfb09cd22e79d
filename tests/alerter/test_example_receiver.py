"""The example receiver in examples/ accepts a real signed delivery from the alerter."""

from __future__ import annotations

import asyncio
import importlib.util
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from redis.asyncio import Redis
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from services.alerter.webhooks.signing import generate_secret, signed_headers
from services.common.settings import Settings

from .factories import report
from .harness import SECRET, alerter_settings, feed, running_alerter

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "webhook_receiver.py"


def load_example() -> Any:
    spec = importlib.util.spec_from_file_location("webhook_receiver_example", EXAMPLE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_example_receiver_verifies_and_deduplicates(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    example = load_example()
    loop = asyncio.get_running_loop()
    alerts: list[dict[str, Any]] = []
    arrived = asyncio.Event()

    def on_alert(alert: dict[str, Any]) -> None:
        alerts.append(alert)
        loop.call_soon_threadsafe(arrived.set)

    server = example.make_server(SECRET, "127.0.0.1", 0, on_alert)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/"
    try:
        path = tmp_path / "webhooks.yaml"
        path.write_text(yaml.safe_dump([{"id": "example", "url": url, "secret": SECRET}]))
        s = alerter_settings(settings, webhooks_file=path)
        async with running_alerter(s):
            await feed(redis, s, report("a"))
            async with asyncio.timeout(10):
                await arrived.wait()
        assert alerts[0]["sources"][0]["article_id"] == "a"

        async with httpx.AsyncClient() as client:
            body = '{"alert_id": "x"}'
            headers = signed_headers([SECRET], "msg_same", body, at=datetime.now(UTC))
            first = await client.post(url, content=body, headers=headers)
            again = await client.post(url, content=body, headers=headers)
            forged = await client.post(url, content=body + " ", headers=headers)
        assert (first.status_code, again.status_code, forged.status_code) == (204, 204, 400)
        assert [a.get("alert_id") for a in alerts[1:]] == ["x"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_example_receiver_accepts_either_secret_during_a_rotation() -> None:
    """WEBHOOK_SECRET=new,old: a request signed with either verifies, one signed with neither not."""
    example = load_example()
    old, new, other = generate_secret(), generate_secret(), generate_secret()
    webhooks = [Webhook(new), Webhook(old)]
    body = '{"alert_id": "x"}'
    for signer in (old, new):
        headers = signed_headers([signer], "msg_r", body, at=datetime.now(UTC))
        assert example.verify(webhooks, body.encode(), headers) == {"alert_id": "x"}
    with pytest.raises(WebhookVerificationError):
        example.verify(webhooks, body.encode(), signed_headers([other], "msg_r", body, at=datetime.now(UTC)))
