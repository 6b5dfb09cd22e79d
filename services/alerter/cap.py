"""An Alert as an OASIS CAP 1.2 `<alert>` that CAP consumers accept. Pure, given `CapOptions`.

What consumers check beyond the schema (the public profile checks of google/cap-library's
validator, and CAP 1.2 itself): the document uses CAP's default namespace without prefixes; every
date-time has an explicit offset and UTC is written `-00:00` (CAP 1.2 section 3.3.2); each `<info>`
has `<expires>`, an absolute `<web>` address, a `<description>` different from the headline and at
least one `<area>` with a `<circle>` and a `<geocode>`; `<sender>` is a domain-style id.

Areas: a place with coordinates is a circle of `SETTLEMENT_RADIUS_KM` around it (a region named
alone: its own circle from schemas/data/regions.json); a place known only by its region (a village
not in the gazetteer) is its region's circle; a place with no known region is its country's; an
alert with no place at all is `CapOptions.fallback_country`'s. The geocode is the region's ISO
3166-2 code, else the country's ISO 3166-1 alpha-2 code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from lxml import etree

from schemas import Alert, Location, SourceRef
from schemas.regions import Area, Region, country_named, region_named
from services.alerter.clustering import cap_datetime, cap_identifier, place_of
from services.alerter.links import cap_sender, incident_page_url, public_base_url
from services.alerter.render import join_words, xml_text
from services.common.display import display_alert
from services.common.settings import Settings

CAP_NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
# Radius (km) of the CAP circle around a settlement's coordinates; a region's own radius comes from
# regions.json, and this for a region named alone whose region the table does not know.
SETTLEMENT_RADIUS_KM = 10.0
REGION_RADIUS_KM = 100.0
# CAP <geocode> value names: a first-level region's code, or a whole country's.
ISO_3166_2 = "ISO 3166-2"
ISO_3166_1 = "ISO 3166-1 alpha-2"
# CAP <resource> of a report: a web page.
REPORT_MIME_TYPE = "text/html"


@dataclass(frozen=True, slots=True)
class CapOptions:
    """What a deployment says in its CAP documents (from the settings, `cap_options`)."""

    sender: str  # <sender>, and in <references>
    # <web> is the incident's page under it (services/alerter/links.py); None: no <web> (optional in
    # CAP 1.2), for a document made where no page is known to be served (`strikewatch export`).
    base_url: str | None
    expires_h: float  # <expires> = <sent> + this
    fallback_country: str  # the area of an alert without a place
    contact: str | None = None  # <contact>; cap_options gives the sender when none is set
    instruction: str | None = None  # <instruction>: only the operator's own words, never invented


def cap_options(settings: Settings) -> CapOptions:
    """Read once by the shell: STRIKEWATCH_CAP_SENDER, STRIKEWATCH_PUBLIC_URL,
    STRIKEWATCH_CAP_EXPIRES_H, STRIKEWATCH_CAP_FALLBACK_COUNTRY, STRIKEWATCH_CAP_CONTACT (default:
    the sender) and STRIKEWATCH_CAP_INSTRUCTION (default: none)."""
    base = public_base_url(settings)
    sender = cap_sender(settings)
    return CapOptions(
        sender=sender,
        base_url=base,
        expires_h=settings.cap_expires_h,
        fallback_country=settings.cap_fallback_country,
        contact=settings.cap_contact or sender,
        instruction=settings.cap_instruction,
    )


@dataclass(frozen=True, slots=True)
class CapArea:
    """One `<area>`: what it is called, the circle covering it, and its ISO code."""

    desc: str
    lat: float
    lon: float
    radius_km: float
    geocode: tuple[str, str]  # (valueName, value)


def _geocode(region: Region | None, country_code: str) -> tuple[str, str]:
    if region is not None and region.iso_3166_2:
        return ISO_3166_2, region.iso_3166_2
    return ISO_3166_1, country_code


def _around(desc: str, area: Area, region: Region | None) -> CapArea:
    return CapArea(desc, area.lat, area.lon, area.radius_km, _geocode(region, area.country_code))


def area_of(location: Location, *, fallback_country: str) -> CapArea:
    """The CAP area of one place: the place's own circle when it has coordinates, else its region's,
    else its country's (else `fallback_country`'s)."""
    place = place_of(location)
    region = region_named(location.region) or (region_named(location.name) if place.region_only else None)
    country = country_named(location.country) or country_named(region.country if region else None)
    desc = location.name
    if location.region and not place.region_only and location.region != location.name:
        desc = f"{location.name}, {location.region}"
    if location.country:
        desc = f"{desc}, {location.country}"
    fallback = country or country_named(fallback_country)
    assert fallback is not None, "the settings check the fallback country"
    if location.lat is not None and location.lon is not None:
        if place.region_only:
            radius = region.radius_km if region is not None else REGION_RADIUS_KM
        else:
            radius = SETTLEMENT_RADIUS_KM
        code = region.country_code if region is not None else fallback.country_code
        return CapArea(desc, location.lat, location.lon, radius, _geocode(region, code))
    if region is not None:
        return _around(desc, region, region)
    return _around(desc, fallback, None)


def alert_areas(alert: Alert, *, fallback_country: str) -> list[CapArea]:
    """One area per place; for an alert without places, the fallback country's."""
    if alert.locations:
        return [area_of(location, fallback_country=fallback_country) for location in alert.locations]
    country = country_named(fallback_country)
    assert country is not None, "the settings check the fallback country"
    return [_around(f"{country.name} (no place reported)", country, None)]


def cap_reference(reference: str) -> str:
    """A stored `sender,identifier,sent` reference with its `sent` written the CAP way (versions
    logged before UTC was written `-00:00` said `+00:00`)."""
    sender, identifier, sent = reference.rsplit(",", 2)
    try:
        moment = datetime.fromisoformat(sent)
    except ValueError:
        return reference
    return f"{sender},{identifier},{cap_datetime(moment)}"


def _absolute(url: str | None) -> bool:
    """CAP wants a resource's <uri> absolute; another address stays in the description only."""
    if not url:
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _source_line(source: SourceRef) -> str:
    outlet = source.source or "unknown outlet"
    title = f": {source.title}" if source.title else ""
    where = f" ({source.url})" if source.url else ""
    return f"- {outlet}{title}{where}"


def description(alert: Alert) -> str:
    """The summary, the severity reasons and the reports behind the alert (outlet, title, address)."""
    parts = [alert.summary]
    if alert.severity_reasons:
        parts.append("Severity: " + "; ".join(alert.severity_reasons) + ".")
    listed = alert.sources
    lines = [_source_line(source) for source in listed]
    more = alert.source_count - len(listed)
    if more > 0:
        lines.append(f"- and {more} more report{'s' if more != 1 else ''}")
    parts.append("Sources:\n" + "\n".join(lines))
    return "\n\n".join(parts)


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{CAP_NAMESPACE}}}{tag}")
    if text is not None:
        element.text = xml_text(text)
    return element


def _pair(parent: etree._Element, tag: str, name: str, value: str) -> None:
    element = _sub(parent, tag)
    _sub(element, "valueName", name)
    _sub(element, "value", value)


def _event_name(alert: Alert) -> str:
    kinds = [t.replace("_", " ") for t in alert.attack_types if t != "other"]
    return (join_words(kinds).capitalize() + " attack") if kinds else "Attack"


def expires(alert: Alert, options: CapOptions) -> datetime:
    """When this version stops being current: `expires_h` after it was sent."""
    return alert.sent + timedelta(hours=options.expires_h)


def to_cap_xml(alert: Alert, options: CapOptions) -> str:
    """The alert as a CAP 1.2 `<alert>` in the default namespace; `references` names the earlier
    versions, `<web>` the incident's page, `<resource>` each report with an address. Report text
    is shown as `display_alert` leaves it (no control or bidi characters)."""
    alert = display_alert(alert)
    root = etree.Element(f"{{{CAP_NAMESPACE}}}alert", nsmap={None: CAP_NAMESPACE})
    _sub(root, "identifier", cap_identifier(alert.alert_id, alert.version))
    _sub(root, "sender", options.sender)
    _sub(root, "sent", cap_datetime(alert.sent))
    _sub(root, "status", "Actual")
    _sub(root, "msgType", alert.msg_type)
    _sub(root, "scope", "Public")
    if alert.references:
        _sub(root, "references", " ".join(cap_reference(ref) for ref in alert.references))
    _sub(root, "incidents", alert.alert_id)

    info = _sub(root, "info")
    _sub(info, "language", "en-US")
    _sub(info, "category", "Security")
    _sub(info, "event", _event_name(alert))
    _sub(info, "responseType", "Monitor")
    _sub(info, "urgency", alert.urgency)
    _sub(info, "severity", alert.severity)
    _sub(info, "certainty", alert.certainty)
    for attack_type in alert.attack_types:
        _pair(info, "eventCode", "strikewatch:attack_type", attack_type)
    _sub(info, "expires", cap_datetime(expires(alert, options)))
    _sub(info, "senderName", "strikewatch")
    _sub(info, "headline", alert.headline)
    _sub(info, "description", description(alert))
    # CAP 1.2's order inside <info>: description, instruction, web, contact, parameter.
    if options.instruction:
        _sub(info, "instruction", options.instruction)
    if options.base_url is not None:
        _sub(info, "web", incident_page_url(options.base_url, alert.alert_id))
    if options.contact:
        _sub(info, "contact", options.contact)
    parameters: list[tuple[str, str]] = [("source_count", str(alert.source_count))]
    if alert.event_date is not None:
        parameters.append(("event_date", alert.event_date.isoformat()))
    if alert.attacker:
        parameters.append(("attacker", alert.attacker))
    for field in ("killed", "killed_max", "injured", "injured_max"):
        value = getattr(alert.casualties, field)
        if value is not None:
            parameters.append((field, str(value)))
    for field in ("launched", "intercepted"):
        value = getattr(alert.projectiles, field)
        if value is not None:
            parameters.append((field, str(value)))
    for name, value in parameters:
        _pair(info, "parameter", f"strikewatch:{name}", value)
    for source in alert.sources:
        if _absolute(source.url):
            resource = _sub(info, "resource")
            label = f"{source.source or 'Report'}: {source.title or source.article_id}"
            _sub(resource, "resourceDesc", label)
            _sub(resource, "mimeType", REPORT_MIME_TYPE)
            _sub(resource, "uri", source.url or "")
    for area in alert_areas(alert, fallback_country=options.fallback_country):
        element = _sub(info, "area")
        _sub(element, "areaDesc", area.desc)
        _sub(element, "circle", f"{area.lat:.4f},{area.lon:.4f} {area.radius_km:.1f}")
        _pair(element, "geocode", *area.geocode)
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml.decode("utf-8")
