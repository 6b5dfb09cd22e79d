"""How the `strikewatch` command fails: one line on stderr and an exit code per failure class.

Expected failures (a bad argument, bad configuration, Redis unreachable, a busy port) are never
tracebacks: `describe` turns the exception into a sentence naming the value at fault, and
`ExitCode` tells scripts which class of failure it was.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from enum import IntEnum

from redis.exceptions import AuthenticationError, ResponseError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError


class ExitCode(IntEnum):
    """Documented in docs/contract.md section 1; scripts may rely on them."""

    OK = 0
    # The command ran and its result is a failure: nothing could be published, no such alert,
    # `doctor` found something to fix.
    FAILED = 1
    USAGE = 2  # a bad argument or option (click's convention)
    CONFIG = 3  # a bad or missing STRIKEWATCH_* setting or webhooks file
    REDIS_UNREACHABLE = 4  # no connection, connection lost, timeout
    REDIS_REFUSED = 5  # Redis answered with an error: wrong password, command refused
    PORT_IN_USE = 6  # the HTTP port cannot be bound
    INTERNAL = 70  # a bug (sysexits EX_SOFTWARE); the traceback is logged at DEBUG
    INTERRUPTED = 130  # Ctrl-C


class CliError(Exception):
    """An expected failure with its one-line message and exit code."""

    def __init__(self, message: str, code: ExitCode = ExitCode.FAILED) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


_URL_PASSWORD = re.compile(r"(?P<scheme>\w+://)(?P<user>[^:@/]*):[^@/]*@")


def redact(url: str) -> str:
    """`redis://:secret@host:6379/0` -> `redis://:***@host:6379/0`: safe to print."""
    return _URL_PASSWORD.sub(r"\g<scheme>\g<user>:***@", url)


def describe_redis(exc: BaseException, url: str) -> CliError:
    """A Redis client exception as one line naming the server (password hidden)."""
    where = redact(url)
    if isinstance(exc, AuthenticationError):
        return CliError(f"Redis at {where} refused the credentials: {exc}", ExitCode.REDIS_REFUSED)
    if isinstance(exc, RedisTimeoutError):
        return CliError(f"Redis at {where} did not answer in time", ExitCode.REDIS_UNREACHABLE)
    if isinstance(exc, RedisConnectionError | OSError):
        return CliError(f"cannot reach Redis at {where}: {_reason(exc)}", ExitCode.REDIS_UNREACHABLE)
    if isinstance(exc, ResponseError):
        text = str(exc)
        if "NOAUTH" in text or "WRONGPASS" in text:
            return CliError(f"Redis at {where} refused the credentials: {text}", ExitCode.REDIS_REFUSED)
        return CliError(f"Redis at {where} refused a command: {text}", ExitCode.REDIS_REFUSED)
    return CliError(f"Redis at {where}: {type(exc).__name__}: {exc}", ExitCode.REDIS_REFUSED)


def _reason(exc: BaseException) -> str:
    """The innermost readable cause: 'Connection refused' rather than redis-py's whole sentence."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno:
            return os.strerror(seen.errno)
        seen = seen.__cause__ or seen.__context__
    text = str(exc).strip() or type(exc).__name__
    # redis-py: "Error 111 connecting to 127.0.0.1:1. Connection refused." -> the last sentence.
    match = re.search(r"connecting to \S+?\.?\s+(.+?)\.?$", text)
    return match.group(1) if match else text


def port_in_use(host: str, port: int, exc: OSError) -> CliError:
    if exc.errno == errno.EADDRINUSE:
        why = "the address is already in use"
    elif exc.errno == errno.EACCES:
        why = "permission denied (ports below 1024 need privileges)"
    else:
        why = exc.strerror or str(exc)
    return CliError(
        f"cannot listen on {host}:{port}: {why}; set STRIKEWATCH_HTTP_PORT to a free port (0 = any)",
        ExitCode.PORT_IN_USE,
    )


def say(message: str) -> None:
    """One line for the person at the terminal, on stderr, whatever the log format."""
    print(f"strikewatch: {message}", file=sys.stderr, flush=True)
