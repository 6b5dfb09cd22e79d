"""Ukrainian and Russian places and figures from the round-5 red team: town names with an apostrophe in
any case, the town a capitalised word names (not a namesake's old name, not an adjective), vague
injured counts after an exact killed one, "N of them shot down" in the next sentence, and a launch
sentence that names its target after "по". Sentences of our own, none taken from the labelled data."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]


def _places(result: Classification) -> list[str]:
    return [loc.name for loc in result.locations]


# --- 1. apostrophe names, inflected ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Уранці росіяни вдарили ракетою по Слов'янську, поранено трьох людей.", "Sloviansk"),
        ("Уранці росіяни вдарили ракетою по Слов\u2019янську, поранено трьох людей.", "Sloviansk"),
        ("Уранці росіяни вдарили ракетою по Слов\u02bcянську, поранено трьох людей.", "Sloviansk"),
        ("Уранці росіяни вдарили ракетою по Слов`янську, поранено трьох людей.", "Sloviansk"),
        ("Уночі у Куп'янську через обстріл поранено двох чоловіків.", "Kupiansk"),
        ("Ворог обстріляв артилерією центр Слов\u2019янська, пошкоджено школу.", "Sloviansk"),
        ("Ввечері окупанти атакували дронами Куп\u02bcянськ, поранено жінку.", "Kupiansk"),
    ],
)
def test_an_apostrophe_name_is_found_in_any_case_and_any_apostrophe(
    classify: Classify, text: str, place: str
) -> None:
    result = classify(text)
    assert result.is_attack
    assert _places(result) == [place]


# --- 2. the town a capitalised word names ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # Сміла, not Izmail (whose old name Сміл reads as сміла too).
        ("Цієї ночі ворог атакував Смілу дронами, пошкоджено склад.", "Smila"),
        ("Сміла: вночі ворог атакував місто дронами, пошкоджено склад.", "Smila"),
        ("Російська ракета влучила у Смілі в підприємство, поранено двох людей.", "Smila"),
        # Лозова, not Lozove in Crimea (Лозову reads лозовий, a word of Лозовий Яр, before лозова).
        ("Цієї ночі ворог атакував Лозову дронами, пошкоджено склад.", "Lozova"),
        ("Росіяни обстріляли Лозову з артилерії, поранено чоловіка.", "Lozova"),
        ("У Лозовій після удару ракетою пошкоджено будинок, поранено жінку.", "Lozova"),
    ],
)
def test_a_capitalised_word_names_its_own_town(classify: Classify, text: str, place: str) -> None:
    result = classify(text)
    assert result.is_attack
    assert _places(result) == [place]


# --- 3. vague injured after an exact killed ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Щонайменше 4 людини загинули, десятки поранені після ракетного удару по Дніпру.",
        "Після ракетного удару по Дніпру 4 людини загинули, є десятки поранених.",
        "После ракетного удара по Днепру погибли 4 человека, десятки раненых.",
        "В результате ракетного удара по Днепру 4 человека погибли, десятки ранены.",
    ],
)
def test_a_vague_injured_count_takes_no_exact_figure(classify: Classify, text: str) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.casualties.killed == 4
    assert result.casualties.injured is None
    assert any("at least 10" in reason for reason in result.severity_reasons)


# --- 4. "N of them shot down" after the launched count -----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Цієї ночі ворог атакував Україну 52 ударними БпЛА. 47 з них збито над північчю країни.",
        "Цієї ночі ворог запустив по Україні 52 дрони типу Shahed. 47 із них знешкоджено.",
        "Этой ночью враг атаковал Украину 52 ударными БпЛА. 47 из них сбиты над севером страны.",
    ],
)
def test_of_them_shot_down_in_the_next_sentence_is_the_intercepted_count(
    classify: Classify, text: str
) -> None:
    result = classify(text)
    assert result.is_attack
    assert (result.projectiles.launched, result.projectiles.intercepted) == (52, 47)


# --- 5. a launch sentence names its target after "по" ------------------------------------------


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Окупанти запустили крилаті ракети з бомбардувальників над Каспієм по Вінниці.", "Vinnytsia"),
        ("Ворог випустив ракету Х-22 з літака Ту-22М3 з району Курська по Полтаві.", "Poltava"),
        ("Противник запустил ракеты Х-101 с бомбардировщиков из района Саратова по Виннице.", "Vinnytsia"),
    ],
)
def test_a_launch_sentence_attacks_the_place_after_po(classify: Classify, text: str, place: str) -> None:
    result = classify(text)
    assert result.is_attack
    assert _places(result) == [place]
