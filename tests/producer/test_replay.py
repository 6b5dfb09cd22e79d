"""`strikewatch replay` over bad files: a clear message for each, a dead-letter entry, no crash,
and the good articles still published."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from redis.asyncio import Redis

from schemas import DeadLetter
from services.common.settings import Settings
from services.producer.replay import replay
from tests.conftest import SEEDS


async def test_bad_files_are_reported_dead_lettered_and_skipped(
    redis: Redis, settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "latin1.txt").write_bytes("Frappe de missiles sur Kharkiv, côté".encode("latin-1"))
    (tmp_path / "huge.txt").write_bytes(b"drones " * (3 * 1024 * 1024))  # ~20 MB
    (tmp_path / "mixed.jsonl").write_text(
        json.dumps({"text": "Russian drones hit Odesa port overnight."}) + "\n{oops\n", encoding="utf-8"
    )
    warnings: list[str] = []
    report = await replay(redis, settings, [tmp_path, next(SEEDS.glob("004_*"))], warn=warnings.append)

    assert report.published == 2  # the good JSONL line and the seed
    assert report.rejected == 5
    text = "\n".join(warnings)
    for expected in (
        "empty file",
        "binary file",
        "not valid UTF-8",
        "over the limit",
        "mixed.jsonl:2: not JSON",
    ):
        assert expected in text, expected
    letters = [
        DeadLetter.model_validate_json(f[b"__data__"])
        for _, f in await redis.xrange(settings.names.deadletter)
    ]
    assert len(letters) == 5
    assert {letter.stage for letter in letters} == {"producer"}
    assert all(letter.reason and letter.source_id for letter in letters)
    assert await redis.xlen(settings.names.articles) == 2


def test_realtime_spacing_follows_publication_times_sped_up() -> None:
    from datetime import UTC, date, datetime

    from schemas import Article
    from services.producer.replay import looped, realtime_delay

    first = Article(id="a", text="t", published=date(2024, 1, 1))
    second = Article(id="b", text="t", published=datetime(2024, 1, 1, 6, tzinfo=UTC))
    undated = Article(id="c", text="t")
    assert realtime_delay(None, first, 3600) == 0.0
    assert realtime_delay(first, second, 3600) == 6.0  # six hours at 3600x
    assert realtime_delay(second, first, 3600) == 0.0  # never negative
    assert realtime_delay(second, undated, 3600) == 0.0
    assert looped(first, 0).id == "a" and looped(first, 2).id == "a~2"


async def test_replay_when_redis_stops_ends_with_one_line_and_the_count_so_far(
    prefix: str, tmp_path: Path
) -> None:
    """Redis stops mid-replay: replay waits `give_up_after`, then raises ReplayInterrupted with a
    one-line message and the articles published before (no traceback for the CLI to show)."""
    import asyncio

    from services.common.embedded import EmbeddedRedis
    from services.common.settings import load_settings
    from services.producer.replay import ReplayInterrupted

    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        "".join(json.dumps({"text": f"Drones hit Odesa, report {n}."}) + "\n" for n in range(400))
    )
    with EmbeddedRedis(data_dir=tmp_path / "redis") as server:
        settings = load_settings(redis_url=server.url, prefix=prefix)
        client = Redis.from_url(server.url)
        some_published = asyncio.Event()

        def progress(done: int, total: int) -> None:
            if done >= 20:
                some_published.set()

        running = asyncio.create_task(
            replay(client, settings, [batch], rate=200.0, on_progress=progress, give_up_after=1.0)
        )
        try:
            await asyncio.wait_for(some_published.wait(), timeout=30)
            server.stop()
            with pytest.raises(ReplayInterrupted) as caught:
                await asyncio.wait_for(running, timeout=30)
        finally:
            await client.aclose()
    interrupted = caught.value
    assert "\n" not in str(interrupted)
    assert str(interrupted).startswith("Redis unreachable (ConnectionError)")
    assert 20 <= interrupted.report.published < 400
    assert f"stopped after publishing {interrupted.report.published} article(s)" in str(interrupted)
    assert interrupted.report.summary() == f"published {interrupted.report.published} article(s); 0 rejected"


async def test_replay_against_an_unreachable_redis_is_one_line_not_a_traceback(
    prefix: str, tmp_path: Path
) -> None:
    """Nothing answers at all: replay still ends in ReplayInterrupted with its one line."""
    from services.common.settings import load_settings
    from services.producer.replay import ReplayInterrupted
    from tests.reliability.webhook_receiver import reserve_port

    reserved = reserve_port()  # bound, not listening: connections are refused
    url = f"redis://127.0.0.1:{reserved.getsockname()[1]}/0"
    client = Redis.from_url(url)
    try:
        with pytest.raises(ReplayInterrupted) as caught:
            await replay(client, load_settings(redis_url=url, prefix=prefix), [SEEDS], give_up_after=0.5)
    finally:
        await client.aclose()
        reserved.close()
    assert str(caught.value).startswith("Redis unreachable (ConnectionError)")
    assert caught.value.report.summary() == "published 0 article(s); 0 rejected"
