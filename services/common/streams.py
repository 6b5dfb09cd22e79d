"""Reading and writing stream entries as plain JSON, consumer groups and the dead-letter stream."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import ResponseError

from schemas import DeadLetter
from services.common.names import DATA_FIELD, Names

MAX_DEADLETTER_PAYLOAD = 4 * 1024 * 1024
Stage = Literal["producer", "classifier", "alerter", "webhook"]

# Written once per input id: a redelivered message finds the marker and writes nothing twice.
# KEYS: marker, stream. ARGV: marker ttl (s), stream maxlen, JSON payload.
PUBLISH_ONCE_LUA = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', '__data__', ARGV[3])
end
return false
"""


def encode(model: BaseModel) -> dict[str, bytes]:
    """A stream entry FastStream and any other client read as plain JSON."""
    return {DATA_FIELD: model.model_dump_json().encode()}


def entry_payload(fields: Mapping[bytes, bytes]) -> bytes | dict[str, str]:
    """The JSON body of an entry, or, for an entry written field by field (e.g. `XADD s * text ...`
    from redis-cli), its fields as a dict."""
    data = fields.get(DATA_FIELD.encode())
    if data is not None:
        return data
    return {k.decode("utf-8", "replace"): v.decode("utf-8", "replace") for k, v in fields.items()}


def raw_bytes(fields: Mapping[bytes, bytes]) -> bytes:
    data = fields.get(DATA_FIELD.encode())
    if data is not None:
        return data
    return b"&".join(k + b"=" + v for k, v in fields.items())


def dead_letter(
    stage: Stage,
    reason: str,
    payload: bytes | str,
    *,
    source_stream: str | None = None,
    source_id: str | None = None,
    attempts: int | None = None,
    subscription_id: str | None = None,
) -> DeadLetter:
    raw = payload.encode("utf-8") if isinstance(payload, str) else payload
    kept = raw[:MAX_DEADLETTER_PAYLOAD]
    encoding: Literal["utf-8", "base64"] = "utf-8"
    try:
        text = kept.decode("utf-8")
    except UnicodeDecodeError:
        text, encoding = base64.b64encode(kept).decode("ascii"), "base64"
    return DeadLetter(
        stage=stage,
        reason=reason,
        payload=text,
        payload_encoding=encoding,
        payload_bytes=len(raw),
        source_stream=source_stream,
        source_id=source_id,
        at=datetime.now(UTC),
        attempts=attempts,
        subscription_id=subscription_id,
    )


def add_dead_letter(pipe: Pipeline | Redis, names: Names, maxlen: int, letter: DeadLetter) -> Any:
    return pipe.xadd(names.deadletter, encode(letter), maxlen=maxlen, approximate=True)  # type: ignore[arg-type]


async def ensure_groups(redis: Redis, names: Names) -> None:
    """Create every consumer group before anything reads, at id 0, so entries written before a
    consumer first started are still delivered (FastStream would create them at `$`). A group
    marked `start_on_existing="$"` (a sink whose output was produced another way before it existed)
    starts at the end of a stream that already has entries."""
    for consumer_group in names.groups:
        stream, start = consumer_group.stream, "0"
        if consumer_group.start_on_existing == "$" and await redis.xlen(stream):
            start = "$"
        try:
            await redis.xgroup_create(stream, consumer_group.group, id=start, mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise


def decode_id(entry_id: bytes | str) -> str:
    return entry_id.decode() if isinstance(entry_id, bytes) else entry_id


def stream_id_ms(entry_id: bytes | str) -> int:
    return int(decode_id(entry_id).split("-", 1)[0])


async def groups_drained(redis: Redis, names: Names) -> bool:
    """Every consumer group (pipeline stages and the alert log's sinks) has read everything and
    acknowledged all it read."""
    for stream, group in names.groups.items():
        try:
            infos = await redis.xinfo_groups(stream)
        except ResponseError:
            return False
        info = next((i for i in infos if decode_id(i.get("name", b"")) == group), None)
        if info is None or info.get("pending", 0) or info.get("lag") not in (0, None):
            return False
        # Redis cannot tell the lag after trimming; then only an empty stream counts as drained.
        if info.get("lag") is None and await redis.xlen(stream):
            return False
    return True
