"""Page furniture: links to other articles and sidebars are not the report."""

from sitrep.pipeline import extract
from sitrep.stages.page import furniture

PAGE = """Окупанти вдарили по Ізюму, поранено двох людей
Уночі російські війська обстріляли Ізюм з артилерії, поранено двох цивільних, повідомив Олег Синєгубов.
Читайте також: На Херсонщині загинули троє людей внаслідок удару дронів
Реклама
ЩЕ ЗА ТЕМОЮ
Ворог атакував Одесу: загинула людина
10:42, 02.02.2024
У Дніпрі пролунали вибухи
09:15, 02.02.2024
"""


def test_links_headings_and_stamps_are_furniture() -> None:
    lines = [PAGE[a:b] for a, b, _ in furniture(PAGE)]
    assert lines == [
        "Читайте також: На Херсонщині загинули троє людей внаслідок удару дронів",
        "Реклама",
        "ЩЕ ЗА ТЕМОЮ",
        "Ворог атакував Одесу: загинула людина",
        "10:42, 02.02.2024",
        "У Дніпрі пролунали вибухи",
        "09:15, 02.02.2024",
    ]


def test_prose_after_a_block_of_links_is_the_report_again() -> None:
    text = ("Lire aussi : Kharkiv frappée par des drones\n"
            "Les plus lus\n"
            "Odessa : un mort dans une frappe\n"
            + "Le gouverneur de la région de Zaporijjia, Ivan Fedorov, a indiqué qu'une frappe russe avait blessé "
              "deux personnes à Zaporijjia dans la nuit, endommageant plusieurs immeubles et une école du centre.\n")
    why = [w for _, _, w in furniture(text)]
    assert len(why) == 3  # the prose line is not furniture
    assert furniture(text)[-1][1] < text.index("Le gouverneur")


def test_sidebar_headlines_make_no_records() -> None:
    records = [r for r in extract(PAGE, lang="uk", date="2024-02-02") if getattr(r, "location", None) is not None]
    places = {r.location.name for r in records}
    assert "Izium" in places
    assert not places & {"Odesa", "Dnipro", "Kherson Oblast"}


def test_a_sentence_opening_with_earlier_is_not_a_link() -> None:
    assert furniture("Раніше ворог обстріляв Херсон.\nRelated to the strike, police opened a case.\n") == []
