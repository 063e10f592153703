"""Incident linking without the extraction pipeline: the score's terms, order independence, re-ingest,
replaced documents, the migration, the index, the incident record, the CLI and the link scores."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import random
from pathlib import Path

import pytest

from recordkit import event
from sitrep.cli import main
from sitrep.incidents import incidents, ingest, rebuild
from sitrep.incidents.evaluate import GoldReport, half, score_links
from sitrep.incidents.features import dumps, features, loads, probe_keys, tells_update
from sitrep.incidents.record import fold_name
from sitrep.incidents.score import NO, THRESHOLD, score
from sitrep.incidents.synthetic import reports
from sitrep.model import Claim, Document, Event, Evidence, Place
from sitrep.store import SCHEMA_VERSION, Outcome, Query, SQLiteStore, Store, open_store
from storekit import Backend


def doc(doc_id: str, date: str = "2023-02-13", source: str = "Reuters") -> Document:
    return Document(text=f"report {doc_id}", doc_id=doc_id, date=date, lang="en", source=source)


def ev(doc_id: str, *, sentence: str = "Shelling hit the town.", **kw: object) -> Event:
    base = event(doc_id, **kw)  # type: ignore[arg-type]
    return base.with_(evidence=(Evidence(sentence=sentence, start=0, end=8, trigger="Shelling"),), event_id="")


def village(name: str, lat: float, lon: float, *, precision: int = 1, source: str = "",
            admin1: str = "Donetsk") -> Place:
    # a place known only to its province is the province (as the gazetteer gives it)
    return Place(name=name, admin1=admin1, iso2="UA", country="Ukraine", latitude=lat, longitude=lon,
                 geo_precision=precision, source=source or f"test:{name}",
                 feature="admin1" if precision == 3 else "settlement")


# -- the score -------------------------------------------------------------------------------------------


def test_one_place_one_day_one_type_links() -> None:
    assert score(features(ev("a")), features(ev("b"))) >= THRESHOLD


def test_two_events_of_one_report_never_link() -> None:
    a, b = ev("a"), ev("a", sentence="Shelling hit the town again.")
    assert score(features(a), features(b)) == NO


def test_next_day_links_only_through_the_night_and_on_more_evidence() -> None:
    day1, day2 = ev("a", date="2023-02-13"), ev("b", date="2023-02-14")
    assert score(features(day1), features(day2)) == NO
    night = ev("a", date="2023-02-13", sentence="Shelling hit the town overnight.")
    # one town struck two nights running is common: place, night and type alone do not link
    assert score(features(night), features(day2)) < THRESHOLD
    told = {"fatalities": 3, "weapons": ("missiles",)}
    night_told = ev("a", date="2023-02-13", sentence="Missiles hit the town overnight.", **told)
    assert score(features(night_told), features(ev("b", date="2023-02-14", **told))) >= THRESHOLD
    # a morning report and the next night's cannot be one incident, whatever agrees
    morning = ev("a", date="2023-02-13", sentence="Missiles hit the town in the morning.", **told)
    next_night = ev("b", date="2023-02-14", sentence="Missiles hit the town overnight.", **told)
    assert score(features(morning), features(next_night)) == NO


def test_districts_of_one_city_stay_apart_in_any_spelling() -> None:
    def at(doc_id: str, sentence: str) -> Event:
        return ev(doc_id, sentence=sentence).with_(location=village("Kharkiv", 50.0, 36.23, admin1="Kharkiv"))

    saltivskyi = at("a", "Russian bombs hit Kharkiv's Saltivskyi district.")
    assert features(saltivskyi).quarter == features(at("b", "Бомби влучили в Салтівський район Харкова.")).quarter
    assert features(saltivskyi).quarter == features(at("c", "Бомбы попали по Салтовскому району Харькова.")).quarter
    assert score(features(saltivskyi), features(at("d", "Бомби влучили в Салтівський район Харкова."))) >= THRESHOLD
    other = at("e", "Удар у Холодногірському районі Харкова.")
    assert score(features(saltivskyi), features(other)) == NO
    assert score(features(saltivskyi), features(at("f", "Russian bombs hit Kharkiv."))) >= THRESHOLD  # none named
    assert features(at("g", "Strikes on the Saltivskyi and Kyivskyi districts.")).quarter == ""  # two: neither


def test_strikes_that_hit_different_kinds_of_thing_stay_apart() -> None:
    school = ev("a", sentence="Russian drones hit a school in the town.")
    assert features(school).targets == {"school"}
    house = ev("b", sentence="Уламки дрона пошкодили житловий будинок.")
    assert features(house).targets == {"residential"}
    assert score(features(school), features(house)) == NO
    both = ev("c", sentence="Des drones ont touché une école et des immeubles d'habitation.")
    assert score(features(school), features(both)) >= THRESHOLD  # a kind in common
    assert score(features(school), features(ev("d"))) >= THRESHOLD  # nothing named: nothing decided
    clash = {"sub_event_type": "Armed clash", "event_type": "Battles", "actor1": None}
    fight = ev("e", sentence="Fighting near the school.", **clash)
    assert score(features(fight), features(ev("f", sentence="Fighting near the houses.", **clash))) >= THRESHOLD


def test_one_sides_strike_never_links_with_the_others() -> None:
    russian = ev("a")
    ukrainian = ev("b", actor1="Military Forces of Ukraine (2019-)")
    assert score(features(russian), features(ukrainian)) == NO
    clash = {"sub_event_type": "Armed clash", "event_type": "Battles"}
    one = ev("c", actor1="Military Forces of Russia (2000-)", actor2="Military Forces of Ukraine (2019-)", **clash)
    other = ev("d", actor1="Military Forces of Ukraine (2019-)", actor2="Military Forces of Russia (2000-)", **clash)
    assert score(features(one), features(other)) >= THRESHOLD  # one clash, told from either side


def test_features_stored_before_a_field_was_added_still_load() -> None:
    f = features(ev("a", sentence="Bombs hit a school in the Saltivskyi district."))
    assert (f.quarter, f.targets) == ("sltv", {"school"})
    old = json.loads(dumps(f))[:-3]  # as stored before the district, what was hit and toll updates were read
    assert loads(json.dumps(old)) == dataclasses.replace(f, quarter="", targets=frozenset(), update=False)
    with pytest.raises(ValueError):
        loads(json.dumps([*json.loads(dumps(f)), "unknown"]))


def test_morning_and_evening_stay_apart() -> None:
    morning = ev("a", sentence="Shelling hit the town in the morning.")
    evening = ev("b", sentence="Shelling hit the town in the evening.")
    assert score(features(morning), features(evening)) == NO
    assert score(features(morning), features(ev("c"))) >= THRESHOLD


def test_place_terms() -> None:
    a = ev("a").with_(location=village("Ivanivka", 48.0, 37.0))
    other_village = ev("b").with_(location=village("Petrivka", 48.0, 37.0, precision=2))  # same hromada centre
    near = ev("c").with_(location=village("Ivanivka", 48.05, 37.0, precision=2, source="other"))
    province = ev("d").with_(location=village("Donetsk", 48.3, 37.8, precision=3, source="oblast:Donetsk"))
    other_province = ev("e").with_(location=village("Kharkiv", 49.9, 36.2, precision=3, source="oblast:Kharkiv",
                                                    admin1="Kharkiv"))
    far = ev("f").with_(location=village("Ivanivka", 49.5, 35.0, admin1="Kharkiv", source="test:far"))
    fa = features(a)
    assert score(fa, features(other_village)) == NO
    assert score(fa, features(near)) >= THRESHOLD  # same name in one province
    assert score(fa, features(province)) == score(fa, features(near)) - 3.0  # the province adds nothing
    assert score(fa, features(other_province)) == NO
    assert score(fa, features(far)) == NO  # a namesake in another oblast
    hromada = ev("g").with_(location=Place(name="Ivanivska hromada", admin1="Donetsk", latitude=48.02, longitude=37.0,
                                           geo_precision=1, feature="hromada", source="test:hromada"))
    assert score(fa, features(hromada)) == score(fa, features(near)) - 3.0  # the hromada adds nothing
    border = ev("h").with_(location=village("Ivanivka", 48.01, 37.0, admin1="Zaporizhzhia", source="test:z"))
    assert score(features(near), features(border)) == NO  # another province
    # villages the index lacks, each placed at its province ("near Lastochkyne, Donetsk", "near Maiorsk, Donetsk"):
    # two villages of their own names, never one incident
    unknown = [ev(k).with_(location=Place(name=n, admin1="Donetsk", iso2="UA", latitude=48.02, longitude=37.8,
                                          geo_precision=3, feature="settlement", source=f"not in the index: {n}"))
               for k, n in (("i", "Lastochkyne"), ("j", "Maiorsk"))]
    assert score(features(unknown[0]), features(unknown[1])) == NO


def test_types_weapons_actors_and_tolls() -> None:
    strike = ev("a", sub_event_type="Air/drone strike")
    assert score(features(ev("b")), features(strike)) == score(features(ev("b")), features(ev("c"))) - 1.0
    clash = ev("d", sub_event_type="Armed clash", event_type="Battles")
    assert score(features(ev("b")), features(clash)) < THRESHOLD
    protest = ev("e", sub_event_type="Peaceful protest", event_type="Protests")
    assert score(features(ev("b")), features(protest)) == NO
    ukraine = ev("f", actor1="Military Forces of Ukraine (2019-)")
    assert score(features(ev("b")), features(ukraine)) == NO  # the other side's strike
    early, update = ev("g", fatalities=4), ev("h", fatalities=10)
    other = ev("i", fatalities=60)
    assert score(features(early), features(update)) > score(features(early), features(other))


def test_a_toll_update_links_with_the_strike_of_the_days_before() -> None:
    strike = ev("a", date="2023-01-14", sentence="A missile hit an apartment building in the town.", fatalities=5)
    update = ev("b", date="2023-01-16", sentence="The toll of the strike on the apartment building has risen to 35.",
                fatalities=35)
    same_words_later = ev("c", date="2023-01-19", sentence="The death toll has risen to 40.", fatalities=40)
    no_update = ev("d", date="2023-01-16", sentence="A missile hit an apartment building in the town.")
    assert features(update).update and not features(no_update).update
    assert score(features(strike), features(update)) >= THRESHOLD  # told two days later, of that strike
    assert score(features(strike), features(same_words_later)) == NO  # five days: beyond an update's reach
    assert score(features(strike), features(no_update)) == NO  # a strike two days later is another strike
    for text in ("Le bilan de la frappe s'est alourdi à 20 morts.", "Кількість загиблих зросла до 12.",
                 "Число погибших выросло до 8."):
        assert tells_update(text), text
    with SQLiteStore(":memory:") as store:  # the store finds the older strike as a candidate of the update
        store.add(doc("a"), [strike])
        f = features(update)
        assert [e.doc_id for e in store.candidates(probe_keys(f), f.first_day or 0, f.last_day or 0)] == ["a"]


def test_a_hromada_links_with_the_town_at_its_centre_only() -> None:
    def drones(doc_id: str, where: Place) -> Event:
        return ev(doc_id, sentence="Drones hit the community overnight.", sub_event_type="Air/drone strike").with_(
            location=where)

    town = drones("a", village("Sumy", 50.9077, 34.7981, admin1="Sumy"))
    hromada = drones("b", Place(name="Sumska hromada", admin1="Sumy", latitude=50.9077, longitude=34.7981,
                                geo_precision=2, feature="hromada", source="test:sumska"))
    village_in_it = drones("c", village("Verkhnia Syrovatka", 50.84, 34.98, admin1="Sumy", precision=2))
    assert score(features(town), features(hromada)) >= THRESHOLD
    assert score(features(village_in_it), features(hromada)) < THRESHOLD


def test_two_province_totals_are_versions_only_through_an_update() -> None:
    def tally(doc_id: str, killed: int, date: str, sentence: str = "Russians killed civilians in the region in a day.",
              ) -> Event:  # "in a day", told without a date: a day known approximately
        return ev(doc_id, sentence=sentence, fatalities=killed, date=date).with_(
            time_precision=2, location=village("Donetsk", 48.3, 37.8, precision=3, source="oblast:Donetsk"))

    assert score(features(tally("a", 6, "2022-09-12")), features(tally("b", 6, "2022-09-13"))) >= THRESHOLD
    assert score(features(tally("a", 7, "2022-09-12")), features(tally("b", 2, "2022-09-13"))) < THRESHOLD
    rose = tally("c", 7, "2022-09-13", "The number of civilians killed in the region has risen to 7.")
    assert score(features(tally("a", 5, "2022-09-12")), features(rose)) > score(
        features(tally("a", 5, "2022-09-12")), features(tally("b", 7, "2022-09-13")))


def test_candidates_come_from_an_index_of_cells_and_days() -> None:
    with SQLiteStore(":memory:") as store:
        store.add(doc("a"), [ev("a")])
        f = features(ev("b"))
        plan = " ".join(
            str(r[-1]) for r in store._conn.execute(
                "EXPLAIN QUERY PLAN SELECT event_id FROM link_keys WHERE key IN (?, ?) AND first_day BETWEEN ? "
                "AND ? AND last_day >= ?", ["g:1:1", "g:1:2", 1, 2, 1])
        )
        assert "link_keys_key_day" in plan
        assert [e.doc_id for e in store.candidates(probe_keys(f), f.first_day or 0, f.last_day or 0)] == ["a"]
        assert store.candidates(probe_keys(f), (f.first_day or 0) + 30, (f.last_day or 0) + 30) == []


# -- order, re-ingest, replacement -----------------------------------------------------------------------


def _mapping(store: Store) -> dict[str, str | None]:
    return {e.event_id: e.incident_id for e in store.all_events()}


def test_any_order_gives_the_same_incidents_as_a_rebuild(backend: Backend) -> None:
    items = list(reports(600, seed=3, towns=25, days=20))  # dense: many incidents share a town and a day
    results = []
    for seed in (0, 1, 2):
        order = items[:]
        random.Random(seed).shuffle(order)
        with backend.open(f"order{seed}") as store:
            for d, e in order:
                assert ingest(store, d, [e]) is Outcome.ADDED
            results.append(_mapping(store))
            for d, e in order[:50]:
                assert ingest(store, d, [e]) is Outcome.UNCHANGED
            assert _mapping(store) == results[-1]
            report = rebuild(store)
            assert (report.links_changed, report.events_moved) == (0, 0)
    assert results[0] == results[1] == results[2]
    groups = {}
    for event_id, incident in results[0].items():
        groups.setdefault(incident, []).append(event_id)
    assert 100 < len(groups) < 600  # reports were linked, and not all into one


def test_a_replaced_report_leaves_its_incident(backend: Backend) -> None:
    a = ev("a", fatalities=3)
    b = ev("b", fatalities=3)
    with backend.open() as store:
        ingest(store, doc("a"), [a])
        ingest(store, doc("b"), [b])
        assert len({e.incident_id for e in store.all_events()}) == 1
        moved = ev("b", where="Kharkiv")
        changed = Document(text="report b, corrected", doc_id="b", date="2023-02-13", lang="en", source="AFP")
        assert ingest(store, changed, [moved]) is Outcome.REPLACED
        assert len({e.incident_id for e in store.all_events()}) == 2
        assert rebuild(store).links_changed == 0


def test_rebuild_reports_changed_links(backend: Backend) -> None:
    with backend.open() as store:
        store.add(doc("a"), [ev("a")])  # stored without linking
        store.add(doc("b"), [ev("b")])
        assert len({e.incident_id for e in store.all_events()}) == 2
        report = rebuild(store)
        assert (report.links_added, report.links_removed, report.events_moved, report.incidents) == (1, 0, 1, 1)


def test_migration_indexes_old_events_for_a_rebuild(backend: Backend) -> None:
    with backend.open(migrate_to=2) as old:
        old.add(doc("a"), [ev("a")])
        old.add(doc("b"), [ev("b")])
    with backend.open() as store:
        assert store.schema_version == SCHEMA_VERSION
        assert all(e.incident_id for e in store.all_events())
        assert rebuild(store).incidents == 1
    assert backend.sql("SELECT count(*) FROM link_keys") == [(4,)]  # a cell and a province for each event


def test_rebuild_reads_stored_events_under_the_current_rules(backend: Backend) -> None:
    """Features stored by older rules (here: before districts were read, and indexed under a stale cell) are
    derived again by a rebuild, which then links by the current rules."""
    salt = "Russian bombs hit Kharkiv's Saltivskyi district."
    khol = "Russian bombs hit Kharkiv's Kholodnohirskyi district."
    kharkiv = village("Kharkiv", 50.0, 36.23, admin1="Kharkiv")
    a, b = (ev(d, sentence=s).with_(location=kharkiv) for d, s in (("a", salt), ("b", khol)))
    with backend.open() as store:
        for e in (a, b):
            stale = json.loads(dumps(features(e)))[:-1]  # as an older version stored it: no district
            store.add(doc(e.doc_id), [e])
            backend.sql(f"UPDATE records SET link = '{json.dumps(stale)}' WHERE event_id = '{e.event_id}'")
        backend.sql(f"UPDATE link_keys SET key = 'g:0:0' WHERE event_id = '{a.event_id}' AND key LIKE 'g:%'")
        report = rebuild(store)
        assert report.features_refreshed == 2
        assert len({e.incident_id for e in store.all_events()}) == 2  # two districts: two incidents
        assert {f.quarter for f in store.link_features([a.event_id, b.event_id])} == {"sltv", "hldn"}
        f = features(a)
        assert [c.event_id for c in store.candidates(probe_keys(f), f.first_day or 0, f.last_day or 0)] == sorted(
            [a.event_id, b.event_id])  # indexed under its right cell again
        assert rebuild(store).features_refreshed == 0


# -- the incident record -----------------------------------------------------------------------------------


def _claimed(doc_id: str, claimant: str, side: str, relay: str, **kw: object) -> Event:
    e = ev(doc_id, **kw)
    return e.with_(claims=(Claim(claimant=claimant, side=side, relay=relay),))


def test_incident_record_reconciles_its_reports(backend: Backend) -> None:
    with backend.open() as store:
        ingest(store, doc("early", "2023-02-13", "Reuters"),
               [_claimed("early", "Pavlo Kyrylenko", "Ukraine", "Reuters", fatalities=4, injured=10)])
        ingest(store, doc("late", "2023-02-14", "Suspilne"),
               [_claimed("late", "Pavlo Kyrylenko", "Ukraine", "Suspilne", fatalities=7, injured=12)])
        ingest(store, doc("ru", "2023-02-14", "TASS"),
               [_claimed("ru", "Ministry of Defence of Russia", "Russia", "TASS", fatalities=5)])
        (incident,) = incidents(store, Query())
    assert (incident.killed.low, incident.killed.best, incident.killed.high) == (5, 7, 7)  # 4 superseded by 7
    assert (incident.injured.low, incident.injured.best, incident.injured.high) == (12, 12, 12)
    assert incident.verification == "corroborated"  # claimants of both sides
    assert (incident.first_reported, incident.last_updated) == ("2023-02-13", "2023-02-14")
    assert incident.outlets == ["Reuters", "Suspilne", "TASS"]  # by date, then document
    assert len(incident.to_json()["sources"]) == 3


def test_verification_disputed_and_single_source(backend: Backend) -> None:
    with backend.open() as store:
        ingest(store, doc("ua"), [_claimed("ua", "Governor", "Ukraine", "Reuters", fatalities=1)])
        ingest(store, doc("ua2", source="AFP"), [_claimed("ua2", "Governor", "Ukraine", "AFP", fatalities=1)])
        (one,) = incidents(store, Query())
        assert one.verification == "single-source"  # two outlets relaying one claimant
        ingest(store, doc("ru", source="TASS"),
               [_claimed("ru", "Ministry of Defence of Russia", "Russia", "TASS", fatalities=40)])
        (two,) = incidents(store, Query())
        assert two.verification == "disputed"  # 1 and 40 cannot both be true


def test_romanisations_of_one_name_fold() -> None:
    assert fold_name("Yuriy Malashko") == fold_name("Yurii Malashko")
    assert fold_name("Oleh Syniehubov") != fold_name("Oleh Kiper")


def test_incident_queries_filter_like_events(backend: Backend) -> None:
    with backend.open() as store:
        ingest(store, doc("a"), [ev("a")])
        ingest(store, doc("b"), [ev("b")])
        ingest(store, doc("c"), [ev("c", where="Kharkiv", date="2023-03-01")])
        assert len(incidents(store, Query())) == 2
        assert [i.location.name for i in incidents(store, Query(since="2023-02-20")) if i.location] == ["Kharkiv"]
        assert len(incidents(store, Query(near=(48.59, 38.0), within_km=10))) == 1
        assert incidents(store, Query(limit=1))[0].event_date == "2023-02-13"
        assert incidents(store, Query(kind="aid")) == []


# -- the CLI -----------------------------------------------------------------------------------------------


def test_cli_incidents_rebuild_and_export(backend: Backend, capsys: pytest.CaptureFixture[str]) -> None:
    db = backend.url()
    with backend.open() as store:
        ingest(store, doc("a", source="Suspilne"), [ev("a")])
        ingest(store, doc("b", source="Ukrinform"), [ev("b")])
    assert main(["events", "--db", db, "--format", "jsonl"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len({x["incident_id"] for x in lines}) == 1
    assert main(["incidents", "--db", db, "--format", "jsonl"]) == 0
    (inc,) = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert inc["incident_id"] == lines[0]["incident_id"] and inc["reports"] == 2
    assert main(["export", "--incidents", "--db", db]) == 0
    (row,) = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert row["source"] == "Suspilne; Ukrinform" and row["event_id_cnty"] == inc["incident_id"]
    assert main(["incidents", "rebuild", "--db", db]) == 0
    assert "links changed: 0" in capsys.readouterr().err
    assert main(["incidents", "rebuild", "--db", db, "--since", "2023-01-01"]) == 2
    assert "takes no --since" in capsys.readouterr().err
    assert main(["incidents", "--db", db, "--format", "table"]) == 0
    assert "(1 record)" in capsys.readouterr().out


# -- link scores -------------------------------------------------------------------------------------------


def test_link_scores_count_pairs_and_false_links() -> None:
    gold = [GoldReport(id=i, incident=k, document=doc(i)) for i, k in
            (("a1", "A"), ("a2", "A"), ("b1", "B"), ("c1", "C"))]
    records = [[ev("a1")], [ev("a2")], [ev("b1")], [ev("c1", where="Kharkiv")]]
    got = score_links(gold, records)["all"].to_json()
    # a1, a2 and b1 are all one place and day: a1-a2 is right, a1-b1 and a2-b1 are false
    assert (got["gold_pairs"], got["linked_pairs"], got["precision"], got["recall"]) == (1, 3, 0.333, 1.0)
    assert got["rows_falsely_linked"] == 0.75
    assert {half(k) for k in ("A", "B", "C")} <= {"tune", "check"}


def test_false_links_between_two_reports_of_one_text_are_counted_apart() -> None:
    """UCDP codes one headline's dead as several events at several places: two rows of one text."""
    same = "Russians killed six civilians in Donetsk region in a day"
    gold = [GoldReport(id=i, incident=i, document=Document(text=t, doc_id=i, date="2023-02-13")) for i, t in
            (("u1", same), ("u2", same.upper()), ("u3", "Shelling of Bakhmut"))]
    records = [[ev("u1")], [ev("u2")], [ev("u3")]]  # all three one place and day: three false links
    got = score_links(gold, records)["all"].to_json()
    assert (got["linked_pairs"], got["same_text_false_links"]) == (3, 1)
    assert (got["rows_falsely_linked"], got["rows_falsely_linked_other_text"]) == (1.0, 1.0)
    records = [[ev("u1")], [ev("u2")], [ev("u3", where="Kharkiv")]]
    got = score_links(gold, records)["all"].to_json()
    assert (got["same_text_false_links"], got["rows_falsely_linked"], got["rows_falsely_linked_other_text"]) == (
        1, 0.667, 0.0)


def test_evaluate_incidents_one_half_shows_and_writes_only_that_half(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    rows = [{"id": f"r{i}", "text": "Russian forces shelled Bakhmut, two civilians were killed.",
             "doc_date": "2023-02-13", "lang": "en"} for i in range(8)]  # eight rows, each its own incident
    gold = tmp_path / "rows.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    tune = {r["id"] for r in rows if half(r["id"]) == "tune"}
    assert 0 < len(tune) < len(rows)
    err = tmp_path / "err.jsonl"
    assert main(["evaluate", "--incidents", str(gold), "--half", "tune", "--json", "--errors", str(err)]) == 0
    shown = json.loads(capsys.readouterr().out)["rows"]
    assert list(shown) == ["tune"] and shown["tune"]["reports"] == len(tune)
    written = [json.loads(line) for line in err.read_text().splitlines()]
    assert written and all(w["half"] == "tune" and {w["a"], w["b"]} <= tune for w in written)
    assert all(w["link"] == "false" for w in written)  # one text told eight times: every link is a false one


def test_look_alike_pairs_come_from_the_rows_and_from_gold_events_close_in_place_and_day() -> None:
    from sitrep.incidents.evaluate import look_alike_pairs

    day = 738000
    gold = [
        GoldReport(id="f1", incident="F", document=doc("f1")),
        GoldReport(id="g1", incident="G", document=doc("g1"), lookalike_of="F"),
        GoldReport(id="h1", incident="H", document=doc("h1"), lookalike_of="F"),  # G and H look alike too
    ]
    assert {(a, b) for a, b, _ in look_alike_pairs(gold)} == {("f1", "g1"), ("f1", "h1"), ("g1", "h1")}
    gold = [
        GoldReport(id="a1", incident="A", document=doc("a1"), spots=((48.0, 37.0, day),)),
        GoldReport(id="a2", incident="A", document=doc("a2"), spots=((48.0, 37.0, day),)),
        GoldReport(id="b1", incident="B", document=doc("b1"), spots=((48.1, 37.0, day + 1),)),  # 11 km, next day
        GoldReport(id="c1", incident="C", document=doc("c1"), spots=((48.0, 37.0, day + 2),)),  # two days after A
        GoldReport(id="d1", incident="D", document=doc("d1"), spots=((49.0, 37.0, day),)),  # 111 km away
        GoldReport(id="e1", incident="E", document=doc("e1"), lookalike_of="D"),
    ]
    pairs = {(a, b) for a, b, _ in look_alike_pairs(gold)}
    assert pairs == {("a1", "b1"), ("a2", "b1"), ("b1", "c1"), ("d1", "e1")}
    records = [[ev(g.id, date="2023-02-13" if g.id != "c1" else "2023-02-14")] for g in gold[:4]]
    records += [[ev("d1", where="Kharkiv")], [ev("e1")]]
    got = score_links(gold, records)["all"].to_json()
    assert got["lookalike_pairs"] == 4
    assert got["lookalike_linked"] == 0.5  # a1-b1, a2-b1 link (one day); b1-c1 (a day apart), d1-e1 (Kharkiv) do not


def test_concurrent_writers_link_as_one_writer_would(tmp_path: Path) -> None:
    """Four writers ingesting reports of the same towns and days at once end with the incidents a rebuild
    (which reads the whole store) finds: none missed another's event."""
    import threading

    pg = Backend("postgresql", tmp_path)
    try:
        items = list(reports(160, seed=5, towns=6, days=6))
        pg.open().close()
        failures: list[BaseException] = []

        def write(share: list[tuple[Document, Event]]) -> None:
            try:
                with open_store(pg.url()) as store:
                    for d, e in share:
                        ingest(store, d, [e])
            except BaseException as exc:  # reported after the other writers
                failures.append(exc)

        threads = [threading.Thread(target=write, args=(items[k::4],)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert failures == []
        with pg.open() as store:
            assert len(store.all_events()) == len(items)
            report = rebuild(store)
            assert (report.links_changed, report.events_moved) == (0, 0)
            assert report.incidents < len(items) // 2  # they were linked
    finally:
        pg.close()
