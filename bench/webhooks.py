"""The alerter's webhook path alone: `python -m bench.webhooks [--rate 200] [--count 2000] [--profile]`.

Delivery jobs are queued one at a time at `--rate` per second, as the webhook sink queues them (a
transaction, then a wake-up), and the alerter's `DeliveryWorker` sends them to a loopback receiver in
a process of its own (so its CPU is not the worker's). Prints the worker's CPU per delivery (this
process: the worker plus the queueing, which is small) and the queue -> receipt latency; `--profile`
adds a cProfile of this process. The whole-pipeline figures are in BENCHMARKS.md (`--only pipeline`);
this isolates the hop that differs between webhooks and pub/sub, to find where its time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from base64 import b64encode
from datetime import UTC, datetime
from pathlib import Path

from redis.asyncio import Redis

from bench.common import Deadline, percentile
from services.alerter.webhooks.jobs import DeliveryJob, DeliveryQueue, enqueue
from services.alerter.webhooks.subscriptions import SubscriptionStore, load_file
from services.alerter.webhooks.worker import DeliveryWorker
from services.common.embedded import EmbeddedRedis, free_port
from services.common.metrics import create_metrics
from services.common.settings import load_settings

# ~ a Standard-format alert's size.
BODY = '{"alert_id": "sw-bench", "version": 1, "text": "' + "x" * 1_500 + '"}'
WARMUP_FRACTION = 0.1


async def _serve(port: int) -> list[tuple[str, float]]:
    """The receiver: HTTP/1.1 keep-alive, 204 to every POST, until SIGTERM; returns (webhook-id,
    receipt time) of each."""
    got: list[tuple[str, float]] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                at = time.time()
                headers = {}
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    headers[name.strip().lower()] = value.strip()
                await reader.readexactly(int(headers.get(b"content-length", b"0")))
                got.append((headers[b"webhook-id"].decode(), at))
                writer.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    print("ready", flush=True)
    async with server:
        await stop.wait()
    return got


def run(rate: float, count: int, work: Path) -> tuple[float, list[float]]:
    """(CPU ms per delivery, queue -> receipt latencies in ms after the warm-up)."""
    port, received = free_port(), work / "received.txt"
    receiver = subprocess.Popen(
        [sys.executable, "-m", "bench.webhooks", "--receiver", str(port), str(received)],
        stdout=subprocess.PIPE,
    )
    queued: dict[str, float] = {}
    try:
        assert receiver.stdout is not None and receiver.stdout.readline().strip() == b"ready"
        cpu = asyncio.run(_send(rate, count, port, work, queued))
    finally:
        receiver.send_signal(signal.SIGTERM)
        receiver.wait(timeout=30)
    got = [line.split() for line in received.read_text().splitlines()]
    assert len(got) == count, f"{len(got)} of {count} deliveries arrived"
    skip = int(count * WARMUP_FRACTION)
    return cpu * 1000 / count, [(float(at) - queued[job_id]) * 1000 for job_id, at in got[skip:]]


async def _send(rate: float, count: int, port: int, work: Path, queued: dict[str, float]) -> float:
    """Queue `count` jobs at `rate` for a worker to send to `port`; CPU seconds until all are sent."""
    with EmbeddedRedis() as server:
        hooks = work / "webhooks.yaml"
        secret = "whsec_" + b64encode(secrets.token_bytes(24)).decode()
        hooks.write_text(f"- id: bench\n  url: http://127.0.0.1:{port}/hook\n  secret: {secret}\n")
        settings = load_settings(
            redis_url=server.url, prefix="wb", webhooks_file=hooks, webhook_allowlist="127.0.0.1/32"
        )
        redis = Redis.from_url(server.url)
        names = settings.names
        subscriptions = SubscriptionStore(
            redis, names, load_file(hooks, allowlist=settings.allowlist()), file=hooks
        )
        queue = DeliveryQueue(redis, names, deadletter_maxlen=1_000)
        worker = DeliveryWorker(settings, create_metrics(), queue, subscriptions)
        task = asyncio.create_task(worker.run())
        cpu, started = time.process_time(), time.monotonic()
        for i in range(count):
            await asyncio.sleep(max(0.0, started + i / rate - time.monotonic()))
            now = datetime.now(UTC)
            job = DeliveryJob(
                id=f"msg_{i}",
                subscription_id="bench",
                alert_id=f"sw-{i}",
                version=1,
                body=BODY,
                enqueued_at=now,
            )
            async with redis.pipeline(transaction=True) as pipe:
                enqueue(pipe, names, job, due_ms=int(now.timestamp() * 1000))
                queued[job.id] = time.time()
                await pipe.execute()
            worker.wake()
        deadline = Deadline(120)
        while await queue.pending():
            assert not deadline.passed(), "the worker did not send everything within 120 s"
            await asyncio.sleep(0.01)
        cpu = time.process_time() - cpu
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await worker.stop()
        await redis.aclose()
    return cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.webhooks", description=__doc__)
    parser.add_argument("--rate", type=float, default=200.0, help="jobs queued per second")
    parser.add_argument("--count", type=int, default=2_000)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of this process")
    parser.add_argument("--receiver", nargs=2, metavar=("PORT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.receiver:
        got = asyncio.run(_serve(int(args.receiver[0])))
        Path(args.receiver[1]).write_text("".join(f"{job_id} {at}\n" for job_id, at in got))
        return 0
    profile = cProfile.Profile()
    with tempfile.TemporaryDirectory(prefix="strikewatch-webhooks-") as work:
        if args.profile:
            profile.enable()
        cpu_ms, latencies = run(args.rate, args.count, Path(work))
        profile.disable()
    print(
        f"{args.count} deliveries at {args.rate:g}/s: {cpu_ms:.2f} ms CPU per delivery; queue -> receipt "
        + ", ".join(f"p{q} {percentile(latencies, q):.1f} ms" for q in (50, 95, 99))
    )
    if args.profile:
        pstats.Stats(profile).sort_stats("tottime").print_stats(40)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
