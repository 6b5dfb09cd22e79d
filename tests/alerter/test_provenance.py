"""Provenance: every figure and decision of an alert points at the span of the report it came from."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from redis.asyncio import Redis

from schemas import Alert, Article, Classification, Evidence, Location
from services.alerter.clustering import assign
from services.alerter.provenance import MAX_SPANS_PER_CLAIM, reason_field
from services.alerter.render import alert_from_state
from services.common.settings import Settings
from services.common.severity import SeverityFacts, grade

from .factories import KYIV, KYIV_OBLAST, report
from .harness import alerter_settings, feed, read_log, running_alerter
from .seeding import classified_seed_alerts, classified_seeds

if TYPE_CHECKING:
    from services.classifier.engine import Classifier

NOW = datetime(2024, 1, 2, 12, 0, tzinfo=UTC)
FIGURES = {
    "killed": ("casualties", "killed"),
    "injured": ("casualties", "injured"),
    "launched": ("projectiles", "launched"),
    "intercepted": ("projectiles", "intercepted"),
}


@pytest.fixture(scope="module")
def seed_alerts(engine: Classifier) -> tuple[dict[str, Article], list[Alert]]:
    return classified_seed_alerts(engine, now=NOW)


def spans_of(alert: Alert, field: str) -> list[str]:
    return [ev.text for ev in alert.evidence if ev.field == field]


def test_every_seed_evidence_span_is_the_text_of_its_article_and_carries_its_outlet(
    seed_alerts: tuple[dict[str, Article], list[Alert]],
) -> None:
    articles, alerts = seed_alerts
    assert len(alerts) == 3
    for alert in alerts:
        assert alert.evidence
        listed = {src.article_id for src in alert.sources}
        for src in alert.sources:
            assert (src.source, src.url) == (articles[src.article_id].source, articles[src.article_id].url)
        for ev in alert.evidence:
            article = articles[ev.article_id]
            assert ev.article_id in listed
            assert article.text[ev.start : ev.end] == ev.text
            assert (ev.source, ev.url) == (article.source, article.url)


def test_every_nonzero_figure_of_the_seeds_alerts_has_the_span_that_states_it(
    seed_alerts: tuple[dict[str, Article], list[Alert]],
) -> None:
    """The figures of section 8 of the contract, each read back from the words that state it."""
    _, alerts = seed_alerts
    by_place = {alert.locations[0].name: alert for alert in alerts}
    kharkiv, kyiv, makiivka = by_place["Kyiv"], by_place["Kyiv Oblast"], by_place["Makiivka"]
    assert "Kharkiv" in [loc.name for loc in kharkiv.locations]
    expected = [
        # seed 000: 22 injured; 49 drones launched, 21 destroyed
        (kharkiv, {"injured": ["22"], "launched": ["49"], "intercepted": ["21"]}),
        # seeds 001, 002, 004: three victims (001), 35 drones and 30 shot down (004)
        (kyiv, {"injured": ["Three"], "launched": ["at least 35"], "intercepted": ["30"]}),
        # seed 003: 63 killed (the lower of the competing claims), 300 wounded, six rockets, two down
        # (and 400 killed, the larger claim, from its own words)
        (
            makiivka,
            {"killed": ["63", "400"], "injured": ["300"], "launched": ["six"], "intercepted": ["Two"]},
        ),
    ]
    for alert, figures in expected:
        for field, (group, name) in FIGURES.items():
            value = getattr(getattr(alert, group), name)
            if value:
                assert spans_of(alert, field) == figures[field], (alert.headline, field)
            else:
                assert field not in figures
        assert {ev.article_id for ev in alert.evidence if ev.field in FIGURES} <= {
            src.article_id for src in alert.sources
        }
    # The Kyiv figures come from the report that gave each: injured from 001, the drones from 004.
    assert [ev.article_id for ev in kyiv.evidence if ev.field == "injured"] == ["001"]
    assert [ev.article_id for ev in kyiv.evidence if ev.field in ("launched", "intercepted")] == [
        "004",
        "004",
    ]


def test_zero_figures_have_a_span_too(seed_alerts: tuple[dict[str, Article], list[Alert]]) -> None:
    _, alerts = seed_alerts
    for alert in alerts:
        for field, (group, name) in FIGURES.items():
            if getattr(getattr(alert, group), name) is not None:
                assert spans_of(alert, field), (alert.headline, field)


def test_every_place_attacker_and_severity_reason_of_the_seeds_has_evidence(
    seed_alerts: tuple[dict[str, Article], list[Alert]],
) -> None:
    _, alerts = seed_alerts
    for alert in alerts:
        assert alert.attacker is not None and spans_of(alert, "attacker")
        for i, location in enumerate(alert.locations):
            names = spans_of(alert, f"locations[{i}]")
            assert names, (alert.headline, location.name)
            # A mention spells the place (a variant spelling or "Kyiv Regional" for Kyiv Oblast).
            assert all(text[:4].casefold() == location.name[:4].casefold() for text in names)
        for i, _reason in enumerate(alert.severity_reasons):
            assert spans_of(alert, f"severity_reasons[{i}]"), (alert.headline, i)
    makiivka = next(alert for alert in alerts if alert.locations[0].name == "Makiivka")
    assert makiivka.severity_reasons[0].startswith("competing claims 63 vs 400")
    assert spans_of(makiivka, "severity_reasons[0]") == ["63", "400"]
    # "400 killed (>=10) -> Extreme" is graded from the larger claim: its span says 400, not 63.
    assert makiivka.severity_reasons[1].startswith("400 killed")
    assert spans_of(makiivka, "severity_reasons[1]") == ["400"]
    kyiv = next(alert for alert in alerts if alert.locations[0].name == "Kyiv Oblast")
    assert spans_of(kyiv, "locations[0]") == ["Kyiv Regional"]
    assert spans_of(kyiv, "locations[1]") == ["Kyiv", "Kyiv"]  # seeds 002 and 004


def with_evidence(article_id: str, text: str, spans: dict[str, str], **fields: object) -> Classification:
    """A hand-made report whose evidence spans are found in its `text`."""
    evidence = []
    for field, said in spans.items():
        field = field.split("#")[0]
        start = text.index(said)
        evidence.append(Evidence(field=field, text=said, start=start, end=start + len(said)))
    base = report(article_id, **fields)
    return base.model_copy(
        update={"evidence": evidence, "source": f"Outlet {article_id}", "url": f"https://ex.org/{article_id}"}
    )


def test_a_higher_figure_replaces_the_evidence_of_the_lower_one_and_an_equal_one_corroborates() -> None:
    first = with_evidence(
        "a", "Two people were killed in Kyiv.", {"killed": "Two", "locations": "Kyiv"}, killed=2
    )
    higher = with_evidence("b", "The toll rose to five in Kyiv.", {"killed": "five"}, killed=5)
    same = with_evidence("c", "Five dead, officials in Kyiv said.", {"killed": "Five"}, killed=5)
    state = None
    for r in (first, higher, same):
        state = assign([state] if state else [], r, now=NOW, sender="strikewatch").state
    assert state is not None
    alert = alert_from_state(state)
    killed = [(ev.article_id, ev.text, ev.url) for ev in alert.evidence if ev.field == "killed"]
    assert killed == [("b", "five", "https://ex.org/b"), ("c", "Five", "https://ex.org/c")]
    assert spans_of(alert, "locations[0]") == ["Kyiv"]
    assert [(s.article_id, s.source, s.url) for s in alert.sources] == [
        ("a", "Outlet a", "https://ex.org/a"),
        ("b", "Outlet b", "https://ex.org/b"),
        ("c", "Outlet c", "https://ex.org/c"),
    ]


def test_spans_per_value_are_bounded() -> None:
    state = None
    for i in range(MAX_SPANS_PER_CLAIM + 3):
        r = with_evidence(f"r{i}", "Two people were killed.", {"killed": "Two"}, killed=2)
        state = assign([state] if state else [], r, now=NOW, sender="strikewatch").state
    assert state is not None
    assert len(spans_of(alert_from_state(state), "killed")) == MAX_SPANS_PER_CLAIM


def test_a_place_mention_goes_to_the_place_it_names_best() -> None:
    """ "Kyiv region" is Kyiv Oblast's, "Kyiv" the city's; a Cyrillic mention of a report's only
    place is that place's."""
    text = "Drones hit Kyiv overnight and villages of the Kyiv region."
    both = with_evidence(
        "a", text, {"locations": "Kyiv", "locations#2": "Kyiv region"}, locations=[KYIV, KYIV_OBLAST]
    )
    alert = alert_from_state(assign([], both, now=NOW, sender="strikewatch").state)
    assert spans_of(alert, "locations[0]") == ["Kyiv"]
    assert spans_of(alert, "locations[1]") == ["Kyiv region"]
    cyrillic = with_evidence("u", "Дрони атакували Київ уночі.", {"locations": "Київ"}, locations=[KYIV])
    alert = alert_from_state(assign([], cyrillic, now=NOW, sender="strikewatch").state)
    assert spans_of(alert, "locations[0]") == ["Київ"]


def test_a_region_named_only_by_its_region_gets_no_city_mention() -> None:
    village = Location(name="Velyka Dymerka", region="Kyiv Oblast", country="Ukraine")
    r = with_evidence(
        "v",
        "A drone hit Velyka Dymerka in the Kyiv region.",
        {"locations": "Velyka Dymerka"},
        locations=[village],
    )
    alert = alert_from_state(assign([], r, now=NOW, sender="strikewatch").state)
    assert spans_of(alert, "locations[0]") == ["Velyka Dymerka"]


def test_every_rubric_line_points_at_a_fact_field() -> None:
    """Each reason `grade` writes maps to the evidence field of the fact it names (a reason for
    which the classifier keeps no span falls back to the attack sentence)."""
    facts = [
        SeverityFacts(killed=12),
        SeverityFacts(killed=3, killed_max=40),
        SeverityFacts(injured=60),
        SeverityFacts(injured=12),
        SeverityFacts(injured=2),
        SeverityFacts(projectiles=60),
        SeverityFacts(projectiles=25),
        SeverityFacts(whole_area_without_power="the whole city without power"),
        SeverityFacts(critical_damage=["energy"]),
        SeverityFacts(civil_damage=["homes"]),
    ]
    expected = ["killed", "killed", "injured", "injured", "injured", "launched", "launched", "severity"]
    expected += ["severity", "severity"]
    base = report("x", killed=3, killed_max=40, injured=12)
    for fact, field in zip(facts, expected, strict=True):
        _, reasons = grade(fact)
        assert reason_field(reasons[-1], base) == field, reasons
    _, minor = grade(SeverityFacts())
    assert reason_field(minor[-1], base) == "is_attack"


async def test_evidence_survives_the_incident_state_in_redis_and_reaches_the_alert_log(
    engine: Classifier, seed_alerts: tuple[dict[str, Article], list[Alert]], settings: Settings, redis: Redis
) -> None:
    """The running alerter (incident state stored in Redis between reports) logs the same evidence
    as the pure clustering."""
    _, expected = seed_alerts
    s = alerter_settings(settings)
    async with running_alerter(s):
        await feed(redis, s, *classified_seeds(engine))
        # Every version of every incident is logged once: versions 1..n of each.
        logged = await read_log(redis, s, sum(alert.version for alert in expected))
    latest = {alert.alert_id: alert for alert in logged}
    for alert in expected:
        assert latest[alert.alert_id].evidence == alert.evidence
        assert latest[alert.alert_id].sources == alert.sources


def test_a_reason_graded_from_the_upper_of_competing_figures_points_at_the_upper_figure(
    engine: Classifier,
) -> None:
    """Competing claims: the lower figure is `killed`, the upper `killed_max`; the severity reason
    that quotes the upper figure is justified by the words that state it, in the classifier's
    evidence and in the alert's."""
    text = (
        "A Russian missile struck a depot in Kharkiv overnight, killing 25 people, officials said. "
        "Moscow disputed the toll and admitted only 4 people were killed."
    )
    article = Article(id="upper", text=text)
    (cls,) = engine.classify([article])
    assert isinstance(cls, Classification)
    assert (cls.casualties.killed, cls.casualties.killed_max) == (4, 25), cls.casualties
    by_field = {ev.field: text[ev.start : ev.end] for ev in cls.evidence}
    assert (by_field["killed"], by_field.get("killed_max")) == ("4", "25")
    alert = alert_from_state(assign([], cls, now=NOW, sender="strikewatch").state)
    assert spans_of(alert, "killed") == ["4", "25"]
    upper = next(i for i, r in enumerate(alert.severity_reasons) if r.startswith("25 killed"))
    assert spans_of(alert, f"severity_reasons[{upper}]") == ["25"]
