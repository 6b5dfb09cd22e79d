"""Red team (names11): a surname after a given name, and a street's name, are not places attacked.

1. A capitalised word right after a given name (stoplists `given_names`, in any case form of the
   name: Володимир, Володимира, Сергія) is the person's surname, never a place: "повідомив Володимир
   Мельник" names no village Мельники, "дом Владимира Иванова" no town Иваново.
2. A name after a street's word ("на вулиці Лесі Українки", "на улице Мельника") or before one
   ("Kovali Road") is the street's: the town is found by its own name (slots `vessel_before`, en
   `region_after`).

Guards: a village named after a place preposition or "the village of" is still the place. Every
sentence is our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Run = Callable[[str, str], Classification]


def _names(result: Classification) -> set[str]:
    return {loc.name for loc in result.locations}


CASES = [
    # 1. a surname after a given name
    ("Вночі російські дрони атакували Черкаси, про це повідомив Володимир Мельник.", "uk", {"Cherkasy"}),
    ("Російський снаряд влучив у будинок Володимира Коваля у Херсоні.", "uk", {"Kherson"}),
    ("ВСУ обстреляли дом Владимира Иванова в Горловке.", "ru", {"Horlivka"}),
    ("Российский дрон атаковал дом Сергея Иванова в Херсоне.", "ru", {"Kherson"}),
    ("A Russian shell hit the house of Oleksandr Kovali in Kherson.", "en", {"Kherson"}),
    ("Russian drones struck Kherson overnight, the house of Serhiy Ivanov was damaged.", "en", {"Kherson"}),
    # 2. a street's name
    ("Російська ракета влучила в будинок на вулиці Лесі Українки в Харкові.", "uk", {"Kharkiv"}),
    ("Російський снаряд влучив у будинок на вулиці Мельника в Херсоні.", "uk", {"Kherson"}),
    ("Російський дрон влучив у будинок на проспекті Героїв Харкова у Сумах.", "uk", {"Sumy"}),
    ("Российский дрон попал в дом на улице Ивана Мельника в Херсоне.", "ru", {"Kherson"}),
    ("Российский дрон попал в дом на улице Мельника в Херсоне.", "ru", {"Kherson"}),
    ("Russian troops shelled the Kharkiv road near the village of Kovali.", "en", {"Kovali"}),
]

GUARDS = [
    # a village after a place preposition or "the village of" is the place
    ("Росіяни обстріляли село, снаряд влучив у будинок в Мельниках.", "uk", {"Melnyky"}),
    ("Russian shelling hit the village of Kovali, killing two.", "en", {"Kovali"}),
    ("Російський дрон атакував Мельники, повідомив Іван Федоров.", "uk", {"Melnyky"}),
    # a town whose name begins as a given name does (Олександр-ія) is no case of it
    ("Росіяни вдарили по Олександрії Кіровоградської області.", "uk", {"Oleksandriia"}),
    # "вулиці"/"улицы" of a city are its streets: the city is attacked
    ("Росіяни обстріляли вулиці Херсона, загинула жінка.", "uk", {"Kherson"}),
    ("ВСУ обстреляли улицы Горловки, погиб мужчина.", "ru", {"Horlivka"}),
    ("A Russian drone hit a house on Kovali Street in Kharkiv.", "en", {"Kharkiv"}),
]


@pytest.mark.parametrize(("text", "language", "places"), CASES + GUARDS)
def test_places(run: Run, text: str, language: str, places: set[str]) -> None:
    assert _names(run(text, language)) == places
