"""Chat formats for webhook subscriptions: Slack (Mattermost, Rocket.Chat) and Teams messages rendered
from the same Alert, delivered signed to a real receiver on 127.0.0.1."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from schemas import Alert, Location
from services.alerter.chat import SLACK_HEADER_MAX, slack_message, teams_card, webhook_body
from services.alerter.clustering import IncidentState, assign
from services.alerter.links import incident_page_url
from services.alerter.render import alert_from_state
from services.common.settings import Settings

from .factories import KHARKIV, KYIV, MAKIIVKA, report, seed_reports
from .harness import alerter_settings, feed, read_log, receiver, running_alerter, webhooks_file

PAGE = "https://desk.example.org/?alert=sw-1"
NOW = datetime(2023, 1, 1, 12, tzinfo=UTC)


def makiivka() -> Alert:
    state = assign(
        [],
        report(
            "m",
            locations=[MAKIIVKA],
            types=["rocket"],
            severity="Extreme",
            killed=63,
            killed_max=400,
            injured=300,
            attacker="Ukraine",
        ),
        now=NOW,
        sender="alerts.example.org",
    ).state
    return alert_from_state(state)


def all_text(message: Any) -> str:
    return json.dumps(message, ensure_ascii=False)


def test_slack_message_has_severity_headline_places_figures_and_the_incident_link() -> None:
    alert = makiivka()
    message = slack_message(alert, PAGE)
    # The plain text, which Mattermost and Rocket.Chat show and Slack notifies with.
    text = message["text"]
    assert text.splitlines()[0] == alert.headline
    for line in (
        "Severity: Extreme",
        "Places: Makiivka",
        "Killed: 63 to 400",
        "Injured: 300",
        "Launched: 35",
    ):
        assert line in text.splitlines(), line
    assert f"<{PAGE}|Open incident {alert.alert_id}>" in text
    # The blocks Slack shows.
    header, facts, summary, actions, context = message["blocks"]
    assert header == {"type": "header", "text": {"type": "plain_text", "text": alert.headline}}
    fields = [field["text"] for field in facts["fields"]]
    assert fields[:4] == [
        "*Severity*\nExtreme",
        "*Places*\nMakiivka",
        "*Killed*\n63 to 400",
        "*Injured*\n300",
    ]
    assert "*Intercepted*\n30" in fields and "*Attacker*\nUkraine" in fields
    assert summary["text"]["text"] == alert.summary
    assert actions["elements"][0]["url"] == PAGE
    assert alert.alert_id in context["elements"][0]["text"]


def test_slack_text_from_reports_cannot_open_links_or_mentions_and_stays_within_limits() -> None:
    odd = Location(
        name="<!channel> & <https://evil.example|x>" + "z" * 200, region="Kyiv Oblast", country="Ukraine"
    )
    alert = alert_from_state(
        assign([], report("o", locations=[odd, KYIV, KHARKIV]), now=NOW, sender="alerts.example.org").state
    )
    message = slack_message(alert, PAGE)
    rendered = all_text({"text": message["text"], "fields": message["blocks"][1]})
    assert "<!channel>" not in rendered and "<https://evil" not in rendered
    assert "&lt;!channel&gt; &amp; &lt;https://evil.example|x&gt;" in message["text"]
    assert len(message["blocks"][0]["text"]["text"]) <= SLACK_HEADER_MAX
    assert len(message["blocks"][1]["fields"]) <= 10


def test_an_update_says_so_and_a_placeless_alert_says_places_not_reported() -> None:
    states: dict[str, IncidentState] = {}
    for r in seed_reports():
        state = assign(list(states.values()), r, now=NOW, sender="alerts.example.org").state
        states[state.alert_id] = state
    kyiv = next(alert_from_state(s) for s in states.values() if s.version > 1)
    assert slack_message(kyiv, PAGE)["text"].startswith(f"Update {kyiv.version}: Severe ")
    placeless = alert_from_state(assign([], report("p", locations=[]), now=NOW, sender="a.example").state)
    assert "Places: not reported" in slack_message(placeless, PAGE)["text"]


def test_teams_card_has_the_same_facts_and_an_open_action() -> None:
    alert = makiivka()
    card = teams_card(alert, PAGE)
    assert (card["@type"], card["@context"]) == ("MessageCard", "https://schema.org/extensions")
    assert card["title"] == alert.headline and card["themeColor"] == "7B0000"
    facts = {fact["name"]: fact["value"] for fact in card["sections"][0]["facts"]}
    assert facts["Severity"] == "Extreme" and facts["Places"] == "Makiivka"
    assert (facts["Killed"], facts["Injured"], facts["Launched"], facts["Intercepted"]) == (
        "63 to 400",
        "300",
        "35",
        "30",
    )
    (action,) = card["potentialAction"]
    assert action["@type"] == "OpenUri" and action["targets"] == [{"os": "default", "uri": PAGE}]


def test_standard_format_is_the_logged_alert_json_unchanged() -> None:
    alert = makiivka()
    payload = alert.model_dump_json()
    assert webhook_body(alert, "standard", payload=payload, page_url=PAGE) is payload
    assert json.loads(webhook_body(alert, "slack", payload=payload, page_url=PAGE)) == slack_message(
        alert, PAGE
    )
    assert json.loads(webhook_body(alert, "teams", payload=payload, page_url=PAGE)) == teams_card(alert, PAGE)


async def test_slack_and_teams_deliveries_arrive_signed_with_the_incident_link(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    """A Slack-format and a Teams-format subscription each receive every alert version as a chat
    message (severity, headline, places, figures, link to the incident page under
    STRIKEWATCH_PUBLIC_URL), signed with the Standard Webhooks headers; a standard one the Alert JSON."""
    async with (
        receiver() as (slack, slack_url),
        receiver() as (teams, teams_url),
        receiver() as (plain, plain_url),
    ):
        path = webhooks_file(
            tmp_path,
            {"id": "slack-desk", "url": slack_url, "format": "slack"},
            {"id": "teams-desk", "url": teams_url, "format": "teams"},
            {"id": "ops", "url": plain_url},
        )
        s = alerter_settings(settings, webhooks_file=path, public_url="https://desk.example.org/sw")
        async with running_alerter(s):
            await feed(redis, s, *seed_reports())
            log = await read_log(redis, s, 5)
            for rec in (slack, teams, plain):
                await rec.wait(lambda r: len(r.delivered) == 5)
    for rec in (slack, teams, plain):
        assert rec.bad_signatures == 0 and rec.duplicates == 0
    extreme = next(alert for alert in log if alert.severity == "Extreme")
    link = incident_page_url("https://desk.example.org/sw", extreme.alert_id)
    assert link == f"https://desk.example.org/sw/?alert={extreme.alert_id}"
    messages = [m for m in slack.delivered.values() if extreme.headline in m["text"]]
    assert len(messages) == 1
    (message,) = messages
    lines = message["text"].splitlines()
    assert lines[0] == extreme.headline
    assert {"Severity: Extreme", "Places: Makiivka", "Killed: 63 to 400", "Injured: 300"} <= set(lines)
    assert f"<{link}|Open incident {extreme.alert_id}>" in lines
    assert message["blocks"][3]["elements"][0]["url"] == link
    cards = [c for c in teams.delivered.values() if c["sections"][0]["activityTitle"] == extreme.headline]
    assert cards and cards[0]["potentialAction"][0]["targets"][0]["uri"] == link
    assert sorted((a["alert_id"], a["version"]) for a in plain.delivered.values()) == sorted(
        (a.alert_id, a.version) for a in log
    )
    # Each receiver verified every body against its webhook-id, webhook-timestamp and
    # webhook-signature headers with standardwebhooks (a missing header is a bad signature).
