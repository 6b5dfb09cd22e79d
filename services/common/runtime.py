"""The imperative shell every service shares: one broker, one Redis client, one metrics registry per
process, health and metrics endpoints, consumer groups created before anything reads, and background
tasks started after the broker and stopped before it.

A service contributes a `ServiceParts` (a FastStream router, HTTP routes, background loops); the
`demo` runs several in one process, `strikewatch run NAME` one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from faststream import AsyncAPI
from faststream.asgi import AsgiFastStream, AsgiResponse, get
from faststream.asgi.types import ASGIApp, Receive, Scope, Send
from faststream.redis import RedisBroker, RedisRouter
from faststream.redis.prometheus import RedisPrometheusMiddleware
from prometheus_client import CollectorRegistry, make_asgi_app
from redis.asyncio import Redis
from redis.exceptions import RedisError

from services.common.metrics import Metrics, create_metrics
from services.common.names import Names
from services.common.settings import Settings, load_settings
from services.common.streams import decode_id, ensure_groups

log = logging.getLogger("strikewatch")
BACKGROUND_STOP_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Runtime:
    """What one process shares between its services."""

    settings: Settings
    redis: Redis
    metrics: Metrics
    consumer_base: str

    @property
    def names(self) -> Names:
        return self.settings.names

    def consumer(self, role: str) -> str:
        return f"{self.consumer_base}-{role}"


Background = Callable[[], Coroutine[Any, Any, None]]


@dataclass
class ServiceParts:
    name: str
    router: RedisRouter
    routes: list[tuple[str, ASGIApp]] = field(default_factory=list)
    # Long-running loops started once the broker runs, cancelled when it stops.
    background: list[Background] = field(default_factory=list)
    on_stop: list[Background] = field(default_factory=list)
    # True when the service holds no in-process work (e.g. no webhook request in flight);
    # the demo waits on these, with the streams' lag and pending counts, to know it has drained.
    idle: list[Callable[[], bool]] = field(default_factory=list)


ServiceFactory = Callable[[Runtime], ServiceParts]


def consumer_base_name() -> str:
    # Unique per process: two replicas with one consumer name would steal each other's pending list.
    return f"{socket.gethostname()}-{os.getpid()}"


def redis_client(url: str) -> Redis:
    return Redis.from_url(url, health_check_interval=30, socket_keepalive=True, retry_on_timeout=True)


async def wait_for_redis(redis: Redis, names: Names, *, max_delay: float = 5.0) -> None:
    """Create the consumer groups, retrying with backoff while Redis is unreachable."""
    delay = 0.1
    while True:
        try:
            await ensure_groups(redis, names)
            return
        except (RedisError, OSError) as exc:
            log.warning("Redis not reachable (%s); retrying in %.1fs", type(exc).__name__, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_delay)


async def readiness(redis: Redis, names: Names) -> tuple[bool, str]:
    """Ready when Redis answers and every consumer group exists."""
    try:
        await redis.ping()
        for stream, group in names.groups.items():
            groups = await redis.xinfo_groups(stream)
            if not any(decode_id(g.get("name", b"")) == group for g in groups):
                return False, f"consumer group {group} on {stream} is missing"
    except (RedisError, OSError) as exc:
        return False, f"redis unreachable: {type(exc).__name__}"
    return True, "ready"


async def refresh_stream_gauges(redis: Redis, names: Names, metrics: Metrics) -> None:
    """Read articles ingested, consumer lag and pending counts from Redis (on scrape)."""
    try:
        info = await redis.xinfo_stream(names.articles)
        metrics.articles_ingested.value = float(info.get("entries-added", info.get("length", 0)))
    except (RedisError, OSError):
        pass
    for stream, group in names.groups.items():
        try:
            groups = await redis.xinfo_groups(stream)
        except (RedisError, OSError):
            continue
        for info in groups:
            if decode_id(info.get("name", b"")) != group:
                continue
            lag = info.get("lag")
            if lag is None:
                # Redis cannot tell the lag once entries were trimmed or deleted; leave the sample out
                # rather than report a backlog that was cut as zero.
                with contextlib.suppress(KeyError):
                    metrics.stream_lag.remove(stream, group)
            else:
                metrics.stream_lag.labels(stream, group).set(float(lag))
            metrics.stream_pending.labels(stream, group).set(float(info.get("pending", 0)))


def metrics_endpoint(runtime: Runtime) -> ASGIApp:
    exposition = make_asgi_app(runtime.metrics.registry)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await refresh_stream_gauges(runtime.redis, runtime.names, runtime.metrics)
        await exposition(scope, receive, send)

    return app


class StrikewatchApp(AsgiFastStream):
    """An AsgiFastStream that serves on STRIKEWATCH_HTTP_PORT unless `--port` is given, and heals
    subscribers that FastStream stops for good."""

    default_port: int = 0
    http_host: str = "0.0.0.0"
    parts: list[ServiceParts]
    recover: Background | None = None
    started: asyncio.Event
    _recovering: asyncio.Task[None] | None = None

    def exit(self) -> None:
        # FastStream calls this when a subscriber hits a terminal error: NOGROUP, because Redis
        # restarted without persistence or was flushed. Exiting would leave the service down until
        # a supervisor notices; recreating the groups and restarting the subscribers heals it.
        if self.recover is None:
            super().exit()
            return
        if self._recovering is None or self._recovering.done():
            self._recovering = asyncio.get_running_loop().create_task(self.recover())

    async def run(
        self, log_level: int = logging.INFO, run_extra_options: dict[str, Any] | None = None
    ) -> None:
        # log_config=None: uvicorn keeps its hands off logging, so its lines go through
        # services.common.logs like everything else.
        options = {
            "host": self.http_host,
            "port": self.default_port,
            "log_config": None,
            **(run_extra_options or {}),
        }
        await super().run(log_level, options)


def make_broker(url: str, registry: CollectorRegistry, title: str) -> RedisBroker:
    return RedisBroker(
        url,
        graceful_timeout=15.0,
        # FastStream's own broker logger writes to stdout, which `--json` output owns; ours goes
        # through logging's handlers (stderr).
        logger=logging.getLogger("strikewatch.broker"),
        # Per-message INFO logs cost 50-200 µs each; they stay available at DEBUG.
        log_level=logging.DEBUG,
        middlewares=[RedisPrometheusMiddleware(registry=registry, app_name=title)],
    )


def build_app(
    settings: Settings,
    factories: Sequence[ServiceFactory],
    *,
    title: str,
    http_port: int,
    extra_routes: Sequence[tuple[str, ASGIApp]] = (),
) -> tuple[StrikewatchApp, Runtime]:
    url = settings.require_redis_url()
    metrics = create_metrics()
    broker = make_broker(url, metrics.registry, title)
    runtime = Runtime(settings, redis_client(url), metrics, consumer_base_name())
    parts = [factory(runtime) for factory in factories]
    for part in parts:
        broker.include_router(part.router)

    tasks: list[asyncio.Task[None]] = []

    async def before_start() -> None:
        await wait_for_redis(runtime.redis, runtime.names)

    async def recover() -> None:
        await wait_for_redis(runtime.redis, runtime.names)
        for subscriber in broker.subscribers:
            if not subscriber.running:
                log.warning("restarting a stopped subscriber after its consumer group was recreated")
                await subscriber.start()

    async def after_start() -> None:
        app.started.set()
        for part in parts:
            tasks.extend(asyncio.create_task(loop(), name=f"{part.name}-bg") for loop in part.background)

    async def before_stop() -> None:
        for task in tasks:
            task.cancel()
        # Bounded: on Python 3.11 a redis-py call can swallow a cancellation, and shutdown must not
        # hang on one stuck loop.
        if tasks:
            _, stuck = await asyncio.wait(tasks, timeout=BACKGROUND_STOP_TIMEOUT_S)
            for task in stuck:
                log.warning(
                    "background task %s did not stop within %ss", task.get_name(), BACKGROUND_STOP_TIMEOUT_S
                )
        for part in parts:
            for hook in part.on_stop:
                await hook()

    async def after_stop() -> None:
        await runtime.redis.aclose()

    @get(include_in_schema=False)
    async def healthz(scope: Scope) -> AsgiResponse:
        return AsgiResponse(b"ok", status_code=200)

    @get(include_in_schema=False)
    async def readyz(scope: Scope) -> AsgiResponse:
        ready, why = await readiness(runtime.redis, runtime.names)
        if ready and not all(sub.running for sub in broker.subscribers):
            ready, why = False, "subscribers not running"
        return AsgiResponse(why.encode(), status_code=200 if ready else 503)

    routes: list[tuple[str, ASGIApp]] = [
        ("/metrics", metrics_endpoint(runtime)),
        ("/healthz", healthz),
        ("/readyz", readyz),
        *extra_routes,
    ]
    for part in parts:
        routes.extend(part.routes)
    app = StrikewatchApp(
        broker,
        asgi_routes=routes,
        on_startup=[before_start],
        after_startup=[after_start],
        on_shutdown=[before_stop],
        after_shutdown=[after_stop],
        specification=AsyncAPI(title=title, version="0.1.0"),
    )
    app.default_port = http_port
    app.http_host = settings.http_host
    app.started = asyncio.Event()
    app.parts = parts
    app.recover = recover
    return app, runtime


def standalone_app(service: str, factory: ServiceFactory) -> StrikewatchApp:
    """The app `faststream run services.<service>.app:app` and `strikewatch run <service>` serve."""
    from services.common.logs import configure_logging, log_event

    settings = load_settings()
    configure_logging(settings)
    app, _ = build_app(
        settings, [factory], title=f"strikewatch-{service}", http_port=settings.port_for(service)
    )
    log_event(log, "service.configured", service=service, prefix=settings.prefix)
    return app


def _http_server(app: StrikewatchApp, port: int, log_level: str) -> Any:
    import uvicorn

    config = uvicorn.Config(
        app, host=app.http_host, port=port, log_level=log_level, lifespan="on", log_config=None
    )
    return uvicorn.Server(config)


async def serve_until_stopped(
    app: StrikewatchApp, port: int, *, sockets: list[socket.socket] | None = None
) -> None:
    """Serve until SIGTERM/SIGINT, then drain (stop reading, finish in-flight work) and return,
    so the process exits 0 after a clean shutdown."""
    # uvicorn re-raises the signal it caught once it has shut down; a no-op handler turns that
    # re-raise into a normal return instead of death by signal.
    signal.signal(signal.SIGTERM, lambda *_: None)
    # `sockets`: already bound by the caller (the CLI), so a busy port is its one-line error.
    await _http_server(app, port, "info").serve(sockets=sockets)


async def start_http(
    app: StrikewatchApp, port: int, *, sockets: list[socket.socket] | None = None
) -> tuple[Any, asyncio.Task[None]]:
    """Start serving in the background; returns once the app (and its broker) has started."""
    server = _http_server(app, port, "warning")
    task = asyncio.create_task(server.serve(sockets=sockets))
    started = asyncio.create_task(app.started.wait())
    await asyncio.wait([task, started], return_when=asyncio.FIRST_COMPLETED)
    if not app.started.is_set():
        started.cancel()
        await task
        raise RuntimeError(f"the service could not start (HTTP port {port})")
    return server, task
