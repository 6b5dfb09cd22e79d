"""Duty desk: publish → screen latency in a real browser (`python -m bench.desk`).

The real services over a throwaway Redis (the pipeline app with the producer's HTTP ingest and the
classifier; the alerter serving the page), Debian's chromium through Playwright on the page with
tiles off. Each sample POSTs one new attack report (a different town each time, so each is a new
incident) and waits until the page shows it; the page records when the incident entered the list
and when its marker entered the map (a MutationObserver, the DOM change itself), the bench when the
alert reached the alert log (XREAD, the baseline: the pipeline's own share). Samples are sequential:
this is the latency one duty officer sees, not a load test.

`python -m bench.desk` measures and splices its section and its target row into BENCHMARKS.md,
leaving the other sections as they are; `python -m bench --only desk` rewrites the whole file with
only this part.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from redis.asyncio import Redis

from bench.common import ROOT, machine, median, percentile
from services.common.embedded import EmbeddedRedis
from services.common.runtime import Runtime, ServiceParts
from services.common.settings import load_settings
from tests.desk.harness import article, browser, chromium_path, desk_stack, open_page, seen_at

TARGET_MS = 2000.0
SECTION = "## Duty desk (publish → screen, real browser)"
TARGET_PREFIX = "| duty desk:"
# A town per sample (each its own incident), with a sentence written for this bench.
TOWNS = (
    "Kharkiv", "Dnipro", "Poltava", "Vinnytsia", "Zhytomyr", "Chernihiv", "Sumy", "Kherson",
    "Mykolaiv", "Zaporizhzhia", "Odesa", "Lviv", "Rivne", "Lutsk", "Ternopil", "Uzhhorod",
    "Cherkasy", "Kropyvnytskyi", "Khmelnytskyi", "Chernivtsi",
)  # fmt: skip
WAIT_S = 30.0


@dataclass
class DeskResult:
    log_ms: list[float] = field(default_factory=list)
    list_ms: list[float] = field(default_factory=list)
    marker_ms: list[float] = field(default_factory=list)
    browser: str = ""

    @property
    def samples(self) -> int:
        return len(self.list_ms)


def report_text(town: str, day: int, injured: int) -> str:
    return (
        f"Russian drones struck {town} on {day} March 2026, injuring {injured} people, "
        "the regional administration said."
    )


async def _log_time(redis: Redis, stream: str, after: str) -> tuple[float, str]:
    """Blocks (bounded) until the alert log has an entry after `after`: (wall ms, its id)."""
    reply = await redis.xread({stream: after}, count=1, block=int(WAIT_S * 1000))
    assert reply, "no alert within the wait"
    entry_id = reply[0][1][0][0].decode()
    return time.time() * 1000, entry_id


async def run_async(url: str, executable: str, samples: int) -> DeskResult:
    from services.classifier.app import build_classifier
    from services.classifier.engine import Classifier

    engine = Classifier()

    def classifier(rt: Runtime) -> ServiceParts:
        return build_classifier(rt, engine)

    settings = load_settings(
        redis_url=url, prefix=f"bd{uuid.uuid4().hex[:8]}", http_host="127.0.0.1", desk_tiles_url=""
    )
    result = DeskResult()
    redis = Redis.from_url(url)
    try:
        async with desk_stack(settings, classifier) as stack, browser(executable) as chrome:
            result.browser = chrome.version
            page, _errors = await open_page(chrome, stack.url)
            await page.locator("#live[data-state=live]").wait_for(timeout=WAIT_S * 1000)
            last = "0-0"
            for index in range(samples):
                town = TOWNS[index % len(TOWNS)]
                text = report_text(town, 1 + index % 28, 2 + index)
                watch = asyncio.create_task(_log_time(redis, settings.names.alert_log, last))
                published = await stack.publish(article(f"bench-desk-{index}", text))
                logged_ms, last = await watch
                item = page.locator("#incidents li.incident", has_text=town).first
                await item.wait_for(timeout=WAIT_S * 1000)
                alert_id = await item.get_attribute("data-alert-id")
                assert alert_id
                # Its own marker, or a cluster holding it (the page's CSP forbids wait_for_function).
                shown = (
                    f'.sev-marker[data-alert-id="{alert_id}"], .desk-cluster [data-alert-ids~="{alert_id}"]'
                )
                await page.locator(shown).first.wait_for(state="attached", timeout=WAIT_S * 1000)
                result.log_ms.append(logged_ms - published)
                result.list_ms.append(await seen_at(page, "list", alert_id) - published)
                result.marker_ms.append(await seen_at(page, "marker", alert_id) - published)
    finally:
        await redis.aclose()
    return result


def run(*, samples: int = 20) -> DeskResult:
    executable = chromium_path()
    if executable is None:
        raise RuntimeError("chromium is not installed (apt-get install chromium)")
    with EmbeddedRedis() as server:
        return asyncio.run(run_async(server.url, executable, samples))


def _ms(values: Sequence[float]) -> list[str]:
    return [f"{median(values):.0f}", f"{percentile(values, 95):.0f}", f"{max(values):.0f}"]


def section(res: DeskResult, *, command: str) -> tuple[list[str], list[list[str]]]:
    p95 = percentile(res.marker_ms, 95)
    page_share = [lst - log for lst, log in zip(res.list_ms, res.log_ms, strict=True)]
    lines = [
        SECTION,
        "",
        f"{res.samples} reports published one after another through the producer's HTTP ingest, each a "
        "new incident; times from the POST to the alert-log entry (baseline: the pipeline), to the "
        "incident in the page's list, and to its marker on the map, in ms. The page is the duty "
        f"desk (`GET /` on the alerter) in Debian's chromium {res.browser} (headless, via Playwright), "
        "tiles off; the page follows `/alerts/stream` and reads `/alerts.geojson` for the map.",
        "",
        "| publish → | median | p95 | max |",
        "|---|---|---|---|",
        "| alert in the alert log (baseline) | " + " | ".join(_ms(res.log_ms)) + " |",
        "| incident in the list | " + " | ".join(_ms(res.list_ms)) + " |",
        "| marker on the map | " + " | ".join(_ms(res.marker_ms)) + " |",
        "| the page's own share (list − log) | " + " | ".join(_ms(page_share)) + " |",
        "",
        f"- reproduce: `{command}` (needs `chromium`; under a minute)",
        "",
    ]
    target = "duty desk: publish → marker on screen p95 ≤ 2 s"
    checks = [[target, f"{p95:.0f} ms", _verdict(p95 <= TARGET_MS)]]
    return lines, checks


def _verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def splice(text: str, lines: list[str], checks: list[list[str]], *, note: str) -> str:
    """BENCHMARKS.md with this section replaced (or appended) and its rows in the Targets table
    replaced (or added at the table's end); everything else as it was."""
    rows = ["| " + " | ".join(check) + " |" for check in checks]
    body = "\n".join([*lines[:1], "", note, *lines[1:]]).rstrip("\n") + "\n"
    out: list[str] = []
    skipping = False
    in_targets = False
    placed_rows = False
    for line in text.splitlines():
        if skipping:
            if line.startswith("## "):
                skipping = False
            else:
                continue
        if line == SECTION:
            skipping = True
            continue
        if line.startswith(TARGET_PREFIX):
            continue
        if line == "## Targets":
            in_targets = True
        elif in_targets and not line.startswith("|") and out and out[-1].startswith("|"):
            out.extend(rows)
            placed_rows = True
            in_targets = False
        out.append(line)
    if not placed_rows:
        out.extend(["", "## Targets", "", "| target | measured (median) | verdict |", "|---|---|---|", *rows])
    return "\n".join(out).rstrip("\n") + "\n\n" + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.desk", description=__doc__)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    started = time.monotonic()
    result = run(samples=args.samples)
    lines, checks = section(result, command="python -m bench.desk")
    mach = machine()
    note = (
        f"_Measured by `python -m bench.desk --samples {args.samples}` on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC in {(time.monotonic() - started):.0f} s "
        f"({mach.describe()}); the other sections are from the run named at the top._"
    )
    text = args.out.read_text() if args.out.exists() else "# Benchmarks\n"
    args.out.write_text(splice(text, lines, checks, note=note))
    print("\n".join(lines), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
