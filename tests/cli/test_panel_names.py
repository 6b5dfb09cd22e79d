"""A report's title and outlet on the console panel (and every rendering `display_alert` feeds, and
the desk through `page_config`): blank is missing, and a long one is cut to one line with "…"
(red team 7 R13, R14). Pure renderings of hand-made alerts."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from rich.console import Console

from schemas import Alert
from services.alerter.clustering import assign
from services.alerter.desk.page import page_config
from services.alerter.render import alert_from_state
from services.common.display import MAX_NAME_CHARS, display_alert, display_name
from services.common.settings import load_settings
from services.console import alert_panel
from tests.alerter.factories import report

NOW = datetime(2024, 1, 2, 9, 30, tzinfo=UTC)
LONG = "Drones over the city again " * 200  # 5,400 characters


def alert_of(**extra: object) -> Alert:
    return alert_from_state(assign([], report("r1", **extra), now=NOW, sender="alerts.example.org").state)


def panel_text(alert: Alert) -> str:
    out = io.StringIO()
    Console(file=out, width=120, color_system=None).print(alert_panel(alert))
    return out.getvalue()


@pytest.mark.parametrize("blank", ["", "   ", "\n\t ", "\u202e \u200f"])
def test_a_blank_title_is_no_title(blank: str) -> None:
    assert display_name(blank) is None


def test_a_long_title_is_one_line_cut_with_an_ellipsis() -> None:
    shown = display_name(LONG)
    assert shown is not None
    assert len(shown) <= MAX_NAME_CHARS and shown.endswith("…")
    assert LONG.startswith(shown[:-1] + " ")  # cut at a word break
    assert display_name("Drones\n over   Kyiv ") == "Drones over Kyiv"
    assert display_name("x" * MAX_NAME_CHARS) == "x" * MAX_NAME_CHARS
    assert display_name("x" * (MAX_NAME_CHARS + 1)) == "x" * (MAX_NAME_CHARS - 1) + "…"


def test_the_panel_names_a_report_with_a_blank_title_by_its_outlet() -> None:
    text = panel_text(alert_of(title="   ", source="Wire Service"))
    assert "1 source(s): Wire Service" in text
    (source,) = display_alert(alert_of(title="\n", source="  ")).sources
    assert source.title is None and source.source is None


def test_the_panel_shows_a_long_title_shortened() -> None:
    alert = alert_of(title=LONG, source="Wire Service")
    text = panel_text(alert)
    assert "…" in text
    assert text.count("Drones over the city") < 10
    assert alert.sources[0].title == LONG  # the Alert itself keeps the title as sent


def test_the_desk_is_told_the_same_limit() -> None:
    assert page_config(load_settings(desk_tiles_url=""))["name_chars"] == MAX_NAME_CHARS
