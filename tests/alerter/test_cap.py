"""CAP exports that consumers accept: the OASIS CAP 1.2 schema, the profile checks written from the
public google/cap-library checks (cap_profile.py), and the issue's own rules."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from cap_tools.models import Alert as CapAlert
from lxml import etree
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig

from schemas import Alert, Location
from services.alerter.cap import CapOptions, alert_areas, cap_options, cap_reference, to_cap_xml
from services.alerter.clustering import IncidentState, assign
from services.alerter.links import cap_sender, incident_page_url, public_base_url
from services.alerter.render import alert_from_state
from services.common.settings import SettingsError, load_settings

from . import cap_profile
from .factories import KHARKIV, KYIV, KYIV_OBLAST, MAKIIVKA, report, seed_reports
from .seeding import classified_seed_alerts

if TYPE_CHECKING:
    from services.classifier.engine import Classifier

XSD = Path(__file__).with_name("CAP-v1.2.xsd")
NOW = datetime(2024, 1, 2, 9, 30, 15, tzinfo=UTC)
OPTIONS = CapOptions(
    sender="alerts.example.org",
    base_url="https://desk.example.org",
    expires_h=24.0,
    fallback_country="Ukraine",
)
CAP_NS = {"cap": cap_profile.CAP}
VILLAGE = Location(name="Velyka Dymerka", region="Kyiv Oblast", country="Ukraine")  # not in the gazetteer
REGION_ONLY = Location(name="Kharkiv Oblast", region="Kharkiv Oblast", country="Ukraine")  # no coordinates
COUNTRY_ONLY = Location(name="an airfield", country="Russia")


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


@pytest.fixture(scope="module")
def seed_alerts(engine: Classifier) -> list[Alert]:
    return classified_seed_alerts(engine, now=NOW)[1]


def incident(*reports: object) -> IncidentState:
    state: IncidentState | None = None
    for r in reports:
        state = assign([state] if state else [], r, now=NOW, sender="alerts.example.org").state  # type: ignore[arg-type]
    assert state is not None
    return state


def hand_made_alerts() -> list[Alert]:
    """The seeds as a reader labels them (with an Update), a village, a region-only, a country-only
    and a placeless report, one with sources that have addresses."""
    states: dict[str, IncidentState] = {}
    for r in seed_reports():
        candidates = list(states.values())
        state = assign(candidates, r, now=NOW, sender="alerts.example.org").state
        states[state.alert_id] = state
    extra = [
        incident(report("village", locations=[VILLAGE], injured=1)),
        incident(report("region", locations=[REGION_ONLY], types=["missile"])),
        incident(report("country", locations=[COUNTRY_ONLY], attacker="Ukraine")),
        incident(report("placeless", locations=[], day=None)),
        incident(
            report("first", locations=[KYIV], source="Kyiv Daily", url="https://kyiv.example.net/a?id=1&x=2"),
            report("second", locations=[KYIV, KYIV_OBLAST], killed=2, source="Wire", url="not a url"),
        ),
    ]
    return [alert_from_state(s) for s in [*states.values(), *extra]]


def check_accepted(xml: str, schema: etree.XMLSchema) -> etree._Element:
    document = etree.fromstring(xml.encode("utf-8"))
    schema.assertValid(document)
    assert cap_profile.problems(xml) == []
    # cap-tools' typed bindings parse it strictly too.
    XmlParser(config=ParserConfig(fail_on_unknown_properties=True)).from_string(xml, CapAlert)
    return document


def test_seed_incidents_pass_the_schema_and_the_profile(
    seed_alerts: list[Alert], schema: etree.XMLSchema
) -> None:
    assert len(seed_alerts) == 3
    for alert in seed_alerts:
        check_accepted(to_cap_xml(alert, OPTIONS), schema)


def test_village_region_country_and_placeless_alerts_pass_the_schema_and_the_profile(
    schema: etree.XMLSchema,
) -> None:
    alerts = hand_made_alerts()
    assert any(alert.msg_type == "Update" for alert in alerts)
    for alert in alerts:
        check_accepted(to_cap_xml(alert, OPTIONS), schema)


def test_the_profile_checks_really_constrain(schema: etree.XMLSchema) -> None:
    """A document missing what consumers require fails the profile checks (a check that cannot fail
    proves nothing)."""
    xml = to_cap_xml(alert_from_state(incident(report("a"))), OPTIONS)
    for broken, complaint in [
        (re.sub(r"\s*<expires>[^<]*</expires>", "", xml), "<expires> is required"),
        (re.sub(r"\s*<web>[^<]*</web>", "", xml), "<web> is required"),
        (re.sub(r"\s*<circle>[^<]*</circle>", "", xml), "needs a <circle>"),
        (re.sub(r"\s*<geocode>.*?</geocode>", "", xml, flags=re.S), "needs a <geocode>"),
        (re.sub(r"\s*<area>.*</area>", "", xml, flags=re.S), "at least one <area>"),
        (xml.replace("-00:00</sent>", "+00:00</sent>"), "writes UTC as +00:00"),
        (xml.replace("-00:00</sent>", "Z</sent>"), "not a CAP date-time"),
        (xml.replace("<sender>alerts.example.org", "<sender>alerts example"), "not a domain-style id"),
    ]:
        assert any(complaint in problem for problem in cap_profile.problems(broken)), complaint
    prefixed = xml.replace("<alert xmlns=", "<cap:alert xmlns:cap=").replace("</alert>", "</cap:alert>")
    assert any("prefix" in problem for problem in cap_profile.problems(prefixed))


def test_default_namespace_and_utc_written_minus_zero(seed_alerts: list[Alert]) -> None:
    """`<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">`, and every date-time (sent, expires,
    references) with an explicit offset, UTC as -00:00 (CAP 1.2 section 3.3.2)."""
    update = incident(report("a", locations=[KYIV]), report("b", locations=[KYIV], killed=4))
    for alert in [*seed_alerts, alert_from_state(update)]:
        xml = to_cap_xml(alert, OPTIONS)
        assert '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">' in xml
        assert "ns0:" not in xml and "xmlns:" not in xml
        root = etree.fromstring(xml.encode())
        moments = [
            root.findtext("cap:sent", namespaces=CAP_NS),
            root.findtext("cap:info/cap:expires", namespaces=CAP_NS),
        ]
        moments += [
            ref.split(",")[2] for ref in (root.findtext("cap:references", namespaces=CAP_NS) or "").split()
        ]
        for moment in moments:
            assert moment is not None and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-00:00", moment), (
                moment
            )
    assert alert_from_state(update).references == [
        f"alerts.example.org,{update.alert_id}-v1,2024-01-02T09:30:15-00:00"
    ]


def test_references_logged_with_plus_zero_are_written_minus_zero() -> None:
    """Versions logged before this change said +00:00; their CAP export says -00:00."""
    assert (
        cap_reference("s.example,sw-1-v1,2024-01-02T09:30:15+00:00")
        == "s.example,sw-1-v1,2024-01-02T09:30:15-00:00"
    )
    assert (
        cap_reference("s.example,sw-1-v1,2024-01-02T11:30:15+02:00")
        == "s.example,sw-1-v1,2024-01-02T11:30:15+02:00"
    )


def test_expires_follows_the_setting_and_web_is_the_incident_page() -> None:
    alert = alert_from_state(incident(report("a")))
    for hours in (24.0, 6.0):
        options = CapOptions("alerts.example.org", "https://desk.example.org/", hours, "Ukraine")
        root = etree.fromstring(to_cap_xml(alert, options).encode())
        expires = datetime.fromisoformat(root.findtext("cap:info/cap:expires", namespaces=CAP_NS) or "")
        assert expires == alert.sent + timedelta(hours=hours)
        web = root.findtext("cap:info/cap:web", namespaces=CAP_NS)
        assert web == f"https://desk.example.org/?alert={alert.alert_id}"
        assert web == incident_page_url(options.base_url, alert.alert_id)


def test_every_place_gets_a_circle_and_an_iso_code() -> None:
    """The place's coordinates, else its region's centroid and radius, else its country's; the
    geocode is the region's ISO 3166-2 code, else the country's ISO 3166-1 code."""
    alert = alert_from_state(
        incident(
            report("a", locations=[KYIV, KHARKIV, KYIV_OBLAST, MAKIIVKA, VILLAGE, REGION_ONLY, COUNTRY_ONLY])
        )
    )
    areas = alert_areas(alert, fallback_country="Ukraine")
    got = [(a.lat, a.lon, a.radius_km, a.geocode) for a in areas]
    assert got == [
        (50.4501, 30.5234, 10.0, ("ISO 3166-2", "UA-30")),  # Kyiv: its own coordinates
        (49.9935, 36.2304, 10.0, ("ISO 3166-2", "UA-63")),
        (50.05, 30.77, 100.0, ("ISO 3166-2", "UA-32")),  # Kyiv Oblast named alone: the region's radius
        (48.0478, 37.9258, 10.0, ("ISO 3166-2", "UA-14")),
        (50.05, 30.77, 100.0, ("ISO 3166-2", "UA-32")),  # the village: its region's circle
        (49.99, 36.23, 100.0, ("ISO 3166-2", "UA-63")),  # Kharkiv Oblast without coordinates
        (55.75, 37.62, 1500.0, ("ISO 3166-1 alpha-2", "RU")),  # only the country is known
    ]
    assert [a.desc for a in areas][4] == "Velyka Dymerka, Kyiv Oblast, Ukraine"
    placeless = alert_from_state(incident(report("p", locations=[])))
    (area,) = alert_areas(placeless, fallback_country="Ukraine")
    assert (area.desc, area.geocode, area.radius_km) == (
        "Ukraine (no place reported)",
        ("ISO 3166-1 alpha-2", "UA"),
        650.0,
    )


def test_sources_are_resources_and_listed_in_the_description() -> None:
    alert = alert_from_state(
        incident(
            report("first", locations=[KYIV], source="Kyiv Daily", url="https://kyiv.example.net/a?id=1&x=2"),
            report("second", locations=[KYIV], killed=2, source="Wire", url="not a url"),
        )
    )
    root = etree.fromstring(to_cap_xml(alert, OPTIONS).encode())
    resources = root.findall("cap:info/cap:resource", CAP_NS)
    assert [
        (r.findtext("cap:resourceDesc", namespaces=CAP_NS), r.findtext("cap:uri", namespaces=CAP_NS))
        for r in resources
    ] == [("Kyiv Daily: Report first", "https://kyiv.example.net/a?id=1&x=2")]
    description = root.findtext("cap:info/cap:description", namespaces=CAP_NS) or ""
    assert "- Kyiv Daily: Report first (https://kyiv.example.net/a?id=1&x=2)" in description
    assert "- Wire: Report second (not a url)" in description
    assert alert.severity_reasons[0] in description


def test_public_url_sender_and_fallback_country_come_from_the_settings() -> None:
    s = load_settings(http_host="127.0.0.1", http_port=8123)
    assert public_base_url(s) == "http://127.0.0.1:8123"
    assert cap_sender(s) == "strikewatch", "not the host: every replica names the same sender"
    s = load_settings(public_url="https://desk.example.org/strikewatch/", cap_sender="alerts.example.org")
    options = cap_options(s)
    assert (options.base_url, options.sender, options.expires_h) == (
        "https://desk.example.org/strikewatch",
        "alerts.example.org",
        24.0,
    )
    assert (
        incident_page_url(options.base_url, "sw-1/2")
        == "https://desk.example.org/strikewatch/?alert=sw-1%2F2"
    )
    assert cap_options(load_settings(public_url="https://desk.example.org")).sender == "desk.example.org"
    assert load_settings(cap_expires_h=6).cap_expires_h == 6
    for bad in (
        {"cap_sender": "a, b"},
        {"public_url": "desk.example.org"},
        {"cap_fallback_country": "Atlantis"},
    ):
        with pytest.raises(SettingsError):
            load_settings(**bad)


def test_contact_defaults_to_the_sender_and_no_instruction_is_invented(schema: etree.XMLSchema) -> None:
    alert = alert_from_state(incident(report("a", locations=[KYIV])))
    options = cap_options(load_settings(cap_sender="alerts.example.org"))
    assert (options.contact, options.instruction) == ("alerts.example.org", None)
    root = check_accepted(to_cap_xml(alert, options), schema)
    assert root.findtext("cap:info/cap:contact", namespaces=CAP_NS) == "alerts.example.org"
    assert root.find("cap:info/cap:instruction", namespaces=CAP_NS) is None
    # Blank settings are unset, not an empty element.
    blank = cap_options(load_settings(cap_sender="alerts.example.org", cap_contact="  ", cap_instruction=" "))
    assert (blank.contact, blank.instruction) == ("alerts.example.org", None)


def test_operator_contact_and_instruction_are_carried_in_schema_order(schema: etree.XMLSchema) -> None:
    alert = alert_from_state(incident(report("a", locations=[KYIV], killed=1)))
    words = "Follow the instructions of your local civil protection office.\nCheck official channels."
    settings = load_settings(
        cap_sender="alerts.example.org", cap_contact="Duty desk +380 44 000 0000", cap_instruction=words
    )
    root = check_accepted(to_cap_xml(alert, cap_options(settings)), schema)
    info = root.find("cap:info", namespaces=CAP_NS)
    assert info is not None
    assert root.findtext("cap:info/cap:instruction", namespaces=CAP_NS) == words
    assert root.findtext("cap:info/cap:contact", namespaces=CAP_NS) == "Duty desk +380 44 000 0000"
    tags = [etree.QName(child).localname for child in info]
    assert tags.index("description") < tags.index("instruction") < tags.index("web") < tags.index("contact")
    assert tags.index("contact") < tags.index("parameter")
    with pytest.raises(SettingsError):
        load_settings(cap_instruction="Shelter\x00now")


def test_a_control_character_in_a_title_or_quote_is_dropped_not_fatal(schema: etree.XMLSchema) -> None:
    """XML 1.0 cannot carry a BEL or a NUL: such a character in one report's title or evidence is
    dropped from the CAP document, and the document (every version of the incident) stays valid."""
    alert = alert_from_state(
        incident(
            report("first", locations=[KYIV]),
            report(
                "second", locations=[KYIV], killed=2, title="Kyiv \u0007update\u0000", source="Wire\u000b"
            ),
        )
    )
    xml = to_cap_xml(alert, OPTIONS)
    root = etree.fromstring(xml.encode())
    schema.assertValid(root)
    description = root.findtext("cap:info/cap:description", namespaces=CAP_NS) or ""
    assert description.endswith("- Wire: Kyiv update")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", xml)
