"""How alerts look on a terminal: one rich panel per alert, or one JSON line per alert."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from schemas import Alert, SourceRef
from services.common.display import display_alert, json_escaped

SEVERITY_STYLE = {
    "Extreme": "bold white on red",
    "Severe": "bold red",
    "Moderate": "yellow",
    "Minor": "green",
}


def _figure(value: int | None, maximum: int | None) -> str:
    if value is None:
        return "?"
    return f"{value}–{maximum}" if maximum and maximum != value else str(value)


def _source_line(source: SourceRef) -> str:
    """A report's title, with what was not read of it or not stated by it said next to it."""
    notes = []
    if source.truncated:
        notes.append(f"only its first {source.read_chars:,} characters read" if source.read_chars else "cut")
    if source.published_basis == "first_seen":
        notes.append("no date in its feed: dated when first seen")
    # A report without a title is named by its outlet or address, else said to be untitled: a bare
    # id reads as a title to a duty officer (red team 4 F23).
    title = source.title or source.source or source.url or f"untitled report (id {source.article_id})"
    return f"{title} ({'; '.join(notes)})" if notes else title


def alert_panel(alert: Alert) -> Panel:
    """One rich panel; report text as `display_alert` leaves it (no control or bidi characters: a
    terminal acts on ESC and CSI sequences, and an override would turn a headline round)."""
    alert = display_alert(alert)
    places = (
        ", ".join(
            loc.name + (f" ({loc.region})" if loc.region and loc.region != loc.name else "")
            for loc in alert.locations
        )
        or "place not stated"
    )
    c, p = alert.casualties, alert.projectiles
    body = Text()
    body.append(alert.headline + "\n", style="bold")
    body.append(f"{alert.event_date or 'date not stated'} · {places}\n")
    body.append(
        f"attacker {alert.attacker or 'not named'} · {', '.join(alert.attack_types) or 'type not stated'}"
        f" · killed {_figure(c.killed, c.killed_max)} · injured {_figure(c.injured, c.injured_max)}"
    )
    if p.launched is not None or p.intercepted is not None:
        body.append(
            f" · projectiles {p.launched if p.launched is not None else '?'} launched, "
            f"{p.intercepted if p.intercepted is not None else '?'} intercepted"
        )
    body.append("\n")
    for reason in alert.severity_reasons:
        body.append(f"  • {reason}\n", style="dim")
    body.append(
        f"{alert.source_count} source(s): " + "; ".join(_source_line(s) for s in alert.sources),
        style="dim",
    )
    title = Text.assemble(
        (f" {alert.severity.upper()} ", SEVERITY_STYLE.get(alert.severity, "")),
        f" {alert.msg_type} v{alert.version} · {alert.alert_id}",
    )
    return Panel(body, title=title, title_align="left")


class AlertPrinter:
    def __init__(self, *, as_json: bool) -> None:
        self.as_json = as_json
        self.console = Console(stderr=False, highlight=False)

    def __call__(self, alert: Alert) -> None:
        if self.as_json:
            # The same JSON, with control and bidi characters as \u escapes: a line on a terminal.
            sys.stdout.write(json_escaped(alert.model_dump_json()) + "\n")
            sys.stdout.flush()
        else:
            self.console.print(alert_panel(alert))
