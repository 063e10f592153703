"""Where documents and records are kept: the :class:`Store` interface and its backends.

:func:`open_store` picks the database: the ``path`` given (the CLI's ``--db``),
else the ``SITREP_DB`` environment variable, else :func:`default_db_path`
(``$XDG_DATA_HOME/sitrep/sitrep.db``, i.e. ``~/.local/share/sitrep/sitrep.db``
when ``XDG_DATA_HOME`` is not set). A ``postgresql://user:password@host:port/dbname``
URL opens the PostgreSQL store (:mod:`sitrep.store.postgres`), a path the SQLite
store; ``":memory:"`` opens a private in-memory SQLite store. :func:`backend_for`
is the one place that choice is made.
"""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path
from types import ModuleType
from typing import Literal

from sitrep.errors import StoreError
from sitrep.geo import haversine_km
from sitrep.store.base import (
    DEFAULT_WITHIN_KM,
    GridCell,
    Outcome,
    Page,
    PageKey,
    Query,
    Store,
    Stored,
    content_hash,
)
from sitrep.store.sqlite import SCHEMA_VERSION, SQLiteStore

__all__ = [
    "DEFAULT_WITHIN_KM",
    "GridCell",
    "SCHEMA_VERSION",
    "Outcome",
    "Page",
    "PageKey",
    "Query",
    "SQLiteStore",
    "Store",
    "Stored",
    "backend_for",
    "content_hash",
    "default_db_path",
    "haversine_km",
    "latest_version",
    "open_store",
    "resolve_db_path",
]

ENV_VAR = "SITREP_DB"
Backend = Literal["sqlite", "postgresql"]
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")


def default_db_path() -> Path:
    """``$XDG_DATA_HOME/sitrep/sitrep.db`` (``~/.local/share/sitrep/sitrep.db`` by default)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "sitrep" / "sitrep.db"


def resolve_db_path(path: str | os.PathLike[str] | None = None) -> str:
    """The database to use: ``path``, else ``$SITREP_DB``, else :func:`default_db_path`."""
    if path is not None and str(path):
        return str(path)
    return os.environ.get(ENV_VAR) or str(default_db_path())


def backend_for(db: str) -> Backend:
    """Which backend serves ``db``: a ``postgresql://`` (or ``postgres://``) URL is PostgreSQL, a path
    SQLite. Any other URL is refused rather than taken for a file name."""
    m = _SCHEME.match(db)
    if m is None:
        return "sqlite"
    if m.group(1).lower() in ("postgresql", "postgres"):
        return "postgresql"
    raise StoreError(
        f"{db}: unsupported database URL scheme {m.group(1)!r}; give a SQLite file path or a "
        "postgresql://user:password@host:port/dbname URL"
    )


def latest_version(db: str) -> int:
    """The newest schema version the backend serving ``db`` knows."""
    return _postgres(db).SCHEMA_VERSION if backend_for(db) == "postgresql" else SCHEMA_VERSION


def open_store(path: str | os.PathLike[str] | None = None, *, migrate_to: int | None = None) -> Store:
    """Open the store at :func:`resolve_db_path` ``(path)``, migrating it to ``migrate_to`` (default: the
    latest schema); a SQLite file is created when missing."""
    db = resolve_db_path(path)
    if backend_for(db) == "postgresql":
        return _postgres(db).PostgresStore(db, migrate_to=migrate_to)
    return SQLiteStore(db, migrate_to=migrate_to)


def _postgres(db: str) -> ModuleType:
    """:mod:`sitrep.store.postgres`, whose driver is an optional dependency."""
    try:
        return importlib.import_module("sitrep.store.postgres")
    except ImportError as e:
        raise StoreError(
            f"{db.split('@')[-1]}: the PostgreSQL store needs psycopg and psycopg-pool ({e.name} is "
            "missing): pip install 'sitrep[postgres]'"
        ) from e
