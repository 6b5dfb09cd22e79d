"""Producer service: `POST /articles` (one JSON article or JSONL) onto the `{p}:articles` stream,
and, with STRIKEWATCH_SOURCES_FILE, the live sources poller (services/producer/sources).

`strikewatch replay` is the batch producer; `POST /articles` is the one other systems push to.
"""

from __future__ import annotations

from typing import Any

from faststream.redis import RedisRouter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from services.common.http import require_bearer
from services.common.runtime import Runtime, ServiceParts, standalone_app
from services.producer.parse import ArticleError, articles_from_jsonl
from services.producer.publish import publish_articles, reject
from services.producer.sources.poller import poller_from_settings


def ingest_route(rt: Runtime) -> Route:
    settings = rt.settings
    token = settings.api_token.get_secret_value() if settings.api_token else None

    async def ingest(request: Request) -> Response:
        # With no token configured the endpoint is open (a private network's ingest); with one, required.
        if token is not None:
            require_bearer(request, token, disabled="")
        body = await request.body()
        accepted, errors = [], []
        for item in articles_from_jsonl(body, "request", max_bytes=settings.max_article_bytes):
            if isinstance(item, ArticleError):
                errors.append(str(item))
                await reject(rt.redis, settings, str(item), body[:65536], source="http", metrics=rt.metrics)
            else:
                accepted.append(item)
        ids = await publish_articles(rt.redis, settings, accepted)
        reply = {"accepted": [a.id for a in accepted], "stream_ids": ids, "errors": errors}
        return JSONResponse(reply, status_code=202 if accepted else 400)

    return Route("/articles", ingest, methods=["POST"])


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
