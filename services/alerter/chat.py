"""Webhook bodies by subscription format, all rendered from the same Alert. Pure.

- `standard`: the Alert JSON exactly as logged (docs/contract.md section 6).
- `slack`: a Slack incoming-webhook message (https://api.slack.com/messaging/webhooks): `text` - a
  complete plain message with the link, which Mattermost and Rocket.Chat show (they accept Slack's
  payload but not its blocks; both read Slack's `<url|label>` links) and Slack uses for notifications -
  and `blocks` (Block Kit) that Slack shows: a header, the severity, places and figures as fields, the
  summary and a button to the incident page.
- `teams`: a Microsoft Teams connector message card (`@type: MessageCard`) with the same facts and
  an "Open incident" action.

Every format is signed alike (Standard Webhooks headers): a chat service ignores them, a relay can
check them.
"""

from __future__ import annotations

import json
from typing import Any

from schemas import Alert, Severity, WebhookFormat
from services.alerter.render import figure_range
from services.common.display import display_alert

# Block Kit limits (https://api.slack.com/reference/block-kit/blocks): a header's text, a section's
# text and each field's text.
SLACK_HEADER_MAX = 150
SLACK_SECTION_MAX = 3000
SLACK_FIELD_MAX = 2000
# Places shown by name in a chat message; the rest are counted ("and 4 more").
MAX_PLACES_SHOWN = 8
# Teams card accent per severity (hex RGB, most severe darkest).
THEME_COLOURS: dict[Severity, str] = {
    "Extreme": "7B0000",
    "Severe": "C62828",
    "Moderate": "EF6C00",
    "Minor": "F9A825",
}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_escape(text: str) -> str:
    """Slack's three control characters (https://api.slack.com/reference/surfaces/formatting):
    report text must not open links or mentions."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def places(alert: Alert) -> str:
    """The alert's place names, the first `MAX_PLACES_SHOWN` of them, or "not reported"."""
    names = list(dict.fromkeys(location.name for location in alert.locations))
    if not names:
        return "not reported"
    shown = ", ".join(names[:MAX_PLACES_SHOWN])
    more = len(names) - MAX_PLACES_SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


def figures(alert: Alert) -> list[tuple[str, str]]:
    """(label, value) for each figure the alert has: killed, injured, launched, intercepted."""
    casualties, projectiles = alert.casualties, alert.projectiles
    rows = [
        ("Killed", figure_range(casualties.killed, casualties.killed_max)),
        ("Injured", figure_range(casualties.injured, casualties.injured_max)),
        ("Launched", figure_range(projectiles.launched, None)),
        ("Intercepted", figure_range(projectiles.intercepted, None)),
    ]
    return [(label, value) for label, value in rows if value is not None]


def title(alert: Alert) -> str:
    """The headline (which starts with the severity), with `Update 2:` in front of a later version."""
    if alert.msg_type == "Update":
        return f"Update {alert.version}: {alert.headline}"
    if alert.msg_type == "Cancel":
        return f"Cancelled: {alert.headline}"
    return alert.headline


def _facts(alert: Alert) -> list[tuple[str, str]]:
    facts = [("Severity", alert.severity), ("Places", places(alert)), *figures(alert)]
    if alert.attacker:
        facts.append(("Attacker", alert.attacker))
    facts.append(("Reports", str(alert.source_count)))
    return facts


def slack_message(alert: Alert, page_url: str) -> dict[str, Any]:
    """A Slack incoming-webhook payload for `alert`, linking `page_url` (the incident page); its
    text as `display_alert` leaves it."""
    alert = display_alert(alert)
    facts = _facts(alert)
    text_lines = [
        f"{slack_escape(title(alert))}",
        *(f"{label}: {slack_escape(value)}" for label, value in facts),
        f"<{page_url}|Open incident {slack_escape(alert.alert_id)}>",
    ]
    fields = [
        {"type": "mrkdwn", "text": _clip(f"*{label}*\n{slack_escape(value)}", SLACK_FIELD_MAX)}
        for label, value in facts[:10]  # a section holds at most ten fields
    ]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _clip(title(alert), SLACK_HEADER_MAX)}},
        {"type": "section", "fields": fields},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": _clip(slack_escape(alert.summary), SLACK_SECTION_MAX)},
        },
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Open incident"},
                    "url": page_url,
                    "action_id": "open-incident",
                }
            ],
        },
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": slack_escape(
                        f"{alert.alert_id} · version {alert.version} · {alert.sent.isoformat()}"
                    ),
                }
            ],
        },
    ]
    return {"text": "\n".join(text_lines), "blocks": blocks}


def _teams_escape(text: str) -> str:
    # Card text is rendered as Markdown with some HTML: report text must stay text.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def teams_card(alert: Alert, page_url: str) -> dict[str, Any]:
    """A Microsoft Teams connector `MessageCard` for `alert`, linking `page_url`; its text as
    `display_alert` leaves it."""
    alert = display_alert(alert)
    return {
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": _clip(title(alert), SLACK_HEADER_MAX),
        "themeColor": THEME_COLOURS[alert.severity],
        "title": _teams_escape(title(alert)),
        "sections": [
            {
                "activityTitle": _teams_escape(alert.headline),
                "activitySubtitle": f"{alert.alert_id} · version {alert.version} · {alert.sent.isoformat()}",
                "facts": [{"name": label, "value": _teams_escape(value)} for label, value in _facts(alert)],
                "text": _teams_escape(alert.summary),
            }
        ],
        "potentialAction": [
            {"@type": "OpenUri", "name": "Open incident", "targets": [{"os": "default", "uri": page_url}]}
        ],
    }


def webhook_body(alert: Alert, fmt: WebhookFormat, *, payload: str, page_url: str) -> str:
    """The body a subscription of format `fmt` receives: `payload` (the Alert JSON as logged) for
    `standard`, else the chat message rendered from `alert`, linking `page_url`."""
    if fmt == "slack":
        return json.dumps(slack_message(alert, page_url), ensure_ascii=False, separators=(",", ":"))
    if fmt == "teams":
        return json.dumps(teams_card(alert, page_url), ensure_ascii=False, separators=(",", ":"))
    return payload
