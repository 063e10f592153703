from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from recordkit import PLACES, aid, event
from sitrep.export import ACLED_COLUMNS, CSV_COLUMNS, acled_row, write_records
from sitrep.model import Record, record_from_json


def sample() -> list[Record]:
    return [
        event("d1", "Bakhmut", fatalities=3, injured=5, claimant="Pavlo Kyrylenko", notes="Three killed."),
        event("d1", "Kyiv", date="2023-02", start=40, actor2="Civilians (Ukraine)"),
        event("d2", None, date=None),
        aid("d3"),
    ]


def render(records: list[Record], fmt: str) -> tuple[str, int]:
    out = io.StringIO()
    n = write_records(records, fmt, out)
    return out.getvalue(), n


def test_csv_loads_in_pandas_with_acled_columns(tmp_path: Path) -> None:
    text, n = render(sample(), "csv")
    assert n == 4
    path = tmp_path / "events.csv"
    path.write_text(text, encoding="utf-8")
    df = pd.read_csv(path, parse_dates=["event_date"])
    assert list(df.columns) == list(CSV_COLUMNS)
    assert list(df.columns[: len(ACLED_COLUMNS)]) == list(ACLED_COLUMNS)
    assert len(df) == 4
    assert df["latitude"].dtype == "float64" and df["longitude"].dtype == "float64"
    assert df["fatalities"].dtype == "float64"  # NaN where unknown
    assert str(df["event_date"].dtype).startswith("datetime64")
    first = df.iloc[0]
    assert first["event_id_cnty"] == sample()[0].event_id
    assert (first["location"], first["admin1"], first["country"]) == ("Bakhmut", "Donetsk", "Ukraine")
    assert first["latitude"] == pytest.approx(PLACES["Bakhmut"][0])
    assert (first["fatalities"], first["injured"]) == (3, 5)
    assert first["disorder_type"] == "Political violence"
    assert first["source"] == "Reuters; Pavlo Kyrylenko"
    assert first["claimant"] == "Pavlo Kyrylenko" and first["verification"] == "reported"
    # a month-precise date is written as its first day with time_precision 3, as ACLED does
    assert df.iloc[1]["event_date"] == pd.Timestamp("2023-02-01") and df.iloc[1]["time_precision"] == 3
    assert df["year"].tolist()[:2] == [2023, 2023]
    assert pd.isna(df.iloc[2]["event_date"]) and pd.isna(df.iloc[2]["latitude"])
    last = df.iloc[3]
    assert (last["kind"], last["donor"], last["amount"], last["currency"]) == (
        "aid",
        "United States",
        2.5e9,
        "USD",
    )
    assert last["aid_items"] == "Bradley IFV; Stryker"


def test_geojson_loads_in_geopandas_and_leaves_out_records_without_coordinates(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="sitrep"):
        text, n = render(sample(), "geojson")
    assert n == 2
    assert "2 record(s) without coordinates left out (2 written)" in caplog.text
    path = tmp_path / "events.geojson"
    path.write_text(text, encoding="utf-8")
    gdf = gpd.read_file(path)
    assert len(gdf) == 2
    assert list(gdf["location"]) == ["Bakhmut", "Kyiv"]
    assert gdf.geometry.x.tolist() == pytest.approx([PLACES["Bakhmut"][1], PLACES["Kyiv"][1]])
    assert gdf.geometry.y.tolist() == pytest.approx([PLACES["Bakhmut"][0], PLACES["Kyiv"][0]])
    assert gdf["fatalities"].iloc[0] == 3


def test_empty_geojson_is_valid() -> None:
    text, n = render([], "geojson")
    assert n == 0 and json.loads(text) == {"type": "FeatureCollection", "features": []}


def test_jsonl_round_trips() -> None:
    text, n = render(sample(), "jsonl")
    lines = text.splitlines()
    assert n == len(lines) == 4
    assert [record_from_json(json.loads(line)).to_json() for line in lines] == [r.to_json() for r in sample()]


def test_json_is_one_array() -> None:
    text, _ = render(sample(), "json")
    assert [d["event_id"] for d in json.loads(text)] == [r.event_id for r in sample()]
    assert json.loads(render([], "json")[0]) == []


def test_table_is_fixed_width_and_readable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    long_actor = "Military Forces of Russia (2000-) Wagner Group and many more units"
    text, n = render([*sample(), event("d4", "Soledar", actor1=long_actor)], "table")
    lines = text.splitlines()
    assert n == 5
    assert lines[0].split()[:3] == ["date", "type", "location"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert "Bakhmut, Donetsk" in lines[2] and "2023-02-13" in lines[2]
    assert lines[3].startswith("2023-02 ")  # month precision shown as such
    assert "Aid (pledged)" in lines[5] and "2.5 bn USD" in lines[5]
    assert long_actor not in text and "Military Forces of Russ…" in text
    assert lines[-1] == "(5 records)"
    assert lines[0].split()[-1] == "claimant" and "Pavlo Kyrylenko" in lines[2]
    # each cell starts at the same column
    type_col = lines[0].index("type")
    assert all(line[type_col - 2 : type_col] == "  " for line in lines[2:7])


def test_notes_fall_back_to_the_evidence_sentence() -> None:
    row = acled_row(event("d1", notes=""))
    assert row["notes"] == "…"  # the evidence sentence recordkit gives an event without notes


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        write_records([], "xml", io.StringIO())


def test_table_drops_right_hand_columns_on_a_narrow_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    text, _ = render(sample(), "table")
    assert text.splitlines()[0].split() == ["date", "type", "location"]
    assert max(len(line) for line in text.splitlines()) <= 80
