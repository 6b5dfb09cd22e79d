"""The title bar counts urgent incidents that arrived while the desk was not looked at, and clears
when it is looked at again. Headless chromium never loses focus or visibility, so the page is told it
is hidden the way a browser would tell it: `document.hidden`/`visibilityState` and a
`visibilitychange` event."""

from __future__ import annotations

from datetime import date

from playwright.async_api import Page, expect
from redis.asyncio import Redis

from services.common.settings import Settings

from ..alerter.factories import KHARKIV, KYIV, MAKIIVKA, report
from ..alerter.harness import alerter_settings, feed, read_log, serving_alerter
from .harness import browser, open_page

WAIT_MS = 30_000
TITLE = "strikewatch duty desk"


async def set_hidden(page: Page, hidden: bool) -> None:
    await page.evaluate(
        """(hidden) => {
            Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
            Object.defineProperty(document, "visibilityState", {
                configurable: true, get: () => (hidden ? "hidden" : "visible"),
            });
            document.dispatchEvent(new Event("visibilitychange"));
        }""",
        hidden,
    )


async def test_hidden_desk_counts_new_urgent_incidents_in_its_title(
    settings: Settings, redis: Redis, chromium: str
) -> None:
    s = alerter_settings(settings, desk_tiles_url="")
    async with serving_alerter(s) as (_app, base), browser(chromium) as chrome:
        page, errors = await open_page(chrome, f"{base}/")
        await expect(page.locator("#live")).to_have_attribute("data-state", "live", timeout=WAIT_MS)
        await expect(page).to_have_title(TITLE)
        # Seen while visible: no count.
        await feed(redis, s, report("seen", locations=[KYIV], killed=1))
        await read_log(redis, s, 1)
        await expect(page.locator("#incidents li.incident")).to_have_count(1, timeout=WAIT_MS)
        await expect(page).to_have_title(TITLE)

        await set_hidden(page, True)
        # A minor incident is listed but not counted; an urgent one is.
        await feed(redis, s, report("minor", locations=[MAKIIVKA], severity="Minor", day=date(2022, 12, 22)))
        await feed(redis, s, report("away", locations=[KHARKIV], killed=2, day=date(2022, 12, 25)))
        await read_log(redis, s, 3)
        await expect(page.locator("#incidents li.incident")).to_have_count(3, timeout=WAIT_MS)
        await expect(page).to_have_title(f"(1) {TITLE}", timeout=WAIT_MS)

        await set_hidden(page, False)
        await expect(page).to_have_title(TITLE, timeout=WAIT_MS)
        assert errors == [], errors
