"""Alerts and their CAP 1.2 rendering."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from cap_tools.models import Alert as CapAlert
from lxml import etree
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig

from services.alerter.cap import CapOptions, to_cap_xml
from services.alerter.clustering import IncidentState, assign
from services.alerter.render import alert_from_state

from .factories import KYIV, KYIV_OBLAST, MAKIIVKA, report

XSD = Path(__file__).with_name("CAP-v1.2.xsd")
NOW = datetime(2022, 12, 19, 12, 0, 5, tzinfo=UTC)
OPTIONS = CapOptions(
    sender="strikewatch", base_url="https://desk.example.org", expires_h=24.0, fallback_country="Ukraine"
)


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def incident(*reports) -> IncidentState:
    state = None
    for r in reports:
        state = assign([state] if state else [], r, now=NOW, sender="strikewatch").state
    assert state is not None
    return state


def test_alert_fields_from_incident() -> None:
    alert = alert_from_state(incident(report("a", locations=[KYIV_OBLAST], killed=3), report("b")))
    assert alert.version == 2
    assert alert.msg_type == "Update"
    assert alert.source_count == 2
    assert alert.urgency == "Immediate"
    assert alert.certainty == "Observed"
    assert alert.headline == "Severe drone attack on Kyiv Oblast and Kyiv, 2022-12-19"
    assert "3 killed reported." in alert.summary
    assert "Based on 2 reports." in alert.summary


def test_cap_xml_is_valid_cap_1_2(schema: etree.XMLSchema) -> None:
    """Both an Alert and an Update (with references) validate against the CAP 1.2 schema, and
    cap-tools' typed bindings parse them strictly."""
    for state in (
        incident(report("a", locations=[MAKIIVKA], severity="Extreme", killed=63, killed_max=400)),
        incident(report("a", locations=[KYIV_OBLAST]), report("b", locations=[KYIV], injured=2)),
    ):
        xml = to_cap_xml(alert_from_state(state), OPTIONS)
        document = etree.fromstring(xml.encode())
        schema.assertValid(document)
        parsed = XmlParser(config=ParserConfig(fail_on_unknown_properties=True)).from_string(xml, CapAlert)
        assert parsed.msg_type.value == state.msg_type
        assert parsed.infos[0].severity.value == state.severity
        assert parsed.infos[0].areas[0].circles
        if state.version > 1:
            assert parsed.references_to_list()[0].identifier == f"{state.alert_id}-v1"


def test_cap_sent_has_numeric_offset_and_whole_seconds() -> None:
    xml = to_cap_xml(alert_from_state(incident(report("a"))), OPTIONS)
    assert "<sent>2022-12-19T12:00:05-00:00</sent>" in xml  # CAP 1.2 section 3.3.2 (issue 17)
    assert "<circle>50.4501,30.5234 10.0</circle>" in xml


def test_schema_rejects_a_broken_alert(schema: etree.XMLSchema) -> None:
    """The schema file really constrains: a Z offset and a bad severity fail."""
    xml = to_cap_xml(alert_from_state(incident(report("a"))), OPTIONS)
    broken = xml.replace("-00:00</sent>", "Z</sent>").replace("<severity>Severe", "<severity>Bad")
    assert not schema.validate(etree.fromstring(broken.encode()))
