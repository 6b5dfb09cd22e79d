"""The title bar counts urgent incidents that arrived while the desk was not looked at, and clears
when it is looked at again. Headless chromium never loses focus or visibility, so the page is told it
is hidden the way a browser would tell it: `document.hidden`/`visibilityState` and a
`visibilitychange` event. And the desk writes no href that is not http(s)."""

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


async def test_the_desk_never_links_a_non_web_address(
    settings: Settings, redis: Redis, chromium: str
) -> None:
    """A report whose url is not http(s) (a classification from any producer) is named, not linked;
    the http(s) report beside it is linked."""
    s = alerter_settings(settings, desk_tiles_url="")
    async with serving_alerter(s) as (_app, base), browser(chromium) as chrome:
        await feed(
            redis, s, report("good", locations=[KYIV], source="Good Wire", url="https://wire.example.org/a")
        )
        await feed(
            redis, s, report("bad", locations=[KYIV], killed=3, source="Bad Wire", url="javascript:alert(1)")
        )
        (_v1, v2) = await read_log(redis, s, 2)
        page, errors = await open_page(chrome, f"{base}/?alert={v2.alert_id}")
        detail = page.locator("#detail")
        await expect(detail).to_contain_text("Bad Wire", timeout=WAIT_MS)
        await expect(detail.locator("a", has_text="Good Wire").first).to_have_attribute(
            "href", "https://wire.example.org/a"
        )
        await expect(detail.locator("a", has_text="Bad Wire")).to_have_count(0)
        hrefs = await page.eval_on_selector_all("a[href]", "links => links.map((a) => a.protocol)")
        assert hrefs and set(hrefs) <= {"http:", "https:"}, hrefs
        assert errors == [], errors
