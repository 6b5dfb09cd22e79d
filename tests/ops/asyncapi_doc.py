"""Generates docs/asyncapi.yaml from the code: the three services' FastStream apps in one broker (as
`strikewatch demo` runs them), so every subscriber they declare is documented, plus the streams and
channels the services write with the plain Redis client (FastStream does not see those writes) with
their pydantic message schemas.

    python -m tests.ops.asyncapi_doc            # rewrite docs/asyncapi.yaml
    python -m tests.ops.asyncapi_doc --check    # exit 1 when docs/asyncapi.yaml is out of date

tests/ops/test_asyncapi.py fails when the committed document drifts from what this produces.
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml
from faststream.redis import PubSub, RedisRouter, StreamSub

from schemas import Alert, Article, Classification, DeadLetter
from services.common.names import SINK_GROUPS, Names
from services.common.runtime import build_app
from services.common.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "asyncapi.yaml"
# The compose Redis, as a deterministic server entry (apps read the URL from settings on access).
DOC_REDIS_URL = "redis://redis:6379/0"
# Consumer names are `<hostname>-<pid>-<role>`; the document shows the pattern, not this machine's.
CONSUMER_PLACEHOLDER = "{hostname}-{pid}"


def written_outside_faststream(names: Names) -> RedisRouter:
    """Streams and channels the services write through the Redis client, declared as publishers only
    for the document: their payloads are plain JSON of these models (FastStream's own publish would
    wrap them in its binary envelope, which non-FastStream subscribers cannot read)."""
    router = RedisRouter()
    declared: list[tuple[Any, type, str, str]] = [
        (
            {"stream": names.articles},
            Article,
            "articles",
            "Articles to classify, written by `strikewatch replay` and the producer's POST /articles "
            "(field `__data__`: Article JSON). Read by the `classifier` consumer group.",
        ),
        (
            {"stream": names.classified},
            Classification,
            "classified",
            "One Classification per article id, written by the classifier. Read by the `alerter` group.",
        ),
        (
            {"stream": names.alert_log},
            Alert,
            "alert-log",
            "Durable, capped log of every alert version published (the alerter's outbox). Each output is a "
            f"sink with its own consumer group on it: {', '.join(f'`{g}`' for g in SINK_GROUPS)}. "
            "`strikewatch tail --since` and the alerter's GET /alerts/stream replay it.",
        ),
        (
            {"stream": names.deadletter},
            DeadLetter,
            "deadletter",
            "Inputs a stage gave up on, with the reason; inspect with XREVRANGE.",
        ),
        ({"channel": names.alerts}, Alert, "alerts", "Every alert (pub/sub, at-most-once; plain JSON)."),
        (
            {"channel": PubSub(f"{names.alerts}:severity:{{severity}}")},
            Alert,
            "alerts-by-severity",
            "Alerts of one severity: extreme, severe, moderate or minor.",
        ),
        (
            {"channel": PubSub(f"{names.alerts}:region:{{region}}")},
            Alert,
            "alerts-by-region",
            "Alerts touching one first-level region, by slug (e.g. kyiv-city, kharkiv-oblast).",
        ),
        (
            {"channel": PubSub(f"{names.alerts}:type:{{attack_type}}")},
            Alert,
            "alerts-by-type",
            "Alerts of one attack type (drone, missile, rocket, artillery, airstrike, glide_bomb, ...).",
        ),
    ]
    for destination, model, title, description in declared:
        router.publisher(**destination, schema=model, title=title, description=description)
    # The alerter's sinks read the alert log with plain redis-py loops (services/alerter/sinks/loop.py),
    # one consumer group each; declared here so the document lists their groups.
    for group in SINK_GROUPS:
        sink = router.subscriber(
            stream=StreamSub(names.alert_log, group=group, consumer=f"{CONSUMER_PLACEHOLDER}-sink-{group}"),
            title=f"sink-{group}",
            description=f"The {group} sink: delivers each alert version once, in consumer group `{group}`.",
        )
        sink(_documented_only)
    return router


async def _documented_only(alert: Alert) -> None:
    """Never runs: the generator only describes what the services read outside FastStream."""


def _normalise(node: Any, consumer_base: str) -> Any:
    if isinstance(node, dict):
        return {key: _normalise(value, consumer_base) for key, value in node.items()}
    if isinstance(node, list):
        return [_normalise(item, consumer_base) for item in node]
    if isinstance(node, str) and node.startswith(consumer_base):
        return CONSUMER_PLACEHOLDER + node[len(consumer_base) :]
    return node


def generate() -> dict[str, Any]:
    """The AsyncAPI document of producer, classifier and alerter together, as a plain dict."""
    from services.alerter.app import build_alerter
    from services.classifier.app import build_classifier
    from services.producer.app import build_producer

    settings = load_settings(redis_url=DOC_REDIS_URL, prefix="strikewatch", webhooks_file=None)
    app, runtime = build_app(
        settings,
        [build_producer, build_classifier, build_alerter],
        title="strikewatch",
        http_port=0,
    )
    assert app.broker is not None
    app.broker.include_router(written_outside_faststream(settings.names))
    document = app.schema.to_specification().to_jsonable()
    document["info"]["version"] = version("strikewatch")
    document["info"]["description"] = (
        "The Redis streams and pub/sub channels of strikewatch ({p} = STRIKEWATCH_PREFIX, here the "
        "default). In words, with the guarantees: docs/contract.md (names in section 6, payloads in "
        "sections 3, 4 and 6, dead letters in section 6)."
    )
    # FastStream lists channels in registration-set order, which varies between runs; sort them so the
    # document only changes when the code does.
    for section in (document, document.get("components", {})):
        for key in ("channels", "operations", "messages", "schemas"):
            if key in section:
                section[key] = dict(sorted(section[key].items()))
    normalised: dict[str, Any] = _normalise(document, runtime.consumer_base)
    return normalised


def render(document: dict[str, Any]) -> str:
    header = "# Generated by `python -m tests.ops.asyncapi_doc` from the services' code; do not edit.\n"
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="fail when the document is out of date")
    parser.add_argument("--out", type=Path, default=DOC)
    args = parser.parse_args(argv)
    text = render(generate())
    if args.check:
        current = args.out.read_text() if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run `python -m tests.ops.asyncapi_doc`", file=sys.stderr)
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
