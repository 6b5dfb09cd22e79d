"""Round 5 red-team kinds of Ukrainian and Russian reports (issue 13 kinds, issue 14 follow-up).
Sentences of our own, none from the data; each kind in both languages."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]


# --- 1. anniversaries, memorials, films and verdicts about old strikes (LABELS.md rule 1) -------------


@pytest.mark.parametrize(
    "text",
    [
        "Сьогодні минає рік від ракетного удару по Краматорську, внаслідок якого загинули 13 людей.",
        "Рівно два роки тому російська ракета влучила в торговий центр у Кременчуці, загинули 22 людини.",
        "На телеканалі вийшов документальний фільм про ракетний удар по вокзалу в Краматорську, який забрав "
        "життя 60 людей.",
        "Сьогодні минає рік від ракетного удару по Краматорську. Тоді російська ракета влучила у вокзал, "
        "загинули 60 людей.",
        "Два роки тому росіяни вдарили по Вінниці ракетами «Калібр». Тоді загинули 28 людей, серед них троє "
        "дітей.",
        "В Москве показали документальный фильм о ракетном ударе ВСУ по Белгороду, в результате которого "
        "погибли 25 человек.",
        "Сегодня исполняется год со дня удара беспилотников по Белгороду, тогда погибли 20 человек.",
        "Премьера фильма о ракетном ударе по Москве, при котором погибли 40 человек, прошла в кинотеатре.",
        "Сегодня исполняется год со дня удара беспилотников по Белгороду. Тогда ВСУ атаковали центр города, "
        "погибли 20 человек.",
        "В Москве показали документальный фильм о ракетном ударе ВСУ по Белгороду. В результате того удара "
        "погибли 25 человек.",
    ],
)
def test_an_anniversary_a_film_or_a_verdict_about_an_old_strike_is_no_attack(
    classify: Classify, text: str
) -> None:
    c = classify(text)
    assert not c.is_attack
    assert c.severity is None


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        (
            "Уночі росіяни вдарили ракетою по Краматорську, загинули 5 людей. Рік тому ворог уже атакував "
            "вокзал міста.",
            5,
        ),
        (
            "Ночью ВСУ атаковали Белгород беспилотниками, погиб один человек. Год назад "
            "город уже подвергался "
            "массированному обстрелу. Тогда погибли 25 человек.",
            1,
        ),
        (
            "Вночі росіяни вдарили по Харкову дронами, загинули 2 людини. Рік тому місто зазнало найбільшої "
            "атаки. Тоді загинули 11 людей.",
            2,
        ),
    ],
)
def test_a_new_attack_beside_a_year_old_one_keeps_its_own_toll(
    classify: Classify, text: str, killed: int
) -> None:
    c = classify(text)
    assert c.is_attack
    assert c.casualties.killed == killed


def test_then_too_after_a_memorial_line_is_still_the_attack(classify: Classify) -> None:
    c = classify(
        "Вночі росіяни вдарили по Харкову. У місті оголосили хвилину мовчання за загиблими. "
        "Тоді ж поранено 4 людей."
    )
    assert c.is_attack
    assert c.casualties.injured == 4


# --- 2. corrections supersede (revised_to, as in en) --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        (
            "Уночі росіяни вдарили ракетою по Дніпру, загинули 4 людини. Згодом кількість "
            "загиблих уточнили до 6.",
            6,
        ),
        (
            "Внаслідок удару дрона по Сумах загинули троє людей. Пізніше кількість загиблих "
            "уточнили до двох.",
            2,
        ),
        ("Ворог обстріляв Херсон, загинули 5 людей. Кількість загиблих уточнили до 7 осіб.", 7),
        (
            "Ночью ВСУ атаковали Белгород беспилотниками, погибли 4 человека. Позже число "
            "погибших уточнили до 6.",
            6,
        ),
        ("При обстреле Горловки погибли пять человек. Впоследствии число погибших уточнили до трех.", 3),
        ("В результате ракетного удара по Курску погибли 3 человека, число погибших уточнили до 5.", 5),
    ],
)
def test_a_corrected_toll_supersedes_the_first(classify: Classify, text: str, killed: int) -> None:
    c = classify(text)
    assert c.is_attack
    assert c.casualties.killed == killed


@pytest.mark.parametrize(
    ("text", "injured"),
    [
        ("Уночі дрон атакував Суми, поранено 4 людей. Згодом кількість поранених уточнили до 6.", 6),
        ("ВСУ обстреляли Донецк, ранены 4 человека. Позже число раненых уточнили до 6.", 6),
        ("Ворог обстріляв Херсон, загинули 5 людей. Кількість загиблих зросла до 7.", None),
    ],
)
def test_a_corrected_injured_count_supersedes_and_a_toll_line_without_war_words_counts(
    classify: Classify, text: str, injured: int | None
) -> None:
    c = classify(text)
    assert c.casualties.injured == injured
    if injured is None:
        assert c.casualties.killed == 7


# --- 3. ranges of injured --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Унаслідок ракетного удару по Одесі від 5 до 7 людей дістали поранень.",
        "Уночі росіяни атакували Одесу дронами. За попередніми даними, від 5 до 7 людей дістали поранень.",
        "Унаслідок удару по Києву від п'яти до семи людей дістали поранень.",
        "В результате удара беспилотника по Белгороду от 5 до 7 человек получили ранения.",
        "ВСУ ударили по Донецку: ранены от пяти до семи человек.",
        "Ночью ВСУ атаковали Горловку. По предварительным данным, от 5 до 7 человек получили ранения.",
    ],
)
def test_a_range_of_injured_gives_both_ends(classify: Classify, text: str) -> None:
    c = classify(text)
    assert (c.casualties.injured, c.casualties.injured_max) == (5, 7)


# --- 4. x of y, and the rest also downed ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "launched", "intercepted"),
    [
        (
            "Уночі ворог атакував Київщину. З 40 дронів, які запустили росіяни, 35 було збито силами ППО.",
            40,
            35,
        ),
        ("Із 25 ракет, випущених по Україні, 20 знищено.", 25, 20),
        ("З 12 шахедів, що летіли на Одесу, 10 збили мобільні групи.", 12, 10),
        ("Из 25 ракет, выпущенных по Крыму, 20 были перехвачены силами ПВО.", 25, 20),
        ("Из 12 беспилотников, летевших на Курск, 10 сбиты средствами ПВО.", 12, 10),
        ("Из 40 беспилотников 35 были уничтожены над Брянской областью, остальные упали в поле.", 40, 35),
    ],
)
def test_of_n_launched_m_downed(classify: Classify, text: str, launched: int, intercepted: int) -> None:
    c = classify(text)
    assert (c.projectiles.launched, c.projectiles.intercepted) == (launched, intercepted)


@pytest.mark.parametrize(
    ("text", "launched"),
    [
        (
            "Ночью ВСУ атаковали Брянскую область. Из 40 беспилотников 35 были уничтожены. "
            "Все остальные также сбиты.",
            40,
        ),
        ("Ночью ВСУ атаковали область 20 беспилотниками, 15 сбиты, остальные подавлены средствами РЭБ.", 20),
        ("Вночі ворог атакував Україну 40 дронами. 35 з них знищено, решту також збито.", 40),
        ("Уночі росіяни запустили 30 шахедів, 25 збили сили ППО, а всі інші також знешкоджено.", 30),
    ],
)
def test_the_rest_also_downed_makes_every_launched_one_intercepted(
    classify: Classify, text: str, launched: int
) -> None:
    # LABELS.md rule 5 counts every projectile brought down (the Air Force's "збито/подавлено").
    c = classify(text)
    assert (c.projectiles.launched, c.projectiles.intercepted) == (launched, launched)


# --- 5. all of them downed after a launched count in thousands ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Уночі ворог атакував Україну 1 200 дронами. Усі вони були збиті.",
        "Росіяни атакували 1 200 дронами. Усі вони були збиті силами ППО.",
        "Ворог атакував 1 200 ударними дронами, усі вони були знищені.",
        "Противник атаковал Белгородскую область 1 200 беспилотниками. Все они были сбиты.",
        "ВСУ атаковали 1 200 дронами. Все они были сбиты.",
        "ВСУ атаковали регион 1 200 беспилотниками, все они были уничтожены.",
    ],
)
def test_all_of_them_downed_after_1_200(classify: Classify, text: str) -> None:
    c = classify(text)
    assert (c.projectiles.launched, c.projectiles.intercepted) == (1200, 1200)


# --- 6. a week's or a month's total is no launched figure ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "За тиждень росіяни випустили по Україні 1 200 дронів. Уночі один шахед влучив у житловий будинок "
        "у Львові, поранено двох людей.",
        "Уночі дрон влучив у багатоповерхівку в Києві. Загалом за тиждень ворог запустив по Україні понад "
        "1 200 ударних дронів.",
        "Минулого місяця росіяни застосували 4 000 шахедів. Сьогодні вночі дрон атакував "
        "Одесу, загинула жінка.",
        "За неделю ВСУ выпустили по России 1 200 беспилотников. Ночью один дрон попал в жилой дом в Курске, "
        "ранены два человека.",
        "Ночью беспилотник атаковал Белгород. Всего за месяц противник запустил по "
        "области более 1 200 дронов.",
        "За неделю ВСУ выпустили по России 1 200 беспилотников и 40 ракет. Ночью один "
        "дрон попал в дом в Курске.",
    ],
)
def test_a_period_total_is_no_launched_figure(classify: Classify, text: str) -> None:
    c = classify(text)
    assert c.is_attack
    assert c.projectiles.launched is None


@pytest.mark.parametrize(
    ("text", "launched", "intercepted"),
    [
        ("Уночі ворог атакував Україну 50 дронами, а загалом за тиждень — понад 1 200.", 50, None),
        ("За добу росіяни запустили по Україні 85 дронів, 70 збито.", 85, 70),
        ("Уночі ворог запустив 40 шахедів, 32 було знешкоджено.", 40, 32),
        ("Противник застосував 12 ракет; 10 збили сили ППО.", 12, 10),
        ("Ночью ВСУ запустили 52 беспилотника, 40 сбиты силами ПВО.", 52, 40),
        ("Противник применил 9 ракет, 7 были перехвачены.", 9, 7),
        ("Ночью противник выпустил по Белгороду 20 ракет, 18 уничтожены.", 20, 18),
    ],
)
def test_the_nights_figures_stay_and_an_elliptic_count_before_its_verb(
    classify: Classify, text: str, launched: int, intercepted: int | None
) -> None:
    c = classify(text)
    assert (c.projectiles.launched, c.projectiles.intercepted) == (launched, intercepted)


# --- 7. who fired: the agent of a passive launch verb ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "attacker"),
    [
        (
            "Сили ППО України знищили 40 з 70 дронів, які використовувалися росіянами для атаки на Україну.",
            "Russia",
        ),
        ("Вночі ППО збила 20 ракет, випущених окупантами по Києву.", "Russia"),
        ("Над Одесою знищено 12 шахедів, запущених росіянами з Криму.", "Russia"),
        (
            "Средства ПВО уничтожили 30 беспилотников, запущенных украинскими военными по Курской области.",
            "Ukraine",
        ),
        ("Над Белгородом сбиты 5 ракет, выпущенных ВСУ.", "Ukraine"),
        ("Над Брянском уничтожены 6 беспилотников, направленных ВСУ на город.", "Ukraine"),
    ],
)
def test_the_agent_of_a_passive_launch_fired(classify: Classify, text: str, attacker: str) -> None:
    c = classify(text)
    assert c.is_attack
    assert c.attacker == attacker


@pytest.mark.parametrize(
    "text",
    [
        "Над Харківщиною знищено 8 ракет, випущених з території Росії.",
        "Над Курской областью уничтожены 10 беспилотников, запущенных с территории Украины.",
        "Над Сумщиною збито 4 дрони, запущені з боку Курської області.",
    ],
)
def test_a_launch_site_after_a_passive_verb_names_no_agent(classify: Classify, text: str) -> None:
    c = classify(text)
    assert c.is_attack
    assert c.attacker is None


# --- 8. a lone clause: a drone that fell on a building struck it --------------------------------------------


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Беспилотник упал на дом в Курске.", "Kursk"),
        ("Дрон врезался в многоэтажку в Воронеже.", "Voronezh"),
        ("Беспилотник рухнул на территорию предприятия в Брянске.", "Bryansk"),
        ("Дрон упав на будинок у Києві.", "Kyiv"),
        ("Ракета впала на приватний будинок у Запоріжжі.", "Zaporizhzhia"),
        ("Шахед врізався в багатоповерхівку в Одесі.", "Odesa"),
    ],
)
def test_a_drone_that_fell_on_a_building_is_a_strike(classify: Classify, text: str, place: str) -> None:
    c = classify(text)
    assert c.is_attack
    assert place in {loc.name for loc in c.locations}
    # It struck a building: damage to a civilian object (contract section 5).
    assert c.severity == "Moderate"


@pytest.mark.parametrize(
    "text",
    [
        "Курс рубля упал на бирже в Москве.",
        "В Курске мужчина упал в яму на улице.",
        "У Києві чоловік упав на льоду біля будинку.",
    ],
)
def test_a_fall_without_a_weapon_is_no_strike(classify: Classify, text: str) -> None:
    assert not classify(text).is_attack
