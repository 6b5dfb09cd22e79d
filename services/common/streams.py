"""Reading and writing stream entries as plain JSON, consumer groups and the dead-letter stream."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import ResponseError

from schemas import DeadLetter
from services.common.names import DATA_FIELD, Names
from services.common.outcome import Rejected

MAX_DEADLETTER_PAYLOAD = 4 * 1024 * 1024
DATA_FIELD_BYTES = DATA_FIELD.encode()
Stage = Literal["producer", "classifier", "alerter", "webhook"]
M = TypeVar("M", bound=BaseModel)

# A Lua function for the scripts that trim: the oldest entry of `stream` some consumer group still
# needs (its oldest unacknowledged entry, else the one after the last it read), or nil when no group
# reads the stream. Trimming with XTRIM MINID to it never cuts an entry a group has not processed.
CONSUMED_FLOOR_LUA = """
local function id_before(a, b)
  local a_ms, a_seq = string.match(a, '^(%d+)-(%d+)$')
  local b_ms, b_seq = string.match(b, '^(%d+)-(%d+)$')
  a_ms, b_ms = tonumber(a_ms), tonumber(b_ms)
  if a_ms ~= b_ms then return a_ms < b_ms end
  return tonumber(a_seq) < tonumber(b_seq)
end
local function consumed_floor(stream)
  local floor = nil
  for _, group in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
    local info = {}
    for i = 1, #group, 2 do info[group[i]] = group[i + 1] end
    local ms, seq = string.match(info['last-delivered-id'], '^(%d+)-(%d+)$')
    local needed = ms .. '-' .. string.format('%d', tonumber(seq) + 1)
    if tonumber(info['pending']) > 0 then
      needed = redis.call('XPENDING', stream, info['name'])[2]
    end
    if floor == nil or id_before(needed, floor) then floor = needed end
  end
  return floor
end
"""

# Written once per input id: a redelivered message finds the marker and writes nothing twice. At
# its cap the stream is trimmed only below what its consumer groups have processed: a lagging
# reader makes it grow past the cap (a soft cap) rather than lose entries; with no group reading
# it, the cap is hard.
# The marker holds the input's fingerprint, so the same id on a different input (an id reused for
# another article) is told apart from a redelivery: that input is dead-lettered, in the same script
# (atomic: two replicas racing cannot both publish, and the letter cannot be lost between the check
# and the write), with the fingerprint already stored spliced into the letter's reason. A marker
# from before fingerprints ('1', or anything not hex) counts as the same input: no false dead
# letters after an upgrade.
# KEYS: marker, stream, dead-letter stream. ARGV: marker ttl (s), stream cap, JSON payload,
# fingerprint, dead letter JSON before the stored fingerprint, after it, dead-letter stream cap.
# Returns the new entry's id when it published, nil for the same input again, and {stored
# fingerprint} when it dead-lettered.
PUBLISH_ONCE_LUA = (
    CONSUMED_FLOOR_LUA
    + """
local fingerprint = ARGV[4]
local stored = redis.call('GET', KEYS[1])
if not stored then
  redis.call('SET', KEYS[1], fingerprint, 'EX', ARGV[1])
  local cap = tonumber(ARGV[2])
  if redis.call('XLEN', KEYS[2]) >= cap then
    local floor = consumed_floor(KEYS[2])
    if floor == nil then
      redis.call('XTRIM', KEYS[2], 'MAXLEN', '~', cap)
    else
      redis.call('XTRIM', KEYS[2], 'MINID', '~', floor)
    end
  end
  return redis.call('XADD', KEYS[2], '*', '__data__', ARGV[3])
end
if stored == fingerprint or stored == '1' or not string.match(stored, '^%x+$') then
  return false
end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[7], '*', '__data__', ARGV[5] .. stored .. ARGV[6])
return {stored}
"""
)


def encode(model: BaseModel) -> dict[str, bytes]:
    """A stream entry FastStream and any other client read as plain JSON."""
    return {DATA_FIELD: model.model_dump_json().encode()}


def entry_size(fields: Mapping[bytes, bytes]) -> int:
    return sum(len(k) + len(v) for k, v in fields.items())


def raw_bytes(fields: Mapping[bytes, bytes]) -> bytes:
    """What a dead letter keeps of an entry: its JSON body, or its fields as `k=v&k=v`."""
    data = fields.get(DATA_FIELD_BYTES)
    if data is not None:
        return data
    return b"&".join(k + b"=" + v for k, v in fields.items())


def model_from_entry(model: type[M], fields: Mapping[bytes, bytes], *, max_bytes: int) -> M | Rejected:
    """A model from the JSON in an entry's `__data__` field, or why it is not one. pydantic-core
    parses the JSON, so deep nesting and half surrogate pairs are refused, never crash."""
    size = entry_size(fields)
    if size > max_bytes:
        return Rejected(f"{size} bytes is over the limit of {max_bytes} bytes")
    data = fields.get(DATA_FIELD_BYTES)
    if data is None:
        return Rejected(f"entry has no {DATA_FIELD!r} field")
    try:
        return model.model_validate_json(data)
    except ValidationError as exc:
        first = exc.errors(include_input=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        return Rejected(
            f"not a valid {model.__name__} ({exc.error_count()} errors; first at {where}: {first['msg']})"
        )


def dead_letter(
    stage: Stage,
    reason: str,
    payload: bytes | str,
    *,
    source_stream: str | None = None,
    source_id: str | None = None,
    attempts: int | None = None,
    subscription_id: str | None = None,
    keep_bytes: int = MAX_DEADLETTER_PAYLOAD,
) -> DeadLetter:
    """A dead letter keeping the first `keep_bytes` of `payload` (its full size is recorded)."""
    raw = payload.encode("utf-8", "surrogatepass") if isinstance(payload, str) else payload
    kept = raw[:keep_bytes]
    encoding: Literal["utf-8", "base64"] = "utf-8"
    try:
        text = kept.decode("utf-8")
    except UnicodeDecodeError as exc:
        if len(kept) < len(raw) and exc.reason == "unexpected end of data":
            # The cap cut a character in two: keep the text up to it.
            kept = kept[: exc.start]
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
