"""Running one sink: decode the alert-log entries its consumer group was given, queue each one's
writes, and run them together with the entry's XACK in one Lua script, so that each alert version
is delivered once per sink, however many replicas hold it.

The XACK inside the script is the guard: it returns 1 only for an entry still pending in the group,
and only then do that entry's writes run. An entry held by two consumers at once (a slow one, and
the reclaimer that claimed it meanwhile), or retried after a reply was lost, is therefore written
by exactly one of them; an entry not yet acknowledged when its consumer dies stays pending until a
replica claims it. The sink's writes are recorded from a redis-py pipeline (so sinks use the usual
client methods, e.g. the webhook queue's own `enqueue`) and sent as the script's arguments.

An entry that is not a readable Alert is dead-lettered alone; an entry whose delivery failed
`max_deliveries` times is dead-lettered too (stage `alerter`, the reason names the sink). A write
Redis refuses (e.g. WRONGTYPE after someone reused a key) fails only that entry: it is acknowledged
and dead-lettered with Redis's error, since running it again cannot succeed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from pydantic import ValidationError
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from schemas import Alert, DeadLetter
from services.alerter.sinks.base import LogEntry, Sink, Writes
from services.common.metrics import Metrics
from services.common.names import DATA_FIELD
from services.common.settings import Settings
from services.common.streams import add_dead_letter, dead_letter, raw_bytes

log = logging.getLogger("strikewatch.alerter.sinks")

Entry = tuple[str, Mapping[bytes, bytes]]
Command = tuple[Any, ...]

# KEYS[1]: the alert log. ARGV[1]: the sink's consumer group; ARGV[2]: the number of entries; then
# per entry its id and its number of commands, and per command its number of arguments and them.
# Returns per entry 1 (written now), 0 (already acknowledged: written before, here or elsewhere)
# or the error Redis gave the first write it refused.
# XACK goes through redis.call: should it fail (e.g. out of memory, checked at a script's first
# write) the script stops before this entry's writes, and the entry stays pending for a retry.
# The writes go through redis.pcall, so one refused write cannot stop the batch half way.
DELIVER_ONCE_LUA = """
local log, group = KEYS[1], ARGV[1]
local at, results = 3, {}
for e = 1, tonumber(ARGV[2]) do
  local id, commands = ARGV[at], tonumber(ARGV[at + 1])
  at = at + 2
  local fresh = redis.call('XACK', log, group, id) == 1
  local result = 0
  if fresh then result = 1 end
  for _ = 1, commands do
    local n = tonumber(ARGV[at])
    if fresh then
      local reply = redis.pcall(unpack(ARGV, at + 1, at + n))
      if type(reply) == 'table' and reply.err and result == 1 then
        result = ARGV[at + 1] .. ': ' .. reply.err
      end
    end
    at = at + n + 1
  end
  results[e] = result
end
return results
"""


def recorded(redis: Redis, queue: Callable[[Pipeline], object]) -> list[Command]:
    """The commands `queue` puts on a pipeline, as argument tuples, without running them."""
    pipe = redis.pipeline(transaction=False)
    queue(pipe)
    return [args for args, _options in pipe.command_stack]


def _queue(writes: Writes, entry: LogEntry, pipe: Pipeline) -> None:
    writes(pipe, entry)


def decode_entry(entry_id: str, fields: Mapping[bytes, bytes]) -> LogEntry | str:
    """The alert version of an alert-log entry, or why it is not one."""
    data = fields.get(DATA_FIELD.encode())
    if data is None:
        return f"entry has no {DATA_FIELD!r} field"
    try:
        payload = data.decode("utf-8")
        return LogEntry(entry_id, Alert.model_validate_json(payload), payload)
    except UnicodeDecodeError:
        return "entry is not UTF-8"
    except ValidationError as exc:
        first = exc.errors(include_input=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        return f"not a valid Alert ({exc.error_count()} errors; first at {where}: {first['msg']})"


class SinkRunner:
    """One sink's consumer-group handling; `handle` and `give_up` are what its consumer loops call."""

    def __init__(self, sink: Sink, redis: Redis, settings: Settings, metrics: Metrics) -> None:
        self.sink = sink
        self._redis = redis
        self._settings = settings
        self._names = settings.names
        self._metrics = metrics
        self._deliver_once = redis.register_script(DELIVER_ONCE_LUA)

    async def handle(self, entries: Sequence[Entry]) -> None:
        """Deliver a batch the sink's group was given, in order. A Redis failure raises and leaves
        what was not acknowledged pending, for the reclaimer."""
        decoded = [(entry_id, fields, decode_entry(entry_id, fields)) for entry_id, fields in entries]
        good = [found for _, _, found in decoded if isinstance(found, LogEntry)]
        writes = await self.sink.prepare() if good else None
        batch: list[tuple[str, list[Command]]] = []
        for entry_id, fields, found in decoded:
            if isinstance(found, LogEntry):
                assert writes is not None
                batch.append((entry_id, recorded(self._redis, partial(_queue, writes, found))))
            else:
                batch.append((entry_id, self._dead_letter_commands(entry_id, fields, found)))
        results = await self._run(batch)
        written: list[LogEntry] = []
        for (entry_id, fields, found), result in zip(decoded, results, strict=True):
            if result == 0:
                continue  # delivered before (a redelivery, or another replica got there first)
            if not isinstance(found, LogEntry):
                self._dead_lettered(entry_id, found)
            elif result == 1:
                written.append(found)
            else:
                # Acknowledged by this very call, but Redis refused a write: running it again
                # cannot succeed, so it is dead-lettered here (the ack already says "done").
                reason = f"Redis refused a write: {result}"
                letter = self._letter(entry_id, fields, reason)
                await add_dead_letter(self._redis, self._names, self._settings.deadletter_maxlen, letter)
                self._dead_lettered(entry_id, reason)
        if written:
            self.sink.delivered(written)

    async def give_up(self, entry: Entry, *, deliveries: int) -> None:
        """An entry whose delivery failed `deliveries` times goes to the dead-letter stream (once,
        like a delivery)."""
        entry_id, fields = entry
        reason = f"delivery failed {deliveries} times; giving up"
        commands = self._dead_letter_commands(entry_id, fields, reason, attempts=deliveries)
        if await self._run([(entry_id, commands)]) == [1]:
            self._dead_lettered(entry_id, reason)

    async def _run(self, batch: Sequence[tuple[str, list[Command]]]) -> list[int | str]:
        args: list[Any] = [self.sink.name, len(batch)]
        for entry_id, commands in batch:
            args.extend((entry_id, len(commands)))
            for command in commands:
                args.append(len(command))
                args.extend(command)
        results: list[Any] = await self._deliver_once(keys=[self._names.alert_log], args=args)
        return [r if isinstance(r, int) else _text(r) for r in results]

    def _letter(
        self, entry_id: str, fields: Mapping[bytes, bytes], reason: str, *, attempts: int | None = None
    ) -> DeadLetter:
        return dead_letter(
            "alerter",
            f"sink {self.sink.name}: {reason}",
            raw_bytes(fields),
            source_stream=self._names.alert_log,
            source_id=entry_id,
            attempts=attempts,
        )

    def _dead_letter_commands(
        self, entry_id: str, fields: Mapping[bytes, bytes], reason: str, *, attempts: int | None = None
    ) -> list[Command]:
        letter = self._letter(entry_id, fields, reason, attempts=attempts)
        return recorded(
            self._redis,
            lambda pipe: add_dead_letter(pipe, self._names, self._settings.deadletter_maxlen, letter),
        )

    def _dead_lettered(self, entry_id: str, reason: str) -> None:
        self._metrics.deadletter.labels("alerter").inc()
        log.warning(
            "dead-lettered %s entry %s for sink %s: %s",
            self._names.alert_log,
            entry_id,
            self.sink.name,
            reason,
        )


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
