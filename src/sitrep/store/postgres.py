"""The PostgreSQL/PostGIS store: a server database that several writers and readers share.

Selected by a ``postgresql://user:password@host:port/dbname`` URL (``--db`` or
``SITREP_DB``). It answers exactly as the SQLite store does (one parametrised
test suite runs against both) and adds what a shared server needs:

* **Connections**: psycopg 3, the maintained PostgreSQL driver, with its
  :class:`~psycopg_pool.ConnectionPool`: one store object serves several threads
  (the HTTP API answers requests in threads), broken connections are checked and
  replaced, and a command opens one connection, not one per query.
* **Schema**: the same numbered migrations as SQLite (1: documents and records,
  2: full-text search, 3: incidents, 4: the indexes of pages and maps), applied under an advisory lock so that processes opening
  a new database at once migrate it once.
* **Places**: a ``geography(Point, 4326)`` column with a GiST index answers
  ``near``/``within`` (``ST_DWithin`` on the sphere, as the SQLite store's
  haversine), and a GiST index on its ``geometry`` form answers ``bbox``.
* **Text**: one ``sitrep_fts`` configuration for every language: PostgreSQL's
  ``simple`` parser and dictionary behind ``unaccent``, i.e. words case-folded
  and stripped of accents, never stemmed. PostgreSQL has no Ukrainian
  configuration; per-language stemmers would make one query mean different
  things in different documents (a query has no language) and answer otherwise
  than the SQLite store, whose FTS5 ``unicode61 remove_diacritics`` tokenizer
  this matches word for word.
* **Concurrency**: a document is written in one transaction (readers see all of
  it or none of it); its row is locked (``SELECT … FOR UPDATE``, ``INSERT … ON
  CONFLICT DO NOTHING``) so that two writers of one document store it once;
  transactions that fail on a serialization failure or a deadlock are retried;
  incident linking holds advisory locks on the place cells it reads and writes (:meth:`PostgresStore.linking`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import random
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import errors
from psycopg_pool import ConnectionPool, PoolTimeout

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
T = TypeVar("T")

SCHEMES = ("postgresql", "postgres")
#: the key of the advisory lock taken while migrating (any constant; "sitrep" in ASCII)
MIGRATION_LOCK = 0x736974726570
#: how many times a transaction is tried when the server aborts it to keep writers apart
ATTEMPTS = 6
_RETRY = (errors.SerializationFailure, errors.DeadlockDetected)

#: the first part of the order of :meth:`PostgresStore.page` (as in the SQLite store): undated records
#: ("~") after every date
_ORDER_KEY = "coalesce(event_date, '~')"

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "documents and records",
        """
        CREATE EXTENSION IF NOT EXISTS postgis;
        CREATE TYPE sitrep_dates AS RANGE (subtype = text, collation = "C");
        CREATE TABLE documents (
            doc_id       text COLLATE "C" PRIMARY KEY,
            text         text NOT NULL,
            date         text,
            lang         text,
            url          text,
            source       text,
            title        text,
            origin       text,
            content_hash text NOT NULL,
            ingested_at  text NOT NULL
        );
        CREATE TABLE records (
            seq            bigint GENERATED ALWAYS AS IDENTITY,
            event_id       text COLLATE "C" PRIMARY KEY,
            doc_id         text COLLATE "C" NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
            kind           text NOT NULL CHECK (kind IN ('event', 'aid')),
            event_type     text,
            sub_event_type text,
            type_keys      text[] NOT NULL,
            event_date     text COLLATE "C",
            lat            double precision,
            lon            double precision,
            geog           geography(Point, 4326) GENERATED ALWAYS AS (
                               CASE WHEN lat IS NOT NULL AND lon IS NOT NULL
                               THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography END) STORED,
            country        text,
            admin1         text,
            location       text,
            actor1         text,
            actor2         text,
            actor1_key     text,
            actor2_key     text,
            fatalities     integer,
            injured        integer,
            notes          text NOT NULL DEFAULT '',
            json           text NOT NULL
        );
        CREATE INDEX records_doc ON records (doc_id, seq);
        CREATE INDEX records_date ON records (event_date, doc_id, event_id);
        CREATE INDEX records_dates ON records USING gist (sitrep_dates(event_date, event_date || '~', '[]'))
            WHERE event_date IS NOT NULL;
        CREATE INDEX records_type ON records USING gin (type_keys);
        CREATE INDEX records_geog ON records USING gist (geog);
        CREATE INDEX records_geom ON records USING gist ((geog::geometry));
        """,
    ),
    Migration(
        2,
        "full-text search over report text and record notes",
        """
        CREATE EXTENSION IF NOT EXISTS unaccent;
        CREATE TEXT SEARCH CONFIGURATION sitrep_fts (COPY = pg_catalog.simple);
        ALTER TEXT SEARCH CONFIGURATION sitrep_fts
            ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
            WITH unaccent, simple;
        ALTER TABLE documents ADD COLUMN text_tsv tsvector
            GENERATED ALWAYS AS (to_tsvector('sitrep_fts', text)) STORED;
        ALTER TABLE records ADD COLUMN notes_tsv tsvector
            GENERATED ALWAYS AS (to_tsvector('sitrep_fts', notes)) STORED;
        CREATE INDEX documents_text_tsv ON documents USING gin (text_tsv);
        CREATE INDEX records_notes_tsv ON records USING gin (notes_tsv);
        """,
    ),
    Migration(
        3,
        "incidents: each event's incident, the index of place cells and days, the links between events",
        """
        ALTER TABLE records ADD COLUMN incident_id text COLLATE "C";
        ALTER TABLE records ADD COLUMN link text;
        CREATE INDEX records_incident ON records (incident_id);
        CREATE TABLE link_keys (
            key       text COLLATE "C" NOT NULL,
            first_day integer NOT NULL,
            last_day  integer NOT NULL,
            event_id  text COLLATE "C" NOT NULL REFERENCES records(event_id) ON DELETE CASCADE
        );
        CREATE INDEX link_keys_key_day ON link_keys (key, first_day);
        CREATE INDEX link_keys_event ON link_keys (event_id);
        CREATE TABLE links (
            a     text COLLATE "C" NOT NULL REFERENCES records(event_id) ON DELETE CASCADE,
            b     text COLLATE "C" NOT NULL REFERENCES records(event_id) ON DELETE CASCADE,
            score double precision NOT NULL,
            PRIMARY KEY (a, b)
        );
        CREATE INDEX links_b ON links (b);
        """,
        fill=lambda conn: _fill_link_keys(conn),
    ),
    Migration(
        4,
        "the stable order of pages, events on a map, documents by the time they were stored",
        f"""
        CREATE INDEX records_order ON records (({_ORDER_KEY}), event_id);
        CREATE INDEX records_map ON records (lat, lon, kind, event_type, fatalities, event_date, event_id);
        CREATE INDEX documents_ingested ON documents (ingested_at);
        """,
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1].version

_COLUMNS = RECORD_COLUMNS + ("type_keys", "actor1_key", "actor2_key")


def _insert_sql(columns: Sequence[str]) -> str:
    return f"INSERT INTO records ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"


_INSERT_RECORD = {False: _insert_sql(_COLUMNS), True: _insert_sql(_COLUMNS + INCIDENT_COLUMNS)}
_INSERT_KEYS = "INSERT INTO link_keys (key, first_day, last_day, event_id) VALUES (%s, %s, %s, %s)"
_DOC_COLUMNS = ", ".join(DOCUMENT_COLUMNS)
_ORDER = "event_date NULLS LAST, doc_id, event_id"


def is_postgres_url(value: str) -> bool:
    """True when ``value`` names a PostgreSQL database (``postgresql://…`` or ``postgres://…``)."""
    return value.split("://", 1)[0].lower() in SCHEMES and "://" in value


def redact(url: str) -> str:
    """``url`` without its password, fit for messages and ``stats``."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, host = netloc.rsplit("@", 1)
        netloc = f"{user.split(':', 1)[0]}@{host}"
    query = "&".join(p for p in parts.query.split("&") if p and not p.lower().startswith("password="))
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


class PostgresStore(Store):
    """A :class:`~sitrep.store.base.Store` in a PostgreSQL database with PostGIS."""

    def __init__(
        self,
        url: str,
        *,
        migrate_to: int | None = None,
        create: bool = True,
        write: bool = True,
        pool_size: int = 4,
        connect_timeout: float = 10.0,
    ) -> None:
        """Connect to the database at ``url`` and migrate it (to ``migrate_to``, default the latest).

        The database itself is never created here (that is the server administrator's
        ``CREATE DATABASE``); without ``create`` an empty one is refused rather than
        given the store's tables (unless ``migrate_to=0``, as ``sitrep db version`` asks).
        With ``write`` a database this user cannot write to is refused at once.
        """
        self.url = url
        self.location = redact(url)
        self._locks: ConnectionPool | None = None
        try:  # one direct attempt first: its error says why (refused, bad password, no such database)
            psycopg.connect(url, connect_timeout=max(1, round(connect_timeout))).close()
        except psycopg.Error as e:
            raise StoreError(f"{self.location}: cannot connect: {_first_line(e)}") from e
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            kwargs={"autocommit": True},
            check=ConnectionPool.check_connection,
            open=False,
            name="sitrep",
        )
        try:
            self._pool.open(wait=True, timeout=connect_timeout)
            if not create and migrate_to != 0 and self._read(_version, snapshot=False) == 0:
                raise StoreError(
                    f"{self.location}: no sitrep store in this database; run `sitrep ingest` or "
                    "`sitrep db migrate` first, or pass --db"
                )
            self.migrate(migrate_to)
            self._incidents = self._read(_version, snapshot=False) >= 3  # older schemas: tests only
            if write:
                self._check_writable()
        except PoolTimeout as e:
            self._pool.close()
            raise StoreError(f"{self.location}: cannot connect: {e}") from e
        except BaseException:
            self._pool.close()
            raise

    def _check_writable(self) -> None:
        """Refuse a database whose tables this user may not write (asked of the server, nothing written)."""
        sql = (
            "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relname IN ('documents', 'records') "
            "AND NOT (has_table_privilege(c.oid, 'INSERT') AND has_table_privilege(c.oid, 'DELETE'))"
        )
        denied = [name for (name,) in self._read(lambda c: c.execute(sql).fetchall(), snapshot=False)]
        if denied:
            raise StoreError(
                f"{self.location}: the database cannot be written (no INSERT or DELETE right on "
                f"{', '.join(sorted(denied))}); ask for those rights, or pass another --db"
            )

    # -- transactions -------------------------------------------------------------

    def _transaction(self, body: Callable[[psycopg.Connection[Any]], T], *, isolation: str = "") -> T:
        """Run ``body`` in one transaction, again (up to :data:`ATTEMPTS` times) when the server aborted
        it on a serialization failure or a deadlock."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self._pool.connection() as conn, conn.transaction():
                    if isolation:
                        conn.execute(f"SET TRANSACTION ISOLATION LEVEL {isolation}")
                    return body(conn)
            except _RETRY as e:
                if attempt == ATTEMPTS:
                    raise StoreError(f"{self.location}: gave up after {attempt} attempts: {e}") from e
                pause = random.uniform(0, 0.02 * 2**attempt)
                log.info("%s: %s; trying again in %.3f s", self.location, _first_line(e), pause)
                time.sleep(pause)
            except PoolTimeout as e:
                raise StoreError(f"{self.location}: no connection available: {e}") from e
        raise AssertionError("unreachable")  # the loop returns or raises

    def _read(self, body: Callable[[psycopg.Connection[Any]], T], *, snapshot: bool = True) -> T:
        """Run ``body`` in one read-only snapshot, so that its statements agree with each other; without
        ``snapshot``, for one statement (atomic by itself), on a connection in autocommit."""
        try:
            if snapshot:
                return self._transaction(body, isolation="REPEATABLE READ READ ONLY")
            with self._pool.connection() as conn:
                return body(conn)
        except PoolTimeout as e:
            raise StoreError(f"{self.location}: no connection available: {e}") from e
        except psycopg.Error as e:
            raise StoreError(f"{self.location}: {_first_line(e)}") from e

    # -- schema -----------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return self._read(_version)

    def migrate(self, target: int | None = None) -> list[int]:
        """Apply the migrations after the current version up to ``target``, each in one transaction.

        Processes migrating one database at once wait for each other on an
        advisory lock, and the later ones find nothing left to do.
        """
        target = SCHEMA_VERSION if target is None else target
        current = self._read(_version, snapshot=False)
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.location}: schema version {current} is newer than this sitrep knows "
                f"({SCHEMA_VERSION}); upgrade sitrep"
            )
        applied: list[int] = []
        for step in MIGRATIONS:
            if current < step.version <= target:
                try:
                    done = self._transaction(functools.partial(self._apply, step))
                except psycopg.Error as e:
                    raise StoreError(
                        f"{self.location}: migration {step.version} ({step.description}) failed: {_first_line(e)}"
                    ) from e
                if done:
                    applied.append(step.version)
        return applied

    def _apply(self, step: Migration, conn: psycopg.Connection[Any]) -> bool:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        if _version(conn) >= step.version:
            return False  # another process got here first
        log.info("%s: migrating to schema %d (%s)", self.location, step.version, step.description)
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at text NOT NULL)"
        )
        try:
            conn.execute(step.sql.encode())
        except (errors.InsufficientPrivilege, errors.FeatureNotSupported, errors.UndefinedFile) as e:
            raise StoreError(
                f"{self.location}: migration {step.version} ({step.description}) failed: {_first_line(e)}. "
                "The extensions postgis and unaccent must be installed on the server (Debian: "
                "postgresql-15-postgis-3) and created by a superuser: "
                "CREATE EXTENSION postgis; CREATE EXTENSION unaccent;"
            ) from e
        if step.fill is not None:
            step.fill(conn)
        if step.version == 2:
            _check_text_search(conn, self.location)
        conn.execute("INSERT INTO schema_version VALUES (%s, %s)", (step.version, now()))
        return True

    # -- writing ----------------------------------------------------------------

    def contains(self, document: Document) -> bool:
        def read(conn: psycopg.Connection[Any]) -> bool:
            row = conn.execute(
                "SELECT content_hash FROM documents WHERE doc_id = %s", (document.doc_id,)
            ).fetchone()
            return row is not None and row[0] == content_hash(document)

        return self._read(read, snapshot=False)

    def add(
        self,
        document: Document,
        records: Sequence[Record],
        *,
        force: bool = False,
        ingested_at: str | None = None,
    ) -> Outcome:
        write = _writer(
            Stored(document, tuple(records), ingested_at or now()), force=force, incidents=self._incidents
        )
        return self._write([document], write)

    def add_many(self, entries: Sequence[Stored], *, force: bool = False) -> list[Outcome]:
        writers = [_writer(entry, force=force, incidents=self._incidents) for entry in entries]
        return self._write([e.document for e in entries], lambda conn: [write(conn) for write in writers])

    def _write(self, documents: Sequence[Document], body: Callable[[psycopg.Connection[Any]], T]) -> T:
        try:
            return self._transaction(body)
        except psycopg.IntegrityError as e:
            raise StoreError(f"{describe(documents)} not stored: {_first_line(e)}") from e
        except psycopg.Error as e:
            raise StoreError(f"{self.location}: cannot write {describe(documents)}: {_first_line(e)}") from e

    # -- reading ----------------------------------------------------------------

    def document(self, doc_id: str) -> Document | None:
        def read(conn: psycopg.Connection[Any]) -> Document | None:
            row = conn.execute(
                f"SELECT {_DOC_COLUMNS} FROM documents WHERE doc_id = %s", (doc_id,)
            ).fetchone()
            return None if row is None else document_from_row(row)

        return self._read(read, snapshot=False)

    def stored(self) -> Iterator[Stored]:
        try:
            with self._pool.connection() as conn, conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                with conn.cursor(name="sitrep_stored") as cur:
                    cur.itersize = 500
                    cur.execute(
                        f"SELECT {', '.join('d.' + c for c in DOCUMENT_COLUMNS)}, "
                        f"(SELECT coalesce(array_agg(ARRAY[r.json, {self._incident}] ORDER BY r.seq), '{{}}') "
                        "FROM records r WHERE r.doc_id = d.doc_id) FROM documents d ORDER BY d.doc_id"
                    )
                    for row in cur:
                        records = tuple(stored_record(data, incident) for data, incident in row[10])
                        yield Stored(document_from_row(row), records, row[9])
        except psycopg.Error as e:
            raise StoreError(f"{self.location}: {_first_line(e)}") from e

    def query(self, query: Query) -> Iterator[Record]:
        """The matching records, read from a server-side cursor in batches (constant memory for any store),
        in one read-only snapshot."""
        where, params = _where(query)
        condition = " AND ".join(where) or "true"
        if query.near is None:
            sql = f"SELECT json, {self._incident} FROM records r WHERE {condition} ORDER BY {_ORDER}"
        else:
            lat, lon = query.near
            sql = (
                f"SELECT json, {self._incident} FROM records r WHERE {condition} AND {_NEAR} "
                f"ORDER BY ST_Distance(geog, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, false), {_ORDER}"
            )
            params.extend([*_near_params(query), lon, lat])
        if query.limit is not None:
            sql += " LIMIT %s"
            params.append(query.limit)
        try:
            with self._pool.connection() as conn, conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                with conn.cursor(name="sitrep_query") as cur:
                    cur.itersize = 500
                    cur.execute(sql, params)
                    for data, incident in cur:
                        yield stored_record(data, incident)
        except PoolTimeout as e:
            raise StoreError(f"{self.location}: no connection available: {e}") from e
        except psycopg.Error as e:
            raise StoreError(f"{self.location}: {_first_line(e)}") from e

    def count(self, *, kind: Kind | None = None) -> int:
        if kind is None:
            return self._read(lambda c: _one(c, "SELECT count(*) FROM records"), snapshot=False)
        sql = "SELECT count(*) FROM records WHERE kind = %s"
        return self._read(lambda c: _one(c, sql, (kind,)), snapshot=False)

    def stats(self) -> dict[str, Any]:
        def read(conn: psycopg.Connection[Any]) -> dict[str, Any]:
            def one(sql: str) -> int:
                return _one(conn, sql)

            def grouped(sql: str) -> dict[str, int]:
                return {str(key): int(n) for key, n in conn.execute(sql).fetchall()}

            return {
                "documents": one("SELECT count(*) FROM documents"),
                "events": one("SELECT count(*) FROM records WHERE kind = 'event'"),
                "incidents": one("SELECT count(DISTINCT incident_id) FROM records WHERE kind = 'event'")
                if self._incidents
                else 0,
                "aid": one("SELECT count(*) FROM records WHERE kind = 'aid'"),
                "without_location": one("SELECT count(*) FROM records WHERE kind = 'event' AND lat IS NULL"),
                "by_type": grouped(
                    "SELECT event_type, count(*) FROM records WHERE kind = 'event' "
                    'GROUP BY event_type ORDER BY count(*) DESC, event_type COLLATE "C"'
                ),
                "by_month": grouped(
                    "SELECT coalesce(substr(event_date, 1, 7), 'undated'), count(*) FROM records "
                    "GROUP BY 1 ORDER BY 1"
                ),
                "by_admin1": grouped(
                    "SELECT coalesce(admin1, 'unknown') COLLATE \"C\", count(*) FROM records "
                    "WHERE kind = 'event' GROUP BY 1 ORDER BY count(*) DESC, 1"
                ),
                "schema_version": _version(conn),
                "path": self.location,
            }

        return self._read(read)

    # -- incidents ----------------------------------------------------------------

    @property
    def _incident(self) -> str:
        return "r.incident_id" if self._incidents else "NULL::text"

    def _events(self, sql: str, params: Sequence[Any]) -> list[Event]:
        rows = self._read(lambda c: c.execute(sql, params).fetchall(), snapshot=False)
        return [r for r in (stored_record(data, incident) for data, incident in rows) if isinstance(r, Event)]

    def document_events(self, doc_id: str) -> list[Event]:
        return self._events(
            "SELECT json, incident_id FROM records WHERE doc_id = %s AND kind = 'event' ORDER BY event_id",
            (doc_id,),
        )

    def all_events(self) -> list[Event]:
        return self._events(
            "SELECT json, incident_id FROM records WHERE kind = 'event' ORDER BY event_id", ()
        )

    @contextlib.contextmanager
    def linking(self, keys: Collection[str]) -> Iterator[None]:
        """Session advisory locks on the place cells ``keys`` (taken in one order, so that two writers
        cannot wait for each other), held on a connection of a second pool until the block ends."""
        ids = sorted({_lock_id(k) for k in keys})
        if not ids:
            yield
            return
        if self._locks is None:  # a pool of its own: lock holders never starve the queries they wait on
            self._locks = ConnectionPool(
                self.url,
                min_size=0,
                max_size=self._pool.max_size,
                kwargs={"autocommit": True},
                name="sitrep-locks",
                open=True,
            )
        with self._locks.connection() as conn:
            for lock in ids:
                conn.execute("SELECT pg_advisory_lock(%s)", (lock,))
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock_all()")

    def link_state(self) -> list[tuple[Features, str | None]]:
        sql = "SELECT link, incident_id FROM records WHERE kind = 'event' AND link IS NOT NULL ORDER BY event_id"
        rows = self._read(lambda c: c.execute(sql).fetchall(), snapshot=False)
        return [(loads(link), incident) for link, incident in rows]

    def candidates(self, keys: Sequence[str], first_day: int, last_day: int) -> list[Features]:
        short = [k for k in keys if not k.startswith("L")]
        long = [k for k in keys if k.startswith("L")]
        sql = (
            "SELECT r.event_id, r.link FROM records r WHERE r.event_id IN (SELECT event_id FROM link_keys "
            "WHERE key = ANY(%s) AND first_day BETWEEN %s AND %s AND last_day >= %s)"
        )

        def read(conn: psycopg.Connection[Any]) -> list[tuple[str, str]]:
            rows: list[tuple[str, str]] = []
            for chosen, reach in ((short, LONG_SPAN), (long, 366)):
                if chosen:
                    rows += conn.execute(sql, (chosen, first_day - reach, last_day, first_day)).fetchall()
            return rows

        found = {event_id: loads(link) for event_id, link in self._read(read)}
        return [found[k] for k in sorted(found)]

    def links_of(self, event_ids: Sequence[str]) -> list[Edge]:
        ids = list(event_ids)
        rows = self._read(
            lambda c: c.execute(
                "SELECT a, b, score FROM links WHERE a = ANY(%s) UNION SELECT a, b, score FROM links WHERE b = ANY(%s)",
                (ids, ids),
            ).fetchall(),
            snapshot=False,
        )
        return sorted((a, b, float(score)) for a, b, score in rows)

    def link_features(self, event_ids: Sequence[str]) -> list[Features]:
        ids = list(event_ids)
        rows = self._read(
            lambda c: c.execute(
                "SELECT link FROM records WHERE event_id = ANY(%s) AND link IS NOT NULL", (ids,)
            ).fetchall(),
            snapshot=False,
        )
        return sorted((loads(link) for (link,) in rows), key=lambda f: f.event_id)

    def save_links(self, *, edges: Sequence[Edge], incidents: Mapping[str, str]) -> int:
        def write(conn: psycopg.Connection[Any]) -> int:
            with conn.cursor() as cur:
                if edges:
                    cur.executemany(
                        "INSERT INTO links (a, b, score) VALUES (%s, %s, %s) "
                        "ON CONFLICT (a, b) DO UPDATE SET score = excluded.score",
                        edges,
                    )
            return _set_incidents(conn, incidents)

        return self._write_links(write)

    def refresh_link_features(self) -> int:
        def write(conn: psycopg.Connection[Any]) -> int:
            with conn.cursor(name="sitrep_refresh") as rows:  # a server-side cursor: records stream
                rows.itersize = 2000
                rows.execute("SELECT event_id, json, link FROM records WHERE kind = 'event'")
                changed = refreshed_features(rows)
            with conn.cursor() as cur:
                for event_id, link, keys in changed:
                    cur.execute("UPDATE records SET link = %s WHERE event_id = %s", (link, event_id))
                    cur.execute("DELETE FROM link_keys WHERE event_id = %s", (event_id,))
                    if keys:
                        cur.executemany(_INSERT_KEYS, keys)
            return len(changed)

        return self._write_links(write)

    def replace_links(self, *, edges: Sequence[Edge], incidents: Mapping[str, str]) -> tuple[int, int]:
        def write(conn: psycopg.Connection[Any]) -> tuple[int, int]:
            old = {(a, b) for a, b in conn.execute("SELECT a, b FROM links").fetchall()}
            new = {(a, b) for a, b, _ in edges}
            conn.execute("DELETE FROM links")
            if edges:
                with conn.cursor() as cur:
                    cur.executemany("INSERT INTO links (a, b, score) VALUES (%s, %s, %s)", edges)
            _set_incidents(conn, incidents)
            return len(new - old), len(old - new)

        return self._write_links(write)

    def _write_links(self, body: Callable[[psycopg.Connection[Any]], T]) -> T:
        try:
            return self._transaction(body)
        except psycopg.Error as e:
            raise StoreError(f"{self.location}: cannot save incident links: {_first_line(e)}") from e

    def incident_members(self, query: Query) -> list[Member]:
        where, params = _where(query)
        where.append("kind = 'event'")
        sql = members_sql(matching_incidents(" AND ".join(where)))
        return members(self._read(lambda c: c.execute(sql, params).fetchall(), snapshot=False))

    def incident(self, incident_id: str) -> list[Member]:
        sql = members_sql("(%s)")
        return members(self._read(lambda c: c.execute(sql, (incident_id,)).fetchall(), snapshot=False))

    # -- what the HTTP API reads ------------------------------------------------------

    def page(self, query: Query, *, after: PageKey | None = None) -> Page:
        texts, next_key = self.page_json(query, after=after)
        return Page([record_from_json(_json(text)) for text in texts], next_key)  # incidents set there

    def page_json(self, query: Query, *, after: PageKey | None = None) -> tuple[list[str], PageKey | None]:
        size = query.limit if query.limit is not None else 100
        where, params = _where(query)
        if query.near is not None:
            where.append(_NEAR)
            params.extend(_near_params(query))
        if after is not None:  # (key, event_id) > after, as a row comparison the order's index seeks to
            where.append(f"({_ORDER_KEY}, event_id) > (%s, %s)")
            params.extend([after[0] or "~", after[1]])
        sql = (
            f"SELECT json, {self._incident}, event_date, event_id FROM records r "
            f"WHERE {' AND '.join(where) or 'true'} ORDER BY {_ORDER_KEY}, event_id LIMIT %s"
        )
        params.append(size + 1)
        rows = self._read(lambda c: c.execute(sql, params).fetchall(), snapshot=False)
        more = len(rows) > size
        rows = rows[:size]
        texts = [with_incident(data, incident) for data, incident, _, _ in rows]
        return texts, ((rows[-1][2], rows[-1][3]) if more and rows else None)

    def version(self) -> object:
        # as the SQLite store's: a document replaced is stored anew (a later ingested_at); none is removed
        sql = "SELECT count(*), max(ingested_at) FROM documents"
        row = self._read(lambda c: c.execute(sql).fetchone(), snapshot=False)
        return tuple(row) if row else ()

    def record(self, event_id: str) -> Record | None:
        sql = f"SELECT json, {self._incident} FROM records r WHERE event_id = %s"
        row = self._read(lambda c: c.execute(sql, (event_id,)).fetchone(), snapshot=False)
        return stored_record(*row) if row else None

    def records_of(self, doc_id: str) -> list[Record]:
        sql = f"SELECT json, {self._incident} FROM records r WHERE doc_id = %s ORDER BY {_ORDER_KEY}, event_id"
        rows = self._read(lambda c: c.execute(sql, (doc_id,)).fetchall(), snapshot=False)
        return [stored_record(data, incident) for data, incident in rows]

    def grid(self, query: Query, *, cell: float) -> list[GridCell]:
        if not cell > 0:
            raise ValueError(f"cell must be positive, got {cell}")
        where, params = _where(query)
        where += ["kind = 'event'", "lat IS NOT NULL", "lon IS NOT NULL"]
        if query.near is not None:  # the box around the circle here; the cells' centres are kept below
            boxes = around_boxes(*query.near, query.radius_km)
            where.append("(" + " OR ".join(["(lat BETWEEN %s AND %s AND lon BETWEEN %s AND %s)"] * len(boxes)) + ")")
            for min_lon, min_lat, max_lon, max_lat in boxes:
                params.extend([min_lat, max_lat, min_lon, max_lon])
        sql = (
            "SELECT floor((lat + 90) / %s)::bigint AS gy, floor((lon + 180) / %s)::bigint AS gx, "
            "event_type, count(*), sum(coalesce(fatalities, 0)), sum(lat), sum(lon), "
            'min(lat), max(lat), min(lon), max(lon), min(event_id COLLATE "C") '
            f"FROM records r WHERE {' AND '.join(where)} GROUP BY gy, gx, event_type ORDER BY gy, gx, event_type"
        )
        rows = self._read(lambda c: c.execute(sql, [cell, cell, *params]).fetchall(), snapshot=False)
        cells: dict[tuple[int, int], list[Any]] = {}
        for gy, gx, etype, n, dead, slat, slon, lat0, lat1, lon0, lon1, first in rows:
            c = cells.setdefault((gy, gx), [0, 0, 0.0, 0.0, {}, first, lat0, lat1, lon0, lon1])
            c[0] += n
            c[1] += int(dead)
            c[2] += slat
            c[3] += slon
            c[4][etype] = n
            c[5] = min(c[5], first)
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

    def close(self) -> None:
        if self._locks is not None:
            self._locks.close()
        self._pool.close()


def _writer(entry: Stored, *, force: bool, incidents: bool) -> Callable[[psycopg.Connection[Any]], Outcome]:
    """What writes ``entry`` inside a transaction, once it has been checked and its records serialised.

    The document's row is locked first (``FOR UPDATE``), or inserted with ``ON CONFLICT DO
    NOTHING``: of two writers of one new document, the second waits for the first to commit,
    finds its row and compares contents, so that the document is stored once.
    """
    document = entry.document
    digest = content_hash(document)
    check_unique_ids(document, entry.records)
    rows = [_with_keys(record_row(document.doc_id, r)) for r in entry.records]
    keys: list[tuple[str, int, int, str]] = []
    if incidents:
        rows = [(*row, *incident_row(r)) for row, r in zip(rows, entry.records, strict=True)]
        keys = [k for r in entry.records if isinstance(r, Event) for k in _link_keys(r)]
    doc_id = document.doc_id
    values = document_row(entry)

    def write(conn: psycopg.Connection[Any]) -> Outcome:
        lock = "SELECT content_hash FROM documents WHERE doc_id = %s FOR UPDATE"
        row = conn.execute(lock, (doc_id,)).fetchone()
        if row is None:
            inserted = conn.execute(
                f"INSERT INTO documents ({_DOC_COLUMNS}) VALUES ({_marks(DOCUMENT_COLUMNS)}) "
                "ON CONFLICT (doc_id) DO NOTHING",
                values,
            ).rowcount
            if not inserted:  # another writer stored it since: look again, holding its lock
                row = conn.execute(lock, (doc_id,)).fetchone()
        if row is not None:
            if row[0] == digest and not force:
                return Outcome.UNCHANGED
            conn.execute("DELETE FROM records WHERE doc_id = %s", (doc_id,))
            conn.execute(
                f"UPDATE documents SET ({_DOC_COLUMNS}) = ({_marks(DOCUMENT_COLUMNS)}) WHERE doc_id = %s",
                (*values, doc_id),
            )
        if rows:
            with conn.cursor() as cur:
                cur.executemany(_INSERT_RECORD[incidents], rows)
                if keys:
                    cur.executemany(_INSERT_KEYS, keys)
        return Outcome.ADDED if row is None else Outcome.REPLACED

    return write


def _where(query: Query) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if query.kind is not None:
        where.append("kind = %s")
        params.append(query.kind)
    if query.since is not None or query.until is not None:
        # the record's dates, from "2023-02" to "2023-02~" (after every day of the month), overlap the range
        where.append(
            "event_date IS NOT NULL AND sitrep_dates(event_date, event_date || '~', '[]') "
            "&& sitrep_dates(%s, %s, '[]')"
        )
        params.extend([query.since, None if query.until is None else query.until + "~"])
    if query.types:
        where.append("type_keys && %s::text[]")
        params.append([t.casefold() for t in query.types])
    if query.actor:
        where.append("(strpos(actor1_key, %s) > 0 OR strpos(actor2_key, %s) > 0)")
        params.extend([query.actor.casefold()] * 2)
    if query.text:
        where.append(  # a union, so that both text indexes are used
            "event_id IN (SELECT event_id FROM records WHERE notes_tsv @@ plainto_tsquery('sitrep_fts', %s) "
            "UNION SELECT r2.event_id FROM documents d JOIN records r2 ON r2.doc_id = d.doc_id "
            "WHERE d.text_tsv @@ plainto_tsquery('sitrep_fts', %s))"
        )
        words = " ".join(query.words)
        params.extend([words, words])
    if query.bbox is not None:
        min_lon, min_lat, max_lon, max_lat = query.bbox
        where.append(
            "geog::geometry && ST_MakeEnvelope(%s, %s, %s, %s, 4326) "
            "AND lat BETWEEN %s AND %s AND lon BETWEEN %s AND %s"  # the index's boxes are rounded outwards
        )
        params.extend([min_lon, min_lat, max_lon, max_lat, min_lat, max_lat, min_lon, max_lon])
    if query.updated_since is not None:
        where.append("r.doc_id IN (SELECT doc_id FROM documents WHERE ingested_at >= %s)")
        params.append(query.updated_since)
    return where, params


#: the records within ``radius`` metres of a point, on the sphere (as the SQLite store's haversine)
_NEAR = "ST_DWithin(geog, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s, false)"


def _near_params(query: Query) -> list[float]:
    """The parameters of :data:`_NEAR` for ``query.near`` and its radius."""
    assert query.near is not None
    lat, lon = query.near
    return [lon, lat, query.radius_km * 1000]


def _lock_id(key: str) -> int:
    """A place cell's advisory lock: a signed 64-bit number drawn from the key."""
    return int.from_bytes(hashlib.sha256(f"sitrep:{key}".encode()).digest()[:8], "big", signed=True)


def _link_keys(event: Event) -> list[tuple[str, int, int, str]]:
    f = features(event)
    if f.first_day is None or f.last_day is None:
        return []
    return [(key, f.first_day, f.last_day, event.event_id) for key in index_keys(f)]


def _set_incidents(conn: psycopg.Connection[Any], incidents: Mapping[str, str]) -> int:
    """Set each event's incident; return how many changed."""
    if not incidents:
        return 0
    cur = conn.execute(
        "UPDATE records r SET incident_id = u.incident FROM unnest(%s::text[], %s::text[]) AS u(event_id, incident) "
        "WHERE r.event_id = u.event_id AND r.incident_id IS DISTINCT FROM u.incident",
        (list(incidents), list(incidents.values())),
    )
    return cur.rowcount


def _fill_link_keys(conn: psycopg.Connection[Any]) -> None:
    """Index the events stored before incidents existed, each its own incident; ``sitrep incidents
    rebuild`` links them."""
    rows = conn.execute("SELECT json FROM records WHERE kind = 'event'").fetchall()
    with conn.cursor() as cur:
        for (data,) in rows:
            record = record_from_json(_json(data))
            if isinstance(record, Event):
                cur.executemany(_INSERT_KEYS, _link_keys(record))
                cur.execute(
                    "UPDATE records SET incident_id = %s, link = %s WHERE event_id = %s",
                    (incident_id_of(record.event_id), dumps(features(record)), record.event_id),
                )
    if rows:
        log.warning(
            "%d stored event(s) indexed for incidents; run `sitrep incidents rebuild` to link them", len(rows)
        )


def _with_keys(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A :func:`record_row` with the case-folded keys the type and actor filters look up."""
    values = dict(zip(RECORD_COLUMNS, row, strict=True))
    type_keys = [v.casefold() for v in (values["event_type"], values["sub_event_type"]) if v]
    actors = [v.casefold() if v is not None else None for v in (values["actor1"], values["actor2"])]
    return (*row, type_keys, *actors)


def _one(conn: psycopg.Connection[Any], sql: str, params: Sequence[Any] = ()) -> int:
    row = conn.execute(sql, params).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _version(conn: psycopg.Connection[Any]) -> int:
    # pg_class read with this statement's snapshot, not the name cache (to_regclass): after waiting on the
    # migration lock, the cache may not yet know the table another process has just created
    exists = conn.execute(
        "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relname = 'schema_version' AND n.nspname = current_schema()"
    ).fetchone()
    if exists is None:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0) if row else 0


def _check_text_search(conn: psycopg.Connection[Any], location: str) -> None:
    """Refuse a database whose character classification cannot split Cyrillic or accented words."""
    row = conn.execute("SELECT to_tsvector('sitrep_fts', 'Бахмута École')::text").fetchone()
    if row is None or row[0] != "'ecole':2 'бахмута':1":
        ctype = conn.execute("SELECT current_setting('lc_ctype')").fetchone()
        raise StoreError(
            f"{location}: this database's LC_CTYPE ({ctype[0] if ctype else '?'}) does not know Cyrillic or "
            f"accented letters, so full-text search would miss them (got {row[0] if row else None}); create "
            "the database with a UTF-8 locale: CREATE DATABASE … LC_CTYPE 'C.UTF-8' TEMPLATE template0"
        )


def _marks(columns: Sequence[str]) -> str:
    return ", ".join(["%s"] * len(columns))


def _json(data: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(data)
    return value


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
