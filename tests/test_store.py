from __future__ import annotations

import dataclasses
import json
import math
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from recordkit import PLACES, aid, event, place_names
from sitrep.errors import StoreError
from sitrep.incidents.features import incident_id_of
from sitrep.model import Document, Record
from sitrep.store import (
    SCHEMA_VERSION,
    Outcome,
    Query,
    SQLiteStore,
    Store,
    Stored,
    backend_for,
    default_db_path,
    haversine_km,
    open_store,
    resolve_db_path,
)
from storekit import Backend

SRC = Path(__file__).resolve().parents[1] / "src"


def doc(
    doc_id: str, text: str = "Shelling hit Bakhmut on Monday.", date: str | None = "2023-02-13"
) -> Document:
    return Document(text=text, doc_id=doc_id, date=date, lang="en", source="Reuters", origin=f"test:{doc_id}")


def ids(records: list[Record]) -> list[str]:
    return [r.event_id for r in records]


@pytest.fixture
def store(backend: Backend) -> Store:
    return backend.open()


def test_records_round_trip(backend: Backend) -> None:
    records: list[Record] = [
        event("d1", fatalities=2, claimant="Pavlo Kyrylenko", notes="Two killed"),
        aid("d1"),
    ]
    with backend.open() as s:
        assert s.add(doc("d1"), records) is Outcome.ADDED
    with backend.open() as s:
        got = s.events()
        # a stored event belongs to an incident: alone, the one it founds
        founded = records[0].with_(incident_id=incident_id_of(records[0].event_id))  # type: ignore[union-attr]
        assert [r.to_json() for r in got] == [records[1].to_json(), founded.to_json()]  # oldest first
        stored = s.document("d1")
        assert stored == doc("d1")
        assert s.document("nope") is None
        assert s.count() == 2 and s.count(kind="aid") == 1 and s.count(kind="event") == 1


def test_a_file_in_a_new_folder(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "sitrep.db"
    with SQLiteStore(path) as s:
        s.add(doc("d1"), [event("d1")])
    with SQLiteStore(path) as s:
        assert s.count() == 1


def test_file_store_uses_wal(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "sitrep.db") as store:
        mode = sqlite3.connect(store.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_same_document_twice_changes_nothing(backend: Backend, store: Store) -> None:
    records = [event("d1")]
    assert store.add(doc("d1"), records) is Outcome.ADDED
    stamp = backend.sql(f"SELECT ingested_at, {backend.row_stamp} FROM documents")
    assert store.contains(doc("d1"))
    assert store.add(doc("d1"), [event("d1", "Kyiv")]) is Outcome.UNCHANGED
    assert place_names(store.events()) == ["Bakhmut"]
    assert backend.sql(f"SELECT ingested_at, {backend.row_stamp} FROM documents") == stamp
    assert store.add(doc("d1"), [event("d1", "Kyiv")], force=True) is Outcome.REPLACED
    assert place_names(store.events()) == ["Kyiv"]


def test_new_content_under_the_same_id_replaces_the_records(store: Store) -> None:
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


def test_a_record_that_cannot_be_serialised_leaves_no_partial_document(store: Store) -> None:
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


def test_a_crash_mid_document_loses_nothing_stored_before(backend: Backend) -> None:
    path = backend.url()
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from recordkit import event
        from sitrep.model import Document, Event
        from sitrep.store import open_store

        class Crash(Event):
            def to_json(self):
                os._exit(3)  # the process dies inside the transaction

        s = open_store({path!r})
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
    with backend.open() as s:
        assert [r.doc_id for r in s.events()] == ["d0", "d1", "d2"]
        assert s.document("d3") is None
        assert s.stats()["documents"] == 3
    if backend.name == "sqlite":
        assert backend.sql("PRAGMA integrity_check") == [("ok",)]


def test_migration_from_schema_1_builds_the_search_index(backend: Backend) -> None:
    with backend.open(migrate_to=1) as old:
        assert old.schema_version == 1
        old.add(doc("d1", "Shelling hit Bakhmut."), [event("d1", notes="artillery fire on the town")])
        with pytest.raises(StoreError):
            old.events(text="bakhmut")  # no search index yet
    with backend.open() as s:
        assert s.schema_version == SCHEMA_VERSION == 4
        assert ids(s.events(text="bakhmut")) == ids(s.events())  # text indexed by the migration
        assert len(s.events(text="artillery")) == 1  # notes too
        assert s.migrate() == []
    assert backend.sql("SELECT version FROM schema_version ORDER BY 1") == [(1,), (2,), (3,), (4,)]


def test_a_newer_schema_is_refused(backend: Backend) -> None:
    backend.open().close()
    backend.sql("INSERT INTO schema_version VALUES (99, 'later')")
    with pytest.raises(StoreError, match="schema version 99 is newer"):
        backend.open()


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open the database"):
        SQLiteStore(path)


def test_full_text_search_over_text_and_notes(backend: Backend) -> None:
    with backend.open() as s:
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


def geo_store(backend: Backend) -> Store:
    s = backend.open()
    for i, name in enumerate(PLACES):
        s.add(doc(f"d{i}", f"Shelling hit {name}."), [event(f"d{i}", name)])
    s.add(doc("none", "Somewhere."), [event("none", None)])
    return s


def test_near_within_sorts_by_distance(backend: Backend) -> None:
    lat, lon, _ = PLACES["Bakhmut"]
    with geo_store(backend) as s:
        names = place_names(s.events(near=(lat, lon), within_km=20))
        assert names == ["Bakhmut", "Soledar"]
        names = place_names(s.events(near=(lat, lon), within_km=50))
        assert names == ["Bakhmut", "Soledar", "Kramatorsk"]
        assert len(s.events(near=(lat, lon), within_km=50, limit=1)) == 1
        # default radius 25 km
        assert len(s.events(near=PLACES["Kharkiv"][:2])) == 1
        with pytest.raises(ValueError):
            s.events(near=(91.0, 0.0))


def test_bbox(backend: Backend) -> None:
    with geo_store(backend) as s:
        donbas = s.events(bbox=(37.0, 48.0, 39.0, 49.0))
        assert sorted(place_names(donbas)) == [
            "Bakhmut",
            "Kramatorsk",
            "Soledar",
        ]
        with pytest.raises(ValueError, match="min <= max"):
            s.events(bbox=(39.0, 48.0, 37.0, 49.0))


def test_date_type_actor_kind_filters(backend: Backend) -> None:
    with backend.open() as s:
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


def test_stats(backend: Backend) -> None:
    with geo_store(backend) as s:
        s.add(doc("aid", "Aid."), [aid("aid")])
        stats = s.stats()
    assert stats["documents"] == len(PLACES) + 2
    assert stats["events"] == len(PLACES) + 1 and stats["aid"] == 1
    assert stats["without_location"] == 1
    assert stats["by_type"] == {"Explosions/Remote violence": len(PLACES) + 1}
    assert stats["by_month"] == {"2023-01": 1, "2023-02": len(PLACES) + 1}
    assert stats["by_admin1"] == {"Donetsk": 3, "Kharkiv": 1, "Kyiv City": 1, "unknown": 1}


def test_record_of_another_document_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="belongs to document other"):
        store.add(doc("d1"), [event("other")])
    assert store.document("d1") is None


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


def test_records_sharing_an_event_id_are_refused_whole(backend: Backend) -> None:
    with backend.open() as s:
        twin = event("d1")
        with pytest.raises(StoreError, match=f"several records share the event_id {twin.event_id}"):
            s.add(doc("d1"), [twin, event("d1", "Kyiv"), twin])
        assert s.document("d1") is None and s.count() == 0


def test_one_type_given_as_a_string(backend: Backend) -> None:
    with geo_store(backend) as s:
        assert len(s.events(types="explosions/remote violence")) == len(PLACES) + 1  # type: ignore[arg-type]


def test_the_backend_is_chosen_from_the_db_value() -> None:
    from sitrep.store.postgres import PostgresStore

    assert backend_for("sitrep.db") is SQLiteStore
    assert backend_for("/data/sitrep.db") is SQLiteStore
    assert backend_for(":memory:") is SQLiteStore
    assert backend_for("postgresql://u:p@db.example:5432/sitrep") is PostgresStore
    assert backend_for("postgres://localhost/sitrep") is PostgresStore
    for url in ("mysql://localhost/sitrep", "https://u:secret@example.org/sitrep.db"):
        with pytest.raises(StoreError, match="no store for .*:// URLs") as caught:
            backend_for(url)
        assert "secret" not in str(caught.value)


def test_an_unreachable_server_is_a_clear_error_without_the_password() -> None:
    with pytest.raises(StoreError, match=r"postgresql://sitrep@127\.0\.0\.1:1/db: cannot connect") as caught:
        open_store("postgresql://sitrep:s3cret@127.0.0.1:1/db")
    assert "s3cret" not in str(caught.value)


def test_concurrent_writers_store_each_document_once(backend: Backend) -> None:
    backend.open().close()  # the schema, before the writers start
    docs = [(doc(f"d{i}", f"Shelling hit Kyiv, report {i}."), [event(f"d{i}", "Kyiv")]) for i in range(40)]
    outcomes: list[Outcome] = []

    def write(order: int) -> None:
        with open_store(backend.url()) as s:  # a store (and connection) per writer
            step = 1 if order % 2 else -1
            for document, records in docs[::step]:
                outcomes.append(s.add(document, records))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count(Outcome.ADDED) == len(docs)
    assert outcomes.count(Outcome.UNCHANGED) == 3 * len(docs)
    with backend.open() as s:
        assert sorted(r.doc_id for r in s.events()) == sorted(d.doc_id for d, _ in docs)
    assert backend.sql("SELECT count(*) FROM documents") == [(len(docs),)]


def test_a_reader_never_sees_half_a_document(backend: Backend) -> None:
    backend.open().close()
    per_doc = 25
    done = threading.Event()

    def write() -> None:
        with open_store(backend.url()) as s:
            for i in range(30):
                records = [event(f"d{i}", "Kyiv", start=k) for k in range(per_doc)]
                s.add(doc(f"d{i}", f"Report {i}."), records)
                s.add(doc(f"d{i}", f"Report {i}, corrected."), records[: per_doc - 5])  # replaced
        done.set()

    writer = threading.Thread(target=write)
    seen: set[int] = set()
    with open_store(backend.url()) as reader:
        writer.start()
        while not done.is_set():
            counts = Counter(r.doc_id for r in reader.events())
            seen.update(counts.values())
        writer.join()
    assert seen <= {per_doc, per_doc - 5}
    assert per_doc in seen or per_doc - 5 in seen


@pytest.mark.parametrize(
    ("env", "code", "reason"),
    [
        (
            {"SITREP_TEST_PG": "postgresql://sitrep@127.0.0.1:1/none"},
            1,
            "is set but the server cannot be used",
        ),
        ({"CI": "true"}, 1, "CI must start a PostgreSQL server"),
        ({}, 0, "SITREP_TEST_PG is not set: no PostgreSQL server"),  # a developer's machine: skipped
    ],
)
def test_postgresql_runs_fail_rather_than_skip_under_ci(env: dict[str, str], code: int, reason: str) -> None:
    clean = {k: v for k, v in os.environ.items() if k not in ("SITREP_TEST_PG", "CI")}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            str(Path(__file__)),
            "-k",
            "test_records_round_trip and postgresql",
        ],
        env={**clean, "PYTHONPATH": str(SRC), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (run.returncode, reason in run.stdout) == (code, True), run.stdout[-2000:]
    assert ("1 skipped" in run.stdout) == (code == 0)


def test_add_many_writes_all_or_nothing_and_keeps_ingestion_times(store: Store) -> None:
    entries = [Stored(doc(f"d{i}"), (event(f"d{i}"),), f"2024-01-0{i + 1}T00:00:00+00:00") for i in range(3)]
    assert store.add_many(entries) == [Outcome.ADDED] * 3
    assert store.add_many(entries[:1]) == [Outcome.UNCHANGED]
    assert [e.ingested_at for e in store.stored()] == [e.ingested_at for e in entries]
    bad = Stored(doc("d9"), (event("d9", weapons=(object(),)),), "2024-01-09T00:00:00+00:00")
    with pytest.raises(StoreError, match="d9 cannot be serialised"):
        store.add_many([Stored(doc("d8"), (event("d8"),), "2024-01-08T00:00:00+00:00"), bad])
    clash = dataclasses.replace(event("d7"), event_id=event("d0").event_id)  # an id d0 holds already
    twin = Stored(doc("d7"), (clash,), "2024-01-07T00:00:00+00:00")
    with pytest.raises(StoreError, match=r"2 documents \(d6 … d7\) not stored"):
        store.add_many([Stored(doc("d6"), (event("d6"),), "2024-01-06T00:00:00+00:00"), twin])
    assert [e.document.doc_id for e in store.stored()] == ["d0", "d1", "d2"]


def test_postgresql_retries_a_transaction_the_server_aborted_to_keep_writers_apart(tmp_path: Path) -> None:
    pg = Backend("postgresql", tmp_path)
    try:
        from sitrep.store.postgres import PostgresStore

        store = pg.open()
        assert isinstance(store, PostgresStore)
        both_read = threading.Barrier(2)
        attempts: Counter[str] = Counter()

        def write_skew(name: str) -> Any:
            def body(conn: Any) -> int:
                attempts[name] += 1
                seen = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
                if attempts[name] == 1:
                    both_read.wait(timeout=10)  # both have read before either writes
                conn.execute(
                    "INSERT INTO documents (doc_id, text, content_hash, ingested_at) VALUES (%s, '', '', '')",
                    (f"{name}-after-{seen}",),
                )
                return int(seen)

            return store._transaction(body, isolation="SERIALIZABLE")

        results: dict[str, int] = {}
        threads = [threading.Thread(target=lambda n=n: results.update({n: write_skew(n)})) for n in "ab"]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results.values()) == [0, 1]  # the one aborted ran again and saw the other's row
        assert sum(attempts.values()) == 3
        assert store.stats()["documents"] == 2
    finally:
        pg.close()


def _read_all(fd: int) -> str:
    """Everything written to a pseudo-terminal so far: one read may return only the first chunk."""
    import select

    chunks = []
    while select.select([fd], [], [], 0.5)[0]:
        data = os.read(fd, 10_000)
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks).decode()


def test_copy_reports_its_progress_batch_by_batch(backend: Backend) -> None:
    from sitrep.cli import Progress
    from sitrep.store.copy import copy_store

    with backend.open("source") as source, backend.open("target") as target:
        for i in range(5):
            source.add(doc(f"d{i}"), [event(f"d{i}"), aid(f"d{i}")])
        seen: list[tuple[int, int, int]] = []
        master, slave = os.openpty()
        with open(slave, "w") as tty:
            bar = Progress(tty, every=0, line=lambda r: r.progress_line())
            report = copy_store(
                source,
                target,
                batch_size=2,
                on_progress=lambda r: (seen.append((r.documents, r.events, r.total)), bar.update(r)),
            )
            tty.flush()
            shown = _read_all(master)
        os.close(master)
        assert seen == [(2, 4, 5), (4, 8, 5), (5, 10, 5)]
        assert report.verified and "sitrep: 5/5 documents, 10 records copied" in shown
        assert [e.document for e in target.stored()] == [e.document for e in source.stored()]


# -- what the HTTP API reads: pages, single records, map cells -------------------------------------------


def test_pages_follow_one_order_and_resume_after_their_key(store: Store) -> None:
    store.add(doc("d1"), [event("d1", "Bakhmut", date="2023-02-13"), event("d1", "Kyiv", date=None, start=20)])
    store.add(doc("d2"), [event("d2", "Kharkiv", date="2023-02"), event("d2", "Soledar", date="2023-02-14")])
    store.add(doc("d3"), [event("d3", "Kramatorsk", date="2022-12-01"), aid("d3", date="2023-01-05")])
    everything = [r.event_id for r in store.page(Query(limit=100)).records]
    dated = sorted((r.event_date or "~", r.event_id) for r in store.events())
    assert everything == [event_id for _, event_id in dated]  # by date, undated last, then id
    seen: list[str] = []
    after = None
    while True:
        page = store.page(Query(limit=2), after=after)
        seen += [r.event_id for r in page.records]
        if page.next is None:
            break
        assert page.next == (page.records[-1].event_date, page.records[-1].event_id)
        after = page.next
    assert seen == everything
    texts, _ = store.page_json(Query(limit=100))
    assert [json.loads(t)["event_id"] for t in texts] == everything
    assert [r.to_json() for r in store.page(Query(limit=100)).records] == [json.loads(t) for t in texts]
    near = store.page(Query(near=PLACES["Bakhmut"][:2], within_km=20))
    nearest = store.events(near=PLACES["Bakhmut"][:2], within_km=20)
    assert sorted(ids(near.records)) == sorted(ids(nearest)) and len(nearest) == 2  # Bakhmut and Soledar
    assert near.next is None


def test_a_record_and_the_records_of_a_document(store: Store) -> None:
    records = [event("d1", "Bakhmut", date="2023-02-14"), event("d1", "Kyiv", date="2023-02-13", start=20)]
    store.add(doc("d1"), records)
    first = records[0].event_id
    found = store.record(first)
    assert found is not None and found.event_id == first and found.to_json()["location"]["name"] == "Bakhmut"
    assert store.record("no-such-event") is None
    assert [r.event_id for r in store.records_of("d1")] == [records[1].event_id, first]  # by date
    assert store.records_of("nothing") == []
    incident = found.to_json()["incident_id"]
    assert incident and [m.event.event_id for m in store.incident(incident)] == [first]
    assert store.incident("no-such-incident") == []


def test_updated_since_keeps_documents_stored_from_then(store: Store) -> None:
    store.add(doc("old"), [event("old")], ingested_at="2024-01-01T00:00:00+00:00")
    store.add(doc("new"), [event("new", "Kyiv")], ingested_at="2024-06-01T00:00:00+00:00")
    assert [r.doc_id for r in store.query(Query(updated_since="2024-03-01T00:00:00+00:00"))] == ["new"]
    assert list(store.query(Query(updated_since="2025-01-01T00:00:00+00:00"))) == []
    before = store.version()
    assert store.version() == before
    store.add(doc("later"), [event("later", "Kharkiv")])
    assert store.version() != before


def test_grid_gathers_located_events_in_cells(store: Store) -> None:
    store.add(doc("d1"), [
        event("d1", "Bakhmut", fatalities=3),
        event("d1", "Soledar", event_type="Battles", sub_event_type="Armed clash", start=20, fatalities=1),
        event("d1", "Kyiv", start=40),
        event("d1", None, start=60),
    ])
    store.add(doc("d2"), [aid("d2")])
    cells = sorted(store.grid(Query(), cell=1.0), key=lambda c: c.lon)
    assert [(c.count, c.fatalities) for c in cells] == [(1, 0), (2, 4)]
    kyiv, donbas = cells
    assert kyiv.event_id is not None and kyiv.bbox == (PLACES["Kyiv"][1], PLACES["Kyiv"][0]) * 2
    assert donbas.event_id is None and donbas.by_type == {"Explosions/Remote violence": 1, "Battles": 1}
    assert donbas.lat == pytest.approx((PLACES["Bakhmut"][0] + PLACES["Soledar"][0]) / 2)
    assert donbas.bbox == pytest.approx((38.0003, 48.5947, 38.0833, 48.6833))
    assert [c.count for c in store.grid(Query(near=PLACES["Kyiv"][:2], within_km=50), cell=1.0)] == [1]
    assert sum(c.count for c in store.grid(Query(), cell=0.01)) == 3
    with pytest.raises(ValueError):
        store.grid(Query(), cell=0)
