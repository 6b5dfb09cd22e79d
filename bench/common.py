"""Shared helpers for the benchmarks: statistics, corpora, machine facts, process memory."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from schemas import Article
from services.producer.parse import ArticleError, article_from_text_file, articles_from_jsonl

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT / "seeds"
# Read at run time from beside the repository; never copied into it.
DEV_PATH = ROOT.parent / "shared" / "data" / "dev.jsonl"
DEV_UK_RU_PATH = DEV_PATH.parent / "dev_uk_ru.jsonl"
MAX_ARTICLE_BYTES = 1_000_000


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def spread(values: Sequence[float]) -> str:
    """min–max of the rounds, so a reader sees how noisy a median is."""
    if not values:
        return "n/a"
    return f"{min(values):.4g}–{max(values):.4g}"


def seed_articles() -> list[Article]:
    today = datetime.now(UTC).date()
    out: list[Article] = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        raw = path.read_bytes()
        out.append(article_from_text_file(raw, path.name, max_bytes=MAX_ARTICLE_BYTES, today=today))
    return out


def dev_articles() -> list[Article]:
    """The dev texts, or [] when the shared data directory is absent (the report says so)."""
    if not DEV_PATH.exists():
        return []
    items = articles_from_jsonl(DEV_PATH.read_bytes(), str(DEV_PATH), max_bytes=MAX_ARTICLE_BYTES)
    return [a for a in items if not isinstance(a, ArticleError)]


def dev_uk_ru_articles(language: str) -> list[Article]:
    """The labelled Ukrainian or Russian texts (`lang` field), or [] when the file is absent. Only the
    text travels: the classifier reads the language itself, as it does in the service."""
    if not DEV_UK_RU_PATH.exists():
        return []
    out: list[Article] = []
    for number, line in enumerate(DEV_UK_RU_PATH.read_text(encoding="utf-8").splitlines()):
        record = json.loads(line) if line.strip() else None
        if record and record.get("lang") == language:
            out.append(Article(id=f"{language}-{number}", text=record["text"]))
    return out


def word_count(articles: Sequence[Article]) -> int:
    return sum(len(a.text.split()) for a in articles)


@dataclass(frozen=True)
class Machine:
    cores: int
    cpu: str
    python: str
    load_before: tuple[float, float, float]

    def describe(self) -> str:
        load = ", ".join(f"{x:.2f}" for x in self.load_before)
        return f"{self.cores} cores ({self.cpu}), Python {self.python}, load average at start {load}"


def machine() -> Machine:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return Machine(os.cpu_count() or 1, cpu, platform.python_version(), os.getloadavg())


def vm_kb(pid: int, field: str) -> int | None:
    """A /proc/<pid>/status field in kB (VmHWM = peak RSS, VmRSS = current), None if gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (/proc/<pid>/stat), None if gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def mb(kb: int | None) -> str:
    return "n/a" if kb is None else f"{kb / 1024:.0f} MB"


class Deadline:
    """A bound every wait loop checks, so nothing in a benchmark can hang."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    def passed(self) -> bool:
        return self.left() <= 0


def dump_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")


@dataclass(frozen=True)
class Owned:
    """Which lines of BENCHMARKS.md one benchmark part wrote: its `## ` headings, as whole titles (a
    section runs to the next `## ` heading, its `###` sub-headings included), and its rows of the
    Targets table (by the start of the target cell, which carries measured parameters)."""

    headings: tuple[str, ...]
    targets: tuple[str, ...]

    def heading(self, line: str) -> bool:
        # Whole titles, not prefixes: another section whose title merely starts with ours (a
        # "… — cold start" variant, a part added later) is not ours to replace.
        return line.startswith("## ") and line[3:].rstrip() in self.headings

    def row(self, line: str) -> bool:
        return line.startswith("| ") and line[2:].startswith(self.targets)


TARGETS_HEADING = "## Targets"


def splice(text: str, owned: Owned, body: Sequence[str], rows: Sequence[str]) -> str:
    """`text` (a BENCHMARKS.md) with the part's sections replaced by `body` (lines, a `## ` heading
    first) where the first of them stood, or appended at the end; and its Targets rows replaced by
    `rows` (table lines) where the first of them stood, or added at the table's end. Every other
    line is kept as it was. Pure: text in, text out."""
    body = list(body)
    while body and body[-1] == "":
        body.pop()
    out: list[str] = []
    skipping = False
    body_at: int | None = None
    rows_at: int | None = None
    in_targets = False
    table_end: int | None = None
    for line in text.splitlines():
        if line.startswith("## "):
            skipping = owned.heading(line)
            if skipping and body_at is None:
                body_at = len(out)
            in_targets = line == TARGETS_HEADING
        if skipping:
            continue
        if in_targets and line.startswith("|"):
            if owned.row(line):
                if rows_at is None:
                    rows_at = len(out)
                continue
            out.append(line)
            table_end = len(out)
            continue
        out.append(line)
    # Insert from the end so the earlier index stays valid.
    inserts = [
        (rows_at if rows_at is not None else table_end, list(rows)),
        (body_at, [*body, ""] if body_at is not None else []),
    ]
    for at, lines in sorted((i for i in inserts if i[0] is not None), key=lambda i: -(i[0] or 0)):
        assert at is not None
        out[at:at] = lines
    if table_end is None and rows_at is None:
        out.extend(
            ["", TARGETS_HEADING, "", "| target | measured (median) | verdict |", "|---|---|---|", *rows]
        )
    if body_at is None:
        while out and out[-1] == "":
            out.pop()
        out.extend(["", *body])
    return "\n".join(out).rstrip("\n") + "\n"


def replace_section(text: str, heading: str, body: str) -> str:
    """`text` (a Markdown report) with the section whose heading line is exactly `heading` (up to the
    next `## ` heading) replaced by `body`, or `body` appended when there is none. A heading that
    only starts with `heading`, or mentions it mid-line, is another section. Pure: text in, text out."""
    lines = text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.rstrip() == heading)
    except StopIteration:
        return text.rstrip("\n") + "\n\n" + body.rstrip("\n") + "\n"
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    tail = ["", *lines[end:]] if end < len(lines) else []
    return "\n".join([*lines[:start], *body.rstrip("\n").splitlines(), *tail]).rstrip("\n") + "\n"
