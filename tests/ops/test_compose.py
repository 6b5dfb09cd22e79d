"""docker-compose.yml validates with docker-compose and wires what the issue asks for."""

from __future__ import annotations

from typing import Any

import yaml

from services.common.settings import DEFAULT_HTTP_PORTS
from tests.ops.support import COMPOSE_FILE, PROMETHEUS_CONFIG, ROOT, SERVICES, require_binary, run_tool


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return data


def test_docker_compose_validates_the_file() -> None:
    """`docker-compose config` (Debian's docker-compose, which checks the Compose Specification schema)
    accepts the file; no Docker engine is needed for that."""
    docker_compose = require_binary("docker-compose")
    out = run_tool([docker_compose, "--project-directory", str(ROOT), "-f", str(COMPOSE_FILE), "config"])
    resolved = yaml.safe_load(out.stdout)
    assert set(resolved["services"]) >= {"redis", *SERVICES, "prometheus", "grafana"}


def test_services_share_one_image_and_reach_redis() -> None:
    """Every strikewatch service builds deploy/Dockerfile, runs `strikewatch run <name>` and talks to the
    compose Redis on the port Prometheus scrapes."""
    services = _compose()["services"]
    images = set()
    for name in SERVICES:
        service = services[name]
        images.add(service["image"])
        assert service["build"]["dockerfile"] == "deploy/Dockerfile"
        assert service["command"] == ["strikewatch", "run", name]
        env = service["environment"]
        assert env["STRIKEWATCH_REDIS_URL"] == "redis://redis:6379/0"
        assert int(env["STRIKEWATCH_HTTP_PORT"]) == DEFAULT_HTTP_PORTS[name]
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
    assert len(images) == 1


def test_redis_persists_and_classifier_runs_two_replicas() -> None:
    services = _compose()["services"]
    redis = services["redis"]
    assert redis["image"].startswith("redis:7")
    assert "--appendonly" in redis["command"]
    assert redis["command"][redis["command"].index("--appendonly") + 1] == "yes"
    assert any(v.endswith(":/data") for v in redis["volumes"])
    assert services["classifier"]["deploy"]["replicas"] == 2
    # Replicas cannot share a published host port.
    assert "ports" not in services["classifier"]


def test_prometheus_mounts_the_projects_config_and_rules() -> None:
    """Prometheus runs deploy/prometheus/prometheus.yml with its rules, and the scrape targets are the
    compose services."""
    prometheus = _compose()["services"]["prometheus"]
    volumes = prometheus["volumes"]
    assert "./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in volumes
    assert "./deploy/prometheus/rules:/etc/prometheus/rules:ro" in volumes
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    hosts = set()
    for job in config["scrape_configs"]:
        hosts |= {t.rsplit(":", 1)[0] for sc in job.get("static_configs", []) for t in sc["targets"]}
        hosts |= {n for sd in job.get("dns_sd_configs", []) for n in sd["names"]}
    assert hosts - {"localhost"} == set(SERVICES)


def test_published_ports_are_loopback_only() -> None:
    """Nothing is exposed beyond the host until the operator decides to."""
    for name, service in _compose()["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), (name, port)
