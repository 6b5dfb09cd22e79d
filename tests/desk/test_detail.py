"""The duty desk's detail and map background in a real browser, against the alerter alone (fed
hand-made classifications, as the alerter's own tests): the version history says what changed,
unreachable tiles leave the outlines and a notice, and the page's pure helpers (version diffs,
evidence in its sentence) run in the browser they are written for."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from playwright.async_api import expect
from redis.asyncio import Redis

from services.common.settings import Settings

from ..alerter.factories import KYIV, report
from ..alerter.harness import alerter_settings, feed, read_log, serving_alerter
from .harness import ARTEFACTS, browser, open_page

WAIT_MS = 30_000


async def test_version_history_says_what_changed(settings: Settings, redis: Redis, chromium: str) -> None:
    """An open incident that gets a second report shows v1 → v2 with the figures that changed."""
    s = alerter_settings(settings, desk_tiles_url="")
    async with serving_alerter(s) as (_app, base), browser(chromium) as chrome:
        await feed(redis, s, report("first", locations=[KYIV], injured=2))
        (v1,) = await read_log(redis, s, 1)
        page, errors = await open_page(chrome, f"{base}/?alert={v1.alert_id}")
        await expect(page.locator("#detail .history, #detail p", has_text="Only v1")).to_be_visible(
            timeout=WAIT_MS
        )
        # A second report of the same incident raises the figure: the open detail follows live.
        await feed(redis, s, report("second", locations=[KYIV], injured=9, killed=1))
        await read_log(redis, s, 2)
        history = page.locator("#detail ol.history li")
        await expect(history).to_have_count(1, timeout=WAIT_MS)
        await expect(history.first).to_contain_text("v1 → v2")
        await expect(history.first).to_contain_text("injured 2 → 9")
        await expect(history.first).to_contain_text("sources 1 → 2")
        await expect(page.locator("#incidents li.incident")).to_have_count(1)
        await expect(page.locator("#incidents li.incident")).to_contain_text("2 sources")
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(ARTEFACTS / "07-history.png"))
        assert errors == [], errors


async def test_unreachable_tiles_leave_outlines_and_say_so(settings: Settings, chromium: str) -> None:
    """With the tile server down the map keeps the region outlines and says that tiles are off."""
    # A loopback port nobody listens on: every tile fails at once.
    tiles = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    s = alerter_settings(settings, desk_tiles_url=tiles, desk_tiles_attribution="Test tiles <b>&</b>")
    async with serving_alerter(s) as (_app, base), browser(chromium) as chrome:
        page, _errors = await open_page(chrome, f"{base}/")
        notice = page.locator("#tiles-off")
        await expect(notice).to_be_visible(timeout=WAIT_MS)
        await expect(notice).to_contain_text("unreachable")
        outlines = page.locator(".leaflet-overlay-pane path")
        await expect(outlines).to_have_count(27, timeout=WAIT_MS)
        # The attribution is text, not markup.
        await expect(page.locator(".leaflet-control-attribution")).to_contain_text("Test tiles <b>&</b>")
        await expect(page.locator("#live")).to_have_attribute("data-state", "live", timeout=WAIT_MS)


async def test_page_helpers_in_the_browser(settings: Settings, chromium: str) -> None:
    """The page's pure helpers give the diffs, evidence contexts and links the detail is built from."""
    s = alerter_settings(settings, desk_tiles_url="")
    async with serving_alerter(s) as (_app, base), browser(chromium) as chrome:
        page, _errors = await open_page(chrome, f"{base}/")

        async def call(name: str, *args: Any) -> Any:
            script = f"args => import('./desk/static/model.js').then(m => m.{name}(...args))"
            return await page.evaluate(script, list(args))

        before = {"severity": "Moderate", "headline": "h", "casualties": {"injured": 2}, "projectiles": {},
                  "locations": [{"name": "Kyiv"}], "attack_types": ["drone"], "source_count": 1}  # fmt: skip
        after = {**before, "severity": "Severe", "casualties": {"killed": 3, "killed_max": 5, "injured": 2},
                 "source_count": 2}  # fmt: skip
        assert await call("changes", before, after) == [
            {"what": "severity", "before": "Moderate", "after": "Severe"},
            {"what": "killed", "before": "—", "after": "3–5"},
            {"what": "sources", "before": "1", "after": "2"},
        ]
        sentence = {"field": "attacker", "text": "Drones hit Kyiv, killing four.", "start": 10, "end": 40,
                    "article_id": "a"}  # fmt: skip
        span = {"field": "killed", "text": "four", "start": 35, "end": 39, "article_id": "a"}
        other = {**span, "article_id": "b"}
        assert await call("inContext", span, [sentence, span]) == {
            "before": "Drones hit Kyiv, killing ",
            "span": "four",
            "after": ".",
        }
        alone = {"before": "", "span": "four", "after": ""}
        assert await call("inContext", other, [sentence, other]) == alone
        assert await call("safeUrl", "javascript:alert(1)") is None
        assert await call("safeUrl", "https://news.example.org/a?b=1") == "https://news.example.org/a?b=1"
        assert await call("ago", 0, 59_000) == "just now"
        assert await call("ago", 0, 5 * 60_000) == "5 min ago"
        assert json.dumps(await call("figure", 3, None)) == '"3"'


async def test_with_a_read_token_the_page_works_and_never_shows_it(
    settings: Settings, redis: Redis, chromium: str
) -> None:
    """Opened as `/?token=…`, the page reads the APIs and follows the stream with it, downloads with
    it, and writes it nowhere in the document."""
    token = "desk-browser-t0ken"
    s = alerter_settings(settings, desk_tiles_url="", read_token=token)
    async with serving_alerter(s) as (_app, base), browser(chromium) as chrome:
        await feed(redis, s, report("tok-1", locations=[KYIV], injured=2))
        (alert,) = await read_log(redis, s, 1)
        page, errors = await open_page(chrome, f"{base}/?token={token}")
        await expect(page.locator("#incidents li.incident")).to_have_count(1, timeout=WAIT_MS)
        await expect(page.locator("#live")).to_have_attribute("data-state", "live", timeout=WAIT_MS)
        await feed(redis, s, report("tok-2", locations=[KYIV], injured=2, day=date(2023, 5, 5)))
        await expect(page.locator("#incidents li.incident")).to_have_count(2, timeout=WAIT_MS)
        await page.locator(f'#incidents li[data-alert-id="{alert.alert_id}"] button').click()
        link = page.locator("#detail .downloads a", has_text="CAP")
        await expect(link).to_be_visible(timeout=WAIT_MS)
        async with page.expect_download() as download_info:
            await link.click()
        download = await download_info.value
        saved = await download.path()
        assert "<alert" in saved.read_text() and alert.alert_id in saved.read_text()
        assert token not in await page.content()
        assert errors == [], errors


async def test_a_refused_filter_says_why_and_is_not_asked_again(settings: Settings, chromium: str) -> None:
    """`/?severity=bogus` is a 400 from the read API: the page names the problem and stops instead
    of repeating the same refused request every two seconds."""
    s = alerter_settings(settings, desk_tiles_url="")
    async with serving_alerter(s) as (_app, base), browser(chromium) as chrome:
        page, _errors = await open_page(chrome, f"{base}/?severity=bogus")
        await expect(page.locator("#live")).to_have_attribute("data-state", "refused", timeout=WAIT_MS)
        message = page.locator("#load-error")
        await expect(message).to_contain_text("refused this view")
        await expect(message).not_to_contain_text("Retrying")
