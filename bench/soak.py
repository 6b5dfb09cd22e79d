"""Soak: a steady offered load through the real pipeline (alerter + classifier processes) for a
while, then proof that nothing was lost and what it cost.

`make soak` = `python -m bench.soak --seconds 600` (writes the `## Soak` section of RELIABILITY.md);
tests/reliability/test_soak.py runs the same `soak()` for 60 s and asserts `result.problems == []`.

Completion is waited for on events, never by sleeping: XREAD BLOCK on the classified stream, then
a sentinel article published after everything else was classified (the alerter reads the
classified stream in order, so its alert arriving on pub/sub means every earlier entry was
handled), then a condition variable in the webhook receiver.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from bench.common import ROOT, machine, mb, percentile, seed_articles
from bench.corpus import distinct_incidents
from bench.stack import Receipt, ServiceMemory, Stack
from services.common.embedded import EmbeddedRedis

RELIABILITY = ROOT / "RELIABILITY.md"
DEFAULT_RATE = 20.0
DRAIN_TIMEOUT_S = 120.0


@dataclass
class SoakResult:
    seconds: float
    offered: float
    classifiers: int
    published: int = 0
    achieved: float = 0.0  # articles/s actually published
    throughput: float = 0.0  # articles/s classified, first to last classification
    alert_versions: int = 0
    webhook_deliveries: int = 0  # requests received, retries included
    pubsub_received: int = 0
    deadletters: int = 0
    pubsub_ms: list[float] = field(default_factory=list)
    webhook_ms: list[float] = field(default_factory=list)
    memory: list[ServiceMemory] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # empty = nothing lost, nothing doubled


def _latencies(receipts: list[Receipt], ingested: dict[str, float]) -> list[float]:
    return [(r.at - ingested[r.trigger]) * 1000 for r in receipts if r.trigger in ingested]


def check(
    result: SoakResult,
    published: list[str],
    classified: list[str],
    log: list[Receipt],
    webhook: set[tuple[str, int]],
    pubsub: set[tuple[str, int]],
) -> None:
    """Nothing lost: every article classified exactly once, every alert version once in the
    alert log (versions 1..n without gaps), and delivered to the webhook and to pub/sub."""
    counts = Counter(classified)
    missing = [a for a in published if counts[a] == 0]
    doubled = [a for a, n in counts.items() if n > 1]
    unknown = set(counts) - set(published)
    if missing:
        result.problems.append(f"{len(missing)} articles never classified, e.g. {missing[:3]}")
    if doubled:
        result.problems.append(f"{len(doubled)} articles classified more than once, e.g. {doubled[:3]}")
    if unknown:
        result.problems.append(f"{len(unknown)} classifications of articles never published")
    versions = Counter((r.alert_id, r.version) for r in log)
    repeated = [v for v, n in versions.items() if n > 1]
    if repeated:
        result.problems.append(
            f"{len(repeated)} alert versions in the alert log more than once, e.g. {repeated[:3]}"
        )
    by_alert: dict[str, list[int]] = {}
    for alert_id, version in versions:
        by_alert.setdefault(alert_id, []).append(version)
    gaps = [a for a, vs in by_alert.items() if sorted(vs) != list(range(1, len(vs) + 1))]
    if gaps:
        result.problems.append(f"{len(gaps)} alerts with missing versions in the alert log, e.g. {gaps[:3]}")
    if not_delivered := set(versions) - webhook:
        result.problems.append(f"{len(not_delivered)} alert versions never reached the webhook receiver")
    if not_published := set(versions) - pubsub:
        result.problems.append(f"{len(not_published)} alert versions never reached the pub/sub subscriber")


async def soak(
    url: str,
    log_dir: Path,
    *,
    seconds: float,
    rate: float = DEFAULT_RATE,
    classifiers: int = 1,
    tag: str = "soak",
) -> SoakResult:
    """Offer `rate` articles/s for `seconds`, wait until everything has gone through, check."""
    result = SoakResult(seconds=seconds, offered=rate, classifiers=classifiers)
    count = max(1, int(rate * seconds))
    articles = distinct_incidents(count, first_day=date(2020, 1, 1), tag=tag)
    # Makiivka (seed 003) is not among the synthetic places, so it raises an alert of its own.
    sentinel = seed_articles()[3].model_copy(update={"id": f"{tag}-sentinel"})
    published = [a.id for a in articles] + [sentinel.id]
    async with Stack(url, tag, log_dir, classifiers=classifiers) as stack:
        started = time.monotonic()
        for i, article in enumerate(articles):
            # Paced against the start (a slow XADD does not lower the offered rate).
            await asyncio.sleep(max(0.0, started + i / rate - time.monotonic()))
            await stack.publish([article])
        result.published = count
        result.achieved = count / max(1e-9, time.monotonic() - started)
        await stack.wait_classified(count, DRAIN_TIMEOUT_S)
        await stack.publish([sentinel])
        classified = await stack.wait_classified(count + 1, DRAIN_TIMEOUT_S)
        if not await stack.subscriber.wait_for_trigger(sentinel.id, DRAIN_TIMEOUT_S):
            result.problems.append("the sentinel article's alert never arrived on pub/sub")
        log = await stack.alert_log()
        wanted = {(r.alert_id, r.version) for r in log}
        await asyncio.to_thread(stack.receiver.wait_for, wanted, DRAIN_TIMEOUT_S)
        result.deadletters = await stack.redis.xlen(stack.names.deadletter)
        stack.sample_memory()
        result.memory = stack.memory
        times = sorted(ms for ms, _ in classified)
        result.throughput = (len(times) - 1) / max(1e-3, (times[-1] - times[0]) / 1000)
        result.alert_versions = len(log)
        result.webhook_deliveries = len(stack.receiver.receipts)
        result.pubsub_received = len(stack.subscriber.receipts)
        result.pubsub_ms = _latencies(stack.subscriber.receipts, stack.ingested)
        result.webhook_ms = _latencies(stack.receiver.receipts, stack.ingested)
        check(
            result,
            published,
            [a for _, a in classified],
            log,
            stack.receiver.versions(),
            {(r.alert_id, r.version) for r in stack.subscriber.receipts},
        )
    return result


def render(result: SoakResult, command: str) -> str:
    def pct(values: list[float], q: float) -> str:
        return f"{percentile(values, q):.1f}" if values else "n/a"

    mach = machine()
    verdict = "yes" if not result.problems else "NO: " + "; ".join(result.problems)
    lines = [
        "## Soak",
        "",
        f"Generated by `{command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {mach.describe()}. "
        f"Alerter + {result.classifiers} classifier process(es) (`strikewatch run ...`) on a throwaway "
        "embedded Redis, synthetic seed-sized reports (one incident each), a pub/sub subscriber and a "
        "loopback webhook receiver in the driver process. Reproduce: `make soak` (600 s) or "
        "`.venv/bin/python -m bench.soak --seconds S --rate R`.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| duration of offered load | {result.seconds:.0f} s |",
        f"| offered / achieved publish rate | {result.offered:.1f} / {result.achieved:.1f} articles/s |",
        f"| articles published (+1 sentinel) | {result.published} |",
        f"| classified throughput (first → last classification) | {result.throughput:.1f} articles/s |",
        f"| alert versions in the alert log | {result.alert_versions} |",
        f"| webhook requests received (retries included) | {result.webhook_deliveries} |",
        f"| pub/sub alerts received | {result.pubsub_received} |",
        f"| dead letters | {result.deadletters} |",
        f"| end-to-end p50 / p99, pub/sub | {pct(result.pubsub_ms, 50)} / {pct(result.pubsub_ms, 99)} ms |",
        f"| end-to-end p50 / p99, webhook | {pct(result.webhook_ms, 50)} / {pct(result.webhook_ms, 99)} ms |",
        f"| nothing lost or doubled | {verdict} |",
        "",
        "| process | RSS once ready | RSS at the end | peak RSS (VmHWM) |",
        "|---|---|---|---|",
        *(
            f"| {m.name} (pid {m.pid}) | {mb(m.start_kb)} | {mb(m.end_kb)} | {mb(m.peak_kb)} |"
            for m in result.memory
        ),
        "",
        "End-to-end = article published (`publish_articles` stamps `ingested_at`) → alert received; "
        '"nothing lost" = every article classified exactly once, every alert version once in the alert '
        "log with no version gaps, every alert version received by the webhook receiver and the pub/sub "
        "subscriber.",
        "",
    ]
    return "\n".join(lines)


def write_section(section: str, path: Path = RELIABILITY) -> None:
    """Replace the `## Soak` section of RELIABILITY.md (up to the next `## ` heading), or append it;
    every other section is left as it is."""
    text = path.read_text() if path.exists() else "# Reliability\n\n"
    pattern = re.compile(r"^## Soak\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text.rstrip("\n") + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--seconds", type=float, default=600.0, help="how long to offer load")
    parser.add_argument("--rate", type=float, default=DEFAULT_RATE, help="articles/s offered")
    parser.add_argument("--classifiers", type=int, default=1, help="classifier processes")
    parser.add_argument("--no-write", action="store_true", help="print, do not update RELIABILITY.md")
    args = parser.parse_args(argv)
    command = f"python -m bench.soak --seconds {args.seconds:g} --rate {args.rate:g}"
    if args.classifiers != 1:
        command += f" --classifiers {args.classifiers}"
    with EmbeddedRedis() as server, tempfile.TemporaryDirectory(prefix="strikewatch-soak-") as logs:
        result = asyncio.run(
            soak(server.url, Path(logs), seconds=args.seconds, rate=args.rate, classifiers=args.classifiers)
        )
    section = render(result, command)
    print(section)
    if not args.no_write:
        write_section(section)
    return 1 if result.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
