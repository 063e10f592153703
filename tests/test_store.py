from __future__ import annotations

import math
import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from recordkit import PLACES, aid, event, place_names
from sitrep.errors import StoreError
from sitrep.incidents.features import incident_id_of
from sitrep.model import Document, Record
from sitrep.store import (
    SCHEMA_VERSION,
    Outcome,
    SQLiteStore,
    default_db_path,
    haversine_km,
    open_store,
    resolve_db_path,
)

SRC = Path(__file__).resolve().parents[1] / "src"


def doc(
    doc_id: str, text: str = "Shelling hit Bakhmut on Monday.", date: str | None = "2023-02-13"
) -> Document:
    return Document(text=text, doc_id=doc_id, date=date, lang="en", source="Reuters", origin=f"test:{doc_id}")


def ids(records: list[Record]) -> list[str]:
    return [r.event_id for r in records]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "sitrep.db") as s:
        yield s


def test_records_round_trip_through_a_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "sitrep.db"
    records: list[Record] = [
        event("d1", fatalities=2, claimant="Pavlo Kyrylenko", notes="Two killed"),
        aid("d1"),
    ]
    with SQLiteStore(path) as s:
        assert s.add(doc("d1"), records) is Outcome.ADDED
    with SQLiteStore(path) as s:
        got = s.events()
        # a stored event belongs to an incident: alone, the one it founds
        founded = records[0].with_(incident_id=incident_id_of(records[0].event_id))  # type: ignore[union-attr]
        assert [r.to_json() for r in got] == [records[1].to_json(), founded.to_json()]  # oldest first
        stored = s.document("d1")
        assert stored == doc("d1")
        assert s.document("nope") is None
        assert s.count() == 2 and s.count(kind="aid") == 1 and s.count(kind="event") == 1


def test_file_store_uses_wal(store: SQLiteStore) -> None:
    mode = sqlite3.connect(store.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_same_document_twice_changes_nothing(store: SQLiteStore) -> None:
    records = [event("d1")]
    assert store.add(doc("d1"), records) is Outcome.ADDED
    stamp = sqlite3.connect(store.path).execute("SELECT ingested_at, rowid FROM documents").fetchall()
    assert store.contains(doc("d1"))
    assert store.add(doc("d1"), [event("d1", "Kyiv")]) is Outcome.UNCHANGED
    assert place_names(store.events()) == ["Bakhmut"]
    assert sqlite3.connect(store.path).execute("SELECT ingested_at, rowid FROM documents").fetchall() == stamp
    assert store.add(doc("d1"), [event("d1", "Kyiv")], force=True) is Outcome.REPLACED
    assert place_names(store.events()) == ["Kyiv"]


def test_new_content_under_the_same_id_replaces_the_records(store: SQLiteStore) -> None:
    store.add(doc("d1", "Shelling hit Bakhmut."), [event("d1", "Bakhmut"), event("d1", "Soledar", start=5)])
    store.add(doc("d2", "Drone strike on Kyiv."), [event("d2", "Kyiv")])
    changed = doc("d1", "Correction: shelling hit Kramatorsk.")
    assert not store.contains(changed)
    assert store.add(changed, [event("d1", "Kramatorsk")]) is Outcome.REPLACED
    assert sorted(place_names(store.events())) == [
        "Kramatorsk",
        "Kyiv",
    ]
    assert store.events(text="Bakhmut") == []  # the old text left the full-text index
    assert [r.doc_id for r in store.events(text="correction")] == ["d1"]
    assert store.stats()["documents"] == 2


def test_a_record_that_cannot_be_serialised_leaves_no_partial_document(store: SQLiteStore) -> None:
    store.add(doc("d1"), [event("d1")])
    bad = [event("d2", "Kyiv"), event("d2", "Kharkiv", start=3, weapons=(object(),))]
    with pytest.raises(StoreError, match="of document d2 cannot be serialised"):
        store.add(doc("d2", "Two strikes."), bad)
    assert store.document("d2") is None
    assert [r.doc_id for r in store.events()] == ["d1"]
    # a failed replacement keeps the old version whole
    with pytest.raises(StoreError):
        store.add(doc("d1", "New text."), [event("d1", "Kyiv"), event("d1", "Kharkiv", weapons=(object(),))])
    assert store.document("d1") == doc("d1")
    assert place_names(store.events()) == ["Bakhmut"]
    assert store.add(doc("d2", "Two strikes."), [event("d2", "Kyiv")]) is Outcome.ADDED


def test_a_crash_mid_document_loses_nothing_stored_before(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from recordkit import event
        from sitrep.model import Document, Event
        from sitrep.store import SQLiteStore

        class Crash(Event):
            def to_json(self):
                os._exit(3)  # the process dies inside the transaction

        s = SQLiteStore({str(path)!r})
        for i in range(3):
            s.add(Document(text=f"report {{i}}", doc_id=f"d{{i}}"), [event(f"d{{i}}")])
        s.add(Document(text="report 3", doc_id="d3"), [event("d3"), Crash(**{{
            f: getattr(event("d3", "Kyiv"), f) for f in Event.__dataclass_fields__}})])
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 3, run.stderr
    with SQLiteStore(path) as s:
        assert [r.doc_id for r in s.events()] == ["d0", "d1", "d2"]
        assert s.document("d3") is None
        assert s.stats()["documents"] == 3
    check = sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0]
    assert check == "ok"


def test_migration_from_schema_1_builds_the_search_index(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with SQLiteStore(path, migrate_to=1) as old:
        assert old.schema_version == 1
        old.add(doc("d1", "Shelling hit Bakhmut."), [event("d1", notes="artillery fire on the town")])
        tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
        assert "documents_fts" not in tables
    with SQLiteStore(path) as s:
        assert s.schema_version == SCHEMA_VERSION == 4
        assert ids(s.events(text="bakhmut")) == ids(s.events())  # text indexed by the migration
        assert len(s.events(text="artillery")) == 1  # notes too
        versions = [
            r[0] for r in sqlite3.connect(path).execute("SELECT version FROM schema_version ORDER BY 1")
        ]
        assert versions == [1, 2, 3, 4]


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    SQLiteStore(path).close()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO schema_version VALUES (99, 'later')")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="schema version 99 is newer"):
        SQLiteStore(path)


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open the database"):
        SQLiteStore(path)


def test_full_text_search_over_text_and_notes() -> None:
    with SQLiteStore(":memory:") as s:
        s.add(doc("en", "Russian shelling hit Bakhmut, Kyiv-appointed officials said."), [event("en")])
        s.add(doc("uk", "Обстріл Бахмута тривав усю ніч."), [event("uk", "Soledar", notes="Артилерія")])
        s.add(
            doc("fr", "Les forces ukrainiennes ont reculé."),
            [event("fr", "Kramatorsk", notes="Frappe près d'Écoles")],
        )
        assert [r.doc_id for r in s.events(text="bakhmut")] == ["en"]
        assert [r.doc_id for r in s.events(text="KYIV-appointed")] == ["en"]  # punctuation is safe
        assert [r.doc_id for r in s.events(text="бахмута")] == ["uk"]  # Cyrillic, case-folded
        assert [r.doc_id for r in s.events(text="артилерія")] == ["uk"]  # notes
        assert [r.doc_id for r in s.events(text="ecoles")] == ["fr"]  # diacritics folded
        assert s.events(text="bakhmut ukrainiennes") == []  # every word must match
        with pytest.raises(ValueError, match="holds no words"):
            s.events(text="--")


def test_haversine() -> None:
    assert haversine_km(48.0, 37.0, 49.0, 37.0) == pytest.approx(math.pi / 180 * 6371.0088)
    assert haversine_km(50.4501, 30.5234, 49.8397, 24.0297) == pytest.approx(468, abs=3)  # Kyiv-Lviv


def geo_store() -> SQLiteStore:
    s = SQLiteStore(":memory:")
    for i, name in enumerate(PLACES):
        s.add(doc(f"d{i}", f"Shelling hit {name}."), [event(f"d{i}", name)])
    s.add(doc("none", "Somewhere."), [event("none", None)])
    return s


def test_near_within_sorts_by_distance() -> None:
    lat, lon, _ = PLACES["Bakhmut"]
    with geo_store() as s:
        names = place_names(s.events(near=(lat, lon), within_km=20))
        assert names == ["Bakhmut", "Soledar"]
        names = place_names(s.events(near=(lat, lon), within_km=50))
        assert names == ["Bakhmut", "Soledar", "Kramatorsk"]
        assert len(s.events(near=(lat, lon), within_km=50, limit=1)) == 1
        # default radius 25 km
        assert len(s.events(near=PLACES["Kharkiv"][:2])) == 1
        with pytest.raises(ValueError):
            s.events(near=(91.0, 0.0))


def test_bbox() -> None:
    with geo_store() as s:
        donbas = s.events(bbox=(37.0, 48.0, 39.0, 49.0))
        assert sorted(place_names(donbas)) == [
            "Bakhmut",
            "Kramatorsk",
            "Soledar",
        ]
        with pytest.raises(ValueError, match="min <= max"):
            s.events(bbox=(39.0, 48.0, 37.0, 49.0))


def test_date_type_actor_kind_filters() -> None:
    with SQLiteStore(":memory:") as s:
        s.add(doc("a", "A."), [event("a", date="2023-02-10", actor2="Військові сили України")])
        s.add(
            doc("b", "B."), [event("b", date="2023-02", sub_event_type="Armed clash", event_type="Battles")]
        )
        s.add(doc("c", "C."), [event("c", date="2023-03-01"), aid("c", date="2023-03-02")])
        s.add(doc("d", "D."), [event("d", date=None)])

        def docs(**kw: object) -> list[str]:
            return [r.doc_id + r.kind[0] for r in s.events(**kw)]  # type: ignore[arg-type]

        assert docs() == ["be", "ae", "ce", "ca", "de"]
        assert docs(since="2023-02-11") == ["be", "ce", "ca"]  # the month 2023-02 overlaps
        assert docs(since="2023-03") == ["ce", "ca"]
        assert docs(until="2023-02-09") == ["be"]
        assert docs(since="2023-02-10", until="2023-02-10") == ["be", "ae"]
        assert docs(until="2023-03-01") == ["be", "ae", "ce"]
        assert docs(types=["armed clash"]) == ["be"]
        assert docs(types=["BATTLES", "Shelling/artillery/missile attack"]) == ["be", "ae", "ce", "de"]
        assert docs(actor="україни") == ["ae"]
        assert docs(actor="united states") == ["ca"]  # aid: donor
        assert docs(kind="aid") == ["ca"]
        assert docs(kind="event", limit=2) == ["be", "ae"]


def test_stats() -> None:
    with geo_store() as s:
        s.add(doc("aid", "Aid."), [aid("aid")])
        stats = s.stats()
    assert stats["documents"] == len(PLACES) + 2
    assert stats["events"] == len(PLACES) + 1 and stats["aid"] == 1
    assert stats["without_location"] == 1
    assert stats["by_type"] == {"Explosions/Remote violence": len(PLACES) + 1}
    assert stats["by_month"] == {"2023-01": 1, "2023-02": len(PLACES) + 1}
    assert stats["by_admin1"] == {"Donetsk": 3, "Kharkiv": 1, "Kyiv City": 1, "unknown": 1}


def test_record_of_another_document_is_refused() -> None:
    with SQLiteStore(":memory:") as s, pytest.raises(StoreError, match="belongs to document other"):
        s.add(doc("d1"), [event("other")])


def test_db_path_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SITREP_DB", raising=False)
    assert default_db_path() == tmp_path / "xdg" / "sitrep" / "sitrep.db"
    assert resolve_db_path() == str(tmp_path / "xdg" / "sitrep" / "sitrep.db")
    monkeypatch.setenv("SITREP_DB", str(tmp_path / "env.db"))
    assert resolve_db_path() == str(tmp_path / "env.db")
    assert resolve_db_path(tmp_path / "flag.db") == str(tmp_path / "flag.db")
    with open_store() as s:
        s.add(doc("d1"), [event("d1")])
    assert (tmp_path / "env.db").exists()


def test_records_sharing_an_event_id_are_refused_whole() -> None:
    with SQLiteStore(":memory:") as s:
        twin = event("d1")
        with pytest.raises(StoreError, match=f"several records share the event_id {twin.event_id}"):
            s.add(doc("d1"), [twin, event("d1", "Kyiv"), twin])
        assert s.document("d1") is None and s.count() == 0


def test_one_type_given_as_a_string() -> None:
    with geo_store() as s:
        assert len(s.events(types="explosions/remote violence")) == len(PLACES) + 1  # type: ignore[arg-type]
