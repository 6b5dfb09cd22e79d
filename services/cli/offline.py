"""`strikewatch classify`: the classifier without Redis, JSONL in, one JSON line out per input line."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from services.cli.context import globals_of
from services.cli.errors import ExitCode


def classify(
    ctx: typer.Context,
    source: Annotated[
        typer.FileText,
        typer.Argument(
            help="JSONL file of articles (one JSON object per line), or - for standard input.",
            encoding="utf-8",
            errors="replace",
            lazy=False,
        ),
    ] = "-",  # type: ignore[assignment]
) -> int:
    """Classify JSONL articles offline (no Redis). Writes exactly one JSON line per input line, in
    the same order, to stdout: output line N answers input line N. A Classification, or, for a
    blank line, a line that is not JSON or not an article, or an article the classifier refuses,
    {"id": ..., "error": "line N: reason"}; the run goes on. A Classification with "truncated":
    true was read only up to "read_chars" characters."""
    globals_of(ctx).settings()  # logging configured; no Redis needed
    from services.classifier.engine import Classifier
    from services.classifier.offline import classify_jsonl

    classifier = Classifier()
    for line in classify_jsonl(source, classifier):
        sys.stdout.write(line + "\n")
    sys.stdout.flush()
    return int(ExitCode.OK)
