"""Hand-made Classifications: the alerter's tests never depend on what the classifier extracts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from schemas import Casualties, Classification, Location, Projectiles
from services.alerter.clustering import Decision, IncidentState, assign, lookup_keys

KYIV = Location(name="Kyiv", region="Kyiv City", country="Ukraine", lat=50.4501, lon=30.5234)
KYIV_OBLAST = Location(name="Kyiv Oblast", region="Kyiv Oblast", country="Ukraine", lat=50.05, lon=30.77)
KHARKIV = Location(name="Kharkiv", region="Kharkiv Oblast", country="Ukraine", lat=49.9935, lon=36.2304)
BILA_TSERKVA = Location(name="Bila Tserkva", region="Kyiv Oblast", country="Ukraine", lat=49.79, lon=30.11)
MAKIIVKA = Location(name="Makiivka", region="Donetsk Oblast", country="Ukraine", lat=48.0478, lon=37.9258)


def report(
    article_id: str,
    *,
    locations: list[Location] | None = None,
    day: date | None = date(2022, 12, 19),
    types: list[str] | None = None,
    severity: str | None = "Severe",
    killed: int | None = None,
    killed_max: int | None = None,
    injured: int | None = None,
    is_attack: bool = True,
    **extra: Any,
) -> Classification:
    return Classification.model_validate(
        {
            "id": article_id,
            "is_attack": is_attack,
            "attack_score": 0.9,
            "attacker": "Russia",
            "attack_types": ["drone"] if types is None else types,
            "weapons": ["Shahed-136"],
            "targets": ["energy"],
            "locations": [KYIV] if locations is None else locations,
            "casualties": Casualties(killed=killed, killed_max=killed_max, injured=injured),
            "projectiles": Projectiles(launched=35, intercepted=30),
            "event_date": day,
            "severity": severity if is_attack else None,
            "severity_reasons": [f"{severity} because of {article_id}"] if is_attack else [],
            "title": f"Report {article_id}",
            "published": day,
            **extra,
        }
    )


# The five seeds as a reader labels them (docs/contract.md section 8).
def seed_reports() -> list[Classification]:
    return [
        report(
            "seed-000",
            locations=[KHARKIV, KYIV],
            day=date(2023, 12, 29),
            types=["drone", "missile"],
            injured=22,
        ),
        report("seed-001", locations=[KYIV_OBLAST], killed=3),
        # Seed 002 gives no date at all ("on Monday", no publication date).
        report("seed-002", locations=[KYIV], day=None),
        report("seed-004", locations=[KYIV], injured=2),
        report(
            "seed-003",
            locations=[MAKIIVKA],
            day=date(2023, 1, 1),
            types=["rocket"],
            severity="Extreme",
            killed=63,
            killed_max=400,
            injured=300,
            attacker="Ukraine",
        ),
    ]


def cluster(
    reports: list[Classification], states: dict[str, IncidentState] | None = None, *, now: datetime
) -> tuple[list[Decision], dict[str, IncidentState]]:
    """Feed reports in order, giving each only the incidents it would find through the index."""
    states = {} if states is None else states
    decisions = []
    for r in reports:
        keys = set(lookup_keys(r))
        candidates = [s for s in states.values() if keys & set(s.index_keys())]
        decision = assign(candidates, r, now=now, sender="strikewatch")
        states[decision.state.alert_id] = decision.state
        decisions.append(decision)
    return decisions, states
