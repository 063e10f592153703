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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.errors import StoreError
from sitrep.model import Aid, Document, Event, Record, record_from_json
from sitrep.store.base import (
    GridCell,
    Kind,
    Outcome,
    Page,
    PageKey,
    Query,
    Store,
    around,
    content_hash,
    haversine_km,
)

log = logging.getLogger(__name__)


#: the first part of the order of :meth:`SQLiteStore.page`: undated records ("~") after every date
_ORDER_KEY = "coalesce(event_date, '~')"


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
    Migration(
        3,
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

_COLUMNS = (
    "event_id, doc_id, kind, event_type, sub_event_type, event_date, lat, lon, country, admin1, "
    "location, actor1, actor2, fatalities, injured, notes, json"
)
_WORD = re.compile(r"\w+", re.UNICODE)


class SQLiteStore(Store):
    """A :class:`~sitrep.store.base.Store` in one SQLite file (or ``":memory:"``)."""

    def __init__(
        self, path: str | Path = ":memory:", *, migrate_to: int | None = None, check_same_thread: bool = True
    ) -> None:
        """``check_same_thread=False`` lets another thread close a store that one thread uses (a server's)."""
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=check_same_thread)
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

    def migrate(self, target: int = SCHEMA_VERSION) -> None:
        """Apply the migrations after the current version up to ``target``, each in one transaction."""
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {current} is newer than this sitrep knows "
                f"({SCHEMA_VERSION}); upgrade sitrep"
            )
        for step in MIGRATIONS:
            if current < step.version <= target:
                log.info("%s: migrating to schema %d (%s)", self.path, step.version, step.description)
                self._transaction(functools.partial(self._apply, step))

    def _apply(self, step: Migration) -> None:
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)"
        )
        for statement in _statements(step.sql):
            self._conn.execute(statement)
        self._conn.execute("INSERT INTO schema_version VALUES (?, ?)", (step.version, _now()))

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

    def query(self, query: Query) -> list[Record]:
        where, params = _where(query)
        sql = f"SELECT json, lat, lon FROM records r WHERE {' AND '.join(where) or '1'}"
        sql += " ORDER BY event_date IS NULL, event_date, doc_id, event_id"
        if query.limit is not None and query.near is None:
            sql += " LIMIT ?"
            params.append(query.limit)
        rows = self._conn.execute(sql, params).fetchall()
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

    def page(self, query: Query, *, after: PageKey | None = None) -> Page:
        texts, next_key = self.page_json(query, after=after)
        return Page([record_from_json(json.loads(text)) for text in texts], next_key)

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
        data = dict(
            self._conn.execute(
                f"SELECT rowid, json FROM records WHERE rowid IN ({', '.join('?' * len(keys))})",
                [k[0] for k in keys],
            ).fetchall()
        )
        return [data[rowid] for rowid, _, _ in keys], ((keys[-1][1], keys[-1][2]) if more and keys else None)

    def version(self) -> object:
        # a document replaced is stored anew (a later ingested_at); none is removed otherwise
        return tuple(self._conn.execute("SELECT count(*), max(ingested_at) FROM documents").fetchone())

    def record(self, event_id: str) -> Record | None:
        row = self._conn.execute("SELECT json FROM records WHERE event_id = ?", (event_id,)).fetchone()
        return record_from_json(json.loads(row[0])) if row else None

    def records_of(self, doc_id: str) -> list[Record]:
        rows = self._conn.execute(
            f"SELECT json FROM records WHERE doc_id = ? ORDER BY {_ORDER_KEY}, event_id", (doc_id,)
        ).fetchall()
        return [record_from_json(json.loads(data)) for (data,) in rows]

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
        match = _fts_query(query.text)
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
    if query.updated_since is not None:
        where.append("r.doc_id IN (SELECT doc_id FROM documents WHERE ingested_at >= ?)")
        params.append(query.updated_since)
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
