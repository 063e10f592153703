"""World-wide English geoparsing: namesakes settled by the rest of the text, country points, common words."""

from __future__ import annotations

import math

from sitrep.gazetteer import Gazetteer
from sitrep.model import Place


def _resolved(gaz: Gazetteer, text: str) -> list[tuple[str, Place]]:
    return [(r.toponym.text, r.place) for r in gaz.resolve(gaz.find(text, lang="en", demonyms=True), text=text, lang="en")]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def test_small_namesake_of_a_common_word_city_chosen_by_its_county(gaz: Gazetteer) -> None:
    text = ("A Paris man was arrested Sunday at Paris City Hall. He will appear on Tuesday in Henry County "
            "General Sessions Court, the sheriff in Puryear said.")
    got = _resolved(gaz, text)
    paris = [p for t, p in got if t == "Paris"]
    assert len(paris) == 2 and all(p.iso2 == "US" and p.admin1 == "Tennessee" for p in paris)
    assert dict(got)["Henry County"].admin1 == "Tennessee"


def test_paris_without_context_stays_in_france(gaz: Gazetteer) -> None:
    got = dict(_resolved(gaz, "Tourists flocked to Paris and Lyon this summer."))
    assert got["Paris"].iso2 == "FR" and got["Lyon"].iso2 == "FR"


def test_a_repeated_name_does_not_outvote_the_others(gaz: Gazetteer) -> None:
    text = ("Police in London said the fire started downtown. The London fire chief said crews from Toronto, "
            "Canada, were not needed. London council meets Monday.")
    london = [p for t, p in _resolved(gaz, text) if t == "London"]
    assert len(london) == 3 and all(p.iso2 == "CA" and p.admin1 == "Ontario" for p in london)


def test_capitals_not_pulled_to_american_namesakes_by_ubiquitous_names(gaz: Gazetteer) -> None:
    # "Washington", "Dennis" and "Rowley" have namesakes all over New England; they must not drag Moscow,
    # Rome and Brussels to the Moscow, Rome and Brussels of Maine and Wisconsin
    text = ("Britain expelled the diplomats, and Moscow answered in kind on Saturday. In Washington, the State "
            "Department said the embassy in Moscow would shrink. Ambassador Phillips told Dennis Rowley that "
            "talks in Rome and Brussels would go on.")
    got = _resolved(gaz, text)
    assert {p.iso2 for t, p in got if t == "Moscow"} == {"RU"}
    assert dict(got)["Rome"].iso2 == "IT" and dict(got)["Brussels"].iso2 == "BE"


def test_country_name_not_made_a_town_by_a_state_named_elsewhere(gaz: Gazetteer) -> None:
    # Texas is named, and China, Texas exists; but nothing in China's own sentences says Texas
    text = ("Soybean farmers near Houston, Texas, fear the new tariffs. China buys most of the crop grown around "
            "Dallas, and China could stop buying.")
    china = [p for t, p in _resolved(gaz, text) if t == "China"]
    assert len(china) == 2 and all(p.iso2 == "CN" and p.feature == "country" for p in china)


def test_state_name_not_made_a_town_by_other_states_named(gaz: Gazetteer) -> None:
    text = ("The pistachio grower is based in California. Inspectors in Baltimore, Maryland, and Harrisburg, "
            "Pennsylvania, traced the packets.")
    got = dict(_resolved(gaz, text))
    assert got["California"].feature == "admin1" and got["California"].admin1 == "California"
    assert got["Baltimore"].admin1 == "Maryland"


def test_a_qualified_town_keeps_its_place_in_later_mentions(gaz: Gazetteer) -> None:
    text = ("Residents of China, Texas, met at the school on Monday. The Beaumont paper said the town of China "
            "would vote in May.")
    china = [p for t, p in _resolved(gaz, text) if t == "China"]
    assert len(china) == 2 and all(p.iso2 == "US" and p.admin1 == "Texas" for p in china)


def test_wire_dateline_names_the_large_city(gaz: Gazetteer) -> None:
    text = "WASHINGTON (AP) — The president called the governor of Iowa on Tuesday about the flooding in Iowa."
    got = dict(_resolved(gaz, text))
    assert got["WASHINGTON"].admin1 == "District of Columbia"
    assert got["Iowa"].feature == "admin1"


def test_local_dateline_without_agency_left_to_the_context(gaz: Gazetteer) -> None:
    # a local paper's dateline names its own town: the Middletown of the county and state named after it
    text = ("MIDDLETOWN — The Middletown council in Dauphin County met Tuesday. Harrisburg officials and "
            "Pennsylvania police attended.")
    got = [p for t, p in _resolved(gaz, text) if t == "MIDDLETOWN"]
    assert got and got[0].admin1 == "Pennsylvania"
