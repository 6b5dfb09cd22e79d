"""Red team round 6 (rt8) attack, actor and weapon findings, with sentences of our own:

- F9: a memorial that a strike hit is a place attacked, not a commemoration (en `not_attack_target`);
- F10: uk/ru, a new strike told on an old strike's anniversary is an attack (`lead_recall`, as en);
- F11: uk, "Ворог скинув КАБ на село" is an attack with no casualties in the sentence;
- F12: en, a sentence opening on a year ("In 2024, ...") is statistics, not a new attack (`tally`);
- F14: en, places the drones were launched from do not say who "the enemy" is (`launch_site`), and
  "N were neutralised" is the intercepted count;
- F18: en, a story about a film and its award is not an attack;
- F19: en, an aircraft shot down is a shoot-down event but no intercepted projectile (LABELS.md rule 5);
- F21: FAB-1500 in uk/ru, S-400 and "a 500-kilogram bomb" in en are read."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]


def _places(result: Classification) -> list[str]:
    return [loc.name for loc in result.locations]


@pytest.mark.parametrize(
    ("text", "place", "injured", "killed"),
    [
        (
            "A Russian missile struck a Second World War memorial in Zaporizhzhia on Sunday, injuring 3.",
            "Zaporizhzhia",
            3,
            None,
        ),
        (
            "Russian drones damaged the memorial to fallen soldiers in Sumy overnight and wounded 4 people.",
            "Sumy",
            4,
            None,
        ),
        (
            "A war memorial in Kharkiv was hit by a Russian glide bomb on Friday; 2 people were killed.",
            "Kharkiv",
            None,
            2,
        ),
    ],
)
def test_a_memorial_the_strike_hit_is_an_attack(
    classify: Classify, text: str, place: str, injured: int | None, killed: int | None
) -> None:
    result = classify(text)
    assert result.is_attack
    assert place in _places(result)
    assert result.casualties.injured == injured
    assert result.casualties.killed == killed


@pytest.mark.parametrize(
    "text",
    [
        "A memorial service was held in Kharkiv for the 12 people killed in last year's Russian missile "
        "strike.",
        "Residents laid flowers at the memorial to the victims of the Russian missile strike on Dnipro.",
        "A memorial to the 59 people killed by a Russian missile in Hroza was unveiled on Sunday.",
    ],
)
def test_a_memorial_that_is_not_hit_stays_no_attack(classify: Classify, text: str) -> None:
    assert not classify(text).is_attack


@pytest.mark.parametrize(
    ("text", "place", "injured"),
    [
        (
            "У річницю удару по Кременчуку ворог знову атакував місто дронами, поранено 4 людей.",
            "Kremenchuk",
            4,
        ),
        ("У річницю трагедії в Сумах росіяни знову обстріляли місто, поранено 3 людей.", "Sumy", 3),
        ("В годовщину удара по Днепру враг снова атаковал город ракетами, ранены 6 человек.", "Dnipro", 6),
        (
            "В годовщину трагедии в Харькове российские войска вновь обстреляли город, ранены 2 человека.",
            "Kharkiv",
            2,
        ),
    ],
)
def test_a_new_strike_on_an_anniversary_is_an_attack_in_uk_and_ru(
    classify: Classify, text: str, place: str, injured: int
) -> None:
    result = classify(text)
    assert result.is_attack
    assert place in _places(result)
    assert result.casualties.injured == injured


@pytest.mark.parametrize(
    "text",
    [
        "Сьогодні річниця удару по Вінниці. Тоді загинули 28 людей.",
        "В годовщину удара по Виннице жители почтили память погибших.",
    ],
)
def test_an_anniversary_without_a_new_strike_stays_no_attack(classify: Classify, text: str) -> None:
    assert not classify(text).is_attack


@pytest.mark.parametrize(
    "text",
    [
        "Ворог скинув КАБ на село в Харківській області.",
        "Російський літак скинув авіабомбу на Куп'янськ.",
        "Окупанти скинули три КАБи на Оріхів.",
        "На село в Сумській області скинуто дві керовані авіабомби.",
    ],
)
def test_a_glide_bomb_dropped_on_a_place_is_an_attack_in_uk(classify: Classify, text: str) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.locations


@pytest.mark.parametrize(
    "text",
    [
        "In 2024, 127 civilians were killed in Odesa by Russian missiles, a UN report said on Monday.",
        "During 2023, Russian drones injured 412 people in Kherson, the regional administration said.",
        "In 2025 alone, Russian shelling killed 56 residents of Nikopol, the mayor said on Tuesday.",
        "Throughout 2024, Russian glide bombs hit Kharkiv region 1,500 times, the governor said.",
    ],
)
def test_a_years_statistics_are_not_an_attack(classify: Classify, text: str) -> None:
    assert not classify(text).is_attack


def test_a_strike_on_a_date_of_the_year_is_still_an_attack(classify: Classify) -> None:
    result = classify(
        "A Russian missile struck Odesa on Monday, killing 3 people, "
        "the deadliest attack on the city in 2026.",
        published="2026-11-17",
    )
    assert result.is_attack
    assert result.casualties.killed == 3


@pytest.mark.parametrize(
    ("text", "intercepted"),
    [
        (
            "Overnight the enemy attacked with 60 attack drones launched from Kursk and Bryansk. "
            "51 were neutralised. Strikes hit Sumy, where 3 people were injured.",
            51,
        ),
        (
            "The enemy attacked Odesa with 30 Shahed drones launched from the direction of Kursk; "
            "25 were neutralised.",
            25,
        ),
        (
            "The enemy launched 45 drones from Oryol and Millerovo at Kharkiv overnight. "
            "40 were neutralised.",
            40,
        ),
    ],
)
def test_launch_sites_do_not_make_ukraine_the_enemy_and_neutralised_is_intercepted(
    classify: Classify, text: str, intercepted: int
) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.attacker == "Russia"
    assert result.projectiles.intercepted == intercepted


@pytest.mark.parametrize(
    "text",
    [
        "The film '20 Days in Mariupol', about the Russian airstrike on a maternity hospital, won an Oscar.",
        "A documentary about the Russian missile strike on Kramatorsk station won an award in Berlin.",
        "The movie about the Russian shelling of Kharkiv won the Academy Award for best documentary.",
    ],
)
def test_a_film_and_its_award_are_not_an_attack(classify: Classify, text: str) -> None:
    assert not classify(text).is_attack


@pytest.mark.parametrize(
    "text",
    [
        "Ukraine said it downed a Su-34 bomber after it dropped glide bombs on Kharkiv, where 2 people died.",
        "Air defences shot down a Russian helicopter over Zaporizhzhia region on Tuesday.",
        "Ukrainian forces downed a Russian jet near Pokrovsk on Wednesday, the army said.",
    ],
)
def test_an_aircraft_shot_down_is_no_intercepted_projectile(classify: Classify, text: str) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.projectiles.intercepted is None


@pytest.mark.parametrize(
    ("text", "weapon", "kind"),
    [
        ("Росіяни скинули ФАБ-500 на Куп'янськ, поранено 2 людей.", "FAB-500", "glide_bomb"),
        ("Окупанти атакували Оріхів, скинувши ФАБ-1500; поранено 4 людей.", "FAB-1500", "glide_bomb"),
        ("Российская авиация сбросила ФАБ-1500 на Волчанск, ранены 3 человека.", "FAB-1500", "glide_bomb"),
        ("Russian forces fired S-400 missiles at Mykolaiv on Sunday, injuring 3.", "S-400", "missile"),
        ("Two S-400 missiles hit Kharkiv on Friday, wounding 5 people.", "S-400", "missile"),
    ],
)
def test_named_weapons_are_read(classify: Classify, text: str, weapon: str, kind: str) -> None:
    result = classify(text)
    assert result.is_attack
    assert weapon in result.weapons
    assert kind in result.attack_types


@pytest.mark.parametrize(
    "text",
    [
        "A 500-kilogram bomb hit a school in Kramatorsk on Monday, injuring 4 people.",
        "Russian aircraft dropped 250-kg bombs on Vovchansk on Friday, injuring 2.",
        "A Russian aerial bomb struck an apartment block in Kharkiv, injuring 6 people.",
    ],
)
def test_an_aerial_bomb_by_its_weight_is_an_airstrike(classify: Classify, text: str) -> None:
    result = classify(text)
    assert result.is_attack
    assert "airstrike" in result.attack_types


@pytest.mark.parametrize(
    "text",
    [
        "127 civilians were killed in Kharkiv by Russian shelling in 2024, a UN report said on Monday.",
        "Russian drones injured 300 people in Kherson in 2025, "
        "according to the regional administration's data.",
        "Some 80 children died in Russian strikes on Donetsk region in 2023 alone, "
        "a human rights study found.",
    ],
)
def test_a_years_toll_that_a_report_gives_is_not_an_attack(classify: Classify, text: str) -> None:
    assert not classify(text).is_attack
