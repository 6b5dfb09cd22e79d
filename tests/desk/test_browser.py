"""The duty desk in a real browser (Debian's chromium through Playwright) against the real services
over a real Redis: an attack report published through the pipeline shows in the list and on the
map, filters change the list and the address, the detail shows the evidence in its sentence with
the outlet and link, and the page says when the alerter is gone and catches up when it is back.
Screenshots go to .artefacts/desk/ (ignored by git)."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qs, urlsplit

import httpx
from playwright.async_api import Page, expect
from redis.asyncio import Redis

from schemas import Alert
from services.alerter.links import incident_page_url
from services.common.runtime import ServiceFactory
from services.common.settings import Settings, load_settings

from .harness import ARTEFACTS, article, browser, desk_stack, open_page, seen_at

WAIT_MS = 30_000  # generous: two CPU cores shared with other work

ODESA = (
    "A Russian missile hit a warehouse in Odesa on 10 March 2026, injuring two workers, local officials said."
)
LVIV_SENTENCE = (
    "Russian drones struck Lviv overnight on 12 March 2026, killing four people and injuring eleven, "
    "the regional governor said."
)
SUMY = "Russian forces shelled Sumy on 13 March 2026; one woman was injured, the city council said."


def desk_settings(base: Settings, **overrides: object) -> Settings:
    assert base.redis_url is not None
    values: dict[str, object] = {
        "redis_url": base.redis_url.get_secret_value(),
        "prefix": base.prefix,
        "poll_ms": 20,
        "claim_idle_ms": 1000,
        "http_host": "127.0.0.1",
        "desk_tiles_url": "",
        **overrides,
    }
    return load_settings(**values)


async def logged(redis: Redis, s: Settings, count: int) -> list[Alert]:
    """Blocks (XREAD, bounded) until the alert log holds `count` alerts."""
    alerts: list[Alert] = []
    last = "0-0"
    async with asyncio.timeout(WAIT_MS / 1000):
        while len(alerts) < count:
            reply = await redis.xread({s.names.alert_log: last}, block=500)
            for _stream, entries in reply or []:
                for entry_id, fields in entries:
                    last = entry_id.decode()
                    alerts.append(Alert.model_validate_json(fields[b"__data__"]))
    return alerts


def item(page: Page, place: str):  # type: ignore[no-untyped-def]
    return page.locator("#incidents li.incident", has_text=place)


async def shot(page: Page, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTEFACTS / f"{name}.png"))


async def test_desk_live_filter_detail_and_reconnect(
    settings: Settings, redis: Redis, classifier_factory: ServiceFactory, chromium: str
) -> None:
    """A duty officer's session: a new report appears live, filters narrow the list, the detail
    shows the evidence, and an alerter restart is announced and caught up on."""
    s = desk_settings(settings)
    async with desk_stack(s, classifier_factory) as stack, browser(chromium) as chrome:
        await stack.publish(article("desk-odesa", ODESA))
        await logged(redis, s, 1)
        page, errors = await open_page(chrome, stack.url)
        await expect(item(page, "Odesa")).to_be_visible(timeout=WAIT_MS)
        await expect(page.locator("#live")).to_have_attribute("data-state", "live", timeout=WAIT_MS)
        await expect(page.locator("#tiles-off")).to_be_visible()

        # Live: a new report through the pipeline shows in the list and as a marker.
        published_ms = await stack.publish(article("desk-lviv", LVIV_SENTENCE))
        lviv = item(page, "Lviv")
        await expect(lviv).to_be_visible(timeout=WAIT_MS)
        lviv_id = await lviv.get_attribute("data-alert-id")
        assert lviv_id
        marker = page.locator(f'.sev-marker[data-alert-id="{lviv_id}"]')
        await expect(marker).to_be_visible(timeout=WAIT_MS)
        await expect(marker).to_have_text("SEV")
        await expect(lviv.locator(".badge")).to_have_text("Severe")
        await expect(lviv).to_contain_text("killed 4")
        await expect(lviv).to_contain_text("1 source")
        # Newest first, in the API's order (`sent` is in whole seconds; ties by id, descending).
        async with httpx.AsyncClient(timeout=10) as client:
            listed = (await client.get(f"{stack.url}alerts")).json()["alerts"]
        on_page = await page.locator("#incidents li.incident").evaluate_all(
            "items => items.map(item => item.dataset.alertId)"
        )
        assert on_page == [a["alert_id"] for a in listed]
        latency = {
            "list_ms": await seen_at(page, "list", lviv_id) - published_ms,
            "marker_ms": await seen_at(page, "marker", lviv_id) - published_ms,
        }
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        (ARTEFACTS / "latency.json").write_text(json.dumps(latency))
        print(f"publish → list {latency['list_ms']:.0f} ms, → marker {latency['marker_ms']:.0f} ms")
        await shot(page, "01-live")

        # Filters: the list changes, and the address keeps them.
        await page.select_option("#f-region", "lviv-oblast")
        await expect(item(page, "Odesa")).to_have_count(0, timeout=WAIT_MS)
        await expect(lviv).to_be_visible()
        assert parse_qs(urlsplit(page.url).query)["region"] == ["lviv-oblast"]
        await page.select_option("#f-severity", "extreme")
        await expect(page.locator("#empty")).to_be_visible(timeout=WAIT_MS)
        await expect(page.locator("#incidents li.incident")).to_have_count(0)
        await shot(page, "02-filtered")
        await page.goto(stack.url)  # no filters in the address: everything again
        await expect(item(page, "Odesa")).to_be_visible(timeout=WAIT_MS)
        await expect(page.locator("#f-severity")).to_have_value("")
        await expect(page.locator(".sev-marker")).to_have_count(2, timeout=WAIT_MS)

        # Detail: the evidence in its sentence, highlighted, with the outlet and its link.
        (alert,) = [a for a in await logged(redis, s, 2) if a.alert_id == lviv_id]
        killed = [e for e in alert.evidence if e.field == "killed"]
        assert killed, f"the alert carries no evidence for `killed`: {alert.evidence}"
        await item(page, "Lviv").locator("button").click()
        detail = page.locator("#detail")
        await expect(detail.locator("#detail-title")).to_contain_text(alert.headline, timeout=WAIT_MS)
        row = detail.locator("table.figures tr", has_text="killed")
        await expect(row.locator("mark").first).to_have_text(killed[0].text)
        await expect(row.locator("q").first).to_have_text(LVIV_SENTENCE)
        outlet = row.locator("a", has_text="Desk Test Wire").first
        await expect(outlet).to_have_attribute("href", "https://news.example.org/desk-lviv")
        await expect(detail.locator(".reasons li").first).to_be_visible()
        await expect(detail.locator(".downloads a", has_text="CAP")).to_have_attribute(
            "href", f"{stack.url}alerts/cap?id={lviv_id}"
        )
        assert parse_qs(urlsplit(page.url).query)["alert"] == [lviv_id]
        # The incident's link is the one CAP <web> and chat messages carry.
        await expect(detail.locator("a.incident-link")).to_have_attribute(
            "href", incident_page_url(stack.url, lviv_id)
        )
        await shot(page, "03-detail")
        # Keyboard: Escape closes the detail and returns focus to the incident.
        await page.keyboard.press("Escape")
        await expect(detail).to_be_hidden()
        await expect(item(page, "Lviv").locator("button")).to_be_focused()
        # The incident page address opens the detail directly.
        await page.goto(f"{stack.url}?alert={lviv_id}")
        await expect(page.locator("#detail-title")).to_contain_text(alert.headline, timeout=WAIT_MS)
        await expect(page.locator(".sev-marker")).to_have_count(2, timeout=WAIT_MS)
        await page.keyboard.press("Escape")
        assert errors == [], errors

        # The alerter goes away: the page says so; a report published meanwhile shows once it is back.
        await stack.stop_alerter()
        await expect(page.locator("#live")).to_have_attribute("data-state", "disconnected", timeout=WAIT_MS)
        await expect(page.locator("#live")).to_contain_text("Disconnected")
        await expect(page.locator(".sev-marker")).to_have_count(2)
        await shot(page, "04-disconnected")
        await stack.publish(article("desk-sumy", SUMY))
        await stack.start_alerter()
        await expect(page.locator("#live")).to_have_attribute("data-state", "live", timeout=WAIT_MS)
        await expect(item(page, "Sumy")).to_be_visible(timeout=WAIT_MS)
        await expect(page.locator("#incidents li.incident")).to_have_count(3)
        await expect(page.locator(".sev-marker")).to_have_count(3, timeout=WAIT_MS)
        await shot(page, "05-caught-up")


async def test_desk_on_a_phone_with_keyboard(
    settings: Settings, redis: Redis, classifier_factory: ServiceFactory, chromium: str
) -> None:
    """A phone-sized screen shows the map and the list; the list is worked with the keyboard alone."""
    s = desk_settings(settings)
    async with desk_stack(s, classifier_factory) as stack, browser(chromium) as chrome:
        await stack.publish(article("phone-odesa", ODESA), article("phone-lviv", LVIV_SENTENCE))
        await logged(redis, s, 2)
        page, errors = await open_page(chrome, stack.url, width=390, height=844)
        await expect(page.locator("#incidents li.incident")).to_have_count(2, timeout=WAIT_MS)
        await expect(page.locator("#map")).to_be_visible()
        first = page.locator("#incidents button.open").first
        await first.focus()
        await page.keyboard.press("ArrowDown")
        second = page.locator("#incidents button.open").nth(1)
        await expect(second).to_be_focused()
        await page.keyboard.press("Enter")
        await expect(page.locator("#detail-title")).to_be_visible(timeout=WAIT_MS)
        await expect(page.locator("#detail-title")).to_be_focused()
        await shot(page, "06-phone-detail")
        await page.keyboard.press("Escape")
        await expect(second).to_be_focused()
        assert errors == [], errors
