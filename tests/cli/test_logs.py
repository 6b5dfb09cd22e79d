"""Logging: one configuration for our loggers, FastStream's and uvicorn's; JSON lines that parse and
carry the ids; no colour codes off a terminal; our INFO lines under `faststream run` too."""

from __future__ import annotations

import io
import json
import logging
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from services.common.logs import configure_logging, log_event
from services.common.settings import Settings, load_settings
from tests.cli.conftest import ROOT, run_cli

ANSI = re.compile(r"\x1b\[")


def _lines(stream: io.StringIO) -> list[str]:
    return [line for line in stream.getvalue().splitlines() if line]


def test_json_lines_carry_the_fields() -> None:
    out = io.StringIO()
    assert configure_logging(load_settings(), stream=out) == "json"  # a StringIO is not a terminal
    log_event(
        logging.getLogger("strikewatch.test"),
        "article.classified",
        article_id="a1",
        outcome="attack",
        duration_ms=1.5,
    )
    logging.getLogger("faststream").info("broker started")
    logging.getLogger("uvicorn.error").info("server started")
    logging.getLogger("uvicorn.access").info("GET /metrics 200")  # below the access loggers' level
    events = [json.loads(line) for line in _lines(out)]
    assert [e["logger"] for e in events] == ["strikewatch.test", "faststream", "uvicorn.error"]
    first = events[0]
    assert list(first)[:4] == ["timestamp", "level", "logger", "event"]
    assert first | {"timestamp": None} == {
        "timestamp": None,
        "level": "info",
        "logger": "strikewatch.test",
        "event": "article.classified",
        "article_id": "a1",
        "outcome": "attack",
        "duration_ms": 1.5,
    }


def test_text_lines_have_no_colour_off_a_terminal() -> None:
    out = io.StringIO()
    configure_logging(load_settings(log_format="text", log_level="debug"), stream=out)
    log_event(logging.getLogger("strikewatch.test"), "alert.published", alert_id="sw-1", version=2)
    try:
        raise ValueError("bad")
    except ValueError:
        logging.getLogger("strikewatch.test").exception("failed")
    text = out.getvalue()
    assert "alert.published" in text and "alert_id=sw-1" in text and "version=2" in text
    assert "ValueError: bad" in text
    assert not ANSI.search(text)


def test_level_is_honoured() -> None:
    out = io.StringIO()
    configure_logging(load_settings(log_level="warning"), stream=out)
    log_event(logging.getLogger("strikewatch.test"), "article.classified", article_id="x")
    logging.getLogger("strikewatch.test").warning("kept")
    assert [json.loads(line)["event"] for line in _lines(out)] == ["kept"]


@pytest.mark.slow
def test_demo_logs_one_json_line_per_article_and_alert_version() -> None:
    """The whole pipeline at INFO with JSON logs: every stderr line that is not one of the demo's own
    `strikewatch:` messages parses as JSON; each seed article has an article.classified line with its
    id, each alert version an alert.published line; stdout holds only Alert JSON; no colour codes; the
    printed address is the port really bound."""
    result = run_cli(
        "demo",
        "--json",
        env={
            "STRIKEWATCH_LOG_LEVEL": "info",
            "STRIKEWATCH_HTTP_PORT": "0",
            "STRIKEWATCH_HTTP_HOST": "127.0.0.1",
        },
        timeout=300,
    )
    assert result.code == 0, result.stderr[-3000:]
    assert not ANSI.search(result.stderr + result.stdout)
    alerts = [json.loads(line) for line in result.stdout.splitlines()]
    assert alerts and all("alert_id" in a for a in alerts)
    messages = [line for line in result.stderr_lines if line.startswith("strikewatch: ")]
    (address,) = [m for m in messages if "metrics and health on" in m]
    port = int(re.search(r"http://127\.0\.0\.1:(\d+)/metrics$", address).group(1))  # type: ignore[union-attr]
    assert port > 0
    events = [json.loads(line) for line in result.stderr_lines if not line.startswith("strikewatch: ")]
    classified = [e for e in events if e["event"] == "article.classified"]
    seeds = {p.stem.split("_", 1)[1] for p in (ROOT / "seeds").glob("*.txt")}
    assert len(classified) == len(seeds)
    assert all(
        e["article_id"] and e["outcome"] in ("attack", "not_attack") and e["duration_ms"] >= 0
        for e in classified
    )
    published = [e for e in events if e["event"] == "alert.published"]
    assert sorted((e["alert_id"], e["version"]) for e in published) == sorted(
        (a["alert_id"], a["version"]) for a in alerts
    )
    assert all(e["article_id"] in {c["article_id"] for c in classified} for e in published)


def test_faststream_run_shows_our_info_lines(settings: Settings) -> None:
    """`faststream run services.producer.app:app`: our INFO line appears, as JSON, beside FastStream's
    own (now on our handler, uncoloured)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("STRIKEWATCH_")},
        "STRIKEWATCH_REDIS_URL": settings.require_redis_url(),
        "STRIKEWATCH_PREFIX": settings.prefix,
        "STRIKEWATCH_HTTP_HOST": "127.0.0.1",
        "STRIKEWATCH_HTTP_PORT": "0",
    }
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("faststream")), "run", "services.producer.app:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stderr is not None
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True)  # type: ignore[union-attr]
    reader.start()
    seen: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                seen.append(lines.get(timeout=0.5))
            except queue.Empty:
                assert process.poll() is None, "".join(seen)
                continue
            events = [json.loads(line) for line in seen]
            if any(e["event"] == "service.configured" for e in events) and any(
                e["logger"].startswith("faststream") for e in events
            ):
                break
        else:
            pytest.fail("no service.configured and FastStream line within 60 s:\n" + "".join(seen))
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    configured = next(json.loads(line) for line in seen if "service.configured" in line)
    assert configured["level"] == "info" and configured["service"] == "producer"
    assert not ANSI.search("".join(seen))
