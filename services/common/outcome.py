"""The one shape a pure stage uses to refuse a record: the stage shell dead-letters it, alone, with
the reason, and the records beside it go through."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record a pure stage refuses; `reason` is what its dead letter says (one line, no secrets)."""

    reason: str
