"""Pure parts of the read APIs: query parameters, cursors, stream ids, GeoJSON features."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas import Location
from services.alerter.clustering import start
from services.alerter.feeds import features
from services.alerter.filters import (
    AlertFilter,
    BadQuery,
    Cursor,
    alert_filter,
    cursor_param,
    log_id,
    since_time,
    stream_id_key,
)
from services.alerter.queries import previous_id
from services.alerter.render import alert_from_state

from .factories import KYIV, MAKIIVKA, report


def alert_at(*locations: Location, severity: str = "Severe", types: list[str] | None = None):
    state = start(
        report("f", locations=list(locations), severity=severity, types=types),
        alert_id="sw-f",
        now=datetime(2024, 1, 1, tzinfo=UTC),
    )
    return alert_from_state(state)


def test_filters_parse_and_match() -> None:
    where = alert_filter({"severity": "Severe", "region": "Donetsk Oblast", "type": "ROCKET"})
    assert where == AlertFilter("Severe", "donetsk-oblast", "rocket")
    assert where.matches(alert_at(MAKIIVKA, severity="Extreme", types=["rocket"]))
    assert not where.matches(alert_at(MAKIIVKA, severity="Moderate", types=["rocket"]))
    assert not where.matches(alert_at(KYIV, severity="Extreme", types=["rocket"]))
    assert alert_filter({}) == AlertFilter()


def test_cursors_round_trip_and_foreign_ones_are_refused() -> None:
    cursor = Cursor(1_700_000_000_000, "sw-0123abcd")
    assert cursor_param(cursor.encode()) == cursor
    for bad in ("x", "bm9jb2xvbg", "OjEy"):
        with pytest.raises(BadQuery, match="previous answer"):
            cursor_param(bad)


def test_since_accepts_dates_and_rfc3339() -> None:
    assert since_time("2024-01-31") == datetime(2024, 1, 31, tzinfo=UTC)
    assert since_time("2024-01-31T18:00:00Z") == datetime(2024, 1, 31, 18, tzinfo=UTC)
    assert since_time("2024-01-31T20:00:00+02:00") == datetime(2024, 1, 31, 18, tzinfo=UTC)
    assert since_time(None) is None


def test_stream_ids_normalise_order_and_step_back() -> None:
    assert log_id("0", what="since") == "0-0"
    assert log_id("1700000000000", what="since") == "1700000000000-0"
    assert stream_id_key("5-10") > stream_id_key("5-9") > stream_id_key("4-99")
    assert previous_id("5-3") == "5-2"
    assert previous_id("5-0") == "4-18446744073709551615"
    with pytest.raises(BadQuery, match="Last-Event-ID"):
        log_id("5-x", what="Last-Event-ID")


def test_geojson_points_fall_back_to_the_region_then_the_country() -> None:
    """A place without coordinates is drawn at its region's centroid, and says so."""
    village = Location(name="Somewhere Small", region="Kharkiv Oblast", country="Ukraine")
    sea = Location(name="Black Sea")
    country_only = Location(name="Somewhere", country="Ukraine")
    found = features(alert_at(KYIV, village, sea, country_only))
    assert [f["properties"]["point_is"] for f in found] == ["place", "region", "country"]
    assert found[1]["properties"]["iso_3166_2"] == "UA-63"
    assert found[1]["geometry"]["coordinates"] == [36.23, 49.99]
    assert [f["id"] for f in found] == ["sw-f/0", "sw-f/1", "sw-f/3"]
