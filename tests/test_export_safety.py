"""Exports a spreadsheet cannot be attacked through, streamed in constant memory."""

from __future__ import annotations

import csv
import io
import sys
import tracemalloc
from pathlib import Path

import pytest

from recordkit import event
from sitrep.cli import main
from sitrep.export import CSV_COLUMNS, write_records
from sitrep.model import Claim, Document
from sitrep.store import Query, SQLiteStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from export_memory import build_store  # noqa: E402

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"click\")", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)",
           "\tTAB", "\rCR"]


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    with SQLiteStore(db) as store:
        for i, bad in enumerate(HOSTILE):
            doc_id = f"{bad}{i}"
            record = event(doc_id, "Bakhmut", notes=bad, actor1=bad).with_(
                claims=(Claim(claimant=bad, relay=bad),)
            )
            store.add(Document(text=f"Report {i}.", doc_id=doc_id, date="2023-02-13"), [record])
    out = tmp_path / "out.csv"
    assert main(["export", "--db", str(db), "--format", "csv", "-o", str(out)]) == 0
    with out.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(HOSTILE)
    assert {r["doc_id"][1:-1] for r in rows} == set(HOSTILE)  # each kept, behind a quote
    for row in rows:
        for column in CSV_COLUMNS:
            assert not row[column].startswith(("=", "+", "-", "@", "\t", "\r")), (column, row[column])
        assert row["notes"].startswith("'") and row["claimant"].startswith("'") and row["actor1"].startswith("'")
        assert row["source"].startswith("'")


def test_negative_numbers_stay_numbers() -> None:
    out = io.StringIO()
    record = event("d1", "Bakhmut")
    loc = record.location.__class__(name="Lima", latitude=-12.05, longitude=-77.04)  # type: ignore[union-attr]
    write_records([record.with_(location=loc)], "csv", out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert (row["latitude"], row["longitude"]) == ("-12.05", "-77.04")


def _peak_export(db: Path, fmt: str) -> int:
    sink = io.StringIO()
    with SQLiteStore(db) as store:
        tracemalloc.start()
        try:
            n = write_records(store.query(Query()), fmt, _Discard(sink))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert n > 0
    return peak


class _Discard(io.StringIO):
    """A stream that counts what it is given and keeps nothing."""

    def __init__(self, _: io.StringIO) -> None:
        super().__init__()
        self.chars = 0

    def write(self, s: str) -> int:
        self.chars += len(s)
        return len(s)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("stores")
    small, large = folder / "small.db", folder / "large.db"
    build_store(small, 500)
    build_store(large, 6_000)  # about 9 MB of record JSON: held whole, an export would need far more
    return small, large


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_memory_does_not_grow_with_the_store(stores: tuple[Path, Path], fmt: str) -> None:
    small, large = stores
    peak_small = _peak_export(small, fmt)
    peak_large = _peak_export(large, fmt)
    assert peak_large < 3_000_000, peak_large
    assert peak_large < 1.5 * peak_small + 300_000, (peak_small, peak_large)
