"""The store backends the store tests run against: SQLite files and a real PostgreSQL server.

``SITREP_TEST_PG`` names the server (a ``postgresql://`` URL of a database the
tests may create schemas in; ``.ci/run`` starts one). Each database a test asks
for is a fresh SQLite file, or a fresh schema of that database reached through
the connection's ``search_path``. Without ``SITREP_TEST_PG`` the PostgreSQL runs
skip, saying why, except under CI (``CI`` set), where they fail; when it is set
and the server cannot be used they fail too.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitrep.store import Store, open_store

PG_ENV = "SITREP_TEST_PG"
BACKENDS = ("sqlite", "postgresql")


def pg_url() -> str:
    """The test server's URL, its PostGIS and unaccent extensions created; fails or skips as above."""
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set: CI must start a PostgreSQL server for the store tests")
        pytest.skip(f"{PG_ENV} is not set: no PostgreSQL server to test against (see .ci/run)")
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=10, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    except psycopg.Error as e:
        pytest.fail(f"{PG_ENV} is set but the server cannot be used: {e}")
    return url


def in_schema(url: str, schema: str) -> str:
    """``url`` with ``schema`` first on the connection's search path."""
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema},public"


class Backend:
    """Fresh databases of one backend for one test; everything opened is closed (and dropped) after it."""

    def __init__(self, name: str, tmp_path: Path) -> None:
        self.name = name
        self.tmp_path = tmp_path
        self.server = pg_url() if name == "postgresql" else ""
        self.schemas: list[str] = []
        self.opened: list[Store] = []
        self.prefix = f"t{uuid.uuid4().hex[:10]}"

    def url(self, db: str = "main") -> str:
        """Where database ``db`` of this test is: a file path or a URL (created on first use)."""
        if self.name == "sqlite":
            return str(self.tmp_path / f"{db}.db")
        schema = f"{self.prefix}_{db}"
        if schema not in self.schemas:
            self.sql(f"CREATE SCHEMA {schema}", db=None)
            self.schemas.append(schema)
        return in_schema(self.server, schema)

    def open(self, db: str = "main", **options: Any) -> Store:
        store = open_store(self.url(db), **options)
        self.opened.append(store)
        return store

    @property
    def row_stamp(self) -> str:
        """An expression that changes whenever a row is written again."""
        return "rowid" if self.name == "sqlite" else "xmin::text"

    def sql(self, statement: str, *, db: str | None = "main") -> list[tuple[Any, ...]]:
        """Run one statement in database ``db`` (None: the PostgreSQL server's own) on a connection of
        its own, committed; its rows, if any."""
        if self.name == "sqlite":
            import sqlite3

            conn = sqlite3.connect(self.url(db or "main"))
            try:
                with conn:
                    return conn.execute(statement).fetchall()
            finally:
                conn.close()
        import psycopg

        target = self.server if db is None else self.url(db)
        with psycopg.connect(target, autocommit=True) as pg:
            cur = pg.execute(statement)
            return cur.fetchall() if cur.description else []

    def close(self) -> None:
        for store in self.opened:
            store.close()
        for schema in self.schemas:
            self.sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE", db=None)


def backend_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    backend = Backend(request.param, tmp_path)
    try:
        yield backend
    finally:
        backend.close()
