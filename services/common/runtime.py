"""The imperative shell every service shares: one broker, one Redis client, one metrics registry per
process, one Starlette app for HTTP (health, readiness, metrics and the services' endpoints),
consumer groups created before anything reads, and background tasks started after the broker and
stopped before it.

The HTTP port opens at once, whether or not Redis answers: `/healthz` says the process lives,
`/readyz` says why it is not ready yet, and the broker starts in the background as soon as Redis
can be reached. SIGTERM stops the process within a few seconds at any moment, including while it
is still waiting for Redis.

A service contributes a `ServiceParts` (a FastStream router, HTTP routes, background loops); the
`demo` runs several in one process, `strikewatch run NAME` one.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import os
import signal
import socket
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from faststream import AsyncAPI
from faststream.asgi import AsgiFastStream
from faststream.asgi.types import Receive, Scope, Send
from faststream.redis import RedisBroker, RedisRouter
from faststream.redis.prometheus import RedisPrometheusMiddleware
from prometheus_client import CollectorRegistry, make_asgi_app
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from services.common.http import http_app
from services.common.metrics import Metrics, create_metrics
from services.common.names import Names
from services.common.retry import REDIS_DOWN, raise_if_cancelling
from services.common.settings import Settings, load_settings
from services.common.streams import decode_id, ensure_groups

log = logging.getLogger("strikewatch")

# Shutdown budget (SIGTERM to exit within 5 s at any moment): open HTTP requests get 1 s, in-flight
# message handlers 2 s (an unfinished message stays pending and another replica claims it), each
# background loop and stop hook 1 s, the subscribers' last reads one poll and 0.5 s.
HTTP_SHUTDOWN_S = 1
HANDLERS_GRACE_S = 2.0
BACKGROUND_STOP_TIMEOUT_S = 1.0
# How long, past one poll (STRIKEWATCH_POLL_MS), shutdown waits for the subscribers' read loops to end
# by themselves before the broker's stop (StrikewatchApp._quiet_subscribers); a handler still at work
# then has the broker's HANDLERS_GRACE_S as before.
SUBSCRIBERS_QUIET_S = 0.5
# Probes and scrapes answer in bounded time even when Redis does not.
PROBE_TIMEOUT_S = 2.0
REDIS_CONNECT_TIMEOUT_S = 5.0


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
    # Starlette routes, served on the process's one HTTP port beside /metrics, /healthz, /readyz.
    routes: list[BaseRoute] = field(default_factory=list)
    # Long-running loops started once the broker runs, cancelled when it stops.
    background: list[Background] = field(default_factory=list)
    on_stop: list[Background] = field(default_factory=list)
    # Blocking warm-ups (e.g. building the classifier's language readers, ~6 s), run in a thread
    # before the broker subscribes: /readyz says "warming up" until they have all returned, so no
    # replica takes messages (or traffic) while its first article would stall it.
    warm: list[Callable[[], None]] = field(default_factory=list)
    # True when the service holds no in-process work (e.g. no webhook request in flight);
    # the demo waits on these, with the streams' lag and pending counts, to know it has drained.
    idle: list[Callable[[], bool]] = field(default_factory=list)


ServiceFactory = Callable[[Runtime], ServiceParts]


def consumer_base_name() -> str:
    # Unique per process: two replicas with one consumer name would steal each other's pending list.
    return f"{socket.gethostname()}-{os.getpid()}"


def redis_client(url: str) -> Redis:
    return Redis.from_url(
        url,
        health_check_interval=30,
        socket_keepalive=True,
        retry_on_timeout=True,
        # An unreachable (blackholed) server fails a connection attempt in seconds, not minutes.
        socket_connect_timeout=REDIS_CONNECT_TIMEOUT_S,
    )


async def wait_for_redis(
    redis: Redis,
    names: Names,
    *,
    max_delay: float = 5.0,
    on_retry: Callable[[str], None] = lambda _: None,
) -> None:
    """Create the consumer groups, retrying with backoff while Redis is unreachable; `on_retry`
    hears why each attempt failed (one line, no secrets)."""
    delay = 0.1
    while True:
        raise_if_cancelling()
        try:
            await ensure_groups(redis, names)
            return
        except (RedisError, OSError) as exc:
            why = f"Redis unreachable: {type(exc).__name__}"
            on_retry(why)
            log.warning("%s; retrying in %.1fs", why, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_delay)


async def readiness(redis: Redis, names: Names) -> tuple[bool, str]:
    """Ready when Redis answers and every consumer group exists."""
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_S):
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


class MetricsEndpoint:
    """`GET /metrics`: the gauges read from Redis are refreshed (bounded in time: a scrape still
    answers while Redis is away), then prometheus_client's exposition with its format negotiation."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._exposition = make_asgi_app(runtime.metrics.registry)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        rt = self._runtime
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(PROBE_TIMEOUT_S):
                await refresh_stream_gauges(rt.redis, rt.names, rt.metrics)
        await self._exposition(scope, receive, send)


class StrikewatchApp(AsgiFastStream):
    """One process's services: FastStream for the broker, Starlette for HTTP.

    The ASGI lifespan returns at once, so the HTTP port opens whatever Redis does; the broker is
    started in the background once Redis answers. `faststream run services.<name>.app:app` and
    `strikewatch run <name>` both serve it on STRIKEWATCH_HTTP_HOST:STRIKEWATCH_HTTP_PORT."""

    def __init__(
        self,
        broker: RedisBroker,
        *,
        runtime: Runtime,
        parts: list[ServiceParts],
        title: str,
        http_port: int,
        extra_routes: Sequence[BaseRoute] = (),
    ) -> None:
        super().__init__(broker, specification=AsyncAPI(title=title, version="0.1.0"))
        self.runtime = runtime
        self.parts = parts
        self.default_port = http_port
        self.http_host = runtime.settings.http_host
        # Set once the broker and the background loops run.
        self.started = asyncio.Event()
        # Why the process is not ready yet, for /readyz.
        self.status = "starting"
        self._background: list[asyncio.Task[None]] = []
        # Which warm-up runs (ServiceParts.warm), for /readyz once Redis answers.
        self._warming = "warming up"
        self._broker_started = False
        self._recovering: asyncio.Task[None] | None = None
        routes: list[BaseRoute] = [
            Route("/metrics", MetricsEndpoint(runtime), methods=["GET"]),
            Route("/healthz", self._healthz, methods=["GET"]),
            Route("/readyz", self._readyz, methods=["GET"]),
            *extra_routes,
        ]
        for part in parts:
            routes.extend(part.routes)
        self.http: Starlette = http_app(
            routes,
            max_request_bytes=runtime.settings.max_request_bytes,
            retry_after_s=runtime.settings.refused_retry_after_s,
        )

    # -- HTTP -------------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(scope, receive, send)
        else:
            await self.http(scope, receive, send)

    async def _healthz(self, request: Request) -> Response:
        return PlainTextResponse("ok")

    async def _readyz(self, request: Request) -> Response:
        if not self.started.is_set():
            return PlainTextResponse(self.status, status_code=503)
        ready, why = await readiness(self.runtime.redis, self.runtime.names)
        if ready and self.broker is not None and not all(sub.running for sub in self.broker.subscribers):
            ready, why = False, "subscribers not running"
        return PlainTextResponse(why, status_code=200 if ready else 503)

    # -- lifecycle --------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def start_lifespan_context(
        self, run_extra_options: dict[str, Any] | None = None
    ) -> AsyncIterator[None]:
        starting = asyncio.create_task(self._start(), name="strikewatch-start")
        try:
            yield
        finally:
            await self._stop(starting)

    async def _start(self) -> None:
        rt = self.runtime

        def waiting(why: str) -> None:
            self.status = f"waiting for Redis ({why})"

        # Warm-ups run in a thread while Redis is reached (both take seconds at a cold start);
        # the broker subscribes only once both are done.
        warming = asyncio.create_task(self._warm(), name="strikewatch-warm")
        try:
            self.status = "connecting to Redis"
            await wait_for_redis(rt.redis, rt.names, on_retry=waiting)
            if not warming.done():
                self.status = self._warming
            try:
                await warming
            except Exception:
                # Redis retries may have written over a warm-up failure said while they ran.
                self.status = self._warming
                raise
        finally:
            warming.cancel()
        self._broker_started = True
        delay = 0.5
        while True:
            raise_if_cancelling()
            try:
                await self._startup()
                break
            except (RedisError, OSError) as exc:
                # Redis went away between creating the groups and starting the subscribers.
                log.error("the broker could not start (%s); retrying in %.1fs", type(exc).__name__, delay)
                waiting(type(exc).__name__)
                if self.broker is not None:
                    with contextlib.suppress(Exception):
                        await self.broker.stop()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        for part in self.parts:
            self._background.extend(
                asyncio.create_task(loop(), name=f"{part.name}-bg") for loop in part.background
            )
        self.status = "ready"
        self.started.set()

    async def _warm(self) -> None:
        for part in self.parts:
            for warm in part.warm:
                self._warming = f"warming up ({part.name})"
                try:
                    await in_daemon_thread(warm, name=f"{part.name}-warm")
                except Exception as exc:
                    # Said at once, and by /readyz, not only when the service is stopped: a replica
                    # whose readers cannot be built (a broken rule pack) must never subscribe.
                    self._warming = f"warm-up failed ({part.name}): {type(exc).__name__}"
                    self.status = self._warming
                    log.exception("warm-up of %s failed; the service will not subscribe", part.name)
                    raise

    async def _stop(self, starting: asyncio.Task[None]) -> None:
        if not starting.done():
            starting.cancel()
        # Bounded: on Python 3.11 a redis-py call can swallow a cancellation (asyncio.timeout turns
        # it into a TimeoutError the client retries), and shutdown must not hang on one stuck task.
        await _bounded([starting], "start-up")
        for task in self._background:
            task.cancel()
        await _bounded(self._background, "background")
        if self._broker_started:
            for part in self.parts:
                for hook in part.on_stop:
                    await _bounded([asyncio.create_task(hook())], f"{part.name} stop hook")
            await self._quiet_subscribers()
            await self._shutdown()
        await self.runtime.redis.aclose()

    async def _quiet_subscribers(self) -> None:
        """Let every subscriber's read loop end before the broker closes its connection: FastStream's
        stop cancels the loops and closes the pool at once, so a loop blocked in XREADGROUP woke on
        a closed connection and logged "Message fetch error" (ERROR) at every clean shutdown (red
        team 7 F22; ../shared/docs/FASTSTREAM-NOTES.md). Marked not running, a loop ends when its
        read returns (within STRIKEWATCH_POLL_MS) and its handler, if any, is done; one still
        running after SUBSCRIBERS_QUIET_S is left to the broker's cancellation."""
        if self.broker is None:
            return
        loops: list[asyncio.Task[Any]] = []
        for subscriber in self.broker.subscribers:
            subscriber.running = False
            loops.extend(task for task in getattr(subscriber, "tasks", ()) if not task.done())
        if loops:
            quiet = self.runtime.settings.poll_ms / 1000 + SUBSCRIBERS_QUIET_S
            await asyncio.wait(loops, timeout=quiet)

    def exit(self) -> None:
        # FastStream calls this when a subscriber hits a terminal error: NOGROUP, because Redis
        # restarted without persistence or was flushed. Exiting would leave the service down until
        # a supervisor notices; recreating the groups and restarting the subscribers heals it.
        if self._recovering is None or self._recovering.done():
            self._recovering = asyncio.get_running_loop().create_task(self._recover())

    async def _recover(self) -> None:
        await wait_for_redis(self.runtime.redis, self.runtime.names)
        assert self.broker is not None
        for subscriber in self.broker.subscribers:
            if not subscriber.running:
                log.warning("restarting a stopped subscriber after its consumer group was recreated")
                await subscriber.start()

    async def run(
        self, log_level: int = logging.INFO, run_extra_options: dict[str, Any] | None = None
    ) -> None:
        _exit_zero_after_signal()
        # log_config=None: uvicorn keeps its hands off logging, so its lines go through
        # services.common.logs like everything else.
        options = {
            "host": self.http_host,
            "port": self.default_port,
            "timeout_graceful_shutdown": HTTP_SHUTDOWN_S,
            "log_config": None,
            **(run_extra_options or {}),
        }
        await super().run(log_level, options)


async def in_daemon_thread(work: Callable[[], None], *, name: str) -> None:
    """Run blocking `work` in a daemon thread of its own and await its end (its exception raised
    here). Unlike `asyncio.to_thread`, a cancelled wait leaves nothing for the process to join on
    exit: a warm-up (~7 s, or one that never returns) must not hold SIGTERM up, and abandoning it
    loses nothing, as nothing has subscribed yet."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()
    context = contextvars.copy_context()  # as asyncio.to_thread does

    def settle(exc: BaseException | None) -> None:
        if done.done():  # the wait was cancelled meanwhile
            return
        if exc is None:
            done.set_result(None)
        else:
            done.set_exception(exc)

    def run() -> None:
        outcome: BaseException | None = None
        try:
            context.run(work)
        except BaseException as exc:
            outcome = exc
        # The loop may have closed meanwhile (the process is stopping): nobody waits any more.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, outcome)

    threading.Thread(target=run, name=name, daemon=True).start()
    await done


async def _bounded(tasks: Sequence[asyncio.Task[Any]], what: str) -> None:
    if not tasks:
        return
    _, stuck = await asyncio.wait(tasks, timeout=BACKGROUND_STOP_TIMEOUT_S)
    for task in stuck:
        log.warning("%s task %s did not stop within %ss", what, task.get_name(), BACKGROUND_STOP_TIMEOUT_S)
    for task in tasks:
        if task.done() and not task.cancelled() and task.exception() is not None:
            log.error("%s task %s failed: %r", what, task.get_name(), task.exception())


class RedisDownFetches(logging.Filter):
    """FastStream logs each subscriber read that Redis did not answer as "Message fetch error" at
    ERROR with a traceback, and tries again by itself (after CONSUME_ERROR_BACKOFF_SECONDS). A Redis
    that is paused, restarting or loading is an outage, not a bug (red team 7 #11: two tracebacks
    every few seconds of a 10 s pause): such a record becomes one WARNING line naming the error.
    Any other exception keeps its ERROR and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, REDIS_DOWN):
            record.msg = f"{record.getMessage()}: Redis did not answer ({type(exc).__name__}); retrying"
            record.args = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
        return True


def make_broker(url: str, registry: CollectorRegistry, title: str) -> RedisBroker:
    broker_log = logging.getLogger("strikewatch.broker")
    if not any(isinstance(f, RedisDownFetches) for f in broker_log.filters):
        broker_log.addFilter(RedisDownFetches())
    return RedisBroker(
        url,
        graceful_timeout=HANDLERS_GRACE_S,
        socket_connect_timeout=REDIS_CONNECT_TIMEOUT_S,
        # FastStream's own broker logger writes to stdout, which `--json` output owns; ours goes
        # through logging's handlers (stderr).
        logger=broker_log,
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
    extra_routes: Sequence[BaseRoute] = (),
) -> tuple[StrikewatchApp, Runtime]:
    url = settings.require_redis_url()
    metrics = create_metrics()
    broker = make_broker(url, metrics.registry, title)
    runtime = Runtime(settings, redis_client(url), metrics, consumer_base_name())
    parts = [factory(runtime) for factory in factories]
    for part in parts:
        broker.include_router(part.router)
    app = StrikewatchApp(
        broker, runtime=runtime, parts=parts, title=title, http_port=http_port, extra_routes=extra_routes
    )
    return app, runtime


class WorkersRefused(SystemExit):
    """`faststream run ... --workers N`: refused, with the reason and what to do instead."""


def refuse_workers() -> None:
    """Refuse `faststream run --workers N` (N > 1) before any worker starts.

    Worker processes would each keep their own metrics (Prometheus would see a random fraction)
    and FastStream's multiprocess runner ignores STRIKEWATCH_HTTP_PORT/HOST. Scaling out is
    running more replicas (containers or `strikewatch run` processes): the consumer groups share
    the work between them, each serves its own metrics, and Prometheus sums them."""
    workers = _cli_workers()
    if isinstance(workers, int) and workers > 1:
        raise WorkersRefused(
            f"strikewatch: --workers {workers} is not supported: run {workers} replicas instead "
            "(separate processes or containers; the consumer groups share the work, and each serves "
            "its own /metrics on STRIKEWATCH_HTTP_PORT). See 'Scaling out' in RELIABILITY.md."
        )


def _cli_workers() -> int | None:
    """The `--workers` value of the `faststream run` command being executed, if any. FastStream's
    CLI is Typer, which carries its own copy of click (0.27+); older ones use click itself."""
    for module in ("typer._click.globals", "click.globals"):
        try:
            get_current_context = __import__(module, fromlist=["get_current_context"]).get_current_context
        except ImportError:
            continue
        context = get_current_context(silent=True)
        if context is not None and isinstance(context.params.get("workers"), int):
            workers: int = context.params["workers"]
            return workers
    return None


def standalone_app(service: str, factory: ServiceFactory) -> StrikewatchApp:
    """The app `faststream run services.<service>.app:app` and `strikewatch run <service>` serve."""
    from services.common.logs import configure_logging, log_event

    refuse_workers()
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
        app,
        host=app.http_host,
        port=port,
        log_level=log_level,
        lifespan="on",
        timeout_graceful_shutdown=HTTP_SHUTDOWN_S,
        log_config=None,
    )
    return uvicorn.Server(config)


async def serve_until_stopped(
    app: StrikewatchApp, port: int, *, sockets: list[socket.socket] | None = None
) -> None:
    """Serve until SIGTERM/SIGINT, then drain (stop reading, finish in-flight work) and return,
    so the process exits 0 after a clean shutdown."""
    _exit_zero_after_signal()
    # `sockets`: already bound by the caller (the CLI), so a busy port is its one-line error.
    await _http_server(app, port, "info").serve(sockets=sockets)


def _exit_zero_after_signal() -> None:
    # uvicorn re-raises the signal it caught once it has shut down; a no-op handler turns that
    # re-raise into a normal return (exit status 0 after a clean shutdown) instead of death by
    # signal or a KeyboardInterrupt traceback. uvicorn installs its own handlers while it serves.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)


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
