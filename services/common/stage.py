"""The stage shell both consumers run on: a consumer group's new entries in batches and its
abandoned ones reclaimed, each decoded; the good ones handed to the stage's handler; what it returns
written once, what it refuses dead-lettered alone with the reason; then acknowledged.

The rules live here once:
- decode: a record that cannot be decoded is dead-lettered on first sight, alone;
- one-by-one retry: when the handler fails on a batch it is run again on each record alone, so one
  bad record cannot hold back the others; a record that fails alone is dead-lettered at once when
  the handler is pure (the failure is the record's), and otherwise left pending for redelivery;
- poison: an entry delivered more than `max_deliveries` times is dead-lettered and acknowledged;
- publish-once: an output is written once per record id (a marker key holding the input's
  fingerprint), so redelivery and two replicas never write it twice; the same id on a different
  input (an id reused for another article) is dead-lettered with the reason, never dropped;
- one round trip: outputs, dead letters and the acknowledgement go in one MULTI/EXEC;
- a Redis failure leaves the batch pending (nothing acknowledged), for this or another replica.

The reclaimer claims entries left pending longer than `claim_idle_ms` (a replica died, or a record
failed), counts and logs those deleted before they could be claimed (trimmed or XDEL'd: lost
input), and removes consumers that left the group long ago (`XGROUP DELCONSUMER`), so consumer
names do not pile up across restarts.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from faststream import AckPolicy
from faststream.redis import RedisRouter, RedisStreamMessage
from redis.exceptions import RedisError, ResponseError

from schemas import DeadLetter
from services.common.consume import Entry, entries, group_batches, keep_raw
from services.common.logs import log_event
from services.common.outcome import Rejected
from services.common.retry import raise_if_cancelling, retry_transient
from services.common.runtime import Background, Runtime
from services.common.streams import (
    PUBLISH_ONCE_LUA,
    Stage,
    add_dead_letter,
    dead_letter,
    decode_id,
    ensure_groups,
    raw_bytes,
)

log = logging.getLogger("strikewatch.stage")

In = TypeVar("In")
Out = TypeVar("Out")

# Redis unreachable, loading, out of memory...: not the record's fault; the batch stays pending.
TRANSIENT = (RedisError, OSError)
RECLAIM_PAUSE_S = 1.0
JANITOR_MAX_EVERY_S = 300.0


@dataclass(frozen=True)
class PublishOnce(Generic[In, Out]):
    """Where a stage's outputs go: `stream`, at most once per `marker(output)` key.

    The marker keeps `fingerprint(input)`. A record whose marker is already there with the same
    fingerprint is a duplicate (nothing written); with another fingerprint it is dead-lettered
    with `reused` formatted with `id` (the record id), `fingerprint` (this input's) and `earlier`
    (the fingerprint the marker holds)."""

    stream: str
    maxlen: int
    marker: Callable[[Out], str]
    payload: Callable[[Out], str]
    fingerprint: Callable[[In], str]
    reused: str


@dataclass(frozen=True)
class _Output:
    """One output to publish once, with the dead letter to write instead if its id was reused for
    another input: the letter's JSON split where the earlier fingerprint goes."""

    record_id: str
    marker: str
    payload: str
    fingerprint: str
    letter_head: str
    letter_tail: str
    # The reason, with `_EARLIER` where the earlier fingerprint goes, for the log line.
    reason: str


@dataclass(frozen=True)
class StageSpec(Generic[In, Out]):
    """One consumer stage: what it reads, how a record is decoded, and its handler.

    `handle` gets the decoded records of a batch and returns one result per record, in order: the
    output, or `Rejected(reason)` for a record it refuses. `pure` says the handler depends only on
    its input (a failure on one record alone is that record's fault)."""

    stage: Stage
    stream: str
    decode: Callable[[Mapping[bytes, bytes]], In | Rejected]
    handle: Callable[[Sequence[In]], Awaitable[Sequence[Out | Rejected]]]
    record_id: Callable[[In], str]
    pure: bool
    publish: PublishOnce[In, Out] | None = None
    # Called with the results of each batch and the handler's time for it (seconds).
    observe: Callable[[Sequence[Out | Rejected], float], None] | None = None
    title: str | None = None
    description: str | None = None


class _Pending:
    """A record left unacknowledged, for redelivery."""


PENDING = _Pending()
# Stands where the earlier fingerprint goes in a dead letter's JSON until the publish-once script,
# which alone knows it, splices it in. Random per process, so no article text can contain it.
_EARLIER = f"@@earlier-{secrets.token_hex(8)}@@"


class StageShell(Generic[In, Out]):
    def __init__(self, rt: Runtime, spec: StageSpec[In, Out]) -> None:
        self._rt = rt
        self._spec = spec
        self._group = rt.names.groups[spec.stream]
        self._publish_once = rt.redis.register_script(PUBLISH_ONCE_LUA)

    # -- one batch --------------------------------------------------------------------------------

    async def process(self, batch: Sequence[Entry], deliveries: Sequence[int] | None = None) -> None:
        """Decode, handle, then write outputs and dead letters and acknowledge in one round trip.
        `deliveries` (from the reclaimer) are the entries' delivery counts, for the poison rule.
        Raises a Redis error when Redis fails; nothing is acknowledged then."""
        spec, settings = self._spec, self._rt.settings
        done: list[str] = []
        letters: list[DeadLetter] = []
        decoded: list[tuple[Entry, In]] = []
        for index, entry in enumerate(batch):
            entry_id, fields = entry
            count = deliveries[index] if deliveries is not None else 1
            if count > settings.max_deliveries:
                reason = f"delivered {count} times without being processed; giving up"
                letters.append(self._letter(entry, reason, attempts=count))
                done.append(entry_id)
                continue
            item = spec.decode(fields)
            if isinstance(item, Rejected):
                letters.append(self._letter(entry, item.reason))
                done.append(entry_id)
            else:
                decoded.append((entry, item))
        outputs: list[_Output] = []
        for (entry, item), result in zip(decoded, await self._handle([i for _, i in decoded]), strict=True):
            if isinstance(result, _Pending):
                continue
            if isinstance(result, Rejected):
                letters.append(self._letter(entry, result.reason, record_id=spec.record_id(item)))
            elif spec.publish is not None:
                try:
                    outputs.append(self._output(spec.publish, entry, item, result))
                except ValueError as exc:  # e.g. a string no encoder can write (a lone surrogate)
                    reason = f"{spec.stage} output could not be written: {exc}"
                    letters.append(self._letter(entry, reason, record_id=spec.record_id(item)))
            done.append(entry[0])
        written: list[Any] = []
        if done:
            written = await retry_transient(lambda: self._write(outputs, letters, done))
        for output, reply in zip(outputs, written, strict=True):
            if reply is None:  # the marker holds this input's fingerprint: a duplicate
                self._rt.metrics.duplicates.labels(spec.stage).inc()
                log_event(
                    log,
                    "record.duplicate",
                    stage=spec.stage,
                    record_id=output.record_id,
                    outcome="duplicate",
                    fingerprint=output.fingerprint,
                )
            elif isinstance(reply, list):  # the id was reused for another input: dead-lettered
                reason = output.reason.replace(_EARLIER, decode_id(reply[0]))
                self._dead_lettered(spec.stream, output.record_id, reason)
        for letter in letters:
            self._dead_lettered(letter.source_stream, letter.source_id, letter.reason)

    def _dead_lettered(self, stream: str | None, record_id: str | None, reason: str) -> None:
        """Count and log one record written to the dead-letter stream."""
        self._rt.metrics.deadletter.labels(self._spec.stage).inc()
        log_event(
            log,
            "record.dead_lettered",
            level=logging.WARNING,
            stage=self._spec.stage,
            stream=stream,
            record_id=record_id,
            outcome="dead_letter",
            reason=reason,
        )

    async def _handle(self, items: list[In]) -> list[Out | Rejected | _Pending]:
        """The handler's results, retrying one by one when the batch fails."""
        spec = self._spec
        if not items:
            return []
        started = time.perf_counter()
        results: list[Out | Rejected | _Pending]
        try:
            results = list(await self._call(items))
        except TRANSIENT:
            raise
        except Exception as exc:
            if len(items) == 1:
                results = [self._failed(items[0], exc)]
            else:
                log.warning(
                    "%s failed on a batch of %d (%s); retrying one by one", spec.stage, len(items), exc
                )
                results = []
                for item in items:
                    try:
                        results.extend(await self._call([item]))
                    except TRANSIENT:
                        raise
                    except Exception as one:
                        results.append(self._failed(item, one))
        if spec.observe is not None:
            spec.observe([r for r in results if not isinstance(r, _Pending)], time.perf_counter() - started)
        return results

    async def _call(self, items: list[In]) -> Sequence[Out | Rejected]:
        results = await self._spec.handle(items)
        if len(results) != len(items):
            raise RuntimeError(f"the handler returned {len(results)} results for {len(items)} records")
        return results

    def _failed(self, item: In, exc: Exception) -> Rejected | _Pending:
        spec = self._spec
        record = spec.record_id(item)
        if spec.pure:
            log.error("%s failed on record %s: %r", spec.stage, record, exc, exc_info=exc)
            return Rejected(f"{spec.stage} exception: {type(exc).__name__}: {exc}")
        log.error("%s failed on record %s (%r); left pending for another delivery", spec.stage, record, exc)
        return PENDING

    def _output(self, publish: PublishOnce[In, Out], entry: Entry, item: In, result: Out) -> _Output:
        """`result` to publish once, with the dead letter written instead if `item`'s id already
        has an output for a different input. Raises ValueError when the output cannot be encoded."""
        record_id = self._spec.record_id(item)
        fingerprint = publish.fingerprint(item)
        reason = publish.reused.format(id=record_id, fingerprint=fingerprint, earlier=_EARLIER)
        letter = self._letter(entry, reason, record_id=record_id).model_dump_json()
        # `reason` is serialised before `payload`, so the first occurrence is the reason's (with no
        # `{earlier}` in `reused` the letter stays whole, tail "").
        head, _, tail = letter.partition(_EARLIER)
        return _Output(
            record_id=record_id,
            marker=publish.marker(result),
            payload=publish.payload(result),
            fingerprint=fingerprint,
            letter_head=head,
            letter_tail=tail,
            reason=reason,
        )

    def _letter(
        self, entry: Entry, reason: str, *, attempts: int | None = None, record_id: str | None = None
    ) -> DeadLetter:
        entry_id, fields = entry
        return dead_letter(
            self._spec.stage,
            reason,
            raw_bytes(fields),
            source_stream=self._spec.stream,
            source_id=record_id or entry_id,
            attempts=attempts,
        )

    async def _write(self, outputs: list[_Output], letters: list[DeadLetter], done: list[str]) -> list[Any]:
        """One MULTI/EXEC: each output published once (or dead-lettered, see PUBLISH_ONCE_LUA), the
        dead letters, the acknowledgement. Returns the publish-once script's reply per output: the
        new entry id, None for a duplicate, [earlier fingerprint] for a reused id."""
        rt, publish = self._rt, self._spec.publish
        settings = rt.settings
        async with rt.redis.pipeline(transaction=True) as pipe:
            if publish is not None:
                for output in outputs:
                    await self._publish_once(
                        keys=[output.marker, publish.stream, rt.names.deadletter],
                        args=[
                            settings.done_marker_ttl_s,
                            publish.maxlen,
                            output.payload,
                            output.fingerprint,
                            output.letter_head,
                            output.letter_tail,
                            settings.deadletter_maxlen,
                        ],
                        client=pipe,
                    )
            for letter in letters:
                add_dead_letter(pipe, rt.names, rt.settings.deadletter_maxlen, letter)
            pipe.xack(self._spec.stream, self._group, *done)
            replies: list[Any] = await pipe.execute()
        return replies[: len(outputs)] if publish is not None else []

    # -- abandoned entries ------------------------------------------------------------------------

    async def reclaim_forever(self) -> None:
        """Claim entries idle for `claim_idle_ms` in batches and process them with their delivery
        counts; count the ones deleted before anyone could claim them; now and then forget
        consumers that left long ago."""
        rt, spec = self._rt, self._spec
        consumer = rt.consumer(f"{spec.stage}-reclaim")
        start = "0-0"
        janitor_due = 0.0
        pause = max(RECLAIM_PAUSE_S, rt.settings.poll_ms / 1000)
        while True:
            raise_if_cancelling()
            try:
                if time.monotonic() >= janitor_due:
                    every = min(JANITOR_MAX_EVERY_S, rt.settings.consumer_forget_after_s / 2)
                    janitor_due = time.monotonic() + every
                    await self.forget_gone_consumers()
                start, claimed = await self.reclaim_once(consumer, start)
            except ResponseError as exc:
                if "NOGROUP" in str(exc):
                    log.warning("consumer group of %s is gone; recreating it", spec.stream)
                    await ensure_groups(rt.redis, rt.names)
                    continue
                log.error("reclaiming %s failed: %s", spec.stream, exc)
                claimed = 0
            except TRANSIENT as exc:
                log.warning("reclaiming %s failed (%s); retrying", spec.stream, type(exc).__name__)
                claimed = 0
            if not claimed:
                await asyncio.sleep(pause)

    async def reclaim_once(self, consumer: str, start: str) -> tuple[str, int]:
        """One XAUTOCLAIM step from `start`; returns the next start id and how many were claimed."""
        rt, spec = self._rt, self._spec
        reply: Any = await rt.redis.xautoclaim(
            spec.stream,
            self._group,
            consumer,
            min_idle_time=rt.settings.claim_idle_ms,
            start_id=start,
            count=rt.settings.batch_size,
        )
        next_id, messages = decode_id(reply[0]), reply[1]
        deleted = [decode_id(i) for i in (reply[2] if len(reply) > 2 else [])]
        if deleted:
            rt.metrics.claimed_deleted.labels(spec.stream).inc(len(deleted))
            log.error(
                "%d pending entr%s of %s had been deleted before %s could process them (trimmed or "
                "XDEL'd): %s",
                len(deleted),
                "y" if len(deleted) == 1 else "ies",
                spec.stream,
                spec.stage,
                ", ".join(deleted[:10]),
            )
        batch: list[Entry] = [(decode_id(i), fields) for i, fields in messages if fields is not None]
        if batch:
            counts = await self._delivery_counts(consumer, [entry_id for entry_id, _ in batch])
            await self.process(batch, counts)
        return next_id, len(batch)

    async def _delivery_counts(self, consumer: str, ids: list[str]) -> list[int]:
        rt, spec = self._rt, self._spec
        async with rt.redis.pipeline(transaction=False) as pipe:
            for entry_id in ids:
                pipe.xpending_range(spec.stream, self._group, entry_id, entry_id, 1, consumer)
            replies = await pipe.execute()
        # An entry acknowledged meanwhile has no pending record: count it as a first delivery.
        return [int(reply[0]["times_delivered"]) if reply else 1 for reply in replies]

    async def forget_gone_consumers(self) -> None:
        """XGROUP DELCONSUMER every consumer idle longer than `consumer_forget_after_s` with
        nothing pending (its pending entries, if any, are claimed first: deleting a consumer
        drops its pending list)."""
        rt, spec = self._rt, self._spec
        limit_ms = int(rt.settings.consumer_forget_after_s * 1000)
        infos: Any = await rt.redis.xinfo_consumers(spec.stream, self._group)
        for info in infos:
            name = decode_id(info["name"])
            if int(info.get("pending", 0)) == 0 and int(info.get("idle", 0)) > limit_ms:
                await rt.redis.xgroup_delconsumer(spec.stream, self._group, name)
                log.info(
                    "removed consumer %s from %s/%s: idle for %s ms",
                    name,
                    spec.stream,
                    self._group,
                    info["idle"],
                )


def stage_router(rt: Runtime, spec: StageSpec[In, Out]) -> tuple[RedisRouter, Background]:
    """The FastStream subscriber reading `spec.stream` in its consumer group, and the reclaimer
    loop to run beside it (a ServiceParts background task)."""
    shell = StageShell(rt, spec)
    router = RedisRouter()

    @router.subscriber(
        stream=group_batches(rt, spec.stream, spec.stage),
        parser=keep_raw,
        # The shell acknowledges exactly the entries it finished, in the same round trip as its
        # writes; an entry left for redelivery stays pending.
        ack_policy=AckPolicy.MANUAL,
        title=spec.title,
        description=spec.description,
    )
    async def on_batch(body: Any, message: RedisStreamMessage) -> None:
        await shell.process(entries(message))

    return router, shell.reclaim_forever
