"""`strikewatch export --format cap` links CAP `<web>` only to a page it knows is served (red team 7
#18: without STRIKEWATCH_PUBLIC_URL it named http://127.0.0.1:9103, the alerter's default port, where
nothing may listen). The real command in-process against a real alerter and Redis."""

from __future__ import annotations

import asyncio

import pytest
from lxml import etree
from redis.asyncio import Redis

from services.cli import main
from services.cli.errors import ExitCode
from services.common.settings import Settings
from tests.alerter.factories import MAKIIVKA, report
from tests.alerter.harness import alerter_settings, feed, read_log, running_alerter

CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"


async def _one_alert(s: Settings) -> str:
    redis = Redis.from_url(s.require_redis_url())
    try:
        async with running_alerter(s):
            await feed(redis, s, report("a", locations=[MAKIIVKA], severity="Severe", killed=2))
            (alert,) = await read_log(redis, s, 1)
    finally:
        await redis.aclose()
    return alert.alert_id


@pytest.mark.parametrize("public_url", [None, "https://desk.example.org/"])
def test_export_links_web_only_with_a_public_url(
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    public_url: str | None,
) -> None:
    s = alerter_settings(settings)
    alert_id = asyncio.run(_one_alert(s))
    monkeypatch.setenv("STRIKEWATCH_REDIS_URL", s.require_redis_url())
    monkeypatch.setenv("STRIKEWATCH_PREFIX", s.prefix)
    if public_url is not None:
        monkeypatch.setenv("STRIKEWATCH_PUBLIC_URL", public_url)
    capsys.readouterr()
    assert main(["export", alert_id, "--format", "cap"]) == ExitCode.OK
    info = etree.fromstring(capsys.readouterr().out.encode()).find(f"{CAP}info")
    assert info is not None
    web = info.findtext(f"{CAP}web")
    if public_url is None:
        assert web is None
    else:
        assert web == f"https://desk.example.org/?alert={alert_id}"
