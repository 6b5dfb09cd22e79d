"""`strikewatch sources check`: validates the sources file and fetches each source once, under the
same address policy, robots.txt and limits as the producer, and prints what it found. Needs no
Redis; publishes nothing and remembers nothing.

The verdicts are pure (`judge`, `render`); `gather` is the only part that touches the network."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from services.cli.context import globals_of
from services.cli.errors import CliError, ExitCode
from services.common.settings import Settings

app = typer.Typer(
    help="Live news sources (STRIKEWATCH_SOURCES_FILE): check them before the producer polls them.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@dataclass(frozen=True, slots=True)
class Row:
    """One source's line of the report."""

    source: str
    status: str  # ok, not_modified, error, refused, not_a_feed
    items: int
    newest_age_s: float | None  # now minus the newest item's publication time
    sample_chars: int | None  # characters of the newest item's article text
    sample_from: str | None  # page or summary
    detail: str  # why a failure, or what to know (a malformed feed, a page that yielded nothing)

    @property
    def failed(self) -> bool:
        return self.status not in ("ok", "not_modified")


def judge(
    source: str,
    *,
    outcome: str,
    reason: str | None,
    items: int,
    malformed: str | None,
    newest: datetime | None,
    sample: tuple[int, str] | None,
    page_problem: str | None,
    now: datetime,
) -> Row:
    """The row for what one fetch found. A feed that cannot be fetched, is refused, or holds no
    feed at all fails; a malformed feed whose items were read, or a page that yielded no text (the
    summary then serves), is reported and passes."""
    if outcome != "ok":
        return Row(source, outcome, 0, None, None, None, reason or outcome)
    if malformed and items == 0:
        return Row(source, "not_a_feed", 0, None, None, None, malformed)
    notes = []
    if malformed:
        notes.append(f"malformed ({malformed}); its {items} good item(s) are read")
    if page_problem:
        notes.append(page_problem)
    if items == 0:
        notes.append("the feed lists no items")
    age = max(0.0, (now - newest).total_seconds()) if newest is not None else None
    return Row(
        source,
        "ok",
        items,
        age,
        sample[0] if sample else None,
        sample[1] if sample else None,
        "; ".join(notes),
    )


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f}{unit}"
    return f"{seconds:.0f}s"


def render(rows: Sequence[Row], *, header: str) -> str:
    """A fixed-width table: source, status, items, newest item age, sample length, detail."""
    titles = ("SOURCE", "STATUS", "ITEMS", "NEWEST", "SAMPLE", "DETAIL")
    table = [
        (
            r.source,
            r.status,
            str(r.items),
            _age(r.newest_age_s),
            f"{r.sample_chars} ({r.sample_from})" if r.sample_chars is not None else "-",
            r.detail,
        )
        for r in rows
    ]
    widths = [max(len(t), *(len(line[i]) for line in table)) for i, t in enumerate(titles[:-1])]
    lines = [header]
    for cells in (titles, *table):
        lines.append(
            "  ".join(c.ljust(w) for c, w in zip(cells[:-1], widths, strict=True)) + "  " + cells[-1]
        )
    failed = sum(r.failed for r in rows)
    lines.append(f"{len(rows)} source(s), {failed} failed")
    return "\n".join(line.rstrip() for line in lines)


async def gather(settings: Settings, path: Path) -> list[Row]:
    """Fetch every source of `path` once (at the same time: one request per host at a time)."""
    from services.producer.sources.config import Source, load_sources
    from services.producer.sources.fetch import Fetcher
    from services.producer.sources.reader import SourceReader
    from services.producer.sources.to_article import choose_text

    sources = load_sources(path)
    reader = SourceReader(settings, Fetcher(settings))

    async def one(source: Source) -> Row:
        read = await reader.read_feed(source, etag=None, last_modified=None)
        items = read.parsed.items if read.parsed else ()
        dated = [i.published for i in items if i.published is not None]
        newest = max(dated, default=None)
        sample: tuple[int, str] | None = None
        problem = None
        if items:
            latest = max(items, key=lambda i: i.published or datetime.min.replace(tzinfo=UTC))
            page = await reader.page_text(source, latest.link) if source.full_text and latest.link else None
            text, origin = choose_text(latest, page)
            sample = (len(text), origin)
            if source.full_text and origin != "page":
                problem = "the newest item's page gave no article text: its feed summary would be used"
        return judge(
            source.id,
            outcome=read.fetched.outcome,
            reason=read.fetched.reason,
            items=len(items),
            malformed=read.parsed.malformed if read.parsed else None,
            newest=newest,
            sample=sample,
            page_problem=problem,
            now=datetime.now(UTC),
        )

    try:
        return list(await asyncio.gather(*(one(s) for s in sources)))
    finally:
        await reader.aclose()


def check(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            envvar="STRIKEWATCH_SOURCES_FILE",
            metavar="FILE",
            help="The sources file to check [default: STRIKEWATCH_SOURCES_FILE].",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The report as one JSON object on stdout.")] = False,
) -> int:
    """Validate the sources file and fetch each source once (address policy, robots.txt and limits
    as the producer applies them; for full-text sources also the newest item's page). Prints
    status, items, the newest item's age and the article text length per source; exit 1 when a
    source fails, 3 when the file is invalid."""
    from services.producer.sources.config import SourcesFileError

    settings = globals_of(ctx).settings()
    path = file or settings.sources_file
    if path is None:
        raise CliError("no sources file: set STRIKEWATCH_SOURCES_FILE or pass --file", ExitCode.CONFIG)
    try:
        rows = asyncio.run(gather(settings, path))
    except SourcesFileError as exc:
        raise CliError(str(exc), ExitCode.CONFIG) from None
    if as_json:
        document = {"file": str(path), "sources": [{**asdict(r), "failed": r.failed} for r in rows]}
        sys.stdout.write(json.dumps(document) + "\n")
    else:
        print(render(rows, header=f"strikewatch sources check: {path}"))
    return int(ExitCode.FAILED if any(r.failed for r in rows) else ExitCode.OK)


app.command()(check)
