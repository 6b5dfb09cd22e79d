"""Helpers the ops tests share: repository paths, the external tools they run, the metric names the
services export (from the code, not a list), and the metric names a PromQL expression reads."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from faststream.redis.prometheus import RedisPrometheusMiddleware
from prometheus_client import CollectorRegistry

from services.common.metrics import create_metrics

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PROMETHEUS_DIR = DEPLOY / "prometheus"
PROMETHEUS_CONFIG = PROMETHEUS_DIR / "prometheus.yml"
RULES_DIR = PROMETHEUS_DIR / "rules"
RULE_TESTS_DIR = PROMETHEUS_DIR / "tests"
GRAFANA_DIR = DEPLOY / "grafana"
DASHBOARDS_DIR = GRAFANA_DIR / "dashboards"
K8S_DIR = DEPLOY / "k8s"
DOCKERFILE = DEPLOY / "Dockerfile"
COMPOSE_FILE = ROOT / "docker-compose.yml"
ASYNCAPI_DOC = ROOT / "docs" / "asyncapi.yaml"

SERVICES = ("producer", "classifier", "alerter")

# Series Prometheus itself attaches to every target; dashboards and rules may read them.
PROMETHEUS_SYNTHETIC = frozenset(
    {
        "up",
        "scrape_duration_seconds",
        "scrape_samples_scraped",
        "scrape_samples_post_metric_relabeling",
        "scrape_series_added",
    }
)


def require_binary(name: str) -> str:
    """The path of an external tool. Missing on a laptop: a skip saying how to get it. Missing under CI
    (CI=true): a failure, so a dropped install step cannot turn these checks into silent skips."""
    found = shutil.which(name)
    if found is None:
        reason = f"`{name}` is not on PATH; install it with `apt-get install prometheus docker-compose`"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{reason} (CI must run these checks)")
        pytest.skip(reason)
    return found


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of deploy/Dockerfile, line continuations joined, comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            keyword, _, args = line.partition(" ")
            out.append((keyword.upper(), args.strip()))
    return out


def healthcheck_command() -> list[str]:
    """The exec-form command of the Dockerfile's HEALTHCHECK."""
    (args,) = [a for k, a in dockerfile_instructions() if k == "HEALTHCHECK"]
    command: list[str] = json.loads(args[args.index("CMD") + 3 :].strip())
    return command


def run_tool(
    args: Sequence[str], *, cwd: Path = ROOT, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run a tool and fail the test with its output when it exits non-zero."""
    result = subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def _sample_names(registry: CollectorRegistry) -> set[str]:
    names: set[str] = set()
    for family in registry.collect():
        match family.type:
            case "counter":
                names |= {f"{family.name}_total", f"{family.name}_created"}
            case "histogram":
                names |= {f"{family.name}_{s}" for s in ("bucket", "sum", "count", "created")}
            case "summary":
                names |= {family.name, f"{family.name}_sum", f"{family.name}_count", f"{family.name}_created"}
            case _:
                names.add(family.name)
    return names


def exported_metric_names() -> set[str]:
    """Every sample name a service's /metrics can show: the registry the services build
    (`create_metrics`) with FastStream's Redis middleware registered on it, as `build_app` does."""
    metrics = create_metrics()
    RedisPrometheusMiddleware(registry=metrics.registry, app_name="strikewatch-test")
    return _sample_names(metrics.registry)


# --- PromQL: which metric names does an expression read? ---------------------------------------

_STRING = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|`[^`]*`')
_BLOCK = re.compile(r"\{[^{}]*\}|\[[^\[\]]*\]")
_TOKEN = re.compile(
    r"(?P<number>(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)(?:ms|[smhdwy])*)"
    r"|(?P<ident>[A-Za-z_:][A-Za-z0-9_:]*)"
    r"|(?P<open>\()|(?P<close>\))|(?P<other>\S)"
)
# Followed by a parenthesised list of label names, not of expressions.
_LABEL_LIST_KEYWORDS = frozenset({"by", "without", "on", "ignoring", "group_left", "group_right"})
# Aggregation operators may be followed by `by (...)` rather than by their `(`.
_AGGREGATIONS = frozenset(
    {
        "sum",
        "min",
        "max",
        "avg",
        "group",
        "stddev",
        "stdvar",
        "count",
        "count_values",
        "bottomk",
        "topk",
        "quantile",
        "limitk",
        "limit_ratio",
    }
)
_KEYWORDS = (
    _LABEL_LIST_KEYWORDS | _AGGREGATIONS | {"and", "or", "unless", "bool", "offset", "inf", "nan", "atan2"}
)
_GRAFANA_VARIABLE = re.compile(r"\$\{?__\w+\}?")


def substitute_grafana_variables(expr: str) -> str:
    """Grafana's built-in interval variables replaced by a duration, so Prometheus can parse the query."""
    return _GRAFANA_VARIABLE.sub("5m", expr)


def promql_metric_names(expr: str) -> set[str]:
    """Metric names an expression selects. Strings, label matchers and ranges are blanked first; then
    an identifier is a metric name unless it is a keyword or aggregation, a function (followed by `(`)
    or a label in a `by (...)`-style list. Syntax is checked separately by promtool."""
    text = _STRING.sub('""', expr)
    while _BLOCK.search(text):
        text = _BLOCK.sub(" ", text)
    tokens = [(m.lastgroup or "", m.group()) for m in _TOKEN.finditer(text)]
    names: set[str] = set()
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        if kind == "ident" and value in _LABEL_LIST_KEYWORDS and nxt == "open":
            while i < len(tokens) and tokens[i][0] != "close":
                i += 1
        elif kind == "ident" and value not in _KEYWORDS and nxt != "open":
            names.add(value)
        i += 1
    return names


def promtool_check_expressions(promtool: str, exprs: Iterable[str], workdir: Path) -> None:
    """Parse expressions with Prometheus' own parser: wrap them as recording rules, `promtool check rules`."""
    import yaml

    rules = [{"record": f"check:expr_{n}", "expr": e} for n, e in enumerate(exprs)]
    path = workdir / "expressions.rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "expressions", "rules": rules}]}))
    run_tool([promtool, "check", "rules", str(path)])


# Gauges and counters whose value Redis holds: every replica of every service reports the same number,
# so a sum across instances multiplies it. Dashboards and rules aggregate them with max().
REPLICATED_SERIES = frozenset(
    {
        "strikewatch_articles_ingested_total",
        "strikewatch_stream_lag",
        "strikewatch_stream_pending",
        "strikewatch_webhook_pending",
    }
)
_IDENT_BEFORE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*$")


def _matching_open(text: str, close: int) -> int:
    depth = 0
    for i in range(close, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError(f"unbalanced parentheses in {text!r}")


def enclosing_aggregation(expr: str, metric: str) -> list[str | None]:
    """For each place `metric` is selected in `expr`: the nearest aggregation operator around it
    (`sum`, `max`, ...), or None when it is not aggregated. Functions in between (`rate`, `deriv`)
    are passed over; `by (...)`/`without (...)` clauses before the argument are understood."""
    text = _STRING.sub('""', expr)
    found: list[str | None] = []
    for match in re.finditer(rf"(?<![A-Za-z0-9_:]){re.escape(metric)}(?![A-Za-z0-9_:])", text):
        depth, i, operator = 0, match.start() - 1, None
        while i >= 0:
            char = text[i]
            if char == ")":
                depth += 1
            elif char == "(":
                if depth:
                    depth -= 1
                else:
                    head = text[:i].rstrip()
                    if head.endswith(")"):  # `max by (stream, group) (...)`
                        head = head[: _matching_open(head, len(head) - 1)].rstrip()
                        head = re.sub(r"\b(by|without)\s*$", "", head).rstrip()
                    ident = _IDENT_BEFORE.search(head)
                    if ident and ident.group(1) in _AGGREGATIONS:
                        operator = ident.group(1)
                        break
            i -= 1
        found.append(operator)
    return found
