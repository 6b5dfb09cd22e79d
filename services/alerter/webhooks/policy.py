"""Delivery policy as pure functions: when to retry, how long to wait, how many requests per endpoint.

Which addresses deliveries may reach is the shared policy of services/common/netpolicy.py."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

RETRY_JITTER = 0.1


def retryable_status(status: int) -> bool:
    """Timeouts (408), rate limits (429) and server errors may pass; other answers will not change."""
    return status in (408, 429) or 500 <= status <= 599


def retry_delay(
    schedule: Sequence[float], failed_attempts: int, *, retry_after_s: float | None, rand: float
) -> float | None:
    """Seconds before the next attempt after `failed_attempts` (>= 1) failures, or None when the
    schedule is spent and the delivery goes to the dead-letter stream.

    `schedule[n]` is the wait before attempt n + 1 (`schedule[0]`, the first attempt, is 0), with
    +-10 % jitter so receivers coming back up are not hit by every sender at once. A Retry-After asks
    for at least that long, up to the schedule's longest step (a receiver cannot park a delivery for
    longer than the schedule would). `rand` is uniform in [0, 1), passed in to keep this pure.
    """
    if failed_attempts >= len(schedule):
        return None
    step = schedule[failed_attempts]
    delay = step * (1 - RETRY_JITTER + 2 * RETRY_JITTER * rand)
    if retry_after_s is not None:
        delay = max(delay, min(retry_after_s, max(schedule)))
    return delay


def endpoint_caps(
    held: Iterable[str],
    endpoint_of: Mapping[str, str],
    *,
    concurrency: int,
    free_in_all: int | None = None,
) -> list[tuple[int, list[str]]]:
    """How many more deliveries each endpoint may take now: `concurrency` minus the jobs held for
    it, shared by every subscription that points at it. `held` gives the subscription id of each
    job a worker holds; a subscription whose endpoint is not known yet counts as its own endpoint.
    With `free_in_all` (the worker's free slots in all), the endpoints already holding jobs take
    no more than `free_in_all - concurrency` between them: the last `concurrency` slots stay for
    endpoints that hold none, so however many endpoints hang, a healthy one still gets through.
    Returns (free slots, subscription ids) per endpoint, for `DeliveryQueue.claim(caps=...)`."""
    members: dict[str, list[str]] = {}
    for sub_id, endpoint in endpoint_of.items():
        members.setdefault(endpoint, []).append(sub_id)
    load: dict[str, int] = {}
    for sub_id in held:
        key = endpoint_of.get(sub_id, f"subscription:{sub_id}")
        load[key] = load.get(key, 0) + 1
        if sub_id not in endpoint_of:
            subs = members.setdefault(key, [])
            if not subs:
                subs.append(sub_id)
    # Shared by the endpoints holding jobs, first come first served (unbounded without free_in_all).
    budget = None if free_in_all is None else max(0, free_in_all - concurrency)

    def cap(key: str) -> int:
        nonlocal budget
        used = load.get(key, 0)
        left = max(0, concurrency - used)
        if used == 0 or budget is None:
            return left
        left = min(left, budget)
        budget -= left
        return left

    return [(cap(key), subs) for key, subs in members.items()]
