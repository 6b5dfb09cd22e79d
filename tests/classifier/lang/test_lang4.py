"""Round 4 kinds of Ukrainian and Russian reports (issue 14). Sentences of our own, none from the data."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification
from services.classifier.sentences import split

Classify = Callable[..., Classification]


@pytest.mark.parametrize(
    ("text", "launched"),
    [
        ("Вночі ворог атакував Київщину 14 ударними дронами. Усі збито силами ППО.", 14),
        ("Минулої ночі окупанти запустили по Одещині 9 шахедів — всі знищено над морем.", 9),
        ("Росіяни випустили по Житомирщині 4 крилаті ракети, сили ППО збили всі.", 4),
        ("В ночь на вторник ВСУ атаковали Курскую область 12 беспилотниками, все сбиты.", 12),
        ("Противник выпустил по Харькову 5 ракет. Все они были уничтожены.", 5),
        ("Ночью ВСУ запустили по Брянской области 7 беспилотников. Все воздушные цели уничтожены.", 7),
    ],
)
def test_all_shot_down_after_a_launched_count_is_the_launched_figure(
    classify: Classify, text: str, launched: int
) -> None:
    result = classify(text)
    assert result.is_attack
    assert (result.projectiles.launched, result.projectiles.intercepted) == (launched, launched)


@pytest.mark.parametrize(
    "text",
    [
        "Вночі противник атакував Україну 60 дронами та 3 ракетами. Не всі вдалося збити, є влучання.",
        "Ночью противник атаковал Белгород 20 беспилотниками, все еще идет отражение атаки.",
        "Ворог атакував Сумщину 11 шахедами. Усі вони летіли з боку Курської області.",
    ],
)
def test_not_all_or_all_without_a_shot_down_verb_gives_no_intercepted_figure(
    classify: Classify, text: str
) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.projectiles.intercepted is None


@pytest.mark.parametrize(
    ("text", "launched", "intercepted"),
    [
        (
            "У ніч на 3 березня противник атакував 102 засобами повітряного нападу: 96 ударними БпЛА "
            "та 6 ракетами Х-101. Збито/подавлено 90 ударних БпЛА типу Shahed, Гербера та "
            "дронів-імітаторів інших типів, а також 6 ракет Х-101.",
            102,
            96,
        ),
        (
            "Вночі ворог атакував 58 ударними БпЛА та 4 балістичними ракетами. Протиповітряною обороною "
            "збито 50 БпЛА; 2 ракети.",
            62,
            52,
        ),
        (
            "Ночью противник атаковал Украину 70 беспилотниками и 5 ракетами. Сбито 62 БПЛА типа "
            "Shahed, Гербера и дронов-имитаторов других типов, а также 4 ракеты Х-101.",
            75,
            66,
        ),
        (
            "Ночью ВСУ атаковали Брянскую область. ПВО перехватили и уничтожили 45 беспилотников и 3 ракеты.",
            None,
            48,
        ),
    ],
)
def test_a_summary_listing_kinds_sums_them(
    classify: Classify, text: str, launched: int | None, intercepted: int
) -> None:
    result = classify(text)
    assert result.is_attack
    assert (result.projectiles.launched, result.projectiles.intercepted) == (launched, intercepted)


@pytest.mark.parametrize(
    ("text", "killed", "injured", "place"),
    [
        (
            "Ночью ВСУ атаковали Курск беспилотниками, ранен один человек.\n\nРанее губернатор Брянской "
            "области сообщил об ударе по поселку Климово, где погибли два человека. Также повреждены дома.",
            None,
            1,
            "Kursk",
        ),
        (
            "Вночі ворог атакував Одесу дронами, пошкоджено склад.\n\nЯк повідомлялося, напередодні при "
            "ударі по Ізюму постраждали шестеро людей.",
            None,
            None,
            "Odesa",
        ),
        (
            "Вранці росіяни обстріляли Херсон, поранено двох людей.\n\nНагадаємо, минулого тижня у "
            "Миколаєві внаслідок ракетного удару загинули п'ятеро людей.",
            None,
            2,
            "Kherson",
        ),
        (
            "Днем ВСУ обстреляли Белгород, пострадали три человека.\n\nКроме того, Гладков сообщил об "
            "атаке дрона на Шебекино, где погиб мужчина.",
            None,
            3,
            "Belgorod",
        ),
    ],
)
def test_a_paragraph_about_another_incident_lends_the_primary_attack_nothing(
    classify: Classify, text: str, killed: int | None, injured: int | None, place: str
) -> None:
    result = classify(text)
    assert result.is_attack
    assert (result.casualties.killed, result.casualties.injured) == (killed, injured)
    assert [loc.name for loc in result.locations] == [place]


@pytest.mark.parametrize(
    ("text", "injured"),
    [
        # A toll update of the same attack, told as "as reported": its figure stands.
        (
            "Ночью ВСУ атаковали Белгород, ранен один человек.\n\nКак сообщалось ранее, в Белгороде "
            "выросло число пострадавших до пяти.",
            5,
        ),
        # "Earlier tonight" is the same night's report.
        (
            "Раніше цієї ночі голова ОВА повідомив, що внаслідок атаки дронів на Суми "
            "поранено четверо людей.",
            4,
        ),
        # The only incident told is the earlier one: it is the report's attack.
        ("Ранее губернатор сообщил, что при атаке беспилотника на Курск пострадали два человека.", 2),
    ],
)
def test_an_update_or_a_lone_earlier_report_still_counts(classify: Classify, text: str, injured: int) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.casualties.injured == injured


@pytest.mark.parametrize(
    "text",
    [
        "Вночі дрони атакували Харків, є постраждалі.",
        "Ночью ВСУ атаковали Белгород дронами, пострадали люди.",
        "Украинские беспилотники атаковали Курск. В одном из районов города есть пострадавшие.",
    ],
)
def test_injuries_without_a_number_grade_moderate(classify: Classify, text: str) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.casualties.injured is None
    assert result.severity == "Moderate"


@pytest.mark.parametrize(
    "text",
    [
        "Ворог атакував Запоріжжя. Інформація про те, чи є постраждалі, уточнюється.",
        "Ночью ВСУ атаковали Белгород дронами, сейчас выясняем, есть ли пострадавшие.",
        "Вночі ворог атакував Полтаву дронами, постраждалих немає.",
    ],
)
def test_asking_whether_anyone_was_hurt_is_not_an_injury(classify: Classify, text: str) -> None:
    assert classify(text).severity == "Minor"


@pytest.mark.parametrize(
    ("text", "district"),
    [
        (
            "Російські дрони атакували Одесу.\n\nВночі російські окупанти атакували ударними "
            "безпілотниками Ізмаїльський район, пошкоджено склад.",
            "Izmail District",
        ),
        (
            "Ворог атакував Дніпро дронами.\n\nВночі ворог атакував дронами Павлоградський район, "
            "виникла пожежа.",
            "Pavlohrad District",
        ),
        (
            "Росіяни обстріляли Харків.\n\nУдень росіяни обстріляли з артилерії Чугуївський район, "
            "пошкоджено будинки.",
            "Chuhuiv District",
        ),
    ],
)
def test_a_district_named_in_the_body_counts_beside_the_headline_city(
    classify: Classify, text: str, district: str
) -> None:
    result = classify(text)
    assert result.is_attack
    assert district in [loc.name for loc in result.locations]


def test_a_district_that_holds_a_named_village_is_not_a_place_of_its_own(classify: Classify) -> None:
    text = (
        "Ворог обстріляв Куп'янськ, поранено двох людей.\n\nУ Харківському районі пошкоджено будинок "
        "(с. Прудянка)."
    )
    names = [loc.name for loc in classify(text).locations]
    assert "Kharkiv District" not in names


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "Три человека пострадали от обстрела Брянска. ПВО уничтожила над Брянской областью "
            "пять ракет ВСУ.",
            "missile",
        ),
        ("Обстрел Курска: система ПВО сбила над городом две ракеты, повреждены дома.", "missile"),
        (
            "Белгородцы пострадали от обстрела. Расчет ПВО перехватил над Белгородом три ракеты, "
            "ранены два человека.",
            "missile",
        ),
    ],
)
def test_a_shot_down_weapon_names_the_shelling(classify: Classify, text: str, kind: str) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.attack_types == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "Украинские беспилотники атаковали Курск. В результате удара вражеских БПЛА пострадали два человека.",
        "ВСУ атаковали Белгород дронами. По словам губернатора, вражеские дроны ранили трех жителей.",
        "Беспилотники ВСУ атаковали Брянск. Противник ударил по жилым домам, ранены четыре человека.",
    ],
)
def test_the_enemy_of_a_text_about_russian_places_is_ukraine(classify: Classify, text: str) -> None:
    result = classify(text)
    assert result.attacker == "Ukraine"
    assert result.casualties.injured is not None and result.casualties.injured >= 2


def test_the_enemy_of_a_text_about_ukrainian_places_stays_russia(classify: Classify) -> None:
    result = classify("Ворог атакував Суми дронами. Унаслідок удару ворожих БпЛА поранено трьох людей.")
    assert result.attacker == "Russia"
    assert result.casualties.injured == 3


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "Минулої доби росіяни обстріляли Харківщину. У с. Прудянка пошкоджено приватний будинок.",
            "Prudianka",
        ),
        ("Вночі ворог атакував дронами Сумщину, у м. Конотоп поранено двох людей.", "Konotop"),
        ("Днем ВСУ обстреляли Белгородскую область, в г. Шебекино повреждены два дома.", "Shebekino"),
    ],
)
def test_a_place_after_an_abbreviated_place_word_stays_in_its_sentence(
    classify: Classify, text: str, place: str
) -> None:
    result = classify(text)
    assert result.is_attack
    assert place in [loc.name for loc in result.locations]


def test_the_split_keeps_abbreviations_and_still_ends_sentences() -> None:
    text = "У с. Курганне поранено жінку. В г. Курск прилетел дрон. Почти 60 тыс. жителей без света. Все."
    assert [text[a:b] for a, b in split(text)] == [
        "У с. Курганне поранено жінку.",
        "В г. Курск прилетел дрон.",
        "Почти 60 тыс. жителей без света.",
        "Все.",
    ]


@pytest.mark.parametrize(
    ("text", "name", "region"),
    [
        (
            "За добу росіяни обстріляли Харківську область. У с. Курганне поранено жінку.",
            "Kurhanne",
            "Kharkiv Oblast",
        ),
        (
            "Ворог обстріляв Запорізьку область, у с. Солоне пошкоджено будинок.",
            "Solone",
            "Zaporizhzhia Oblast",
        ),
        (
            "Минулої доби окупанти атакували дроном Херсонську область: у селі Курганне загинув чоловік.",
            "Kurhanne",
            "Kherson Oblast",
        ),
    ],
)
def test_a_village_of_the_named_region_is_not_another_regions_namesake(
    classify: Classify, text: str, name: str, region: str
) -> None:
    result = classify(text)
    assert result.is_attack
    assert [(loc.name, loc.region) for loc in result.locations] == [(name, region)]


def test_a_namesake_village_of_another_region_is_not_a_place_attacked(classify: Classify) -> None:
    result = classify("Російські війська обстріляли Донеччину, у Солоному пошкоджено школу.")
    assert [loc.name for loc in result.locations] == ["Donetsk Oblast"]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (
            "Уночі росіяни обстріляли прикордоння Сумщини.\n\nМиропільська громада: скидання КАБ (3 вибухи).",
            ["airstrike", "glide_bomb"],
        ),
        (
            "Протягом дня ворог обстрілював Чернігівщину.\n\nСеменівська громада: удар FPV-дроном (1 вибух), "
            "мінометний обстріл (5 вибухів).",
            ["drone", "artillery"],
        ),
        (
            "За сутки ВСУ обстреляли приграничье Курской области.\n\nГлушковский район: удар ракетой "
            "(2 взрыва).",
            ["missile"],
        ),
    ],
)
def test_a_summary_line_with_an_explosion_count_is_a_strike_of_its_weapons(
    classify: Classify, text: str, kinds: list[str]
) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.attack_types == kinds


@pytest.mark.parametrize(
    ("text", "injured"),
    [
        (
            "ВСУ обстреляли Белгород. Погибли два человека. Еще 12 мирных жителей, включая троих детей, "
            "пострадали.",
            12,
        ),
        (
            "Росіяни вдарили по Харкову. Загинули двоє людей, ще 15 мешканців, серед них четверо дітей, "
            "дістали поранення.",
            15,
        ),
        ("Противник ударил по Курску, 9 человек, в том числе двое подростков, ранены.", 9),
    ],
)
def test_an_injured_total_with_its_part_set_off_by_commas_is_the_total(
    classify: Classify, text: str, injured: int
) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.casualties.injured == injured


@pytest.mark.parametrize(
    "text",
    [
        "ВСУ ударили по Донецку. Четверо мужчин и одна женщина скончались от ранений в больнице.",
        "Ворог обстріляв Херсон. Двоє людей померли від поранень у лікарні.",
        "ВСУ ударили по Горловке, один мужчина скончался от полученных ранений.",
    ],
)
def test_wounds_the_dead_died_of_are_no_injury(classify: Classify, text: str) -> None:
    assert classify(text).casualties.injured is None


@pytest.mark.parametrize(
    "text",
    [
        "Ракетний удар по об'єкту інфраструктури на Рівненщині. Кількість жертв уточнюється.",
        "Противник нанес удар по Белгороду, количество жертв уточняется.",
        "Дрони атакували Суми. Інформація про жертви уточнюється.",
    ],
)
def test_victims_still_being_counted_are_no_death(classify: Classify, text: str) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.severity == "Minor"


@pytest.mark.parametrize(
    ("text", "attacker"),
    [
        (
            "Два человека пострадали от обстрела Белгорода. ПВО уничтожила над Белгородской областью "
            "девять ракет ВСУ.",
            "Ukraine",
        ),
        (
            "Пожар в Курске: ночью силы ПВО сбили над городом шесть беспилотников ВСУ, обломки "
            "повредили дом.",
            "Ukraine",
        ),
        ("Уламки пошкодили будинок у Сумах: над містом збито три ракети рф.", "Russia"),
    ],
)
def test_a_weapon_of_a_side_names_the_attacker(classify: Classify, text: str, attacker: str) -> None:
    assert classify(text).attacker == attacker


@pytest.mark.parametrize(
    "text",
    [
        "Ракетний обстріл Вінниччини: ППО збила біля Немирова ворожу ракету.",
        "Ночью над Белгородом сбита ракета, обломки повредили дом.",
        "Вночі над Києвом збито шахед, уламки впали на дорогу.",
    ],
)
def test_one_weapon_shot_down_in_the_singular_is_one_intercepted(classify: Classify, text: str) -> None:
    result = classify(text)
    assert result.is_attack
    assert (result.projectiles.launched, result.projectiles.intercepted) == (None, 1)


@pytest.mark.parametrize(
    ("text", "intercepted"),
    [
        ("Ночью над Брянском сбиты беспилотники, повреждены дома.", None),
        ("Ворог атакував Одесу дронами, сили ППО збили 12 дронів.", 12),
        ("Противник атаковал Курск, ПВО сбила над городом 7 беспилотников.", 7),
    ],
)
def test_plural_or_counted_weapons_shot_down_are_not_one(
    classify: Classify, text: str, intercepted: int | None
) -> None:
    assert classify(text).projectiles.intercepted == intercepted


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Ворог обстріляв Херсон. Жінка померла від поранень у лікарні.", 1),
        ("Росіяни вдарили по Нікополю, двоє людей померли від отриманих поранень.", 2),
        ("ВСУ ударили по Донецку. Мужчина скончался от ранений в больнице.", 1),
    ],
)
def test_died_of_wounds_is_killed(classify: Classify, text: str, killed: int) -> None:
    result = classify(text)
    assert result.is_attack
    assert (result.casualties.killed, result.casualties.injured) == (killed, None)
    assert result.severity == "Severe"


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        (
            "Вечером беспилотники ВСУ снова атаковали Курск, ПВО сбила четыре цели.\n\n"
            "В ночь на среду при атаке дронов на Курск погибли двое мужчин.",
            None,
            None,
        ),
        (
            "Белгород второй раз за вечер атакуют ракеты ВСУ, сбиты три цели.\n\n"
            "Прошлой ночью в Белгороде погибла женщина, ранены трое.",
            None,
            None,
        ),
        (
            "Увечері окупанти вдруге атакували Запоріжжя дронами, є руйнування.\n\n"
            "У ніч на четвер унаслідок удару по Запоріжжю загинули троє людей.",
            None,
            None,
        ),
        (
            "Харків цього вечора знову під атакою шахедів, влучання в будинок.\n\n"
            "Минулої ночі ворог бив по Харкову ракетами, поранено сімох людей.",
            None,
            None,
        ),
    ],
)
def test_a_night_opening_a_later_paragraph_of_an_evening_report_is_an_earlier_incident(
    classify: Classify, text: str, killed: int | None, injured: int | None
) -> None:
    result = classify(text)
    assert result.is_attack
    assert (result.casualties.killed, result.casualties.injured) == (killed, injured)


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # No evening anchor: the night is the report's own.
        ("ВСУ атаковали Курск дронами.\n\nВ ночь на среду при атаке на Курск погибли двое мужчин.", 2),
        # The evening comes after the night: it anchors nothing before it.
        (
            "ВСУ атаковали Брянск дронами.\n\nВ ночь на пятницу при атаке на Брянск погиб мужчина. "
            "Вечером режим беспилотной опасности отменили.",
            1,
        ),
        # The night opens the report's first paragraph.
        ("У ніч на четвер ворог атакував Одесу дронами, загинула жінка. Увечері тривогу скасували.", 1),
    ],
)
def test_a_night_without_an_evening_before_it_is_the_reports_own(
    classify: Classify, text: str, killed: int
) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.casualties.killed == killed


@pytest.mark.parametrize(
    ("text", "injured"),
    [
        # Two people named without a number are two injured.
        ("Вночі окупанти вдарили дроном по Чернігову. Поранено жінку та хлопчика.", 2),
        ("Ворог обстріляв Нікополь з артилерії, дівчинка і пенсіонер дістали поранень.", 2),
        ("Уранці росіяни атакували Херсон, постраждали чоловік та жінка.", 2),
        ("Унаслідок ракетного удару по Кривому Рогу поранені — 15-річний хлопчик і 70-річна жінка.", 2),
        ("ВСУ обстреляли Горловку, ранены мужчина и девочка, сообщил глава города.", 2),
        ("Днем беспилотник ВСУ атаковал Шебекино, женщина и подросток получили ранения.", 2),
        # One person named is still one.
        ("Ворог обстріляв Херсон, поранено жінку.", 1),
        ("Ночью ВСУ атаковали Белгород, пострадала женщина.", 1),
        ("Вночі дрон влучив у будинок у Сумах, постраждав чоловік.", 1),
    ],
)
def test_people_named_without_a_number_are_counted(classify: Classify, text: str, injured: int) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.casualties.injured == injured


@pytest.mark.parametrize(
    "text",
    [
        "Ворог завдав ракетного удару по об'єкту військової інфраструктури на Житомирщині.",
        "Росіяни вдарили ракетами по військовій інфраструктурі у Львові.",
        "ВСУ атаковали дронами объект военной инфраструктуры в Курской области.",
        "Ракетный удар нанесен по военной инфраструктуре в Ровно.",
    ],
)
def test_military_infrastructure_is_a_military_target(classify: Classify, text: str) -> None:
    result = classify(text)
    assert result.is_attack
    assert "military" in result.targets


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("Окупанти завдали удару по військовому об’єкту на Хмельниччині.", "Moderate"),
        ("Ворог завдав ракетного удару по об'єкту військової інфраструктури на Житомирщині.", "Moderate"),
        ("ВСУ нанесли удар по объекту военной инфраструктуры в Курской области.", "Moderate"),
        ("Ракетный удар нанесен по военному объекту в Ровно.", "Moderate"),
        # No object struck: still Minor.
        ("Росіяни запустили ракети по Львову, всі збито.", "Minor"),
    ],
)
def test_a_strike_on_a_military_object_is_damage_to_it(classify: Classify, text: str, severity: str) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.severity == severity


@pytest.mark.parametrize(
    ("text", "launched", "intercepted"),
    [
        ("Уночі ворог запустив по Україні 1 200 ударних дронів, збито 1 050.", 1200, 1050),
        ("Ночью противник запустил 1 200 беспилотников, сбито 1 050.", 1200, 1050),
        ("За тиждень росіяни випустили по Україні 1\u00a0020 шахедів, збито 870.", 1020, 870),
        ("За неделю противник запустил 2\u202f300 дронов, из них сбиты 2\u202f100.", 2300, 2100),
    ],
)
def test_thousands_written_with_a_space_are_one_figure(
    classify: Classify, text: str, launched: int, intercepted: int
) -> None:
    result = classify(text)
    assert (result.projectiles.launched, result.projectiles.intercepted) == (launched, intercepted)
    assert result.severity == "Severe"


@pytest.mark.parametrize(
    "text",
    [
        "При ударе по Херсону ранены 12 человек.",
        "В результате удара по Белгороду погибли два человека.",
        "Число погибших в результате удара по Торецку возросло до девяти.",
        "Внаслідок удару по Запоріжжю поранено шестеро людей.",
        "Після удару по Сумах загинули троє мешканців міста.",
    ],
)
def test_a_strike_on_a_place_without_a_weapon_word_is_an_attack(classify: Classify, text: str) -> None:
    assert classify(text).is_attack


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Удар ВСУ по Белгороду 5 марта унёс жизни двух человек.", 2),
        ("Ночной обстрел Донецка унес жизни трех мирных жителей.", 3),
        ("Ракетний удар по Дніпру забрав життя п'ятьох людей.", 5),
    ],
)
def test_a_strike_that_took_lives_gives_the_killed_figure(classify: Classify, text: str, killed: int) -> None:
    assert classify(text).casualties.killed == killed


@pytest.mark.parametrize(
    "text",
    [
        "Від 5 до 7 людей загинули внаслідок ракетного удару по Одесі.",
        "От 5 до 7 человек погибли в результате ракетного удара по Одессе.",
        "Внаслідок російського обстрілу Харкова загинули від 5 до 7 людей.",
    ],
)
def test_a_worded_range_gives_both_ends(classify: Classify, text: str) -> None:
    result = classify(text)
    assert (result.casualties.killed, result.casualties.killed_max) == (5, 7)


@pytest.mark.parametrize(
    ("text", "launched"),
    [
        ("Вночі росіяни атакували Україну сорока сімома ударними дронами, сили ППО знешкодили 38.", 47),
        ("Ворог атакував Одещину двадцятьма шістьма шахедами та трьома ракетами.", 29),
        ("Ночью противник атаковал Курскую область тридцатью семью беспилотниками.", 37),
    ],
)
def test_compound_number_words_in_the_instrumental_are_one_figure(
    classify: Classify, text: str, launched: int
) -> None:
    assert classify(text).projectiles.launched == launched


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        (
            "В результате обстрела Горловки погибли пятеро мирных жителей, среди них двое детей, "
            "ранены одиннадцать человек.",
            5,
            11,
        ),
        ("Росіяни обстріляли Харків ракетами, загинули двоє людей, поранені 9 людей.", 2, 9),
        ("Російська ракета влучила в Одесу: загинули троє, поранені дев'ятеро.", 3, 9),
        ("Росіяни атакували Дніпро ракетами: загинули четверо людей, поранених — 56.", 4, 56),
        ("ВСУ обстреляли Донецк ракетами, погибли трое, раненых — 14.", 3, 14),
    ],
)
def test_an_injured_figure_after_its_word_or_a_subset_clause(
    classify: Classify, text: str, killed: int, injured: int
) -> None:
    result = classify(text)
    assert (result.casualties.killed, result.casualties.injured) == (killed, injured)


@pytest.mark.parametrize(
    ("text", "launched", "intercepted"),
    [
        (
            "Вночі росіяни атакували Україну сорока сімома ударними дронами, "
            "сили ППО знешкодили тридцять вісім.",
            47,
            38,
        ),
        ("Ворог запустив по Київщині 25 шахедів, засоби ППО збили 21.", 25, 21),
        ("Противник запустил по Белгороду 30 беспилотников, силы ПВО уничтожили 27.", 30, 27),
    ],
)
def test_an_elliptic_shot_down_count_with_the_air_defence_as_subject(
    classify: Classify, text: str, launched: int, intercepted: int
) -> None:
    result = classify(text)
    assert (result.projectiles.launched, result.projectiles.intercepted) == (launched, intercepted)
