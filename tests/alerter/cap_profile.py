"""What CAP consumers check beyond the OASIS schema, written for these tests from the public checks of
google/cap-library (its CapValidator and the Google Public Alerts profile) and CAP 1.2 itself.

`problems(xml)` lists every error, and every recommendation we mean to meet, as readable strings; an
empty list means a consumer running those checks accepts the document. Not covered: the
recommendations we knowingly do not meet (`<instruction>`, `<contact>`, "Unknown" urgency for an
undated attack, UTC rather than a local time zone) - the profile lists those as advice, not errors.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

from lxml import etree

CAP = "urn:oasis:names:tc:emergency:cap:1.2"
NS = {"cap": CAP}
# CAP 1.2 section 3.3.2: explicit numeric offset, UTC as -00:00 (never Z, never +00:00).
CAP_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$")
RFC_3066_LANGUAGE = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
MIME_TOP_LEVEL = {"application", "audio", "image", "message", "model", "multipart", "text", "video"}
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
HTML_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
# <sender>: CAP forbids whitespace, commas and restricted characters; domain-style ids only.
DOMAIN_ID = re.compile(r"^[A-Za-z0-9._%+-]+(@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*)?$")
ISO_3166_2 = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
ISO_3166_1 = re.compile(r"^[A-Z]{2}$")
HEADLINE_MAX = 140


def _text(element: etree._Element, path: str) -> str:
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _absolute(uri: str) -> bool:
    parts = urlsplit(uri)
    return bool(parts.scheme) and bool(parts.netloc)


def _later(a: str, b: str) -> bool:
    """Whether date-time `a` comes after `b` (False when either is malformed: reported elsewhere)."""
    if not (CAP_DATETIME.match(a) and CAP_DATETIME.match(b)):
        return False
    return _moment(a) > _moment(b)


def _datetime_problems(where: str, text: str) -> list[str]:
    if not CAP_DATETIME.match(text):
        return [f"{where}: {text!r} is not a CAP date-time with a numeric offset"]
    if text.endswith("+00:00"):
        return [f"{where}: {text!r} writes UTC as +00:00; CAP 1.2 wants -00:00"]
    return []


def problems(xml: str) -> list[str]:
    """Every check a CAP consumer of this profile makes that the document fails."""
    out: list[str] = []
    if re.search(r"<\w+:alert\b", xml) or "xmlns:" in xml:
        out.append("the document uses a namespace prefix; consumers expect CAP's default namespace")
    root = etree.fromstring(xml.encode("utf-8"))
    if root.tag != f"{{{CAP}}}alert":
        return [*out, f"root element is {root.tag}, not a CAP 1.2 alert"]

    identifier, sender, sent = (
        _text(root, "cap:identifier"),
        _text(root, "cap:sender"),
        _text(root, "cap:sent"),
    )
    if not DOMAIN_ID.match(sender):
        out.append(f"sender {sender!r} is not a domain-style id")
    out.extend(_datetime_problems("sent", sent))
    msg_type = _text(root, "cap:msgType")
    references = _text(root, "cap:references").split()
    if msg_type in ("Update", "Cancel") and not references:
        out.append(f"an {msg_type} must reference the messages it updates")
    for reference in references:
        parts = reference.split(",")
        if len(parts) != 3:
            out.append(f"reference {reference!r} is not sender,identifier,sent")
            continue
        if parts[1] == identifier:
            out.append(f"reference {reference!r} refers to the alert itself")
        out.extend(_datetime_problems(f"reference {reference!r}", parts[2]))
        if _later(parts[2], sent):
            out.append(f"reference {reference!r} was sent after the alert")
    if _text(root, "cap:status") == "Test":
        out.append("Test alerts are not shown by consumers")

    infos = root.findall("cap:info", NS)
    if not infos:
        out.append("an alert for the public needs an <info>")
    categories: set[str] | None = None
    event_codes: set[tuple[str, str]] | None = None
    for i, info in enumerate(infos, start=1):
        where = f"info[{i}]"
        cats = {c.text or "" for c in info.findall("cap:category", NS)}
        codes = {
            (_text(c, "cap:valueName"), _text(c, "cap:value")) for c in info.findall("cap:eventCode", NS)
        }
        if categories is not None and cats != categories:
            out.append(f"{where}: categories differ from the first info's")
        if event_codes is not None and codes != event_codes:
            out.append(f"{where}: event codes differ from the first info's")
        categories, event_codes = cats, codes
        language = _text(info, "cap:language")
        if language and not RFC_3066_LANGUAGE.match(language):
            out.append(f"{where}: language {language!r} is not RFC 3066")
        for tag in ("urgency", "severity", "certainty", "description"):
            if not _text(info, f"cap:{tag}"):
                out.append(f"{where}: <{tag}> is required")
        for tag in ("senderName",):
            if not _text(info, f"cap:{tag}"):
                out.append(f"{where}: <{tag}> is strongly recommended")
        if not info.findall("cap:responseType", NS):
            out.append(f"{where}: <responseType> is strongly recommended")
        for tag in ("severity", "certainty"):
            if _text(info, f"cap:{tag}") == "Unknown":
                out.append(f"{where}: Unknown <{tag}> is discouraged")
        headline, description = _text(info, "cap:headline"), _text(info, "cap:description")
        if len(headline) > HEADLINE_MAX:
            out.append(f"{where}: headline is longer than {HEADLINE_MAX} characters")
        if headline and headline == description:
            out.append(f"{where}: description only repeats the headline")
        web = _text(info, "cap:web")
        if not web:
            out.append(f"{where}: <web> is required")
        elif not _absolute(web):
            out.append(f"{where}: <web> {web!r} is not an absolute URI")
        expires = _text(info, "cap:expires")
        if not expires:
            out.append(f"{where}: <expires> is required")
        else:
            out.extend(_datetime_problems(f"{where}/expires", expires))
            effective = _text(info, "cap:effective") or sent
            if _later(effective, expires):
                out.append(f"{where}: effective comes after expires")
        for tag in ("effective", "onset"):
            if _text(info, f"cap:{tag}"):
                out.extend(_datetime_problems(f"{where}/{tag}", _text(info, f"cap:{tag}")))
        for j, resource in enumerate(info.findall("cap:resource", NS), start=1):
            mime = _text(resource, "cap:mimeType")
            if "/" not in mime or mime.split("/", 1)[0] not in MIME_TOP_LEVEL:
                out.append(f"{where}/resource[{j}]: mimeType {mime!r} is not a media type")
            uri = _text(resource, "cap:uri")
            if uri and not _absolute(uri) and not _text(resource, "cap:derefUri"):
                out.append(f"{where}/resource[{j}]: relative uri {uri!r} without derefUri")
        areas = info.findall("cap:area", NS)
        if not areas:
            out.append(f"{where}: at least one <area> is required")
        for j, area in enumerate(areas, start=1):
            at = f"{where}/area[{j}]"
            circles = [c.text or "" for c in area.findall("cap:circle", NS)]
            geocodes = area.findall("cap:geocode", NS)
            if not circles and not area.findall("cap:polygon", NS):
                out.append(f"{at}: needs a <circle> or <polygon> (geometry)")
            for circle in circles:
                centre, _, radius = circle.partition(" ")
                lat, _, lon = centre.partition(",")
                if not (-90 <= float(lat) <= 90 and -180 <= float(lon) <= 180):
                    out.append(f"{at}: circle {circle!r} is off the globe")
                if float(radius) <= 0:
                    out.append(f"{at}: circle {circle!r} has no radius")
            if not geocodes:
                out.append(f"{at}: needs a <geocode>")
            for code in geocodes:
                name, value = _text(code, "cap:valueName"), _text(code, "cap:value")
                if not name or not value:
                    out.append(f"{at}: empty geocode field")
                elif name == "ISO 3166-2" and not ISO_3166_2.match(value):
                    out.append(f"{at}: {value!r} is not an ISO 3166-2 code")
                elif name == "ISO 3166-1 alpha-2" and not ISO_3166_1.match(value):
                    out.append(f"{at}: {value!r} is not an ISO 3166-1 alpha-2 code")
            if not _text(area, "cap:areaDesc"):
                out.append(f"{at}: <areaDesc> is required")
    for element in root.iter():
        text = element.text or ""
        if isinstance(element.tag, str) and (HTML_TAG.search(text) or HTML_ENTITY.search(text)):
            out.append(f"{etree.QName(element).localname}: text contains HTML")
    return out
