"""Headline style: the speaker named at the end, counts of people lost, deaths with a named cause."""

from __future__ import annotations

import pytest

from sitrep.model import Claim, Document, Event
from sitrep.pipeline import default_pipeline
from sitrep.stages.numbers import casualties


def _claims(text: str) -> list[Claim]:
    an = default_pipeline().analyse(Document(text=text, date="2022-09-10", lang="en"))
    return [m.value for m in an.mentions if m.kind == "claim"]


def _events(text: str) -> list[Event]:
    return [r for r in default_pipeline().extract(Document(text=text, date="2022-09-10", lang="en"))
            if isinstance(r, Event)]


@pytest.mark.parametrize(
    ("text", "claimant", "role"),
    [
        ("Two civilians died in Donetsk due to shelling - Russian Defense Ministry",
         "Ministry of Defence of the Russian Federation", "Russian Defense Ministry"),
        ("Armed Forces of Ukraine lost over 60 servicemen in a day - RF Ministry of Defense",
         "Ministry of Defence of the Russian Federation", "RF Ministry of Defense"),
        ("A man died in Makiivka due to shelling - territorial defense headquarters",
         "Headquarters of the Territorial Defence of the DPR", "territorial defense headquarters"),
        ("Losses of the Armed Forces of Ukraine in battles with the forces of the LPR amounted to 20 people, "
         "the republic reported", "Luhansk People's Republic", "LPR"),
        ("Russians use barrage squads to stop deserters - GUR",
         "Main Intelligence Directorate of the Ministry of Defence of Ukraine", "GUR"),
        ("Soldier killed in shelling of Pisky - Marochko", "Andrei Marochko", "officer of the LPR People's Militia"),
        ("Soldier killed in shelling of Pisky - Stepanenko", "Stepanenko", None),
        ("Horlivka resident injured in shelling dies - mayor", "mayor", "mayor"),
    ],
)
def test_headline_tail_is_the_claimant(text: str, claimant: str, role: str | None) -> None:
    (claim,) = _claims(text)
    assert (claim.claimant, claim.claimant_role) == (claimant, role)


@pytest.mark.parametrize(
    "text",
    [
        "16 attacks documented in Donbas - civilians killed and wounded",
        "The Armed Forces of Ukraine did not allow a crossing - they destroyed a barge near Kherson",
        "Air defence was active over Kyiv, the military said in its evening update",
        "MAIN: the IAEA mission and new sanctions: events around Ukraine",
    ],
)
def test_what_is_no_speaker(text: str) -> None:
    names = [n for c in _claims(text) for n in (c.claimant, c.claimant_role) if n]
    assert not any(n.casefold().startswith(("civilians", "they", "its", "events")) for n in names), names


def test_places_after_a_dash_name_no_speaker() -> None:
    # "Donetsk - Kirovskyi" names a city district, not "… - speaker"; a role beside a place still speaks
    assert _claims("Ukrainian forces dropped a UAV-borne explosive on positions in Donetsk - Kirovskyi, "
                   "Donetsk region.") == []
    (claim,) = _claims("Two civilians injured in shelling of Nikopol - Dnipropetrovsk governor")
    assert claim.claimant_role is not None and "governor" in claim.claimant_role.casefold()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The RF Armed Forces destroyed up to 40 servicemen of the 113th brigade", [("killed", 40)]),
        ("Armed Forces of Ukraine lost about 200 soldiers per day", [("killed", 200)]),
        ("In the south the Armed Forces of Ukraine eliminated 106 invaders", [("killed", 106)]),
        ("More than 200 servicemen lost in the Krasnoliman direction, 320 wounded",
         [("injured", 320), ("killed", 200)]),
        ("The death toll in the centre of Donetsk after the shelling of the market rose to five", [("killed", 5)]),
        ("Russian Armed Forces destroyed up to 90 military units of the Armed Forces of Ukraine", []),
        ("Russian air forces destroyed 2 Ukrainian military boats in the Black Sea.", []),
        ("Ukrainian air defence destroyed 32 enemy air targets today", []),
        ("Horlivka resident injured in shelling dies", [("killed", 1)]),
        ("Ukrainian soldier killed two civilians", [("killed", 2)]),
        ("A woman injured in the shelling of Makiivka dies", [("killed", 1)]),
        ("A man was injured and a woman died", [("injured", 1), ("killed", 1)]),
        ("Seven people, including three children, died after the strike", [("killed", 7)]),
        ("Aviation destroyed two HIMARS launchers and more than 50 military personnel", [("killed", 50)]),
        ("The number of residents who died in the shelling of Donetsk rose to 2", [("killed", 2)]),
    ],
)
def test_people_counted_in_headlines(text: str, expected: list[tuple[str, int]]) -> None:
    assert sorted((m.attr("type"), m.value) for m in casualties(text, "en")) == sorted(expected)


def test_deaths_are_an_event_wounds_need_a_named_cause() -> None:
    (ev,) = _events("Russians killed four residents of Avdiivka")
    assert ev.fatalities == 4 and ev.actor1 == "Military Forces of Russia (2000-)"
    (ev,) = _events("Armed Forces of Ukraine lost more than 50 soldiers per day near Kupyansk")
    assert ev.sub_event_type == "Armed clash" and ev.fatalities == 50
    (ev,) = _events("Four civilians killed in Donetsk region")
    assert ev.fatalities == 4 and ev.actor1 is None
    assert _events("Four civilians wounded in Donetsk region") == []


def test_a_single_victim_survives_a_days_tally() -> None:
    (ev,) = _events("In the Kharkiv region, a woman died due to shelling over the past day, there are wounded")
    assert ev.fatalities == 1
    # a region's tally is that region's event (the coding rule of real reports: "2 killed, 18 injured in the
    # region" is one oblast event carrying that total); a country's tally is no event's
    (ev,) = _events("Over the past day, shelling killed five civilians in Kharkiv region")
    assert ev.fatalities == 5 and ev.location is not None and ev.location.feature == "admin1"
    assert all(e.fatalities is None for e in _events("Over the past day, shelling killed five civilians across Ukraine"))


@pytest.mark.parametrize(
    ("text", "claimant", "role"),
    [
        ("Five civilians wounded in shelling of Yasynuvata in the DPR - HQ",
         "Headquarters of the Territorial Defence of the DPR", "territorial defence headquarters (HQ)"),
        ("Two servicemen of the LPR killed near Kreminna - NM LPR", "People's Militia of the LPR",
         "NM LPR"),
        ("About 100 Ukrainian soldiers destroyed near Lyman - MO", "Ministry of Defence of the Russian Federation",
         "ministry (MO)"),
        ("Russians shelled eight regions of Ukraine in a day - summary of OVA", "Regional Military Administration",
         "summary of OVA"),
        ("Shelling of the colony in Olenivka reported again - ombudsman", "ombudsman",
         "Commissioner for Human Rights"),
        ("Four civilians killed in a day in the DNR, the republic reported", "Donetsk People's Republic", "DNR"),
    ],
)
def test_headline_tail_resolved(text: str, claimant: str, role: str) -> None:
    (claim,) = _claims(text)
    assert (claim.claimant, claim.claimant_role) == (claimant, role)


def test_front_label_speaks_for_its_own_line_only() -> None:
    south, other = _claims("South: Ukrainian forces destroyed 40 invaders and two tanks\n"
                           "Three civilians killed in Kherson, the regional administration said")
    assert south.claimant == "Operational Command South"
    assert other.claimant == "Kherson Regional Military Administration"  # the one region the line names
    assert _claims("Southern Ukraine: shelling continued overnight") == []
