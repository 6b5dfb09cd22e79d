"""A service started while Redis is unreachable opens its HTTP port at once (`/healthz` 200,
`/readyz` 503 with the reason), becomes ready by itself when Redis appears, and stops within 5 s on
SIGTERM or SIGINT at any moment. (Issue 10, item 6: it used to open no port and ignore both
signals until Redis answered.) `faststream run --workers N` is refused with a clear message
(item 7)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from services.common.embedded import EmbeddedRedis, free_port
from tests.reliability.procs import ROOT, ServiceProcess
from tests.reliability.webhook_receiver import reserve_port

pytestmark = pytest.mark.slow
STOP_BOUND_S = 5.0
# Importing the service (pydantic, FastStream, redis) takes a few seconds on a loaded machine.
PORT_OPEN_TIMEOUT_S = 60.0


@pytest.fixture
def procs() -> Iterator[list[ServiceProcess]]:
    started: list[ServiceProcess] = []
    yield started
    for proc in started:
        proc.stop()


def wait_http(url: str, timeout: float = PORT_OPEN_TIMEOUT_S) -> httpx.Response:
    """The first answer from `url`, waiting (bounded) for the port to open."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(url, timeout=2.0)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def stop_time(proc: ServiceProcess, sig: signal.Signals) -> tuple[float, int]:
    """Seconds from `sig` to the process's exit, and its exit status."""
    started = time.monotonic()
    proc.signal(sig)
    code = proc.wait(timeout=30)
    return time.monotonic() - started, code


@pytest.fixture
def unreachable_env(prefix: str) -> Iterator[tuple[dict[str, str], socket.socket]]:
    """Settings pointing at a Redis port where nothing answers: held bound but not listening, so
    a connection is refused and no other test run can start a server there meanwhile."""
    reserved = reserve_port()
    url = f"redis://127.0.0.1:{reserved.getsockname()[1]}/0"
    yield {"STRIKEWATCH_REDIS_URL": url, "STRIKEWATCH_PREFIX": prefix}, reserved
    reserved.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_without_redis_the_port_opens_and_a_signal_stops_it(
    unreachable_env: tuple[dict[str, str], socket.socket],
    tmp_path: Path,
    procs: list[ServiceProcess],
    sig: signal.Signals,
) -> None:
    env, _ = unreachable_env
    proc = ServiceProcess("producer", env, tmp_path).start()
    procs.append(proc)
    base = f"http://127.0.0.1:{proc.port}"
    health = wait_http(f"{base}/healthz")
    assert health.status_code == 200
    ready = httpx.get(f"{base}/readyz", timeout=2.0)
    assert ready.status_code == 503
    assert "Redis" in ready.text, ready.text
    assert httpx.get(f"{base}/no-such-page", timeout=2.0).status_code == 404
    took, code = stop_time(proc, sig)
    print(f"no Redis: {sig.name} to exit in {took:.2f}s")
    assert took < STOP_BOUND_S, f"{sig.name} took {took:.1f}s\n{proc.log()[-1500:]}"
    assert code == 0, proc.log()[-1500:]


def test_becomes_ready_when_redis_appears_and_stops_quickly_after(
    unreachable_env: tuple[dict[str, str], socket.socket], tmp_path: Path, procs: list[ServiceProcess]
) -> None:
    env, reserved = unreachable_env
    redis_port = reserved.getsockname()[1]
    proc = ServiceProcess("producer", env, tmp_path).start()
    procs.append(proc)
    base = f"http://127.0.0.1:{proc.port}"
    assert (wait_http(f"{base}/readyz")).status_code == 503
    reserved.close()  # Redis takes the port now
    with EmbeddedRedis(port=redis_port):
        proc.wait_ready()
        posted = httpx.post(f"{base}/articles", content=b'{"text": "Drones hit Odesa."}', timeout=10)
        assert posted.status_code == 202, posted.text
        took, code = stop_time(proc, signal.SIGTERM)
    print(f"ready, then SIGTERM to exit in {took:.2f}s")
    assert took < STOP_BOUND_S, f"SIGTERM took {took:.1f}s\n{proc.log()[-1500:]}"
    assert code == 0


def test_faststream_run_serves_on_the_configured_port_without_redis(
    unreachable_env: tuple[dict[str, str], socket.socket],
) -> None:
    """`faststream run services.producer.app:app` (the documented equivalent of `strikewatch run`)
    behaves the same: the configured port, at once, and a quick exit on SIGTERM."""
    env, _ = unreachable_env
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "faststream", "run", "services.producer.app:app"],
        env={**os.environ, **env, "STRIKEWATCH_HTTP_PORT": str(port), "STRIKEWATCH_HTTP_HOST": "127.0.0.1"},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        health = wait_http(f"http://127.0.0.1:{port}/healthz")
        assert health.status_code == 200
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
        assert time.monotonic() - started < STOP_BOUND_S
        assert code == 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def test_faststream_workers_are_refused_with_a_clear_message(
    unreachable_env: tuple[dict[str, str], socket.socket],
) -> None:
    env, _ = unreachable_env
    process = subprocess.Popen(
        [sys.executable, "-m", "faststream", "run", "services.producer.app:app", "--workers", "2"],
        env={**os.environ, **env, "STRIKEWATCH_HTTP_PORT": str(free_port())},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Its own process group: were workers spawned after all, they are stopped with it.
        start_new_session=True,
    )
    try:
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    assert process.returncode != 0
    assert "--workers 2 is not supported: run 2 replicas instead" in stderr
    assert "Traceback" not in stderr
