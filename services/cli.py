"""The `strikewatch` command (CONTRACT.md section 1)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import socket
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from services.common.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
# A checkout has seeds/ beside services/; an installed package (e.g. the container) finds them in
# the working directory.
DEFAULT_SEEDS = ROOT / "seeds" if (ROOT / "seeds").is_dir() else Path("seeds")
SERVICES = ("producer", "classifier", "alerter")
DRAIN_TIMEOUT_S = 180.0


def _fail(message: str, code: int = 2) -> int:
    print(f"strikewatch: {message}", file=sys.stderr)
    return code


# ---------------------------------------------------------------- classify (offline, no Redis)


def cmd_classify(args: argparse.Namespace) -> int:
    from services.classifier.engine import Classifier
    from services.classifier.offline import classify_jsonl

    if args.file in (None, "-"):
        stream = sys.stdin
    else:
        try:
            stream = open(args.file, encoding="utf-8", errors="replace")  # noqa: SIM115
        except OSError as exc:
            return _fail(f"cannot read {args.file}: {exc.strerror}")
    classifier = Classifier()
    with stream:
        for line in classify_jsonl(stream, classifier):
            sys.stdout.write(line + "\n")
    return 0


# ---------------------------------------------------------------- run one service


def _factory(name: str) -> Any:
    if name == "producer":
        from services.producer.app import build_producer

        return build_producer
    if name == "classifier":
        from services.classifier.app import build_classifier

        return build_classifier
    from services.alerter.app import build_alerter

    return build_alerter


def cmd_run(args: argparse.Namespace) -> int:
    import logging

    from services.common.runtime import build_app, serve_until_stopped

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = _connected_settings()
    if settings is None:
        return 2
    app, _ = build_app(
        settings,
        [_factory(args.service)],
        title=f"strikewatch-{args.service}",
        http_port=settings.port_for(args.service),
    )
    asyncio.run(serve_until_stopped(app, settings.port_for(args.service)))
    return 0


# ---------------------------------------------------------------- replay


def _progress(enabled: bool) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    if not enabled:
        return None, lambda: None
    from rich.progress import Progress

    progress = Progress(transient=False)
    task = progress.add_task("replaying", total=None)
    progress.start()

    def update(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return update, progress.stop


def _connected_settings() -> Settings | None:
    """Settings for a command that needs Redis, or None after telling the user what is missing."""
    settings = load_settings()
    try:
        settings.require_redis_url()
    except RuntimeError as exc:
        _fail(str(exc))
        return None
    return settings


def _with_redis(body: Callable[[Settings, Any], Awaitable[int]]) -> int:
    """Run `body(settings, redis)` with one client for the command's whole life."""
    from services.common.runtime import redis_client

    settings = _connected_settings()
    if settings is None:
        return 2

    async def main() -> int:
        redis = redis_client(settings.require_redis_url())
        try:
            return await body(settings, redis)
        finally:
            await redis.aclose()

    return asyncio.run(main())


def cmd_replay(args: argparse.Namespace) -> int:
    from services.common.streams import ensure_groups
    from services.producer.replay import replay

    paths = [Path(p) for p in args.paths] or [DEFAULT_SEEDS]
    missing = [p for p in paths if not p.exists()]
    if missing:
        return _fail(f"no such file or folder: {', '.join(map(str, missing))}")

    async def body(settings: Settings, redis: Any) -> int:
        await ensure_groups(redis, settings.names)
        update, stop = _progress(sys.stderr.isatty())
        try:
            report = await replay(
                redis,
                settings,
                paths,
                rate=args.rate,
                realtime_speed=args.speed if args.realtime else None,
                loops=args.loop,
                on_progress=update,
            )
        finally:
            stop()
        print(f"published {report.published} article(s); {report.rejected} rejected", file=sys.stderr)
        return 0 if report.published or not report.rejected else 1

    return _with_redis(body)


# ---------------------------------------------------------------- tail, export, webhooks


def cmd_tail(args: argparse.Namespace) -> int:
    from services.alerter.commands import tail
    from services.console import AlertPrinter

    printer = AlertPrinter(as_json=args.json)

    async def body(settings: Settings, redis: Any) -> int:
        await tail(
            redis,
            settings,
            since=args.since,
            severity=args.severity,
            region=args.region,
            attack_type=args.type,
            on_alert=printer,
            stop=None,
        )
        return 0

    with contextlib.suppress(KeyboardInterrupt):
        return _with_redis(body)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from services.alerter.commands import export_cap, export_json

    async def body(settings: Settings, redis: Any) -> int:
        export = export_cap if args.format == "cap" else export_json
        try:
            print(await export(redis, settings, args.alert_id))
        except LookupError:
            return _fail(f"no alert with id {args.alert_id}", 1)
        return 0

    return _with_redis(body)


def cmd_webhooks(args: argparse.Namespace) -> int:
    from services.alerter.commands import redeliver

    async def body(settings: Settings, redis: Any) -> int:
        moved = await redeliver(redis, settings, subscription_id=args.subscription)
        print(f"{moved} delivery(ies) queued again", file=sys.stderr)
        return 0

    return _with_redis(body)


# ---------------------------------------------------------------- demo


def _port_or_free(host: str, port: int) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
            return port
        except OSError:
            pass
    from services.common.embedded import free_port

    return free_port()


def cmd_demo(args: argparse.Namespace) -> int:
    import logging

    import faststream  # noqa: F401 - configures its logger on import; the level is set after

    from services.demo import run_demo

    # The alerts are the demo's output; the broker's start/stop chatter would bury them.
    logging.getLogger("faststream").setLevel(logging.WARNING)
    settings = load_settings()
    embedded = None
    if settings.redis_url is None:
        from services.common.embedded import EmbeddedRedis

        embedded = EmbeddedRedis().start()
        settings = settings.model_copy(update={"redis_url": SecretStr(embedded.url)})
        print(
            f"strikewatch: started an embedded Redis-compatible server on 127.0.0.1:{embedded.port}",
            file=sys.stderr,
        )
    port = (
        settings.http_port
        if settings.http_port is not None
        else _port_or_free(settings.http_host, settings.port_for("demo"))
    )
    try:
        return asyncio.run(
            run_demo(
                settings,
                port=port,
                paths=[Path(p) for p in args.paths] or [DEFAULT_SEEDS],
                as_json=args.json,
                follow=args.follow,
                rate=args.rate,
                drain_timeout=DRAIN_TIMEOUT_S,
            )
        )
    except KeyboardInterrupt:
        return 130
    finally:
        if embedded is not None:
            embedded.cleanup()


# ---------------------------------------------------------------- parser


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="strikewatch", description="Streaming alerts for attack reports.")
    sub = top.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="run the whole pipeline on the seed articles and print the alerts")
    demo.add_argument("paths", nargs="*", help="articles to replay (default: seeds/)")
    demo.add_argument("--json", action="store_true", help="one Alert JSON per line")
    demo.add_argument("--follow", action="store_true", help="keep running after the replay has drained")
    demo.add_argument(
        "--rate", type=float, default=None, help="articles per second (default: as fast as possible)"
    )
    demo.set_defaults(func=cmd_demo)

    replay = sub.add_parser("replay", help="publish articles onto the articles stream")
    replay.add_argument(
        "paths", nargs="*", help=".txt files, folders of them, or .jsonl files (default: seeds/)"
    )
    pace = replay.add_mutually_exclusive_group()
    pace.add_argument("--rate", type=float, default=None, help="articles per second")
    pace.add_argument("--realtime", action="store_true", help="space articles as their publication dates")
    replay.add_argument("--speed", type=float, default=3600.0, help="with --realtime: how many times faster")
    replay.add_argument("--loop", type=int, default=1, help="replay N times (later rounds get distinct ids)")
    replay.set_defaults(func=cmd_replay)

    classify = sub.add_parser("classify", help="classify JSONL articles offline (no Redis)")
    classify.add_argument("file", nargs="?", default="-", help="JSONL file, or - for standard input")
    classify.set_defaults(func=cmd_classify)

    run = sub.add_parser("run", help="run one service against STRIKEWATCH_REDIS_URL")
    run.add_argument("service", choices=SERVICES)
    run.set_defaults(func=cmd_run)

    tail = sub.add_parser("tail", help="print alerts as they are published")
    tail.add_argument("--severity", choices=["extreme", "severe", "moderate", "minor"], type=str.lower)
    tail.add_argument("--region", help="region slug, e.g. kyiv-city")
    tail.add_argument("--type", help="attack type, e.g. drone")
    tail.add_argument("--since", help="replay the alert log from this id (0 = from the start), then follow")
    tail.add_argument("--json", action="store_true")
    tail.set_defaults(func=cmd_tail)

    export = sub.add_parser("export", help="print the latest version of an alert")
    export.add_argument("alert_id")
    export.add_argument("--format", choices=["cap", "json"], default="cap")
    export.set_defaults(func=cmd_export)

    hooks = sub.add_parser("webhooks", help="webhook maintenance")
    hooks_sub = hooks.add_subparsers(dest="action", required=True)
    redeliver = hooks_sub.add_parser("redeliver", help="queue dead-lettered deliveries again")
    redeliver.add_argument("--subscription", default=None)
    redeliver.set_defaults(func=cmd_webhooks)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    from services.common.settings import SettingsError

    args = parser().parse_args(argv)
    try:
        result: int = args.func(args)
    except SettingsError as exc:
        return _fail(str(exc))
    return result


def entrypoint() -> None:
    sys.exit(main())
