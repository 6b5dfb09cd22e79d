"""One logging set-up for strikewatch, FastStream and uvicorn: every line to stderr, as JSON or text,
with colour only on a terminal.

structlog renders the lines (its `ProcessorFormatter` formats records of the standard `logging`
module, so library loggers need no change); our code keeps plain `logging.getLogger("strikewatch.…")`
loggers and writes its canonical events with `log_event`.

Line shape (JSON): `{"timestamp": "2024-01-01T00:00:00.000000Z", "level": "info", "logger":
"strikewatch.classifier", "event": "article.classified", "article_id": "...", ...}`.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import MutableMapping
from typing import Any, Literal, TextIO

import structlog

from services.common.settings import Settings

LogFormat = Literal["json", "text"]

HANDLER_NAME = "strikewatch"
# Libraries that install their own handlers (FastStream: a coloured handler on "faststream"; uvicorn
# when it configures itself): their records go to our one handler instead.
LIBRARY_LOGGERS = ("faststream", "uvicorn", "uvicorn.error", "uvicorn.access")
# One line per HTTP request (every Prometheus scrape) is noise at INFO; kept at DEBUG.
ACCESS_LOGGERS = ("uvicorn.access",)


def resolve_format(configured: LogFormat | None, stream: TextIO) -> LogFormat:
    """The configured format, else text on a terminal and JSON otherwise (files, pipes, containers)."""
    if configured is not None:
        return configured
    return "text" if _isatty(stream) else "json"


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _renderer(fmt: LogFormat, stream: TextIO) -> Any:
    if fmt == "json":
        return structlog.processors.JSONRenderer(default=str)
    # NO_COLOR (no-color.org) is honoured even on a terminal. Plain tracebacks: rich's would print
    # local variables, and those can hold a Redis password.
    colours = _isatty(stream) and "NO_COLOR" not in os.environ
    return structlog.dev.ConsoleRenderer(
        colors=colours, pad_event_to=0, exception_formatter=structlog.dev.plain_traceback
    )


def _shared_processors() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        # `extra={...}` fields of a standard-library record become keys of the line.
        _add_extra,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    # Set on the record by any Formatter that saw it first.
    "message",
    "asctime",
    # uvicorn's copy of its message with ANSI colour codes.
    "color_message",
}


def _add_extra(logger: Any, method: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    record = event.get("_record")
    if record is not None:
        for key, value in vars(record).items():
            # Empty values: FastStream's log context (message_id, channel) outside a handler.
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_") and key not in event and value != "":
                event[key] = value
    return event


def configure_logging(settings: Settings, *, stream: TextIO | None = None) -> LogFormat:
    """Install the one handler on the root logger (replacing an earlier one of ours), route FastStream's
    and uvicorn's loggers through it, and set the level from `STRIKEWATCH_LOG_LEVEL`.

    Idempotent: the CLI and `standalone_app` may both call it. Returns the format in use.
    """
    out = stream if stream is not None else sys.stderr
    fmt = resolve_format(settings.log_format, out)
    level = logging.getLevelName(settings.log_level)
    shared = _shared_processors()
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            _exceptions(fmt),
            _head_first,
            _renderer(fmt, out),
        ],
    )
    handler = logging.StreamHandler(out)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(formatter)

    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)

    # FastStream creates its "faststream" logger (stderr, ANSI colours, no propagation) on import:
    # import it first so the reset below is not undone later.
    import faststream  # noqa: F401

    for name in (*LIBRARY_LOGGERS, *_faststream_children()):
        library = logging.getLogger(name)
        for own in list(library.handlers):
            library.removeHandler(own)
        library.propagate = True
        library.setLevel(logging.NOTSET)
    for name in ACCESS_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING) if level > logging.DEBUG else level)

    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return fmt


def _exceptions(fmt: LogFormat) -> Any:
    # JSON: the traceback as one string field. Text: the console renderer prints it itself.
    return structlog.processors.format_exc_info if fmt == "json" else _keep


def _keep(logger: Any, method: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    # The console renderer prints exceptions itself (and better than format_exc_info).
    return event


def _head_first(logger: Any, method: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    # JSON readers scan the same four keys first on every line.
    head: dict[str, Any] = {key: event.pop(key) for key in _HEAD if key in event}
    head.update(event)
    return head


_HEAD = ("timestamp", "level", "logger", "event")


def _faststream_children() -> list[str]:
    manager = logging.Logger.manager
    return [name for name in list(manager.loggerDict) if name.startswith("faststream.")]


def log_event(logger: logging.Logger, event: str, /, *, level: int = logging.INFO, **fields: Any) -> None:
    """One canonical line: a dotted event name (`article.classified`, `alert.published`) and its fields
    (ids, `outcome`, `duration_ms`, ...), rendered as JSON keys or `key=value` pairs.

    Field names must not be attributes of `logging.LogRecord` (`name`, `msg`, `args`, `message`, ...);
    the logging module raises KeyError for those.
    """
    if logger.isEnabledFor(level):
        logger.log(level, event, extra=fields)


def milliseconds(seconds: float) -> float:
    """A duration for a log field: milliseconds, rounded to 0.01 ms."""
    return round(seconds * 1000.0, 2)
