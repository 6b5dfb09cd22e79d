"""Control and bidi characters in a report's title, outlet, places or spans never reach what people
read: CAP, Atom, GeoJSON, Slack and Teams messages and the console drop them (services/common/
display.py), while the Alert JSON and its evidence keep the original text, so evidence offsets still
index the article. Pure renderings, then the read API over real HTTP against a real Redis."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import httpx
import pytest
from lxml import etree
from redis.asyncio import Redis
from rich.console import Console

from schemas import Alert, Classification, Evidence, Location
from services.alerter.cap import CapOptions, to_cap_xml
from services.alerter.chat import slack_message, teams_card, webhook_body
from services.alerter.clustering import assign
from services.alerter.feeds import atom_feed, feature_collection
from services.alerter.render import alert_from_state
from services.common.display import UNSAFE_TEXT_PATTERN, display_alert, display_text
from services.common.settings import Settings
from services.console import AlertPrinter, alert_panel

from .factories import report
from .harness import alerter_settings, feed, read_log, serving_alerter, wait_for

NOW = datetime(2024, 1, 2, 9, 30, tzinfo=UTC)
OPTIONS = CapOptions(
    sender="alerts.example.org",
    base_url="https://desk.example.org",
    expires_h=24.0,
    fallback_country="Ukraine",
)
RLO, PDF, RLM, LRI, PDI, ALM = "\u202e", "\u202c", "\u200f", "\u2066", "\u2069", "\u061c"
DEL, CSI, NEL, ESC, BEL = "\x7f", "\x9b", "\x85", "\x1b", "\x07"
UNSAFE = [RLO, PDF, RLM, LRI, PDI, ALM, "\u200e", "\u202a", "\u2067", DEL, CSI, NEL, ESC, BEL, "\x80", "\x9f"]
# An article whose title turns "Kyiv: 12 killed" round to read "Kyiv: 21 killed" on a page.
ARTICLE = f"Drones struck {RLO}Kyiv{PDF} overnight; 12 people were killed,{DEL} officials said."
PLACE = Location(
    name=f"Ky{LRI}iv{PDI}", region=f"Kyiv{RLM} City", country=f"Ukr{CSI}aine", lat=50.45, lon=30.52
)


def hostile() -> Classification:
    """A report with an unsafe character in every text a person reads, and evidence into ARTICLE."""
    start = ARTICLE.index(RLO)
    end = ARTICLE.index(PDF) + 1
    sentence_end = ARTICLE.index(";")
    base = report(f"h{ESC}1", locations=[PLACE], killed=12, attacker=f"Rus{NEL}sia")
    return base.model_copy(
        update={
            "title": f"{ALM}Strike on {RLO}viyK{PDF}: 21{BEL} killed",
            "source": f"Wire{RLM}{DEL} Service",
            "url": "https://wire.example.org/a",
            "evidence": [
                Evidence(field="locations", text=ARTICLE[start:end], start=start, end=end),
                Evidence(field="attacker", text=ARTICLE[:sentence_end], start=0, end=sentence_end),
            ],
        }
    )


def hostile_alert() -> Alert:
    return alert_from_state(assign([], hostile(), now=NOW, sender="alerts.example.org").state)


def clean(text: str) -> bool:
    return not any(c in text for c in UNSAFE)


def test_display_text_drops_controls_and_bidi_and_keeps_every_visible_character() -> None:
    """C0 (but tab, LF, CR), DEL, C1 and Bidi_Control characters go; letters of any script, emoji
    with their joiners, tab and line breaks stay."""
    assert display_text(f"{RLO}Kyiv{PDF} 12{DEL}{CSI}31m{ESC}[0m{BEL}") == "Kyiv 1231m[0m"
    for c in UNSAFE:
        assert display_text(f"a{c}b") == "ab", f"U+{ord(c):04X}"
    kept = "Київ – Харків\tخاركيف\n👩\u200d👩\u200d👧 \u00a0é\r\n"
    assert display_text(kept) == kept
    assert display_text(display_text(ARTICLE)) == display_text(ARTICLE)


def test_the_alert_json_and_its_evidence_keep_the_original_text() -> None:
    """What is logged and sent as JSON is unchanged (JSON escapes what it must); the evidence text
    is still `start`..`end` of the article, in the alert and in its display copy alike."""
    alert = hostile_alert()
    assert alert.sources[0].title is not None and RLO in alert.sources[0].title
    shown = display_alert(alert)
    assert shown.evidence == alert.evidence
    for ev in alert.evidence:
        assert ARTICLE[ev.start : ev.end] == ev.text
    assert RLO in json.loads(alert.model_dump_json())["sources"][0]["title"]
    assert clean(shown.model_dump_json(exclude={"evidence"}))


def test_every_rendering_for_people_drops_them() -> None:
    """CAP (still valid XML), Atom, GeoJSON, Slack and Teams bodies and the console panel carry no
    control or bidi character, and still show the title, outlet, place and attacker."""
    alert = hostile_alert()
    cap = to_cap_xml(alert, OPTIONS)
    etree.fromstring(cap.encode())
    atom = atom_feed(
        [alert],
        feed_url="https://desk.example.org/alerts.atom",
        incident_url=lambda i: f"https://desk.example.org/alerts/{i}",
        cap_url=lambda i: f"https://desk.example.org/alerts/cap?id={i}",
        sender="alerts.example.org",
        now=NOW,
    ).decode()
    geojson = json.dumps(feature_collection([alert]), ensure_ascii=False)
    slack = json.dumps(slack_message(alert, "https://desk.example.org/?alert=x"), ensure_ascii=False)
    teams = json.dumps(teams_card(alert, "https://desk.example.org/?alert=x"), ensure_ascii=False)
    body = webhook_body(alert, "slack", payload=alert.model_dump_json(), page_url="https://d/?a=x")
    out = io.StringIO()
    Console(file=out, width=200, color_system=None).print(alert_panel(alert))
    console = out.getvalue()
    for name, text in [("cap", cap), ("atom", atom), ("geojson", geojson), ("slack", slack), ("teams", teams),
                       ("webhook", body), ("console", console)]:  # fmt: skip
        assert clean(text), (name, [f"U+{ord(c):04X}" for c in text if c in UNSAFE])
    assert "Strike on viyK: 21 killed" in cap and "Wire Service" in cap
    assert "Kyiv" in geojson and "Russia" in slack and "Russia" in teams
    assert "Strike on viyK: 21 killed" in console


def test_the_desk_gets_the_same_rule() -> None:
    """The desk page's config carries the pattern's source; Python and the browser read it alike."""
    from services.alerter.desk.page import page_config
    from services.common.settings import load_settings

    assert page_config(load_settings(desk_tiles_url=""))["unsafe_text"] == UNSAFE_TEXT_PATTERN
    assert UNSAFE_TEXT_PATTERN.isascii()  # escapes only: it travels inside the page's JSON


@pytest.mark.parametrize("path", ["/alerts.atom", "/alerts.geojson", "/alerts/cap?id={alert_id}"])
async def test_the_read_api_serves_them_clean(settings: Settings, redis: Redis, path: str) -> None:
    """A hostile report through a real alerter: its Atom, GeoJSON and CAP answers over HTTP carry
    no control or bidi character; GET /alerts/{id} keeps the original text as JSON."""
    s = alerter_settings(settings)
    async with serving_alerter(s) as (_app, base):
        await feed(redis, s, hostile().model_copy(update={"event_date": datetime.now(UTC).date()}))
        (alert,) = await read_log(redis, s, 1)
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:

            async def served() -> bool:
                return (await client.get(f"/alerts/{alert.alert_id}")).status_code == 200

            # The read model is a sink behind the alert log: wait until it holds the alert.
            await wait_for(served, what="the read model holds the alert")
            answer = await client.get(path.format(alert_id=alert.alert_id))
            raw = await client.get(f"/alerts/{alert.alert_id}")
    assert answer.status_code == 200, answer.text
    # JSON may carry a character as a \u escape: what a client reads is the decoded value.
    text = json.dumps(answer.json(), ensure_ascii=False) if "geojson" in path else answer.text
    assert "Kyiv" in text
    assert clean(text), [f"U+{ord(c):04X}" for c in text if c in UNSAFE]
    assert RLO in raw.json()["sources"][0]["title"]


def test_console_json_lines_escape_them_and_keep_the_value(capsys: pytest.CaptureFixture[str]) -> None:
    """`--json` on a terminal (demo, tail): the line carries no raw control or bidi character, and
    parses to exactly the Alert JSON as logged (the characters are \\u escapes, nothing is lost)."""
    alert = hostile_alert()
    AlertPrinter(as_json=True)(alert)
    line = capsys.readouterr().out
    assert line.endswith("\n") and line.count("\n") == 1
    assert clean(line), [f"U+{ord(c):04X}" for c in line if c in UNSAFE]
    assert json.loads(line) == json.loads(alert.model_dump_json())
    assert RLO in json.loads(line)["sources"][0]["title"]
