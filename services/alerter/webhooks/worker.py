"""The delivery loop: claims due jobs from Redis, POSTs signed alerts, and schedules retries (along
STRIKEWATCH_WEBHOOK_RETRY_SCHEDULE) or gives up to the dead-letter stream. A receiver answering
`410 Gone` disables its subscription. One httpx client per process; at most `webhook_concurrency`
requests per endpoint (URL) at a time, and a slow endpoint never holds slots another endpoint could
use: endpoints already holding requests leave the last `webhook_concurrency` slots to the others."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import httpx
from redis.exceptions import RedisError

from services.alerter.webhooks.addresses import Resolver, resolve
from services.alerter.webhooks.jobs import DeliveryJob, DeliveryQueue
from services.alerter.webhooks.masking import mask_url
from services.alerter.webhooks.policy import (
    endpoint_caps,
    retry_delay,
    retryable_status,
)
from services.alerter.webhooks.signing import signed_headers
from services.alerter.webhooks.subscriptions import STATUSES, Subscription, SubscriptionStore
from services.common.metrics import Metrics
from services.common.netpolicy import Allowlist, choose_address
from services.common.outbound import parse_retry_after
from services.common.retry import raise_if_cancelling
from services.common.settings import Settings

log = logging.getLogger("strikewatch.alerter.webhooks")

# Requests in flight per process, across all endpoints.
MAX_IN_FLIGHT = 64
# The shortest pause between two looks at the queue: the loop always yields, whatever the clock says.
MIN_WAIT_S = 0.005
USER_AGENT = "strikewatch-webhooks/0.1"
# Parsed subscription URLs remembered (emptied when full).
URL_CACHE = 1024

# "gone": the receiver answered 410 Gone; the subscription is disabled.
Verdict = Literal["delivered", "retry", "failed", "refused", "gone"]


@dataclass(frozen=True, slots=True)
class AttemptResult:
    verdict: Verdict
    error: str | None = None
    retry_after_s: float | None = None


async def _read_capped(response: httpx.Response, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in response.aiter_raw():
        chunks.append(chunk[: limit - size])
        size += len(chunks[-1])
        if size >= limit:
            break
    return b"".join(chunks)


class DeliveryWorker:
    """Claims due deliveries and sends them, at most `webhook_concurrency` at a time per endpoint
    and `MAX_IN_FLIGHT` in all.

    A job is claimed only when its endpoint has a free slot, so a receiver that hangs keeps its
    own backlog waiting in Redis and never takes the slots other endpoints need. While a job is
    held its lease is renewed, so however long it waits or takes, no other worker (nor this one)
    starts it a second time; only a worker that died lets its leases run out."""

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
        self._allowlist: Allowlist = settings.allowlist()
        self._wake = asyncio.Event()
        # Every job claimed and not yet settled, with its task: the in-flight accounting.
        self._held: dict[str, DeliveryJob] = {}
        self._tasks: dict[str, asyncio.Task[bool]] = {}
        # Learned from each subscription as its jobs are sent: which endpoint it points at.
        self._endpoint_of: dict[str, str] = {}
        self._endpoint_slots: dict[str, asyncio.Semaphore] = {}
        self._next_due_ms: int | None = None
        self._claiming = False
        self._client: httpx.AsyncClient | None = None
        self._urls: dict[tuple[str, str | None], httpx.URL] = {}
        self._counted_at = -settings.webhook_poll_max_s

    # -- the loop -------------------------------------------------------------------------------

    def wake(self) -> None:
        """A job was enqueued in this process: look at the queue now rather than at the next poll."""
        self._wake.set()

    def idle(self) -> bool:
        """No request in flight here and, as far as this process knows, nothing due now."""
        if self._held or self._claiming or self._wake.is_set():
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
        # Renewed three times per lease: one missed renewal (a Redis blip) does not lose a lease.
        renew_every_ms = max(1, lease_ms // 3)
        renewed_at_ms = _now_ms()
        while True:
            raise_if_cancelling()
            # Cleared before looking, never after: a wake-up that arrives while this pass awaits
            # Redis makes the next pass; one that arrived before is answered by this one. (Clearing
            # only when slots were free made `wait()` return at once, forever, with all slots
            # taken: the loop spun without yielding and froze the process.)
            self._wake.clear()
            if self._held and _now_ms() - renewed_at_ms >= renew_every_ms:
                renewed_at_ms = _now_ms()
                await self._renew_leases(renewed_at_ms + lease_ms)
            # As often as the queue is polled at most: one HGETALL pair, however busy the loop.
            if time.monotonic() - self._counted_at >= self._settings.webhook_poll_max_s:
                await self.count_subscriptions()
            wait = await self._claim_and_start(lease_ms)
            if self._held:
                wait = min(wait, max(0.0, (renewed_at_ms + renew_every_ms - _now_ms()) / 1000))
            # Woken early by a new job in this process or a finished request.
            await self._sleep(max(wait, MIN_WAIT_S))

    async def _claim_and_start(self, lease_ms: int) -> float:
        """Claim what the free slots allow and start it; returns how long to wait before the next
        look at the queue."""
        free = MAX_IN_FLIGHT - len(self._held)
        if free <= 0:
            return self._settings.webhook_poll_max_s  # a finished request wakes the loop
        caps = endpoint_caps(
            (job.subscription_id for job in self._held.values()),
            self._endpoint_of,
            concurrency=self._settings.webhook_concurrency,
            free_in_all=free,
        )
        self._claiming = True
        try:
            claimed = await self._queue.claim(
                now_ms=_now_ms(),
                lease_ms=lease_ms,
                limit=free,
                caps=caps,
                default_cap=self._settings.webhook_concurrency,
            )
        except (RedisError, OSError) as exc:
            log.warning("webhook queue unreachable (%s); retrying", type(exc).__name__)
            return self._settings.webhook_poll_max_s
        finally:
            self._claiming = False
        self._metrics.webhook_pending.set(claimed.pending)
        self._next_due_ms = claimed.next_due_ms
        for job_id in claimed.broken:
            log.error("dropping webhook job %s: its body is missing or unreadable", job_id)
            with contextlib.suppress(RedisError, OSError):
                await self._queue.drop(job_id)
        for job in claimed.jobs:
            stored = claimed.subscriptions.get(job.subscription_id)
            # Read by the claim script: no round trip per delivery (at 200 alerts/s, 1 of 4).
            found = self._subscriptions.parse(job.subscription_id, *stored) if stored else None
            self._start(job, (found,) if stored else ())
        if len(self._held) >= MAX_IN_FLIGHT:
            return self._settings.webhook_poll_max_s
        return self._wait_s()

    async def count_subscriptions(self) -> None:
        """Set strikewatch_webhook_subscriptions{status} from Redis (every replica reports the same)."""
        self._counted_at = time.monotonic()
        try:
            subscriptions = await self._subscriptions.records()
        except (RedisError, OSError) as exc:
            log.warning("could not count webhook subscriptions (%s)", type(exc).__name__)
            return
        for status in STATUSES:
            count = sum(1 for sub in subscriptions if sub.state.status == status)
            self._metrics.webhook_subscriptions.labels(status).set(count)

    async def _renew_leases(self, until_ms: int) -> None:
        try:
            await self._queue.renew(list(self._held), until_ms=until_ms)
        except (RedisError, OSError) as exc:
            # The next pass tries again; a lease lost meanwhile only means a possible second
            # delivery, which receivers de-duplicate on webhook-id.
            log.warning("could not renew webhook leases (%s)", type(exc).__name__)

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

    def _start(self, job: DeliveryJob, subscription: tuple[Subscription | None, ...] = ()) -> None:
        """Send `job` in a task of its own; `subscription`: as read with the claim, when it was."""
        if job.id in self._held:
            # Claimed again while this worker still holds it (its lease lapsed during a Redis
            # outage): the claim renewed the lease; one attempt is already under way.
            log.warning("webhook %s is already being delivered here; not starting it twice", job.id)
            return
        self._held[job.id] = job
        task = asyncio.create_task(self._deliver(job, *subscription), name=f"webhook-{job.id}")
        self._tasks[job.id] = task
        task.add_done_callback(lambda done: self._finished(job.id, done))

    def _finished(self, job_id: str, task: asyncio.Task[bool]) -> None:
        self._tasks.pop(job_id, None)
        self._held.pop(job_id, None)
        failed = None if task.cancelled() else task.exception()
        if failed is not None:
            # Read here, so asyncio would not say it; the lease runs out and the job is sent again.
            log.error("webhook %s: delivery failed unexpectedly: %r", job_id, failed)
        # A freed slot always looks at the queue. Waking only when the last claim left jobs
        # waiting (or this one left work behind) saved ~10% CPU per delivery, but jobs then waited
        # for the next poll: the webhook p99 at 200 alerts/s went from 26 ms to 565-3,957 ms
        # (make bench, 2026-12-01; why exactly was not pinned down), so it was undone.
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

    async def _deliver(self, job: DeliveryJob, *read: Subscription | None) -> bool:
        """Send one job and settle it in Redis; True when it was delivered and settled. `read`: its
        subscription as read with the claim (None: there is none), else it is read now."""
        try:
            subscription = read[0] if read else await self._subscriptions.get(job.subscription_id)
            if subscription is None:
                log.warning(
                    "dropping webhook %s: subscription %r no longer exists", job.id, job.subscription_id
                )
                self._endpoint_of.pop(job.subscription_id, None)
                self._metrics.webhook_deliveries.labels("failed").inc()
                await self._queue.drop(job.id)
                return False
            if not subscription.active:
                # Queued before it was disabled (or redelivered while it still is): kept, not sent.
                why = subscription.state.disabled_reason
                reason = f"not sent: subscription {subscription.id!r} is disabled ({why})"
                await self._dead_letter(job.model_copy(update={"last_error": reason}))
                return False
            endpoint = _endpoint(subscription)
            self._endpoint_of[subscription.id] = endpoint
            # Claims are capped per endpoint, so this rarely waits; it still bounds connections
            # when subscriptions sharing an endpoint were claimed before it was known.
            slots = self._endpoint_slots.setdefault(
                endpoint, asyncio.Semaphore(self._settings.webhook_concurrency)
            )
            async with slots:
                started = time.perf_counter()
                result = await self.attempt(job, subscription)
                if result.verdict != "refused":
                    self._metrics.webhook_delivery_seconds.observe(time.perf_counter() - started)
            await self._settle(job, result)
            return result.verdict == "delivered"
        except (RedisError, OSError) as exc:
            # The lease runs out and the job is claimed again: at-least-once, receivers dedupe.
            log.warning(
                "webhook %s: queue update failed (%s); it will be retried", job.id, type(exc).__name__
            )
            return False

    async def _settle(self, job: DeliveryJob, result: AttemptResult) -> None:
        attempts = job.attempts + 1
        if result.verdict == "delivered":
            self._metrics.webhook_deliveries.labels("delivered").inc()
            await self._queue.delivered(job.id)
            return
        failed = job.model_copy(update={"attempts": attempts, "last_error": result.error})
        delay = None
        if result.verdict == "retry":
            delay = retry_delay(
                self._settings.webhook_retry_schedule,
                attempts,
                retry_after_s=result.retry_after_s,
                rand=random.random(),
            )
        if delay is not None:
            self._metrics.webhook_deliveries.labels("retry").inc()
            log.info(
                "webhook %s attempt %d failed (%s); retrying in %.2fs", job.id, attempts, result.error, delay
            )
            await self._queue.retry(failed, due_ms=_now_ms() + int(delay * 1000))
            return
        outcome = "refused" if result.verdict == "refused" else "failed"
        self._metrics.webhook_deliveries.labels(outcome).inc()
        log.warning("webhook %s gave up after %d attempt(s): %s", job.id, attempts, result.error)
        await self._dead_letter(failed)
        if result.verdict == "gone":
            await self._disable(job.subscription_id, result.error or "the receiver answered 410 Gone")

    async def _dead_letter(self, job: DeliveryJob) -> None:
        await self._queue.give_up(job)
        self._metrics.deadletter.labels("webhook").inc()

    async def _disable(self, subscription_id: str, reason: str) -> None:
        """The receiver asked to stop: disable the subscription (new alerts are no longer queued for
        it) and move what is queued for it to the dead-letter stream, where `redeliver` finds it
        once the subscription is re-enabled."""
        try:
            subscription = await self._subscriptions.set_status(
                subscription_id, "disabled", reason=reason, at=datetime.now(UTC)
            )
        except LookupError:
            return  # deleted meanwhile: nothing left to disable
        moved = await self._queue.dead_letter_queued(
            subscription_id, f"not sent: subscription {subscription_id!r} was disabled ({reason})"
        )
        self._metrics.deadletter.labels("webhook").inc(moved)
        log.warning(
            "webhook subscription %r disabled: %s; %d queued deliveries moved to the dead-letter stream "
            "(re-enable with PATCH /subscriptions/%s, then `strikewatch webhooks redeliver "
            "--subscription %s`)",
            subscription_id,
            subscription.state.disabled_reason,
            moved,
            subscription_id,
            subscription_id,
        )
        await self.count_subscriptions()

    def _url(self, url: str, address: str | None = None) -> httpx.URL:
        """`url` parsed, with its host replaced by `address` when given; remembered (parsing costs
        ~0.2 ms a time, twice per delivery), a bounded number of them."""
        key = (url, address)
        found = self._urls.get(key)
        if found is None:
            found = httpx.URL(url) if address is None else self._url(url).copy_with(host=address)
            if len(self._urls) >= URL_CACHE:
                self._urls.clear()
            self._urls[key] = found
        return found

    async def attempt(self, job: DeliveryJob, subscription: Subscription) -> AttemptResult:
        """One signed POST, with a fresh timestamp and signature(s) and the job's stable webhook-id.
        Connects to the address that passed the policy check, not to whatever a second DNS lookup
        would return."""
        assert self._client is not None, "the worker is not running"
        url = self._url(str(subscription.definition.url))
        host = url.host
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            addresses = await self._resolver(host, port)
        except OSError as exc:
            return AttemptResult("retry", f"cannot resolve {host}: {exc.strerror or type(exc).__name__}")
        address, refusal = choose_address(host, addresses, self._allowlist)
        if address is None:
            return AttemptResult("refused", refusal)

        now = datetime.now(UTC)
        secrets = subscription.signing_secrets(now=now, overlap_s=self._settings.webhook_secret_overlap_s)
        headers = signed_headers(secrets, job.id, job.body, at=now)
        headers["host"] = url.netloc.decode("ascii")
        extensions = {"sni_hostname": host} if url.scheme == "https" else {}
        try:
            async with asyncio.timeout(self._settings.webhook_timeout_s):
                async with self._client.stream(
                    "POST",
                    self._url(str(subscription.definition.url), str(address)),
                    content=job.body.encode("utf-8"),
                    headers=headers,
                    extensions=extensions,
                ) as response:
                    body = await _read_capped(response, self._settings.webhook_max_response_bytes)
        except (TimeoutError, httpx.TimeoutException):
            where = mask_url(str(url))
            return AttemptResult("retry", f"POST {where} timed out after {self._settings.webhook_timeout_s}s")
        except httpx.TransportError as exc:
            where = mask_url(str(url))
            return AttemptResult("retry", f"POST {where} failed: {type(exc).__name__}")

        status = response.status_code
        if 200 <= status <= 299:
            return AttemptResult("delivered")
        where = mask_url(str(url))
        excerpt = body[:200].decode("utf-8", "replace").strip()
        error = f"POST {where} returned {status}" + (f": {excerpt}" if excerpt else "")
        if 300 <= status <= 399:
            return AttemptResult("failed", f"POST {where} answered {status} (redirects are not followed)")
        if status == 410:
            return AttemptResult("gone", f"POST {where} answered 410 Gone: the receiver asked to stop")
        if retryable_status(status):
            retry_after = parse_retry_after(response.headers.get("retry-after"), now=datetime.now(UTC))
            return AttemptResult("retry", error, retry_after)
        return AttemptResult("failed", error)


def _endpoint(subscription: Subscription) -> str:
    """The endpoint a delivery cap counts against: the URL without its query, so two receivers
    behind one host (`/hang` and `/ok` on the same port) each have their own slots. (Keyed by
    origin, one hanging path took every slot of the host and a healthy path beside it waited for
    the hanging requests to time out.)"""
    url = subscription.definition.url
    return f"{url.scheme}://{url.host}:{url.port}{url.path or '/'}"


def _now_ms() -> int:
    return int(time.time() * 1000)
