"""The duty desk as a user meets it: the pipeline (producer and classifier, one app with the
producer's HTTP ingest) and the alerter (its own app, serving the page on a fixed-for-the-test
loopback port so it can be stopped and started again at the same address) over one real Redis,
and Debian's chromium driven by Playwright. Shared by tests/desk and `python -m bench.desk`."""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Browser, Page, async_playwright

from schemas import Article
from services.alerter.app import build_alerter
from services.cli.connect import bind
from services.common import runtime as runtime_module
from services.common.runtime import ServiceFactory, StrikewatchApp, build_app, start_http
from services.common.settings import Settings
from services.producer.app import build_producer

ARTEFACTS = Path(__file__).resolve().parents[2] / ".artefacts" / "desk"
_instances = itertools.count()

# Records when each incident first shows in the list and on the map (ms since the epoch, the clock
# the test's publish time is read from): a MutationObserver, so the time is the DOM change itself.
SEEN_SCRIPT = """
window.__deskSeen = { list: {}, marker: {} };
new MutationObserver(() => {
  const now = Date.now();
  for (const el of document.querySelectorAll('#incidents li[data-alert-id]')) {
    window.__deskSeen.list[el.dataset.alertId] ??= now;
  }
  for (const el of document.querySelectorAll('.sev-marker[data-alert-id]')) {
    window.__deskSeen.marker[el.dataset.alertId] ??= now;
  }
  // A marker inside a cluster is on screen as the cluster's count.
  for (const el of document.querySelectorAll('.desk-cluster [data-alert-ids]')) {
    for (const id of el.dataset.alertIds.split(' ')) window.__deskSeen.marker[id] ??= now;
  }
}).observe(document, {
  subtree: true, childList: true, attributes: true, attributeFilter: ['data-alert-id', 'data-alert-ids'],
});
"""


def chromium_path() -> str | None:
    """Debian's chromium (apt `chromium`), or STRIKEWATCH_CHROMIUM; None when neither is there."""
    named = os.environ.get("STRIKEWATCH_CHROMIUM")
    if named:
        return named
    return shutil.which("chromium") or shutil.which("chromium-browser")


def article(article_id: str, text: str) -> Article:
    """A report from a made-up outlet, with an address to link to."""
    return Article(
        id=article_id,
        text=text,
        title=None,
        source="Desk Test Wire",
        url=f"https://news.example.org/{article_id}",
    )


@dataclass
class DeskStack:
    settings: Settings
    classifier: ServiceFactory
    port: int = 0
    pipeline_url: str = ""
    alerter: StrikewatchApp | None = None
    _servers: list[tuple[Any, asyncio.Task[None]]] = field(default_factory=list)
    _alerter_server: tuple[Any, asyncio.Task[None]] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    async def start_pipeline(self) -> None:
        app, _ = build_app(
            self.settings, [build_producer, self.classifier], title="desk-pipeline", http_port=0
        )
        server, serving = await start_http(app, 0)
        self._servers.append((server, serving))
        self.pipeline_url = f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"

    async def start_alerter(self) -> None:
        """Starts the alerter on `port` (a free one the first time, the same one after a stop)."""
        sock = bind("127.0.0.1", self.port)
        self.port = sock.getsockname()[1]
        original = runtime_module.consumer_base_name
        name = f"desk-alerter-{next(_instances)}"
        runtime_module.consumer_base_name = lambda: name  # type: ignore[assignment]
        try:
            app, _ = build_app(self.settings, [build_alerter], title="desk-alerter", http_port=self.port)
        finally:
            runtime_module.consumer_base_name = original  # type: ignore[assignment]
        self.alerter = app
        self._alerter_server = await start_http(app, self.port, sockets=[sock])

    async def stop_alerter(self) -> None:
        if self._alerter_server is not None:
            server, serving = self._alerter_server
            server.should_exit = True
            await serving
            self._alerter_server = None

    async def publish(self, *articles: Article) -> float:
        """POSTs the articles to the producer's ingest (real HTTP); returns when the request was sent,
        in ms since the epoch."""
        body = "\n".join(a.model_dump_json() for a in articles)
        sent_ms = time.time() * 1000
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.post(f"{self.pipeline_url}/articles", content=body)
        assert response.status_code == 202, response.text
        return sent_ms

    async def close(self) -> None:
        await self.stop_alerter()
        for server, serving in self._servers:
            server.should_exit = True
            await serving


@asynccontextmanager
async def desk_stack(settings: Settings, classifier: ServiceFactory) -> AsyncIterator[DeskStack]:
    stack = DeskStack(settings, classifier)
    try:
        await stack.start_pipeline()
        await stack.start_alerter()
        yield stack
    finally:
        await stack.close()


@asynccontextmanager
async def browser(executable: str) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        instance = await playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield instance
        finally:
            await instance.close()


async def open_page(
    browser: Browser, url: str, *, width: int = 1280, height: int = 800
) -> tuple[Page, list[str]]:
    """A new page at `url` with SEEN_SCRIPT; also returns the list its console errors and page
    errors go to (a test asserts it stays empty)."""
    page = await browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None,
    )
    await page.add_init_script(SEEN_SCRIPT)
    await page.goto(url)
    return page, errors


async def seen_at(page: Page, kind: str, alert_id: str) -> float:
    """When the page first showed `alert_id` in the `list` or as a `marker` (ms since the epoch)."""
    value = await page.evaluate(f"window.__deskSeen.{kind}[{alert_id!r}]")
    assert isinstance(value, int | float), f"{alert_id} was never seen in the {kind}"
    return float(value)
