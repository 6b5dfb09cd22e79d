"""The whole pipeline as real processes: sustained throughput with 1 and 2 classifier processes,
end-to-end latency at a steady offered load, and each service's peak RSS.

Every run gets a fresh key prefix and fresh service processes on one embedded Redis, so runs do
not see each other's incidents or idempotence markers.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bench.common import median, percentile, seed_articles, spread
from bench.corpus import distinct_incidents
from bench.stack import Receipt, Stack
from schemas import Article

# Throughput: the first WARMUP_FRACTION of classifications (processes still filling their
# caches, the second process still picking up work) are left out of the rate.
WARMUP_FRACTION = 0.15
# Latency: articles published in the first WARMUP_S seconds are left out.
WARMUP_S = 2.0
PUBLISH_CHUNK = 200
DRAIN_TIMEOUT_S = 240.0


@dataclass
class Throughput:
    classifiers: int
    articles: int
    rate: float  # articles classified per second over the measured window


@dataclass
class Latency:
    offered: float
    achieved: float
    articles: int
    pubsub_ms: list[float]
    webhook_ms: list[float]
    # The outbox hop: alert logged (the clustering transaction) -> received through a sink.
    log_to_pubsub_ms: list[float] = field(default_factory=list)
    log_to_webhook_ms: list[float] = field(default_factory=list)
    # The alerter process's CPU time per alert version over the whole run (all its work: clustering,
    # the sinks, webhook deliveries), a figure the machine's other load barely moves.
    alerter_cpu_ms_per_alert: float = float("nan")


@dataclass
class PipelineResult:
    throughput: dict[int, list[Throughput]] = field(default_factory=dict)
    latency: dict[float, list[Latency]] = field(default_factory=dict)
    peak_kb: dict[str, int] = field(default_factory=dict)  # the highest VmHWM seen per service
    scaling: list[float] = field(default_factory=list)  # per round: rate(2) / rate(1)
    rounds: int = 0
    settings: dict[str, float] = field(default_factory=dict)


def _note_memory(result: PipelineResult, stack: Stack) -> None:
    stack.sample_memory()
    for mem in stack.memory:
        if mem.peak_kb is not None:
            result.peak_kb[mem.name] = max(result.peak_kb.get(mem.name, 0), mem.peak_kb)


def sustained_rate(classified: list[tuple[int, str]]) -> float:
    """Articles/s between the end of the warm-up and the last classification, from the
    classified stream's own entry times (written by the classifiers, not observed by us)."""
    times = sorted(ms for ms, _ in classified)
    skip = int(len(times) * WARMUP_FRACTION)
    window = times[skip:]
    span = (window[-1] - window[0]) / 1000
    return (len(window) - 1) / span if span > 0 else float("nan")


def real_reports(count: int, tag: str) -> list[Article]:
    """The seed articles (real news pages of ~550 words) over and over, each copy a new article
    id: the classifier does the full work every time, and the alerter sees many reports of a few
    incidents, as news coverage is. (The synthetic reports are padded with text the classifier skips
    cheaply, which would measure the alerter and Redis rather than the classifiers.)"""
    seeds = seed_articles()
    return [
        seeds[i % len(seeds)].model_copy(update={"id": f"{seeds[i % len(seeds)].id}~{tag}-{i}"})
        for i in range(count)
    ]


async def run_throughput(
    url: str, log_dir: Path, classifiers: int, count: int, tag: str, result: PipelineResult
) -> Throughput:
    """A backlog of `count` seed-sized articles, published at once; measure the drain rate."""
    articles = real_reports(count, tag)
    async with Stack(url, tag, log_dir, classifiers=classifiers) as stack:
        for start in range(0, count, PUBLISH_CHUNK):
            await stack.publish(articles[start : start + PUBLISH_CHUNK])
        classified = await stack.wait_classified(count, DRAIN_TIMEOUT_S)
        _note_memory(result, stack)
    return Throughput(classifiers, count, sustained_rate(classified))


def _since_logged(
    receipts: list[Receipt], log: list[Receipt], ingested: dict[str, float], after: float
) -> list[float]:
    """Alert logged -> received, per version (the sinks' extra hop), for versions measured above."""
    logged = {(r.alert_id, r.version): r.at for r in log}
    out = []
    for r in receipts:
        at = logged.get((r.alert_id, r.version))
        sent = ingested.get(r.trigger)
        if at is not None and sent is not None and sent >= after:
            out.append((r.at - at) * 1000)
    return out


def _latencies(receipts: list[Receipt], ingested: dict[str, float], after: float) -> list[float]:
    out = []
    for r in receipts:
        sent = ingested.get(r.trigger)
        if sent is not None and sent >= after:
            out.append((r.at - sent) * 1000)
    return out


async def run_latency(
    url: str, log_dir: Path, classifiers: int, rate: float, seconds: float, tag: str, result: PipelineResult
) -> Latency:
    """Offer `rate` articles/s for `seconds` (one XADD per article, paced against the start),
    then wait for every alert and webhook; latency is receipt time - the article's publish time."""
    count = max(1, int(rate * seconds))
    articles = distinct_incidents(count, first_day=date(2024, 1, 1), tag=tag)
    async with Stack(url, tag, log_dir, classifiers=classifiers) as stack:
        cpu_before = stack.alerter_cpu_s()
        started = time.monotonic()
        for i, article in enumerate(articles):
            await asyncio.sleep(max(0.0, started + i / rate - time.monotonic()))
            await stack.publish([article])
        achieved = count / max(1e-9, time.monotonic() - started)
        await stack.wait_classified(count, DRAIN_TIMEOUT_S)
        # The alert log tells which versions exist; wait until receivers have all of them.
        await stack.subscriber.wait_for_trigger(articles[-1].id, 30)
        log = await stack.alert_log()
        await asyncio.to_thread(stack.receiver.wait_for, {(r.alert_id, r.version) for r in log}, 60)
        cpu_after = stack.alerter_cpu_s()
        _note_memory(result, stack)
        after = stack.ingested[articles[0].id] + WARMUP_S
        return Latency(
            rate,
            achieved,
            count,
            _latencies(stack.subscriber.receipts, stack.ingested, after),
            _latencies(stack.receiver.receipts, stack.ingested, after),
            _since_logged(stack.subscriber.receipts, log, stack.ingested, after),
            _since_logged(stack.receiver.receipts, log, stack.ingested, after),
            (cpu_after - cpu_before) * 1000 / max(1, len(log))
            if cpu_before is not None and cpu_after is not None
            else float("nan"),
        )


async def run_async(url: str, log_dir: Path, *, rounds: int, quick: bool) -> PipelineResult:
    backlog = 300 if quick else 1200
    seconds = {50.0: 6.0 if quick else 20.0, 200.0: 5.0 if quick else 10.0}
    lengths = {f"seconds@{r:g}/s": s for r, s in seconds.items()}
    result = PipelineResult(rounds=rounds, settings={"backlog": backlog, **lengths})
    for n in range(rounds):
        # Interleaved: every round measures every configuration once.
        one = await run_throughput(url, log_dir, 1, backlog, f"t1r{n}", result)
        two = await run_throughput(url, log_dir, 2, backlog, f"t2r{n}", result)
        result.throughput.setdefault(1, []).append(one)
        result.throughput.setdefault(2, []).append(two)
        result.scaling.append(two.rate / one.rate)
        for rate, secs in seconds.items():
            lat = await run_latency(url, log_dir, 2, rate, secs, f"l{rate:g}r{n}", result)
            result.latency.setdefault(rate, []).append(lat)
    return result


def run(url: str, log_dir: Path, *, rounds: int = 3, quick: bool = False) -> PipelineResult:
    return asyncio.run(run_async(url, log_dir, rounds=rounds, quick=quick))


def latency_row(label: str, runs: list[Latency], pick: str) -> list[str]:
    """Medians over rounds of each round's percentiles."""

    def per_round(q: float) -> list[float]:
        return [percentile(getattr(r, pick), q) for r in runs]

    return [
        label,
        f"{median([r.offered for r in runs]):.0f} (achieved {median([r.achieved for r in runs]):.0f})",
        f"{median(per_round(50)):.1f}",
        f"{median(per_round(95)):.1f}",
        f"**{median(per_round(99)):.1f}** ({spread(per_round(99))})",
        f"{sum(len(getattr(r, pick)) for r in runs)}",
    ]
