"""The broker hop: read an article from a stream in a consumer group, parse it, write it on to an
output stream as plain JSON, acknowledge it. Three consumers do the same work:

- `raw`: a plain redis-py loop (XREADGROUP COUNT n / pipelined XADD + XACK), the baseline;
- `fs-batch`: FastStream as the services use it (batch `StreamSub` with a group, the services'
  broker settings and Prometheus middleware, pipelined plain-JSON writes through the client);
- `fs-single`: FastStream's usual decorator style, one message per handler call, each write awaited.

Each consumer runs in its own process (`python -m bench.hop worker ...`), so the driver that
publishes and measures does not share its event loop or its core budget with it.
Throughput: a backlog is published first; the worker reports wall and CPU seconds from its first
to its last message. Latency: the driver publishes at a steady rate and reads the output stream
with XREAD BLOCK; latency = read time - the article's `ingested_at`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis

from bench.common import ROOT, Deadline, median, percentile, spread
from schemas import Article
from services.common.embedded import EmbeddedRedis

MODES = ("raw", "fs-batch", "fs-single")
IN_STREAM, OUT_STREAM, GROUP = "hop:in", "hop:out", "hop"
BATCH = 32  # the services' default STRIKEWATCH_BATCH_SIZE
POLL_MS = 100  # the services' default STRIKEWATCH_POLL_MS (XREADGROUP BLOCK; returns on arrival)
WORKER_TIMEOUT_S = 120.0
# ~2 KB of JSON per message, as in PERFORMANCE-NOTES.md.
TEXT = ("Russian forces attacked Kharkiv with Shahed drones overnight, officials said. " * 24)[:1900]


def message(i: int) -> bytes:
    return Article(id=f"hop-{i}", text=TEXT, ingested_at=datetime.now(UTC)).model_dump_json().encode()


# ---------------------------------------------------------------- the worker process


@dataclass
class Clock:
    """First-to-last message timing inside the worker; `done` fires after `target` messages."""

    target: int
    seen: int = 0
    wall0: float = 0.0
    cpu0: float = 0.0
    wall: float = 0.0
    cpu: float = 0.0
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def start_once(self) -> None:
        if self.seen == 0:
            self.wall0, self.cpu0 = time.perf_counter(), time.process_time()

    def count(self, n: int) -> None:
        self.seen += n
        if self.seen >= self.target and not self.done.is_set():
            self.wall, self.cpu = time.perf_counter() - self.wall0, time.process_time() - self.cpu0
            self.done.set()


async def raw_worker(url: str, clock: Clock) -> None:
    redis = Redis.from_url(url)
    try:
        while not clock.done.is_set():
            reply = await redis.xreadgroup(GROUP, "raw", {IN_STREAM: ">"}, count=BATCH, block=POLL_MS)
            if not reply:
                continue
            entries = reply[0][1]
            clock.start_once()
            pipe = redis.pipeline(transaction=False)
            for _, fields in entries:
                article = Article.model_validate_json(fields[b"__data__"])
                pipe.xadd(OUT_STREAM, {"__data__": article.model_dump_json()})
            pipe.xack(IN_STREAM, GROUP, *(entry_id for entry_id, _ in entries))
            await pipe.execute()
            clock.count(len(entries))
    finally:
        await redis.aclose()


def faststream_broker(url: str) -> Any:
    """The broker exactly as the services build it."""
    from prometheus_client import CollectorRegistry

    from services.common.runtime import make_broker

    return make_broker(url, CollectorRegistry(), "bench-hop")


async def faststream_worker(url: str, clock: Clock, *, batch: bool) -> None:
    from faststream.redis import StreamSub
    from faststream.redis.annotations import RedisBatchStreamMessage

    from services.common.consume import entries, keep_raw

    broker = faststream_broker(url)
    writer = Redis.from_url(url)

    if batch:

        @broker.subscriber(
            stream=StreamSub(
                IN_STREAM, group=GROUP, consumer="fs", batch=True, max_records=BATCH, polling_interval=POLL_MS
            ),
            parser=keep_raw,
        )
        async def on_batch(body: Any, msg: RedisBatchStreamMessage) -> None:
            # Raw entries, as services.classifier.app reads them: parse once, write all in one round trip.
            clock.start_once()
            batch = entries(msg)
            pipe = writer.pipeline(transaction=False)
            for _, fields in batch:
                article = Article.model_validate_json(fields[b"__data__"])
                pipe.xadd(OUT_STREAM, {"__data__": article.model_dump_json()})
            await pipe.execute()
            clock.count(len(batch))
    else:

        @broker.subscriber(stream=StreamSub(IN_STREAM, group=GROUP, consumer="fs", polling_interval=POLL_MS))
        async def on_one(article: Article) -> None:
            clock.start_once()
            await writer.xadd(OUT_STREAM, {"__data__": article.model_dump_json()})
            clock.count(1)

    await broker.start()
    try:
        await asyncio.wait_for(clock.done.wait(), WORKER_TIMEOUT_S)
        # Let the last batch's XACK (sent by FastStream after the handler returns) go out.
        await asyncio.sleep(0.05)
    finally:
        await broker.stop()
        await writer.aclose()


async def worker_main(mode: str, url: str, count: int) -> None:
    clock = Clock(count)
    if mode == "raw":
        await asyncio.wait_for(raw_worker(url, clock), WORKER_TIMEOUT_S)
    else:
        await faststream_worker(url, clock, batch=mode == "fs-batch")
    print(json.dumps({"n": clock.seen, "wall": clock.wall, "cpu": clock.cpu}), flush=True)


# ---------------------------------------------------------------- the driver


@dataclass
class ModeResult:
    per_msg_cpu_us: list[float] = field(default_factory=list)
    wall_rate: list[float] = field(default_factory=list)
    p50_ms: list[float] = field(default_factory=list)
    p99_ms: list[float] = field(default_factory=list)


@dataclass
class HopResult:
    modes: dict[str, ModeResult]
    rounds: int
    counts: dict[str, int]
    latency_rate: float
    latency_seconds: float
    ratios: dict[str, list[float]]  # per round: FastStream CPU µs/msg ÷ raw CPU µs/msg


async def reset(redis: Redis) -> None:
    await redis.delete(IN_STREAM, OUT_STREAM)
    await redis.xgroup_create(IN_STREAM, GROUP, id="0", mkstream=True)


def spawn(mode: str, url: str, count: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bench.hop", "worker", "--mode", mode, "--url", url, "--count", str(count)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def collect(proc: subprocess.Popen[bytes]) -> dict[str, float]:
    try:
        out, err = proc.communicate(timeout=WORKER_TIMEOUT_S + 30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate(timeout=10)
        raise
    if proc.returncode != 0:
        raise RuntimeError(f"hop worker failed ({proc.returncode}): {err.decode(errors='replace')[-2000:]}")
    result: dict[str, float] = json.loads(out.decode().strip().splitlines()[-1])
    return result


async def throughput(redis: Redis, url: str, mode: str, count: int) -> dict[str, float]:
    await reset(redis)
    pipe = redis.pipeline(transaction=False)
    for i in range(count):
        pipe.xadd(IN_STREAM, {"__data__": message(i)})
    await pipe.execute()
    proc = spawn(mode, url, count)
    return await asyncio.to_thread(collect, proc)


async def latency(redis: Redis, url: str, mode: str, rate: float, seconds: float) -> list[float]:
    """Publish one message every 1/rate s; return the hop latencies in ms."""
    await reset(redis)
    count = int(rate * seconds)
    proc = spawn(mode, url, count)
    # Start publishing only once the consumer is reading (it has created its connection and
    # is blocked in XREADGROUP), so start-up time is not counted as latency.
    await _until_consumer_reads(redis, Deadline(60))
    reader = Redis.from_url(url)
    latencies: list[float] = []

    async def read_all() -> None:
        last = "0"
        bound = Deadline(seconds + 60)
        while len(latencies) < count and not bound.passed():
            reply = await reader.xread({OUT_STREAM: last}, count=1000, block=1000)
            now = datetime.now(UTC)
            for _, entries in reply:
                for entry_id, fields in entries:
                    sent = Article.model_validate_json(fields[b"__data__"]).ingested_at
                    assert sent is not None
                    latencies.append((now - sent).total_seconds() * 1000)
                    last = entry_id

    read_task = asyncio.create_task(read_all())
    started = time.monotonic()
    for i in range(count):
        # Paced against the start, so a slow XADD does not lower the offered rate.
        await asyncio.sleep(max(0.0, started + i / rate - time.monotonic()))
        await redis.xadd(IN_STREAM, {"__data__": message(i)})
    await read_task
    await reader.aclose()
    await asyncio.to_thread(collect, proc)
    return latencies


async def _until_consumer_reads(redis: Redis, deadline: Deadline) -> None:
    """Redis has no notification for "a consumer joined the group": look at XINFO GROUPS every
    50 ms (a start-up wait in the driver, not a wait for a result)."""
    while not deadline.passed():
        groups = await redis.xinfo_groups(IN_STREAM)
        if any(g.get("consumers", 0) for g in groups):
            return
        await asyncio.sleep(0.05)


async def run_async(
    url: str, *, rounds: int, counts: dict[str, int], rate: float, seconds: float
) -> HopResult:
    redis = Redis.from_url(url)
    modes = {m: ModeResult() for m in MODES}
    ratios: dict[str, list[float]] = {"fs-batch": [], "fs-single": []}
    try:
        for _ in range(rounds):
            cost: dict[str, float] = {}
            for mode in MODES:  # interleaved: each round runs every mode once
                t = await throughput(redis, url, mode, counts[mode])
                cost[mode] = t["cpu"] / t["n"] * 1e6
                modes[mode].per_msg_cpu_us.append(cost[mode])
                modes[mode].wall_rate.append(t["n"] / t["wall"])
                lat = await latency(redis, url, mode, rate, seconds)
                modes[mode].p50_ms.append(percentile(lat, 50))
                modes[mode].p99_ms.append(percentile(lat, 99))
            for mode in ratios:
                ratios[mode].append(cost[mode] / cost["raw"])
    finally:
        await redis.aclose()
    return HopResult(modes, rounds, counts, rate, seconds, ratios)


def run(*, rounds: int = 3, quick: bool = False) -> HopResult:
    counts = (
        {"raw": 4000, "fs-batch": 2000, "fs-single": 800}
        if quick
        else {"raw": 20000, "fs-batch": 8000, "fs-single": 3000}
    )
    with EmbeddedRedis() as server:
        return asyncio.run(
            run_async(server.url, rounds=rounds, counts=counts, rate=400.0, seconds=2.0 if quick else 5.0)
        )


def rows(result: HopResult) -> list[list[str]]:
    labels = {
        "raw": "plain redis-py loop (baseline)",
        "fs-batch": "FastStream batch `StreamSub`, pipelined writes (as the services)",
        "fs-single": "FastStream one message per call, awaited write",
    }
    out = []
    for mode in MODES:
        m = result.modes[mode]
        ratios = result.ratios.get(mode, [])
        ratio = f"**{median(ratios):.2f}×** ({spread(ratios)})" if ratios else "1.00×"
        out.append(
            [
                labels[mode],
                f"{median(m.wall_rate):,.0f} ({spread(m.wall_rate)})",
                f"{median(m.per_msg_cpu_us):.0f}",
                f"{1e6 / median(m.per_msg_cpu_us):,.0f}",
                ratio,
                f"{median(m.p50_ms):.2f}",
                f"{median(m.p99_ms):.2f}",
            ]
        )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hop")
    sub = parser.add_subparsers(dest="cmd", required=True)
    worker = sub.add_parser("worker", help="internal: one consumer process")
    worker.add_argument("--mode", choices=MODES, required=True)
    worker.add_argument("--url", required=True)
    worker.add_argument("--count", type=int, required=True)
    sub.add_parser("run", help="run the hop benchmark alone and print its rows")
    args = parser.parse_args(argv)
    if args.cmd == "worker":
        asyncio.run(worker_main(args.mode, args.url, args.count))
        return
    for row in rows(run(rounds=1, quick=True)):
        print(" | ".join(row))


if __name__ == "__main__":
    main()
