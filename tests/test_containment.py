"""Every failure stays with its document: the batch goes on, with any number of workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.batch import BatchReport, extract_inputs
from sitrep.errors import ExtractionError, SitrepError
from sitrep.stages import dates

SRC = Path(__file__).resolve().parents[1] / "src"
GOOD = {
    "g1": ("Russian forces shelled Kharkiv on Monday, killing three civilians.", "2023-02-14"),
    "g2": ("Russian artillery shelled Bakhmut, killing two soldiers.", "2023-03-01"),
    "g3": ("Russian missiles struck Odesa, killing five people.", "2023-04-01"),
}


def bad_batch(tmp_path: Path) -> Path:
    """Good reports with each hostile input of issue 15 between them."""
    rows = [
        json.dumps({"id": "g1", "text": GOOD["g1"][0], "date": GOOD["g1"][1]}),
        json.dumps({"id": "b0", "text": "Shelling hit Kharkiv.", "date": "0000"}),
        json.dumps({"id": "g2", "text": GOOD["g2"][0], "date": GOOD["g2"][1]}),
        json.dumps({"id": "b1", "text": "Yesterday shelling hit Kharkiv, killing three.", "date": "0001-01-01"}),
        '{"a":' * 50_000 + "1" + "}" * 50_000,
        json.dumps({"id": "g3", "text": GOOD["g3"][0], "date": GOOD["g3"][1]}),
        json.dumps({"id": "b2", "text": "Tomorrow shelling hit Kharkiv, killing three.", "date": "9999-12-31"}),
    ]
    rows.insert(3, json.dumps({"id": "de", "text": "Beschuss von Charkiw.", "date": "2023-02-14", "lang": "de"}))
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def more_inputs(tmp_path: Path) -> list[str]:
    """A folder with a report and files sitrep does not read, a UTF-16 report, a URL, invisible characters."""
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "z.txt").write_text("date 2023-05-02\nRussian forces shelled Khar\u200bkiv, killing two.\n")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    wide = tmp_path / "wide.txt"
    wide.write_bytes("date 2023-05-03\nRussian forces shelled Bakh\u00admut, killing six.\n".encode("utf-16"))
    return [str(folder), "https://example.org/report.txt", str(wide)]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sitrep", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        timeout=120,
    )


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_hostile_inputs_between_good_ones(tmp_path: Path, gaz_path: Path, workers: str) -> None:
    batch = bad_batch(tmp_path)
    others = more_inputs(tmp_path)
    done = run("extract", str(batch), *others, "--format", "jsonl", "--workers", workers, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith(f"sitrep: {batch}:")]
    assert [e.split(":")[2] for e in errors] == ["2", "4", "6"], done.stderr
    assert "no year 0000" in errors[0]
    assert "unsupported language 'de'" in errors[1]
    assert "nested too deeply" in errors[2]
    assert "sitrep: https://example.org/report.txt: a URL, not a file" in done.stderr
    assert f"sitrep: warning: {others[0]}: 1 file(s) read, 1 skipped (1 .pdf); -v lists them" in done.stderr
    assert "sitrep: 4 input(s) failed" in done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    places = {r["doc_id"]: r["location"]["name"] for r in records if r["location"]}
    assert places["g1"] == "Kharkiv" and places["g2"] == "Bakhmut" and places["g3"] == "Odesa"
    by_origin = {r["location"]["name"] for r in records if r["event_date"] in ("2023-05-02", "2023-05-03")}
    assert by_origin == {"Kharkiv", "Bakhmut"}  # the folder's report and the UTF-16 one
    # the far ends of the calendar are still read: the relative date stays at the report's precision
    edge = {r["doc_id"]: r["event_date"] for r in records if r["doc_id"] in ("b1", "b2")}
    assert edge["b1"] == "0001-01" and edge["b2"].startswith("9999-12")


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_a_stage_crash_is_reported_at_its_document(
    tmp_path: Path, gaz_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    real = dates.find_dates

    def broken(text: str, lang: str, report: str | None) -> list[tuple[int, int, dates.When, str]]:
        if "Odesa" in text:
            raise ZeroDivisionError("division by zero")
        return real(text, lang, report)

    monkeypatch.setattr(dates, "find_dates", broken)  # forked workers inherit it
    path = tmp_path / "batch.jsonl"
    path.write_text(
        "\n".join(json.dumps({"id": k, "text": t, "date": d}) for k, (t, d) in GOOD.items()) + "\n",
        encoding="utf-8",
    )
    seen: list[SitrepError] = []
    report = BatchReport()
    records = list(extract_inputs([str(path)], workers=workers, report=report, on_error=seen.append))
    assert {r.doc_id for r in records} == {"g1", "g2"}
    assert len(seen) == 1 and isinstance(seen[0], ExtractionError)
    assert str(seen[0]).startswith(f"{path}:3: stage 'dates' failed: ZeroDivisionError: division by zero")
    assert report.failed == 1 and report.documents == 3 and report.extracted == 2


@pytest.mark.slow
def test_duplicates_in_one_batch_are_counted_once_and_clashing_ids_refused(tmp_path: Path, gaz_path: Path) -> None:
    same = {"id": "s", "text": GOOD["g1"][0], "date": GOOD["g1"][1]}
    rows = [same, same, {"id": "x", "text": GOOD["g2"][0], "date": "2023-03-01"},
            {"id": "x", "text": GOOD["g3"][0], "date": "2023-04-01"}]
    path = tmp_path / "dups.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = str(tmp_path / "s.db")
    first = run("ingest", str(path), "--db", db, "--workers", "2", cwd=tmp_path)
    assert first.returncode == 1
    assert f"{path}:4: id 'x' is already used in this batch by {path}:3" in first.stderr
    assert "1 added" not in first.stderr and "2 added, 0 replaced, 1 unchanged; 2 event(s)" in first.stderr
    again = run("ingest", str(path), "--db", db, "--workers", "2", cwd=tmp_path)
    assert again.returncode == 1
    assert "0 added, 0 replaced, 3 unchanged; 0 event(s)" in again.stderr  # nothing "replaced" on a re-run
    stats = json.loads(run("stats", "--db", db, "--format", "json", cwd=tmp_path).stdout)
    assert stats["documents"] == 2 and stats["events"] == 2
