"""Batches through a real pipeline (Language, Sentences and the small stage of recordkit)."""

from __future__ import annotations

import json
from pathlib import Path

from recordkit import place_names, small_pipeline
from sitrep.batch import BatchReport, extract_inputs, ingest_inputs
from sitrep.errors import MalformedRecord, SitrepError
from sitrep.store import SQLiteStore


def reports(tmp_path: Path) -> Path:
    path = tmp_path / "reports.jsonl"
    rows = [
        {"id": "r1", "text": "Shelling hit Bakhmut overnight. Soledar was calm.", "date": "2023-02-13"},
        {"id": "r2", "text": "Heavy shelling in Kramatorsk and Soledar.", "date": "2023-02-14"},
    ]
    lines = [
        json.dumps(rows[0]),
        "{broken",
        json.dumps(rows[1]),
        json.dumps({"id": "r4", "text": "No events."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_extract_inputs_reports_errors_and_keeps_going(tmp_path: Path) -> None:
    seen: list[SitrepError] = []
    report = BatchReport()
    records = list(
        extract_inputs(
            [str(reports(tmp_path))], pipeline=small_pipeline(), report=report, on_error=seen.append
        )
    )
    assert [r.doc_id for r in records] == ["r1", "r2", "r2"]
    assert place_names(records) == ["Bakhmut", "Soledar", "Kramatorsk"]
    assert [type(e) for e in seen] == [MalformedRecord]
    assert str(seen[0]).startswith(f"{tmp_path / 'reports.jsonl'}:2: malformed JSON")
    assert (report.documents, report.extracted, report.events, report.failed, report.undated) == (
        3,
        3,
        3,
        1,
        1,
    )


def test_ingest_inputs_is_idempotent(tmp_path: Path) -> None:
    src = reports(tmp_path)
    with SQLiteStore(tmp_path / "s.db") as store:
        first = ingest_inputs([str(src)], store, pipeline=small_pipeline())
        assert (first.added, first.unchanged, first.events, first.failed) == (3, 0, 3, 1)
        second = ingest_inputs([str(src)], store, pipeline=small_pipeline())
        assert (second.added, second.unchanged, second.extracted, second.events) == (0, 3, 0, 0)
        forced = ingest_inputs([str(src)], store, pipeline=small_pipeline(), force=True)
        assert (forced.replaced, forced.extracted, forced.events) == (3, 3, 3)
        assert store.count() == 3 and store.stats()["documents"] == 3


def test_ingest_inputs_replaces_changed_documents(tmp_path: Path) -> None:
    src = tmp_path / "one.jsonl"
    src.write_text(json.dumps({"id": "x", "text": "Shelling hit Kyiv.", "date": "2023-01-01"}) + "\n")
    with SQLiteStore(":memory:") as store:
        ingest_inputs([str(src)], store, pipeline=small_pipeline())
        src.write_text(json.dumps({"id": "x", "text": "Shelling hit Kharkiv.", "date": "2023-01-01"}) + "\n")
        again = ingest_inputs([str(src)], store, pipeline=small_pipeline())
        assert again.replaced == 1
        assert place_names(store.events()) == ["Kharkiv"]


def test_an_id_repeated_in_one_batch_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "dup.jsonl"
    rows = [
        {"id": "x", "text": "Shelling hit Kyiv.", "date": "2023-01-01"},
        {"id": "x", "text": "Shelling hit Kharkiv."},
    ]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    seen: list[SitrepError] = []
    with SQLiteStore(":memory:") as store:
        report = ingest_inputs([str(src)], store, pipeline=small_pipeline(), on_error=seen.append)
        assert (report.added, report.replaced, report.failed) == (1, 0, 1)
        assert place_names(store.events()) == ["Kyiv"]  # the first keeps its records
        again = ingest_inputs([str(src)], store, pipeline=small_pipeline(), on_error=seen.append)
        assert (again.added, again.replaced, again.unchanged, again.failed) == (0, 0, 1, 1)
    assert [str(e) for e in seen] == [
        f"{src}:2: id 'x' is already used in this batch by {src}:1, with another text; "
        "not stored (give each report its own id)"
    ] * 2
