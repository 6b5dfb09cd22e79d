"""The five seeds come out as docs/contract.md section 8 labels them."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.models import Article, Classification
from services.classifier.engine import Classifier
from tests.alerter.seeding import PUBLISHED, SEEDS


@pytest.fixture(scope="module")
def seeds(classifier: Classifier) -> dict[str, Classification]:
    articles = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if text.lstrip().startswith("date "):  # the producer strips this header before classifying
            text = text.lstrip()[len("date 2024-01-01 ") :]
        articles.append(
            Article(id=path.stem[:3], text=text, published=date.fromisoformat(PUBLISHED[path.stem[:3]]))
        )
    return {c.id: c for c in classifier.classify(articles)}


def names(c: Classification) -> set[str]:
    return {loc.name for loc in c.locations}


def test_seed_000_russian_wave_on_kharkiv_and_kyiv(seeds: dict[str, Classification]) -> None:
    c = seeds["000"]
    assert c.is_attack and c.attacker == "Russia" and c.severity == "Severe"
    assert {"Kharkiv", "Kyiv"} <= names(c) and "Belgorod" not in names(c)
    assert c.casualties.injured == 22
    assert (c.projectiles.launched, c.projectiles.intercepted) == (49, 21)
    assert {"drone", "missile"} <= set(c.attack_types)


def test_seed_001_kyiv_region_drones(seeds: dict[str, Classification]) -> None:
    c = seeds["001"]
    assert c.is_attack and c.attacker == "Russia" and c.severity == "Severe"
    assert names(c) == {"Kyiv Oblast"}
    assert c.projectiles.launched == 34 and c.event_date == date(2022, 12, 19)
    assert "Shahed-136" in c.weapons


def test_seed_002_kyiv_critical_infrastructure(seeds: dict[str, Classification]) -> None:
    c = seeds["002"]
    assert c.is_attack and c.attacker == "Russia" and c.severity == "Severe"
    assert names(c) == {"Kyiv"}
    assert (c.projectiles.launched, c.projectiles.intercepted) == (20, 15)
    assert c.casualties.killed == 0 and c.casualties.injured == 0
    assert c.event_date == date(2022, 12, 19)


def test_seed_003_ukrainian_strike_on_makiivka_with_competing_claims(
    seeds: dict[str, Classification],
) -> None:
    c = seeds["003"]
    assert c.is_attack and c.attacker == "Ukraine" and c.severity == "Extreme"
    assert names(c) == {"Makiivka"} and c.locations[0].region == "Donetsk Oblast"
    assert (c.casualties.killed, c.casualties.killed_max, c.casualties.injured) == (63, 400, 300)
    assert (c.projectiles.launched, c.projectiles.intercepted) == (6, 2)
    assert "HIMARS" in c.weapons and c.event_date == date(2023, 1, 1)
    assert any("competing claims 63 vs 400" in r for r in c.severity_reasons)


def test_seed_004_kyiv_drones_two_hurt(seeds: dict[str, Classification]) -> None:
    c = seeds["004"]
    assert c.is_attack and c.attacker == "Russia" and c.severity == "Severe"
    assert names(c) == {"Kyiv"}
    assert c.casualties.injured == 2
    assert (c.projectiles.launched, c.projectiles.intercepted) == (35, 30)
    assert c.event_date == date(2022, 12, 19)


def test_seed_evidence_spans_index_the_article_text(seeds: dict[str, Classification]) -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if text.lstrip().startswith("date "):
            text = text.lstrip()[len("date 2024-01-01 ") :]
        for ev in seeds[path.stem[:3]].evidence:
            assert text[ev.start : ev.end] == ev.text
