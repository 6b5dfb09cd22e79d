"""The delivery queue in Redis: a hash of jobs, one sorted set of due job ids per subscription, an
index of those queues (subscription -> its earliest due time) and `inflight` (job id -> lease expiry).

Claiming is one Lua script, so two replicas never take the same job, and a job whose worker died goes
back to its queue when its lease runs out; a live worker renews the leases of what it holds. The
worker says how many more jobs each endpoint may take (its free connection slots), and the script
claims only those: a receiver that hangs keeps its own deliveries waiting in Redis and never fills
the worker with work it cannot start, so it cannot hold back anyone else's. A restart loses nothing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import WatchError

from schemas import DeadLetter
from services.common.names import Names
from services.common.streams import add_dead_letter, dead_letter

# Lua helpers shared by the scripts: the subscription of a job (read from its body), and putting a
# job id on its subscription's queue while keeping the index at that queue's earliest due time.
_QUEUE_LUA = """
local function sub_of(jobs, id)
  local body = redis.call('HGET', jobs, id)
  if not body then return nil end
  local ok, job = pcall(cjson.decode, body)
  if ok and type(job) == 'table' and type(job.subscription_id) == 'string' then
    return job.subscription_id
  end
  return nil
end
local function requeue(queues, prefix, sub, id, due)
  redis.call('ZADD', prefix .. sub, due, id)
  redis.call('ZADD', queues, 'LT', due, sub)
end
"""

# KEYS: queues index, inflight, jobs, legacy due set, subscription definitions, subscription states.
# ARGV: now (ms), lease (ms), max jobs to claim, due-queue key prefix, cap for a subscription the
# worker has not described, JSON [[cap, [subscription ids sharing that cap]], ...].
# Returns {ids, job bodies, earliest due time of a queue that may still claim (or false),
#          jobs queued or in flight, ids dropped because their body is missing or unreadable,
#          [subscription id, its stored definition or false, its state or false] per subscription
#          a job was claimed for (so the worker needs no round trip of its own to read them)}.
CLAIM_LUA = (
    _QUEUE_LUA
    + """
local queues, inflight, jobs, legacy = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, lease, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local prefix, default_cap = ARGV[4], tonumber(ARGV[5])
local broken = {}

-- jobs queued by 0.1 in one shared set go to their subscription's queue
local old = redis.call('ZRANGE', legacy, 0, 999, 'WITHSCORES')
for i = 1, #old, 2 do
  local id = old[i]
  redis.call('ZREM', legacy, id)
  local sub = sub_of(jobs, id)
  if sub then requeue(queues, prefix, sub, id, tonumber(old[i + 1]))
  else redis.call('HDEL', jobs, id); broken[#broken + 1] = id end
end

-- leases that ran out: the worker holding them died or lost Redis before settling
local expired = redis.call('ZRANGEBYSCORE', inflight, '-inf', now, 'LIMIT', 0, 1000)
for _, id in ipairs(expired) do
  redis.call('ZREM', inflight, id)
  local sub = sub_of(jobs, id)
  if sub then requeue(queues, prefix, sub, id, now)
  else redis.call('HDEL', jobs, id); broken[#broken + 1] = id end
end

local group_of, left = {}, {}
for g, group in ipairs(cjson.decode(ARGV[6])) do
  left[g] = tonumber(group[1])
  for _, sub in ipairs(group[2]) do group_of[sub] = g end
end
local function cap(sub)
  local g = group_of[sub]
  if g then return left[g] end
  return default_cap
end

local ids, bodies, subs = {}, {}, {}
for _, sub in ipairs(redis.call('ZRANGEBYSCORE', queues, '-inf', now, 'LIMIT', 0, 1000)) do
  if #ids >= limit then break end
  local free = cap(sub)
  if free > 0 then
    local queue = prefix .. sub
    local taken = redis.call('ZRANGEBYSCORE', queue, '-inf', now, 'LIMIT', 0, math.min(free, limit - #ids))
    for _, id in ipairs(taken) do
      redis.call('ZREM', queue, id)
      redis.call('ZADD', inflight, now + lease, id)
      ids[#ids + 1] = id
    end
    if #taken > 0 then
      subs[#subs + 1] = {sub, redis.call('HGET', KEYS[5], sub), redis.call('HGET', KEYS[6], sub)}
    end
    if group_of[sub] then left[group_of[sub]] = free - #taken end
    local head = redis.call('ZRANGE', queue, 0, 0, 'WITHSCORES')
    if head[2] then redis.call('ZADD', queues, head[2], sub) else redis.call('ZREM', queues, sub) end
  end
end
if #ids > 0 then bodies = redis.call('HMGET', jobs, unpack(ids)) end

local nxt, queued = false, 0
local all = redis.call('ZRANGE', queues, 0, -1, 'WITHSCORES')
for i = 1, #all, 2 do
  queued = queued + redis.call('ZCARD', prefix .. all[i])
  if not nxt and cap(all[i]) > 0 then nxt = all[i + 1] end
end
return {ids, bodies, nxt, queued + redis.call('ZCARD', inflight), broken, subs}
"""
)

# Put a job back on its queue only if this worker still holds it (a stopping worker hands back
# what it claimed). KEYS: queues index, inflight, jobs. ARGV: id, due (ms), due-queue key prefix.
RELEASE_LUA = (
    _QUEUE_LUA
    + """
if redis.call('ZREM', KEYS[2], ARGV[1]) == 1 then
  local sub = sub_of(KEYS[3], ARGV[1])
  if sub then requeue(KEYS[1], ARGV[3], sub, ARGV[1], tonumber(ARGV[2])) return 1 end
end
return 0
"""
)

# Jobs waiting in a queue, and jobs in flight. KEYS: queues index, inflight. ARGV: due-queue prefix.
COUNT_LUA = """
local queued = 0
for _, sub in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  queued = queued + redis.call('ZCARD', ARGV[1] .. sub)
end
return {queued, redis.call('ZCARD', KEYS[2])}
"""


# Drop up to ARGV[2] of one subscription's queued jobs (its subscription was deleted).
# KEYS: queues index, the subscription's due queue, jobs, inflight. ARGV: subscription id, chunk size.
# Returns {dropped, still queued, jobs of this subscription in flight (counted once the queue is empty)}.
DROP_QUEUED_LUA = (
    _QUEUE_LUA
    + """
local ids = redis.call('ZRANGE', KEYS[2], 0, tonumber(ARGV[2]) - 1)
if #ids > 0 then
  redis.call('HDEL', KEYS[3], unpack(ids))
  redis.call('ZREM', KEYS[2], unpack(ids))
end
local left, inflight = redis.call('ZCARD', KEYS[2]), 0
if left == 0 then
  redis.call('ZREM', KEYS[1], ARGV[1])
  for _, id in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do
    if sub_of(KEYS[3], id) == ARGV[1] then inflight = inflight + 1 end
  end
end
return {#ids, left, inflight}
"""
)
# Jobs taken from one queue per call; bounds both the script's run time and the rounds.
_CHUNK = 500
_MAX_CHUNKS = 10_000


class DeliveryJob(BaseModel):
    """One alert version for one subscription. The subscription (URL, secret) is looked up at send
    time, so secrets never sit in the queue or the dead-letter stream."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(description="The webhook-id header: stable across retries.")
    subscription_id: str
    alert_id: str
    version: int
    body: str = Field(
        description="The exact body that is signed and sent: the Alert JSON, or the chat message of the "
        "subscription's format, rendered when the job was queued."
    )
    attempts: int = 0
    last_error: str | None = None
    enqueued_at: datetime


@dataclass(frozen=True, slots=True)
class Claimed:
    jobs: list[DeliveryJob]
    broken: list[str]  # ids whose job body was missing or unreadable
    next_due_ms: int | None  # earliest due time of a queue the caps still let this worker claim from
    pending: int  # jobs queued or in flight
    # Per subscription a job was claimed for: its stored definition and state, as read by the
    # claim (None when absent), for `SubscriptionStore.parse`.
    subscriptions: dict[str, tuple[bytes | None, bytes | None]] = field(default_factory=dict)


# How many more jobs a group of subscriptions (those sharing one endpoint) may take now.
Cap = tuple[int, Sequence[str]]


def enqueue(pipe: Pipeline, names: Names, job: DeliveryJob, *, due_ms: int) -> None:
    """Queue commands on a pipeline (usually inside the transaction that publishes the alert)."""
    pipe.hset(names.webhook_jobs, job.id, job.model_dump_json())
    pipe.zadd(names.webhook_due(job.subscription_id), {job.id: due_ms})
    # LT: the index keeps the queue's earliest due time (ZADD LT since Redis 6.2).
    pipe.zadd(names.webhook_queues, {job.subscription_id: due_ms}, lt=True)


class DeliveryQueue:
    def __init__(self, redis: Redis, names: Names, *, deadletter_maxlen: int) -> None:
        self._redis = redis
        self._names = names
        self._deadletter_maxlen = deadletter_maxlen
        self._claim = redis.register_script(CLAIM_LUA)
        self._release = redis.register_script(RELEASE_LUA)
        self._count = redis.register_script(COUNT_LUA)
        self._drop_queued = redis.register_script(DROP_QUEUED_LUA)

    async def claim(
        self, *, now_ms: int, lease_ms: int, limit: int, caps: Sequence[Cap] = (), default_cap: int = 1000
    ) -> Claimed:
        """Lease up to `limit` due jobs for `lease_ms`: at most `cap` from each group of `caps`
        (subscriptions that share an endpoint), at most `default_cap` from any other subscription."""
        n = self._names
        result: list[Any] = await self._claim(
            keys=[
                n.webhook_queues,
                n.webhook_inflight,
                n.webhook_jobs,
                n.webhook_due_legacy,
                n.webhook_subscriptions,
                n.webhook_states,
            ],
            args=[
                now_ms,
                lease_ms,
                limit,
                n.webhook_due(""),
                default_cap,
                json.dumps([[cap, list(subs)] for cap, subs in caps]) if caps else "[]",
            ],
        )
        ids, bodies, next_due, pending, dropped, subs = result
        jobs, broken = [], [raw.decode() for raw in dropped]
        for raw_id, body in zip(ids, bodies, strict=True):
            try:
                jobs.append(DeliveryJob.model_validate_json(body))
            except (ValidationError, TypeError):
                broken.append(raw_id.decode())
        stored = {sub.decode(): (raw or None, state or None) for sub, raw, state in subs}
        return Claimed(jobs, broken, int(float(next_due)) if next_due else None, int(pending), stored)

    async def renew(self, job_ids: Sequence[str], *, until_ms: int) -> None:
        """Extend the leases of jobs this worker still holds (XX: a job settled meanwhile, or
        taken back after its lease ran out, is not put back in flight)."""
        if job_ids:
            await self._redis.zadd(self._names.webhook_inflight, dict.fromkeys(job_ids, until_ms), xx=True)

    async def delivered(self, job_id: str) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hdel(self._names.webhook_jobs, job_id)
            pipe.zrem(self._names.webhook_inflight, job_id)
            await pipe.execute()

    async def retry(self, job: DeliveryJob, *, due_ms: int) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zrem(self._names.webhook_inflight, job.id)
            enqueue(pipe, self._names, job, due_ms=due_ms)
            await pipe.execute()

    def _letter(self, job: DeliveryJob) -> DeadLetter:
        return dead_letter(
            "webhook",
            job.last_error or "delivery failed",
            job.model_dump_json(),
            source_stream=self._names.webhook_jobs,
            source_id=job.id,
            attempts=job.attempts,
            subscription_id=job.subscription_id,
        )

    async def give_up(self, job: DeliveryJob) -> None:
        """Move the job to the dead-letter stream with its last error; `redeliver` brings it back."""
        async with self._redis.pipeline(transaction=True) as pipe:
            add_dead_letter(pipe, self._names, self._deadletter_maxlen, self._letter(job))
            pipe.hdel(self._names.webhook_jobs, job.id)
            pipe.zrem(self._names.webhook_inflight, job.id)
            await pipe.execute()

    async def drop(self, job_id: str) -> None:
        await self.delivered(job_id)

    async def drop_queued(self, subscription_id: str) -> tuple[int, int]:
        """Drop every delivery queued for a subscription (it was deleted). Returns (dropped, in
        flight): the ones in flight finish their attempt and are dropped instead of retried, as the
        worker finds no subscription for them."""
        n = self._names
        dropped = 0
        for _ in range(_MAX_CHUNKS):
            taken, left, inflight = await self._drop_queued(
                keys=[n.webhook_queues, n.webhook_due(subscription_id), n.webhook_jobs, n.webhook_inflight],
                args=[subscription_id, _CHUNK],
            )
            dropped += int(taken)
            if int(left) == 0:
                return dropped, int(inflight)
        raise RuntimeError(f"subscription {subscription_id!r}: its queue kept growing while being dropped")

    async def dead_letter_queued(self, subscription_id: str, reason: str) -> int:
        """Move every delivery queued for a subscription to the dead-letter stream with `reason`
        (it was disabled); `redeliver` brings them back. Returns how many were moved. Each chunk is
        one transaction under WATCH of the queue, so a job is either claimed by a worker or moved,
        never both, and a crash loses none."""
        n = self._names
        queue = n.webhook_due(subscription_id)
        moved = 0
        for _ in range(_MAX_CHUNKS):
            async with self._redis.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(queue)
                    ids: list[Any] = await pipe.zrange(queue, 0, _CHUNK - 1)
                    if not ids:
                        # Unindexed only while the queue is still empty (WATCH): an indexed empty
                        # queue costs a look; an unindexed full one would never be claimed.
                        pipe.multi()  # type: ignore[no-untyped-call]
                        pipe.zrem(n.webhook_queues, subscription_id)
                        await pipe.execute()
                        return moved
                    bodies: list[Any] = await pipe.hmget(n.webhook_jobs, ids)
                    pipe.multi()  # type: ignore[no-untyped-call]
                    letters = 0
                    for raw_id, body in zip(ids, bodies, strict=True):
                        job = _readable(body)
                        if job is not None:
                            failed = job.model_copy(update={"last_error": reason})
                            add_dead_letter(pipe, n, self._deadletter_maxlen, self._letter(failed))
                            letters += 1
                        pipe.hdel(n.webhook_jobs, raw_id)
                    pipe.zrem(queue, *ids)
                    await pipe.execute()
                except WatchError:
                    continue
            moved += letters
        raise RuntimeError(f"subscription {subscription_id!r}: its queue kept growing while dead-lettered")

    async def release(self, job_id: str, *, due_ms: int) -> None:
        n = self._names
        await self._release(
            keys=[n.webhook_queues, n.webhook_inflight, n.webhook_jobs],
            args=[job_id, due_ms, n.webhook_due("")],
        )

    async def counts(self) -> tuple[int, int]:
        """(jobs waiting in a queue, due now or later; jobs in flight), across every subscription."""
        n = self._names
        queued, inflight = await self._count(
            keys=[n.webhook_queues, n.webhook_inflight], args=[n.webhook_due("")]
        )
        return int(queued), int(inflight)

    async def pending(self) -> int:
        """Jobs waiting in a queue or in flight."""
        return sum(await self.counts())


def _readable(body: bytes | None) -> DeliveryJob | None:
    if body is None:
        return None
    try:
        return DeliveryJob.model_validate_json(body)
    except ValidationError:
        return None
