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
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sitrep.errors import StoreError
from sitrep.model import Document, Record, record_from_json
from sitrep.store.base import (
    DOCUMENT_COLUMNS,
    RECORD_COLUMNS,
    Kind,
    Migration,
    Outcome,
    Query,
    Store,
    Stored,
    around,
    check_unique_ids,
    content_hash,
    describe,
    document_from_row,
    document_row,
    haversine_km,
    now,
    record_row,
)

log = logging.getLogger(__name__)

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

_COLUMNS = ", ".join(RECORD_COLUMNS)
_DOC_COLUMNS = ", ".join(DOCUMENT_COLUMNS)


class SQLiteStore(Store):
    """A :class:`~sitrep.store.base.Store` in one SQLite file (or ``":memory:"``)."""

    def __init__(self, path: str | Path = ":memory:", *, migrate_to: int | None = None) -> None:
        self.path = self.location = str(path)
        if self.path != ":memory:":
            Path(self.path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None)
            self._conn.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                self._conn.execute("PRAGMA journal_mode = WAL")
                self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.create_function("fold", 1, _fold, deterministic=True)
            self.migrate(migrate_to if migrate_to is not None else SCHEMA_VERSION)
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: cannot open the database: {e}") from e

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
        """Apply the migrations after the current version up to ``target``, each in one transaction."""
        target = SCHEMA_VERSION if target is None else target
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {current} is newer than this sitrep knows "
                f"({SCHEMA_VERSION}); upgrade sitrep"
            )
        applied = []
        for step in MIGRATIONS:
            if current < step.version <= target:
                log.info("%s: migrating to schema %d (%s)", self.path, step.version, step.description)
                self._transaction(functools.partial(self._apply, step))
                applied.append(step.version)
        return applied

    def _apply(self, step: Migration) -> None:
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)"
        )
        for statement in _statements(step.sql):
            self._conn.execute(statement)
        self._conn.execute("INSERT INTO schema_version VALUES (?, ?)", (step.version, now()))

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

    def _insert(self, doc_id: str, record: Record) -> None:
        self._conn.execute(
            f"INSERT INTO records ({_COLUMNS}) VALUES ({_marks(RECORD_COLUMNS)})",
            record_row(doc_id, record),
        )

    # -- reading ----------------------------------------------------------------

    def document(self, doc_id: str) -> Document | None:
        row = self._conn.execute(
            f"SELECT {_DOC_COLUMNS} FROM documents WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return None if row is None else document_from_row(row)

    def stored(self) -> Iterator[Stored]:
        documents = self._conn.execute(f"SELECT {_DOC_COLUMNS} FROM documents ORDER BY doc_id")
        rows = self._conn.execute(
            "SELECT r.doc_id, r.json FROM records r JOIN documents d ON d.doc_id = r.doc_id "
            "ORDER BY r.doc_id, r.rowid"
        )
        by_doc = itertools.groupby(rows, key=lambda row: row[0])
        pending = next(by_doc, None)
        for row in documents:
            records: tuple[Record, ...] = ()
            if pending is not None and pending[0] == row[0]:
                records = tuple(record_from_json(json.loads(data)) for _, data in pending[1])
                pending = next(by_doc, None)
            yield Stored(document_from_row(row), records, row[-1])

    def query(self, query: Query) -> list[Record]:
        where, params = _where(query)
        sql = f"SELECT json, lat, lon FROM records r WHERE {' AND '.join(where) or '1'}"
        sql += " ORDER BY event_date IS NULL, event_date, doc_id, event_id"
        if query.limit is not None and query.near is None:
            sql += " LIMIT ?"
            params.append(query.limit)
        try:
            rows = self._conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: cannot query the database: {e}") from e
        if query.near is None:
            return [record_from_json(json.loads(data)) for data, _, _ in rows]
        lat0, lon0 = query.near
        hits: list[tuple[float, str]] = []
        for data, lat, lon in rows:
            distance = haversine_km(lat0, lon0, lat, lon)
            if distance <= query.radius_km:
                hits.append((distance, data))
        hits.sort(key=lambda h: h[0])
        if query.limit is not None:
            hits = hits[: query.limit]
        return [record_from_json(json.loads(data)) for _, data in hits]

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
        match = _fts_query(query.words)
        where.append(
            "(r.rowid IN (SELECT rowid FROM records_fts WHERE records_fts MATCH ?) OR r.doc_id IN "
            "(SELECT d.doc_id FROM documents_fts f JOIN documents d ON d.rowid = f.rowid "
            "WHERE documents_fts MATCH ?))"
        )
        params.extend([match, match])
    boxes = [query.bbox] if query.bbox else []
    if query.near is not None:
        boxes.append(around(*query.near, query.radius_km))
    for min_lon, min_lat, max_lon, max_lat in boxes:
        where.append("lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?")
        params.extend([min_lat, max_lat, min_lon, max_lon])
    return where, params


def _fts_query(words: list[str]) -> str:
    """An FTS5 query matching every one of ``words`` (a :class:`Query` holds at least one), each quoted so
    that no word is taken for FTS5 syntax."""
    return " AND ".join(f'"{w}"' for w in words)


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
