"""Real HTTP servers on loopback for the live-source tests: news sites with feeds (RSS 2.0 and Atom
built by feedgen, a broken one written by hand), article pages with the structure of real news
pages (navigation, adverts, related links, reader comments around the article body), and the
misbehaving servers a poller meets: one that answers 304, a slow one, a 50 MB page, redirects.

Every request is logged; tests wait on that log (a condition variable), never on a sleep."""

from __future__ import annotations

import asyncio
import hashlib
import html
import ssl
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator

Body = bytes | Callable[[], Iterable[bytes]]


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A client hanging up (a refused or cut-off download) is what these tests provoke.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@dataclass
class Reply:
    """What a route answers. `body` may be a generator factory (streamed, never held whole)."""

    status: int = 200
    body: Body = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Answer 304 to a request whose If-None-Match carries this ETag.
    etag: str | None = None
    delay_s: float = 0.0  # before the status line (a server that does not answer)
    trickle_s: float = 0.0  # between body chunks (a server that answers too slowly)
    length: int | None = None  # Content-Length to declare for a streamed body


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    at: float  # time.monotonic()


class Site:
    """One HTTP/1.1 server on `host`, port chosen by the OS. Use as a context manager."""

    def __init__(self, host: str = "127.0.0.1", *, tls: ssl.SSLContext | None = None) -> None:
        self.host = host
        self.scheme = "https" if tls is not None else "http"
        self.routes: dict[str, Reply | Callable[[Request], Reply]] = {}
        self.requests: list[Request] = []
        self.sent: dict[str, int] = {}  # body bytes written per path
        self.ends: list[tuple[str, float]] = []
        self._changed = threading.Condition()
        self.closing = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                site._handle(self)

        self._server = _QuietServer((host, 0), Handler)
        self._server.daemon_threads = True
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"site-{host}", daemon=True)

    def __enter__(self) -> Site:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{shown}:{self.port}{path}"

    # -- the request log ----------------------------------------------------------------------------

    def hits(self, path: str) -> list[Request]:
        """Requests of `path` (with any query)."""
        with self._changed:
            return [r for r in self.requests if urlsplit(r.path).path == path]

    async def wait_hits(self, path: str, count: int, *, timeout: float = 30.0) -> list[Request]:
        """Block (off the event loop) until `path` was requested `count` times; fail after `timeout`."""

        def wait() -> list[Request]:
            with self._changed:
                ok = self._changed.wait_for(
                    lambda: sum(r.path == path for r in self.requests) >= count, timeout=timeout
                )
                seen = [r for r in self.requests if r.path == path]
            assert ok, f"{self.url(path)} requested {len(seen)} time(s), expected {count} within {timeout}s"
            return seen

        return await asyncio.to_thread(wait)

    # -- serving ------------------------------------------------------------------------------------

    def finished(self, path: str) -> list[float]:
        """When each answer to `path` was complete (or abandoned by the client), time.monotonic()."""
        with self._changed:
            return [at for p, at in self.ends if p == path]

    async def wait_finished(self, path: str, count: int, *, timeout: float = 30.0) -> list[float]:
        def wait() -> list[float]:
            with self._changed:
                ok = self._changed.wait_for(
                    lambda: len([p for p, _ in self.ends if p == path]) >= count, timeout
                )
                ends = [at for p, at in self.ends if p == path]
            assert ok, f"{self.url(path)}: {len(ends)} answer(s) finished, expected {count} within {timeout}s"
            return ends

        return await asyncio.to_thread(wait)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        try:
            self._answer(handler)
        finally:
            with self._changed:
                self.ends.append((handler.path, time.monotonic()))
                self._changed.notify_all()

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        request = Request(path, {k.lower(): v for k, v in handler.headers.items()}, time.monotonic())
        with self._changed:
            self.requests.append(request)
            self._changed.notify_all()
        route = self.routes.get(urlsplit(path).path)  # the query (tracking parameters) does not route
        reply = route(request) if callable(route) else route
        if reply is None:
            reply = Reply(404, b"not found")
        if reply.delay_s and self.closing.wait(reply.delay_s):
            return
        if reply.etag is not None and request.headers.get("if-none-match") == reply.etag:
            handler.send_response(304)
            handler.send_header("etag", reply.etag)
            handler.send_header("content-length", "0")
            handler.end_headers()
            return
        try:
            handler.send_response(reply.status)
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            if reply.etag is not None:
                handler.send_header("etag", reply.etag)
            if isinstance(reply.body, bytes):
                handler.send_header("content-length", str(len(reply.body)))
                handler.end_headers()
                handler.wfile.write(reply.body)
                self._sent(path, len(reply.body))
                return
            if reply.length is not None:
                handler.send_header("content-length", str(reply.length))
            else:
                handler.send_header("connection", "close")
                handler.close_connection = True
            handler.end_headers()
            for chunk in reply.body():
                if reply.trickle_s and self.closing.wait(reply.trickle_s):
                    return
                handler.wfile.write(chunk)
                handler.wfile.flush()
                self._sent(path, len(chunk))
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True  # the client hung up: what a cut-off download looks like

    def _sent(self, path: str, n: int) -> None:
        with self._changed:
            self.sent[path] = self.sent.get(path, 0) + n


# -- content ------------------------------------------------------------------------------------------


@dataclass
class Story:
    slug: str
    title: str
    paragraphs: list[str]
    published: datetime
    summary: str | None = None


def news_page(story: Story, *, outlet: str = "Example News") -> bytes:
    """An article page shaped like a real news site's: head scripts, header with navigation and a
    search form, a leaderboard advert, the story (headline, byline, body, related links), reader
    comments, a sidebar advert and a footer."""
    title = html.escape(story.title)
    body = "\n".join(f"      <p>{html.escape(p)}</p>" for p in story.paragraphs)
    when = story.published.isoformat()
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} | {outlet}</title>
  <meta property="og:title" content="{title}">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <script>window.dataLayer = window.dataLayer || []; function gtag() {{ dataLayer.push(arguments); }}</script>
  <style>.ad {{ display: block; min-height: 90px }}</style>
</head>
<body>
  <header class="site-header">
    <a class="logo" href="/">{outlet}</a>
    <nav class="main-nav"><ul>
      <li><a href="/world">World</a></li><li><a href="/europe">Europe</a></li>
      <li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li>
      <li><a href="/culture">Culture</a></li>
    </ul></nav>
    <form class="search" action="/search"><input name="q" placeholder="Search"></form>
  </header>
  <div class="ad ad-leaderboard" id="ad-top">
    <span class="ad-label">Advertisement</span>
    <a href="https://ads.example.net/click?id=42">Cheap flights to anywhere this weekend, book today</a>
  </div>
  <main>
    <article class="story">
      <h1 class="headline">{title}</h1>
      <div class="byline">By Staff Reporter · <time datetime="{when}">{story.published:%d %B %Y}</time></div>
      <div class="story-body">
{body}
      </div>
      <aside class="related"><h3>Related stories</h3><ul>
        <li><a href="/business/markets">Markets close higher after a quiet session</a></li>
        <li><a href="/weather">Storms expected over the weekend in the north</a></li>
      </ul></aside>
    </article>
    <section class="comments" id="comments">
      <h2>Comments (2)</h2>
      <div class="comment"><span class="author">reader42</span>
        <p>Thinking of everyone there tonight. Stay safe.</p></div>
      <div class="comment"><span class="author">night_owl</span>
        <p>Does anyone know whether the match on Saturday is still going ahead?</p></div>
    </section>
  </main>
  <aside class="ad ad-sidebar"><span class="ad-label">Sponsored</span>
    <p>Ten gadgets everyone will want this summer: number seven sold out in a day</p></aside>
  <footer><p>&copy; {story.published:%Y} {outlet}. All rights reserved.</p>
    <a href="/privacy">Privacy</a> <a href="/cookies">Cookie settings</a></footer>
</body>
</html>
""".encode()


class Feed:
    """A news site's feed and pages on one `Site`: RSS 2.0 or Atom, served with an ETag, so a
    conditional GET gets 304 until a story is added."""

    def __init__(
        self, site: Site, *, path: str = "/rss.xml", kind: str = "rss", outlet: str = "Example News"
    ):
        self.site = site
        self.path = path
        self.kind = kind
        self.outlet = outlet
        self.stories: list[Story] = []
        self.link_query = ""  # appended to item links (tracking parameters)
        self._body = b""
        self._publish()

    @property
    def url(self) -> str:
        return self.site.url(self.path)

    @property
    def body(self) -> bytes:
        return self._body

    def page_path(self, story: Story) -> str:
        return f"/news/{story.slug}"

    def add(self, story: Story, *, page: bool = True) -> None:
        self.stories.append(story)
        if page:
            self.site.routes[self.page_path(story)] = Reply(
                body=news_page(story, outlet=self.outlet),
                headers={"content-type": "text/html; charset=utf-8"},
            )
        self._publish()

    def _publish(self) -> None:
        fg = FeedGenerator()
        fg.id(self.site.url("/"))
        fg.title(self.outlet)
        fg.link(href=self.site.url("/"), rel="alternate")
        fg.description(f"Latest news from {self.outlet}")
        fg.language("en")
        for story in self.stories:
            entry = fg.add_entry(order="prepend")  # newest first, as feeds list them
            link = self.site.url(self.page_path(story)) + self.link_query
            entry.id(link)
            entry.title(story.title)
            entry.link(href=link)
            summary = story.summary or story.paragraphs[0]
            if self.kind == "rss":
                entry.description(summary)
            else:
                entry.summary(summary)
            entry.published(story.published)
            entry.updated(story.published)
        self._body = fg.rss_str(pretty=True) if self.kind == "rss" else fg.atom_str(pretty=True)
        etag = '"' + hashlib.sha256(self._body).hexdigest()[:16] + '"'
        content_type = "application/rss+xml" if self.kind == "rss" else "application/atom+xml"
        self.site.routes[self.path] = Reply(
            body=self._body, etag=etag, headers={"content-type": content_type}
        )


def stream_of(total: int, chunk: int = 64 * 1024) -> Callable[[], Iterator[bytes]]:
    """A body of `total` bytes made on the fly, a chunk at a time (never `total` bytes in memory)."""
    block = (b"<p>" + b"filler text " * (chunk // 12))[:chunk]

    def generate() -> Iterator[bytes]:
        left = total
        while left > 0:
            piece = block[: min(chunk, left)]
            left -= len(piece)
            yield piece

    return generate


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
