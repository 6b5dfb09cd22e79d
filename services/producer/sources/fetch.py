"""HTTP GET for live sources, as a guarded way out of the network.

Every hop goes through the address policy (services/common/netpolicy.py) on the addresses DNS
returned, and the connection goes to exactly the address that passed, with the URL's host in the
Host header and TLS SNI; redirects are followed by hand (a bounded number), each hop checked
again; robots.txt is obeyed; one request at a time per host; bodies are read as a stream and cut
at `STRIKEWATCH_FETCH_MAX_BYTES` (a declared Content-Length over it is refused before reading);
connect and read timeouts, plus one deadline for the whole fetch. Failures are results, never
exceptions: a poller cannot be crashed by what a server sends.
"""

from __future__ import annotations

import asyncio
import logging
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Literal
from urllib.parse import urljoin

import httpx

from services.common.netpolicy import IPAddress, choose_address, literal_address
from services.common.outbound import Resolver, parse_retry_after, resolve
from services.common.settings import Settings
from services.producer.sources.robots import RobotsCache

__all__ = ["FetchOutcome", "Fetched", "Fetcher", "Resolver", "resolve", "user_agent"]

log = logging.getLogger("strikewatch.producer.sources")

FetchOutcome = Literal["ok", "not_modified", "error", "refused"]

REDIRECTS = frozenset({301, 302, 303, 307, 308})
# A robots.txt Crawl-delay longer than this is not honoured in full: one poll of a full-text feed
# would take hours. (RFC 9309 does not define Crawl-delay; this keeps its intent, bounded.)
MAX_CRAWL_DELAY_S = 30.0
READ_CHUNK = 64 * 1024
# Hosts remembered (their lock and last request time) before idle ones are forgotten.
MAX_TRACKED_HOSTS = 1024


def _package_version() -> str:
    try:
        return version("strikewatch")
    except PackageNotFoundError:  # a checkout that was never installed
        return "unknown"


def user_agent(contact_url: str | None) -> str:
    """`strikewatch/0.1.0 (+https://desk.example.org/contact)`: the project, its version, and
    whom to contact (STRIKEWATCH_FETCH_CONTACT_URL), as crawler etiquette asks."""
    contact = f" (+{contact_url})" if contact_url else ""
    return f"strikewatch/{_package_version()}{contact}"


@dataclass(frozen=True, slots=True)
class Fetched:
    """The result of one GET, redirects followed."""

    outcome: FetchOutcome
    url: str  # the URL of the last hop
    status: int | None = None
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    reason: str | None = None  # why an error or refusal, for logs and `sources check`
    retry_after_s: float | None = None


def where(url: httpx.URL | str) -> str:
    """The URL without query or credentials, for logs (query strings can hold tokens)."""
    u = httpx.URL(str(url))
    port = f":{u.port}" if u.port else ""
    host = f"[{u.host}]" if ":" in u.host else u.host
    return f"{u.scheme}://{host}{port}{u.path}"


class _BodyTooLarge(Exception):
    pass


class _Decoder:
    """Content-Encoding gzip/deflate decoded with a cap on the output of every step, so a small
    compressed body cannot expand past the limit in memory (httpx's own decoders inflate a whole
    chunk at once)."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding.strip().lower()
        self._zlib = None
        if self.encoding in ("gzip", "x-gzip", "deflate"):
            # 32 + MAX_WBITS: a gzip or zlib header, detected; raw deflate is tried on failure.
            self._zlib = zlib.decompressobj(32 + zlib.MAX_WBITS)
        elif self.encoding not in ("", "identity"):
            raise ValueError(f"unsupported Content-Encoding {encoding!r}")
        self._raw_deflate = False

    def feed(self, data: bytes, room: int) -> bytes:
        """Decoded bytes of `data`, at most `room` + 1 of them (one more says "over the limit")."""
        if self._zlib is None:
            return data[: room + 1]
        try:
            out = self._zlib.decompress(data, room + 1)
        except zlib.error:
            if self.encoding != "deflate" or self._raw_deflate:
                raise
            self._raw_deflate = True
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._zlib.decompress(data, room + 1)
        return out

    def held_back(self) -> bool:
        """Input the cap kept from being inflated: all of it would be over the limit."""
        return self._zlib is not None and bool(self._zlib.unconsumed_tail)


async def _read_capped(response: httpx.Response, limit: int) -> bytes:
    decoder = _Decoder(response.headers.get("content-encoding", ""))
    chunks: list[bytes] = []
    size = 0
    async for raw in response.aiter_raw(READ_CHUNK):
        piece = decoder.feed(raw, limit - size)
        size += len(piece)
        if size > limit:
            raise _BodyTooLarge
        chunks.append(piece)
        if decoder.held_back():
            raise _BodyTooLarge
    return b"".join(chunks)


class Fetcher:
    """GETs under the address policy, robots.txt and the size and time limits of `settings`.

    `resolver` and `transport` are injectable (a test resolver that maps a name to 127.0.0.1
    shows that the Host header and the checked address are the ones used)."""

    def __init__(
        self,
        settings: Settings,
        *,
        resolver: Resolver = resolve,
        transport: httpx.AsyncBaseTransport | None = None,
        obey_robots: bool = True,
    ) -> None:
        self._settings = settings
        self._resolver = resolver
        self.allowlist = settings.fetch_allowlist_parsed()
        self.user_agent = user_agent(settings.fetch_contact_url)
        self._client = httpx.AsyncClient(
            follow_redirects=False,  # each hop is checked by hand
            trust_env=False,  # a proxy from the environment would bypass the address policy
            timeout=httpx.Timeout(
                connect=settings.fetch_connect_timeout_s,
                read=settings.fetch_read_timeout_s,
                write=settings.fetch_read_timeout_s,
                pool=settings.fetch_connect_timeout_s,
            ),
            # No connection reuse: connections are keyed by the address we connect to, and a
            # kept-alive TLS connection made for one host name must not serve another on that address.
            limits=httpx.Limits(max_keepalive_connections=0),
            transport=transport,
            headers={"user-agent": self.user_agent, "accept-encoding": "gzip, deflate"},
        )
        self._robots = RobotsCache(self._fetch_robots) if obey_robots else None
        self._host_locks: dict[str, asyncio.Lock] = {}
        self._last_request: dict[str, float] = {}

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = "*/*",
    ) -> Fetched:
        """GET `url` (conditional when validators are given). Never raises for what the network or
        the server does: errors and refusals come back as `Fetched` with the reason."""
        try:
            host = httpx.URL(url).host.lower()
        except httpx.InvalidURL as exc:
            return Fetched("error", url, reason=f"invalid URL: {exc}")
        if len(self._host_locks) > MAX_TRACKED_HOSTS:
            self._forget_idle_hosts()
        async with self._host_locks.setdefault(host, asyncio.Lock()):
            return await self._get(url, etag=etag, last_modified=last_modified, accept=accept, robots=True)

    def _forget_idle_hosts(self) -> None:
        """Feeds that link to many sites (aggregators) would grow the per-host state forever."""
        for host in [h for h, lock in self._host_locks.items() if not lock.locked()]:
            del self._host_locks[host]
        horizon = time.monotonic() - MAX_CRAWL_DELAY_S
        for site in [s for s, at in self._last_request.items() if at < horizon]:
            del self._last_request[site]

    async def _fetch_robots(self, url: str) -> Fetched:
        # robots.txt itself: same policy and limits, no robots check, no host lock (it is fetched
        # while a lock for the page's host may be held).
        return await self._get(url, etag=None, last_modified=None, accept="text/plain, */*", robots=False)

    async def _get(
        self, url: str, *, etag: str | None, last_modified: str | None, accept: str, robots: bool
    ) -> Fetched:
        deadline = self._settings.fetch_deadline_s
        try:
            async with asyncio.timeout(deadline):
                return await self._follow(
                    url, etag=etag, last_modified=last_modified, accept=accept, robots=robots
                )
        except TimeoutError:
            return Fetched("error", url, reason=f"GET {where(url)} took longer than {deadline:g} s")

    async def _follow(
        self, url: str, *, etag: str | None, last_modified: str | None, accept: str, robots: bool
    ) -> Fetched:
        current = url
        for hop in range(self._settings.fetch_max_redirects + 1):
            result = await self._hop(
                current, etag=etag, last_modified=last_modified, accept=accept, robots=robots
            )
            if isinstance(result, Fetched):
                return result
            target = urljoin(current, result)
            log.debug("following redirect %d: %s -> %s", hop + 1, where(current), where(target))
            current = target
        return Fetched(
            "error",
            current,
            reason=f"GET {where(url)}: more than {self._settings.fetch_max_redirects} redirects",
        )

    async def _hop(
        self, url: str, *, etag: str | None, last_modified: str | None, accept: str, robots: bool
    ) -> Fetched | str:
        """One request: a final `Fetched`, or the Location of a redirect to follow. The address is
        checked first (a refused host's robots.txt is not fetched either), then robots.txt."""
        try:
            target = httpx.URL(url)
        except httpx.InvalidURL as exc:
            return Fetched("error", url, reason=f"invalid URL {url!r}: {exc}")
        if target.scheme not in ("http", "https") or not target.host:
            return Fetched("refused", url, reason=f"{url!r} is not an http(s) URL")
        if target.userinfo:
            return Fetched("refused", url, reason=f"{where(target)}: URLs with credentials are not fetched")
        host = target.raw_host.decode("ascii")
        port = target.port or (443 if target.scheme == "https" else 80)
        literal = literal_address(host)
        if literal is not None:
            addresses: Sequence[IPAddress] = [literal]
        else:
            try:
                addresses = await self._resolver(host, port)
            except OSError as exc:
                return Fetched(
                    "error", url, reason=f"cannot resolve {host}: {exc.strerror or type(exc).__name__}"
                )
        address, refusal = choose_address(target.host, addresses, self.allowlist)
        if address is None:
            return Fetched("refused", url, reason=refusal)
        crawl_delay = 0.0
        if robots and self._robots is not None:
            verdict = await self._robots.check(url)
            if not verdict.allowed:
                return Fetched("error" if verdict.unavailable else "refused", url, reason=verdict.reason)
            crawl_delay = min(verdict.crawl_delay or 0.0, MAX_CRAWL_DELAY_S)
        site = f"{target.scheme}://{host}:{port}"
        wait = self._last_request.get(site, 0.0) + crawl_delay - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)  # pacing the site asked for (Crawl-delay), not waiting for a result
        self._last_request[site] = time.monotonic()
        headers = {"host": target.netloc.decode("ascii"), "accept": accept}
        if etag:
            headers["if-none-match"] = etag
        if last_modified:
            headers["if-modified-since"] = last_modified
        extensions = {"sni_hostname": host} if target.scheme == "https" else {}
        limit = self._settings.fetch_max_bytes
        try:
            async with self._client.stream(
                "GET", target.copy_with(host=str(address)), headers=headers, extensions=extensions
            ) as response:
                status = response.status_code
                if status in REDIRECTS and response.headers.get("location"):
                    return response.headers["location"].strip()
                if status == 304:
                    return Fetched("not_modified", url, status=status)
                if not 200 <= status <= 299:
                    retry_after = parse_retry_after(
                        response.headers.get("retry-after"), now=datetime.now(UTC)
                    )
                    return Fetched(
                        "error",
                        url,
                        status=status,
                        reason=f"GET {where(target)} answered {status}",
                        retry_after_s=retry_after,
                    )
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    return Fetched(
                        "error",
                        url,
                        status=status,
                        reason=f"GET {where(target)}: Content-Length {declared} is over the limit of "
                        f"{limit} bytes (not read)",
                    )
                try:
                    body = await _read_capped(response, limit)
                except _BodyTooLarge:
                    return Fetched(
                        "error",
                        url,
                        status=status,
                        reason=f"GET {where(target)}: body over the limit of {limit} bytes (cut off)",
                    )
                except (ValueError, zlib.error) as exc:
                    return Fetched("error", url, status=status, reason=f"GET {where(target)}: {exc}")
                return Fetched(
                    "ok",
                    url,
                    status=status,
                    body=body,
                    content_type=response.headers.get("content-type"),
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                )
        except httpx.TimeoutException as exc:
            return Fetched("error", url, reason=f"GET {where(target)} timed out ({type(exc).__name__})")
        except httpx.HTTPError as exc:
            return Fetched("error", url, reason=f"GET {where(target)} failed: {type(exc).__name__}: {exc}")
