"""Red team 11: attacks told in forms the packs missed, and families counted member by member.

1. A weapon that struck a production site, with harm, is an attack whatever the site produces
   (`not_attack_target`); uk/ru passive strikes ("по Харкову був нанесений удар", "Харків зазнав
   удару", "по Белгороду был нанесён удар") and an attack on the power system are war acts
   (`military_words`); gas production and distribution are energy infrastructure (`critical`).
2. "A mother and her two children were killed" is three killed (count rules with `plus1`/`plus2`,
   `two`, `three`); "a child was among the injured" is at least one injured (`floor`).
Sentences of our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Run = Callable[[str, str], Classification]

ATTACKS = [
    ("Russia struck a gas production facility in Kharkiv region with missiles overnight, injuring 4.", "en"),
    ("Russian forces struck a gas production facility near Poltava with drones, injuring 2.", "en"),
    ("Russian missiles hit a plant that produces fertiliser in Cherkasy, killing 2.", "en"),
    ("A gas production facility in Poltava region was hit by Russian drones overnight, injuring 2.", "en"),
    ("Уночі Суми зазнали удару, у місті перебої зі світлом, поранено 3 людей.", "uk"),
    ("Уночі по Сумах був нанесений удар. Поранено 3 людей.", "uk"),
    ("Полтава зазнала масованого удару, постраждали 5 людей.", "uk"),
    ("Ночью по Курску был нанесён удар, в городе нет электричества.", "ru"),
    ("После атаки на энергосистему в Одессе введены отключения света, ранены 3 человека.", "ru"),
    ("Ночью Белгород подвергся массированному удару, ранены 2 человека.", "ru"),
]

NO_ATTACKS = [
    ("Russia plans to expand drone production at a new plant in Tatarstan.", "en"),
    ("Ukraine struck a deal to boost missile production with a Danish company.", "en"),
    ("Чоловік у Полтаві зазнав теплового удару, його госпіталізовано.", "uk"),
    ("Будинок у Полтаві зазнав удару блискавки, постраждала жінка.", "uk"),
    ("Энергосистема Одессы подверглась хакерской атаке, света нет.", "ru"),
]


@pytest.mark.parametrize(("text", "language"), ATTACKS)
def test_a_strike_told_passively_or_on_a_production_site_is_an_attack(
    run: Run, text: str, language: str
) -> None:
    assert run(text, language).is_attack is True


@pytest.mark.parametrize(("text", "language"), NO_ATTACKS)
def test_production_plans_heatstroke_lightning_and_hacking_are_no_attack(
    run: Run, text: str, language: str
) -> None:
    assert run(text, language).is_attack is False


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Russia struck a gas facility in Sumy region with missiles overnight, injuring 2.", "en"),
        ("Russia struck a gas compressor station in Sumy region with missiles, injuring 2.", "en"),
        ("Росія завдала удару по газовидобувному об'єкту на Сумщині, поранено 2 людей.", "uk"),
        ("Россия нанесла удар по газодобывающему объекту в Сумской области, ранены 2 человека.", "ru"),
    ],
)
def test_gas_production_and_distribution_are_energy_infrastructure(
    run: Run, text: str, language: str
) -> None:
    result = run(text, language)
    assert result.is_attack is True
    assert result.severity == "Severe"
    assert "energy" in result.targets


def test_a_filling_station_is_no_critical_infrastructure(run: Run) -> None:
    result = run("Russian drones hit a gas station in Sumy overnight, injuring 2.", "en")
    assert result.severity == "Moderate"


LEAD = {
    "en": "Russian drones hit Sumy overnight. ",
    "uk": "Російські дрони атакували Суми уночі. ",
    "ru": "Российские дроны атаковали Сумы ночью. ",
}

FAMILIES = [
    ("A mother and her three children were killed.", "en", 4, None),
    ("A man and his two sons were killed.", "en", 3, None),
    ("A woman, her husband and their baby were killed.", "en", 3, None),
    ("A man, his wife and their two daughters were injured.", "en", None, 4),
    ("A grandmother and her grandson were killed.", "en", 2, None),
    ("Drones struck a house, killing a father and his two daughters.", "en", 3, None),
    ("Загинули мати і троє її дітей.", "uk", 4, None),
    ("Батько і двоє його синів загинули.", "uk", 3, None),
    ("Загинули жінка, її чоловік та їхня дитина.", "uk", 3, None),
    ("Поранені мати і двоє її дітей.", "uk", None, 3),
    ("Погибли мать и трое детей.", "ru", 4, None),
    ("Отец и двое его сыновей погибли.", "ru", 3, None),
    ("Погибли мужчина, его жена и их ребенок.", "ru", 3, None),
    ("Ранены мать и двое ее детей.", "ru", None, 3),
]


@pytest.mark.parametrize(("sentence", "language", "killed", "injured"), FAMILIES)
def test_every_member_of_a_family_named_counts(
    run: Run, sentence: str, language: str, killed: int | None, injured: int | None
) -> None:
    result = run(LEAD[language] + sentence, language)
    assert result.is_attack is True
    assert (result.casualties.killed, result.casualties.injured) == (killed, injured)
    # The whole family backs the figure, not its last part.
    field = "killed" if killed is not None else "injured"
    [evidence] = [e for e in result.evidence if e.field == field]
    assert len(evidence.text.split()) >= 4


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Russian drones hit Sumy overnight; a child was among the injured.", "en"),
        ("Російські дрони атакували Суми уночі, серед поранених дитина.", "uk"),
        ("Російські дрони атакували Суми уночі. Серед постраждалих є хлопчик.", "uk"),
        ("Российские дроны атаковали Сумы ночью, среди раненых ребенок.", "ru"),
        ("Российские дроны атаковали Сумы ночью. Среди пострадавших есть девочка.", "ru"),
    ],
)
def test_a_child_among_the_injured_is_at_least_one_injured(run: Run, text: str, language: str) -> None:
    result = run(text, language)
    assert result.casualties.injured == 1
    assert result.severity == "Moderate"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Russian drones hit Sumy overnight. A boy was among those killed.", "en"),
        ("Російські дрони атакували Суми уночі. Серед загиблих — дитина.", "uk"),
        ("Российские дроны атаковали Сумы ночью. Среди погибших — ребенок.", "ru"),
    ],
)
def test_a_child_among_the_dead_is_at_least_one_killed(run: Run, text: str, language: str) -> None:
    assert run(text, language).casualties.killed == 1


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Russian drones hit Sumy overnight, injuring 6; a boy was among the injured.", "en"),
        ("Russian drones hit Sumy overnight, injuring 6; two children were among the injured.", "en"),
        ("Російські дрони атакували Суми уночі, поранено 6 людей, серед поранених — двоє дітей.", "uk"),
        ("Российские дроны атаковали Сумы ночью, ранены 6 человек. Среди раненых есть ребенок.", "ru"),
    ],
)
def test_a_part_among_the_injured_never_stands_for_the_total(run: Run, text: str, language: str) -> None:
    assert run(text, language).casualties.injured == 6
