"""The delivery queue in Redis: a hash of jobs and two sorted sets, `due` (by next attempt time) and
`inflight` (by lease expiry). Claiming is one Lua script, so two replicas never take the same job,
and a job whose worker died goes back to `due` when its lease runs out. A restart loses nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from services.common.names import Names
from services.common.streams import add_dead_letter, dead_letter

# KEYS: due, inflight, jobs. ARGV: now (ms), lease (ms), max jobs to claim.
# Returns {ids, job bodies, score of the next due job or false, jobs queued or in flight}.
CLAIM_LUA = """
local now = tonumber(ARGV[1])
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 1000)
for _, id in ipairs(expired) do
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZADD', KEYS[1], now, id)
end
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local bodies = {}
if #ids > 0 then
  for _, id in ipairs(ids) do
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), id)
  end
  bodies = redis.call('HMGET', KEYS[3], unpack(ids))
end
local nxt = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local pending = redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[2])
return {ids, bodies, nxt[2] or false, pending}
"""

# Put a job back in the queue only if this worker still holds it (a stopping worker hands back
# what it claimed). KEYS: due, inflight. ARGV: id, due (ms).
RELEASE_LUA = """
if redis.call('ZREM', KEYS[2], ARGV[1]) == 1 then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
  return 1
end
return 0
"""


class DeliveryJob(BaseModel):
    """One alert version for one subscription. The subscription (URL, secret) is looked up at send
    time, so secrets never sit in the queue or the dead-letter stream."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(description="The webhook-id header: stable across retries.")
    subscription_id: str
    alert_id: str
    version: int
    body: str = Field(description="The exact Alert JSON that is signed and sent.")
    attempts: int = 0
    last_error: str | None = None
    enqueued_at: datetime


@dataclass(frozen=True, slots=True)
class Claimed:
    jobs: list[DeliveryJob]
    broken: list[str]  # ids whose job body was missing or unreadable
    next_due_ms: int | None
    pending: int


def enqueue(pipe: Pipeline, names: Names, job: DeliveryJob, *, due_ms: int) -> None:
    """Queue commands on a pipeline (usually inside the transaction that publishes the alert)."""
    pipe.hset(names.webhook_jobs, job.id, job.model_dump_json())
    pipe.zadd(names.webhook_due, {job.id: due_ms})


class DeliveryQueue:
    def __init__(self, redis: Redis, names: Names, *, deadletter_maxlen: int) -> None:
        self._redis = redis
        self._names = names
        self._deadletter_maxlen = deadletter_maxlen
        self._claim = redis.register_script(CLAIM_LUA)
        self._release = redis.register_script(RELEASE_LUA)

    async def claim(self, *, now_ms: int, lease_ms: int, limit: int) -> Claimed:
        n = self._names
        result: list[Any] = await self._claim(
            keys=[n.webhook_due, n.webhook_inflight, n.webhook_jobs], args=[now_ms, lease_ms, limit]
        )
        ids, bodies, next_due, pending = result
        jobs, broken = [], []
        for raw_id, body in zip(ids, bodies, strict=True):
            try:
                jobs.append(DeliveryJob.model_validate_json(body))
            except (ValidationError, TypeError):
                broken.append(raw_id.decode())
        return Claimed(jobs, broken, int(float(next_due)) if next_due else None, int(pending))

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

    async def give_up(self, job: DeliveryJob) -> None:
        """Move the job to the dead-letter stream with its last error; `redeliver` brings it back."""
        letter = dead_letter(
            "webhook",
            job.last_error or "delivery failed",
            job.model_dump_json(),
            source_stream=self._names.webhook_jobs,
            source_id=job.id,
            attempts=job.attempts,
            subscription_id=job.subscription_id,
        )
        async with self._redis.pipeline(transaction=True) as pipe:
            add_dead_letter(pipe, self._names, self._deadletter_maxlen, letter)
            pipe.hdel(self._names.webhook_jobs, job.id)
            pipe.zrem(self._names.webhook_inflight, job.id)
            await pipe.execute()

    async def drop(self, job_id: str) -> None:
        await self.delivered(job_id)

    async def release(self, job_id: str, *, due_ms: int) -> None:
        n = self._names
        await self._release(keys=[n.webhook_due, n.webhook_inflight], args=[job_id, due_ms])

    async def pending(self) -> int:
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.zcard(self._names.webhook_due)
            pipe.zcard(self._names.webhook_inflight)
            due, inflight = await pipe.execute()
        return int(due) + int(inflight)
