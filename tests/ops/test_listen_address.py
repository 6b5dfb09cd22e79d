"""Where the HTTP endpoints listen: loopback by default (a laptop demo offers nothing to the network),
every interface in the containers, which say so explicitly."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from services.common.settings import Settings
from tests.ops.support import COMPOSE_FILE, DOCKERFILE, K8S_DIR, ROOT, SERVICES

STRIKEWATCH = ROOT / ".venv" / "bin" / "strikewatch"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _listening_hosts(port: int) -> set[str]:
    """The local addresses of every IPv4/IPv6 socket listening on `port` (Linux /proc/net/tcp*)."""
    hosts = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:
                raw = bytes.fromhex(address)
                # The kernel prints each 32-bit word in host (little-endian) order.
                ordered = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
                family = socket.AF_INET if len(raw) == 4 else socket.AF_INET6
                hosts.add(socket.inet_ntop(family, ordered))
    return hosts


def test_the_default_is_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset, STRIKEWATCH_HTTP_HOST is 127.0.0.1."""
    monkeypatch.delenv("STRIKEWATCH_HTTP_HOST", raising=False)
    assert Settings().http_host == "127.0.0.1"


def test_a_service_started_without_a_host_listens_on_loopback_only(settings: Settings) -> None:
    """`strikewatch run producer` with no STRIKEWATCH_HTTP_HOST answers /healthz on 127.0.0.1, and
    its only listening socket on the port is bound to 127.0.0.1 (not 0.0.0.0 or ::)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIKEWATCH_")}
    env |= {
        "STRIKEWATCH_REDIS_URL": settings.require_redis_url(),
        "STRIKEWATCH_PREFIX": settings.prefix,
        "STRIKEWATCH_HTTP_PORT": str(port),
        "STRIKEWATCH_LOG_FORMAT": "json",
    }
    process = subprocess.Popen(
        [str(STRIKEWATCH), "run", "producer"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in process.stderr or []], daemon=True).start()
    seen: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, seen
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                    assert reply.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, seen
                # Ask again after the service's next log line (start-up progress), or half a second.
                with contextlib.suppress(queue.Empty):
                    seen.append(lines.get(timeout=0.5))
        assert _listening_hosts(port) == {"127.0.0.1"}
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()  # by its pid, only if SIGTERM did not stop it
            process.wait(timeout=10)


def test_compose_services_listen_on_every_interface() -> None:
    """docker-compose.yml sets STRIKEWATCH_HTTP_HOST=0.0.0.0 for every strikewatch service: the
    published ports and Prometheus reach them from outside the container."""
    services = yaml.safe_load(COMPOSE_FILE.read_text())["services"]
    for name in SERVICES:
        assert services[name]["environment"]["STRIKEWATCH_HTTP_HOST"] == "0.0.0.0", name


def test_kubernetes_deployments_listen_on_every_interface() -> None:
    """Each Deployment's container sets STRIKEWATCH_HTTP_HOST=0.0.0.0 (probes and Prometheus reach
    the pod's address)."""
    seen = set()
    for path in sorted(K8S_DIR.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and doc.get("kind") == "Deployment":
                (container,) = doc["spec"]["template"]["spec"]["containers"]
                env = {e["name"]: e.get("value") for e in container["env"]}
                assert env["STRIKEWATCH_HTTP_HOST"] == "0.0.0.0", path.name
                seen.add(doc["metadata"]["name"])
    assert seen == set(SERVICES)


def test_the_image_listens_on_every_interface() -> None:
    """`docker run` of the image without compose or Kubernetes is reachable too."""
    assert re.search(r"^ENV STRIKEWATCH_HTTP_HOST=0\.0\.0\.0$", DOCKERFILE.read_text(), re.MULTILINE)
