"""Reading the read model (kept by the read-model sink): pages of incidents newest first, one
incident's versions, and the position in the alert log the model has reached. Each answer costs a
bounded number of round trips and a bounded scan, whatever the filters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from schemas import Alert
from services.alerter.filters import AlertFilter, Cursor
from services.common.names import READ_MODEL_SINK, Names

# Incidents looked at for one answer at most: a filter that matches little returns a short page with
# a `next` cursor rather than scanning the whole index.
SCAN_BUDGET = 2000
_CHUNK = 200
# The largest sequence number of a stream id: the id just before `ms-0` is `(ms-1)-MAX_SEQ`.
_MAX_SEQ = 18446744073709551615

# KEYS[1]: the index (alert id -> latest sent, ms). ARGV: the versions-key prefix, the upper score,
# the cursor's alert id ('' for none), the lower score, how many.
# Newest first: incidents below the upper score, and those at the upper score whose id sorts before
# the cursor's (ZRANGE ... REV gives equal scores in reverse id order). For each, the JSON of its
# highest version (false when its versions expired meanwhile).
PAGE_LUA = """
local index, prefix = KEYS[1], ARGV[1]
local upper, after, lower, count = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local ids, scores = {}, {}
if after ~= '' then
  local offset = 0
  while #ids < count do
    local ties = redis.call('ZRANGE', index, upper, upper, 'BYSCORE', 'REV',
                            'LIMIT', offset, 200, 'WITHSCORES')
    if #ties == 0 then break end
    for i = 1, #ties, 2 do
      if ties[i] < after and #ids < count then
        ids[#ids + 1] = ties[i]; scores[#scores + 1] = ties[i + 1]
      end
    end
    offset = offset + 200
  end
  upper = '(' .. upper
end
if #ids < count then
  local rest = redis.call('ZRANGE', index, upper, lower, 'BYSCORE', 'REV',
                          'LIMIT', 0, count - #ids, 'WITHSCORES')
  for i = 1, #rest, 2 do ids[#ids + 1] = rest[i]; scores[#scores + 1] = rest[i + 1] end
end
local alerts = {}
for i, id in ipairs(ids) do
  local key, best = prefix .. id, nil
  for _, v in ipairs(redis.call('HKEYS', key)) do
    local n = tonumber(v)
    if n and (best == nil or n > best) then best = n end
  end
  alerts[i] = best ~= nil and redis.call('HGET', key, tostring(best)) or false
end
return {ids, scores, alerts}
"""


@dataclass(frozen=True, slots=True)
class Found:
    alert: Alert
    payload: str  # the Alert JSON exactly as in the alert log


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Found]
    next: Cursor | None  # where the next page starts; None when the index has no more


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _parse(payload: str) -> Alert | None:
    try:
        return Alert.model_validate_json(payload)
    except ValidationError:
        return None


def previous_id(entry_id: str) -> str:
    """The greatest stream id below `entry_id` (`5-0` -> `4-18446744073709551615`)."""
    ms, _, seq = entry_id.partition("-")
    if int(seq or 0) > 0:
        return f"{ms}-{int(seq) - 1}"
    return f"{int(ms) - 1}-{_MAX_SEQ}" if int(ms) > 0 else "0-0"


class AlertQueries:
    def __init__(self, redis: Redis, names: Names) -> None:
        self._redis = redis
        self._names = names
        self._page = redis.register_script(PAGE_LUA)

    async def page(
        self,
        *,
        where: AlertFilter,
        limit: int,
        since_ms: int | None = None,
        cursor: Cursor | None = None,
        budget: int = SCAN_BUDGET,
    ) -> Page:
        """Incidents newest first by the sent time of their latest version (ties by id), those
        `where` keeps, at most `limit`; at most `budget` incidents are looked at."""
        items: list[Found] = []
        position, scanned = cursor, 0
        while len(items) < limit and scanned < budget:
            ask = min(_CHUNK, budget - scanned)
            ids, scores, payloads = await self._chunk(position, since_ms, ask)
            for raw_id, score, raw in zip(ids, scores, payloads, strict=True):
                scanned += 1
                position = Cursor(int(float(score)), _text(raw_id))
                alert = _parse(_text(raw)) if raw is not None else None
                if alert is not None and where.matches(alert):
                    items.append(Found(alert, _text(raw)))
                    if len(items) == limit:
                        break
            if len(ids) < ask and len(items) < limit:
                return Page(items, None)  # the index has no more
        return Page(items, position if scanned else None)

    async def _chunk(self, after: Cursor | None, since_ms: int | None, count: int) -> tuple[Any, Any, Any]:
        names = self._names
        result: list[Any] = await self._page(
            keys=[names.alerts_by_sent],
            args=[
                names.alert_versions(""),
                str(after.sent_ms) if after is not None else "+inf",
                after.alert_id if after is not None else "",
                str(since_ms) if since_ms is not None else "-inf",
                count,
            ],
        )
        ids, scores, payloads = result
        return ids, scores, payloads

    async def versions(self, alert_id: str) -> list[Found]:
        """Every version of one incident the model holds, oldest first; empty when none."""
        stored: dict[Any, Any] = await self._redis.hgetall(self._names.alert_versions(alert_id))
        out: list[tuple[int, Found]] = []
        for version, raw in stored.items():
            payload = _text(raw)
            alert = _parse(payload)
            if alert is not None:
                out.append((int(_text(version)), Found(alert, payload)))
        return [found for _, found in sorted(out, key=lambda pair: pair[0])]

    async def position(self) -> str | None:
        """An alert-log id up to which (inclusive) every entry is in the read model: GET
        /alerts/stream?since=<it> then misses nothing a list read afterwards lacks. None when the
        read-model group does not exist."""
        names, group = self._names, READ_MODEL_SINK
        try:
            groups: Sequence[dict[str, Any]] = await self._redis.xinfo_groups(names.alert_log)
        except ResponseError:
            return None
        info = next((g for g in groups if _text(g.get("name", b"")) == group), None)
        if info is None:
            return None
        if not info.get("pending"):
            return _text(info["last-delivered-id"])
        summary: dict[str, Any] = await self._redis.xpending(names.alert_log, group)
        lowest = summary.get("min")
        return previous_id(_text(lowest)) if lowest else _text(info["last-delivered-id"])
