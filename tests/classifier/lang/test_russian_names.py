"""Russian places in the output as the wire services write them (LABELS.md rule 7): GeoNames' BGN/PCGN
"Staryy Oskol" / "Il'skiy" become "Stary Oskol" / "Ilsky" (`gazetteer_build.russian_name`), whatever
case the Russian or Ukrainian text puts the name in. Sentences of our own, none from the labelled data."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification
from services.classifier.gazetteer_build import russian_name

Classify = Callable[..., Classification]


@pytest.mark.parametrize(
    ("geonames", "written"),
    [
        ("Staryy Oskol", "Stary Oskol"),
        ("Il’skiy", "Ilsky"),
        ("Krasnyy Sulin", "Krasny Sulin"),
        ("Kursk", "Kursk"),
    ],
)
def test_russian_name_drops_apostrophes_and_adjective_iy(geonames: str, written: str) -> None:
    assert russian_name(geonames) == written


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "Губернатор сообщил, что беспилотник ВСУ атаковал Старый Оскол, повреждены два гаража.",
            "Stary Oskol",
        ),
        (
            "Ночью украинские дроны ударили по Новому Осколу, загорелся склад, пострадавших нет.",
            "Novy Oskol",
        ),
        (
            "Дроны ВСУ атаковали Красный Сулин Ростовской области, на предприятии возник пожар.",
            "Krasny Sulin",
        ),
    ],
)
def test_russian_adjective_town_named_as_the_wires_write_it(
    classify: Classify, text: str, place: str
) -> None:
    result = classify(text)
    assert result.is_attack
    assert place in [loc.name for loc in result.locations]


def test_a_two_word_ukrainian_name_has_its_fused_spelling() -> None:
    from services.classifier.gazetteer_build import compound

    assert (compound("Нова Слобода"), compound("Великі Кринки"), compound("Харків")) == (
        "Новослобода",
        "Великокринки",
        None,
    )
