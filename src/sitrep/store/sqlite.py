"""The SQLite store: one file, WAL mode, one transaction per document, FTS5 search.

The schema is versioned: ``schema_version`` holds the version reached and
:data:`MIGRATIONS` lists, in order, the steps from an empty file to the current
schema. Opening a store applies the missing steps, each in its own transaction.

``path=":memory:"`` gives a private in-memory store (for tests and one-off runs).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.errors import StoreError
from sitrep.model import Aid, Document, Event, Record, record_from_json
from sitrep.store.base import Kind, Outcome, Query, Store, around_boxes, content_hash, haversine_km

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    sql: str


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
)
SCHEMA_VERSION = MIGRATIONS[-1].version

_COLUMNS = (
    "event_id, doc_id, kind, event_type, sub_event_type, event_date, lat, lon, country, admin1, "
    "location, actor1, actor2, fatalities, injured, notes, json"
)
_WORD = re.compile(r"\w+", re.UNICODE)


class SQLiteStore(Store):
    """A :class:`~sitrep.store.base.Store` in one SQLite file (or ``":memory:"``)."""

    def __init__(
        self,
        path: str | Path = ":memory:",
        *,
        migrate_to: int | None = None,
        create: bool = True,
        write: bool = True,
    ) -> None:
        """Open the database at ``path``, creating it (unless not ``create``) and migrating it.

        With ``write`` a database that cannot be written (a read-only file or
        folder) is refused here, with one message, rather than at each document.
        """
        self.path = str(path)
        if self.path != ":memory:":
            _prepare(Path(self.path).expanduser(), create=create)
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: cannot open the database: {e}") from e
        try:
            self._conn.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                self._conn.execute("PRAGMA journal_mode = WAL")
                self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.create_function("fold", 1, _fold, deterministic=True)
            self.migrate(migrate_to if migrate_to is not None else SCHEMA_VERSION)
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

    def migrate(self, target: int = SCHEMA_VERSION) -> None:
        """Apply the migrations after the current version up to ``target``, each in one transaction.

        The version is read again inside each step's (write-locked) transaction, so
        two processes opening a fresh database at once apply each step once.
        """
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {current} is newer than this sitrep knows "
                f"({SCHEMA_VERSION}); upgrade sitrep"
            )
        for step in MIGRATIONS:
            if current < step.version <= target:
                self._transaction(functools.partial(self._apply, step))

    def _apply(self, step: Migration) -> None:
        if self.schema_version >= step.version:  # another process applied it while we waited for the lock
            return
        log.info("%s: migrating to schema %d (%s)", self.path, step.version, step.description)
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)"
        )
        for statement in _statements(step.sql):
            self._conn.execute(statement)
        self._conn.execute("INSERT INTO schema_version VALUES (?, ?)", (step.version, _now()))

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

    def add(self, document: Document, records: Sequence[Record], *, force: bool = False) -> Outcome:
        digest = content_hash(document)
        ids = [r.event_id for r in records]
        if len(set(ids)) != len(ids):
            twice = sorted({i for i in ids if ids.count(i) > 1})
            raise StoreError(
                f"document {document.doc_id} ({document.origin or 'no origin'}) not stored: "
                f"several records share the event_id {', '.join(twice)}"
            )

        def write() -> Outcome:
            row = self._conn.execute(
                "SELECT content_hash FROM documents WHERE doc_id = ?", (document.doc_id,)
            ).fetchone()
            if row is not None and row[0] == digest and not force:
                return Outcome.UNCHANGED
            if row is not None:
                self._conn.execute("DELETE FROM documents WHERE doc_id = ?", (document.doc_id,))
            self._conn.execute(
                "INSERT INTO documents (doc_id, text, date, lang, url, source, title, origin, content_hash, "
                "ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    document.doc_id,
                    document.text,
                    document.date,
                    document.lang,
                    document.url,
                    document.source,
                    document.title,
                    document.origin,
                    digest,
                    _now(),
                ),
            )
            for record in records:
                self._insert(document.doc_id, record)
            return Outcome.ADDED if row is None else Outcome.REPLACED

        try:
            outcome: Outcome = self._transaction(write)
        except sqlite3.IntegrityError as e:
            raise StoreError(
                f"document {document.doc_id} ({document.origin or 'no origin'}) not stored: {e}"
            ) from e
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: cannot write document {document.doc_id}: {e}") from e
        except OverflowError as e:  # a number too large for a database integer
            raise StoreError(
                f"document {document.doc_id} ({document.origin or 'no origin'}) not stored: {e}"
            ) from e
        return outcome

    def _insert(self, doc_id: str, record: Record) -> None:
        if record.doc_id != doc_id:
            raise StoreError(f"record {record.event_id} belongs to document {record.doc_id}, not {doc_id}")
        try:
            data = json.dumps(record.to_json(), ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as e:
            raise StoreError(
                f"record {record.event_id} of document {doc_id} cannot be serialised: {e}"
            ) from e
        self._conn.execute(
            f"INSERT INTO records ({_COLUMNS}) VALUES ({', '.join('?' * 17)})", _row(record, data)
        )

    # -- reading ----------------------------------------------------------------

    def document(self, doc_id: str) -> Document | None:
        row = self._conn.execute(
            "SELECT text, doc_id, date, lang, url, source, title, origin FROM documents WHERE doc_id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            return None
        text, doc_id, date, lang, url, source, title, origin = row
        return Document(
            text=text, doc_id=doc_id, date=date, lang=lang, url=url, source=source, title=title, origin=origin
        )

    def query(self, query: Query) -> Iterator[Record]:
        """The matching records, read from a cursor one at a time (constant memory for any store).

        With ``near`` only (distance, rowid) pairs of the records in the circle's box
        are held to sort them; the records are then read back in that order.
        """
        where, params = _where(query)
        sql = f"SELECT json, lat, lon, rowid FROM records r WHERE {' AND '.join(where) or '1'}"
        sql += " ORDER BY event_date IS NULL, event_date, doc_id, event_id"
        if query.limit is not None and query.near is None:
            sql += " LIMIT ?"
            params.append(query.limit)
        if query.near is None:
            for data, _, _, _ in self._conn.execute(sql, params):
                yield record_from_json(json.loads(data))
            return
        lat0, lon0 = query.near
        sql = sql.replace("SELECT json,", "SELECT NULL,", 1)
        hits: list[tuple[float, int]] = []
        for _, lat, lon, rowid in self._conn.execute(sql, params):
            distance = haversine_km(lat0, lon0, lat, lon)
            if distance <= query.radius_km:
                hits.append((distance, rowid))
        hits.sort(key=lambda h: h[0])
        rowids = [rowid for _, rowid in hits[: query.limit]]
        for i in range(0, len(rowids), 500):
            batch = rowids[i : i + 500]
            marks = ", ".join("?" * len(batch))
            found = dict(self._conn.execute(f"SELECT rowid, json FROM records WHERE rowid IN ({marks})", batch))
            for rowid in batch:
                yield record_from_json(json.loads(found[rowid]))

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
        where.append(f"(fold(event_type) IN ({marks}) OR fold(sub_event_type) IN ({marks}))")
        params.extend(wanted * 2)
    if query.actor:
        where.append("(instr(fold(actor1), ?) > 0 OR instr(fold(actor2), ?) > 0)")
        params.extend([query.actor.casefold()] * 2)
    if query.text:
        match = _fts_query(query.text)
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
    return where, params


def _fts_query(text: str) -> str:
    """An FTS5 query matching every word of ``text`` (a :class:`Query` holds at least one), each quoted so
    punctuation cannot break the syntax."""
    return " AND ".join(f'"{w}"' for w in _WORD.findall(text))


def _row(record: Record, data: str) -> tuple[Any, ...]:
    if isinstance(record, Event):
        loc = record.location
        return (
            record.event_id,
            record.doc_id,
            "event",
            record.event_type,
            record.sub_event_type,
            record.event_date,
            loc.latitude if loc else None,
            loc.longitude if loc else None,
            loc.country if loc else None,
            loc.admin1 if loc else None,
            loc.name if loc else None,
            record.actor1,
            record.actor2,
            record.fatalities,
            record.injured,
            record.notes,
            data,
        )
    if isinstance(record, Aid):
        return (
            record.event_id,
            record.doc_id,
            "aid",
            None,
            None,
            record.event_date,
            None,
            None,
            None,
            None,
            None,
            record.donor,
            record.recipient,
            None,
            None,
            record.notes,
            data,
        )
    raise StoreError(f"cannot store a {type(record).__name__}: expected an Event or an Aid")


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


def _fold(value: str | None) -> str | None:
    return value.casefold() if value is not None else None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
