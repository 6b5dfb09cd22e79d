"""The commands against a real server: help and environment bindings, completion, stdout reserved for
machine-readable output, replay's last line, and failures in the middle of a command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer

from services.cli import app, main
from services.cli.errors import ExitCode
from services.common.settings import Settings
from tests.cli.conftest import ROOT, run_cli

SUMMARY = re.compile(r"^published (\d+) article\(s\); (\d+) rejected$")


def _commands() -> dict[str, typer.main.TyperCommand]:  # type: ignore[name-defined]
    group = typer.main.get_command(app)
    found = {}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            found.update({f"{name} {sub}": c for sub, c in subcommands.items()})
        else:
            found[name] = command
    found[""] = group
    return found


def test_every_command_of_the_contract_exists() -> None:
    assert set(_commands()) >= {
        "demo",
        "replay",
        "classify",
        "run",
        "tail",
        "export",
        "webhooks redeliver",
        "doctor",
        "",
    }


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_and_option_has_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`--help` works (exit 0, on stdout) and no parameter is left undocumented."""
    command = _commands()[name]
    assert command.help, name
    for param in command.params:
        if param.name in ("help", "install_completion", "show_completion"):
            continue
        assert getattr(param, "help", None), f"{name}: {param.name} has no help"
    assert main([*name.split(), "--help"]) == ExitCode.OK
    out, err = capsys.readouterr()
    assert out.startswith("Usage: strikewatch") and err == ""


def test_options_read_the_same_variables_as_the_settings() -> None:
    """An option bound to an environment variable reads exactly the variable the services read."""
    fields = {f"STRIKEWATCH_{name.upper()}" for name in Settings.model_fields}
    bound = {
        (name, param.name): param.envvar
        for name, command in _commands().items()
        for param in command.params
        if getattr(param, "envvar", None)
    }
    assert bound[("", "redis_url")] == "STRIKEWATCH_REDIS_URL"
    assert bound[("", "prefix")] == "STRIKEWATCH_PREFIX"
    assert bound[("", "log_format")] == "STRIKEWATCH_LOG_FORMAT"
    assert bound[("", "log_level")] == "STRIKEWATCH_LOG_LEVEL"
    assert bound[("demo", "port")] == bound[("run", "port")] == "STRIKEWATCH_HTTP_PORT"
    assert set(bound.values()) <= fields


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    assert main(["--version"]) == ExitCode.OK
    assert capsys.readouterr().out == f"strikewatch {version('strikewatch')}\n"


def test_shell_completion_offers_region_slugs() -> None:
    """Typer's completion protocol, as bash calls it: region slugs for `tail --region kyiv`."""
    result = run_cli(
        env={
            "_STRIKEWATCH_COMPLETE": "complete_bash",
            "COMP_WORDS": "strikewatch tail --region kyiv",
            "COMP_CWORD": "3",
        },
    )
    assert result.code == 0, result
    assert {"kyiv-city", "kyiv-oblast"} <= set(result.stdout.split())
    script = run_cli("--show-completion", "bash")
    assert script.code == 0 and "_STRIKEWATCH_COMPLETE" in script.stdout


def test_export_of_an_unknown_alert_is_exit_1(
    settings: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRIKEWATCH_REDIS_URL", settings.require_redis_url())
    monkeypatch.setenv("STRIKEWATCH_PREFIX", settings.prefix)
    assert main(["export", "sw-0000000000000000", "--format", "json"]) == ExitCode.FAILED
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "strikewatch: no alert with id 'sw-0000000000000000'\n"


def test_a_since_id_redis_rejects_is_a_usage_error(
    settings: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Well-formed but out of range for a stream id: Redis refuses it, the user gets exit 2."""
    monkeypatch.setenv("STRIKEWATCH_REDIS_URL", settings.require_redis_url())
    monkeypatch.setenv("STRIKEWATCH_PREFIX", settings.prefix)
    assert main(["tail", "--since", "99999999999999999999999-0"]) == ExitCode.USAGE
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and "--since" in err


def test_replay_last_line_is_plain_with_json_logs(settings: Settings, tmp_path: Path) -> None:
    """A bad file is rejected alone (a JSON log line with the reason); the good ones are published;
    the last stderr line is the plain summary; stdout stays empty."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "A drone hit a depot in Kharkiv."}\nnot json\n{"title": "no text"}\n')
    result = run_cli(
        "replay",
        str(ROOT / "seeds"),
        str(bad),
        env={
            "STRIKEWATCH_REDIS_URL": settings.require_redis_url(),
            "STRIKEWATCH_PREFIX": settings.prefix,
            "STRIKEWATCH_LOG_FORMAT": "json",
        },
    )
    assert result.code == ExitCode.OK, result
    assert result.stdout == ""
    *logs, last = result.stderr_lines
    match = SUMMARY.match(last)
    assert match and match.groups() == ("6", "2"), last
    events = [json.loads(line) for line in logs]
    rejected = [e for e in events if e["event"] == "article.rejected"]
    assert len(rejected) == 2 and all(e["reason"] and e["level"] == "warning" for e in rejected)


def test_classify_writes_only_json_to_stdout(tmp_path: Path) -> None:
    """stdout: one JSON object per input line, in order; a bad line is an error object; logs go to stderr."""
    lines = [
        {"id": "one", "text": "Two drones hit a power plant in Kharkiv overnight, injuring three people."},
        "this is not json",
        {"id": "three", "text": "The council discussed the budget for new parks."},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    result = run_cli("classify", str(source), env={"STRIKEWATCH_LOG_LEVEL": "debug"})
    assert result.code == 0, result
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("id") for o in out][::2] == ["one", "three"]
    assert "error" in out[1] and "is_attack" in out[0] and "is_attack" in out[2]
    for line in result.stderr_lines:
        json.loads(line)  # only log lines, as JSON off a terminal


def test_run_with_redis_down_waits_and_says_why(closed_url: str) -> None:
    """A service is supervised, not a one-shot command: with Redis down it stays up, retries with
    backoff, and says why on stderr as JSON log lines (nothing on stdout, no traceback); SIGTERM
    still stops it cleanly."""
    import os
    import queue
    import signal
    import subprocess
    import threading
    import time

    from tests.cli.conftest import STRIKEWATCH

    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIKEWATCH_")}
    env |= {
        "STRIKEWATCH_REDIS_URL": closed_url,
        "STRIKEWATCH_HTTP_PORT": "0",
        "STRIKEWATCH_HTTP_HOST": "127.0.0.1",
    }
    process = subprocess.Popen(
        [str(STRIKEWATCH), "run", "producer"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in process.stderr or []], daemon=True).start()
    seen: list[dict[str, object]] = []
    try:
        deadline = time.monotonic() + 60
        while not any("Redis unreachable" in str(e.get("event")) for e in seen):
            assert time.monotonic() < deadline, seen
            assert process.poll() is None, seen
            try:
                seen.append(json.loads(lines.get(timeout=0.5)))
            except queue.Empty:
                continue
        assert process.poll() is None
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()  # by its pid, only if SIGTERM did not stop it
        out, _ = process.communicate(timeout=10)
    assert code == 0
    assert out == ""
    assert all(e["level"] in ("info", "warning") for e in seen)


def test_sigterm_to_the_demo_stops_its_embedded_server(tmp_path: Path) -> None:
    """`kill` (SIGTERM) of `strikewatch demo --follow` stops the embedded server it started, as
    Ctrl-C does, instead of leaving it running without its parent."""
    import os
    import signal
    import socket
    import subprocess
    import time

    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIKEWATCH_")}
    env |= {"STRIKEWATCH_HTTP_HOST": "127.0.0.1", "STRIKEWATCH_LOG_FORMAT": "json"}
    err = tmp_path / "stderr"
    with err.open("w") as sink:
        process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "strikewatch"), "demo", "--follow", "--port", "0", "--json"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )
    try:
        deadline = time.monotonic() + 90
        while "alert message(s) published" not in err.read_text():
            assert time.monotonic() < deadline and process.poll() is None, err.read_text()
            time.sleep(0.2)
        found = re.search(r"embedded Redis-compatible server on 127\.0\.0\.1:(\d+)", err.read_text())
        assert found, err.read_text()
        port = int(found.group(1))
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            except OSError:
                break  # the embedded server is gone
            assert time.monotonic() < deadline, f"the embedded server on port {port} outlived the demo"
            time.sleep(0.2)
    finally:
        if process.poll() is None:
            process.kill()
