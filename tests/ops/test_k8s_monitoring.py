"""The Prometheus Operator manifests are generated from the plain Prometheus files (one source) and
agree with them: same rule groups, same job names, same interval."""

from __future__ import annotations

from typing import Any

import yaml

from tests.ops import k8s_monitoring
from tests.ops.support import PROMETHEUS_CONFIG, RULES_DIR


def _load_all(text: str) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(text) if d]


def test_committed_manifests_are_the_generated_ones() -> None:
    """Edit deploy/prometheus/, then `make k8s-monitoring`; a hand edit of the output fails here."""
    for path, text in k8s_monitoring.rendered().items():
        assert path.read_text() == text, f"{path} is stale: run `make k8s-monitoring`"


def test_prometheus_rules_hold_exactly_the_rule_files() -> None:
    rules = _load_all(k8s_monitoring.PROMETHEUS_RULE.read_text())
    files = sorted(RULES_DIR.glob("*.yml"))
    assert [r["metadata"]["name"] for r in rules] == [f.stem for f in files]
    for rule, path in zip(rules, files, strict=True):
        assert rule["spec"]["groups"] == yaml.safe_load(path.read_text())["groups"]


def test_service_monitor_scrapes_like_prometheus_yml() -> None:
    """The `job` label the rules select on (strikewatch-<service>) and the scrape interval they assume."""
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    (monitor,) = _load_all(k8s_monitoring.SERVICE_MONITOR.read_text())
    (endpoint,) = monitor["spec"]["endpoints"]
    assert endpoint["interval"] == config["global"]["scrape_interval"]
    assert endpoint["port"] == "http" and endpoint["path"] == "/metrics"
    services = monitor["spec"]["selector"]["matchExpressions"][0]["values"]
    jobs = {job["job_name"] for job in config["scrape_configs"]}
    assert {f"strikewatch-{s}" for s in services} == {j for j in jobs if j.startswith("strikewatch-")}
    job_relabel = next(r for r in endpoint["relabelings"] if r["targetLabel"] == "job")
    assert job_relabel["replacement"] == "strikewatch-$1"
