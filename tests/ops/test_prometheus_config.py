"""The Prometheus scrape config and alert rules pass promtool, and read only metrics the services export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from services.common.settings import DEFAULT_HTTP_PORTS
from tests.ops.support import (
    PROMETHEUS_CONFIG,
    PROMETHEUS_SYNTHETIC,
    REPLICATED_SERIES,
    RULE_TESTS_DIR,
    RULES_DIR,
    SERVICES,
    enclosing_aggregation,
    exported_metric_names,
    promql_metric_names,
    require_binary,
    run_tool,
)


def _rule_files() -> list[Path]:
    files = sorted(RULES_DIR.glob("*.yml"))
    assert files, f"no rule files in {RULES_DIR}"
    return files


def _rules() -> list[dict[str, Any]]:
    return [
        rule
        for path in _rule_files()
        for group in yaml.safe_load(path.read_text())["groups"]
        for rule in group["rules"]
    ]


def test_promtool_accepts_the_config() -> None:
    """`promtool check config` passes; it also loads the rule files the config names."""
    promtool = require_binary("promtool")
    out = run_tool([promtool, "check", "config", str(PROMETHEUS_CONFIG)])
    assert f"{len(_rule_files())} rule files found" in out.stdout + out.stderr


def test_promtool_accepts_the_rules() -> None:
    """`promtool check rules` passes on every rule file."""
    promtool = require_binary("promtool")
    run_tool([promtool, "check", "rules", *map(str, _rule_files())])


def test_alert_rules_fire_as_their_unit_tests_say() -> None:
    """`promtool test rules`: each alert fires on the synthetic series meant to trigger it, and not before."""
    promtool = require_binary("promtool")
    tests = sorted(RULE_TESTS_DIR.glob("*.yml"))
    assert tests
    run_tool([promtool, "test", "rules", *map(str, tests)], cwd=RULE_TESTS_DIR)


def test_every_alert_has_a_rule_unit_test() -> None:
    """An alert rule without a promtool unit test is untested PromQL."""
    tested = {
        case["alertname"]
        for path in RULE_TESTS_DIR.glob("*.yml")
        for test in yaml.safe_load(path.read_text())["tests"]
        for case in test.get("alert_rule_test", [])
    }
    alerts = {rule["alert"] for rule in _rules() if "alert" in rule}
    assert alerts - tested == set()


def test_rules_cover_what_an_operator_needs() -> None:
    """Service down, lag growing, dead letters, webhook failures and silence each have an alert,
    with a severity and a summary for the notification."""
    alerts = {rule["alert"]: rule for rule in _rules() if "alert" in rule}
    for needed in (
        "StrikewatchTargetDown",
        "StrikewatchServiceMissing",
        "StrikewatchConsumerLagGrowing",
        "StrikewatchDeadLetters",
        "StrikewatchWebhookFailureRatioHigh",
        "StrikewatchNoArticles",
    ):
        assert needed in alerts
    for name, rule in alerts.items():
        assert rule["labels"]["severity"] in {"critical", "warning"}, name
        assert rule["annotations"]["summary"], name


def test_rules_read_only_exported_metrics() -> None:
    """Every metric a rule reads is one the services export (from `create_metrics` and FastStream's
    middleware) or one Prometheus adds: a renamed metric breaks this test, not the 3 a.m. page."""
    known = exported_metric_names() | PROMETHEUS_SYNTHETIC
    for rule in _rules():
        unknown = promql_metric_names(rule["expr"]) - known
        assert not unknown, f"{rule.get('alert') or rule.get('record')} reads unknown metrics {unknown}"


def test_one_scrape_job_per_service_on_its_port() -> None:
    """Jobs are named strikewatch-<service> (the rules rely on it) and scrape the service's HTTP port."""
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    for service in SERVICES:
        job = jobs[f"strikewatch-{service}"]
        assert job.get("metrics_path", "/metrics") == "/metrics"
        ports = [int(t.rsplit(":", 1)[1]) for sc in job.get("static_configs", []) for t in sc["targets"]]
        ports += [int(sd["port"]) for sd in job.get("dns_sd_configs", [])]
        assert ports == [DEFAULT_HTTP_PORTS[service]], (service, ports)


def test_rules_aggregate_values_every_replica_reports_with_max() -> None:
    """As on the dashboard: a rule summing lag or pending over instances would fire on a multiple."""
    for rule in _rules():
        for metric in REPLICATED_SERIES:
            for operator in enclosing_aggregation(rule["expr"], metric):
                assert operator == "max", f"{rule.get('alert')} aggregates {metric} with {operator}"
