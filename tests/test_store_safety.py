"""The store's edges: a fresh database opened by several processes at once, databases that cannot be written
or made, URLs given to --db, --near across the antimeridian, and the CLI's output files."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from oskit import bound_by_permissions
from recordkit import event
from sitrep.cli import main
from sitrep.errors import StoreError
from sitrep.model import Document, Place
from sitrep.store import SCHEMA_VERSION, SQLiteStore, backend_for, open_store
from sitrep.store.base import around_boxes

SRC = Path(__file__).resolve().parents[1] / "src"


def _open_at_once(path: str, barrier: multiprocessing.synchronize.Barrier, out: multiprocessing.Queue) -> None:
    barrier.wait()
    try:
        with SQLiteStore(path) as store:
            out.put(("ok", store.schema_version))
    except Exception as e:  # reported to the test, which fails on it
        out.put(("error", f"{type(e).__name__}: {e}"))


def test_a_fresh_database_opened_by_several_processes_at_once(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    for attempt in range(6):
        path = str(tmp_path / f"fresh{attempt}.db")
        barrier = ctx.Barrier(4)
        out = ctx.Queue()
        procs = [ctx.Process(target=_open_at_once, args=(path, barrier, out)) for _ in range(4)]
        for p in procs:
            p.start()
        results = [out.get(timeout=60) for _ in procs]
        for p in procs:
            p.join(timeout=60)
        assert results == [("ok", SCHEMA_VERSION)] * 4, results
        with SQLiteStore(path) as store:
            versions = store._conn.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
        assert [v for (v,) in versions] == list(range(1, SCHEMA_VERSION + 1))  # each step applied once


def test_a_read_only_database_is_refused_once_at_the_start(tmp_path: Path) -> None:
    db = tmp_path / "ro.db"
    with SQLiteStore(db) as store:
        store.add(Document(text="Shelling hit Kharkiv.", doc_id="d1", date="2023-02-13"), [event("d1", "Kharkiv")])
    db.chmod(0o444)
    reports = tmp_path / "reports.jsonl"
    reports.write_text(
        "".join(json.dumps({"id": f"r{i}", "text": "Shelling hit Kharkiv.", "date": "2023-02-13"}) + "\n"
                for i in range(5)),
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    probe = subprocess.run([*bound_by_permissions(), sys.executable, "-c", f"import os; print(os.access({str(db)!r}, os.W_OK))"],
                           capture_output=True, text=True, timeout=60)
    assert probe.stdout.strip() == "False", probe  # the precondition: this user cannot write the file
    done = subprocess.run(
        [*bound_by_permissions(), sys.executable, "-m", "sitrep", "ingest", str(reports), "--db", str(db)],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot be written" in lines[0] and str(db) in lines[0], done.stderr
    # reading it still works
    read = subprocess.run(
        [*bound_by_permissions(), sys.executable, "-m", "sitrep", "events", "--db", str(db), "--format", "jsonl"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert read.returncode == 0, read.stderr
    assert [json.loads(line)["doc_id"] for line in read.stdout.splitlines()] == ["d1"]


def test_a_database_whose_folder_cannot_be_made(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("x")
    assert main(["ingest", str(tmp_path / "x.txt"), "--db", str(tmp_path / "file" / "sub" / "s.db")]) == 1
    err = capsys.readouterr().err
    assert "cannot create the folder" in err and "Traceback" not in err
    assert main(["stats", "--db", str(tmp_path)]) == 1
    assert "is a folder, not a database file" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["ingest", "nothing.txt"], ["events"], ["export"], ["stats"]])
def test_a_postgresql_url_is_never_a_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([*command, "--db", "postgresql://me:secret@localhost/sitrep"]) == 1
    err = capsys.readouterr().err
    assert "PostgreSQL store not available in this build" in err and "secret" not in err
    assert list(tmp_path.iterdir()) == []  # no folder called postgresql:


def test_backend_for_urls_and_files() -> None:
    assert backend_for("/data/sitrep.db") is SQLiteStore
    assert backend_for("relative/file.db") is SQLiteStore
    with pytest.raises(StoreError, match="no store for http:// URLs"):
        backend_for("http://example.org/db")


def test_near_wraps_at_the_antimeridian(tmp_path: Path) -> None:
    def at(doc_id: str, lon: float) -> None:
        place = Place(name=doc_id, country="Fiji", latitude=-16.5, longitude=lon)
        store.add(Document(text=f"Report {doc_id}.", doc_id=doc_id, date="2023-02-13"),
                  [event(doc_id, None).with_(location=place)])

    with SQLiteStore(tmp_path / "s.db") as store:
        at("east", 179.9)
        at("west", -179.9)
        at("far", 170.0)
        near_east = [r.doc_id for r in store.events(near=(-16.5, 179.95), within_km=50)]
        near_west = [r.doc_id for r in store.events(near=(-16.5, -179.95), within_km=50)]
    assert near_east == ["east", "west"]
    assert near_west == ["west", "east"]
    assert around_boxes(-16.5, 179.95, 50) == [
        (pytest.approx(179.48, abs=0.01), pytest.approx(-16.95, abs=0.01), 180.0, pytest.approx(-16.05, abs=0.01)),
        (-180.0, pytest.approx(-16.95, abs=0.01), pytest.approx(-179.58, abs=0.01), pytest.approx(-16.05, abs=0.01)),
    ]
    assert around_boxes(89.9, 0.0, 50)[0][0::2] == (-180.0, 180.0)  # the pole inside: every longitude


def _small_db(tmp_path: Path) -> str:
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        store.add(Document(text="Shelling hit Kharkiv.", doc_id="d1", date="2023-02-13"), [event("d1", "Kharkiv")])
    return db


def test_huge_limit_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _small_db(tmp_path)
    assert main(["events", "--db", db, "--limit", "99999999999999999999999"]) == 2
    err = capsys.readouterr().err
    assert "--limit" in err and "Traceback" not in err
    assert main(["events", "--db", db, "--limit", str(2**63 - 1), "--format", "jsonl"]) == 0


def test_output_into_a_missing_folder_or_onto_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _small_db(tmp_path)
    assert main(["export", "--db", db, "-o", str(tmp_path / "missing" / "out.csv")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["export", "--db", db, "-o", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_output_files_get_the_umask_permissions(tmp_path: Path) -> None:
    db = _small_db(tmp_path)
    old = os.umask(0o022)
    try:
        assert main(["export", "--db", db, "-o", str(tmp_path / "out.csv")]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.csv").stat().st_mode) == 0o644
    (tmp_path / "out.csv").chmod(0o640)  # a file replaced keeps its permissions
    assert main(["export", "--db", db, "-o", str(tmp_path / "out.csv")]) == 0
    assert stat.S_IMODE((tmp_path / "out.csv").stat().st_mode) == 0o640
