"""The duty desk shows a hostile report's title, outlet, places and evidence without its control and
bidi characters (the rule of services/common/display.py, applied in the browser), with the evidence
still cut from the original text by its offsets. Real alerter, real Redis, Debian's chromium."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.async_api import expect
from redis.asyncio import Redis

from services.common.settings import Settings

from ..alerter.harness import alerter_settings, feed, read_log, serving_alerter
from ..alerter.test_display import UNSAFE, hostile
from .harness import browser, open_page

WAIT_MS = 30_000


async def test_the_desk_shows_a_hostile_report_without_control_or_bidi_characters(
    settings: Settings, redis: Redis, chromium: str
) -> None:
    s = alerter_settings(settings, desk_tiles_url="")
    async with serving_alerter(s) as (_app, base), browser(chromium) as chrome:
        await feed(redis, s, hostile().model_copy(update={"event_date": datetime.now(UTC).date()}))
        (alert,) = await read_log(redis, s, 1)
        page, errors = await open_page(chrome, f"{base}/?alert={alert.alert_id}")
        detail = page.locator("#detail")
        await expect(detail).to_contain_text("Strike on viyK: 21 killed", timeout=WAIT_MS)
        await expect(detail).to_contain_text("Wire Service")
        await expect(page.locator("#incidents li.incident")).to_have_count(1, timeout=WAIT_MS)
        # The evidence span in its sentence: cut by offsets from the original, then cleaned.
        await expect(detail.locator(".evidence").first).to_contain_text("Kyiv")
        shown = await page.evaluate("document.body.innerText")
        assert "Drones struck Kyiv overnight" in shown
        assert not [f"U+{ord(c):04X}" for c in shown if c in UNSAFE], shown
        assert errors == [], errors
