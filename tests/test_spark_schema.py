"""The lake's columns are the record contract's fields plus ``urls`` and ``month``; inputs refused before Spark starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.model import Aid, Claim, Event, Evidence, Place
from sitrep.spark.schema import LAKE_COLUMNS, aid_schema, event_schema, month_of, record_row


def test_columns_are_the_record_contract() -> None:
    event = Event(doc_id="d", event_type="Battles", sub_event_type="Armed clash", event_date="2023-02-16",
                  location=Place(name="Bakhmut", latitude=48.6, longitude=38.0, geonameid=712165),
                  claims=(Claim(claimant="Hanna Maliar"),), evidence=(Evidence("s", 0, 5, "fight"),))
    aid = Aid(doc_id="d", donor="Germany", recipient="Ukraine", amount=5, currency="EUR", event_date="2023")
    for record, schema in ((event, event_schema()), (aid, aid_schema())):
        names = schema.fieldNames()
        assert names[: -len(LAKE_COLUMNS)] == list(record.to_json()) and tuple(names[-2:]) == LAKE_COLUMNS
        row = dict(zip(names, record_row(record, ["https://x.example/a"]), strict=True))
        assert row["urls"] == ["https://x.example/a"] and row["month"] == month_of(record.event_date)
    assert (month_of("2023-02-16"), month_of("2023"), month_of(None)) == ("2023-02", "2023", "undated")


def test_inputs_refused_before_spark_starts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sitrep.cli import main

    report = tmp_path / "r.jsonl"
    report.write_text('{"text": "Shelling hit Kherson."}\n', encoding="utf-8")
    cases = [
        (["s3://bucket/news.warc.gz", "--output", str(tmp_path / "o")], "a URL, not a file"),
        (["-", "--output", str(tmp_path / "o")], "standard input cannot be read"),
        ([str(report), "--output", str(report)], "a file, not a folder"),
    ]
    for args, message in cases:
        assert main(["spark", *args]) == 1
        assert message in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
