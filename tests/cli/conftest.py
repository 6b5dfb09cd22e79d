"""CLI tests call `services.cli.main` in-process (fast) or run the installed `strikewatch` script as a
real process (exit codes, stderr and stdout exactly as a shell sees them)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from services.common.embedded import free_port
from services.common.logs import HANDLER_NAME

ROOT = Path(__file__).resolve().parents[2]
STRIKEWATCH = Path(sys.executable).with_name("strikewatch")
# Variables a developer's shell may have set that would change what these tests see.
_CLEARED = [name for name in os.environ if name.startswith("STRIKEWATCH_")]


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def stderr_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in _CLEARED:
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    level = root.level
    yield
    # main() installs its log handler on the stream pytest captured; drop it with the capture.
    root.setLevel(level)
    for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(handler)


@pytest.fixture
def closed_url() -> str:
    """A Redis URL on a loopback port nothing listens on: Redis is down."""
    return f"redis://127.0.0.1:{free_port()}/0"


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120, stdin: str | None = None
) -> Result:
    """The console script as a real process, with only the given STRIKEWATCH_* variables set."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("STRIKEWATCH_")}
    done = subprocess.run(
        [str(STRIKEWATCH), *args],
        env={**base, **(env or {})},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)
