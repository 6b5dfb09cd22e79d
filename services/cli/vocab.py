"""The values `--severity`, `--region`, `--type` and `--since` accept, checked before anything
connects, with a "did you mean" hint and shell completion."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import get_args

import typer

from schemas import ATTACK_TYPES, Severity, regions

_ENTRY_ID = re.compile(r"^\d+(-\d+)?$")


def region_slugs() -> tuple[str, ...]:
    """Slugs of every first-level region alerts can name (`kyiv-city`, `kharkiv-oblast`): the one
    region table, schemas/regions.py."""
    return regions.region_slugs()


def severity_levels() -> tuple[str, ...]:
    return tuple(level.lower() for level in get_args(Severity))


def attack_types() -> tuple[str, ...]:
    return tuple(ATTACK_TYPES)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """' (did you mean kyiv-city?)' for a near miss; otherwise a pointer to the full list."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _checked(value: str | None, choices: tuple[str, ...], what: str, listing: str) -> str | None:
    if value is None:
        return None
    normalised = value.strip().lower()
    if normalised in choices:
        return normalised
    hint = did_you_mean(normalised, choices)
    raise typer.BadParameter(f"unknown {what} {value!r}{hint or f'; {listing}'}")


def check_region(value: str | None) -> str | None:
    return _checked(
        value, region_slugs(), "region", "see `strikewatch tail --help` for where the slugs come from"
    )


def check_type(value: str | None) -> str | None:
    return _checked(value, attack_types(), "attack type", f"one of {', '.join(attack_types())}")


def check_severity(value: str | None) -> str | None:
    return _checked(value, severity_levels(), "severity", f"one of {', '.join(severity_levels())}")


def check_since(value: str | None) -> str | None:
    """An alert-log entry id (`1700000000000-0`, or its millisecond part) or `0` for the whole log."""
    if value is None:
        return None
    text = value.strip()
    if not _ENTRY_ID.match(text):
        raise typer.BadParameter(
            f"{value!r} is not an alert-log entry id; "
            "use 0 for the whole log or an id such as 1700000000000-0"
        )
    return text


def complete_region(incomplete: str) -> list[str]:
    return [s for s in region_slugs() if s.startswith(incomplete.lower())]


def complete_type(incomplete: str) -> list[str]:
    return [t for t in attack_types() if t.startswith(incomplete.lower())]


def complete_severity(incomplete: str) -> list[str]:
    return [s for s in severity_levels() if s.startswith(incomplete.lower())]
