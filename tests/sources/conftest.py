"""Fixtures of the live-source tests: loopback sites, and settings that allow-list exactly the
sites' address (127.0.0.1/32) with short timeouts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from services.common.embedded import EmbeddedRedis
from services.common.settings import Settings, load_settings
from services.producer.sources.fetch import Fetcher
from tests.sources.sites import Site

# Short, so the slow-server cases finish quickly; long enough for a loaded CI machine.
LIMITS: dict[str, object] = {
    "fetch_allowlist": "127.0.0.1/32",
    "fetch_connect_timeout_s": 3.0,
    "fetch_read_timeout_s": 1.5,
    "fetch_deadline_s": 4.0,
    "fetch_contact_url": "https://desk.example.org/strikewatch",
    "source_backoff_max_s": 3.0,
}


@pytest.fixture
def site() -> Iterator[Site]:
    with Site("127.0.0.1") as running:
        yield running


@pytest.fixture
def fetch_settings() -> Settings:
    """Settings for fetches only (no Redis)."""
    return load_settings(**LIMITS)


@pytest.fixture
async def fetcher(fetch_settings: Settings) -> AsyncIterator[Fetcher]:
    client = Fetcher(fetch_settings)
    yield client
    await client.aclose()


def write_sources(tmp_path: Path, entries: list[dict[str, object]]) -> Path:
    import yaml

    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump(entries), encoding="utf-8")
    return path


@pytest.fixture
def sources_settings(redis_server: EmbeddedRedis, prefix: str, tmp_path: Path) -> Settings:
    """Pipeline settings (real Redis, own prefix) with a sources file the test writes at
    `tmp_path / "sources.yaml"` before starting a producer."""
    return load_settings(
        redis_url=redis_server.url,
        prefix=prefix,
        poll_ms=20,
        claim_idle_ms=1000,
        sources_file=tmp_path / "sources.yaml",
        **LIMITS,
    )
