"""The fetcher against real HTTP servers on loopback: conditional GETs, slow and huge answers,
redirects re-checked against the address policy, robots.txt, one request at a time per host.
Failures come back as results with a reason; nothing raises."""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import os
import shutil
import ssl
import subprocess
from collections.abc import Sequence
from pathlib import Path

import httpx
import pytest

from services.common.netpolicy import IPAddress
from services.common.settings import Settings, load_settings
from services.producer.sources.fetch import Fetcher, user_agent
from tests.sources.conftest import LIMITS
from tests.sources.sites import Reply, Site, stream_of

FIFTY_MB = 50 * 1024 * 1024


async def test_a_get_names_the_project_and_sends_the_host_it_asked_for(site: Site, fetcher: Fetcher) -> None:
    """User-Agent: project, version and contact URL; Host: the URL's host and port."""
    site.routes["/feed"] = Reply(body=b"<rss/>", headers={"content-type": "application/rss+xml"})
    got = await fetcher.get(site.url("/feed"))
    assert (got.outcome, got.status, got.body, got.content_type) == (
        "ok",
        200,
        b"<rss/>",
        "application/rss+xml",
    )
    (request,) = site.hits("/feed")
    assert request.headers["user-agent"] == user_agent("https://desk.example.org/strikewatch")
    assert request.headers["user-agent"].startswith("strikewatch/")
    assert "(+https://desk.example.org/strikewatch)" in request.headers["user-agent"]
    assert request.headers["host"] == f"127.0.0.1:{site.port}"


async def test_a_conditional_get_is_answered_304_with_nothing_to_read(site: Site, fetcher: Fetcher) -> None:
    site.routes["/feed"] = Reply(
        body=b"<rss>v1</rss>", etag='"v1"', headers={"last-modified": "Tue, 10 Jun 2025 10:00:00 GMT"}
    )
    first = await fetcher.get(site.url("/feed"))
    assert (first.etag, first.last_modified) == ('"v1"', "Tue, 10 Jun 2025 10:00:00 GMT")
    again = await fetcher.get(site.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert (again.outcome, again.status, again.body) == ("not_modified", 304, b"")
    conditional = site.hits("/feed")[1].headers
    assert conditional["if-none-match"] == '"v1"'
    assert conditional["if-modified-since"] == "Tue, 10 Jun 2025 10:00:00 GMT"


async def test_a_server_that_does_not_answer_times_out(site: Site, fetcher: Fetcher) -> None:
    """No status line within the read timeout: an error saying so."""
    site.routes["/silent"] = Reply(body=b"late", delay_s=30)
    got = await fetcher.get(site.url("/silent"))
    assert got.outcome == "error" and got.reason is not None and "timed out" in got.reason


async def test_a_body_that_trickles_is_cut_by_the_deadline(site: Site, fetcher: Fetcher) -> None:
    """Each chunk arrives within the read timeout, the whole never within the fetch deadline."""
    site.routes["/trickle"] = Reply(body=stream_of(10_000, chunk=10), trickle_s=0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    got = await fetcher.get(site.url("/trickle"))
    assert got.outcome == "error"
    assert got.reason == f"GET {site.url('/trickle')} took longer than 4 s"
    # Bounded by the deadline, generously: the point is that it did not wait for 200 s of trickle.
    assert loop.time() - started < 30
    assert site.sent["/trickle"] < 10_000


async def test_a_50_mb_page_with_its_length_declared_is_refused_unread(site: Site, fetcher: Fetcher) -> None:
    site.routes["/huge"] = Reply(
        body=stream_of(FIFTY_MB), length=FIFTY_MB, headers={"content-type": "text/html"}
    )
    got = await fetcher.get(site.url("/huge"))
    assert got.outcome == "error" and got.body == b""
    assert got.reason == (
        f"GET {site.url('/huge')}: Content-Length {FIFTY_MB} is over the limit of 10000000 bytes (not read)"
    )
    await site.wait_finished("/huge", 1)
    assert site.sent.get("/huge", 0) < FIFTY_MB // 2  # the server gave up writing: nobody read it


async def test_a_50_mb_page_of_unknown_length_is_cut_at_the_limit(site: Site, fetcher: Fetcher) -> None:
    site.routes["/huge"] = Reply(body=stream_of(FIFTY_MB), headers={"content-type": "text/html"})
    got = await fetcher.get(site.url("/huge"))
    assert got.outcome == "error" and got.body == b""
    assert got.reason == f"GET {site.url('/huge')}: body over the limit of 10000000 bytes (cut off)"
    await site.wait_finished("/huge", 1)
    assert site.sent.get("/huge", 0) < FIFTY_MB // 2


async def test_a_compressed_body_is_measured_after_inflating(site: Site, fetcher: Fetcher) -> None:
    """A 50 KB gzip body that inflates to 50 MB is cut at the limit, not inflated whole."""
    bomb = gzip.compress(b"\0" * FIFTY_MB, compresslevel=9)
    assert len(bomb) < 100_000
    site.routes["/bomb"] = Reply(body=bomb, headers={"content-encoding": "gzip"})
    site.routes["/small"] = Reply(body=gzip.compress(b"<rss>ok</rss>"), headers={"content-encoding": "gzip"})
    got = await fetcher.get(site.url("/bomb"))
    assert got.outcome == "error" and got.reason is not None and "over the limit" in got.reason
    small = await fetcher.get(site.url("/small"))
    assert (small.outcome, small.body) == ("ok", b"<rss>ok</rss>")


async def test_redirects_are_followed_and_each_hop_is_checked(site: Site, fetcher: Fetcher) -> None:
    """A redirect within the allowed host is followed; one to a loopback address that is not on the
    allow-list (127.0.0.2, ::1) is refused before any connection to it."""
    with Site("127.0.0.2") as other:
        other.routes["/secret"] = Reply(body=b"internal")
        site.routes["/moved"] = Reply(301, headers={"location": "/feed"})
        site.routes["/feed"] = Reply(body=b"<rss/>")
        site.routes["/to-other"] = Reply(302, headers={"location": other.url("/secret")})
        site.routes["/to-v6"] = Reply(307, headers={"location": "http://[::1]:9/secret"})
        moved = await fetcher.get(site.url("/moved"))
        assert (moved.outcome, moved.url, moved.body) == ("ok", site.url("/feed"), b"<rss/>")
        refused = await fetcher.get(site.url("/to-other"))
        assert refused.outcome == "refused"
        assert (
            refused.reason
            == "127.0.0.2 is a loopback address; add it to STRIKEWATCH_FETCH_ALLOWLIST to allow it"
        )
        v6 = await fetcher.get(site.url("/to-v6"))
        assert v6.outcome == "refused" and v6.reason is not None and v6.reason.startswith("::1 is a loopback")
        assert other.requests == []


async def test_redirect_loops_and_other_schemes_end(site: Site, fetcher: Fetcher) -> None:
    site.routes["/loop"] = Reply(302, headers={"location": "/loop"})
    site.routes["/file"] = Reply(302, headers={"location": "file:///etc/passwd"})
    looped = await fetcher.get(site.url("/loop"))
    assert looped.outcome == "error" and looped.reason == f"GET {site.url('/loop')}: more than 5 redirects"
    assert len(site.hits("/loop")) == 6
    scheme = await fetcher.get(site.url("/file"))
    assert scheme.outcome == "refused" and scheme.reason == "'file:///etc/passwd' is not an http(s) URL"


async def test_without_an_allow_list_loopback_feeds_are_refused(site: Site) -> None:
    closed = Fetcher(load_settings(**{**LIMITS, "fetch_allowlist": ""}))
    try:
        got = await closed.get(site.url("/feed"))
    finally:
        await closed.aclose()
    assert got.outcome == "refused" and site.requests == []


async def test_names_are_checked_after_dns_and_the_checked_address_is_used(
    site: Site, fetch_settings: Settings
) -> None:
    """A name resolving to a refused and an allowed address: the connection goes to the allowed one,
    with the name in the Host header; a name resolving only to refused ones is refused."""
    answers = {
        "news.example.test": ["127.0.0.2", "127.0.0.1"],
        "rebind.example.test": ["10.0.0.7", "169.254.169.254"],
    }

    async def resolver(host: str, port: int) -> Sequence[IPAddress]:
        return [ipaddress.ip_address(a) for a in answers[host]]

    named = Fetcher(fetch_settings, resolver=resolver)
    site.routes["/feed"] = Reply(body=b"<rss/>")
    try:
        got = await named.get(f"http://news.example.test:{site.port}/feed")
        refused = await named.get(f"http://rebind.example.test:{site.port}/feed")
    finally:
        await named.aclose()
    assert got.outcome == "ok"
    assert site.hits("/feed")[0].headers["host"] == f"news.example.test:{site.port}"
    assert refused.outcome == "refused"
    assert refused.reason == (
        "rebind.example.test resolves to 10.0.0.7, a private address; "
        "add it to STRIKEWATCH_FETCH_ALLOWLIST to allow it"
    )


async def test_robots_txt_is_obeyed_and_read_once_per_site(site: Site, fetcher: Fetcher) -> None:
    site.routes["/robots.txt"] = Reply(
        body=b"User-agent: *\nDisallow: /\n\nUser-agent: strikewatch\nDisallow: /private/\nCrawl-delay: 0\n"
    )
    site.routes["/feed"] = Reply(body=b"<rss/>")
    site.routes["/private/feed"] = Reply(body=b"<rss/>")
    assert (await fetcher.get(site.url("/feed"))).outcome == "ok"
    refused = await fetcher.get(site.url("/private/feed"))
    assert refused.outcome == "refused"
    assert refused.reason == f"robots.txt of http://127.0.0.1:{site.port} disallows /private/feed"
    assert (await fetcher.get(site.url("/feed"))).outcome == "ok"
    assert len(site.hits("/robots.txt")) == 1 and site.hits("/private/feed") == []


async def test_robots_txt_missing_allows_and_failing_disallows(site: Site, fetch_settings: Settings) -> None:
    """RFC 9309: a 4xx robots.txt means no rules; a server error means assume everything is
    disallowed (counted as an error of the site, not a refusal by rule)."""
    site.routes["/feed"] = Reply(body=b"<rss/>")
    missing = Fetcher(fetch_settings)
    try:
        assert (await missing.get(site.url("/feed"))).outcome == "ok"  # robots.txt: 404
    finally:
        await missing.aclose()
    site.routes["/robots.txt"] = Reply(503, body=b"down")
    failing = Fetcher(fetch_settings)
    try:
        got = await failing.get(site.url("/feed"))
    finally:
        await failing.aclose()
    assert got.outcome == "error"
    robots = site.url("/robots.txt")
    assert got.reason == f"robots.txt of http://127.0.0.1:{site.port} unavailable (GET {robots} answered 503)"
    assert len(site.hits("/feed")) == 1


async def test_errors_carry_the_status_and_retry_after(site: Site, fetcher: Fetcher) -> None:
    site.routes["/busy"] = Reply(503, body=b"busy", headers={"retry-after": "120"})
    got = await fetcher.get(site.url("/busy"))
    assert (got.outcome, got.status, got.retry_after_s) == ("error", 503, 120.0)
    assert got.reason == f"GET {site.url('/busy')} answered 503"
    closed = await fetcher.get("http://127.0.0.1:9/nothing-listens")
    assert closed.outcome == "error" and closed.reason is not None


async def test_one_request_at_a_time_per_host(site: Site, fetcher: Fetcher) -> None:
    """Two fetches to one host at once: the second request starts after the first answer ended."""
    site.routes["/a"] = Reply(body=b"a", delay_s=0.3)
    site.routes["/b"] = Reply(body=b"b", delay_s=0.3)
    a, b = await asyncio.gather(fetcher.get(site.url("/a")), fetcher.get(site.url("/b")))
    assert (a.outcome, b.outcome) == ("ok", "ok")
    first, second = sorted([*site.hits("/a"), *site.hits("/b")], key=lambda r: r.at)
    first_end = site.finished(first.path)[0]
    assert second.at >= first_end


def _certificate(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for `name`, made by the openssl command (a failure under CI)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        message = "`openssl` is not on PATH (apt-get install openssl)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            f"/CN={name}",
            "-addext",
            f"subjectAltName=DNS:{name}",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


async def test_https_goes_to_the_checked_address_with_the_name_in_sni_and_host(
    fetch_settings: Settings, tmp_path: Path
) -> None:
    """Connected to 127.0.0.1 (what the policy checked), TLS still speaks to the name: SNI and the
    certificate check use `news.example.test`, as does the Host header."""
    cert, key = _certificate(tmp_path, "news.example.test")
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(cert, key)
    names: list[str | None] = []
    served.sni_callback = lambda sock, name, ctx: names.append(name)  # type: ignore[assignment,misc,return-value]
    trusted = ssl.create_default_context(cafile=str(cert))

    async def resolver(host: str, port: int) -> Sequence[IPAddress]:
        assert host == "news.example.test"
        return [ipaddress.ip_address("127.0.0.1")]

    with Site("127.0.0.1", tls=served) as secure:
        secure.routes["/feed"] = Reply(body=b"<rss/>")
        client = Fetcher(
            fetch_settings, resolver=resolver, transport=httpx.AsyncHTTPTransport(verify=trusted)
        )
        try:
            got = await client.get(f"https://news.example.test:{secure.port}/feed")
        finally:
            await client.aclose()
        assert (got.outcome, got.body) == ("ok", b"<rss/>"), got.reason
        assert "news.example.test" in names
        assert secure.hits("/feed")[0].headers["host"] == f"news.example.test:{secure.port}"
