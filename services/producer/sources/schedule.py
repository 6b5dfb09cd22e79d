"""When to poll a source next: its own interval with jitter, exponential backoff after failures, and
a server's Retry-After honoured. Pure: the random number and the time come in as arguments."""

from __future__ import annotations

__all__ = ["JITTER", "START_SPREAD_S", "first_delay", "next_delay"]

# Each interval is the source's poll_s ± 10%, so sources that start together drift apart and
# replicas do not all knock at once.
JITTER = 0.1
# At start-up each source waits a random part of its interval (at most this long) before its
# first poll, so a restart does not fetch every feed in the same second.
START_SPREAD_S = 10.0


def first_delay(poll_s: float, rand: float) -> float:
    """Seconds before a source's first poll after start-up; `rand` uniform in [0, 1)."""
    return rand * min(poll_s, START_SPREAD_S)


def next_delay(
    poll_s: float, failures: int, *, rand: float, max_backoff_s: float, retry_after_s: float | None = None
) -> float:
    """Seconds from the start of one poll to the start of the next.

    No failures: `poll_s` ± JITTER. After `failures` (>= 1) consecutive failed polls: exponential
    backoff, `poll_s` * 2^failures with "equal jitter" (half fixed, half random), capped at
    `max_backoff_s` (never below `poll_s`). A Retry-After asks for at least that long, within the
    same cap. `rand` is uniform in [0, 1)."""
    if failures <= 0:
        return poll_s * (1 - JITTER + 2 * JITTER * rand)
    cap = max(max_backoff_s, poll_s)
    step = min(cap, poll_s * 2.0 ** min(failures, 32))
    delay = step / 2 + rand * step / 2
    if retry_after_s is not None:
        delay = max(delay, retry_after_s)
    return max(poll_s, min(delay, cap))
