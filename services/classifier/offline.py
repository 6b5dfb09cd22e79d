"""`strikewatch classify`: JSONL articles in, one Classification (or ClassifyError) JSON line out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from schemas.models import Article, Classification, ClassifyError
from services.common.articles import article_from_record, parse_json
from services.common.outcome import Rejected

from .engine import Classifier


def _parse(line: str, number: int) -> Article | ClassifyError:
    """Line `number` (1-based) as an Article, or the error line that stands in its place."""
    if not line.strip():
        return ClassifyError(id=None, error=f"line {number}: blank line (no article)")
    record: Any = None
    try:
        # The decoder the services share: strict JSON, nesting bounded (a "[" x 100,000 line is an
        # error line, not a RecursionError that would end the run).
        record = parse_json(line)
    except ValueError as exc:
        return ClassifyError(id=None, error=f"line {number}: {exc}")
    rid = record.get("id") if isinstance(record, dict) else None
    try:
        return article_from_record(record)
    except ValueError as exc:
        # Only an id given as a string is echoed: 42 or [1, 2] is no id (the error says so), and
        # its line number already ties this line to the input.
        return ClassifyError(id=rid if isinstance(rid, str) else None, error=f"line {number}: {exc}")


def _classify_each_alone_on_error(
    classifier: Classifier, articles: list[Article]
) -> list[Classification | Rejected]:
    """The batch's results; when the batch raises, each article again alone, so the one that raises
    becomes a Rejected with the exception (as the classifier service dead-letters it: stage shell
    `_failed`) and the others beside it are classified."""
    try:
        return classifier.classify(articles)
    except Exception:
        out: list[Classification | Rejected] = []
        for article in articles:
            try:
                out.extend(classifier.classify([article]))
            except Exception as exc:
                out.append(Rejected(f"classifier exception: {type(exc).__name__}: {exc}"))
        return out


def classify_jsonl(lines: Iterable[str], classifier: Classifier, batch_size: int = 64) -> Iterator[str]:
    """Yield exactly one JSON line per input line, in order, so output line N answers input line N
    (`paste`, `jq -s` and line counts line up). A line that is blank, not JSON, not an article, or
    an article the classifier refuses becomes a ClassifyError line (`{"id": ..., "error": "line N:
    reason"}`, N 1-based, `id` null when the line gave none) and the run goes on."""
    batch: list[tuple[int, Article | ClassifyError]] = []

    def flush() -> Iterator[str]:
        articles = [x for _, x in batch if isinstance(x, Article)]
        results = iter(_classify_each_alone_on_error(classifier, articles))
        for number, item in batch:
            if isinstance(item, Article):
                result = next(results)
                if isinstance(result, Rejected):
                    yield ClassifyError(id=item.id, error=f"line {number}: {result.reason}").model_dump_json()
                else:
                    yield result.model_dump_json()
            else:
                yield item.model_dump_json()
        batch.clear()

    for number, line in enumerate(lines, start=1):
        batch.append((number, _parse(line, number)))
        if len(batch) >= batch_size:
            yield from flush()
    yield from flush()
