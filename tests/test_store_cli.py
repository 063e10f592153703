"""``sitrep db`` and ``sitrep ingest`` over both backends with the real pipeline: schema versions,
copies between SQLite and PostgreSQL compared record by record, and two ingest processes at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.store import Store, open_store
from storekit import Backend

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "eval" / "corpus").glob("*/*.json"))


def sitrep(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sitrep", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        timeout=300,
    )


def reports(path: Path, files: list[Path]) -> str:
    """``files`` of the project corpus as one JSON Lines input."""
    with path.open("w", encoding="utf-8") as out:
        for f in files:
            data = json.loads(f.read_text(encoding="utf-8"))
            line = {k: data[k] for k in ("id", "text", "date", "lang")}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return str(path)


def everything(store: Store) -> list[str]:
    """Every stored document, its ingestion time and its records, as JSON text, in order."""
    out = []
    for entry in store.stored():
        doc = {f: getattr(entry.document, f) for f in entry.document.__dataclass_fields__}
        records = [r.to_json() for r in entry.records]
        out.append(json.dumps([doc, entry.ingested_at, records], ensure_ascii=False, sort_keys=True))
    return out


def test_db_version_and_migrate(backend: Backend) -> None:
    url = backend.url()
    if backend.name == "sqlite":
        missing = sitrep("db", "version", "--db", url)
        assert missing.returncode == 1 and "no database here" in missing.stderr
        backend.open(migrate_to=0).close()  # an empty file
    with open_store(url, migrate_to=0) as store:
        location = store.location
    run = sitrep("db", "version", "--db", url)
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"{location}: schema 0 (latest 4; 4 migration(s) to apply: sitrep db migrate)\n"
    run = sitrep("db", "migrate", "--db", url, "--to", "1")
    assert run.stdout == f"{location}: schema 1 (applied 1)\n"
    run = sitrep("db", "migrate", "--db", url)
    assert run.stdout == f"{location}: schema 4 (applied 2, 3, 4)\n"
    run = sitrep("db", "migrate", "--db", url)
    assert run.stdout == f"{location}: schema 4 (nothing to apply)\n"
    assert sitrep("db", "version", "--db", url).stdout == f"{location}: schema 4 (latest 4; up to date)\n"


@pytest.mark.slow
def test_copy_round_trips_sqlite_postgresql_sqlite(tmp_path: Path, gaz_path: Path) -> None:
    pg = Backend("postgresql", tmp_path)
    try:
        source = str(tmp_path / "source.db")
        run = sitrep("ingest", "--db", source, reports(tmp_path / "corpus.jsonl", CORPUS))
        assert run.returncode == 0, run.stderr
        with open_store(source) as s:
            original = everything(s)
            assert len(original) == len(CORPUS) and s.count() > len(CORPUS)
        forth = sitrep("db", "copy", source, pg.url("copy"))
        assert forth.returncode == 0, forth.stderr
        assert "counts verified" in forth.stderr
        back = sitrep("db", "copy", pg.url("copy"), str(tmp_path / "back.db"))
        assert back.returncode == 0, back.stderr
        with pg.open("copy") as there, open_store(str(tmp_path / "back.db")) as here:
            assert everything(there) == original  # every document, time and record, JSON for JSON
            assert everything(here) == original
            for query in ({"text": "Бахмут"}, {"near": (48.5947, 38.0003)}, {"since": "2023-06"}):
                assert [r.to_json() for r in there.events(**query)] == [  # type: ignore[arg-type]
                    r.to_json()
                    for r in here.events(**query)  # type: ignore[arg-type]
                ]
        again = sitrep("db", "copy", source, pg.url("copy"))
        assert again.returncode == 1 and "copy needs an empty store" in again.stderr
    finally:
        pg.close()


@pytest.mark.slow
def test_two_ingests_at_once_store_each_document_once(tmp_path: Path, gaz_path: Path) -> None:
    pg = Backend("postgresql", tmp_path)
    try:
        corpus = CORPUS[::2]  # every language, half the reports
        third = len(corpus) // 3
        first = reports(tmp_path / "a.jsonl", corpus[: 2 * third])  # the middle third is in both,
        second = reports(tmp_path / "b.jsonl", corpus[third:][::-1])  # met from both ends
        url = pg.url("shared")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "sitrep", "ingest", "--db", url, path],
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for path in (first, second)
        ]
        outputs = [p.communicate(timeout=300)[1] for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outputs
        added = sum(int(out.split(" added")[0].rsplit(" ", 1)[-1]) for out in outputs)
        assert added == len(corpus), outputs
        sequential = pg.url("sequential")
        for path in (first, second):
            assert sitrep("ingest", "--db", sequential, path).returncode == 0
        with pg.open("shared") as shared, pg.open("sequential") as alone:
            assert pg.sql("SELECT count(*), count(DISTINCT doc_id) FROM documents", db="shared") == [
                (len(corpus), len(corpus))
            ]

            def records(store: Store) -> list[str]:
                return [json.dumps(r.to_json(), sort_keys=True) for e in store.stored() for r in e.records]

            assert records(shared) == records(alone)
            assert shared.stats() | {"path": ""} == alone.stats() | {"path": ""}
    finally:
        pg.close()


def test_watch_refuses_a_postgresql_store_rather_than_make_a_file_of_its_url(tmp_path: Path) -> None:
    pg = Backend("postgresql", tmp_path)
    try:
        exports = tmp_path / "exports"
        exports.mkdir()
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[sources.x]\nkind = "telegram-export"\npath = "{exports}"\n', encoding="utf-8")
        before = set(tmp_path.rglob("*"))
        run = subprocess.run(
            [sys.executable, "-m", "sitrep", "watch", "--once", "--sources", str(sources), "--db", pg.url()],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
            timeout=120,
        )
        assert run.returncode == 1, run.stderr
        assert "keeps its state in a SQLite store only" in run.stderr and "Traceback" not in run.stderr
        assert set(tmp_path.rglob("*")) == before
    finally:
        pg.close()
