"""Producer service: `POST /articles` (one JSON article or JSONL) onto the `{p}:articles` stream,
and, with STRIKEWATCH_SOURCES_FILE, the live sources poller (services/producer/sources).

`strikewatch replay` is the batch producer; `POST /articles` is the one other systems push to.
"""

from __future__ import annotations

import asyncio
from typing import Any

from faststream.redis import RedisRouter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from schemas import Article
from services.common.http import redis_unavailable, require_bearer
from services.common.retry import REDIS_DOWN
from services.common.runtime import Runtime, ServiceParts, standalone_app
from services.producer.parse import ArticleError, articles_from_jsonl
from services.producer.publish import (
    Refusal,
    publish_articles,
    reject,
    reject_reused_ids,
    screen_reused_ids,
)
from services.producer.sources.poller import poller_from_settings


def ingest_route(rt: Runtime) -> Route:
    settings = rt.settings
    token = settings.api_token.get_secret_value() if settings.api_token else None

    async def ingest(request: Request) -> Response:
        """One JSON article or JSONL lines. 202: taken (bad lines listed in `errors` and
        dead-lettered one by one; `duplicates` lists the ids taken that were already classified for
        the same text, which the classifier counts and does not classify again); 409: nothing taken
        and an article's id was already classified for another text (`conflicts` its ids, `errors`
        the reasons; dead-lettered too, as with 202 when other articles were taken); 400: no good
        line; 503 + Retry-After: the stream is full of
        articles not yet processed and `refused` lists the ids not taken (retrying the whole request
        is safe: an article id is classified once); 503 + Retry-After, nothing taken, when Redis does
        not answer within STRIKEWATCH_HTTP_REDIS_WAIT_S."""
        # With no token configured the endpoint is open (a private network's ingest); with one, required.
        if token is not None:
            require_bearer(request, token, disabled="")
        body = await request.body()
        accepted: list[Article] = []
        refusals: list[Refusal] = []
        for item in articles_from_jsonl(body, "request", max_bytes=settings.max_article_bytes):
            if isinstance(item, ArticleError):
                refusals.append(Refusal(str(item), item.payload if item.payload is not None else body))
            else:
                accepted.append(item)
        wait = settings.http_redis_wait_s
        try:
            # Bounded: a client must hear within `wait` whether its articles were taken. Past
            # it the write is cancelled, never finished later behind the client's back.
            async with asyncio.timeout(wait):
                found = await screen_reused_ids(rt.redis, settings, accepted, give_up_after=wait)
                await reject(rt.redis, settings, refusals, source="http", metrics=rt.metrics)
                await reject_reused_ids(rt.redis, settings, found, source="http", metrics=rt.metrics)
                published = await publish_articles(
                    rt.redis, settings, found.articles, metrics=rt.metrics, give_up_after=wait
                )
        except (TimeoutError, *REDIS_DOWN) as exc:
            raise redis_unavailable(exc, retry_after_s=settings.refused_retry_after_s) from None
        taken = found.articles[: len(published.ids)]
        taken_ids = {a.id for a in taken}
        reasons = [r.reason for r in refusals] + [r.reason for r in found.conflicts]
        reply = {
            "accepted": [a.id for a in taken],
            "stream_ids": published.ids,
            "errors": listed(reasons, settings.deadletters_per_request),
            "refused": [a.id for a in found.articles[len(taken) :]],
            "duplicates": [i for i in found.duplicates if i in taken_ids],
            "conflicts": found.conflict_ids,
        }
        if published.refused:
            headers = {"retry-after": str(settings.refused_retry_after_s)}
            return JSONResponse(reply, status_code=503, headers=headers)
        if taken:
            return JSONResponse(reply, status_code=202)
        return JSONResponse(reply, status_code=409 if found.conflicts else 400)

    return Route("/articles", ingest, methods=["POST"])


def listed(errors: list[str], limit: int) -> list[str]:
    """The first `limit` errors, then one line counting the rest (a reply stays small)."""
    if len(errors) <= limit:
        return errors
    return [*errors[:limit], f"... and {len(errors) - limit} more"]


def build_producer(rt: Runtime) -> ServiceParts:
    parts = ServiceParts(name="producer", router=RedisRouter(), routes=[ingest_route(rt)])
    if rt.settings.sources_file is not None:
        poller = poller_from_settings(rt.redis, rt.settings, rt.metrics, owner=rt.consumer("sources"))
        parts.background.append(poller.run)
        parts.on_stop.append(poller.aclose)
    return parts


def __getattr__(name: str) -> Any:
    if name == "app":
        return standalone_app("producer", build_producer)
    raise AttributeError(name)
