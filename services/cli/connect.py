"""What every Redis-facing command shares: one client for the command's life, a connection check
before any work, Redis errors as one line, and HTTP sockets bound before a service starts."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError

from services.cli.errors import CliError, describe_redis, port_in_use
from services.common.settings import Settings


async def check_reachable(redis: Redis, url: str) -> None:
    """PING once; CliError(REDIS_UNREACHABLE / REDIS_REFUSED) with the server named otherwise."""
    try:
        await redis.ping()
    except RedisError as exc:
        raise describe_redis(exc, url) from None


def run_with_redis(settings: Settings, body: Callable[[Redis], Awaitable[int]]) -> int:
    """Run `body(redis)` on a client checked with PING first; Redis failures become CliError."""
    from services.common.runtime import redis_client

    try:
        url = settings.require_redis_url()
    except RuntimeError as exc:
        from services.cli.errors import ExitCode

        raise CliError(str(exc), ExitCode.CONFIG) from None

    async def main() -> int:
        redis = redis_client(url)
        try:
            await check_reachable(redis, url)
            return await body(redis)
        except RedisError as exc:
            raise describe_redis(exc, url) from None
        finally:
            await redis.aclose()

    return asyncio.run(main())


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (0 = any free port), bound now so a busy port is an error
    here, before anything starts, and the address printed is the one really bound."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise port_in_use(host, port, exc) from None
    sock.set_inheritable(True)
    return sock


def bound_address(sock: socket.socket) -> tuple[str, int]:
    host, port = sock.getsockname()[:2]
    return str(host), int(port)


def http_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"
