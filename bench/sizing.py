"""Sizing figures for docs/operations.md: `python -m bench.sizing [--articles N]`.

Runs the real services as processes (one classifier, one alerter) against a throwaway embedded
server, publishes N seed-sized articles (~550 words each) at once, waits until both consumer groups
have drained, and reports

- articles per CPU-second of the classifier process (= articles/s one replica sustains on one core),
  and its wall-clock rate on this machine;
- Redis memory per 100,000 articles: `used_memory` after minus before, scaled from N, with the share
  of each key family (`MEMORY USAGE`), at the default stream caps (nothing trimmed below N).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.common import Deadline, machine
from bench.pipeline import real_reports
from bench.stack import Stack
from services.common.embedded import EmbeddedRedis
from services.common.streams import groups_drained

PUBLISH_CHUNK = 500
DRAIN_TIMEOUT_S = 1800.0


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads), from /proc/<pid>/stat."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


async def key_families(stack: Stack) -> dict[str, int]:
    """Bytes per key family (`{p}:done:classified:*` -> `done:classified`), by MEMORY USAGE."""
    sizes: dict[str, int] = defaultdict(int)
    prefix = stack.names.prefix + ":"
    async for key in stack.redis.scan_iter(match=prefix + "*", count=1000):
        name = key.decode()[len(prefix) :]
        parts = name.split(":")
        family = ":".join(parts[:2]) if parts[0] in ("done", "incident-idx", "webhooks") else parts[0]
        sizes[family] += int(await stack.redis.memory_usage(key, samples=0) or 0)
    return dict(sizes)


async def measure(url: str, count: int, log_dir: Path) -> dict[str, Any]:
    articles = real_reports(count, "sizing")
    text_bytes = sum(len(a.text.encode()) for a in articles) / count
    async with Stack(url, "sizing", log_dir, classifiers=1) as stack:
        classifier = next(p for p in stack.processes if p.service == "classifier")
        assert classifier.process is not None
        before = int((await stack.redis.info("memory"))["used_memory"])
        cpu_before = cpu_seconds(classifier.process.pid)
        started = time.monotonic()
        for start in range(0, count, PUBLISH_CHUNK):
            await stack.publish(articles[start : start + PUBLISH_CHUNK])
        deadline = Deadline(DRAIN_TIMEOUT_S)
        while not await groups_drained(stack.redis, stack.names):
            if deadline.passed():
                raise TimeoutError("the pipeline did not drain")
            await asyncio.sleep(0.2)
        wall = time.monotonic() - started
        cpu = cpu_seconds(classifier.process.pid) - cpu_before
        after = int((await stack.redis.info("memory"))["used_memory"])
        families = await key_families(stack)
    per_100k = (after - before) * 100_000 / count
    return {
        "articles": count,
        "article_text_bytes_mean": round(text_bytes),
        "classifier_cpu_s": round(cpu, 1),
        "classifier_articles_per_cpu_s": round(count / cpu, 1),
        "pipeline_wall_s": round(wall, 1),
        "pipeline_articles_per_s_wall": round(count / wall, 1),
        "redis_used_memory_delta_bytes": after - before,
        "redis_mib_per_100k_articles": round(per_100k / 2**20, 1),
        "key_families_mib_per_100k": {
            k: round(v * 100_000 / count / 2**20, 1)
            for k, v in sorted(families.items(), key=lambda kv: -kv[1])
        },
        "machine": str(machine()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as logs, EmbeddedRedis() as server:
        result = asyncio.run(measure(server.url, args.articles, Path(logs)))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
