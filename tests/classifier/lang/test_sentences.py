"""Ukrainian and Russian reports in sentences of our own (issue 14): at least three per kind and
language, none taken from the labelled data. Output is English and canonical; evidence points into the
Cyrillic text."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]


def names(result: Classification) -> set[str]:
    return {loc.name for loc in result.locations}


# --- inflected place names: the canonical English place, whatever the case ending -------------------

INFLECTED = [
    ("Уночі ворог атакував Харків ударними дронами, у Харкові пошкоджено житловий будинок.", "Kharkiv"),
    ("Російська ракета влучила у Запоріжжі в багатоповерхівку, поранено трьох людей.", "Zaporizhzhia"),
    ("Окупанти обстріляли Херсон з артилерії, у Херсоні загинув чоловік.", "Kherson"),
    ("Росіяни вдарили ракетою по Одесі, пошкоджено портову інфраструктуру.", "Odesa"),
    ("ВСУ атаковали Белгород беспилотниками, в Белгороде повреждены два дома.", "Belgorod"),
    ("Украинские военные обстреляли Курск из РСЗО, в Курске ранены двое мирных жителей.", "Kursk"),
    ("В Харькове после удара российской ракеты загорелся склад.", "Kharkiv"),
]


@pytest.mark.parametrize(("text", "place"), INFLECTED)
def test_an_inflected_place_name_is_the_canonical_place(classify: Classify, text: str, place: str) -> None:
    result = classify(text)
    assert result.is_attack, text
    assert place in names(result), (text, names(result))
    assert all(loc.name.isascii() for loc in result.locations)


def test_a_region_in_any_case_is_the_english_oblast(classify: Classify) -> None:
    uk = classify("Ворог атакував дронами Сумщину, у Сумській області пошкоджено лінію електропередачі.")
    assert {loc.region for loc in uk.locations} == {"Sumy Oblast"}
    ru = classify("Белгородскую область атаковали беспилотники ВСУ, повреждена подстанция.")
    assert {loc.region for loc in ru.locations} == {"Belgorod Oblast"}


# --- Air Force summaries: launched and shot down ----------------------------------------------------

SUMMARIES = [
    (
        "У ніч на вівторок противник атакував Україну 62 ударними БпЛА типу Shahed. "
        "Протиповітряною обороною збито 51 ворожий безпілотник.",
        62,
        51,
    ),
    (
        "Вночі росіяни запустили 35 дронів-камікадзе та 4 крилаті ракети. "
        "Сили ППО знищили 30 з 39 повітряних цілей.",
        39,
        30,
    ),
    (
        "Повітряні сили: ворог застосував 20 ударних безпілотників, збито 17 з них.",
        20,
        17,
    ),
    (
        "Минувшей ночью противник выпустил по Белгородской области 12 беспилотников, "
        "силы ПВО сбили 10 из 12 дронов.",
        12,
        10,
    ),
    (
        "Дежурные средства ПВО перехватили и уничтожили 27 украинских беспилотников над Курской областью.",
        None,
        27,
    ),
    (
        "Украинские военные атаковали Брянскую область 8 беспилотниками, все 8 были сбиты.",
        8,
        None,
    ),
    ("Ворог випустив по Одещині три ракети Калібр, з них збито дві.", 3, 2),
    ("Всего в атаке было задействовано 25 дронов, 20 из которых сбили над Курской областью.", 25, 20),
    ("Загалом у повітряному просторі було виявлено 5 ракет, одну з яких збили.", 5, 1),
]


@pytest.mark.parametrize(("text", "launched", "intercepted"), SUMMARIES)
def test_air_force_summaries_give_the_waves_figures(
    classify: Classify, text: str, launched: int | None, intercepted: int | None
) -> None:
    result = classify(text)
    assert result.is_attack, text
    assert result.attack_types and {"drone", "missile"} & set(result.attack_types)
    assert result.projectiles.launched == launched, text
    if intercepted is not None:
        assert result.projectiles.intercepted == intercepted, text


# --- number words in their case forms ------------------------------------------------------------

NUMBERS = [
    ("Внаслідок ракетного удару по Дніпру загинули двоє людей, ще п'ятеро поранені.", 2, 5),
    ("Росіяни обстріляли Нікополь з артилерії: загинули троє цивільних, поранено чотирьох.", 3, 4),
    ("Унаслідок атаки дронів на Суми тридцять п'ять людей постраждали, загиблих немає.", 0, 35),
    ("В результате удара ВСУ по Донецку погибли двое мирных жителей, пятеро ранены.", 2, 5),
    ("При обстреле Шебекино погибли трое человек, ранены семеро.", 3, 7),
    ("После атаки беспилотника на Курск пострадали четыре человека, погибших нет.", 0, 4),
    # One person named by who they are, the age masked: a count of one.
    ("Росіяни обстріляли Херсон з артилерії, поранено 62-річного чоловіка.", None, 1),
    ("Окупанти скинули на Херсон дві керовані авіабомби, постраждала жінка.", None, 1),
    ("ВСУ обстреляли Горловку из артиллерии, ранен 45-летний мужчина.", None, 1),
    ("Росіяни обстріляли Нікополь з артилерії: поранено трьох чоловіків.", None, 3),
]


@pytest.mark.parametrize(("text", "killed", "injured"), NUMBERS)
def test_number_words_in_their_case_forms_are_counted(
    classify: Classify, text: str, killed: int | None, injured: int
) -> None:
    result = classify(text)
    assert result.is_attack, text
    assert (result.casualties.killed, result.casualties.injured) == (killed, injured), text


# --- relative dates ----------------------------------------------------------------------------------

DATES = [
    ("Вночі ворог атакував Полтаву дронами, пошкоджено підстанцію.", "2024-03-04", "2024-03-04"),
    (
        "Учора ввечері росіяни вдарили ракетою по Кривому Рогу, поранено двох людей.",
        "2024-03-04",
        "2024-03-03",
    ),
    ("У ніч на неділю окупанти атакували Львів ударними дронами.", "2024-03-04", "2024-03-03"),
    ("Накануне ВСУ обстреляли Горловку из артиллерии, ранен мужчина.", "2024-03-04", "2024-03-03"),
    ("В ночь на субботу беспилотники атаковали Брянск, повреждена котельная.", "2024-03-04", "2024-03-02"),
    ("Сегодня утром российская ракета попала в жилой дом в Одессе.", "2024-03-04", "2024-03-04"),
]


@pytest.mark.parametrize(("text", "published", "event_date"), DATES)
def test_relative_dates_resolve_against_the_published_date(
    classify: Classify, text: str, published: str, event_date: str
) -> None:
    result = classify(text, published)
    assert result.is_attack, text
    assert result.event_date is not None and result.event_date.isoformat() == event_date, text


# --- alerts and other near-misses without a strike ------------------------------------------------

NEAR_MISSES = [
    "У Києві та області оголошено повітряну тривогу через загрозу застосування балістичних ракет. "
    "Відбій тривоги.",
    "Укренерго оприлюднило графіки відключень світла на завтра для всіх областей.",
    "Суд засудив колишнього військового до восьми років ув'язнення за державну зраду.",
    "В Белгороде объявили ракетную опасность, жителей попросили пройти в укрытия. Позже дали отбой тревоги.",
    "У мужчины случился инфаркт прямо во время футбольного матча в Курске.",
    "В Брянской области прошли учения по гражданской обороне.",
]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_alerts_and_near_misses_are_not_attacks(classify: Classify, text: str) -> None:
    result = classify(text)
    assert not result.is_attack, text
    assert result.skipped_reason is None


# --- the contract's side of it -----------------------------------------------------------------------


def test_output_is_english_and_evidence_points_into_the_cyrillic_text(classify: Classify) -> None:
    text = "Вночі росіяни атакували Харків шахедами, загинули двоє людей."
    result = classify(text)
    assert result.language == "uk"
    assert result.attacker == "Russia"
    assert result.weapons == ["Shahed"]
    assert names(result) == {"Kharkiv"}
    assert result.evidence
    for evidence in result.evidence:
        assert text[evidence.start : evidence.end] == evidence.text
    assert any(e.field == "locations" and e.text == "Харків" for e in result.evidence)


def test_russian_governors_report_ukrainian_attacks(classify: Classify) -> None:
    result = classify(
        "Губернатор Гладков сообщил, что ВСУ обстреляли Шебекино из РСЗО, ранены трое мирных жителей."
    )
    assert result.is_attack
    assert result.language == "ru"
    assert result.attacker == "Ukraine"
    assert result.casualties.injured == 3


def test_downed_drones_named_by_their_side_say_who_attacked(classify: Classify) -> None:
    result = classify(
        "Дежурные средства ПВО перехватили и уничтожили 46 украинских беспилотников над Белгородом."
    )
    assert result.is_attack
    assert result.attacker == "Ukraine"
    assert result.projectiles.intercepted == 46


def test_an_attack_without_a_named_weapon_is_of_type_other(classify: Classify) -> None:
    result = classify("Ворожа атака на Запоріжжя: зруйновано приватні будинки, поранено двох людей.")
    assert result.is_attack
    assert result.attack_types == ["other"]


def test_latin_lookalike_letters_in_cyrillic_words_still_name_the_place(classify: Classify) -> None:
    """Posts typed with the Latin i for і (or o, a for о, а) still name their place; the evidence is
    the text as written."""
    uk = "Уночi ворог атакував Харкiв дронами, загинули двоє людей."
    result = classify(uk)
    assert [loc.name for loc in result.locations] == ["Kharkiv"]
    assert [ev.text for ev in result.evidence if ev.field == "locations"] == ["Харкiв"]
    ru = "Ночью беспилотники атаковали Белгoрoд, погиб один человек."
    assert [loc.name for loc in classify(ru).locations] == ["Belgorod"]


@pytest.mark.parametrize(
    "text",
    [
        "Уночі окупанти обстріляли Нікополь, поранено жінку.",
        "Росіяни знову обстрілюють Херсон, пошкоджено будинок.",
        "Ночью противник обстрелял Шебекино, ранен мужчина.",
        "ВСУ обстреливают Горловку, повреждены дома.",
    ],
)
def test_the_verb_shelled_is_artillery_like_the_noun_shelling(classify: Classify, text: str) -> None:
    """ "обстріляли"/"обстрелял" (shelled) is artillery, as "обстріл"/"обстрел" (shelling) and the
    English "shelled" are, not the untyped "other"."""
    result = classify(text)
    assert result.is_attack
    assert result.attack_types == ["artillery"]


@pytest.mark.parametrize(
    ("text", "place", "region"),
    [
        (
            "В Белгородской области беспилотник ВСУ атаковал автомобиль в селе Щетиновка, ранен водитель.",
            "Shchetinovka",
            "Belgorod Oblast",
        ),
        (
            "У Сумській області ворог обстріляв з мінометів село Ярославець, пошкоджено будинок.",
            "Yaroslavets",
            "Sumy Oblast",
        ),
    ],
)
def test_a_village_the_gazetteer_lacks_keeps_its_name_in_latin_letters(
    classify: Classify, text: str, place: str, region: str
) -> None:
    result = classify(text)
    assert [(loc.name, loc.region) for loc in result.locations] == [(place, region)]


def test_community_adjectives_name_their_towns(classify: Classify) -> None:
    result = classify(
        "Протягом доби обстрілів у Сумській області зазнали Білопільська, Краснопільська "
        "та Путивльська громади."
    )
    assert result.is_attack
    assert names(result) == {"Bilopillia", "Krasnopillia", "Putyvl"}


@pytest.mark.parametrize(
    ("text", "town"),
    [
        # A village named in the plural takes "-ів-" before the suffix: Валки -> Валківська.
        ("Упродовж доби ворог обстріляв у Харківській області Валківську громаду з артилерії.", "Valky"),
        (
            "Вночі у Харківській області під обстріл потрапила Близнюківська громада, пошкоджено школу.",
            "Blyzniuky",
        ),
        (
            "У Полтавській області окупанти вдарили дроном по Пісківській громаді, зруйновано склад.",
            "Pisky",
        ),
    ],
)
def test_a_plural_village_is_found_from_its_community_adjective(
    classify: Classify, text: str, town: str
) -> None:
    result = classify(text)
    assert result.is_attack
    assert town in names(result)


@pytest.mark.parametrize(
    ("text", "town"),
    [
        # A two-word name fuses in its community adjective: Біла Церква -> Білоцерківська громада.
        (
            "Вночі у Київській області ворожий дрон влучив у склад, атаки зазнала Білоцерківська громада.",
            "Bila Tserkva",
        ),
        (
            "У Полтавській області росіяни обстріляли ракетами Великокринківську громаду, є руйнування.",
            "Velyki Krynky",
        ),
        (
            "Ворог атакував дронами Дніпропетровщину: під ударом Криворізька громада, пошкоджено лінію.",
            "Kryvyi Rih",
        ),
    ],
)
def test_a_two_word_town_is_found_from_its_fused_community_adjective(
    classify: Classify, text: str, town: str
) -> None:
    result = classify(text)
    assert result.is_attack
    assert town in names(result)
