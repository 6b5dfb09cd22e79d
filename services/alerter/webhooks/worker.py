"""The delivery loop: claims due jobs from Redis, POSTs signed alerts, and schedules retries or gives
up to the dead-letter stream. One httpx client per process; at most `webhook_concurrency` requests
per endpoint at a time."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import random
import socket
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import httpx
from redis.exceptions import RedisError

from schemas import WebhookSubscription
from services.alerter.webhooks.jobs import DeliveryJob, DeliveryQueue
from services.alerter.webhooks.policy import (
    AllowItem,
    IPAddress,
    backoff_delay,
    choose_address,
    parse_retry_after,
    retryable_status,
)
from services.alerter.webhooks.signing import signed_headers
from services.alerter.webhooks.subscriptions import SubscriptionStore
from services.common.metrics import Metrics
from services.common.settings import Settings

log = logging.getLogger("strikewatch.alerter.webhooks")

# Requests in flight per process, across all endpoints.
MAX_IN_FLIGHT = 64
USER_AGENT = "strikewatch-webhooks/0.1"

Resolver = Callable[[str, int], Awaitable[Sequence[IPAddress]]]
Verdict = Literal["delivered", "retry", "failed", "refused"]


@dataclass(frozen=True, slots=True)
class AttemptResult:
    verdict: Verdict
    error: str | None = None
    retry_after_s: float | None = None


async def resolve(host: str, port: int) -> list[IPAddress]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


def _where(url: httpx.URL) -> str:
    """The URL without query or credentials, for errors and logs (query strings often hold tokens)."""
    port = f":{url.port}" if url.port else ""
    return f"{url.scheme}://{url.host}{port}{url.path}"


async def _read_capped(response: httpx.Response, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in response.aiter_raw():
        chunks.append(chunk[: limit - size])
        size += len(chunks[-1])
        if size >= limit:
            break
    return b"".join(chunks)


class DeliveryWorker:
    def __init__(
        self,
        settings: Settings,
        metrics: Metrics,
        queue: DeliveryQueue,
        subscriptions: SubscriptionStore,
        *,
        resolver: Resolver = resolve,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._settings = settings
        self._metrics = metrics
        self._queue = queue
        self._subscriptions = subscriptions
        self._resolver = resolver
        self._transport = transport
        self._allowlist: list[AllowItem] = settings.allowlist()
        self._wake = asyncio.Event()
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._endpoint_slots: dict[str, asyncio.Semaphore] = {}
        self._next_due_ms: int | None = None
        self._claiming = False
        self._client: httpx.AsyncClient | None = None

    # -- the loop -------------------------------------------------------------------------------

    def wake(self) -> None:
        """A job was enqueued in this process: look at the queue now rather than at the next poll."""
        self._wake.set()

    def idle(self) -> bool:
        """No request in flight here and, as far as this process knows, nothing due now."""
        if self._tasks or self._claiming or self._wake.is_set():
            return False
        return self._next_due_ms is None or self._next_due_ms > _now_ms()

    async def run(self) -> None:
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            timeout=httpx.Timeout(self._settings.webhook_timeout_s),
            trust_env=False,  # a proxy from the environment would bypass the address policy
            transport=self._transport,
            headers={"user-agent": USER_AGENT},
        )
        lease_ms = int(self._settings.webhook_lease_s * 1000)
        me = asyncio.current_task()
        while True:
            # A cancellation can be swallowed inside a Redis call (Python 3.11's asyncio.timeout
            # turns it into a TimeoutError that the client retries); honour it here.
            if me is not None and me.cancelling():
                raise asyncio.CancelledError
            free = MAX_IN_FLIGHT - len(self._tasks)
            # With every slot taken, or Redis away, wait for a finished request or the poll interval.
            wait = self._settings.webhook_poll_max_s
            if free > 0:
                self._wake.clear()
                self._claiming = True
                try:
                    claimed = await self._queue.claim(now_ms=_now_ms(), lease_ms=lease_ms, limit=free)
                except (RedisError, OSError) as exc:
                    log.warning("webhook queue unreachable (%s); retrying", type(exc).__name__)
                    claimed = None
                finally:
                    self._claiming = False
                if claimed is not None:
                    self._metrics.webhook_pending.set(claimed.pending)
                    self._next_due_ms = claimed.next_due_ms
                    for job_id in claimed.broken:
                        log.error("dropping webhook job %s: its body is missing or unreadable", job_id)
                        await self._queue.drop(job_id)
                    for job in claimed.jobs:
                        self._start(job)
                    if len(self._tasks) < MAX_IN_FLIGHT:
                        wait = self._wait_s()
            # Woken early by a new job in this process or a finished request.
            await self._sleep(wait)

    def _wait_s(self) -> float:
        wait = self._settings.webhook_poll_max_s
        if self._next_due_ms is not None:
            wait = min(wait, max(0.0, (self._next_due_ms - _now_ms()) / 1000))
        return wait

    async def _sleep(self, seconds: float) -> None:
        # Not asyncio.timeout: on Python 3.11 it can swallow a cancellation that arrives as the
        # timeout expires, and the loop would never stop.
        timer = asyncio.get_running_loop().call_later(seconds, self._wake.set)
        try:
            await self._wake.wait()
        finally:
            timer.cancel()

    def _start(self, job: DeliveryJob) -> None:
        task = asyncio.create_task(self._deliver(job), name=f"webhook-{job.id}")
        self._tasks[job.id] = task
        task.add_done_callback(lambda _: self._finished(job.id))

    def _finished(self, job_id: str) -> None:
        self._tasks.pop(job_id, None)
        self._wake.set()

    async def stop(self) -> None:
        """Hand claimed jobs back to the queue (due now) so another replica, or the next start,
        sends them without waiting for the lease to expire."""
        tasks = dict(self._tasks)
        for task in tasks.values():
            task.cancel()
        await asyncio.gather(*tasks.values(), return_exceptions=True)
        for job_id in tasks:
            with contextlib.suppress(RedisError, OSError):
                await self._queue.release(job_id, due_ms=_now_ms())
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- one job --------------------------------------------------------------------------------

    async def _deliver(self, job: DeliveryJob) -> None:
        try:
            subscription = await self._subscriptions.get(job.subscription_id)
            if subscription is None:
                log.warning(
                    "dropping webhook %s: subscription %r no longer exists", job.id, job.subscription_id
                )
                self._metrics.webhook_deliveries.labels("failed").inc()
                await self._queue.drop(job.id)
                return
            slots = self._endpoint_slots.setdefault(
                _endpoint(subscription), asyncio.Semaphore(self._settings.webhook_concurrency)
            )
            async with slots:
                started = time.perf_counter()
                result = await self.attempt(job, subscription)
                if result.verdict != "refused":
                    self._metrics.webhook_delivery_seconds.observe(time.perf_counter() - started)
            await self._settle(job, result)
        except (RedisError, OSError) as exc:
            # The lease runs out and the job is claimed again: at-least-once, receivers dedupe.
            log.warning(
                "webhook %s: queue update failed (%s); it will be retried", job.id, type(exc).__name__
            )

    async def _settle(self, job: DeliveryJob, result: AttemptResult) -> None:
        attempts = job.attempts + 1
        if result.verdict == "delivered":
            self._metrics.webhook_deliveries.labels("delivered").inc()
            await self._queue.delivered(job.id)
            return
        failed = job.model_copy(update={"attempts": attempts, "last_error": result.error})
        if result.verdict == "retry" and attempts < self._settings.webhook_max_attempts:
            delay = backoff_delay(
                attempts,
                base_s=self._settings.webhook_backoff_base_s,
                max_s=self._settings.webhook_backoff_max_s,
                retry_after_s=result.retry_after_s,
                rand=random.random(),
            )
            self._metrics.webhook_deliveries.labels("retry").inc()
            log.info(
                "webhook %s attempt %d failed (%s); retrying in %.2fs", job.id, attempts, result.error, delay
            )
            await self._queue.retry(failed, due_ms=_now_ms() + int(delay * 1000))
            return
        outcome = "refused" if result.verdict == "refused" else "failed"
        self._metrics.webhook_deliveries.labels(outcome).inc()
        log.warning("webhook %s gave up after %d attempt(s): %s", job.id, attempts, result.error)
        await self._queue.give_up(failed)

    async def attempt(self, job: DeliveryJob, subscription: WebhookSubscription) -> AttemptResult:
        """One signed POST. Connects to the address that passed the policy check, not to whatever a
        second DNS lookup would return."""
        assert self._client is not None, "the worker is not running"
        url = httpx.URL(str(subscription.url))
        where = _where(url)
        host = url.host
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            addresses = await self._resolver(host, port)
        except OSError as exc:
            return AttemptResult("retry", f"cannot resolve {host}: {exc.strerror or type(exc).__name__}")
        address, refusal = choose_address(host, addresses, self._allowlist)
        if address is None:
            return AttemptResult("refused", refusal)

        headers = signed_headers(subscription.secret, job.id, job.body, at=datetime.now(UTC))
        headers["host"] = url.netloc.decode("ascii")
        extensions = {"sni_hostname": host} if url.scheme == "https" else {}
        try:
            async with asyncio.timeout(self._settings.webhook_timeout_s):
                async with self._client.stream(
                    "POST",
                    url.copy_with(host=str(address)),
                    content=job.body.encode("utf-8"),
                    headers=headers,
                    extensions=extensions,
                ) as response:
                    body = await _read_capped(response, self._settings.webhook_max_response_bytes)
        except (TimeoutError, httpx.TimeoutException):
            return AttemptResult("retry", f"POST {where} timed out after {self._settings.webhook_timeout_s}s")
        except httpx.TransportError as exc:
            return AttemptResult("retry", f"POST {where} failed: {type(exc).__name__}")

        status = response.status_code
        if 200 <= status <= 299:
            return AttemptResult("delivered")
        excerpt = body[:200].decode("utf-8", "replace").strip()
        error = f"POST {where} returned {status}" + (f": {excerpt}" if excerpt else "")
        if 300 <= status <= 399:
            return AttemptResult("failed", f"POST {where} answered {status} (redirects are not followed)")
        if retryable_status(status):
            retry_after = parse_retry_after(response.headers.get("retry-after"), now=datetime.now(UTC))
            return AttemptResult("retry", error, retry_after)
        return AttemptResult("failed", error)


def _endpoint(subscription: WebhookSubscription) -> str:
    url = subscription.url
    return f"{url.scheme}://{url.host}:{url.port}"


def _now_ms() -> int:
    return int(time.time() * 1000)
