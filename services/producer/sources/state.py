"""What producer replicas share about live sources, in Redis: who polls a source now (a lease that
lasts until its next poll is due), what each source last answered (HTTP validators, failures, the
newest item's time), and which items are already published (seen markers with a TTL, set only after
the article is on the stream).

Item markers go through two states: `pending:<owner>` while one poller fetches and publishes the
item (short TTL: if that poller dies the item is tried again), then `done` (long TTL, renewed each
time a feed lists the item again)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from redis.asyncio import Redis

from services.common.names import Names

__all__ = ["Claim", "SourceState", "SourceStore"]

Claim = Literal["claimed", "done", "pending"]

# KEYS: the lease. ARGV: owner token, new expiry (ms). Extends the lease only while we hold it.
_EXTEND_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
# KEYS: the lease. ARGV: owner token. Deletes the lease only while we hold it.
_RELEASE_LEASE_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
# KEYS: item markers. ARGV: owner token, pending TTL (ms), done TTL (ms).
# Claims every marker, or none: returns 'done' if any is done (and renews those), 'pending' if any
# is being handled by another poller, else sets them all pending for us and returns 'claimed'.
_CLAIM_LUA = """
local state = 'claimed'
for i, key in ipairs(KEYS) do
  local value = redis.call('GET', key)
  if value == 'done' then
    redis.call('PEXPIRE', key, ARGV[3])
    state = 'done'
  elseif value and state ~= 'done' then
    state = 'pending'
  end
end
if state == 'claimed' then
  for i, key in ipairs(KEYS) do
    redis.call('SET', key, 'pending:' .. ARGV[1], 'PX', ARGV[2])
  end
end
return state
"""
# KEYS: item markers. ARGV: owner token. Drops our pending claims (an item to try again later).
_RELEASE_LUA = """
local n = 0
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == 'pending:' .. ARGV[1] then
    n = n + redis.call('DEL', key)
  end
end
return n
"""


@dataclass(frozen=True, slots=True)
class SourceState:
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    newest: float | None = None  # Unix time of the newest item published


def _text(value: bytes | str | None) -> str | None:
    if value is None:
        return None
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


class SourceStore:
    """Leases, per-source state and item markers for one poller (`owner`: unique per process)."""

    def __init__(self, redis: Redis, names: Names, *, owner: str) -> None:
        self._redis = redis
        self._names = names
        self.owner = owner
        self._extend = redis.register_script(_EXTEND_LUA)
        self._claim = redis.register_script(_CLAIM_LUA)
        self._release = redis.register_script(_RELEASE_LUA)
        self._release_lease = redis.register_script(_RELEASE_LEASE_LUA)

    # -- leases: one poller per source per interval, whichever replica it runs in ---------------

    async def acquire(self, source_id: str, lease_ms: int) -> bool:
        key = self._names.source_lease(source_id)
        return bool(await self._redis.set(key, self.owner, nx=True, px=max(1, lease_ms)))

    async def extend(self, source_id: str, lease_ms: int) -> bool:
        """Move our lease's expiry to `lease_ms` from now; False when it is no longer ours."""
        key = self._names.source_lease(source_id)
        return bool(await self._extend(keys=[key], args=[self.owner, max(1, lease_ms)]))

    async def release_lease(self, source_id: str) -> None:
        """Give up our lease now (a stop in the middle of a poll), so another replica takes over."""
        await self._release_lease(keys=[self._names.source_lease(source_id)], args=[self.owner])

    async def lease_left_ms(self, source_id: str) -> int:
        """Milliseconds until the current lease (anyone's) expires; 0 when there is none."""
        left = int(await self._redis.pttl(self._names.source_lease(source_id)))
        return max(0, left)

    # -- what a source last answered ----------------------------------------------------------

    async def state(self, source_id: str, url: str) -> SourceState:
        """The shared state; validators only when they belong to `url` (the file may have changed it)."""
        raw: dict[bytes | str, bytes | str] = await self._redis.hgetall(self._names.source_state(source_id))
        fields = {_text(k): _text(v) for k, v in raw.items()}
        same_url = fields.get("url") == url
        newest = fields.get("newest")
        failures = fields.get("failures")
        return SourceState(
            etag=fields.get("etag") if same_url else None,
            last_modified=fields.get("last_modified") if same_url else None,
            failures=int(failures) if failures and failures.isdigit() else 0,
            newest=float(newest) if newest else None,
        )

    async def newest(self, source_id: str) -> float | None:
        value = _text(await self._redis.hget(self._names.source_state(source_id), "newest"))
        return float(value) if value else None

    async def save(
        self,
        source_id: str,
        *,
        url: str,
        failures: int,
        newest: float | None,
        validators: tuple[str | None, str | None] | None,
    ) -> None:
        """Record a poll's result; `validators` (etag, last_modified) None keeps the stored ones."""
        key = self._names.source_state(source_id)
        mapping: dict[str, str] = {"url": url, "failures": str(failures)}
        if newest is not None:
            mapping["newest"] = repr(newest)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=mapping)  # type: ignore[arg-type]
            if validators is not None:
                for name, value in zip(("etag", "last_modified"), validators, strict=True):
                    if value:
                        pipe.hset(key, name, value)
                    else:
                        pipe.hdel(key, name)
            await pipe.execute()

    # -- items ----------------------------------------------------------------------------------

    async def done_among(self, keys: Sequence[str], *, done_ms: int) -> set[str]:
        """Which of `keys` are already published; their markers live `done_ms` longer (an item
        stays seen while its feed keeps listing it). Two round trips for a whole feed."""
        if not keys:
            return set()
        markers = [self._names.source_seen(k) for k in keys]
        async with self._redis.pipeline(transaction=False) as pipe:
            for marker in markers:
                pipe.get(marker)
            values = await pipe.execute()
        done = [(k, m) for k, m, v in zip(keys, markers, values, strict=True) if _text(v) == "done"]
        if done:
            async with self._redis.pipeline(transaction=False) as pipe:
                for _, marker in done:
                    pipe.pexpire(marker, done_ms)
                await pipe.execute()
        return {k for k, _ in done}

    async def claim(self, keys: Sequence[str], *, pending_ms: int, done_ms: int) -> Claim:
        """Take the markers of one item for publishing, unless it is done or another poller has it."""
        markers = [self._names.source_seen(k) for k in keys]
        result = await self._claim(keys=markers, args=[self.owner, pending_ms, done_ms])
        text = _text(result)
        assert text in ("claimed", "done", "pending"), text
        return text  # type: ignore[return-value]

    async def confirm(self, keys: Sequence[str], *, done_ms: int) -> None:
        """The item's article is on the stream: mark it done."""
        async with self._redis.pipeline(transaction=True) as pipe:
            for key in keys:
                pipe.set(self._names.source_seen(key), "done", px=done_ms)
            await pipe.execute()

    async def release(self, keys: Sequence[str]) -> None:
        """Not published (refused, failed): drop our claim so a later poll tries again."""
        await self._release(keys=[self._names.source_seen(k) for k in keys], args=[self.owner])
