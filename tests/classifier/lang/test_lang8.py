"""Round-6 challenge set for Ukrainian and Russian input: sentences of our own (none taken from the
labelled data), each labelled as a careful human would by LABELS.md, over the kinds of the red teams and
of issue 13: "up to N" tolls, downward revisions, a toll split over places, Air Force wave summaries and
Russian MoD shoot-down posts, "в ніч на неділю" dates, weapon designators that are no counts, launch
sites, anniversaries, memorials and court verdicts. Published on Monday 4 March 2024 (the fixture's
default), so "в ніч на неділю" is 3 March.

Each case gives only the fields it checks. Kinds still missed stay as strict xfails (`MISSED`), so a fix
shows up as an unexpected pass."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]

SUNDAY = date(2024, 3, 3)
SATURDAY = date(2024, 3, 2)

CASES: list[tuple[str, dict[str, Any]]] = [
    # --- "up to N": the upper end only (killed_max / injured_max) ---------------------------------
    ("Внаслідок ракетного удару по Одесі загинули до 10 людей.", {"killed": None, "killed_max": 10}),
    ("Після обстрілу Херсона до 20 людей поранено.", {"injured": None, "injured_max": 20}),
    ("Пожежа після атаки дронів у Києві: постраждали до 15 людей.", {"injured": None, "injured_max": 15}),
    (
        "Уночі противник вдарив по Одесі, загинули до 5 людей, ще до 12 поранені.",
        {"killed": None, "killed_max": 5, "injured": None, "injured_max": 12},
    ),
    ("В результате удара по Одессе погибли до 10 человек.", {"killed": None, "killed_max": 10}),
    ("В результате обстрела Херсона ранены до 20 человек.", {"injured": None, "injured_max": 20}),
    # "до" of a toll update is no upper bound.
    ("До 7 зросла кількість загиблих унаслідок удару по Сумах.", {"killed": 7, "killed_max": None}),
    ("Кількість загиблих унаслідок удару по Сумах зросла до 7.", {"killed": 7, "killed_max": None}),
    ("До 7 возросло число погибших в результате удара по Сумам.", {"killed": 7, "killed_max": None}),
    # --- downward revisions --------------------------------------------------------------------------
    ("Уточнили: внаслідок удару по Дніпру загинули 5, а не 7 людей.", {"killed": 5}),
    ("Кількість загиблих унаслідок удару по Запоріжжю зменшилася до 4.", {"is_attack": True, "killed": 4}),
    ("Число погибших в результате удара по Запорожью уменьшилось до 4.", {"is_attack": True, "killed": 4}),
    (
        "Спочатку повідомляли про 7 загиблих, згодом кількість загиблих зменшилася до 4 після удару"
        " по Полтаві.",
        {"killed": 4},
    ),
    (
        "Сначала сообщали о 7 погибших, затем число погибших уменьшилось до 4 после удара по Полтаве.",
        {"killed": 4},
    ),
    # --- a toll split over places is summed; a repeated toll is not -------------------------------
    (
        "У Харкові загинули троє людей, у Сумах — двоє після ракетного удару.",
        {"killed": 5, "places": ["Kharkiv", "Sumy"]},
    ),
    (
        "У Дніпрі внаслідок ракетного удару загинули троє, а в Павлограді — ще двоє людей.",
        {"killed": 5, "places": ["Dnipro", "Pavlohrad"]},
    ),
    (
        "В Харькове погибли три человека, в Сумах — двое после ракетного удара.",
        {"killed": 5, "places": ["Kharkiv", "Sumy"]},
    ),
    # The second place's figure is another count (injured), not more dead.
    ("Після ракетного удару у Харкові загинули двоє людей, у Сумах — троє поранені.", {"killed": 2}),
    (
        "Ракетний удар по Кривому Рогу: у понеділок повідомили про 3 загиблих, у вівторок — кількість"
        " загиблих зросла до 5.",
        {"killed": 5},
    ),
    (
        "У понеділок у Херсоні через обстріл загинули двоє людей. У вівторок ОВА повідомила, що загиблих"
        " у Херсоні двоє.",
        {"killed": 2},
    ),
    # --- regions of a shoot-down are regions -------------------------------------------------------
    (
        "Уночі над Брянською, Курською та Бєлгородською областями збито 12 українських безпілотників.",
        {"intercepted": 12, "places": ["Bryansk Oblast", "Kursk Oblast", "Belgorod Oblast"]},
    ),
    (
        "Ночью над Брянской, Курской и Белгородской областями сбиты 12 украинских беспилотников.",
        {
            "intercepted": 12,
            "attacker": "Ukraine",
            "places": ["Bryansk Oblast", "Kursk Oblast", "Belgorod Oblast"],
        },
    ),
    (
        "Минобороны России: над Белгородской областью уничтожены 8 украинских БПЛА.",
        {"intercepted": 8, "launched": None, "attacker": "Ukraine", "places": ["Belgorod Oblast"]},
    ),
    # --- weapon names; designators are never counts -----------------------------------------------
    ("Ворог атакував Одесу дронами Шахед-136, пошкоджено склад.", {"types": ["drone"], "launched": None}),
    ("Ворог атакував шахедами Запоріжжя, двоє загиблих.", {"types": ["drone"], "killed": 2}),
    (
        "Росіяни запустили по Києву ракети Х-101 та Х-555 з літаків Ту-95.",
        {"launched": None, "killed": None, "places": ["Kyiv"]},
    ),
    ("Россия ударила по Харькову ракетами С-300, ранены два человека.", {"injured": 2, "launched": None}),
    ("Ворог скинув на Куп'янськ авіабомби КАБ-500, поранено жінку.", {"injured": 1, "launched": None}),
    (
        "Росіяни вдарили по Дніпру ракетою Іскандер-М, загинула одна людина.",
        {"types": ["missile"], "killed": 1},
    ),
    # --- Air Force wave summaries and "N з M" ----------------------------------------------------
    (
        "У ніч на 3 березня противник атакував 25 ударними БпЛА типу Shahed-136/131, силами ППО збито 21.",
        {"launched": 25, "intercepted": 21, "date": SUNDAY},
    ),
    (
        "У ніч на неділю противник атакував Україну 40 ударними БпЛА, збито/подавлено 35.",
        {"launched": 40, "intercepted": 35, "date": SUNDAY},
    ),
    (
        "Уночі росіяни атакували Хмельницьку область ударними дронами: 11 з 12 знешкоджено.",
        {"launched": 12, "intercepted": 11},
    ),
    ("Уночі ворог атакував Україну 30 дронами, 28 з 30 знешкоджено.", {"launched": 30, "intercepted": 28}),
    ("Ночью враг атаковал Украину 30 дронами, 28 из 30 сбиты.", {"launched": 30, "intercepted": 28}),
    # A wave's weapon named in the singular counts one ("ракетою Іскандер-М").
    (
        "У ніч на 3 березня противник атакував 37 ударними БпЛА типу Shahed, ракетою Іскандер-М та 2"
        " керованими авіаційними ракетами Х-59. Станом на 09:00 збито/подавлено 30 БпЛА.",
        {"launched": 40, "intercepted": 30, "date": SUNDAY},
    ),
    (
        "Уночі ворог атакував Україну балістичною ракетою Іскандер-М та 25 дронами, збито 20 дронів.",
        {"launched": 26, "intercepted": 20},
    ),
    ("Силами ППО знищено 30 БпЛА та крилату ракету Х-101.", {"intercepted": 31, "launched": None}),
    (
        "В ночь на воскресенье противник атаковал 37 ударными БпЛА, ракетой Искандер-М и 2 ракетами Х-59.",
        {"launched": 40, "date": SUNDAY},
    ),
    ("Противник атаковал Одессу 12 беспилотниками и крылатой ракетой.", {"launched": 13}),
    # An active shoot-down verb (знешкодили, перехопили, перехопила) reports an interception.
    ("Сили ППО знешкодили 18 з 20 ударних БпЛА.", {"is_attack": True, "launched": 20, "intercepted": 18}),
    (
        "Уночі сили ППО знешкодили 14 ударних дронів над Київщиною.",
        {"intercepted": 14, "places": ["Kyiv Oblast"]},
    ),
    ("Мобільні вогневі групи перехопили 6 шахедів над Полтавщиною.", {"intercepted": 6, "types": ["drone"]}),
    (
        "Протиповітряна оборона перехопила крилату ракету над Вінниччиною.",
        {"intercepted": 1, "types": ["missile"]},
    ),
    ("Силы ПВО нейтрализовали 18 из 20 беспилотников.", {"launched": 20, "intercepted": 18}),
    ("Средствами РЭБ подавлены 5 украинских дронов над Курской областью.", {"intercepted": 5}),
    (
        "Ночью над Воронежской областью ликвидированы 4 беспилотника.",
        {"intercepted": 4, "places": ["Voronezh Oblast"]},
    ),
    ("Уночі над Черкащиною ліквідовано 5 ударних БпЛА.", {"intercepted": 5, "places": ["Cherkasy Oblast"]}),
    # ... but not a bomb squad's find.
    ("Поліція знешкодила вибуховий пристрій у Львові.", {"is_attack": False}),
    # --- "в ніч на <day>" dates ---------------------------------------------------------------------
    ("В ніч на неділю ворог атакував Київ дронами, поранено двох людей.", {"date": SUNDAY, "injured": 2}),
    (
        "В ночь на воскресенье враг атаковал Киев дронами, ранены два человека.",
        {"date": SUNDAY, "injured": 2},
    ),
    ("У ніч на суботу ворог атакував Харків шахедами, поранено жінку.", {"date": SATURDAY, "injured": 1}),
    ("В ночь на субботу ВСУ атаковали Белгород беспилотниками, погиб один человек.", {"date": SATURDAY}),
    ("У ніч проти неділі ворог атакував Житомирщину дронами, пошкоджено будинок.", {"date": SUNDAY}),
    ("У суботу ввечері росіяни обстріляли Херсон, поранено двох людей.", {"date": SATURDAY, "injured": 2}),
    ("Вчора ввечері ворог атакував Запоріжжя дронами, поранено трьох людей.", {"date": SUNDAY, "injured": 3}),
    # --- launch sites are not targets ---------------------------------------------------------------
    (
        "Противник вдарив з Бєлгородської області по Харкову ракетами С-300, поранено трьох.",
        {"places": ["Kharkiv"], "injured": 3},
    ),
    ("Росіяни з Бєлгородської області обстріляли Харків, поранено двох людей.", {"places": ["Kharkiv"]}),
    (
        "Противник нанес удар с территории Курской области по Сумам, ранены три человека.",
        {"places": ["Sumy"]},
    ),
    ("Ворог вдарив по Сумах з території Курської області, поранено трьох людей.", {"places": ["Sumy"]}),
    # An impersonal "удар нанесли (з X) по Y" names a strike on Y with no actor or weapon word.
    (
        "Удар нанесли с территории Белгородской области по Харькову, погибли двое.",
        {"killed": 2, "places": ["Kharkiv"]},
    ),
    ("По Харькову нанесли удар, погибли двое мирных жителей.", {"killed": 2, "places": ["Kharkiv"]}),
    ("Удару завдали по Харкову, загинули двоє людей.", {"killed": 2, "places": ["Kharkiv"]}),
    ("Мужчина нанес удар ножом по голове соседу, тот погиб.", {"is_attack": False}),
    # --- not news of an attack: anniversaries, memorials, verdicts ----------------------------------
    (
        "Рік тому російська ракета влучила в будинок у Дніпрі, загинули 46 людей. Сьогодні у місті"
        " вшанували пам'ять загиблих.",
        {"is_attack": False},
    ),
    ("У Краматорську відкрили меморіал жертвам ракетного удару по вокзалу.", {"is_attack": False}),
    ("В Краматорске открыли мемориал жертвам ракетного удара по вокзалу.", {"is_attack": False}),
    ("Сьогодні минає два роки від удару по драмтеатру в Маріуполі.", {"is_attack": False}),
    (
        "Год назад российская ракета попала в жилой дом в Днепре, погибли 46 человек. Сегодня в городе"
        " почтили память погибших.",
        {"is_attack": False},
    ),
    (
        "Суд приговорил военного к 15 годам за обстрел Харькова, в результате которого погибли двое"
        " мирных жителей.",
        {"is_attack": False},
    ),
    (
        "Суд засудив росіянина до 15 років за обстріл Харкова, під час якого загинули двоє цивільних.",
        {"is_attack": False},
    ),
    # --- ground fighting ----------------------------------------------------------------------------
    (
        "На Покровському напрямку ворог штурмував позиції біля Новопавлівки, відбито 12 атак.",
        {"types": ["ground_assault"], "places": ["Novopavlivka"]},
    ),
    # "бої" (lemma бой in pymorphy3's first reading) is a battle: an event with its place.
    ("Тривають бої біля Авдіївки.", {"types": ["ground_assault"], "places": ["Avdiivka"]}),
    ("Запеклі бої точаться в районі Часового Яру.", {"types": ["ground_assault"], "places": ["Chasiv Yar"]}),
    ("Сили оборони ведуть бої в Куп'янську.", {"types": ["ground_assault"], "places": ["Kupiansk"]}),
    # Not a battle reported as news.
    ("Фільм про бої за Бахмут показали у Києві.", {"is_attack": False}),
    ("Усик проведе бій у Ер-Ріяді в суботу.", {"is_attack": False}),
    # --- Russian spellings of front-line towns, inflected ------------------------------------------
    ("В Часовом Яре погиб мужчина после обстрела.", {"places": ["Chasiv Yar"], "killed": 1}),
    ("Армия РФ ударила по окрестностям Часова Яра, разрушен дом.", {"places": ["Chasiv Yar"]}),
    ("Противник обстрелял Работино из артиллерии, ранена женщина.", {"places": ["Robotyne"], "injured": 1}),
]

# Kinds still missed: strict xfails, so a fix shows as an unexpected pass.
MISSED: list[tuple[str, dict[str, Any]]] = [
    # Russian "идут бои у X": "бои" is no event noun in the ru pack. Adding it (as the uk pack's "бої")
    # raised dev_uk_ru B2 is_attack, types, date and severity but lowered its locations precision
    # (.900 -> .818), so it is not landed.
    ("Идут бои у Работино, противник пытается наступать.", {"is_attack": True, "places": ["Robotyne"]}),
    ("В Авдеевке идут бои.", {"is_attack": True, "types": ["ground_assault"], "places": ["Avdiivka"]}),
]


def _check(result: Classification, want: dict[str, Any]) -> None:
    got: dict[str, Any] = {
        "is_attack": result.is_attack,
        "killed": result.casualties.killed,
        "killed_max": result.casualties.killed_max,
        "injured": result.casualties.injured,
        "injured_max": result.casualties.injured_max,
        "launched": result.projectiles.launched,
        "intercepted": result.projectiles.intercepted,
        "severity": result.severity,
        "date": result.event_date,
        "attacker": result.attacker,
        "types": sorted(str(t) for t in result.attack_types),
        "places": [loc.name for loc in result.locations],
    }
    if want.get("is_attack", True):
        assert result.is_attack
    shown = {key: got[key] for key in want}
    assert shown == {key: sorted(v) if key == "types" else v for key, v in want.items()}


@pytest.mark.parametrize(("text", "want"), CASES)
def test_challenge(classify: Classify, text: str, want: dict[str, Any]) -> None:
    _check(classify(text), want)


@pytest.mark.parametrize(("text", "want"), MISSED)
@pytest.mark.xfail(strict=True, reason="kind not read yet (round 6 lang8 report)")
def test_challenge_missed(classify: Classify, text: str, want: dict[str, Any]) -> None:
    _check(classify(text), want)


def test_the_challenge_set_has_40_sentences_in_both_languages() -> None:
    texts = [text for text, _ in CASES + MISSED]
    ukrainian = [t for t in texts if any(ch in t.lower() for ch in "іїєґ")]
    assert len(texts) >= 40
    assert len(ukrainian) >= 25
    assert len(texts) - len(ukrainian) >= 12
