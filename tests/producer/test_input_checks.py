"""What an article record may carry (docs/contract.md section 3), red team 7: an id is a string of at
most MAX_ID_CHARS characters, never a number made one; `published` is a date string, never a number
read as seconds; `language` is a real ISO 639-1 code. Each refusal says why. The producer over real
HTTP on 127.0.0.1 and real Redis; the folder replay over real files."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from schemas import DeadLetter
from schemas.models import MAX_ID_CHARS, MAX_TITLE_CHARS
from services.common.articles import article_from_record
from services.common.runtime import build_app, start_http
from services.common.settings import Settings
from services.producer.app import build_producer
from services.producer.replay import replay

TEXT = "Shelling hit a bakery in Kherson on Tuesday morning; three people were injured."


@pytest.mark.parametrize(
    ("raw_id", "shown"),
    [
        (42, "int (42)"),
        (["a", "b"], 'list (["a", "b"])'),
        ({"n": 1}, 'dict ({"n": 1})'),
        (4.0, "float (4.0)"),
    ],
)
def test_an_id_that_is_not_a_string_is_refused_never_coerced(raw_id: Any, shown: str) -> None:
    # R9: the int 42 became "42" and collided with the string id "42".
    with pytest.raises(ValueError) as caught:
        article_from_record({"id": raw_id, "text": TEXT})
    assert str(caught.value) == f"'id' must be a string, not {shown}"


def test_an_id_longer_than_the_limit_is_refused() -> None:
    # R20: ids had no length limit.
    assert article_from_record({"id": "x" * MAX_ID_CHARS, "text": TEXT}).id == "x" * MAX_ID_CHARS
    with pytest.raises(ValueError, match=f"id: String should have at most {MAX_ID_CHARS} characters"):
        article_from_record({"id": "x" * (MAX_ID_CHARS + 1), "text": TEXT})


@pytest.mark.parametrize(
    ("raw_id", "reason"),
    [
        ("   ", "only whitespace"),
        ("\t", "a control character or a line break"),
        ("report\n7", "a control character or a line break"),
        ("report\r7", "a control character or a line break"),
        ("report\x007", "a control character or a line break"),
        ("report\u20287", "a control character or a line break"),
    ],
)
def test_an_id_of_only_whitespace_or_with_a_control_character_is_refused(raw_id: str, reason: str) -> None:
    # Red team 7 #16: "   " and "a\nb" were taken, and the desk showed "untitled report (id    )".
    with pytest.raises(ValueError, match=f"id: Value error, an article id may not .*{reason}"):
        article_from_record({"id": raw_id, "text": TEXT})
    assert article_from_record({"id": "report 7", "text": TEXT}).id == "report 7"


@pytest.mark.parametrize(
    "raw_id",
    [
        "\u200b",
        "\u200b\u200c\u200d",
        "\ufeff\u2060",
        "\u00a0\u3000\u200b",
        "\u3164\u2800",
        "\u0301",
    ],
)
def test_an_id_with_no_visible_character_is_refused(raw_id: str) -> None:
    # Red team 8: an id of zero-width characters only was taken; the desk showed it as empty.
    with pytest.raises(ValueError, match="an article id may not be only whitespace or invisible characters"):
        article_from_record({"id": raw_id, "text": TEXT})


@pytest.mark.parametrize("raw_id", ["report\u200b7", "\u200b7", "№", "\u0437\u0432\u0456\u0442", "€"])
def test_an_id_with_a_visible_character_beside_invisible_ones_is_kept(raw_id: str) -> None:
    assert article_from_record({"id": raw_id, "text": TEXT}).id == raw_id


def test_a_title_longer_than_the_limit_is_refused() -> None:
    # Red team 8: a 300,000-character title was taken (POST 202) and copied into every alert.
    title = "T" * MAX_TITLE_CHARS
    assert article_from_record({"id": "a", "text": TEXT, "title": title}).title == title
    with pytest.raises(ValueError, match=f"title: String should have at most {MAX_TITLE_CHARS} characters"):
        article_from_record({"id": "a", "text": TEXT, "title": "T" * 300_000})


AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "published",
    ["2199-05-05", "2026-12-03", "2026-12-02T12:00:01+00:00", "2026-12-02T13:00:01", "2999-12-31"],
)
def test_a_published_date_more_than_a_day_ahead_is_refused(published: str) -> None:
    # Red team 8: 2199-05-05 was taken and became the event date of a text naming no day.
    with pytest.raises(ValueError, match=r"published .* is more than a day after the article came in"):
        article_from_record({"id": "a", "text": TEXT, "published": published}, now=AT)


@pytest.mark.parametrize(
    "published",
    ["2026-12-01", "2026-12-02", "2026-12-02T12:00:00+00:00", "2026-12-02T14:00:00+02:00", "1990-01-01"],
)
def test_a_published_date_up_to_a_day_ahead_is_taken(published: str) -> None:
    # A sender's clock a little fast or a time zone ahead of UTC is no reason to lose the report.
    assert article_from_record({"id": "a", "text": TEXT, "published": published}, now=AT).published


def test_the_future_check_uses_the_current_time_by_default() -> None:
    with pytest.raises(ValueError, match="more than a day after"):
        article_from_record({"id": "a", "text": TEXT, "published": "2199-05-05"})


@pytest.mark.parametrize("published", [1764547200, 1764547200.5, True])
def test_a_published_number_is_refused_not_read_as_seconds(published: object) -> None:
    # R16: 1764547200 was taken as 2025-12-01T00:00Z; the contract offers ISO 8601 text only.
    with pytest.raises(ValueError, match=r"published .* is not a date string; give YYYY-MM-DD or RFC 3339"):
        article_from_record({"id": "a", "text": TEXT, "published": published})
    assert article_from_record({"id": "a", "text": TEXT, "published": "2026-12-01"}).published is not None


def test_a_language_that_is_no_iso_639_1_code_is_refused() -> None:
    # R17: "xx" turned reading off; a real code without a rule pack ("de") stays the documented
    # skipped_reason (tests/classifier/lang), so it is taken here.
    with pytest.raises(ValueError, match="language 'xx' is not an ISO 639-1 code"):
        article_from_record({"id": "a", "text": TEXT, "language": "xx"})
    assert article_from_record({"id": "a", "text": TEXT, "language": "de"}).language == "de"


async def post_lines(settings: Settings, lines: list[dict[str, object]]) -> httpx.Response:
    """POST `lines` as JSONL to a real producer's /articles on a free loopback port; its answer."""
    app, _ = build_app(settings, [build_producer], title="test", http_port=0)
    server, serving = await start_http(app, 0)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            return await client.post("/articles", content="\n".join(json.dumps(r) for r in lines).encode())
    finally:
        server.should_exit = True
        await serving


async def test_post_refuses_a_bad_id_with_the_reason_and_takes_the_rest(
    redis: Redis, settings: Settings
) -> None:
    """End to end: an int id, an over-long one and a blank one are answered in `errors` and dead-lettered; the
    string id "42" beside them is taken as itself."""
    lines = [
        {"id": 42, "text": TEXT},
        {"id": "y" * 300, "text": TEXT},
        {"id": "  ", "text": TEXT},
        {"id": "42", "text": TEXT},
    ]
    answer = await post_lines(settings, lines)
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["accepted"] == ["42"]
    assert len(body["errors"]) == 3
    assert "'id' must be a string, not int (42)" in body["errors"][0]
    assert f"at most {MAX_ID_CHARS} characters" in body["errors"][1]
    assert "an article id may not be only whitespace" in body["errors"][2]
    assert await redis.xlen(settings.names.deadletter) == 3
    (entry,) = await redis.xrange(settings.names.articles)
    assert json.loads(entry[1][b"__data__"])["id"] == "42"


async def test_folder_replay_skips_links_out_of_the_folder_and_files_that_are_not_regular(
    redis: Redis, settings: Settings, tmp_path: Path
) -> None:
    """R15: a link in a replayed folder to a file outside it (/etc/passwd was published) and a FIFO
    are skipped with the reason, counted as rejected, never read (their dead letters carry no
    content); a link to a file inside the folder is read as that file."""
    folder, outside = tmp_path / "in", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    secret = "A private note that names Kyiv and drones, outside the replayed folder."
    (outside / "secret.jsonl").write_text(
        json.dumps({"id": "secret", "text": secret}) + "\n", encoding="utf-8"
    )
    (folder / "good.jsonl").write_text(json.dumps({"id": "good", "text": TEXT}) + "\n", encoding="utf-8")
    (folder / "escape.jsonl").symlink_to(outside / "secret.jsonl")
    (folder / "inside.jsonl").symlink_to(folder / "good.jsonl")
    os.mkfifo(folder / "pipe.txt")
    warnings: list[str] = []
    report = await replay(redis, settings, [folder], warn=warnings.append)
    assert report.published == 2  # good.jsonl, and again through inside.jsonl
    assert report.rejected == 2
    target = (outside / "secret.jsonl").resolve()
    assert warnings == [
        f"skipped: {folder / 'escape.jsonl'}: links outside {folder} (to {target})",
        f"skipped: {folder / 'pipe.txt'}: not a regular file (a FIFO, device or socket)",
    ]
    letters = [
        DeadLetter.model_validate_json(f[b"__data__"])
        for _, f in await redis.xrange(settings.names.deadletter)
    ]
    assert [letter.payload for letter in letters] == ["", ""]
    ids = [json.loads(f[b"__data__"])["id"] for _, f in await redis.xrange(settings.names.articles)]
    assert ids == ["good", "good"]


async def test_post_refuses_red_team_8_records_with_their_reasons(redis: Redis, settings: Settings) -> None:
    """End to end (red team 8): a zero-width id, a 300,000-character title and a published date in
    2199 are each answered in `errors` and dead-lettered; the good record beside them is taken."""
    lines = [
        {"id": "\u200b\u200b", "text": TEXT},
        {"id": "long-title", "text": TEXT, "title": "T" * 300_000},
        {"id": "future", "text": TEXT, "published": "2199-05-05"},
        {"id": "good", "text": TEXT, "published": "2026-11-30"},
    ]
    answer = await post_lines(settings, lines)
    assert answer.status_code == 202, answer.text[:500]
    body = answer.json()
    assert body["accepted"] == ["good"]
    assert len(body["errors"]) == 3
    assert "invisible characters" in body["errors"][0]
    assert f"at most {MAX_TITLE_CHARS} characters" in body["errors"][1]
    assert "published 2199-05-05 is more than a day after the article came in" in body["errors"][2]
    assert await redis.xlen(settings.names.deadletter) == 3
