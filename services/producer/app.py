"""Producer service: `POST /articles` (one JSON article or JSONL) onto the `{p}:articles` stream.

`strikewatch replay` is the batch producer; this is the one other systems push to.
"""

from __future__ import annotations

from typing import Any

from faststream.asgi.types import ASGIApp, Receive, Scope, Send
from faststream.redis import RedisRouter

from services.common.http import HttpError, guarded, read_body, require_bearer, respond_json
from services.common.runtime import Runtime, ServiceParts, standalone_app
from services.producer.parse import ArticleError, articles_from_jsonl
from services.producer.publish import publish_articles, reject


def ingest_endpoint(rt: Runtime) -> ASGIApp:
    settings = rt.settings
    token = settings.api_token.get_secret_value() if settings.api_token else None

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "POST":
            raise HttpError(405, "use POST with a JSON article or JSONL lines")
        # With no token configured the endpoint is open (a private network's ingest); with one, required.
        if token is not None:
            require_bearer(scope, token, disabled="")
        body = await read_body(scope, receive, settings.max_request_bytes)
        accepted, errors = [], []
        for item in articles_from_jsonl(body, "request", max_bytes=settings.max_article_bytes):
            if isinstance(item, ArticleError):
                errors.append(str(item))
                await reject(rt.redis, settings, str(item), body[:65536], source="http", metrics=rt.metrics)
            else:
                accepted.append(item)
        ids = await publish_articles(rt.redis, settings, accepted)
        reply = {"accepted": [a.id for a in accepted], "stream_ids": ids, "errors": errors}
        await respond_json(send, 202 if accepted else 400, reply)

    return guarded(handle)


def build_producer(rt: Runtime) -> ServiceParts:
    return ServiceParts(name="producer", router=RedisRouter(), routes=[("/articles", ingest_endpoint(rt))])


def __getattr__(name: str) -> Any:
    if name == "app":
        return standalone_app("producer", build_producer)
    raise AttributeError(name)
