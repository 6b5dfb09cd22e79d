"""Air Force and governors' summaries that name the projectiles once and give the shot-down count
bare ("запущено 63 ударних БпЛА, збито 41"; issue 14). Sentences of our own, none from the data."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]


@pytest.mark.parametrize(
    ("text", "launched", "intercepted"),
    [
        (
            "У ніч на 5 березня ворог атакував Україну. Всього запущено 63 ударних БпЛА типу Shahed, "
            "збито 41.",
            63,
            41,
        ),
        (
            "Окупанти запустили по Одещині 18 дронів-камікадзе; знешкоджено 15, ще три влучили в склад.",
            18,
            15,
        ),
        ("Минулої ночі росіяни випустили 27 ракет і 40 шахедів, збито 58.", 67, 58),
        ("В ночь на среду противник атаковал Украину: запущено 52 беспилотника, сбито 40.", 52, 40),
        ("Ночью ВСУ запустили 30 беспилотников по Курской области, уничтожено 25.", 30, 25),
        ("Противник выпустил по Харькову 14 ракет, сбито 11.", 14, 11),
    ],
)
def test_a_bare_shot_down_count_after_the_launched_figure_is_the_intercepted(
    classify: Classify, text: str, launched: int, intercepted: int
) -> None:
    result = classify(text)
    assert result.is_attack
    assert (result.projectiles.launched, result.projectiles.intercepted) == (launched, intercepted)


@pytest.mark.parametrize(
    ("text", "intercepted"),
    [
        # "вдалося знешкодити N", "удалось сбить N": the shot-down verb in the infinitive.
        ("Вночі росіяни атакували Харківщину дронами. Захисникам неба вдалося знешкодити 12 шахедів.", 12),
        ("Ночью ВСУ атаковали Курскую область беспилотниками, средствам ПВО удалось сбить 17 дронов.", 17),
        ("Ворог бив по Дніпру ракетами; силам ППО вдалося збити чотири ракети, є влучання.", 4),
        # Where the projectiles were shot down sits between the verb and the count.
        ("Вночі ворог атакував Україну. Над Київською областю знищено 6 ударних дронів.", 6),
        ("Противник атаковал Брянскую область. ПВО уничтожила над Брянской областью шесть ракет.", 6),
        ("Окупанти обстріляли Миколаїв. Сили ППО знищили над Миколаївською областю три ракети.", 3),
    ],
)
def test_the_shot_down_count_after_an_infinitive_or_over_a_region(
    classify: Classify, text: str, intercepted: int
) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.projectiles.intercepted == intercepted


@pytest.mark.parametrize(
    ("text", "launched"),
    [
        # "спрямували N ракет": directed at the target, i.e. launched.
        ("Зранку окупанти спрямували 3 крилаті ракети на Львів, одна влучила в склад.", 3),
        ("По Херсону ворог спрямував 5 дронів-камікадзе, пошкоджено автобус.", 5),
        ("На Запоріжжя росіяни спрямували дві керовані авіабомби, зруйновано гараж.", 2),
    ],
)
def test_directed_projectiles_are_the_launched_count(classify: Classify, text: str, launched: int) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.projectiles.launched == launched
