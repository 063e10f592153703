"""Joining a report's repeated tellings of one event (``stages/join.py``), on records made here."""

from __future__ import annotations

from dataclasses import replace

from recordkit import event, place
from sitrep.model import Place
from sitrep.stages.join import Telling, join


def told(sentence: int, paragraph: int = 0, **kw: bool) -> Telling:
    return Telling(sentence, paragraph, sentence == 0, **kw)


def test_a_telling_with_no_place_joins_the_located_event_of_its_type_with_its_counts():
    headline = event("d", None, fatalities=4, start=0)
    body = event("d", "Kharkiv", start=100, claimant="Oleh Syniehubov")
    out, steps = join([headline, body], [told(0), told(2, 1)])
    assert len(out) == 1
    assert out[0].location is not None and out[0].location.name == "Kharkiv"
    assert out[0].fatalities == 4
    assert len(out[0].evidence) == 2
    assert any(s.action == "joined" and s.sentence == 0 for s in steps)


def test_a_telling_with_no_place_stays_when_no_event_of_its_type_is_placed_or_the_text_says_so():
    clash = event("d", None, event_type="Battles", sub_event_type="Armed clash")
    strike = event("d", "Kharkiv")
    out, steps = join([clash, strike], [told(0), told(1)])
    assert len(out) == 2 and any(s.action == "kept" for s in steps)
    out, _ = join([strike, replace(clash, event_type=strike.event_type, sub_event_type=strike.sub_event_type)],
                  [told(0), told(1, unlocated=True)])
    assert len(out) == 2


def test_an_oblast_telling_joins_the_place_it_holds_unless_it_gives_its_own_total():
    oblast = Place(name="Kharkiv Oblast", admin1="Kharkiv", feature="admin1", latitude=49.5, longitude=36.5,
                   geo_precision=3)
    city = event("d", "Kharkiv", injured=3)
    region = replace(event("d", None), location=oblast)
    out, _ = join([city, region], [told(0), told(1)])
    assert [e.location.name for e in out if e.location] == ["Kharkiv"]
    total = replace(region, fatalities=2, injured=18)
    out, _ = join([city, total], [told(0), told(1)])
    assert len(out) == 2


def test_strikes_at_one_city_on_two_days_stay_two_and_a_district_strike_with_its_own_toll_stays_apart():
    a = event("d", "Kyiv", fatalities=3)
    b = event("d", "Kyiv", fatalities=1, date="2023-02-14")
    out, _ = join([a, b], [told(0), told(3, 2)])
    assert len(out) == 2
    city = replace(a, location=replace(place("Kyiv"), population=2_900_000))
    district = replace(event("d", None, fatalities=1), location=Place(
        name="Darnytskyi", admin1="Kyiv City", latitude=50.42, longitude=30.65, population=1000))
    out, _ = join([city, district], [told(0), told(1)])
    assert len(out) == 2


def test_a_district_of_a_city_and_the_city_are_one_locality():
    district = replace(event("d", None), location=Place(name="Darnytskyi", admin1="Kyiv City", latitude=50.42,
                                                        longitude=30.65, population=1000))
    city = replace(event("d", "Kyiv"), location=replace(place("Kyiv"), population=2_900_000))
    out, _ = join([district, city], [told(0), told(1)])
    assert len(out) == 1


def test_damage_told_after_a_strike_at_that_place_is_the_strike_but_not_before_it_nor_after_mere_shots():
    strike = event("d", "Kharkiv", weapons=("missiles",))
    damage = event("d", "Kharkiv", event_type="Strategic developments", sub_event_type="Looting/property destruction",
                   actor1=None)
    out, _ = join([strike, damage], [told(0), told(1)])
    assert [e.sub_event_type for e in out] == ["Shelling/artillery/missile attack"]
    out, _ = join([damage, strike], [told(0), told(1)])
    assert len(out) == 2
    out, _ = join([replace(strike, weapons=()), damage], [told(0), told(1)])
    assert len(out) == 2


def test_an_interception_with_no_place_is_shot_down_over_the_attack_beside_it() -> None:
    from sitrep.pipeline import extract

    text = ("Сили ППО збили 12 з 15 шахедів. Уночі ворог атакував Одесу ударними дронами, пошкоджено житловий будинок, "
            "повідомив Олег Кіпер.")
    shot = [r for r in extract(text, lang="uk", date="2024-05-01") if r.sub_event_type == "Disrupted weapons use"]
    assert len(shot) == 1 and shot[0].location is not None
    assert shot[0].location.name == "Odesa" and shot[0].location.geo_precision == 2
