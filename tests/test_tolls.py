"""Tolls: the counts each record takes (:mod:`sitrep.stages.tolls`), on short reports in the style of real ones, in
the four languages; a country's tally as :mod:`sitrep.stages.numbers` marks it. (The counts of single sentences are
tested in ``test_numbers_claims.py``.)"""

from __future__ import annotations

import pytest

from sitrep.model import Document, Event
from sitrep.pipeline import extract
from sitrep.stages.numbers import casualties


@pytest.mark.parametrize(
    ("lang", "text", "scope"),
    [
        ("ru", "За сутки погибли 5 человек по всей Украине, ранены 31.", "country"),
        ("uk", "Загалом по Україні загинули 7 людей.", "country"),
        ("en", "Nine civilians were killed across the country.", "country"),
        ("fr", "Neuf civils ont été tués dans tout le pays.", "country"),
        ("uk", "З початку повномасштабного вторгнення в області загинули 512 цивільних.", "cumulative"),
        ("ru", "С начала года в результате обстрелов погибли 40 мирных жителей города.", "cumulative"),
        ("en", "Since the start of the full-scale invasion, 95 children have been killed in the region.", "cumulative"),
        ("fr", "Depuis le début de l'invasion, 95 enfants ont été tués dans la région.", "cumulative"),
        ("ru", "В Херсоне погибли 5 человек.", None),
    ],
)
def test_a_tally_of_a_country_or_of_months_is_marked(lang: str, text: str, scope: str | None) -> None:
    found = casualties(text, lang)
    assert found and all(c.attr("scope") == scope for c in found)


def tolls(text: str, lang: str) -> dict[str, tuple[int | None, int | None]]:
    """Each located record's (killed, injured), by place name."""
    return {
        r.location.name: (r.fatalities, r.injured)
        for r in extract(Document(text=text, date="2024-06-28", lang=lang))
        if isinstance(r, Event) and r.location is not None
    }


def test_a_later_paragraph_gives_the_toll_and_the_latest_wins() -> None:
    text = ("Ворог атакував Запоріжжя керованими авіабомбами. Внаслідок удару по житловому кварталу загинули "
            "двоє людей, ще 12 поранені.\n\nКількість постраждалих зросла до 15, серед них троє дітей.\n\n"
            "Про це повідомив начальник Запорізької ОВА Іван Федоров.")
    got = tolls(text, "uk")
    assert next(v for k, v in got.items() if k.startswith("Zaporizh")) == (2, 15)


def test_a_count_alone_in_its_paragraph_is_the_events() -> None:
    text = ("Вночі окупанти атакували Суми ударними дронами.\n\nПостраждали четверо людей.\n\n"
            "Загиблих немає, повідомив Олег Григоров.")
    assert tolls(text, "uk")["Sumy"] == (0, 4)
    text = ("ВСУ обстреляли Горловку. В результате обстрела погибли два мирных жителя, еще пятеро получили "
            "ранения.\n\nЧисло пострадавших возросло до семи, сообщил глава города Иван Приходько.")
    assert tolls(text, "ru")["Horlivka"] == (2, 7)


def test_a_country_tally_goes_to_no_event() -> None:
    text = ("За сутки в результате обстрелов погибли 5 человек по всей Украине, ранены 31.\n\n"
            "В Херсоне российские войска обстреляли жилой район, погиб мужчина, ранены двое.\n\n"
            "Об этом сообщили в МВД.")
    assert tolls(text, "ru")["Kherson"] == (1, 2)


def test_a_regions_day_tally_is_the_regions_event() -> None:
    text = ("Russian forces shelled Kherson on June 27, killing two people and injuring five, Governor Oleksandr "
            "Prokudin said.\n\nOver the past day, Russian attacks across Kherson Oblast killed 3 people and "
            "injured 14.")
    got = tolls(text, "en")
    assert got["Kherson"] == (2, 5) and got["Kherson Oblast"] == (3, 14)


def test_a_risen_toll_replaces_the_first() -> None:
    text = ("Une frappe russe sur Odessa a fait deux morts et cinq blessés le 27 juin, selon le gouverneur Oleg "
            "Kiper.\n\nLe bilan s'est ensuite alourdi à trois morts, dont un enfant.")
    assert tolls(text, "fr")["Odesa"] == (3, 5)


def test_each_place_takes_the_count_of_its_clause() -> None:
    text = ("20 человек погибли в Киеве в результате российских обстрелов, 11 – в Днепропетровской области.\n\n"
            "Об этом сообщили в МВД.")
    got = tolls(text, "ru")
    assert got["Kyiv"][0] == 20 and got["Dnipropetrovsk Oblast"][0] == 11
    text = ("У Донецькій області за добу росіяни вбили 3 цивільних: 2 у Торецьку та 1 у Покровську.\n\n"
            "Про це повідомив Вадим Філашкін.")
    got = tolls(text, "uk")
    assert got["Toretsk"][0] == 2 and got["Pokrovsk"][0] == 1


def test_more_victims_told_later_are_added() -> None:
    text = ("Окупанти обстріляли Херсон. Постраждав 64-річний чоловік.\n\n"
            "Згодом стало відомо ще про двох поранених.")
    assert tolls(text, "uk")["Kherson"] == (None, 3)


@pytest.mark.parametrize(
    ("lang", "text", "gapped"),
    [
        ("ru", "20 человек погибли в Киеве, 11 – в Днепропетровской области.", [11]),
        ("uk", "Загинули двоє людей у Херсоні, у Бериславі – 1.", [1]),
        ("en", "Twenty people were killed in Kyiv, and 11 in Dnipropetrovsk region.", [11]),
        ("fr", "Deux personnes ont été tuées à Kherson, et 3 à Beryslav.", [3]),
        # not a place: no count of the kind before it
        ("uk", "Загинули 2 людини, 5 людей у лікарні.", []),
    ],
)
def test_a_count_for_another_place_takes_the_kind_before_it(lang: str, text: str, gapped: list[int]) -> None:
    assert [c.value for c in casualties(text, lang) if c.rule.endswith(":gap") and c.attr("type") == "killed"] == gapped


def test_counts_told_later_stop_at_a_place_the_gazetteer_may_not_know() -> None:
    text = ("Вночі окупанти атакували Суми ударними дронами.\n\nВ Грайворонському окрузі поранено чоловіка.\n\n"
            "Про це повідомив Олег Григоров.")
    assert tolls(text, "uk")["Sumy"] == (None, None)


def test_nobody_hurt_after_several_places_is_said_of_each() -> None:
    text = "ВСУ обстреляли Горловку и Донецк. Пострадавших нет.\n\nОб этом сообщил Денис Пушилин."
    got = tolls(text, "ru")
    assert got["Horlivka"] == (0, 0) and got["Donetsk"] == (0, 0)
    # but a count after several places is no one place's
    text = "ВСУ обстреляли Горловку и Донецк. Ранены три человека.\n\nОб этом сообщил Денис Пушилин."
    got = tolls(text, "ru")
    assert got["Horlivka"][1] is None and got["Donetsk"][1] is None
