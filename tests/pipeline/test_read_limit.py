"""The classifier's read limit is never silent: a text longer than the stages read says
`truncated: true` and `read_chars` on its Classification, on the alert's `sources` entry and in the
terminal panel, and `strikewatch_articles_truncated_total` counts it (docs/contract.md section 4,
*Read limit*). What the classifier reads is not changed."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime

import httpx
import uvicorn
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis
from rich.console import Console

from schemas import Alert, Article, Classification, SourceRef
from services.alerter.app import build_alerter
from services.classifier.engine import Classifier
from services.common.runtime import ServiceFactory, StrikewatchApp
from services.common.settings import Settings
from services.console import alert_panel
from services.producer.publish import publish_articles
from tests.pipeline.conftest import read_stream, running

# Sentences written for these tests. The filler is news that reports no attack, one paragraph a line.
ATTACK = "Russian drones struck an apartment block in Odesa overnight, killing two people and injuring five."
FILLER = (
    "The city council met on Tuesday to discuss the library budget, the new tram timetable and the "
    "repairs planned for the riverside footpath before the winter."
)


def long_text(*, head: str = ATTACK, tail: str = "", paragraphs: int = 200, filler: str = FILLER) -> str:
    """`head`, then `paragraphs` lines of filler (well past 12,000 characters), then `tail`."""
    return "\n".join([head, *[f"({n}) {filler}" for n in range(paragraphs)], tail]).strip()


def article(aid: str, text: str) -> Article:
    return Article(id=aid, text=text, published=date(2026, 3, 4))


def only(result: Classification | object) -> Classification:
    assert isinstance(result, Classification), result
    return result


def test_a_long_text_says_how_much_of_it_was_read(engine: Classifier) -> None:
    text = long_text()
    assert len(text) > 2 * engine.bounds.stage_chars
    result = only(engine.classify([article("long", text)])[0])
    assert result.truncated is True
    assert result.read_chars is not None and 0 < result.read_chars <= engine.bounds.stage_chars
    # Cut at the last line break before the limit: the unread part starts there.
    assert text[result.read_chars] == "\n"
    # Reading is unchanged: the attack at the head is still found.
    assert result.is_attack and result.casualties.killed == 2
    again = Classification.model_validate_json(result.model_dump_json())
    assert (again.truncated, again.read_chars) == (True, result.read_chars)


def test_a_text_within_the_limit_is_read_whole_and_says_so(engine: Classifier) -> None:
    for text in (ATTACK, long_text(paragraphs=40)):
        assert len(text) < engine.bounds.stage_chars
        result = only(engine.classify([article("short", text)])[0])
        assert (result.truncated, result.read_chars) == (False, None)


def test_an_attack_told_past_the_limit_is_not_seen_but_the_cut_is_reported(engine: Classifier) -> None:
    text = long_text(head="Weekly council bulletin.", tail=ATTACK)
    result = only(engine.classify([article("late", text)])[0])
    assert result.truncated is True and result.read_chars is not None
    assert text.index(ATTACK) >= result.read_chars  # the attack lies in the unread part
    assert not result.is_attack


def test_read_chars_counts_the_articles_own_characters_through_normalisation(engine: Classifier) -> None:
    """Entities are decoded before the limit applies (one "&amp;" is one character read), so
    `read_chars` in the article's own characters is larger than the normalised characters read."""
    entities = FILLER.replace(" and ", " &amp; ")
    text = long_text(filler=entities)
    result = only(engine.classify([article("amp", text)])[0])
    assert result.truncated is True and result.read_chars is not None
    assert result.read_chars > engine.bounds.stage_chars
    assert text[result.read_chars] == "\n"
    plain = only(engine.classify([article("plain", long_text())])[0])
    assert plain.read_chars is not None and plain.read_chars < result.read_chars


def test_the_panel_names_a_report_read_only_in_part_or_dated_when_first_seen() -> None:
    cut = SourceRef(article_id="a1", title="Long live blog", truncated=True, read_chars=11_987)
    whole = SourceRef(article_id="a2", title="Short report")
    undated = SourceRef(article_id="a3", title="Wire flash", published_basis="first_seen")
    # Without a title: the outlet, else the address, else said to be untitled (never a bare id).
    by_outlet = SourceRef(article_id="a4", source="Regional Radio")
    by_url = SourceRef(article_id="a5", url="https://news.example/strike")
    bare = SourceRef(article_id="f387924124f3d69b")
    alert = Alert(
        alert_id="sw-test",
        version=1,
        msg_type="Alert",
        sent=datetime(2026, 3, 4, tzinfo=UTC),
        severity="Severe",
        urgency="Immediate",
        certainty="Observed",
        headline="Severe drone attack on Odesa",
        summary="",
        event_date=date(2026, 3, 4),
        attacker="Russia",
        attack_types=["drone"],
        weapons=[],
        targets=[],
        locations=[],
        casualties={"killed": 2},
        projectiles={},
        source_count=6,
        sources=[cut, whole, undated, by_outlet, by_url, bare],
        severity_reasons=[],
    )
    console = Console(width=400, record=True)  # the six reports on one line
    console.print(alert_panel(alert))
    shown = console.export_text()
    assert "Long live blog (only its first 11,987 characters read)" in shown
    assert "Short report" in shown and "Short report (" not in shown
    assert "Wire flash (no date in its feed: dated when first seen)" in shown
    assert "; Regional Radio;" in shown and "; https://news.example/strike;" in shown
    assert "untitled report (id f387924124f3d69b)" in shown


@asynccontextmanager
async def over_http(app: StrikewatchApp) -> AsyncIterator[str]:
    """`app`'s HTTP side served by uvicorn on a free loopback port (its lifespan is run by
    `running`). The socket listens before the server starts, so a request never races it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()


async def truncated_count(client: httpx.AsyncClient) -> float:
    answer = await client.get("/metrics")
    assert answer.status_code == 200
    for family in text_string_to_metric_families(answer.text):
        if family.name == "strikewatch_articles_truncated":
            return sum(s.value for s in family.samples if s.name.endswith("_total"))
    raise AssertionError("strikewatch_articles_truncated_total is not exported")


async def test_the_service_counts_cut_articles_and_the_alert_carries_the_cut(
    redis: Redis, settings: Settings, classifier_factory: ServiceFactory
) -> None:
    names = settings.names
    text = long_text()
    long_article = Article(id="cut-1", text=text, published=date(2026, 3, 4), source="Example Blog")
    calm = Article(id="whole-1", text=FILLER, published=date(2026, 3, 4))
    async with (
        running(settings, [classifier_factory, build_alerter]) as app,
        over_http(app) as base,
        httpx.AsyncClient(base_url=base, timeout=10.0) as client,
    ):
        assert await truncated_count(client) == 0
        await publish_articles(redis, settings, [long_article, calm])
        classified = await read_stream(redis, names.classified, 2)
        out = {o["id"]: Classification.model_validate(o) for o in classified}
        logged = [Alert.model_validate(a) for a in await read_stream(redis, names.alert_log, 1)]
        assert await truncated_count(client) == 1
    cut, whole = out["cut-1"], out["whole-1"]
    assert cut.truncated and cut.read_chars is not None and text[cut.read_chars] == "\n"
    assert (whole.truncated, whole.read_chars) == (False, None)
    (source,) = logged[0].sources
    assert (source.article_id, source.truncated, source.read_chars) == ("cut-1", True, cut.read_chars)
