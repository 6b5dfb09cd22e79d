"""Open incidents as GeoJSON (RFC 7946) and as an Atom feed (RFC 4287) of CAP items. Pure: alerts
in, documents out; which incidents are open, and the URLs, are the caller's."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from feedgen.feed import FeedGenerator
from lxml import etree

from schemas import Alert, Location
from schemas.regions import country_named, region_named, slug
from services.alerter.render import xml_text
from services.common.display import display_alert

ATOM = "http://www.w3.org/2005/Atom"
# RFC 7946 section 11.2: six decimals are about 10 cm; five (1 m) are plenty for a place.
_DECIMALS = 5


def _point(location: Location) -> tuple[float, float, str] | None:
    """(lon, lat, what the point stands for): the place itself, else its region's centroid, else its
    country's; None when nothing is known."""
    if location.lat is not None and location.lon is not None:
        return location.lon, location.lat, "place"
    region = region_named(location.region)
    if region is not None:
        return region.lon, region.lat, "region"
    country = country_named(location.country)
    if country is not None:
        return country.lon, country.lat, "country"
    return None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def features(alert: Alert) -> list[dict[str, Any]]:
    """One GeoJSON Point Feature per place of the alert; its text as `display_alert` leaves it."""
    alert = display_alert(alert)
    out = []
    for index, location in enumerate(alert.locations):
        point = _point(location)
        if point is None:
            continue
        lon, lat, precision = point
        region = region_named(location.region)
        casualties, projectiles = alert.casualties, alert.projectiles
        out.append(
            {
                "type": "Feature",
                "id": f"{alert.alert_id}/{index}",
                "geometry": {"type": "Point", "coordinates": [round(lon, _DECIMALS), round(lat, _DECIMALS)]},
                "properties": {
                    "alert_id": alert.alert_id,
                    "version": alert.version,
                    "msg_type": alert.msg_type,
                    "sent": _aware(alert.sent).isoformat(),
                    "severity": alert.severity,
                    "headline": alert.headline,
                    "event_date": alert.event_date.isoformat() if alert.event_date else None,
                    "attack_types": list(alert.attack_types),
                    "figures": {
                        "killed": casualties.killed,
                        "killed_max": casualties.killed_max,
                        "injured": casualties.injured,
                        "injured_max": casualties.injured_max,
                        "launched": projectiles.launched,
                        "intercepted": projectiles.intercepted,
                    },
                    "source_count": alert.source_count,
                    "place": location.name,
                    "region": location.region,
                    "region_slug": slug(location.region) if location.region else None,
                    "iso_3166_2": region.iso_3166_2 if region is not None else None,
                    "country": location.country,
                    "point_is": precision,
                },
            }
        )
    return out


def feature_collection(alerts: Sequence[Alert]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [f for alert in alerts for f in features(alert)]}


def atom_feed(
    alerts: Sequence[Alert],
    *,
    feed_url: str,
    incident_url: Callable[[str], str],
    cap_url: Callable[[str], str],
    sender: str,
    now: datetime,
) -> bytes:
    """An Atom feed, newest first: one entry per incident (its id stays across versions, `updated`
    is the latest version's `sent`), linking the latest version's CAP XML as CAP aggregators
    expect (`rel="alternate" type="application/cap+xml"`)."""
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title("strikewatch: open incidents")
    feed.subtitle("Attack reports clustered into incidents; each entry links its latest CAP 1.2 alert.")
    feed.link(href=feed_url, rel="self", type="application/atom+xml")
    feed.author({"name": sender})
    feed.updated(max((_aware(alert.sent) for alert in alerts), default=_aware(now)))
    links: list[list[dict[str, str]]] = []
    for alert in alerts:
        entry = feed.add_entry(order="append")
        entry.id(incident_url(alert.alert_id))
        shown = display_alert(alert)
        entry.title(xml_text(shown.headline))
        entry.updated(_aware(alert.sent))
        entry.summary(xml_text(shown.summary))
        links.append(
            [
                {"href": cap_url(alert.alert_id), "rel": "alternate", "type": "application/cap+xml"},
                {"href": incident_url(alert.alert_id), "rel": "related", "type": "application/json"},
            ]
        )
        entry.link(links[-1])
        entry.category(term=alert.severity, scheme="urn:oasis:names:tc:emergency:cap:1.2:severity")
    return _with_link_attributes(feed.atom_str(pretty=True), links)


def _with_link_attributes(xml: bytes, links: Sequence[Sequence[dict[str, str]]]) -> bytes:
    """feedgen 1.0.0 writes an entry's links without `rel` and `type` (it reads them back from the
    XML element it has just created instead of the link it was given); put them back."""
    root = etree.fromstring(xml)
    for entry, wanted in zip(root.iterfind(f"{{{ATOM}}}entry"), links, strict=True):
        for element, link in zip(entry.iterfind(f"{{{ATOM}}}link"), wanted, strict=True):
            assert element.get("href") == link["href"]
            element.set("rel", link["rel"])
            element.set("type", link["type"])
    fixed: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return fixed
