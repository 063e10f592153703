"""The SQLite store: one file, WAL mode, one transaction per document, FTS5 search.

The schema is versioned: ``schema_version`` holds the version reached and
:data:`MIGRATIONS` lists, in order, the steps from an empty file to the current
schema. Opening a store applies the missing steps, each in its own transaction.

``path=":memory:"`` gives a private in-memory store (for tests and one-off runs).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from sitrep.errors import StoreError
from sitrep.geo import haversine_km
from sitrep.incidents.features import LONG_SPAN, Features, dumps, features, incident_id_of, index_keys, loads
from sitrep.model import Document, Event, Record, record_from_json
from sitrep.store.base import (
    DOCUMENT_COLUMNS,
    INCIDENT_COLUMNS,
    RECORD_COLUMNS,
    Edge,
    GridCell,
    Kind,
    Member,
    Migration,
    Outcome,
    Page,
    PageKey,
    Query,
    Store,
    Stored,
    around_boxes,
    check_unique_ids,
    content_hash,
    describe,
    document_from_row,
    document_row,
    incident_row,
    matching_incidents,
    members,
    members_sql,
    now,
    record_row,
    refreshed_features,
    stored_record,
    with_incident,
)

log = logging.getLogger(__name__)


def _when_unlocked(step: Any, *, seconds: float = 30.0) -> Any:
    """Run ``step`` again while another process holds the database: switching to WAL does not wait on the busy
    timeout as statements do, so processes opening a fresh database at once would otherwise fail."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return step()
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


#: the first part of the order of :meth:`SQLiteStore.page`: undated records ("~") after every date
_ORDER_KEY = "coalesce(event_date, '~')"

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "documents and records",
        """
        CREATE TABLE documents (
            doc_id       TEXT PRIMARY KEY,
            text         TEXT NOT NULL,
            date         TEXT,
            lang         TEXT,
            url          TEXT,
            source       TEXT,
            title        TEXT,
            origin       TEXT,
            content_hash TEXT NOT NULL,
            ingested_at  TEXT NOT NULL
        );
        CREATE TABLE records (
            event_id       TEXT PRIMARY KEY,
            doc_id         TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
            kind           TEXT NOT NULL,
            event_type     TEXT,
            sub_event_type TEXT,
            event_date     TEXT,
            lat            REAL,
            lon            REAL,
            country        TEXT,
            admin1         TEXT,
            location       TEXT,
            actor1         TEXT,
            actor2         TEXT,
            fatalities     INTEGER,
            injured        INTEGER,
            notes          TEXT NOT NULL DEFAULT '',
            json           TEXT NOT NULL
        );
        CREATE INDEX records_doc ON records(doc_id);
        CREATE INDEX records_date ON records(event_date);
        CREATE INDEX records_type ON records(event_type, sub_event_type);
        CREATE INDEX records_latlon ON records(lat, lon);
        """,
    ),
    Migration(
        2,
        "full-text search over report text and record notes",
        """
        CREATE VIRTUAL TABLE documents_fts USING fts5(
            text, content='documents', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
            INSERT INTO documents_fts(rowid, text) VALUES (new.rowid, new.text);
        END;
        CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
            INSERT INTO documents_fts(documents_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        END;
        CREATE TRIGGER documents_au AFTER UPDATE ON documents BEGIN
            INSERT INTO documents_fts(documents_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
            INSERT INTO documents_fts(rowid, text) VALUES (new.rowid, new.text);
        END;
        CREATE VIRTUAL TABLE records_fts USING fts5(
            notes, content='records', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER records_ai AFTER INSERT ON records BEGIN
            INSERT INTO records_fts(rowid, notes) VALUES (new.rowid, new.notes);
        END;
        CREATE TRIGGER records_ad AFTER DELETE ON records BEGIN
            INSERT INTO records_fts(records_fts, rowid, notes) VALUES ('delete', old.rowid, old.notes);
        END;
        CREATE TRIGGER records_au AFTER UPDATE ON records BEGIN
            INSERT INTO records_fts(records_fts, rowid, notes) VALUES ('delete', old.rowid, old.notes);
            INSERT INTO records_fts(rowid, notes) VALUES (new.rowid, new.notes);
        END;
        INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
        INSERT INTO records_fts(records_fts) VALUES ('rebuild');
        """,
    ),
    Migration(
        3,
        "incidents: each event's incident, the index of place cells and days, the links between events",
        """
        ALTER TABLE records ADD COLUMN incident_id TEXT;
        ALTER TABLE records ADD COLUMN link TEXT;
        UPDATE records SET incident_id = incident_of(event_id) WHERE kind = 'event';
        CREATE INDEX records_incident ON records(incident_id);
        CREATE TABLE link_keys (
            key       TEXT NOT NULL,
            first_day INTEGER NOT NULL,
            last_day  INTEGER NOT NULL,
            event_id  TEXT NOT NULL REFERENCES records(event_id) ON DELETE CASCADE
        );
        CREATE INDEX link_keys_key_day ON link_keys(key, first_day);
        CREATE INDEX link_keys_event ON link_keys(event_id);
        CREATE TABLE links (
            a     TEXT NOT NULL REFERENCES records(event_id) ON DELETE CASCADE,
            b     TEXT NOT NULL REFERENCES records(event_id) ON DELETE CASCADE,
            score REAL NOT NULL,
            PRIMARY KEY (a, b)
        ) WITHOUT ROWID;
        CREATE INDEX links_b ON links(b);
        """,
        fill=lambda conn: _fill_link_keys(conn),
    ),
    Migration(
        4,
        "the stable order of pages, events on a map, documents by the time they were stored",
        f"""
        CREATE INDEX records_order ON records({_ORDER_KEY}, event_id);
        DROP INDEX records_latlon;
        CREATE INDEX records_map ON records(lat, lon, kind, event_type, fatalities, event_date, event_id);
        CREATE INDEX documents_ingested ON documents(ingested_at);
        """,
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1].version

_COLUMNS = ", ".join(RECORD_COLUMNS)
_DOC_COLUMNS = ", ".join(DOCUMENT_COLUMNS)


class SQLiteStore(Store):
    """A :class:`~sitrep.store.base.Store` in one SQLite file (or ``":memory:"``)."""

    def __init__(
        self,
        path: str | Path = ":memory:",
        *,
        migrate_to: int | None = None,
        create: bool = True,
        write: bool = True,
        check_same_thread: bool = True,
    ) -> None:
        """Open the database at ``path``, creating it (unless not ``create``) and migrating it.

        With ``write`` a database that cannot be written (a read-only file or
        folder) is refused here, with one message, rather than at each document.
        ``check_same_thread=False`` lets another thread close a store that one thread uses (a server's).
        """
        self.path = self.location = str(path)
        if self.path != ":memory:":
            _prepare(Path(self.path).expanduser(), create=create)
        try:
            self._conn = sqlite3.connect(
                self.path, isolation_level=None, timeout=30.0, check_same_thread=check_same_thread
            )
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: cannot open the database: {e}") from e
        try:
            self._conn.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                _when_unlocked(lambda: self._conn.execute("PRAGMA journal_mode = WAL"))
                self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.create_function("fold", 1, _fold, deterministic=True)
            self._conn.create_function("incident_of", 1, incident_id_of, deterministic=True)
            self.migrate(migrate_to if migrate_to is not None else SCHEMA_VERSION)
            self._incidents = self.schema_version >= 3  # an older schema (kept only by tests) has no incidents
            if write:
                self._check_writable()
        except sqlite3.DatabaseError as e:
            self._conn.close()
            raise StoreError(f"{self.path}: cannot open the database: {e}") from e
        except StoreError:
            self._conn.close()
            raise

    # -- schema -----------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        exists = self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
        if not exists:
            return 0
        row = self._conn.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def migrate(self, target: int | None = None) -> list[int]:
        """Apply the migrations after the current version up to ``target``, each in one transaction.

        The version is read again inside each step's (write-locked) transaction, so
        two processes opening a fresh database at once apply each step once.
        """
        target = SCHEMA_VERSION if target is None else target
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {current} is newer than this sitrep knows "
                f"({SCHEMA_VERSION}); upgrade sitrep"
            )
        applied = []
        for step in MIGRATIONS:
            if current < step.version <= target and self._transaction(functools.partial(self._apply, step)):
                applied.append(step.version)
        return applied

    def _apply(self, step: Migration) -> bool:
        if self.schema_version >= step.version:  # another process applied it while we waited for the lock
            return False
        log.info("%s: migrating to schema %d (%s)", self.path, step.version, step.description)
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)"
        )
        for statement in _statements(step.sql):
            self._conn.execute(statement)
        if step.fill is not None:
            step.fill(self._conn)
        self._conn.execute("INSERT INTO schema_version VALUES (?, ?)", (step.version, now()))
        return True

    def _check_writable(self) -> None:
        """Refuse a database this process cannot write: a write rolled back at once tells."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            self._conn.execute("CREATE TABLE sitrep_write_check (x)")
        except sqlite3.OperationalError as e:
            raise StoreError(
                f"{self.path}: the database cannot be written ({e}); check the permissions of the file "
                "and its folder, or pass another --db"
            ) from e
        finally:
            self._conn.execute("ROLLBACK")

    def _transaction(self, body: Callable[[], Any]) -> Any:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            result = body()
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")
        return result

    # -- writing ----------------------------------------------------------------

    def contains(self, document: Document) -> bool:
        row = self._conn.execute(
            "SELECT content_hash FROM documents WHERE doc_id = ?", (document.doc_id,)
        ).fetchone()
        return row is not None and row[0] == content_hash(document)

    def add(
        self,
        document: Document,
        records: Sequence[Record],
        *,
        force: bool = False,
        ingested_at: str | None = None,
    ) -> Outcome:
        write = self._writer(Stored(document, tuple(records), ingested_at or now()), force=force)
        with self._errors([document]):
            outcome: Outcome = self._transaction(write)
        return outcome

    def add_many(self, entries: Sequence[Stored], *, force: bool = False) -> list[Outcome]:
        writers = [self._writer(entry, force=force) for entry in entries]
        with self._errors([entry.document for entry in entries]):
            outcomes: list[Outcome] = self._transaction(lambda: [write() for write in writers])
        return outcomes

    def _writer(self, entry: Stored, *, force: bool) -> Callable[[], Outcome]:
        """What writes ``entry`` inside a transaction, once it has been checked."""
        document, records = entry.document, entry.records
        digest = content_hash(document)
        check_unique_ids(document, records)
        row_values = document_row(entry)

        def write() -> Outcome:
            row = self._conn.execute(
                "SELECT content_hash FROM documents WHERE doc_id = ?", (document.doc_id,)
            ).fetchone()
            if row is not None and row[0] == digest and not force:
                return Outcome.UNCHANGED
            if row is not None:
                self._conn.execute("DELETE FROM documents WHERE doc_id = ?", (document.doc_id,))
            self._conn.execute(
                f"INSERT INTO documents ({_DOC_COLUMNS}) VALUES ({_marks(DOCUMENT_COLUMNS)})", row_values
            )
            for record in records:
                self._insert(document.doc_id, record)
            return Outcome.ADDED if row is None else Outcome.REPLACED

        return write

    @contextlib.contextmanager
    def _errors(self, documents: Sequence[Document]) -> Iterator[None]:
        """Database errors while writing ``documents``, as :class:`StoreError`."""
        try:
            yield
        except sqlite3.IntegrityError as e:
            raise StoreError(f"{describe(documents)} not stored: {e}") from e
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: cannot write {describe(documents)}: {e}") from e
        except OverflowError as e:  # a number too large for a database integer
            raise StoreError(f"{describe(documents)} not stored: {e}") from e

    def _insert(self, doc_id: str, record: Record) -> None:
        row = record_row(doc_id, record)
        columns: tuple[str, ...] = RECORD_COLUMNS
        if self._incidents:  # an older schema (kept only by tests) has no incidents
            row, columns = (*row, *incident_row(record)), RECORD_COLUMNS + INCIDENT_COLUMNS
        self._conn.execute(f"INSERT INTO records ({', '.join(columns)}) VALUES ({_marks(columns)})", row)
        if isinstance(record, Event) and self._incidents:
            _insert_keys(self._conn, record)

    # -- reading ----------------------------------------------------------------

    def document(self, doc_id: str) -> Document | None:
        row = self._conn.execute(
            f"SELECT {_DOC_COLUMNS} FROM documents WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return None if row is None else document_from_row(row)

    def stored(self) -> Iterator[Stored]:
        documents = self._conn.execute(f"SELECT {_DOC_COLUMNS} FROM documents ORDER BY doc_id")
        incident = "r.incident_id" if self._incidents else "NULL"
        rows = self._conn.execute(
            f"SELECT r.doc_id, r.json, {incident} FROM records r JOIN documents d ON d.doc_id = r.doc_id "
            "ORDER BY r.doc_id, r.rowid"
        )
        by_doc = itertools.groupby(rows, key=lambda row: row[0])
        pending = next(by_doc, None)
        for row in documents:
            records: tuple[Record, ...] = ()
            if pending is not None and pending[0] == row[0]:
                records = tuple(stored_record(data, incident_id) for _, data, incident_id in pending[1])
                pending = next(by_doc, None)
            yield Stored(document_from_row(row), records, row[-1])

    def query(self, query: Query) -> Iterator[Record]:
        """The matching records, read from a cursor one at a time (constant memory for any store).

        With ``near`` only (distance, rowid) pairs of the records in the circle's box
        are held to sort them; the records are then read back in that order.
        """
        try:
            yield from self._query(query)
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: cannot query the database: {e}") from e

    def _query(self, query: Query) -> Iterator[Record]:
        where, params = _where(query)
        sql = f"SELECT json, incident_id, lat, lon, rowid FROM records r WHERE {' AND '.join(where) or '1'}"
        sql += " ORDER BY event_date IS NULL, event_date, doc_id, event_id"
        if query.limit is not None and query.near is None:
            sql += " LIMIT ?"
            params.append(query.limit)
        if query.near is None:
            for data, incident, _, _, _ in self._conn.execute(sql, params):
                yield stored_record(data, incident)
            return
        lat0, lon0 = query.near
        sql = sql.replace("SELECT json,", "SELECT NULL,", 1)
        hits: list[tuple[float, int]] = []
        for _, _, lat, lon, rowid in self._conn.execute(sql, params):
            distance = haversine_km(lat0, lon0, lat, lon)
            if distance <= query.radius_km:
                hits.append((distance, rowid))
        hits.sort(key=lambda h: h[0])
        rowids = [rowid for _, rowid in hits[: query.limit]]
        for i in range(0, len(rowids), 500):
            batch = rowids[i : i + 500]
            marks = ", ".join("?" * len(batch))
            found = {rowid: (data, incident) for rowid, data, incident in self._conn.execute(
                f"SELECT rowid, json, incident_id FROM records WHERE rowid IN ({marks})", batch)}
            for rowid in batch:
                yield stored_record(*found[rowid])

    # -- incidents --------------------------------------------------------------

    def _events(self, sql: str, params: Sequence[Any]) -> list[Event]:
        out: list[Event] = []
        for data, incident in self._conn.execute(sql, params).fetchall():
            record = stored_record(data, incident)
            if isinstance(record, Event):
                out.append(record)
        return out

    def document_events(self, doc_id: str) -> list[Event]:
        return self._events(
            "SELECT json, incident_id FROM records WHERE doc_id = ? AND kind = 'event' ORDER BY event_id",
            (doc_id,),
        )

    def candidates(self, keys: Sequence[str], first_day: int, last_day: int) -> list[Features]:
        found: dict[str, Features] = {}
        for long, reach in ((False, LONG_SPAN), (True, 366)):
            chosen = [k for k in keys if k.startswith("L") == long]
            for chunk in _chunks(chosen):
                sql = (
                    "SELECT r.event_id, r.link FROM records r WHERE r.event_id IN (SELECT event_id FROM "
                    f"link_keys WHERE key IN ({', '.join('?' * len(chunk))}) AND first_day BETWEEN ? AND ? "
                    "AND last_day >= ?)"
                )
                for event_id, link in self._conn.execute(sql, [*chunk, first_day - reach, last_day, first_day]):
                    found[event_id] = loads(link)
        return [found[k] for k in sorted(found)]

    def links_of(self, event_ids: Sequence[str]) -> list[Edge]:
        out: set[Edge] = set()
        for chunk in _chunks(list(event_ids)):
            marks = ", ".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT a, b, score FROM links WHERE a IN ({marks}) UNION "
                f"SELECT a, b, score FROM links WHERE b IN ({marks})",
                [*chunk, *chunk],
            ).fetchall()
            out.update((a, b, float(s)) for a, b, s in rows)
        return sorted(out)

    def link_features(self, event_ids: Sequence[str]) -> list[Features]:
        out: list[Features] = []
        for chunk in _chunks(list(event_ids)):
            rows = self._conn.execute(
                f"SELECT link FROM records WHERE event_id IN ({', '.join('?' * len(chunk))}) AND link IS NOT NULL",
                chunk,
            )
            out += [loads(link) for (link,) in rows]
        return sorted(out, key=lambda f: f.event_id)

    def save_links(self, *, edges: Sequence[Edge], incidents: Mapping[str, str]) -> int:
        def write() -> int:
            self._conn.executemany("INSERT OR REPLACE INTO links (a, b, score) VALUES (?, ?, ?)", edges)
            return self._set_incidents(incidents)

        changed: int = self._transaction(write)
        return changed

    def _set_incidents(self, incidents: Mapping[str, str]) -> int:
        before = self._conn.total_changes
        self._conn.executemany(
            "UPDATE records SET incident_id = ? WHERE event_id = ? AND incident_id IS NOT ?",
            [(v, k, v) for k, v in incidents.items()],
        )
        return self._conn.total_changes - before

    def all_events(self) -> list[Event]:
        return self._events(
            "SELECT json, incident_id FROM records WHERE kind = 'event' ORDER BY event_id", ()
        )

    def link_state(self) -> list[tuple[Features, str | None]]:
        rows = self._conn.execute(
            "SELECT link, incident_id FROM records WHERE kind = 'event' AND link IS NOT NULL ORDER BY event_id"
        )
        return [(loads(link), incident) for link, incident in rows]

    def refresh_link_features(self) -> int:
        def write() -> int:
            rows = self._conn.execute("SELECT event_id, json, link FROM records WHERE kind = 'event'")
            changed = refreshed_features(rows)
            for event_id, link, keys in changed:
                self._conn.execute("UPDATE records SET link = ? WHERE event_id = ?", (link, event_id))
                self._conn.execute("DELETE FROM link_keys WHERE event_id = ?", (event_id,))
                self._conn.executemany(
                    "INSERT INTO link_keys (key, first_day, last_day, event_id) VALUES (?, ?, ?, ?)", keys)
            return len(changed)

        result: int = self._transaction(write)
        return result

    def replace_links(self, *, edges: Sequence[Edge], incidents: Mapping[str, str]) -> tuple[int, int]:
        def write() -> tuple[int, int]:
            old = {(a, b) for a, b in self._conn.execute("SELECT a, b FROM links")}
            new = {(a, b) for a, b, _ in edges}
            self._conn.execute("DELETE FROM links")
            self._conn.executemany("INSERT INTO links (a, b, score) VALUES (?, ?, ?)", edges)
            self._set_incidents(incidents)
            return len(new - old), len(old - new)

        result: tuple[int, int] = self._transaction(write)
        return result

    def incident_members(self, query: Query) -> list[Member]:
        where, params = _where(query)
        where.append("kind = 'event'")
        return members(self._conn.execute(members_sql(matching_incidents(" AND ".join(where))), params))

    def incident(self, incident_id: str) -> list[Member]:
        return members(self._conn.execute(members_sql("(?)"), [incident_id]))

    def page(self, query: Query, *, after: PageKey | None = None) -> Page:
        texts, next_key = self.page_json(query, after=after)
        return Page([record_from_json(json.loads(text)) for text in texts], next_key)  # incidents set there

    def page_json(self, query: Query, *, after: PageKey | None = None) -> tuple[list[str], PageKey | None]:
        size = query.limit if query.limit is not None else 100
        where, params = _where(query)
        if query.since is not None and query.bbox is None and query.near is None:
            # the same filter again, first and in terms of the order's index: it seeks to the year and
            # rejects the earlier dates of that year without reading their rows (a box is left to the
            # index of places, which narrows more)
            where.insert(0, f"{_ORDER_KEY} >= ? AND {_ORDER_KEY} < '~' AND {_ORDER_KEY} || '~' >= ?")
            params[:0] = [query.since[:4], query.since]
        if after is not None:  # (key, event_id) > after, written so that the index seeks to it
            where.append(f"{_ORDER_KEY} >= ? AND ({_ORDER_KEY} > ? OR event_id > ?)")
            params.extend([after[0] or "~", after[0] or "~", after[1]])
        # the keys first (from the indexes alone where the filters allow), then the records of the page
        sql = (
            f"SELECT r.rowid, lat, lon, event_date, event_id FROM records r WHERE {' AND '.join(where) or '1'} "
            f"ORDER BY {_ORDER_KEY}, event_id"
        )
        if query.near is None:
            sql += " LIMIT ?"
            params.append(size + 1)
        keys: list[tuple[int, str | None, str]] = []
        for rowid, lat, lon, date, event_id in self._conn.execute(sql, params):
            if query.near is not None and haversine_km(*query.near, lat, lon) > query.radius_km:
                continue
            keys.append((rowid, date, event_id))
            if len(keys) > size:
                break
        more = len(keys) > size
        keys = keys[:size]
        data = {
            rowid: with_incident(text, incident)
            for rowid, text, incident in self._conn.execute(
                f"SELECT rowid, json, incident_id FROM records WHERE rowid IN ({', '.join('?' * len(keys))})",
                [k[0] for k in keys],
            )
        }
        return [data[rowid] for rowid, _, _ in keys], ((keys[-1][1], keys[-1][2]) if more and keys else None)

    def version(self) -> object:
        # a document replaced is stored anew (a later ingested_at); none is removed otherwise
        return tuple(self._conn.execute("SELECT count(*), max(ingested_at) FROM documents").fetchone())

    def record(self, event_id: str) -> Record | None:
        row = self._conn.execute("SELECT json, incident_id FROM records WHERE event_id = ?", (event_id,)).fetchone()
        return stored_record(*row) if row else None

    def records_of(self, doc_id: str) -> list[Record]:
        rows = self._conn.execute(
            f"SELECT json, incident_id FROM records WHERE doc_id = ? ORDER BY {_ORDER_KEY}, event_id", (doc_id,)
        ).fetchall()
        return [stored_record(data, incident) for data, incident in rows]

    def grid(self, query: Query, *, cell: float) -> list[GridCell]:
        if not cell > 0:
            raise ValueError(f"cell must be positive, got {cell}")
        where, params = _where(query)
        where += ["kind = 'event'", "lat IS NOT NULL", "lon IS NOT NULL"]
        sql = (
            "SELECT CAST((lat + 90) / ? AS INTEGER) AS gy, CAST((lon + 180) / ? AS INTEGER) AS gx, "
            "event_type, count(*), sum(coalesce(fatalities, 0)), sum(lat), sum(lon), "
            "min(lat), max(lat), min(lon), max(lon), min(event_id) "
            f"FROM records r WHERE {' AND '.join(where)} GROUP BY gy, gx, event_type"
        )
        cells: dict[tuple[int, int], list[Any]] = {}
        for gy, gx, etype, n, dead, slat, slon, lat0, lat1, lon0, lon1, first in self._conn.execute(
            sql, [cell, cell, *params]
        ):
            c = cells.setdefault((gy, gx), [0, 0, 0.0, 0.0, {}, first, lat0, lat1, lon0, lon1])
            c[0] += n
            c[1] += dead
            c[2] += slat
            c[3] += slon
            c[4][etype] = n
            c[6], c[7], c[8], c[9] = min(c[6], lat0), max(c[7], lat1), min(c[8], lon0), max(c[9], lon1)
        out: list[GridCell] = []
        for n, dead, slat, slon, by_type, first, lat0, lat1, lon0, lon1 in cells.values():
            if query.near is not None and haversine_km(*query.near, slat / n, slon / n) > query.radius_km:
                continue
            out.append(
                GridCell(
                    lat=slat / n,
                    lon=slon / n,
                    count=n,
                    fatalities=dead,
                    by_type=by_type,
                    event_id=first if n == 1 else None,
                    bbox=(lon0, lat0, lon1, lat1),
                )
            )
        return out

    def count(self, *, kind: Kind | None = None) -> int:
        if kind is None:
            return int(self._conn.execute("SELECT count(*) FROM records").fetchone()[0])
        return int(self._conn.execute("SELECT count(*) FROM records WHERE kind = ?", (kind,)).fetchone()[0])

    def stats(self) -> dict[str, Any]:
        one = self._conn.execute

        def grouped(sql: str) -> dict[str, int]:
            return {str(key): int(n) for key, n in one(sql).fetchall()}

        return {
            "documents": int(one("SELECT count(*) FROM documents").fetchone()[0]),
            "events": self.count(kind="event"),
            "incidents": int(
                one("SELECT count(DISTINCT incident_id) FROM records WHERE kind = 'event'").fetchone()[0]
                if self._incidents else 0
            ),
            "aid": self.count(kind="aid"),
            "without_location": int(
                one("SELECT count(*) FROM records WHERE kind = 'event' AND lat IS NULL").fetchone()[0]
            ),
            "by_type": grouped(
                "SELECT event_type, count(*) FROM records WHERE kind = 'event' "
                "GROUP BY event_type ORDER BY count(*) DESC, event_type"
            ),
            "by_month": grouped(
                "SELECT coalesce(substr(event_date, 1, 7), 'undated'), count(*) FROM records "
                "GROUP BY 1 ORDER BY 1"
            ),
            "by_admin1": grouped(
                "SELECT coalesce(admin1, 'unknown'), count(*) FROM records WHERE kind = 'event' "
                "GROUP BY 1 ORDER BY count(*) DESC, 1"
            ),
            "schema_version": self.schema_version,
            "path": self.path,
        }

    def close(self) -> None:
        try:  # keeps the planner's statistics fresh, so that pages use the right index (bounded work)
            self._conn.execute("PRAGMA analysis_limit = 1000")
            analysed = self._conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
            ).fetchone()
            self._conn.execute("PRAGMA optimize" if analysed else "ANALYZE")
        except sqlite3.DatabaseError as e:
            log.debug("%s: PRAGMA optimize failed: %s", self.path, e)
        self._conn.close()


def _where(query: Query) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if query.kind is not None:
        where.append("kind = ?")
        params.append(query.kind)
    if query.since is not None:
        where.append("event_date || '~' >= ?")
        params.append(query.since)
    if query.until is not None:
        where.append("event_date <= ? || '~'")
        params.append(query.until)
    if query.types:
        wanted = [t.casefold() for t in query.types]
        marks = ", ".join("?" * len(wanted))
        # ACLED's type names are ASCII, which SQLite's own lower() folds as casefold() does, without a
        # call into Python for every row
        low = "lower" if all(t.isascii() for t in wanted) else "fold"
        where.append(f"({low}(event_type) IN ({marks}) OR {low}(sub_event_type) IN ({marks}))")
        params.extend(wanted * 2)
    if query.actor:
        where.append("(instr(fold(actor1), ?) > 0 OR instr(fold(actor2), ?) > 0)")
        params.extend([query.actor.casefold()] * 2)
    if query.text:
        match = _fts_query(query.words)
        where.append(
            "(r.rowid IN (SELECT rowid FROM records_fts WHERE records_fts MATCH ?) OR r.doc_id IN "
            "(SELECT d.doc_id FROM documents_fts f JOIN documents d ON d.rowid = f.rowid "
            "WHERE documents_fts MATCH ?))"
        )
        params.extend([match, match])
    if query.bbox:
        min_lon, min_lat, max_lon, max_lat = query.bbox
        where.append("lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?")
        params.extend([min_lat, max_lat, min_lon, max_lon])
    if query.near is not None:
        boxes = around_boxes(*query.near, query.radius_km)
        where.append("(" + " OR ".join(["(lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?)"] * len(boxes)) + ")")
        for min_lon, min_lat, max_lon, max_lat in boxes:
            params.extend([min_lat, max_lat, min_lon, max_lon])
    if query.updated_since is not None:
        where.append("r.doc_id IN (SELECT doc_id FROM documents WHERE ingested_at >= ?)")
        params.append(query.updated_since)
    return where, params


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    """``items`` in slices small enough for SQLite's limit on bound parameters."""
    return [items[i : i + size] for i in range(0, len(items), size)]


def _insert_keys(conn: sqlite3.Connection, event: Event) -> None:
    f = features(event)
    if f.first_day is None or f.last_day is None:
        return
    conn.executemany(
        "INSERT INTO link_keys (key, first_day, last_day, event_id) VALUES (?, ?, ?, ?)",
        [(key, f.first_day, f.last_day, event.event_id) for key in index_keys(f)],
    )


def _fill_link_keys(conn: sqlite3.Connection) -> None:
    """Index the events stored before incidents existed; ``sitrep incidents rebuild`` links them."""
    rows = conn.execute("SELECT json FROM records WHERE kind = 'event'").fetchall()
    for (data,) in rows:
        record = record_from_json(json.loads(data))
        if isinstance(record, Event):
            _insert_keys(conn, record)
            conn.execute("UPDATE records SET link = ? WHERE event_id = ?", (dumps(features(record)), record.event_id))
    if rows:
        log.warning("%d stored event(s) indexed for incidents; run `sitrep incidents rebuild` to link them",
                    len(rows))


def _fts_query(words: list[str]) -> str:
    """An FTS5 query matching every one of ``words`` (a :class:`Query` holds at least one), each quoted so
    that no word is taken for FTS5 syntax."""
    return " AND ".join(f'"{w}"' for w in words)


def _prepare(path: Path, *, create: bool) -> None:
    """Check the place of a database file: an existing file (unless ``create``), a folder made if needed."""
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file; pass a file name to --db")
    if not create:
        if not path.exists():
            raise StoreError(f"{path}: no database here; run `sitrep ingest` first or pass --db")
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(
            f"{path}: cannot create the folder {e.filename or path.parent} for the database: {e.strerror or e}"
        ) from e


def _statements(script: str) -> list[str]:
    """The statements of a migration script (trigger bodies kept whole)."""
    out: list[str] = []
    buf = ""
    for line in script.strip().splitlines():
        buf += line + "\n"
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def _marks(columns: Sequence[str]) -> str:
    return ", ".join("?" * len(columns))


def _fold(value: str | None) -> str | None:
    return value.casefold() if value is not None else None
