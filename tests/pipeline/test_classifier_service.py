"""The classifier service over a real Redis: consumer group, idempotent output, dead letters."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from redis.asyncio import Redis

from schemas import Article, Classification, DeadLetter
from services.classifier.app import build_classifier
from services.classifier.engine import Classifier
from services.common.outcome import Rejected
from services.common.runtime import Runtime, ServiceFactory, ServiceParts
from services.common.settings import Settings
from services.producer.replay import replay
from tests.conftest import SEEDS
from tests.pipeline.conftest import read_stream, running


async def test_seeds_are_classified_once_each(
    redis: Redis, settings: Settings, classifier_factory: ServiceFactory
) -> None:
    async with running(settings, [classifier_factory]):
        report = await replay(redis, settings, [SEEDS])
        assert report.published == 5
        out = [
            Classification.model_validate(o) for o in await read_stream(redis, settings.names.classified, 5)
        ]
    assert len({c.id for c in out}) == 5
    assert all(c.is_attack for c in out)


async def test_articles_written_before_the_service_started_are_not_missed(
    redis: Redis, settings: Settings, classifier_factory: ServiceFactory
) -> None:
    # FastStream would create the group at `$`; ours is created at 0, so the backlog is read.
    from services.common.streams import ensure_groups

    await ensure_groups(redis, settings.names)
    await replay(redis, settings, [SEEDS])
    async with running(settings, [classifier_factory]):
        out = await read_stream(redis, settings.names.classified, 5)
    assert len(out) == 5


async def test_replaying_the_same_articles_twice_classifies_each_once(
    redis: Redis, settings: Settings, classifier_factory: ServiceFactory
) -> None:
    async with running(settings, [classifier_factory]):
        await replay(redis, settings, [SEEDS])
        await replay(redis, settings, [SEEDS])
        await replay(redis, settings, [next(SEEDS.glob("003_*"))], loops=2)  # round 2 is a new id
        out = await read_stream(redis, settings.names.classified, 6)
        # The duplicates were read and acknowledged without output: the group has nothing pending.
        groups = await redis.xinfo_groups(settings.names.articles)
    assert sorted(o["id"].split("~")[0] for o in out).count(out[0]["id"].split("~")[0]) >= 1
    assert len({o["id"] for o in out}) == 6
    assert await redis.xlen(settings.names.classified) == 6
    assert groups[0]["entries-read"] == 5 + 5 + 2


async def test_bad_entries_go_to_the_dead_letter_stream_and_processing_goes_on(
    redis: Redis, settings: Settings, classifier_factory: ServiceFactory, tmp_path: Path
) -> None:
    small = settings.model_copy(update={"max_article_bytes": 50_000})
    names = small.names
    async with running(small, [classifier_factory]):
        await redis.xadd(names.articles, {"__data__": b"{not json"})
        await redis.xadd(names.articles, {"__data__": b'{"title": "no text"}'})
        await redis.xadd(names.articles, {"__data__": b"\xff\xfe\x00binary"})
        await redis.xadd(names.articles, {"__data__": b'{"text": "' + b"x" * 60_000 + b'"}'})
        await redis.xadd(
            names.articles, {"text": "Russian drones struck Odesa port overnight.", "id": "plain"}
        )
        letters = [DeadLetter.model_validate(d) for d in await read_stream(redis, names.deadletter, 4)]
        out = await read_stream(redis, names.classified, 1)
    reasons = sorted(letter.reason for letter in letters)
    assert all(letter.stage == "classifier" and letter.source_stream == names.articles for letter in letters)
    assert any("not JSON" in r for r in reasons)
    assert any("no non-empty 'text'" in r for r in reasons)
    assert any("UTF-8" in r for r in reasons)
    assert any("over the article size limit" in r for r in reasons)
    binary = next(letter for letter in letters if "UTF-8" in letter.reason)
    assert binary.payload_encoding == "base64"
    assert out[0]["id"] == "plain"


class _PoisonedEngine:
    """A classifier with a bug that one kind of article triggers."""

    def __init__(self, real: Classifier) -> None:
        self.real = real

    def warm(self) -> None:
        self.real.warm()

    def classify(self, articles: Sequence[Article]) -> list[Classification]:
        if any("POISON" in a.text for a in articles):
            raise RuntimeError("boom")
        return self.real.classify(articles)


async def test_a_classifier_exception_dead_letters_only_the_article_that_caused_it(
    redis: Redis, settings: Settings, engine: Classifier
) -> None:
    def factory(rt: Runtime) -> ServiceParts:
        return build_classifier(rt, _PoisonedEngine(engine))  # type: ignore[arg-type]

    async with running(settings, [factory]):
        pipe = redis.pipeline(transaction=False)
        for n, text in enumerate(["Drones hit Odesa.", "POISON pill", "Missiles struck Kharkiv."]):
            pipe.xadd(settings.names.articles, {"text": text, "id": f"a{n}"})
        await pipe.execute()
        out = await read_stream(redis, settings.names.classified, 2)
        (letter,) = [
            DeadLetter.model_validate(d) for d in await read_stream(redis, settings.names.deadletter, 1)
        ]
    assert sorted(o["id"] for o in out) == ["a0", "a2"]
    assert letter.source_id == "a1"
    assert "classifier exception: RuntimeError: boom" in letter.reason
    assert "POISON pill" in letter.payload


class _BoundedEngine:
    """An engine that refuses one article (as the classifier's per-article work bound will)."""

    def __init__(self, real: Classifier) -> None:
        self.real = real

    def warm(self) -> None:
        self.real.warm()

    def classify(self, articles: Sequence[Article]) -> list[Classification | Rejected]:
        results: list[Classification | Rejected] = []
        for article in articles:
            if "HOSTILE" in article.text:
                results.append(Rejected("article exceeds the work bound: 60000 characters of one run"))
            else:
                results.extend(self.real.classify([article]))
        return results


async def test_an_article_the_engine_refuses_is_dead_lettered_alone_with_its_reason(
    redis: Redis, settings: Settings, engine: Classifier
) -> None:
    """The engine may return `Rejected(reason)` for an article: the shell dead-letters it on first
    sight, with that reason, and the articles beside it are classified."""

    def factory(rt: Runtime) -> ServiceParts:
        return build_classifier(rt, _BoundedEngine(engine))  # type: ignore[arg-type]

    async with running(settings, [factory]):
        pipe = redis.pipeline(transaction=False)
        for n, text in enumerate(["Drones hit Odesa.", "HOSTILE ((((", "Missiles struck Kharkiv."]):
            pipe.xadd(settings.names.articles, {"text": text, "id": f"b{n}"})
        await pipe.execute()
        out = await read_stream(redis, settings.names.classified, 2)
        (letter,) = [
            DeadLetter.model_validate(d) for d in await read_stream(redis, settings.names.deadletter, 1)
        ]
    assert sorted(o["id"] for o in out) == ["b0", "b2"]
    assert letter.source_id == "b1" and letter.attempts is None
    assert letter.reason == "article exceeds the work bound: 60000 characters of one run"
    assert "HOSTILE" in letter.payload
