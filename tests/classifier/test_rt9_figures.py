"""Red team 9 (figures). #1: a toll revised in the long form ("переглянули в бік зменшення до 5",
"пересмотрели в сторону уменьшения до 5", the verb first: "уточнили кількість загиблих ... до 5") is a
toll update (LABELS.md rule 1) and a correction, revised down when it says so. #2: "both" and "all
three" shot down count the downed (2, 3) and launch nothing unless the launch is told (LABELS.md rule
5). #3: an attack whose text names no weapon is of type `other` in every language (LABELS.md rule 8).
Every sentence is our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Run = Callable[[str, str], Classification]

# #1: (text, language, field, value, lowered)
LONG_REVISIONS = [
    ("Кількість загиблих у Житомирі переглянули в бік зменшення до 5.", "uk", "killed", 5, True),
    ("Кількість загиблих у Вінниці переглянули у бік збільшення до 7.", "uk", "killed", 7, False),
    ("Кількість поранених у Полтаві переглянули в бік зменшення до 12.", "uk", "injured", 12, True),
    ("Кількість загиблих у Черкасах переглянуто: 4.", "uk", "killed", 4, False),
    ("Уточнили кількість загиблих у Житомирі в бік зменшення — до 5.", "uk", "killed", 5, True),
    ("Скоригували кількість поранених у Сумах у бік зменшення — до 9.", "uk", "injured", 9, True),
    ("Кількість загиблих у Рівному переглянули в бік зменшення з 7 до 5.", "uk", "killed", 5, True),
    ("Число погибших в Днепре пересмотрели в сторону уменьшения до 5.", "ru", "killed", 5, True),
    ("Число погибших в Брянске пересмотрели в сторону уменьшения с 7 до 5.", "ru", "killed", 5, True),
    ("Число погибших в Херсоне пересмотрели в сторону увеличения до 8.", "ru", "killed", 8, False),
    ("Количество раненых в Белгороде пересмотрели в сторону уменьшения до 11.", "ru", "injured", 11, True),
    ("Число погибших в Курске пересмотрено: 3.", "ru", "killed", 3, False),
    ("Уточнили число погибших в Днепре в сторону уменьшения — до 5.", "ru", "killed", 5, True),
]


@pytest.mark.parametrize(("text", "language", "field", "value", "lowered"), LONG_REVISIONS)
def test_a_toll_revised_in_the_long_form_is_a_correction(
    run: Run, text: str, language: str, field: str, value: int, lowered: bool
) -> None:
    """The long form reads as the short one does: an attack, the figure, a correction, lowered when
    the text says the figure went down."""
    result = run(text, language)
    assert result.is_attack
    assert getattr(result.casualties, field) == value
    assert result.corrections == [field]
    assert result.lowered == ([field] if lowered else [])


# #2: (text, language, launched, intercepted)
BOTH_AND_ALL = [
    ("Russian air defences shot down both missiles over Belgorod, the governor said.", "en", None, 2),
    ("Both drones were destroyed over Odesa.", "en", None, 2),
    ("All three missiles were shot down over Lviv, the air force said.", "en", None, 3),
    ("Air defence shot down all three missiles over Dnipro.", "en", None, 3),
    ("Russia launched two missiles at Kyiv overnight; both were shot down.", "en", 2, 2),
    ("Russia fired two drones at Sumy and they were both shot down.", "en", 2, 2),
    ("Обидві ракети збито над Києвом, повідомили Повітряні сили.", "uk", None, 2),
    ("Сили ППО збили обидва дрони над Одесою.", "uk", None, 2),
    ("Ворог випустив дві ракети по Запоріжжю, обидві збито.", "uk", 2, 2),
    ("Усі три ракети збито над Львовом.", "uk", None, 3),
    ("Обе ракеты сбиты над Белгородом, сообщил губернатор.", "ru", None, 2),
    ("ПВО сбили оба беспилотника над Курском.", "ru", None, 2),
    ("Противник выпустил две ракеты по Белгороду, обе сбиты.", "ru", 2, 2),
    ("Все три ракеты сбиты над Брянском.", "ru", None, 3),
]


@pytest.mark.parametrize(("text", "language", "launched", "intercepted"), BOTH_AND_ALL)
def test_both_and_all_shot_down_count_the_downed_only(
    run: Run, text: str, language: str, launched: int | None, intercepted: int
) -> None:
    """Both missiles shot down ("shot down both missiles") is 2 intercepted and no launched figure; a
    launch told in the text ("launched two missiles; both were shot down") is the launched figure too."""
    result = run(text, language)
    assert result.is_attack
    assert (result.projectiles.launched, result.projectiles.intercepted) == (launched, intercepted)


# #3: (text, language, attack types)
TOLL_ONLY = [
    ("The death toll in Kharkiv has risen to 9.", "en", ["other"]),
    ("The death toll in Zhytomyr was revised down to 5, the governor said.", "en", ["other"]),
    ("Кількість загиблих у Сумах зросла до 6.", "uk", ["other"]),
    ("Число погибших в Сумах выросло до 6.", "ru", ["other"]),
    # A weapon named keeps its type.
    ("The death toll from the Russian missile strike on Kharkiv has risen to 9.", "en", ["missile"]),
    ("Кількість загиблих унаслідок удару дронів по Сумах зросла до 6.", "uk", ["drone"]),
    # Aviation named as the side that struck (LABELS.md rule 8: "aviation -> airstrike").
    ("The Russian air force struck a village near Kupiansk on Monday.", "en", ["airstrike"]),
]


@pytest.mark.parametrize(("text", "language", "types"), TOLL_ONLY)
def test_an_attack_naming_no_weapon_is_of_type_other(
    run: Run, text: str, language: str, types: list[str]
) -> None:
    """A toll update with no weapon named is typed `other` in en, uk and ru alike."""
    result = run(text, language)
    assert result.is_attack
    assert result.attack_types == types


@pytest.mark.parametrize(
    "text",
    [
        "Oleksandr, 54, was killed when a Russian shell hit his house in Kherson.",
        "Mariia, 67, who lived alone, died when a Russian drone hit her house in Sumy.",
        "Russian shelling hit Kherson, killing Petro, 71, and his neighbour.",
    ],
)
def test_an_age_after_a_name_is_no_count(classify: Callable[..., Classification], text: str) -> None:
    """Red team 15 F2: "Oleksandr, 54, was killed" gave 54 killed, Extreme."""
    result = classify(text)
    assert result.is_attack
    assert (
        result.casualties.killed != 54 and result.casualties.killed != 67 and result.casualties.killed != 71
    )
    assert result.severity == "Severe"
