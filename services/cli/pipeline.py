"""Commands that run the pipeline or feed it: `demo`, `replay` and `run SERVICE`."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import SecretStr
from redis.asyncio import Redis
from redis.exceptions import RedisError

from services.cli.connect import bind, bound_address, check_reachable, http_url, run_with_redis
from services.cli.context import globals_of
from services.cli.errors import CliError, ExitCode, describe_redis, say
from services.common.logs import log_event

log = logging.getLogger("strikewatch.cli")

ROOT = Path(__file__).resolve().parents[2]
# A checkout has seeds/ beside services/; an installed package (e.g. the container) finds them in
# the working directory.
DEFAULT_SEEDS = ROOT / "seeds" if (ROOT / "seeds").is_dir() else Path("seeds")
DRAIN_TIMEOUT_S = 180.0
DEFAULT_SPEED = 3600.0


class Service(StrEnum):
    producer = "producer"
    classifier = "classifier"
    alerter = "alerter"


def _positive(value: float | None) -> float | None:
    if value is not None and not value > 0:
        raise typer.BadParameter(f"{value:g} is not a rate; give articles per second above 0")
    return value


Paths = Annotated[
    list[Path] | None,
    typer.Argument(
        help=".txt files, folders of them, or .jsonl files (one article per line) [default: seeds/]",
        exists=True,
        show_default=False,
        metavar="[PATH]...",
    ),
]
Rate = Annotated[
    float | None,
    typer.Option(
        "--rate",
        callback=_positive,
        metavar="R",
        help="Articles per second, above 0 [default: as fast as Redis takes them].",
        show_default=False,
    ),
]
Port = Annotated[
    int | None,
    typer.Option(
        "--port",
        envvar="STRIKEWATCH_HTTP_PORT",
        metavar="PORT",
        min=0,
        max=65535,
        help="HTTP port for /metrics, /healthz, /readyz (0 = any free port) "
        "[default: producer 9101, classifier 9102, alerter 9103, demo 9100 or a free one if taken].",
        show_default=False,
    ),
]


# ------------------------------------------------------------------------------------------ demo


def demo(
    ctx: typer.Context,
    paths: Paths = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One Alert JSON object per line on stdout instead of panels.")
    ] = False,
    follow: Annotated[
        bool, typer.Option("--follow", help="Keep running after the replay has drained (Ctrl-C stops).")
    ] = False,
    rate: Rate = None,
    port: Port = None,
) -> int:
    """Run producer, classifier and alerter in one process on the seed articles (or PATHS) and print
    every alert as it is published. Starts an embedded Redis-compatible server unless
    STRIKEWATCH_REDIS_URL is set; exits once everything has drained."""
    g = globals_of(ctx)
    if "log_level" not in g.overrides:
        # The alerts are the demo's output; per-article lines would bury them.
        g.overrides["log_level"] = "WARNING"
    if port is not None:
        g.overrides["http_port"] = port
    settings = g.settings()
    from services.demo import RedisGone, run_demo

    sock = (
        bind(settings.http_host, settings.http_port)
        if settings.http_port is not None
        else _bind_or_any(settings.http_host, settings.port_for("demo"))
    )
    embedded = None
    try:
        if settings.redis_url is None:
            from services.common.embedded import EmbeddedRedis

            embedded = EmbeddedRedis().start()
            settings = settings.model_copy(update={"redis_url": SecretStr(embedded.url)})
            say(f"started an embedded Redis-compatible server on 127.0.0.1:{embedded.port}")
        else:
            _ping(settings.require_redis_url())
        host, bound = bound_address(sock)
        # The port really bound (a free one for --port 0 or when the default is taken): the alerter
        # links incidents (CAP <web>, chat messages) at it, not at its own default port, where
        # nothing listens during a demo (red team 7 N13). STRIKEWATCH_PUBLIC_URL still wins.
        settings = settings.model_copy(update={"http_port": bound})
        say(f"metrics and health on {http_url(host, bound)}/metrics")
        if follow:
            # A wildcard address is where the server listens, not one a browser can be sent to.
            reachable = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
            say(f"duty desk (live map and incident list) on {http_url(reachable, bound)}/")
        # SIGTERM (a supervisor, `kill`) stops the demo like Ctrl-C, so `finally` stops the
        # embedded server instead of leaving it running without its parent.
        signal.signal(signal.SIGTERM, _interrupt)
        code = asyncio.run(
            run_demo(
                settings,
                port=bound,
                sockets=[sock],
                paths=paths or [DEFAULT_SEEDS],
                as_json=as_json,
                follow=follow,
                rate=rate,
                drain_timeout=DRAIN_TIMEOUT_S,
                server_alive=embedded.alive if embedded is not None else lambda: True,
            )
        )
        _say_undelivered_webhooks(settings, embedded=embedded is not None)
        return code
    except RedisGone as exc:
        status = embedded.process.returncode if embedded is not None and embedded.process else None
        raise CliError(f"{exc} (exit status {status})", ExitCode.REDIS_UNREACHABLE) from None
    except KeyboardInterrupt:
        return int(ExitCode.INTERRUPTED)
    finally:
        sock.close()
        if embedded is not None:
            embedded.cleanup()


def _say_undelivered_webhooks(settings: Any, *, embedded: bool) -> None:
    """A webhook receiver that failed or never answered leaves its deliveries queued for retry, which
    the demo's output (alerts, warnings only) does not show: say how many, and where they go."""
    from redis.asyncio import Redis
    from redis.exceptions import RedisError

    from services.alerter.webhooks.jobs import DeliveryQueue

    async def count() -> int:
        redis = Redis.from_url(settings.require_redis_url())
        try:
            queue = DeliveryQueue(redis, settings.names, deadletter_maxlen=settings.deadletter_maxlen)
            return await queue.pending()
        finally:
            await redis.aclose()

    try:
        waiting = asyncio.run(count())
    except (RedisError, OSError):
        return
    if waiting:
        where = (
            "the embedded server stops now, and they with it"
            if embedded
            else "they stay queued in Redis for the next alerter (`strikewatch run alerter`)"
        )
        say(
            f"{waiting} webhook deliver{'y' if waiting == 1 else 'ies'} not made: the receiver failed or "
            f"did not answer, and retries are scheduled (STRIKEWATCH_WEBHOOK_RETRY_SCHEDULE); {where}"
        )


def _interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


def _bind_or_any(host: str, port: int) -> Any:
    """The demo's usual port, or any free one when it is taken (two demos on one machine)."""
    try:
        return bind(host, port)
    except CliError:
        return bind(host, 0)


def _ping(url: str) -> None:
    from services.common.runtime import redis_client

    async def ping() -> None:
        redis = redis_client(url)
        try:
            await check_reachable(redis, url)
        finally:
            await redis.aclose()

    asyncio.run(ping())


# ---------------------------------------------------------------------------------------- replay


def replay(
    ctx: typer.Context,
    paths: Paths = None,
    rate: Rate = None,
    realtime: Annotated[
        bool,
        typer.Option("--realtime", help="Space articles as their publication times (sorted by date)."),
    ] = False,
    speed: Annotated[
        float | None,
        typer.Option(
            "--speed",
            min=0.001,
            metavar="X",
            help="With --realtime: how many times faster than real time (3600 = an hour per second) "
            "[default: 3600].",
            show_default=False,
        ),
    ] = None,
    loop: Annotated[
        int,
        typer.Option(
            "--loop", min=1, help="Replay N times; rounds after the first get distinct ids (<id>~<round>)."
        ),
    ] = 1,
) -> int:
    """Publish articles onto the articles stream. The last line on stderr is
    `published N article(s); M rejected`; exit 1 when nothing could be published."""
    if rate is not None and realtime:
        raise typer.BadParameter(
            "cannot be combined with --rate: choose one pace", ctx=ctx, param_hint="'--realtime'"
        )
    if speed is not None and not realtime:
        raise typer.BadParameter("only applies with --realtime", ctx=ctx, param_hint="'--speed'")
    settings = globals_of(ctx).settings()
    chosen = paths or [DEFAULT_SEEDS]

    async def body(redis: Redis) -> int:
        from services.producer.replay import ReplayInterrupted
        from services.producer.replay import replay as replay_articles

        # replay() creates the consumer groups itself, inside its own Redis-outage handling.
        done = [0]
        update, stop = _progress(sys.stderr.isatty())

        def on_progress(published: int, total: int) -> None:
            done[0] = published
            if update is not None:
                update(published, total)

        try:
            report = await replay_articles(
                redis,
                settings,
                chosen,
                rate=rate,
                realtime_speed=(speed or DEFAULT_SPEED) if realtime else None,
                loops=loop,
                on_progress=on_progress,
                warn=lambda message: log_event(
                    log, "article.rejected", level=logging.WARNING, outcome="rejected", reason=message
                ),
            )
        except ReplayInterrupted as exc:
            stop()
            say(str(exc))
            _summary(exc.report.published, exc.report.rejected)
            return int(ExitCode.REDIS_UNREACHABLE)
        except RedisError as exc:
            stop()
            error = describe_redis(exc, settings.require_redis_url())
            say(f"{error.message}; stopped after publishing {done[0]} article(s)")
            _summary(done[0], 0)
            return int(error.code)
        stop()
        _summary(report.published, report.rejected)
        return int(ExitCode.OK if report.published or not report.rejected else ExitCode.FAILED)

    return run_with_redis(settings, body)


def _summary(published: int, rejected: int) -> None:
    # Plain text whatever the log format: scripts read this last line (docs/contract.md section 1).
    print(f"published {published} article(s); {rejected} rejected", file=sys.stderr, flush=True)


def _progress(enabled: bool) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    if not enabled:
        return None, lambda: None
    from rich.progress import Progress

    progress = Progress(transient=True)
    task = progress.add_task("replaying", total=None)
    progress.start()

    def update(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return update, progress.stop


# ------------------------------------------------------------------------------------------- run


def run_service(
    ctx: typer.Context,
    service: Annotated[Service, typer.Argument(help="Which service to run.", show_default=False)],
    port: Port = None,
) -> int:
    """Run one service against STRIKEWATCH_REDIS_URL (the same as
    `faststream run services.<service>.app:app`). SIGTERM drains and exits 0. While Redis is
    unreachable the service waits with backoff and answers /readyz with 503."""
    g = globals_of(ctx)
    if port is not None:
        g.overrides["http_port"] = port
    settings = g.settings()
    g.redis_url()  # CONFIG error now when unset
    from services.common.runtime import build_app, serve_until_stopped

    name = service.value
    sock = bind(settings.http_host, settings.port_for(name))
    try:
        try:
            app, _ = build_app(
                settings, [_factory(name)], title=f"strikewatch-{name}", http_port=bound_address(sock)[1]
            )
        except ValueError as exc:  # e.g. an invalid STRIKEWATCH_WEBHOOKS_FILE
            raise CliError(str(exc), ExitCode.CONFIG) from None
        host, bound = bound_address(sock)
        log_event(log, "service.listening", service=name, url=http_url(host, bound))
        asyncio.run(serve_until_stopped(app, bound, sockets=[sock]))
    except KeyboardInterrupt:
        return int(ExitCode.OK)
    finally:
        sock.close()
    return int(ExitCode.OK)


def _factory(name: str) -> Any:
    if name == "producer":
        from services.producer.app import build_producer

        return build_producer
    if name == "classifier":
        from services.classifier.app import build_classifier

        return build_classifier
    from services.alerter.app import build_alerter

    return build_alerter
