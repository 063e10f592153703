"""The evaluator's scoring, matching and score floors, on hand-built records and gold rows.

The predictors here are small real functions (a keyword-and-place-table extractor),
so the evaluator is exercised end to end without the pipeline's models.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sitrep.errors import EvaluationError
from sitrep.evaluate import evaluate, gate, read_baseline, render, update_baseline, write_baseline
from sitrep.evaluate.cli import main
from sitrep.evaluate.gold import GoldRow
from sitrep.evaluate.matching import best_event, pair_events
from sitrep.evaluate.metrics import claimant_found, is_split_note, macro_f1, majority_share
from sitrep.evaluate.scoring import score_gold_row
from sitrep.geo import haversine_km
from sitrep.model import Claim, Document, Event, Place, Record

PLACES = {
    "Bakhmut": (48.5953, 38.0003),
    "Kharkiv": (49.9808, 36.2527),
    "Kherson": (46.6354, 32.6169),
    "Kyiv": (50.4547, 30.5238),
    "Бахмут": (48.5953, 38.0003),
    "Херсон": (46.6354, 32.6169),
}


def place(name: str) -> Place:
    lat, lon = PLACES[name]
    return Place(name=name, latitude=lat, longitude=lon, geonameid=sorted(PLACES).index(name))


def keyword_extract(doc: Document) -> list[Record]:
    """A tiny real extractor: one event per known place, typed by a keyword, with the first death toll."""
    etype, sub = "Battles", "Armed clash"
    if re.search(r"shell|обстр|strike", doc.text, re.I):
        etype, sub = "Explosions/Remote violence", "Shelling/artillery/missile attack"
    killed = re.search(r"(\d+) (?:killed|people were killed|загинул)", doc.text)
    claims = tuple(
        Claim(claimant=m.group(1)) for m in re.finditer(r"according to (?:the )?([A-Z][\w ]+?)[,.]", doc.text)
    )
    events: list[Record] = []
    for name in PLACES:
        if name in doc.text:
            events.append(
                Event(
                    doc_id=doc.doc_id,
                    event_type=etype,
                    sub_event_type=sub,
                    event_date=doc.date,
                    location=place(name),
                    fatalities=int(killed.group(1)) if killed else None,
                    claims=claims,
                )
            )
    return events


def drop_records(doc: Document) -> list[Record]:
    """The same extractor keeping only every other document's records: a regression."""
    records = keyword_extract(doc)
    return records if sum(map(ord, doc.doc_id)) % 2 else []


def acled_row(
    i: int, text: str, name: str, etype: str, sub: str, fatalities: int = 0, notes: str = ""
) -> dict:
    lat, lon = PLACES[name]
    return {
        "id": f"acled:{i}",
        "text": text,
        "lang": "en",
        "doc_date": "2023-03-01",
        "gold": {
            "event_type": etype,
            "sub_event_type": sub,
            "location_name": name,
            "lat": lat,
            "lon": lon,
            "geo_precision": 1,
            "date": "2023-03-01",
            "fatalities": fatalities,
            "actor1": None,
            "actor2": None,
            "source": "Ministry of Defence of Ukraine",
        },
        "meta": {"dataset": "ACLED", "notes_raw": notes or text, "loc_in_text": True},
    }


SHELL = ("Explosions/Remote violence", "Shelling/artillery/missile attack")
CLASH = ("Battles", "Armed clash")


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def acled_file(tmp_path: Path) -> Path:
    rows = [
        acled_row(1, "On 1 March 2023, Russian forces shelled Bakhmut. 2 killed.", "Bakhmut", *SHELL, 2),
        acled_row(2, "On 1 March 2023, Russian forces shelled Kherson.", "Kherson", *SHELL, 0),
        acled_row(3, "On 1 March 2023, clashes near Kharkiv.", "Kharkiv", *CLASH, 0),
        acled_row(4, "On 1 March 2023, clashes in an unnamed village.", "Bakhmut", *CLASH, 0),
        acled_row(
            5,
            "On 1 March 2023, Russian forces shelled Kyiv.",
            "Kyiv",
            *SHELL,
            1,
            notes="Russian forces shelled Kyiv. [1 fatality split among 21 events]",
        ),
    ]
    return write_jsonl(tmp_path / "acled_small.dev.jsonl", rows)


def test_haversine_and_split_notes() -> None:
    assert haversine_km(48.5953, 38.0003, 48.5953, 38.0003) == 0
    assert 405 < haversine_km(*PLACES["Kyiv"], *PLACES["Kharkiv"]) < 416  # great-circle, not by road
    assert is_split_note("... at unspecified locations. [6 fatalities split among 25 events].")
    assert is_split_note("[3 fatalities split among 9 events] and two soldiers were injured")
    assert not is_split_note("Russian forces shelled Kherson, splitting the convoy.")


def test_macro_f1_and_majority() -> None:
    pairs = [("A", "A"), ("A", "A"), ("A", "B"), ("B", "B"), ("C", None)]
    # A: tp2 fp0 fn1 -> 0.8; B: tp1 fp1 fn0 -> 0.667; C: 0
    assert macro_f1(pairs) == pytest.approx((0.8 + 2 / 3 + 0) / 3)
    assert majority_share(["0", "0", "0", "2"]) == 0.75


def test_best_event_prefers_same_type_then_nearest() -> None:
    near_wrong_type = Event(
        doc_id="d", event_type="Battles", sub_event_type="Armed clash", location=place("Bakhmut")
    )
    far_right_type = Event(
        doc_id="d", event_type=SHELL[0], sub_event_type=SHELL[1], location=place("Kharkiv")
    )
    nearer_right_type = Event(
        doc_id="d", event_type=SHELL[0], sub_event_type=SHELL[1], location=place("Kyiv")
    )
    lat, lon = PLACES["Bakhmut"]
    events = [near_wrong_type, far_right_type, nearer_right_type]
    assert best_event(events, event_type=SHELL[0], lat=lat, lon=lon, date=None) is far_right_type
    assert best_event(events, event_type=None, lat=lat, lon=lon, date=None) is near_wrong_type
    assert best_event([], event_type=None, lat=lat, lon=lon, date=None) is None


def test_pair_events_is_one_to_one_within_50_km() -> None:
    a = Event(doc_id="d", event_type=SHELL[0], sub_event_type=SHELL[1], location=place("Bakhmut"))
    b = Event(doc_id="d", event_type=CLASH[0], sub_event_type=CLASH[1], location=place("Bakhmut"))
    c = Event(doc_id="d", event_type=CLASH[0], sub_event_type=CLASH[1], location=place("Kyiv"))
    expected = [(CLASH[0], *PLACES["Bakhmut"]), (SHELL[0], *PLACES["Bakhmut"])]
    assert pair_events(expected, [a, b, c]) == [(0, 1), (1, 0)]


def test_fatalities_unknown_counts_as_zero_and_split_rows_are_left_out() -> None:
    row = GoldRow(
        **{k: v for k, v in acled_row(1, "t", "Kherson", *SHELL, 0).items() if k != "doc_date"}, doc_date=None
    )
    ev = Event(
        doc_id="d", event_type=SHELL[0], sub_event_type=SHELL[1], location=place("Kherson"), fatalities=None
    )
    obs = {o.metric: o for o in score_gold_row(row, [ev]).observations}
    assert obs["fatalities.exact"].hit is True
    assert "fatalities.exact_gold_positive" not in obs

    row3 = GoldRow(
        **{k: v for k, v in acled_row(2, "t", "Kherson", *SHELL, 3).items() if k != "doc_date"}, doc_date=None
    )
    obs = {o.metric: o for o in score_gold_row(row3, [ev]).observations}
    assert obs["fatalities.exact"].hit is False
    assert obs["fatalities.exact_gold_positive"].hit is False

    split = acled_row(3, "t", "Kherson", *SHELL, 1, notes="x [1 fatality split among 21 events]")
    obs = {o.metric: o for o in score_gold_row(GoldRow(**split), [ev]).observations}
    assert "fatalities.exact" not in obs
    assert obs["geo.within_10km"].hit is True


def ucdp_row(
    i: int, text: str, source: str, date: str, date_end: str, best: int, low: int, high: int
) -> dict:
    lat, lon = PLACES["Bakhmut"]
    return {
        "id": f"ucdp:{i}",
        "text": text,
        "lang": "en",
        "doc_date": date,
        "gold": {
            "event_type": "state-based",
            "sub_event_type": None,
            "location_name": "Bakhmut",
            "lat": lat,
            "lon": lon,
            "geo_precision": 2,
            "date": date,
            "fatalities": best,
            "actor1": None,
            "actor2": None,
            "source": source,
        },
        "meta": {"dataset": "UCDP GED", "date_end": date_end, "low": low, "high": high, "loc_in_text": True},
    }


def test_ucdp_range_claimant_and_date_window(tmp_path: Path) -> None:
    rows = [
        ucdp_row(
            1,
            "Fighting at Bakhmut: 4 killed, according to the Joint Forces Operation.",
            "JFO, Joint Forces Operation; Euromaidan Press",
            "2022-03-01",
            "2022-03-05",
            5,
            3,
            6,
        ),
        ucdp_row(
            2,
            "Bakhmut shelled, 5 killed, according to Reuters.",
            "Ukrainian military",
            "2015-02-01",
            "2015-02-01",
            5,
            5,
            5,
        ),
    ]

    def predict(doc: Document) -> list[Record]:
        # dates the first event two days into its window
        return [
            e.with_(event_date="2022-03-03") if doc.doc_id == "ucdp:1" else e for e in keyword_extract(doc)
        ]  # type: ignore[union-attr]

    report = evaluate([write_jsonl(tmp_path / "ucdp.jsonl", rows)], predict=predict)
    s = report.section("ucdp")
    assert s is not None
    m = {x.name: x for x in s.metrics}
    assert m["fatalities.in_range"].value == 1.0  # 4 in [3, 6], 5 in [5, 5]
    assert m["fatalities.exact"].value == 0.5
    assert m["date.in_range"].value == 1.0 and m["date.in_range"].n == 1
    assert m["date.exact"].value == 0.5
    assert m["date.within_1_day"].value == 0.5
    assert (
        m["claimant.found"].value == 0.5
    )  # "Joint Forces Operation" found; "Reuters" is not "Ukrainian military"
    assert m["claimant.found_2022_2023"].value == 1.0 and m["claimant.found_2022_2023"].n == 1
    assert m["fatalities.in_range_2022_2023"].value == 1.0 and m["fatalities.in_range_2022_2023"].n == 1
    assert m["records.per_doc_2022_2023"].n == 1


def test_ucdp_recent_rows_go_by_the_report_date() -> None:
    # reported on 2022-01-02 about an event coded on 2021-12-31: a row of the 2022–2023 figures
    row = GoldRow(**{**ucdp_row(3, "Bakhmut shelled, 1 killed.", "army", "2021-12-31", "2021-12-31", 1, 1, 1),
                     "doc_date": "2022-01-02"})
    obs = {o.metric: o for o in score_gold_row(row, []).observations}
    assert obs["fatalities.in_range_2022_2023"].hit is False
    assert obs["claimant.found_2022_2023"].hit is False
    old = GoldRow(**ucdp_row(4, "Bakhmut shelled, 1 killed.", "army", "2021-12-31", "2021-12-31", 1, 1, 1))
    names = {o.metric for o in score_gold_row(old, []).observations}
    assert "fatalities.in_range" in names and "fatalities.in_range_2022_2023" not in names


def test_claimant_fuzzy_match() -> None:
    assert claimant_found(["Euromaidan"], "JFO, Euromaidan Press")
    assert claimant_found(["General Staff"], "the General Staff of the Armed Forces of Ukraine")
    assert claimant_found(["Généralstab"], "generalstab")
    assert not claimant_found(["Reuters"], "JFO; Ukrainian military")
    assert not claimant_found(["a"], "JFO; army")  # too short to count


def test_evaluate_acled_file(acled_file: Path, tmp_path: Path) -> None:
    errors = tmp_path / "errors.jsonl"
    report = evaluate([acled_file], predict=keyword_extract, errors_path=errors)
    s = report.section("acled_small")
    assert s is not None and s.docs == 5
    m = {x.name: x for x in s.metrics}
    # rows 1, 2, 3, 5 get the right type; row 4 names no place and gets no record
    assert m["event_type.accuracy"].value == 0.8
    assert m["event_type.accuracy"].baseline == 0.6  # three shellings of five
    assert m["coverage.docs_with_record"].value == 0.8
    assert m["geo.within_10km"].value == 0.8
    assert m["geo.median_km"].value == 0.0 and m["geo.median_km"].n == 4
    assert m["date.exact"].value == 0.8
    # fatalities: row 5 (split) left out; rows 1-4 all right (2, 0, 0, none→0)
    assert m["fatalities.exact"].n == 4 and m["fatalities.exact"].value == 1.0
    assert m["fatalities.exact"].baseline == 0.75
    assert m["fatalities.exact_gold_positive"].value == 1.0
    missed = [json.loads(line) for line in errors.read_text().splitlines()]
    assert [r["id"] for r in missed] == ["acled:4"]
    assert "event_type.accuracy" in missed[0]["missed"] and "geo.within_161km" in missed[0]["missed"]
    assert missed[0]["prediction"] is None and missed[0]["text"].startswith("On 1 March")
    table = render(report)
    assert "event_type.accuracy" in table and "0.800" in table
    assert (
        json.loads(json.dumps(report.to_json()))["sections"][0]["metrics"]["event_type.accuracy"]["value"]
        == 0.8
    )


def test_limit_and_sample_are_deterministic(acled_file: Path) -> None:
    assert evaluate([acled_file], limit=2, predict=keyword_extract).info["documents"] == 2
    a = evaluate([acled_file], sample=3, seed=7, predict=keyword_extract).to_json()["sections"]
    b = evaluate([acled_file], sample=3, seed=7, predict=keyword_extract).to_json()["sections"]
    assert a == b and a[0]["docs"] == 3


def test_parallel_pairs(tmp_path: Path) -> None:
    def row(n: int, lang: str, text: str) -> dict:
        return {
            "id": f"warline:{n}:{lang}",
            "text": text,
            "lang": lang,
            "doc_date": "2022-03-01",
            "gold": {k: None for k in ("event_type", "lat", "lon", "date", "fatalities", "source")},
            "meta": {"parallel_group": f"warline:{n}"},
        }

    rows = [
        row(1, "en", "Russian troops shelled Kherson."),
        row(1, "uk", "Російські війська обстріляли Херсон."),
        row(2, "en", "Russian troops shelled Bakhmut and Kyiv."),
        row(2, "uk", "Російські війська обстріляли Бахмут."),
        row(3, "en", "A quiet day."),
        row(3, "uk", "Тихий день."),
    ]

    def predict(doc: Document) -> list[Record]:
        # the place table maps the Cyrillic names to the same GeoNames ids as the Latin ones
        aliases = {"Херсон": "Kherson", "Бахмут": "Bakhmut"}
        return [
            e.with_(location=place(aliases.get(e.location.name, e.location.name)))  # type: ignore[union-attr]
            for e in keyword_extract(doc)
        ]

    report = evaluate([write_jsonl(tmp_path / "warline.jsonl", rows)], predict=predict)
    s = report.section("warline")
    assert s is not None
    pairs = s.metric("parallel.same_events")
    assert pairs is not None and pairs.n == 2 and pairs.value == 0.5  # group 3 has no events; group 2 differs
    assert report.section("warline", "uk") is not None


def test_toponyms_with_a_real_geoparser(tmp_path: Path) -> None:
    text = "Officials in Kharkiv and Kyiv met in Paris."
    rows = [
        {
            "id": "t:1",
            "text": text,
            "lang": "en",
            "toponyms": [
                {
                    "start": text.index("Kharkiv"),
                    "end": text.index("Kharkiv") + 7,
                    "name": "Kharkiv",
                    "lat": 49.98,
                    "lon": 36.25,
                },
                {
                    "start": text.index("Kyiv"),
                    "end": text.index("Kyiv") + 4,
                    "name": "Kyiv",
                    "lat": 50.45,
                    "lon": 30.52,
                },
                {
                    "start": text.index("Paris"),
                    "end": text.index("Paris") + 5,
                    "name": "Paris",
                    "lat": 48.85,
                    "lon": 2.35,
                },
            ],
        }
    ]

    def geoparse(text: str, *, lang: str) -> list[dict]:
        found = []
        for name in ("Kharkiv", "Kyiv", "Officials"):
            i = text.find(name)
            lat, lon = PLACES.get(name, PLACES["Kherson"])
            found.append(
                {
                    "start": i,
                    "end": i + len(name),
                    "latitude": lat if name != "Kyiv" else 0.0,
                    "longitude": lon,
                }
            )
        return found

    report = evaluate([write_jsonl(tmp_path / "geo.jsonl", rows)], geoparse=geoparse)
    s = report.section("geo")
    assert s is not None
    m = {x.name: x.value for x in s.metrics}
    assert m["toponyms.recall"] == pytest.approx(2 / 3)
    assert m["toponyms.precision"] == pytest.approx(2 / 3)
    assert m["toponyms.accuracy_161km"] == 0.5  # Kyiv was placed at latitude 0
    assert m["toponyms.recall_within_161km"] == pytest.approx(1 / 3)


def corpus_report(folder: Path, name: str, text: str, expected: list[dict], not_events: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "id": name,
        "lang": "en",
        "date": "2023-03-01",
        "text": text,
        "expected": expected,
        "not_events": not_events,
    }
    (folder / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")


def test_corpus_precision_recall_and_misplaced(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    lat, lon = PLACES["Bakhmut"]
    corpus_report(
        corpus,
        "r1",
        "Russian forces shelled Bakhmut, 3 killed, according to the General Staff. Kyiv condemned it.",
        [
            {
                "event_type": SHELL[0],
                "sub_event_type": SHELL[1],
                "location": {"name": "Bakhmut", "lat": lat, "lon": lon},
                "date": "2023-03-01",
                "fatalities": 3,
                "claimant": "General Staff of the Armed Forces of Ukraine",
            }
        ],
        [{"name": "Kyiv", "lat": PLACES["Kyiv"][0], "lon": PLACES["Kyiv"][1]}],
    )
    report = evaluate([corpus], predict=keyword_extract)
    s = report.section("corpus")
    assert s is not None
    m = {x.name: x.value for x in s.metrics}
    assert m["records.recall"] == 1.0
    assert m["records.precision"] == 0.5  # the Kyiv record is not an event
    assert m["records.misplaced"] == 0.5
    assert m["records.count_matches_expected"] == 0.0
    assert m["fatalities.exact"] == 1.0
    assert m["claimant.found"] == 1.0
    assert m["sub_event_type.accuracy"] == 1.0


def test_gate_fails_when_a_score_drops_and_update_refuses_to_lower(acled_file: Path, tmp_path: Path) -> None:
    good = evaluate([acled_file], predict=keyword_extract)
    baseline = update_baseline(good, {"floors": {}, "ceilings": {}})
    assert baseline["floors"]["acled_small/all/event_type.accuracy"] == 0.8
    assert "acled_small/all/coverage.docs_with_record" not in baseline["floors"]  # descriptive, not gated
    path = tmp_path / "baseline.json"
    write_baseline(path, baseline)
    assert gate(good, read_baseline(path)) == []

    worse = evaluate([acled_file], predict=drop_records)
    breaches = gate(worse, read_baseline(path))
    keys = {b.key for b in breaches}
    assert "acled_small/all/event_type.accuracy" in keys
    assert all(b.value is None or b.value < b.bound for b in breaches if b.kind == "floor")

    with pytest.raises(EvaluationError, match="refusing to lower"):
        update_baseline(worse, read_baseline(path))
    lowered = update_baseline(worse, read_baseline(path), allow_lower=True)
    assert lowered["floors"]["acled_small/all/event_type.accuracy"] < 0.8

    # a figure the report no longer measures fails the gate rather than passing silently
    missing = gate(good, {"floors": {"acled_small/all/no.such_metric": 0.0}, "ceilings": {}})
    assert [b.value for b in missing] == [None]


def test_update_raises_floors_after_improvement(acled_file: Path) -> None:
    worse = evaluate([acled_file], predict=drop_records)
    low = update_baseline(worse, {"floors": {}, "ceilings": {}})
    good = evaluate([acled_file], predict=keyword_extract)
    high = update_baseline(good, low)
    key = "acled_small/all/event_type.accuracy"
    assert high["floors"][key] > low["floors"][key]


def test_cli_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "missing.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["--limit", "0", str(tmp_path)]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["--no-such-flag"])
    assert exc.value.code == 2


def test_bad_gold_row_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "t"}\n', encoding="utf-8")
    with pytest.raises(EvaluationError, match="bad.jsonl:1: missing gold"):
        evaluate([bad], predict=keyword_extract)


CORPUS = Path(__file__).resolve().parent.parent / "eval" / "corpus"


def test_project_corpus_is_well_formed() -> None:
    from sitrep.evaluate.gold import read_corpus
    from sitrep.model import EVENT_TYPES
    from sitrep.stages.language import identify

    reports = read_corpus(CORPUS).rows
    by_lang: dict[str, int] = {}
    for r in reports:
        by_lang[r.lang] = by_lang.get(r.lang, 0) + 1
        assert identify(r.text) == r.lang, r.id
        assert r.style in ("wire", "telegram"), r.id
        for e in r.expected:
            assert e.sub_event_type in EVENT_TYPES[e.event_type], r.id
            assert e.location.lat is not None and e.location.lon is not None, r.id
            if e.claimant:
                assert claimant_found([e.claimant], r.text), (r.id, e.claimant)
        for p in r.not_events:
            assert all(haversine_km(p.lat, p.lon, e.location.lat, e.location.lon) > 10 for e in r.expected), (
                r.id
            )  # type: ignore[arg-type]
    assert all(by_lang.get(lang, 0) >= 6 for lang in ("fr", "en", "uk", "ru")), by_lang
    assert {r.style for r in reports} == {"wire", "telegram"}


def save_predictions(path: Path, rows_file: Path, extract: object) -> Path:
    """Run ``extract`` over a gold file and save its records as JSON Lines, as ``sitrep extract`` would."""
    lines = []
    for line in rows_file.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        doc = Document(text=row["text"], date=row["doc_date"], lang=row["lang"], doc_id=row["id"])
        lines += [json.dumps(r.to_json(), ensure_ascii=False) for r in extract(doc)]  # type: ignore[operator]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_gate_and_update_baseline_exit_codes(
    acled_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = save_predictions(tmp_path / "good.jsonl", acled_file, keyword_extract)
    worse = save_predictions(tmp_path / "worse.jsonl", acled_file, drop_records)
    baseline = tmp_path / "baseline.json"

    assert (
        main([str(acled_file), "--predictions", str(good), "--update-baseline", "--baseline", str(baseline)])
        == 0
    )
    assert "floors written" in capsys.readouterr().err
    floors = read_baseline(baseline)["floors"]
    assert floors["acled_small/all/event_type.accuracy"] == 0.8

    assert main([str(acled_file), "--predictions", str(good), "--gate", str(baseline), "--json"]) == 0
    out = capsys.readouterr()
    assert "gate passed" in out.err
    assert json.loads(out.out)["sections"][0]["dataset"] == "acled_small"

    assert main([str(acled_file), "--predictions", str(worse), "--gate", str(baseline)]) == 1
    err = capsys.readouterr().err
    assert "acled_small/all/event_type.accuracy" in err and "gate failed" in err

    assert (
        main([str(acled_file), "--predictions", str(worse), "--update-baseline", "--baseline", str(baseline)])
        == 1
    )
    assert "refusing to lower" in capsys.readouterr().err
    assert read_baseline(baseline)["floors"] == floors  # unchanged
    assert (
        main(
            [
                str(acled_file),
                "--predictions",
                str(worse),
                "--update-baseline",
                "--baseline",
                str(baseline),
                "--allow-lower",
            ]
        )
        == 0
    )
    assert read_baseline(baseline)["floors"]["acled_small/all/event_type.accuracy"] < 0.8
