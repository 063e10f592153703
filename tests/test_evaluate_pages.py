"""The real-report scorer (``pages`` gold) and the fixed tune/check halves, on rows written here."""

from __future__ import annotations

import json
from pathlib import Path

from recordkit import event
from sitrep.evaluate.gold import half, load
from sitrep.evaluate.pages import claimant_named, score_page
from sitrep.evaluate.runner import evaluate
from sitrep.model import Claim

ROW = {
    "id": "pages:test:01",
    "lang": "en",
    "doc_date": "2023-02-13",
    "text": "Russian forces shelled Bakhmut, killing two, the governor said in Kramatorsk.",
    "events": [
        {"place": "Bakhmut", "lat": 48.5947, "lon": 38.0003, "precision": "town",
         "event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
         "date": "2023-02-13", "killed": 2, "injured": 5, "claimant": "Pavlo Kyrylenko (Павло Кириленко)",
         "uncertain": False},
        {"place": "Soledar", "lat": 48.6833, "lon": 38.0833, "precision": "town",
         "event_type": "Battles", "sub_event_type": "Armed clash", "date": None, "killed": None,
         "injured": None, "claimant": None, "uncertain": True},
    ],
    "not_event_locations": ["Kramatorsk", "Soledar"],
}


def _metrics(obs):
    out: dict[str, list] = {}
    for o in obs:
        out.setdefault(o.metric, []).append(o.hit if o.hit is not None else o.value)
    return out


def _row(tmp_path: Path):
    path = tmp_path / "pages_test.jsonl"
    path.write_text(json.dumps(ROW) + "\n", encoding="utf-8")
    (ds,) = load(path)
    assert ds.kind == "pages"
    return path, ds.rows[0]


def test_a_record_near_the_gold_event_scores_its_numbers_and_claimant(tmp_path):
    _, row = _row(tmp_path)
    hit = event("d", "Bakhmut", fatalities=2, injured=4).with_(
        claims=(Claim(claimant="Pavlo Kyrylenko", claimant_role="governor of Donetsk"),)
    )
    m = _metrics(score_page(row, [hit]))
    assert m["pages.recall"] == [True]  # the uncertain Soledar event is not scored
    assert m["pages.precision"] == [True]
    assert m["pages.killed_exact"] == [True]
    assert m["pages.injured_exact"] == [False]
    assert m["pages.claimant_found"] == [True]
    assert m["pages.events_per_report"] == [2.0]


def test_records_far_away_unplaced_or_at_a_non_event_place_count_against(tmp_path):
    _, row = _row(tmp_path)
    records = [event("d", "Kramatorsk", fatalities=2), event("d", None), event("d", "Kyiv")]
    m = _metrics(score_page(row, records))
    assert m["pages.recall"] == [False]
    assert m["pages.precision"] == [False, False, False]
    assert m["pages.unlocated"] == [False, True, False]
    # Soledar is also a gold event's place, so only Kramatorsk is scored as a non-event place
    assert m["pages.non_event_place"] == [True]
    assert m["pages.killed_exact"] == [False]
    assert m["pages.records_per_report"] == [3.0]


def test_a_record_near_an_uncertain_event_is_not_a_false_one(tmp_path):
    _, row = _row(tmp_path)
    m = _metrics(score_page(row, [event("d", "Soledar", event_type="Battles", sub_event_type="Armed clash")]))
    assert m["pages.precision"] == [True]


def test_claimant_names_match_across_scripts_and_ignore_generic_words():
    assert claimant_named(["Oleh Synehubov"], "Oleh Syniehubov (Олег Синєгубов)")
    assert claimant_named(["Олег Синєгубов"], "Oleh Syniehubov")
    assert claimant_named(["head of the Sumy regional military administration"],
                          "Sumy Regional Military Administration (Сумская областная военная администрация)")
    assert not claimant_named(["Kharkiv regional military administration"],
                              "Sumy Regional Military Administration")
    assert not claimant_named(["ministry"], "Russian Ministry of Defence")
    assert not claimant_named(["Vadym Denysenko"], "Vadym Filashkin")


def test_halves_are_fixed_by_the_row_id_and_cover_both():
    ids = [f"row:{i}" for i in range(200)]
    halves = [half(i) for i in ids]
    assert halves == [half(i) for i in ids]
    assert 60 < halves.count("tune") < 140


def test_evaluate_reports_the_page_figures_and_keeps_one_half(tmp_path):
    path, _ = _row(tmp_path)
    report = evaluate([path], predict=lambda doc: [event(doc.doc_id, "Bakhmut", fatalities=2)])
    section = report.section("pages_test")
    assert section is not None and section.metric("pages.killed_exact").value == 1.0
    other = "check" if half(ROW["id"]) == "tune" else "tune"
    empty = evaluate([path], predict=lambda doc: [], only=other)
    assert empty.info["documents"] == 0
