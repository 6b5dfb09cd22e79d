"""`strikewatch classify`: JSONL articles in, one Classification (or ClassifyError) JSON line out."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from schemas.models import Article, ClassifyError
from services.common.articles import article_from_record
from services.common.outcome import Rejected

from .engine import Classifier


def _parse(line: str) -> Article | ClassifyError:
    record: Any = None
    try:
        record = json.loads(line)
    except ValueError as exc:
        return ClassifyError(id=None, error=f"line is not JSON: {exc}")
    rid = record.get("id") if isinstance(record, dict) else None
    try:
        return article_from_record(record)
    except ValueError as exc:
        return ClassifyError(id=str(rid) if rid is not None else None, error=str(exc))


def classify_jsonl(lines: Iterable[str], classifier: Classifier, batch_size: int = 64) -> Iterator[str]:
    """Yield one JSON line per input line, in order; bad lines and refused articles become
    ClassifyError lines (`{"id": ..., "error": reason}`)."""
    batch: list[Article | ClassifyError] = []

    def flush() -> Iterator[str]:
        articles = [x for x in batch if isinstance(x, Article)]
        results = iter(classifier.classify(articles))
        for item in batch:
            if isinstance(item, Article):
                result = next(results)
                if isinstance(result, Rejected):
                    yield ClassifyError(id=item.id, error=result.reason).model_dump_json()
                else:
                    yield result.model_dump_json()
            else:
                yield item.model_dump_json()
        batch.clear()

    for line in lines:
        if not line.strip():
            continue
        batch.append(_parse(line))
        if len(batch) >= batch_size:
            yield from flush()
    yield from flush()
