"""Red team 12 (places9): a sea named in Ukrainian or Russian is the sea, never a town read from its
adjective ("в Красном море" is the Red Sea, not Krasny, Smolensk Oblast), and the hospital victims
were taken to is neither a target nor damage ("taken to a hospital in X", "доставили до лікарні",
"доставили в больницу"). Every sentence is our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Run = Callable[[str, str], Classification]

SEAS = [
    ("Хуситы ударили ракетой по сухогрузу в Красном море, пострадавших нет.", "ru", {"Red Sea"}),
    ("Сухогруз атакован ракетой хуситов в Красном море.", "ru", {"Red Sea"}),
    ("Хусити вдарили ракетою по суховантажу в Червоному морі, постраждалих немає.", "uk", {"Red Sea"}),
    ("Российский дрон атаковал сухогруз в Черном море, пострадавших нет.", "ru", {"Black Sea"}),
    ("Російський дрон атакував суховантаж у Чорному морі, постраждалих немає.", "uk", {"Black Sea"}),
    ("Украинские дроны атаковали катер в Азовском море.", "ru", {"Sea of Azov"}),
    ("Українські дрони атакували катер в Азовському морі.", "uk", {"Sea of Azov"}),
]


@pytest.mark.parametrize(("text", "lang", "want"), SEAS)
def test_a_sea_in_ukrainian_or_russian_is_the_sea(run: Run, text: str, lang: str, want: set[str]) -> None:
    result = run(text, lang)
    assert result.is_attack
    assert {loc.name for loc in result.locations} == want


NO_TOWN = [
    ("Дроны атаковали сухогруз в Белом море.", "ru"),
    ("Украинские дроны атаковали танкер в Балтийском море.", "ru"),
    ("Дрони атакували суховантаж у Білому морі.", "uk"),
]


@pytest.mark.parametrize(("text", "lang"), NO_TOWN)
def test_a_seas_adjective_is_never_a_town(run: Run, text: str, lang: str) -> None:
    assert run(text, lang).locations == []


CARE = [
    ("A Russian drone struck Kramatorsk; four wounded were taken to a hospital in Sloviansk.", "en"),
    ("Russian missiles hit Pavlohrad, and 5 injured were rushed to the hospital in Dnipro.", "en"),
    ("Російський дрон влучив у Краматорськ, чотирьох поранених доставили до лікарні у Слов'янську.", "uk"),
    ("Российская ракета попала в Павлоград, пятерых раненых доставили в больницу Днепра.", "ru"),
]


@pytest.mark.parametrize(("text", "lang"), CARE)
def test_the_hospital_victims_were_taken_to_is_no_target_and_no_damage(
    run: Run, text: str, lang: str
) -> None:
    result = run(text, lang)
    assert result.is_attack
    assert "medical" not in result.targets
    assert not any("hospital" in reason for reason in result.severity_reasons)


HIT = [
    ("A Russian drone hit a hospital in Kramatorsk, injuring two nurses.", "en"),
    ("Російський дрон влучив у лікарню в Краматорську, поранено двох медсестер.", "uk"),
    ("Российский дрон попал в больницу в Краматорске, ранены две медсестры.", "ru"),
]


@pytest.mark.parametrize(("text", "lang"), HIT)
def test_a_hospital_the_strike_hit_is_still_a_target(run: Run, text: str, lang: str) -> None:
    assert "medical" in run(text, lang).targets


# --- a sentence dated to another day with its own strike is another incident -----------------------------


def test_a_strike_on_another_day_lends_its_city_nothing(classify: Callable[..., Classification]) -> None:
    result = classify(
        "Russian missiles hit Zaporizhzhia on Wednesday, killing 2 and injuring 7. "
        "On Monday, shelling of Nikopol killed 1.",
        "2024-03-06",
    )
    assert {loc.name for loc in result.locations} == {"Zaporizhzhia"}
    assert result.casualties.killed == 2


def test_a_wave_told_city_by_city_on_the_same_day_keeps_every_city(
    classify: Callable[..., Classification],
) -> None:
    result = classify(
        "Russian drones hit Kharkiv and Sumy on Wednesday. In Kharkiv 2 people were killed. "
        "In Sumy, a drone hit a house on Wednesday, injuring 3.",
        "2024-03-06",
    )
    assert {loc.name for loc in result.locations} == {"Kharkiv", "Sumy"}
    assert (result.casualties.killed, result.casualties.injured) == (2, 3)
