"""`strikewatch doctor`: its rules as pure judgements, and the whole command against a real server
whose configuration the test changes with CONFIG SET (a server of its own, never the shared one)."""

from __future__ import annotations

import ipaddress
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import redis

from services.cli.doctor import (
    Status,
    judge_group,
    judge_memory,
    judge_persistence,
    judge_subscription,
    judge_version,
)
from services.cli.errors import ExitCode
from services.common.embedded import EmbeddedRedis
from services.common.names import Names
from tests.cli.conftest import Result, run_cli

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def test_version_rules() -> None:
    assert judge_version({"redis_version": "7.2.4"}).status is Status.ok
    assert judge_version({"redis_version": "6.2.14"}).status is Status.warn
    assert judge_version({"redis_version": "6.0.20"}).status is Status.fix
    valkey = judge_version({"redis_version": "7.2.4", "valkey_version": "8.1.1"})
    assert valkey.status is Status.ok and "Valkey 8.1.1" in valkey.detail


def test_persistence_rules() -> None:
    assert judge_persistence({"aof_enabled": 1}, "").status is Status.ok
    assert judge_persistence({"aof_enabled": 0}, "3600 1").status is Status.warn
    assert judge_persistence({"aof_enabled": 0}, None).status is Status.warn
    assert judge_persistence({"aof_enabled": 0}, "").status is Status.fix
    assert judge_persistence({"aof_enabled": 1, "aof_last_write_status": "err"}, "").status is Status.fix


def test_memory_policy_rules() -> None:
    """noeviction is right; another policy warns while there is no limit and must be fixed with one."""
    assert judge_memory({"maxmemory_policy": "noeviction", "maxmemory": 10**9})[0].status is Status.ok
    assert judge_memory({"maxmemory_policy": "allkeys-lru", "maxmemory": 0})[0].status is Status.warn
    assert judge_memory({"maxmemory_policy": "volatile-ttl", "maxmemory": 10**9})[0].status is Status.fix
    full = judge_memory({"maxmemory_policy": "noeviction", "maxmemory": 100, "used_memory": 90})
    assert full[1].status is Status.warn


def test_group_rules() -> None:
    assert judge_group("p:articles", "classifier", None).status is Status.warn
    assert judge_group("p:articles", "classifier", [{"name": b"other"}]).status is Status.warn
    healthy = [{"name": b"classifier", "lag": 0, "pending": 2, "consumers": 1}]
    assert judge_group("p:articles", "classifier", healthy).status is Status.ok
    trimmed = [{"name": "classifier", "lag": None, "pending": 0, "consumers": 1}]
    assert judge_group("p:articles", "classifier", trimmed).status is Status.warn
    backlog = [{"name": "classifier", "lag": 50_000, "pending": 0, "consumers": 1}]
    assert judge_group("p:articles", "classifier", backlog).status is Status.warn


def test_subscription_rules() -> None:
    loopback = [ipaddress.ip_address("127.0.0.1")]
    public = [ipaddress.ip_address("93.184.215.14")]
    assert judge_subscription("a", "https://hooks.example.org/x", public, []).status is Status.ok
    assert judge_subscription("a", "http://hooks.example.org/x", public, []).status is Status.warn
    refused = judge_subscription("a", "https://localhost/x", loopback, [])
    assert refused.status is Status.fix and "loopback" in refused.detail
    allowed = judge_subscription("a", "https://localhost/x", loopback, [ipaddress.ip_network("127.0.0.1/32")])
    assert allowed.status is Status.ok
    assert judge_subscription("a", "https://x.invalid/", "Name or service not known", []).status is Status.fix


class _Counter(BaseHTTPRequestHandler):
    hits = 0

    def do_POST(self) -> None:
        type(self).hits += 1
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[int, type[_Counter]]]:
    counter = type("Counter", (_Counter,), {"hits": 0})
    server = HTTPServer(("127.0.0.1", 0), counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], counter
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def own_server() -> Iterator[EmbeddedRedis]:
    with EmbeddedRedis() as server:
        yield server


def doctor(url: str, **env: str) -> Result:
    return run_cli("doctor", env={"STRIKEWATCH_REDIS_URL": url, **env})


def lines_of(result: Result, check: str) -> list[str]:
    return [line for line in result.stdout.splitlines() if check in line]


def test_doctor_on_a_real_server(
    own_server: EmbeddedRedis, receiver: tuple[int, type[_Counter]], tmp_path: Path
) -> None:
    """A healthy set-up passes; an evicting memory policy warns, and must be fixed once maxmemory is
    set; a loopback webhook must be fixed unless allow-listed; nothing is ever sent to the receiver."""
    client = redis.Redis.from_url(own_server.url)
    client.config_set("appendonly", "yes")
    names = Names("strikewatch")
    for stream, group in names.groups.items():
        client.xgroup_create(stream, group, id="$", mkstream=True)

    healthy = doctor(own_server.url)
    assert healthy.code == ExitCode.OK, healthy
    assert healthy.stdout.splitlines()[-1] == "0 to fix, 0 warning(s)"
    assert healthy.stderr == ""

    client.config_set("maxmemory-policy", "allkeys-lru")
    warned = doctor(own_server.url)
    assert warned.code == ExitCode.OK, warned
    (line,) = lines_of(warned, "memory policy")
    assert line.startswith("WARN") and "allkeys-lru" in line
    assert "CONFIG SET maxmemory-policy noeviction" in warned.stdout

    client.config_set("maxmemory", "512mb")
    must_fix = doctor(own_server.url)
    assert must_fix.code == ExitCode.FAILED, must_fix
    assert lines_of(must_fix, "memory policy")[0].startswith("FIX")
    client.config_set("maxmemory-policy", "noeviction")
    client.config_set("maxmemory", "0")

    port, counter = receiver
    hooks = tmp_path / "webhooks.yaml"
    hooks.write_text(
        f"- id: local\n  url: http://127.0.0.1:{port}/hook\n  secret: {SECRET}\n"
        f"- id: nowhere\n  url: https://hooks.invalid/strikewatch\n  secret: {SECRET}\n"
    )
    refused = doctor(own_server.url, STRIKEWATCH_WEBHOOKS_FILE=str(hooks))
    assert refused.code == ExitCode.FAILED
    # A literal loopback address makes the whole file a configuration error (issue 11: refused when
    # defined, not only at delivery); doctor names the entry and the reason.
    (file_line,) = lines_of(refused, "webhooks file")
    assert file_line.startswith("FIX") and "'local'" in file_line and "loopback" in file_line

    allowed = run_cli(
        "doctor",
        "--json",
        env={
            "STRIKEWATCH_REDIS_URL": own_server.url,
            "STRIKEWATCH_WEBHOOKS_FILE": str(hooks),
            "STRIKEWATCH_WEBHOOK_ALLOWLIST": "127.0.0.1/32",
        },
    )
    report = json.loads(allowed.stdout)
    by_check = {f["check"]: f for f in report["findings"]}
    assert by_check["webhook local (file)"]["status"] == "warn"  # allowed, but plain http
    assert by_check["webhook nowhere (file)"]["status"] == "fix"
    assert "does not resolve" in by_check["webhook nowhere (file)"]["detail"]
    assert counter.hits == 0
    client.close()
