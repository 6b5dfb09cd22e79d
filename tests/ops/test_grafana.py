"""The Grafana dashboard is valid JSON, its queries parse as PromQL and read only exported metrics,
and the provisioning files point Grafana at it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.ops.support import (
    COMPOSE_FILE,
    DASHBOARDS_DIR,
    GRAFANA_DIR,
    PROMETHEUS_SYNTHETIC,
    REPLICATED_SERIES,
    enclosing_aggregation,
    exported_metric_names,
    promql_metric_names,
    promtool_check_expressions,
    require_binary,
    substitute_grafana_variables,
)

DASHBOARDS = sorted(DASHBOARDS_DIR.glob("*.json"))
DATASOURCES = GRAFANA_DIR / "provisioning" / "datasources" / "prometheus.yml"
PROVIDERS = GRAFANA_DIR / "provisioning" / "dashboards" / "strikewatch.yml"


def _panels(panels: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for panel in panels:
        yield panel
        yield from _panels(panel.get("panels", []))


def _queries(dashboard: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (panel["title"], target["expr"])
        for panel in _panels(dashboard["panels"])
        for target in panel.get("targets", [])
        if "expr" in target
    ]


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def test_there_is_a_dashboard() -> None:
    assert DASHBOARDS, f"no dashboard JSON in {DASHBOARDS_DIR}"


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_dashboard_queries_read_only_exported_metrics(path: Path) -> None:
    """Every metric a panel queries is exported by the services (names built from the code) or added by
    Prometheus; a panel reading a misspelt metric would just stay empty."""
    queries = _queries(_load(path))
    assert queries
    known = exported_metric_names() | PROMETHEUS_SYNTHETIC
    for title, expr in queries:
        names = promql_metric_names(substitute_grafana_variables(expr))
        assert names, f"panel {title!r}: {expr!r} reads no metric"
        assert names <= known, f"panel {title!r} reads unknown metrics {names - known}"


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_values_every_replica_reports_are_aggregated_with_max(path: Path) -> None:
    """Lag, pending, articles ingested and webhook deliveries pending come from Redis: every replica
    exports the same number, so summing them over instances multiplies it."""
    for title, expr in _queries(_load(path)):
        for metric in REPLICATED_SERIES:
            for operator in enclosing_aggregation(expr, metric):
                assert operator == "max", f"panel {title!r} aggregates {metric} with {operator}: {expr}"


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_dashboard_queries_parse_as_promql(path: Path, tmp_path: Path) -> None:
    """Prometheus' own parser (promtool) accepts every query, Grafana's interval variables substituted."""
    promtool = require_binary("promtool")
    promtool_check_expressions(
        promtool, (substitute_grafana_variables(e) for _, e in _queries(_load(path))), tmp_path
    )


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_dashboard_shows_what_the_issue_asks_for(path: Path) -> None:
    """Ingest rate, alerts by severity, lag, webhook outcomes and latency, end-to-end latency."""
    queries = [e for _, e in _queries(_load(path))]
    read = set().union(*(promql_metric_names(substitute_grafana_variables(e)) for e in queries))
    for metric in (
        "strikewatch_articles_ingested_total",
        "strikewatch_alerts_published_total",
        "strikewatch_stream_lag",
        "strikewatch_webhook_deliveries_total",
        "strikewatch_webhook_delivery_seconds_bucket",
        "strikewatch_end_to_end_seconds_bucket",
    ):
        assert metric in read, metric
    assert any("strikewatch_alerts_published_total" in e and "by (severity)" in e for e in queries)
    assert any("strikewatch_webhook_deliveries_total" in e and "by (outcome)" in e for e in queries)


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_dashboard_uses_the_provisioned_data_source(path: Path) -> None:
    """Panels name the provisioned data source by uid, so the dashboard works with no manual step;
    panel ids are unique (Grafana rejects duplicates when saving)."""
    dashboard = _load(path)
    uid = yaml.safe_load(DATASOURCES.read_text())["datasources"][0]["uid"]
    panels = list(_panels(dashboard["panels"]))
    for panel in panels:
        if panel.get("type") == "row":
            continue
        assert panel["datasource"] == {"type": "prometheus", "uid": uid}, panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == uid, panel["title"]
    ids = [panel["id"] for panel in panels]
    assert len(ids) == len(set(ids))
    assert dashboard["uid"] and dashboard["title"]


def test_compose_mounts_the_provisioning_where_grafana_reads_it() -> None:
    """The dashboard provider's path is where compose mounts deploy/grafana/dashboards, and the data
    source URL is the compose Prometheus service."""
    compose = yaml.safe_load(COMPOSE_FILE.read_text())
    grafana = compose["services"]["grafana"]
    mounts = dict(
        v.rsplit(":", 1)[0].split(":", 1) if v.endswith(":ro") else v.split(":", 1)
        for v in grafana["volumes"]
    )
    provider = yaml.safe_load(PROVIDERS.read_text())["providers"][0]
    assert mounts["./deploy/grafana/dashboards"] == provider["options"]["path"]
    assert mounts["./deploy/grafana/provisioning"] == "/etc/grafana/provisioning"
    datasource = yaml.safe_load(DATASOURCES.read_text())["datasources"][0]
    assert datasource["url"] == "http://prometheus:9090"
    assert "prometheus" in compose["services"]
