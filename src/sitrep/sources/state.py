"""What the watcher remembers between runs, in the store's database: the items seen, the
validators (ETag, Last-Modified) of each address, every poll, and the alerts raised.

The tables live beside the documents (``source_items``, ``source_validators``,
``source_polls``, ``source_alerts``) and are created when first needed. The
watcher stores a document first and marks its item seen after, so a run killed
between the two reads the item again on restart and the store, finding the
same content, leaves it as it is: nothing is lost and nothing doubled.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sitrep.errors import StoreError
from sitrep.sources.items import Item

SCHEMA = """
CREATE TABLE IF NOT EXISTS source_items (
    source         TEXT NOT NULL,
    key            TEXT NOT NULL,
    url            TEXT,
    doc_id         TEXT,
    content_key    TEXT,
    status         TEXT NOT NULL,   -- ingested | duplicate | empty | failed | skipped (not an article page)
    duplicate_of   TEXT,
    records        INTEGER NOT NULL DEFAULT 0,
    versions       INTEGER NOT NULL DEFAULT 0,
    published      TEXT,
    channel        TEXT,
    forwarded_from TEXT,
    first_seen     TEXT NOT NULL,
    last_seen      TEXT NOT NULL,
    error          TEXT,
    PRIMARY KEY (source, key)
);
CREATE INDEX IF NOT EXISTS source_items_url ON source_items(url);
CREATE INDEX IF NOT EXISTS source_items_content ON source_items(content_key);
CREATE TABLE IF NOT EXISTS source_validators (
    source        TEXT NOT NULL,
    url           TEXT NOT NULL,
    etag          TEXT,
    last_modified TEXT,
    PRIMARY KEY (source, url)
);
CREATE TABLE IF NOT EXISTS source_polls (
    id        INTEGER PRIMARY KEY,
    source    TEXT NOT NULL,
    started   TEXT NOT NULL,
    finished  TEXT,
    ok        INTEGER,
    error     TEXT,
    items     INTEGER NOT NULL DEFAULT 0,
    new       INTEGER NOT NULL DEFAULT 0,
    edited    INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0,
    empty     INTEGER NOT NULL DEFAULT 0,
    failed    INTEGER NOT NULL DEFAULT 0,
    records   INTEGER NOT NULL DEFAULT 0,
    not_modified INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS source_polls_source ON source_polls(source, id);
CREATE TABLE IF NOT EXISTS source_alerts (
    id      INTEGER PRIMARY KEY,
    source  TEXT NOT NULL,
    kind    TEXT NOT NULL,          -- failing | silent | no-text
    reason  TEXT NOT NULL,
    raised  TEXT NOT NULL,
    cleared TEXT
);
CREATE INDEX IF NOT EXISTS source_alerts_open ON source_alerts(source, kind, cleared);
"""


@dataclass(frozen=True, slots=True)
class Seen:
    """What the state knows of one item."""

    status: str
    content_key: str | None
    versions: int
    doc_id: str | None
    records: int


@dataclass(frozen=True, slots=True)
class Poll:
    source: str
    started: str
    finished: str | None
    ok: bool | None
    error: str | None
    items: int
    new: int
    edited: int
    duplicates: int
    empty: int
    failed: int
    records: int
    not_modified: bool


class WatchState:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            if self.path != ":memory:":
                self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.executescript(SCHEMA)
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: cannot open the watcher's tables: {e}") from e

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _one(self, sql: str, *args: Any) -> Any:
        return self._conn.execute(sql, args).fetchone()

    # -- items ------------------------------------------------------------------------

    def seen(self, source: str, key: str) -> Seen | None:
        row = self._one(
            "SELECT status, content_key, versions, doc_id, records FROM source_items WHERE source = ? AND key = ?",
            source,
            key,
        )
        return Seen(*row) if row else None

    def ingested_elsewhere(self, source: str, key: str, *, url: str | None, content: str | None) -> str | None:
        """``source:key`` of another item already ingested with this address or this content, if any."""
        row = self._one(
            "SELECT source || ':' || key FROM source_items WHERE status = 'ingested' "
            "AND NOT (source = ? AND key = ?) AND ((url IS NOT NULL AND url = ?) OR content_key = ?) LIMIT 1",
            source,
            key,
            url,
            content,
        )
        return row[0] if row else None

    def mark(
        self,
        source: str,
        item: Item,
        *,
        status: str,
        now: str,
        doc_id: str | None = None,
        content_key: str | None = None,
        duplicate_of: str | None = None,
        records: int = 0,
        error: str | None = None,
    ) -> None:
        """Record what became of an item (one statement, so one transaction)."""
        self._conn.execute(
            """
            INSERT INTO source_items (source, key, url, doc_id, content_key, status, duplicate_of, records,
                versions, published, channel, forwarded_from, first_seen, last_seen, error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (source, key) DO UPDATE SET
                url = excluded.url, doc_id = coalesce(excluded.doc_id, doc_id),
                content_key = coalesce(excluded.content_key, content_key), status = excluded.status,
                duplicate_of = excluded.duplicate_of, records = excluded.records,
                versions = versions + excluded.versions,
                published = coalesce(excluded.published, published), channel = excluded.channel,
                forwarded_from = excluded.forwarded_from, last_seen = excluded.last_seen, error = excluded.error
            """,
            (
                source,
                item.key,
                item.url,
                doc_id,
                content_key,
                status,
                duplicate_of,
                records,
                1 if status == "ingested" else 0,
                item.published,
                item.channel,
                item.forwarded_from,
                now,
                now,
                error,
            ),
        )

    def item_dates(self, source: str, *, limit: int = 200) -> list[str]:
        """The publication dates (else first-seen times) of the source's newest items, newest first."""
        rows = self._conn.execute(
            "SELECT coalesce(published, first_seen) AS d FROM source_items WHERE source = ? "
            "ORDER BY d DESC LIMIT ?",
            (source, limit),
        ).fetchall()
        return [r[0] for r in rows]

    def item_counts(self, source: str) -> dict[str, int]:
        rows = self._conn.execute(
            "SELECT status, count(*), sum(records > 0) FROM source_items WHERE source = ? GROUP BY status",
            (source,),
        ).fetchall()
        counts = {status: n for status, n, _ in rows}
        counts["with_records"] = sum(int(w or 0) for status, _, w in rows if status == "ingested")
        return counts

    # -- validators ---------------------------------------------------------------------

    def validators(self, source: str, url: str) -> tuple[str | None, str | None]:
        row = self._one(
            "SELECT etag, last_modified FROM source_validators WHERE source = ? AND url = ?", source, url
        )
        return (row[0], row[1]) if row else (None, None)

    def save_validators(self, source: str, url: str, etag: str | None, last_modified: str | None) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO source_validators VALUES (?, ?, ?, ?)", (source, url, etag, last_modified)
        )

    def forget_validators(self, source: str) -> None:
        self._conn.execute("DELETE FROM source_validators WHERE source = ?", (source,))

    # -- polls ------------------------------------------------------------------------

    def start_poll(self, source: str, now: str) -> int:
        cur = self._conn.execute("INSERT INTO source_polls (source, started) VALUES (?, ?)", (source, now))
        return int(cur.lastrowid or 0)

    def finish_poll(self, poll_id: int, *, now: str, ok: bool | None, error: str | None, counts: dict[str, int]) -> None:
        self._conn.execute(
            "UPDATE source_polls SET finished = ?, ok = ?, error = ?, items = ?, new = ?, edited = ?, "
            "duplicates = ?, empty = ?, failed = ?, records = ?, not_modified = ? WHERE id = ?",
            (
                now,
                None if ok is None else int(ok),
                error,
                *(counts.get(k, 0) for k in ("items", "new", "edited", "duplicates", "empty", "failed", "records")),
                counts.get("not_modified", 0),
                poll_id,
            ),
        )

    def polls(self, source: str, *, limit: int = 50) -> list[Poll]:
        """The source's finished polls, newest first."""
        rows = self._conn.execute(
            "SELECT source, started, finished, ok, error, items, new, edited, duplicates, empty, failed, records, "
            "not_modified FROM source_polls WHERE source = ? AND finished IS NOT NULL ORDER BY id DESC LIMIT ?",
            (source, limit),
        ).fetchall()
        return [
            Poll(
                source=r[0], started=r[1], finished=r[2], ok=None if r[3] is None else bool(r[3]), error=r[4],
                items=r[5], new=r[6], edited=r[7], duplicates=r[8], empty=r[9], failed=r[10], records=r[11],
                not_modified=bool(r[12]),
            )
            for r in rows
        ]

    def last_started(self, source: str) -> str | None:
        row = self._one("SELECT max(started) FROM source_polls WHERE source = ?", source)
        return row[0] if row else None

    # -- alerts -----------------------------------------------------------------------

    def open_alerts(self, source: str | None = None) -> list[tuple[str, str, str, str]]:
        """(source, kind, reason, raised) of the alerts not cleared."""
        sql = "SELECT source, kind, reason, raised FROM source_alerts WHERE cleared IS NULL"
        args: tuple[str, ...] = ()
        if source is not None:
            sql += " AND source = ?"
            args = (source,)
        return [(r[0], r[1], r[2], r[3]) for r in self._conn.execute(sql + " ORDER BY id", args).fetchall()]

    def set_alerts(self, source: str, alerts: dict[str, str], *, now: str) -> None:
        """Make the open alerts of ``source`` be ``alerts`` (kind -> reason): raise new ones, clear the rest."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            open_ = {k: r for _, k, r, _ in self.open_alerts(source)}
            for kind in open_.keys() - alerts.keys():
                self._conn.execute(
                    "UPDATE source_alerts SET cleared = ? WHERE source = ? AND kind = ? AND cleared IS NULL",
                    (now, source, kind),
                )
            for kind, reason in alerts.items():
                if kind not in open_:
                    self._conn.execute(
                        "INSERT INTO source_alerts (source, kind, reason, raised) VALUES (?, ?, ?, ?)",
                        (source, kind, reason, now),
                    )
                elif open_[kind] != reason:
                    self._conn.execute(
                        "UPDATE source_alerts SET reason = ? WHERE source = ? AND kind = ? AND cleared IS NULL",
                        (reason, source, kind),
                    )
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def alert_history(self, source: str) -> list[tuple[str, str, str, str | None]]:
        rows = self._conn.execute(
            "SELECT kind, reason, raised, cleared FROM source_alerts WHERE source = ? ORDER BY id", (source,)
        ).fetchall()
        return [(r[0], r[1], r[2], r[3]) for r in rows]
