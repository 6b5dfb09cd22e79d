"""`strikewatch sources check`: the file validated, each source fetched once under the producer's
rules, a table (or JSON) on stdout, exit 1 when a source fails and 3 when the file is invalid."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from services.cli import main
from services.cli.errors import ExitCode
from services.cli.sources import Row, judge, render
from tests.cli.conftest import _clean_environment  # noqa: F401 - autouse: no STRIKEWATCH_* leaks in
from tests.sources.conftest import write_sources
from tests.sources.sites import Feed, Reply, Site
from tests.sources.stories import attack_story, calm_story


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRIKEWATCH_FETCH_ALLOWLIST", "127.0.0.1/32")
    monkeypatch.setenv("STRIKEWATCH_FETCH_DEADLINE_S", "5")
    monkeypatch.setenv("STRIKEWATCH_LOG_FORMAT", "json")


def test_check_prints_a_row_per_source_and_fails_when_one_does(
    env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Site() as site:
        feed = Feed(site)
        feed.add(calm_story(0, hours_ago=5))
        feed.add(attack_story(hours_ago=2))
        site.routes["/gone.xml"] = Reply(404, body=b"gone")
        site.routes["/page.html"] = Reply(body=b"<html><body><p>Not a feed</p></body></html>")
        path = write_sources(
            tmp_path,
            [
                {"id": "news", "url": feed.url, "outlet": "Example News", "full_text": True},
                {"id": "gone", "url": site.url("/gone.xml"), "outlet": "Gone"},
                {"id": "page", "url": site.url("/page.html"), "outlet": "Page"},
                {"id": "inside", "url": "http://10.20.30.40/rss.xml", "outlet": "Inside"},
            ],
        )
        code = main(["sources", "check", "--file", str(path)])
    out, err = capsys.readouterr()
    assert code == ExitCode.FAILED
    lines = out.splitlines()
    assert lines[0] == f"strikewatch sources check: {path}"
    assert lines[1].split() == ["SOURCE", "STATUS", "ITEMS", "NEWEST", "SAMPLE", "DETAIL"]
    rows = {line.split()[0]: line for line in lines[2:-1]}
    assert rows["news"].split()[:4] == ["news", "ok", "2", "2h"]
    assert "(page)" in rows["news"]
    assert rows["gone"].split()[:2] == ["gone", "error"] and "answered 404" in rows["gone"]
    assert rows["page"].split()[:2] == ["page", "not_a_feed"]
    assert rows["inside"].split()[:2] == ["inside", "refused"]
    assert "10.20.30.40 is a private address; add it to STRIKEWATCH_FETCH_ALLOWLIST" in rows["inside"]
    assert lines[-1] == "4 source(s), 3 failed"
    assert all(json.loads(line)["level"] for line in err.splitlines() if line.startswith("{"))


def test_check_json_and_a_passing_file(env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Site() as site:
        feed = Feed(site, kind="atom", path="/atom.xml")
        feed.add(calm_story(1))
        path = write_sources(tmp_path, [{"id": "wire", "url": feed.url, "outlet": "Wire"}])
        code = main(["sources", "check", "--json", "--file", str(path)])
    out, _ = capsys.readouterr()
    assert code == ExitCode.OK
    (source,) = json.loads(out)["sources"]
    assert (source["source"], source["status"], source["items"], source["failed"]) == ("wire", "ok", 1, False)
    assert source["sample_from"] == "summary" and source["sample_chars"] > 100


def test_an_invalid_file_is_one_line_and_exit_3(
    env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_sources(tmp_path, [{"id": "a", "url": "https://a.example/rss", "outlet": "A", "poll_s": 0}])
    assert main(["sources", "check", "--file", str(path)]) == ExitCode.CONFIG
    _, err = capsys.readouterr()
    assert err.strip().splitlines() == [
        f"strikewatch: invalid sources file {path}: entry 1 (id 'a'): poll_s: "
        "Input should be greater than or equal to 1"
    ]
    assert main(["sources", "check"]) == ExitCode.CONFIG
    _, err = capsys.readouterr()
    assert err.strip() == "strikewatch: no sources file: set STRIKEWATCH_SOURCES_FILE or pass --file"


def test_judge_and_render_are_pure() -> None:
    now = datetime(2025, 6, 10, 12, tzinfo=UTC)
    ok = judge(
        "a",
        outcome="ok",
        reason=None,
        items=3,
        malformed="SAXParseException: x",
        newest=now - timedelta(minutes=90),
        sample=(1234, "page"),
        page_problem=None,
        now=now,
    )
    assert ok == Row(
        "a", "ok", 3, 5400.0, 1234, "page", "malformed (SAXParseException: x); its 3 good item(s) are read"
    )
    down = judge(
        "b",
        outcome="error",
        reason="GET x answered 500",
        items=0,
        malformed=None,
        newest=None,
        sample=None,
        page_problem=None,
        now=now,
    )
    assert down.failed and not ok.failed
    text = render([ok, down], header="h")
    assert text.splitlines()[2].split()[:5] == ["a", "ok", "3", "2h", "1234"]
    assert text.splitlines()[-1] == "2 source(s), 1 failed"
