"""City districts named by their adjective in Ukrainian and Russian reports (issue 14): many cities have
a district of one name ("Дніпровський", "Шевченківський"), so a district in a report on another region
is not the namesake city's. Sentences of our own, none taken from the labelled data."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "Голова Дніпропетровської ОВА повідомив, що росіяни вдарили ракетою по Дніпру. Чоловік, "
            "який постраждав через ракетну атаку на Дніпровський район, госпіталізований.",
            "Dnipro",
        ),
        (
            "Вночі ворог атакував дронами Запоріжжя, повідомила Запорізька ОВА. У Шевченківському "
            "районі пошкоджено будинок.",
            "Zaporizhzhia",
        ),
        (
            "Губернатор Херсонской области сообщил, что армия РФ обстреляла Херсон из артиллерии. "
            "В Днепровском районе ранены двое.",
            "Kherson",
        ),
    ],
)
def test_a_district_in_a_report_on_another_region_is_not_the_namesakes(
    classify: Classify, text: str, place: str
) -> None:
    result = classify(text)
    assert result.is_attack
    assert [loc.name for loc in result.locations] == [place]


def test_a_district_of_the_city_named_is_that_city(classify: Classify) -> None:
    result = classify("Вночі окупанти атакували дронами Шевченківський район Києва. Пошкоджено будинок.")
    assert [loc.name for loc in result.locations] == ["Kyiv"]


@pytest.mark.parametrize(
    ("text", "district", "region"),
    [
        (
            "Вночі росіяни атакували Одещину дронами. Під удар потрапив Ізмаїльський район, "
            "пошкоджено склад.",
            "Izmail District",
            "Odesa Oblast",
        ),
        (
            "У Дніпропетровській області ворог обстріляв з артилерії Нікопольський район, поранено жінку.",
            "Nikopol District",
            "Dnipropetrovsk Oblast",
        ),
        (
            "Окупанти вдарили дронами по Чернігівщині, у Новгород-Сіверському районі пошкоджено будинок.",
            "Novhorod-Siverskyi District",
            "Chernihiv Oblast",
        ),
    ],
)
def test_a_district_named_by_its_towns_adjective_is_that_towns_district(
    classify: Classify, text: str, district: str, region: str
) -> None:
    result = classify(text)
    assert result.is_attack
    assert [(loc.name, loc.region) for loc in result.locations] == [(district, region)]
