"""Russian forms of register names, oblast and raion qualifiers, hromadas by their centre, weapons that are
not places, city districts with points of their own."""

from __future__ import annotations

from pathlib import Path

from sitrep.gazetteer import Gazetteer
from sitrep.gazetteer.filters import weapon_or_trigger
from sitrep.gazetteer.sources import russian_forms
from sitrep.gazetteer.text import spellings
from sitrep.model import Place


def _resolved(gaz: Gazetteer, text: str) -> dict[str, Place]:
    return {r.toponym.text: r.place for r in gaz.resolve(gaz.find(text, lang="en"), text=text, lang="en")}


def test_russian_forms_of_a_name() -> None:
    assert russian_forms("Перемога") == {"Победа", "Побєда"}
    assert "Красный Маяк" in russian_forms("Червоний Маяк")
    assert russian_forms("Бахмут") == set()
    # monitors write the iotated letters as y but keep the short i: "Chervonyi Mayak"
    assert "Chervonyi Mayak" in spellings("Червоний Маяк")


def test_a_village_by_the_russian_form_of_its_name(gaz: Gazetteer) -> None:
    # Перемога of Mar'inka hromada answers to "Pobieda" as well as the villages registered as Побєда
    found = gaz.lookup("Pobieda", limit=25)
    assert any(p.admin1 == "Donetsk" and p.name == "Peremoha" for p in found)
    assert any(p.name in ("Pobieda", "Pobyeda") for p in found)


def test_a_village_unknown_in_the_oblast_named_is_that_oblast(gaz: Gazetteer) -> None:
    # the register has a Nevske in Crimea only: "Nevske, Luhansk" is somewhere in Luhansk oblast
    got = _resolved(gaz, "On 2 April 2023, Russian forces shelled near Nevske, Luhansk. Casualties unknown.")
    assert got["Nevske"].feature == "admin1" and got["Nevske"].admin1 == "Luhansk"
    assert got["Nevske"].geo_precision == 3
    # a big city beside an oblast is a list of places, not a lost village
    got = _resolved(gaz, "Air alerts sounded in Kyiv, Kharkiv.")
    assert got["Kyiv"].feature == "settlement" and got["Kyiv"].admin1 == "Kyiv City"


def test_a_raion_beside_a_place_narrows_it(gaz: Gazetteer) -> None:
    got = _resolved(gaz, "On 4 April 2023, Russian forces shelled near Ivanivka, Henicheskyi district, Kherson.")
    assert got["Ivanivka"].admin1 == "Kherson" and got["Ivanivka"].admin2 == "Henicheskyi"


def test_a_hromada_by_its_centre(gaz: Gazetteer) -> None:
    got = _resolved(gaz, "Russian forces shelled the Pokrovske territorial community, Dnipropetrovsk, overnight.")
    place = got["Pokrovske territorial community"]
    assert place.feature == "hromada" and place.admin1 == "Dnipropetrovsk" and place.geo_precision == 2


def test_weapons_are_not_places(gaz: Gazetteer) -> None:
    assert weapon_or_trigger("Iskander") and weapon_or_trigger("'Iskander'") and not weapon_or_trigger("Izium")
    text = "On 5 May 2023, Russian forces launched 'Iskander' missiles at Pavlohrad."
    got = _resolved(gaz, text)
    assert "Iskander" not in got and got["Pavlohrad"].iso2 == "UA"


def test_a_city_district_with_its_own_point(gaz_path: Path) -> None:
    from sitrep.pipeline import extract

    records = extract("On 2 April 2023, Ukrainian forces shelled DPR positions in Donetsk - Petrovskyi, Donetsk. "
                      "Casualties unknown.", date="2023-04-02", lang="en")
    place = next(r.location for r in records if r.location is not None)
    # the district's own GeoNames point, west of the city centre, not the city's
    assert place.geo_precision == 1 and place.name != "Donetsk" and place.longitude is not None
    assert place.longitude < 37.75


def test_blew_up_in_every_language(gaz_path: Path) -> None:
    from sitrep.pipeline import extract

    for text, lang in (("Les forces russes ont fait sauter un pont près de Kherson le 3 mai 2023.", "fr"),
                       ("3 травня 2023 року окупанти підірвали міст біля Херсона.", "uk"),
                       ("3 мая 2023 года военные взорвали мост под Херсоном.", "ru")):
        types = {r.sub_event_type for r in extract(text, date="2023-05-03", lang=lang)}
        assert "Remote explosive/landmine/IED" in types, (lang, types)
