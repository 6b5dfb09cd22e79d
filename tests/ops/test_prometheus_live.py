"""End to end for operations: the three services run as processes against the test Redis, a real
Prometheus scrapes them with the project's own config (targets rewritten to 127.0.0.1), the seeds are
replayed, and Prometheus' HTTP API shows every target up and the domain counters risen."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from services.common.embedded import EmbeddedRedis, free_port
from tests.ops.support import (
    PROMETHEUS_CONFIG,
    ROOT,
    RULES_DIR,
    SERVICES,
    healthcheck_command,
    require_binary,
)

pytestmark = pytest.mark.slow

STARTUP_DEADLINE_S = 120.0  # the classifier builds its spaCy pipeline before it serves
RESULT_DEADLINE_S = 90.0
POLL_S = 0.25


@dataclass
class Stack:
    prometheus_url: str
    service_ports: dict[str, int]
    env: dict[str, str]
    logs: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def log_tail(self) -> str:
        parts = []
        for path in sorted(self.logs.glob("*.log")):
            parts.append(f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}")
        return "\n".join(parts)


def strikewatch_command() -> list[str]:
    """The console script next to this interpreter (`pip install -e .`), else the same entry point."""
    script = Path(sys.executable).with_name("strikewatch")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from services.cli import main; sys.exit(main())"]


def local_prometheus_config(ports: dict[str, int], prometheus_port: int) -> dict[str, Any]:
    """deploy/prometheus/prometheus.yml with each job's targets pointed at the local processes, a 1 s
    scrape interval and the rule files by absolute path; everything else (job names, labels, relabelling)
    stays as shipped, so the test exercises the operator's config rather than a copy."""
    config: dict[str, Any] = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    config["global"].update(scrape_interval="1s", evaluation_interval="1s")
    config["rule_files"] = [str(RULES_DIR / "*.yml")]
    local = {f"strikewatch-{name}": port for name, port in ports.items()} | {"prometheus": prometheus_port}
    for job in config["scrape_configs"]:
        name = job["job_name"]
        assert name in local, f"scrape job {name} has no local process in this test"
        labels = {k: v for sc in job.get("static_configs", []) for k, v in sc.get("labels", {}).items()}
        job.pop("dns_sd_configs", None)
        job["static_configs"] = [{"targets": [f"127.0.0.1:{local[name]}"], "labels": labels}]
    return config


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (graceful), then SIGKILL; only processes this test started, by their pid."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_for(what: str, check: Callable[[], bool], deadline_s: float, stack: Stack) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        for name, process in stack.processes.items():
            if process.poll() is not None:
                pytest.fail(
                    f"{name} exited with {process.returncode} while waiting for {what}\n{stack.log_tail()}"
                )
        try:
            if check():
                return
        except httpx.HTTPError:
            pass
        time.sleep(POLL_S)
    pytest.fail(f"timed out after {deadline_s:.0f}s waiting for {what}\n{stack.log_tail()}")


def query(stack: Stack, promql: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{stack.prometheus_url}/api/v1/query", params={"query": promql}, timeout=5)
    response.raise_for_status()
    body = response.json()
    assert body["status"] == "success", body
    result: list[dict[str, Any]] = body["data"]["result"]
    return result


def scalar(stack: Stack, promql: str) -> float:
    """The value of a single-series query, 0 when there is no series yet."""
    result = query(stack, promql)
    return float(result[0]["value"][1]) if result else 0.0


@pytest.fixture(scope="module")
def stack(redis_server: EmbeddedRedis, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    prometheus = require_binary("prometheus")
    workdir = tmp_path_factory.mktemp("ops-live")
    ports = {name: free_port() for name in SERVICES}
    prometheus_port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIKEWATCH_")}
    env |= {
        "STRIKEWATCH_REDIS_URL": redis_server.url,
        "STRIKEWATCH_PREFIX": f"ops{uuid.uuid4().hex[:10]}",
        "STRIKEWATCH_HTTP_HOST": "127.0.0.1",
        "STRIKEWATCH_POLL_MS": "20",
    }
    stack = Stack(f"http://127.0.0.1:{prometheus_port}", ports, env, workdir)
    config_path = workdir / "prometheus.yml"
    config_path.write_text(yaml.safe_dump(local_prometheus_config(ports, prometheus_port), sort_keys=False))
    try:
        for name, port in ports.items():
            with (workdir / f"{name}.log").open("wb") as log:
                stack.processes[name] = subprocess.Popen(
                    [*strikewatch_command(), "run", name],
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=env | {"STRIKEWATCH_HTTP_PORT": str(port)},
                )
        with (workdir / "prometheus.log").open("wb") as log:
            stack.processes["prometheus"] = subprocess.Popen(
                [
                    prometheus,
                    f"--config.file={config_path}",
                    f"--storage.tsdb.path={workdir / 'tsdb'}",
                    f"--web.listen-address=127.0.0.1:{prometheus_port}",
                    "--log.level=warn",
                ],
                cwd=workdir,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        yield stack
    finally:
        for process in stack.processes.values():
            stop(process)


@pytest.fixture(scope="module")
def ready_stack(stack: Stack) -> Stack:
    """Every service answers /readyz and Prometheus has scraped every target successfully."""
    for name, port in stack.service_ports.items():

        def ready(port: int = port) -> bool:
            return httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200

        wait_for(f"{name} /readyz", ready, STARTUP_DEADLINE_S, stack)

    def all_up() -> bool:
        up = query(stack, "up")
        return len(up) == len(stack.service_ports) + 1 and all(s["value"][1] == "1" for s in up)

    wait_for("every target up == 1 in Prometheus", all_up, RESULT_DEADLINE_S, stack)
    return stack


def test_every_target_is_up(ready_stack: Stack) -> None:
    """Prometheus, using the shipped job names, sees each service and itself as up."""
    up = {s["metric"]["job"]: s["value"][1] for s in query(ready_stack, "up")}
    assert up == {
        "strikewatch-producer": "1",
        "strikewatch-classifier": "1",
        "strikewatch-alerter": "1",
        "prometheus": "1",
    }


def test_health_endpoints(ready_stack: Stack) -> None:
    """/healthz answers 200 while the process lives; /metrics serves the Prometheus text format."""
    for port in ready_stack.service_ports.values():
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
        metrics = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
        assert metrics.status_code == 200
        assert metrics.headers["content-type"].startswith("text/plain")
        assert "strikewatch_stream_lag" in metrics.text


def test_the_image_health_check_passes_on_a_live_service(ready_stack: Stack) -> None:
    """The Dockerfile's HEALTHCHECK command, run as is, succeeds against a running service and fails
    against a port where nothing answers."""
    command = healthcheck_command()
    assert command[0] == "python"
    run = [sys.executable, *command[1:]]
    for port in ready_stack.service_ports.values():
        ok = subprocess.run(
            run,
            env=ready_stack.env | {"STRIKEWATCH_HTTP_PORT": str(port)},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert ok.returncode == 0, ok.stderr
    dead = subprocess.run(
        run,
        env=ready_stack.env | {"STRIKEWATCH_HTTP_PORT": str(free_port())},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert dead.returncode != 0


def test_domain_counters_increase_after_a_replay(ready_stack: Stack) -> None:
    """After `strikewatch replay seeds/`, Prometheus sees articles ingested, classifications and
    alerts published rise, and FastStream's broker metrics count the handled messages."""
    stack = ready_stack
    counters = {
        "articles": "max(strikewatch_articles_ingested_total)",
        "classifications": 'sum(strikewatch_classifications_total{job="strikewatch-classifier"})',
        "alerts": 'sum(strikewatch_alerts_published_total{job="strikewatch-alerter"})',
        "broker": 'sum(faststream_received_processed_messages_total{job="strikewatch-classifier"})',
    }
    # The baseline must come from a scrape: the ingest counter exists (at 0) before any article.
    wait_for(
        "a baseline scrape of the ingest counter",
        lambda: bool(query(stack, counters["articles"])),
        RESULT_DEADLINE_S,
        stack,
    )
    before = {name: scalar(stack, promql) for name, promql in counters.items()}
    seeds = sorted((ROOT / "seeds").glob("*.txt"))

    replay = subprocess.run(
        [*strikewatch_command(), "replay", str(ROOT / "seeds")],
        cwd=ROOT,
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert replay.returncode == 0, replay.stdout + replay.stderr

    def risen() -> bool:
        now = {name: scalar(stack, promql) for name, promql in counters.items()}
        return (
            now["articles"] >= before["articles"] + len(seeds)
            and now["classifications"] >= before["classifications"] + len(seeds)
            and all(now[name] > before[name] for name in ("alerts", "broker"))
        )

    wait_for("the domain counters to rise in Prometheus", risen, RESULT_DEADLINE_S, stack)
    # Rates work on the scraped series too (what dashboards and alerts use).
    assert scalar(stack, "max(increase(strikewatch_articles_ingested_total[5m]))") > 0


def test_alert_rules_evaluate_without_errors(ready_stack: Stack) -> None:
    """Prometheus loaded the shipped rule files and evaluates every rule on live data without errors."""

    def evaluated() -> bool:
        response = httpx.get(f"{ready_stack.prometheus_url}/api/v1/rules", timeout=5)
        groups = response.json()["data"]["groups"]
        rules = [rule for group in groups for rule in group["rules"]]
        return bool(rules) and all(rule.get("lastEvaluation", "").startswith("20") for rule in rules)

    wait_for("every rule evaluated once", evaluated, RESULT_DEADLINE_S, ready_stack)
    groups = httpx.get(f"{ready_stack.prometheus_url}/api/v1/rules", timeout=5).json()["data"]["groups"]
    assert {g["name"] for g in groups} >= {"strikewatch-availability", "strikewatch-pipeline"}
    bad = [(r["name"], r.get("lastError")) for g in groups for r in g["rules"] if r["health"] != "ok"]
    assert not bad
