"""A running pipeline for measurements: the alerter and N classifiers as real processes
(`strikewatch run ...`) on one Redis, a pub/sub subscriber on `{p}:alerts` in this process, and a
loopback HTTP webhook receiver in a thread. Shared by the pipeline benchmark, the soak run and
the soak test. Everything started here is stopped here, by pid, and listens on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sys
import threading
import time
from base64 import b64encode
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import PubSub

from bench.common import Deadline, cpu_seconds, vm_kb
from schemas import Article
from services.common.names import Names
from services.common.settings import load_settings
from services.common.streams import ensure_groups
from services.producer.publish import publish_articles
from tests.reliability.procs import ServiceProcess


@dataclass(frozen=True)
class Receipt:
    """One alert version as a receiver saw it."""

    alert_id: str
    version: int
    trigger: str  # the article whose report produced this version (the newest source)
    at: float  # time.time() on receipt
    delivery_id: str = ""


def receipt(body: bytes, at: float, delivery_id: str = "") -> Receipt:
    alert = json.loads(body)
    sources = alert.get("sources") or [{}]
    trigger = str(sources[-1].get("article_id"))
    return Receipt(alert["alert_id"], int(alert["version"]), trigger, at, delivery_id)


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A sender closing its keep-alive connection when it stops is not an error worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class WebhookReceiver:
    """A loopback HTTP server that answers 204 to every POST and records what it got."""

    def __init__(self) -> None:
        self.receipts: list[Receipt] = []
        self.changed = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver would

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                at = time.time()
                self.send_response(204)
                self.send_header("content-length", "0")
                self.end_headers()
                with receiver.changed:
                    receiver.receipts.append(receipt(body, at, self.headers.get("webhook-id", "")))
                    receiver.changed.notify_all()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # one line per request would flood the bench output

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, name="webhook-receiver", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def versions(self) -> set[tuple[str, int]]:
        with self.changed:
            return {(r.alert_id, r.version) for r in self.receipts}

    def wait_for(self, wanted: set[tuple[str, int]], timeout: float) -> bool:
        """Block (on the condition, no polling) until every wanted version has arrived."""
        deadline = Deadline(timeout)
        with self.changed:
            while not wanted <= {(r.alert_id, r.version) for r in self.receipts}:
                if deadline.passed():
                    return False
                self.changed.wait(timeout=deadline.left())
        return True


class AlertSubscriber:
    """Listens on `{p}:alerts` (every alert) and records receipt times."""

    def __init__(self, redis: Redis, names: Names) -> None:
        self.redis = redis
        self.names = names
        self.receipts: list[Receipt] = []
        self.arrived = asyncio.Event()
        self._pubsub: PubSub | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> AlertSubscriber:
        self._pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        await self._pubsub.subscribe(self.names.alerts)
        self._task = asyncio.create_task(self._listen())
        return self

    async def _listen(self) -> None:
        assert self._pubsub is not None
        async for message in self._pubsub.listen():
            if message["type"] == "message":
                self.receipts.append(receipt(message["data"], time.time()))
                self.arrived.set()

    async def wait_for_trigger(self, article_id: str, within: float) -> bool:
        deadline = Deadline(within)
        while not any(r.trigger == article_id for r in self.receipts):
            if deadline.passed():
                return False
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), deadline.left())
            except TimeoutError:
                return False
        return True

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._pubsub is not None:
            await self._pubsub.aclose()


@dataclass
class ServiceMemory:
    name: str
    pid: int
    start_kb: int | None = None  # VmRSS once ready
    end_kb: int | None = None  # VmRSS before stopping
    peak_kb: int | None = None  # VmHWM before stopping


@dataclass
class Stack:
    """Alerter + `classifiers` classifier processes against `url`, under their own key prefix."""

    url: str
    prefix: str
    log_dir: Path
    classifiers: int = 1
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: list[ServiceProcess] = field(default_factory=list)
    memory: list[ServiceMemory] = field(default_factory=list)
    ingested: dict[str, float] = field(default_factory=dict)  # article id -> time.time() at publish

    def __post_init__(self) -> None:
        self.settings = load_settings(redis_url=self.url, prefix=self.prefix)
        self.names = self.settings.names
        self.receiver = WebhookReceiver()
        self.redis = Redis.from_url(self.url)
        self.subscriber = AlertSubscriber(self.redis, self.names)

    def _env(self) -> dict[str, str]:
        hooks = self.log_dir / f"webhooks-{self.prefix}.yaml"
        secret = "whsec_" + b64encode(secrets.token_bytes(24)).decode()
        hooks.write_text(f"- id: bench\n  url: {self.receiver.url}\n  secret: {secret}\n")
        return {
            "STRIKEWATCH_REDIS_URL": self.url,
            "STRIKEWATCH_PREFIX": self.prefix,
            "STRIKEWATCH_WEBHOOKS_FILE": str(hooks),
            "STRIKEWATCH_WEBHOOK_ALLOWLIST": "127.0.0.1/32",
            **self.extra_env,
        }

    async def start(self) -> Stack:
        self.receiver.start()
        # Groups at id 0 before anything is published, so nothing published early is skipped.
        await ensure_groups(self.redis, self.names)
        await self.subscriber.start()
        env = self._env()
        names = ["alerter"] + ["classifier"] * self.classifiers
        self.processes = [ServiceProcess(name, env, self.log_dir).start() for name in names]
        # The processes build their pipelines in parallel; wait for each in a thread.
        await asyncio.gather(*(asyncio.to_thread(p.wait_ready) for p in self.processes))
        self.memory = [
            ServiceMemory(p.service, p.process.pid, start_kb=vm_kb(p.process.pid, "VmRSS"))
            for p in self.processes
            if p.process is not None
        ]
        return self

    async def publish(self, articles: Sequence[Article]) -> None:
        at = time.time()
        for article in articles:
            self.ingested[article.id] = at
        await publish_articles(self.redis, self.settings, articles)

    def alerter_cpu_s(self) -> float | None:
        """CPU seconds the alerter process has used so far."""
        pid = next((m.pid for m in self.memory if m.name == "alerter"), None)
        return cpu_seconds(pid) if pid is not None else None

    def sample_memory(self) -> None:
        for mem in self.memory:
            mem.end_kb = vm_kb(mem.pid, "VmRSS") or mem.end_kb
            mem.peak_kb = vm_kb(mem.pid, "VmHWM") or mem.peak_kb

    async def stop(self) -> None:
        self.sample_memory()
        await asyncio.gather(*(asyncio.to_thread(p.stop) for p in self.processes))
        await self.subscriber.stop()
        self.receiver.stop()
        await self.redis.aclose()

    async def __aenter__(self) -> Stack:
        try:
            return await self.start()
        except BaseException:
            await self.stop()
            raise

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------ reading results

    async def wait_classified(self, count: int, within: float) -> list[tuple[int, str]]:
        """XREAD BLOCK until the classified stream holds `count` entries; (entry ms, article id)."""
        out: list[tuple[int, str]] = []
        last = "0"
        deadline = Deadline(within)
        while len(out) < count:
            left_ms = int(deadline.left() * 1000)
            if left_ms <= 0:
                raise TimeoutError(f"{len(out)} of {count} articles classified after {within:.0f}s")
            reply = await self.redis.xread({self.names.classified: last}, count=1000, block=left_ms)
            for _, entries in reply:
                for entry_id, fields in entries:
                    last = entry_id.decode()
                    out.append((int(last.split("-")[0]), json.loads(fields[b"__data__"])["id"]))
        return out

    async def alert_log(self) -> list[Receipt]:
        out: list[Receipt] = []
        last = "-"
        while True:
            entries = await self.redis.xrange(self.names.alert_log, min=last, count=1000)
            if last != "-":
                entries = entries[1:]  # the range is inclusive of the id we resumed from
            if not entries:
                return out
            # `at` of a log receipt: when the version was logged (the entry id's milliseconds,
            # Redis's clock, the same host clock the receivers read).
            out.extend(
                receipt(fields[b"__data__"], int(entry_id.decode().split("-")[0]) / 1000)
                for entry_id, fields in entries
            )
            last = entries[-1][0].decode()
