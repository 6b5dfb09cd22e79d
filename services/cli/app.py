"""The `strikewatch` command on Typer: global options, the command tree, and `main`, which turns
every expected failure into one line on stderr and an exit code (services/cli/errors.py).

A new command is a function in its own module registered here with one line
(`app.command()(module.command)` or `app.add_typer(module.app, name=...)`).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from enum import StrEnum
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any

import typer

# Typer (0.2x) parses with its own copy of click; its exceptions are the ones raised. Typer exports
# BadParameter/Exit/Abort but not their bases, hence the private import, pinned by tests/cli.
from typer._click import exceptions as click_errors

from services.cli.context import Globals
from services.cli.errors import CliError, ExitCode, describe_redis, say
from services.common.settings import SettingsError

log = logging.getLogger("strikewatch.cli")


def package_version() -> str:
    try:
        return version("strikewatch")
    except PackageNotFoundError:  # a checkout that was never `pip install`ed
        return "unknown"


class LogFormatChoice(StrEnum):
    json = "json"
    text = "text"


class LogLevelChoice(StrEnum):
    debug = "debug"
    info = "info"
    warning = "warning"
    error = "error"
    critical = "critical"


def _print_version(value: bool) -> None:
    if value:
        print(f"strikewatch {package_version()}")
        raise typer.Exit(0)


app = typer.Typer(
    name="strikewatch",
    help="Streaming alerts for attack reports: classify news articles, merge reports into incidents, "
    "publish alerts. Every option marked [env var: ...] reads that variable when not given.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Plain click formatting: no boxes, no colour codes in help piped to a file.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


@app.callback()
def root(
    ctx: typer.Context,
    redis_url: Annotated[
        str | None,
        typer.Option(
            "--redis-url",
            envvar="STRIKEWATCH_REDIS_URL",
            metavar="URL",
            help="Redis server (redis://, rediss:// or unix://); prefer the variable when the URL holds "
            "a password, so it stays out of the process list.",
            show_default=False,
        ),
    ] = None,
    prefix: Annotated[
        str | None,
        typer.Option(
            "--prefix",
            envvar="STRIKEWATCH_PREFIX",
            metavar="PREFIX",
            help="Prefix of every Redis key and channel [default: strikewatch].",
            show_default=False,
        ),
    ] = None,
    log_format: Annotated[
        LogFormatChoice | None,
        typer.Option(
            "--log-format",
            envvar="STRIKEWATCH_LOG_FORMAT",
            case_sensitive=False,
            help="Log lines on stderr as JSON or text [default: text on a terminal, JSON otherwise].",
            show_default=False,
        ),
    ] = None,
    log_level: Annotated[
        LogLevelChoice | None,
        typer.Option(
            "--log-level",
            envvar="STRIKEWATCH_LOG_LEVEL",
            case_sensitive=False,
            help="Lowest level logged [default: info; the demo shows warnings and above].",
            show_default=False,
        ),
    ] = None,
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    given = {
        "redis_url": redis_url,
        "prefix": prefix,
        "log_format": log_format.value if log_format else None,
        "log_level": log_level.value if log_level else None,
    }
    ctx.obj = Globals({key: value for key, value in given.items() if value is not None})


def _register() -> None:
    from services.cli import alerts, doctor, offline, pipeline, sources

    app.command(no_args_is_help=False)(pipeline.demo)
    app.command()(pipeline.replay)
    app.command()(offline.classify)
    app.command(name="run")(pipeline.run_service)
    app.command()(alerts.tail)
    app.command(name="export")(alerts.export)
    app.add_typer(alerts.webhooks, name="webhooks")
    app.command()(doctor.doctor)
    app.add_typer(sources.app, name="sources")


_register()


def _usage_line(exc: click_errors.UsageError) -> str:
    """click's usage error as one line: the message, and which help to read."""
    command = exc.ctx.command_path if exc.ctx is not None else "strikewatch"
    message = exc.format_message().replace("\n", " ").strip()
    return f"{message} (see `{command} --help`)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code. Never raises, never prints a traceback."""
    command = typer.main.get_command(app)
    try:
        result: Any = command.main(
            args=list(argv) if argv is not None else None, prog_name="strikewatch", standalone_mode=False
        )
    except click_errors.NoArgsIsHelpError as exc:
        exc.show()  # `strikewatch` alone: the help, on stderr as click does, and a usage exit code
        return int(ExitCode.USAGE)
    except click_errors.UsageError as exc:
        say(f"error: {_usage_line(exc)}")
        return int(ExitCode.USAGE)
    except click_errors.ClickException as exc:  # e.g. a file argument that cannot be opened
        say(f"error: {exc.format_message()}")
        return int(ExitCode.USAGE)
    except click_errors.Abort:
        return int(ExitCode.INTERRUPTED)
    except CliError as exc:
        say(exc.message)
        return int(exc.code)
    except KeyboardInterrupt:
        return int(ExitCode.INTERRUPTED)
    except SettingsError as exc:
        # Raised wherever a setting or the webhooks file is first read (some only when a service
        # starts): an operator's configuration mistake, never a bug to report.
        say(str(exc))
        return int(ExitCode.CONFIG)
    except Exception as exc:
        from redis.exceptions import RedisError

        if isinstance(exc, RedisError):
            # A command that got past its own connection check and lost Redis later.
            error = describe_redis(exc, _configured_url())
            say(error.message)
            return int(error.code)
        log.debug("internal error", exc_info=True)
        say(
            f"internal error: {type(exc).__name__}: {exc} "
            "(set STRIKEWATCH_LOG_LEVEL=debug for the traceback, and please report it)"
        )
        return int(ExitCode.INTERNAL)
    if isinstance(result, int):
        return result
    return int(ExitCode.OK)


def _configured_url() -> str:
    import os

    return os.environ.get("STRIKEWATCH_REDIS_URL", "the configured URL")


def entrypoint() -> None:
    sys.exit(main())
