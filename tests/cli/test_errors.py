"""Every command, given bad arguments, bad configuration, a Redis that is down or a busy port, fails
with one line on stderr, nothing on stdout and the exit code of its failure class; never a traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from services.cli import main
from services.cli.errors import ExitCode
from tests.cli.conftest import Result

REDIS_COMMANDS = [
    ["replay"],
    ["tail"],
    ["tail", "--since", "0", "--json"],
    ["export", "sw-0000000000000000"],
    ["export", "sw-0000000000000000", "--format", "json"],
    ["webhooks", "redeliver"],
    ["webhooks", "redeliver", "--subscription", "ops"],
    ["doctor"],
    ["doctor", "--json"],
    ["demo"],
]

BAD_ARGUMENTS = [
    (["replay", "--rate", "0"], "--rate"),
    (["replay", "--rate", "-3"], "--rate"),
    (["replay", "--rate", "fast"], "--rate"),
    (["replay", "--speed", "10"], "--speed"),
    (["replay", "--realtime", "--rate", "5"], "--realtime"),
    (["replay", "--realtime", "--speed", "0"], "--speed"),
    (["replay", "--loop", "0"], "--loop"),
    (["replay", "no/such/folder"], "does not exist"),
    (["demo", "--rate", "0"], "--rate"),
    (["demo", "--port", "70000"], "--port"),
    (["classify", "no/such/file.jsonl"], "No such file"),
    (["classify", "README.md", "README.md"], "extra argument"),
    (["classify", "seeds"], "Is a directory"),
    (["run"], "Missing argument"),
    (["run", "frontend"], "'frontend' is not one of"),
    (["tail", "--severity", "catastrophic"], "--severity"),
    (["tail", "--region", "kyiv-cty"], "did you mean 'kyiv-city'"),
    (["tail", "--region", "atlantis"], "--region"),
    (["tail", "--type", "drones"], "did you mean 'drone'"),
    (["tail", "--since", "yesterday"], "--since"),
    (["tail", "--since", "12-ab"], "--since"),
    (["export"], "Missing argument"),
    (["export", "sw-1", "--format", "pdf"], "--format"),
    (["export", " "], "empty"),
    (["webhooks"], "webhooks"),
    (["webhooks", "resend"], "No such command"),
    (["doctor", "--verbose"], "No such option"),
    (["frobnicate"], "No such command"),
    (["--log-format", "xml", "tail"], "--log-format"),
    (["--log-level", "loud", "tail"], "--log-level"),
]


def call(argv: list[str], capsys: pytest.CaptureFixture[str]) -> Result:
    code = main(argv)
    out, err = capsys.readouterr()
    return Result(code, out, err)


def assert_one_line(result: Result, code: ExitCode, *needles: str) -> None:
    assert result.code == code, result
    assert result.stdout == "", result
    assert "Traceback" not in result.stderr
    if code == ExitCode.USAGE and result.stderr.startswith("Usage:"):
        return  # a command group alone prints its help (click's convention), still exit 2
    assert len(result.stderr_lines) == 1, result.stderr
    (line,) = result.stderr_lines
    assert line.startswith("strikewatch: "), line
    for needle in needles:
        assert needle in line, (needle, line)


@pytest.mark.parametrize(
    ("argv", "needle"), BAD_ARGUMENTS, ids=lambda a: " ".join(a) if isinstance(a, list) else ""
)
def test_bad_arguments_are_one_usage_line(
    argv: list[str],
    needle: str,
    capsys: pytest.CaptureFixture[str],
    closed_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Checked before anything connects: exit 2, the option named, a hint to the command's help."""
    monkeypatch.setenv("STRIKEWATCH_REDIS_URL", closed_url)
    result = call(argv, capsys)
    assert_one_line(result, ExitCode.USAGE, needle)
    if not result.stderr.startswith("Usage:"):
        assert "--help`" in result.stderr


@pytest.mark.parametrize("argv", REDIS_COMMANDS, ids=" ".join)
def test_redis_down_is_one_line_and_exit_4(
    argv: list[str], capsys: pytest.CaptureFixture[str], closed_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server is named (password hidden), the reason given, and the exit code says "unreachable"."""
    url = closed_url.replace("redis://", "redis://:s3cret@")
    monkeypatch.setenv("STRIKEWATCH_REDIS_URL", url)
    monkeypatch.setenv("STRIKEWATCH_HTTP_PORT", "0")
    result = call(argv, capsys)
    assert_one_line(result, ExitCode.REDIS_UNREACHABLE, "cannot reach Redis", "Connection refused")
    assert "s3cret" not in result.stderr
    assert "redis://:***@127.0.0.1:" in result.stderr


@pytest.mark.parametrize(
    "argv",
    [["replay"], ["tail"], ["export", "sw-1"], ["webhooks", "redeliver"], ["doctor"], ["run", "producer"]],
    ids=" ".join,
)
def test_commands_that_need_redis_say_how_to_configure_it(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """No STRIKEWATCH_REDIS_URL: a configuration error (exit 3) that names the variable."""
    result = call(argv, capsys)
    assert_one_line(result, ExitCode.CONFIG, "STRIKEWATCH_REDIS_URL is not set")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("STRIKEWATCH_PREFIX", "has space"),
        ("STRIKEWATCH_REDIS_URL", "http://example.org"),
        ("STRIKEWATCH_BATCH_SIZE", "many"),
        ("STRIKEWATCH_LOG_FORMAT", "yaml"),
    ],
)
def test_bad_configuration_is_exit_3_naming_the_variable(
    variable: str, value: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    if variable != "STRIKEWATCH_REDIS_URL":
        monkeypatch.setenv("STRIKEWATCH_REDIS_URL", "redis://127.0.0.1:1/0")
    result = call(["doctor"], capsys) if variable != "STRIKEWATCH_LOG_FORMAT" else call(["tail"], capsys)
    if variable == "STRIKEWATCH_LOG_FORMAT":
        # Bound to the root option: click reports it as a usage error naming the variable.
        assert_one_line(result, ExitCode.USAGE, variable)
    else:
        assert_one_line(result, ExitCode.CONFIG, variable)


def test_a_password_in_a_bad_url_is_never_echoed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRIKEWATCH_REDIS_URL", "http://:hunter2@example.org")
    result = call(["doctor"], capsys)
    assert_one_line(result, ExitCode.CONFIG, "STRIKEWATCH_REDIS_URL")
    assert "hunter2" not in result.stderr


@pytest.mark.parametrize("argv", [["run", "producer"], ["demo"]], ids=" ".join)
def test_a_busy_port_is_exit_6(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, closed_url: str
) -> None:
    """Bound before anything starts, so the error names the address instead of uvicorn's log."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setenv("STRIKEWATCH_HTTP_HOST", "127.0.0.1")
        monkeypatch.setenv("STRIKEWATCH_HTTP_PORT", str(port))
        monkeypatch.setenv("STRIKEWATCH_REDIS_URL", closed_url)
        result = call(argv, capsys)
    assert_one_line(result, ExitCode.PORT_IN_USE, f"127.0.0.1:{port}", "already in use")


def test_a_webhooks_file_the_policy_refuses_is_exit_3_not_internal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A loopback URL without STRIKEWATCH_WEBHOOK_ALLOWLIST is the operator's configuration mistake:
    the reason in one line and exit 3, never "internal error ... please report it" (exit 70)."""
    hooks = tmp_path / "hooks.yaml"
    secret = "whsec_" + "Ab3" * 12
    hooks.write_text(f"- id: local\n  url: http://127.0.0.1:9/h\n  secret: {secret}\n", encoding="utf-8")
    monkeypatch.setenv("STRIKEWATCH_WEBHOOKS_FILE", str(hooks))
    monkeypatch.setenv("STRIKEWATCH_HTTP_PORT", "0")
    result = call(["demo"], capsys)
    assert result.code == ExitCode.CONFIG, result
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    # demo first says which embedded server it started; the failure is the last line.
    last = result.stderr_lines[-1]
    assert last.startswith("strikewatch: invalid webhooks file"), last
    for needle in ("entry 1 (id 'local')", "loopback", "STRIKEWATCH_WEBHOOK_ALLOWLIST"):
        assert needle in last, (needle, last)
    assert secret not in result.stderr
