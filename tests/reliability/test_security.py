"""Password-protected and TLS Redis work; secrets never show in logs, metrics or HTTP replies."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from services.common.embedded import EmbeddedRedis
from services.common.runtime import ServiceFactory
from services.common.settings import load_settings
from services.producer.replay import replay
from tests.conftest import SEEDS
from tests.pipeline.conftest import read_stream, running
from tests.reliability.procs import ServiceProcess
from tests.reliability.webhook_receiver import reserve_port

PASSWORD = "pw-Zr8Qe1x"
API_TOKEN = "tok-Kq2Lm9v"
WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.fixture
def protected_server(tmp_path: Path) -> Iterator[EmbeddedRedis]:
    with EmbeddedRedis(password=PASSWORD, data_dir=tmp_path / "redis") as server:
        yield server


async def assert_seeds_classified_through(url: str, prefix: str, classifier_factory: ServiceFactory) -> None:
    settings = load_settings(redis_url=url, prefix=prefix, poll_ms=20)
    redis = Redis.from_url(url)
    try:
        async with running(settings, [classifier_factory]):
            await replay(redis, settings, [SEEDS])
            assert len(await read_stream(redis, settings.names.classified, 5)) == 5
    finally:
        await redis.aclose()


async def test_password_protected_redis_runs_the_pipeline(
    protected_server: EmbeddedRedis, prefix: str, classifier_factory: ServiceFactory
) -> None:
    await assert_seeds_classified_through(protected_server.url, prefix, classifier_factory)


async def test_wrong_password_is_refused_with_a_clear_error(protected_server: EmbeddedRedis) -> None:
    redis = Redis.from_url(protected_server.url.replace(PASSWORD, "wrong"))
    with pytest.raises(Exception, match=r"(?i)password|auth"):
        await redis.ping()
    await redis.aclose()


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[EmbeddedRedis]:
    binary = shutil.which("redis-server")
    openssl = shutil.which("openssl")
    if binary is None or openssl is None:
        pytest.skip("needs a TLS-capable redis-server and openssl on PATH (the bundled Valkey has no TLS)")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    with EmbeddedRedis(
        password=PASSWORD, binary=binary, tls=(cert, key), data_dir=tmp_path / "redis"
    ) as server:
        yield server


async def test_rediss_url_with_password_runs_the_pipeline(
    tls_server: EmbeddedRedis, prefix: str, classifier_factory: ServiceFactory
) -> None:
    assert tls_server.url.startswith("rediss://")
    await assert_seeds_classified_through(tls_server.url, prefix, classifier_factory)


async def test_secrets_never_appear_in_logs_metrics_or_replies(
    protected_server: EmbeddedRedis, prefix: str, tmp_path: Path
) -> None:
    hooks = tmp_path / "hooks.yaml"
    # A port held (bound, not listening) for the test: deliveries are refused, and never reach
    # another run's receiver.
    reserved = reserve_port()
    port = reserved.getsockname()[1]
    hooks.write_text(f"- id: ops\n  url: http://127.0.0.1:{port}/hook\n  secret: {WEBHOOK_SECRET}\n")
    env = {
        "STRIKEWATCH_REDIS_URL": protected_server.url,
        "STRIKEWATCH_PREFIX": prefix,
        "STRIKEWATCH_API_TOKEN": API_TOKEN,
        "STRIKEWATCH_WEBHOOKS_FILE": str(hooks),
        "STRIKEWATCH_WEBHOOK_ALLOWLIST": "127.0.0.1/32",
    }
    services = [ServiceProcess(name, env, tmp_path).start() for name in ("producer", "alerter")]
    try:
        await asyncio.gather(*(asyncio.to_thread(s.wait_ready) for s in services))
        producer, alerter = services
        replies: list[str] = []
        async with httpx.AsyncClient(timeout=10) as http:
            base = f"http://127.0.0.1:{alerter.port}"
            for path in ("/metrics", "/readyz", "/healthz", "/subscriptions"):
                replies.append(
                    (await http.get(base + path, headers={"Authorization": f"Bearer {API_TOKEN}"})).text
                )
            refused = await http.post(
                base + "/subscriptions",
                headers={"Authorization": "Bearer nope"},
                json={"id": "x", "url": "https://example.org/h", "secret": WEBHOOK_SECRET},
            )
            assert refused.status_code in (401, 403)
            replies.append(refused.text)
            ingest = f"http://127.0.0.1:{producer.port}/articles"
            unauthorised = await http.post(ingest, content=b'{"text": "Drones hit Odesa."}')
            assert unauthorised.status_code == 401
            ok = await http.post(
                ingest,
                content=b'{"text": "Drones hit Odesa."}',
                headers={"Authorization": f"Bearer {API_TOKEN}"},
            )
            assert ok.status_code == 202, ok.text
            too_big = await http.post(
                ingest, content=b"x" * 3_000_000, headers={"Authorization": f"Bearer {API_TOKEN}"}
            )
            assert too_big.status_code == 413
            replies += [unauthorised.text, ok.text, too_big.text]
        # Take Redis away so connection errors get logged too.
        protected_server.stop()
        assert not await asyncio.to_thread(alerter.ready)
        protected_server.start()
        await asyncio.to_thread(alerter.wait_ready)
    finally:
        for service in services:
            service.stop()
        reserved.close()
    logs = "".join(s.log() for s in services)
    assert "Bearer" not in "".join(replies[3:])
    for secret in (PASSWORD, API_TOKEN, WEBHOOK_SECRET, WEBHOOK_SECRET.removeprefix("whsec_")):
        assert secret not in logs, f"secret leaked into logs: {secret[:4]}…"
        assert all(secret not in reply for reply in replies), f"secret leaked into a reply: {secret[:4]}…"
