"""A Redis that stops answering without going away (red team 7 #11: the embedded server paused with
SIGSTOP for ~10 s during `strikewatch demo --follow`). The read endpoints answer 503 + Retry-After
within STRIKEWATCH_HTTP_REDIS_WAIT_S, the demo waits the stall out and goes on, and only a server
process that has exited ends its wait. Real servers (each test pauses an embedded server of its own,
never the session's), real HTTP on 127.0.0.1; every wait is on an event, bounded."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from services.alerter.app import build_alerter
from services.common.embedded import EmbeddedRedis
from services.common.runtime import build_app, start_http
from services.common.settings import load_settings
from services.demo import RedisGone, _patiently
from tests.cli.conftest import ROOT, STRIKEWATCH

READS = [
    "/alerts",
    "/alerts.atom",
    "/alerts.geojson",
    "/alerts/cap?id=some-incident",
    "/alerts/json?id=some-incident",
    "/alerts/some-incident",
    "/alerts/some-incident/versions",
    "/alerts/stream",
]
WAIT_S = 1.0


@pytest.fixture
def own_server() -> Iterator[EmbeddedRedis]:
    with EmbeddedRedis() as server:
        try:
            yield server
        finally:
            if server.pid is not None and server.alive():
                os.kill(server.pid, signal.SIGCONT)


async def test_read_endpoints_answer_503_with_retry_after_while_redis_is_paused(
    own_server: EmbeddedRedis,
) -> None:
    settings = load_settings(redis_url=own_server.url, prefix="stall", poll_ms=20, http_redis_wait_s=WAIT_S)
    app, _ = build_app(settings, [build_alerter], title="test", http_port=0)
    server, serving = await start_http(app, 0)
    port = server.servers[0].sockets[0].getsockname()[1]
    assert own_server.pid is not None
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            assert (await client.get("/alerts")).status_code == 200
            os.kill(own_server.pid, signal.SIGSTOP)
            try:
                for path in READS:
                    started = time.monotonic()
                    answer = await client.get(path)
                    took = time.monotonic() - started
                    assert answer.status_code == 503, (path, answer.status_code, answer.text)
                    assert answer.headers["retry-after"] == str(settings.refused_retry_after_s), path
                    assert "Redis is unreachable" in answer.json()["error"], path
                    # Within the configured wait (it took 10 s, redis-py's own timeout and retry).
                    assert took < WAIT_S + 2.5, (path, took)
            finally:
                os.kill(own_server.pid, signal.SIGCONT)
            # Answers again once Redis does (bounded: a few tries of at most WAIT_S each).
            for _ in range(20):
                answer = await client.get("/alerts")
                if answer.status_code == 200:
                    break
            assert answer.status_code == 200, answer.text
    finally:
        server.should_exit = True
        await serving


async def test_a_wait_outlasts_a_paused_server_and_ends_when_the_server_has_exited(
    own_server: EmbeddedRedis,
) -> None:
    """`_patiently` (the demo's drain reads) tries again while the server process runs and raises
    RedisGone once it has exited. The pause ends when the wait first asks whether the server lives,
    that is once a read has timed out on it."""
    client = Redis.from_url(own_server.url, socket_timeout=0.3)
    loop = asyncio.get_running_loop()
    assert own_server.pid is not None
    asked = 0

    def alive_and_resume() -> bool:
        nonlocal asked
        asked += 1
        if asked == 1:
            os.kill(own_server.pid or 0, signal.SIGCONT)
        return own_server.alive()

    try:
        os.kill(own_server.pid, signal.SIGSTOP)
        assert await _patiently(client.ping, loop.time() + 30, alive_and_resume) is True
        assert asked >= 1
        own_server.stop(kill=True)
        with pytest.raises(RedisGone, match="has exited"):
            await _patiently(client.ping, loop.time() + 30, own_server.alive)
    finally:
        await client.aclose()


ARTICLES = [
    {
        "id": "stall-1",
        "text": "Russian drones struck Kharkiv overnight, damaging a house and injuring two people.",
        "published": "2026-11-30",
    },
    {
        "id": "stall-2",
        "text": "Russian missiles hit Odesa on Monday, killing one person and damaging a port building.",
        "published": "2026-11-30",
    },
]


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _wait_for(what: str, path: Path, process: subprocess.Popen[bytes], seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while what not in (text := path.read_text()):
        assert process.poll() is None, f"the demo exited ({process.returncode}): {text[-3000:]}"
        assert time.monotonic() < deadline, f"no {what!r} in {seconds}s: {text[-3000:]}"
        time.sleep(0.1)
    return text


def test_the_demo_keeps_running_through_a_paused_embedded_server(tmp_path: Path) -> None:
    """The demo paused right after its first alert (while it drains): it used to exit with "Redis
    ... did not answer in time"; now it finishes, serves the alerts and runs until SIGINT."""
    articles = tmp_path / "articles.jsonl"
    articles.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES))
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIKEWATCH_")}
    env |= {"STRIKEWATCH_HTTP_HOST": "127.0.0.1", "STRIKEWATCH_HTTP_REDIS_WAIT_S": str(WAIT_S)}
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [str(STRIKEWATCH), "demo", "--follow", "--port", "0", "--json", str(articles)],
            env=env,
            cwd=ROOT,
            stdout=stdout,
            stderr=stderr,
        )
    valkey: int | None = None
    try:
        _wait_for("stall-", out, process, 120)  # the first alert is out; the demo is draining
        (valkey,) = _children(process.pid)
        os.kill(valkey, signal.SIGSTOP)
        # Paused until the demo's own clients time out on it (redis-py's read timeout), not a sleep.
        _wait_for("(TimeoutError)", err, process, 60)
        base = re.search(r"duty desk \(live map and incident list\) on (http://[\d.:]+)/", err.read_text())
        assert base, err.read_text()
        answer = httpx.get(f"{base.group(1)}/alerts", timeout=30)
        assert answer.status_code == 503 and "retry-after" in answer.headers, answer.text
        os.kill(valkey, signal.SIGCONT)
        valkey = None
        _wait_for("alert message(s) published", err, process, 120)
        answer = httpx.get(f"{base.group(1)}/alerts", timeout=30)
        assert answer.status_code == 200, answer.text
        assert {a["alert_id"] for a in answer.json()["alerts"]}
    finally:
        if valkey is not None:
            os.kill(valkey, signal.SIGCONT)
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=60)
    # Stopped by the signal, as Ctrl-C stops it (0 after the server's clean shutdown, or
    # ExitCode.INTERRUPTED, depending on where the signal lands); it had exited 4 by itself.
    assert code in (0, 130), err.read_text()[-3000:]
    assert "did not answer in time" not in err.read_text()
    # The subscribers' reads that Redis did not answer are one warning line each, no traceback.
    fetches = [json.loads(line) for line in err.read_text().splitlines() if "Message fetch error" in line]
    assert fetches, err.read_text()[-3000:]
    assert all(f["level"] == "warning" and "exception" not in f for f in fetches), fetches[0]


def test_the_following_demo_ends_when_its_embedded_server_has_died(tmp_path: Path) -> None:
    """Dead, not slow: the server killed while the demo follows ends the demo with the reason."""
    articles = tmp_path / "articles.jsonl"
    articles.write_text(json.dumps(ARTICLES[0]) + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIKEWATCH_")}
    env |= {"STRIKEWATCH_HTTP_HOST": "127.0.0.1"}
    err = tmp_path / "stderr"
    with err.open("w") as stderr:
        process = subprocess.Popen(
            [str(STRIKEWATCH), "demo", "--follow", "--port", "0", "--json", str(articles)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        _wait_for("alert message(s) published", err, process, 120)
        (valkey,) = _children(process.pid)
        os.kill(valkey, signal.SIGKILL)
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
    assert code == 4, err.read_text()[-3000:]  # ExitCode.REDIS_UNREACHABLE
    assert "the embedded Redis-compatible server has exited (exit status -9)" in err.read_text()
