"""Where documents and records are kept: the :class:`Store` interface and its backends.

:func:`open_store` picks the database: the ``path`` given (the CLI's ``--db``),
else the ``SITREP_DB`` environment variable, else :func:`default_db_path`
(``$XDG_DATA_HOME/sitrep/sitrep.db``, i.e. ``~/.local/share/sitrep/sitrep.db``
when ``XDG_DATA_HOME`` is not set). ``":memory:"`` opens a private in-memory store.

The backend follows from that value (:func:`backend_for`): a URL goes to the
backend registered for its scheme in :data:`BACKENDS` (never taken for a file
name), anything else is a SQLite file. A ``postgresql://user:password@host:port/dbname``
URL opens the PostgreSQL store (:mod:`sitrep.store.postgres`).
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sitrep.errors import StoreError
from sitrep.geo import haversine_km
from sitrep.lazy import lazy_exports
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

if TYPE_CHECKING:
    from sitrep.store.sqlite import SCHEMA_VERSION, SQLiteStore

# the SQLite backend (and sqlite3) is imported when a store is opened, not by every command that imports this
__getattr__ = lazy_exports(__name__, {"SCHEMA_VERSION": "sqlite", "SQLiteStore": "sqlite"})

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


def default_db_path() -> Path:
    """``$XDG_DATA_HOME/sitrep/sitrep.db`` (``~/.local/share/sitrep/sitrep.db`` by default)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "sitrep" / "sitrep.db"


def resolve_db_path(path: str | os.PathLike[str] | None = None) -> str:
    """The database to use: ``path``, else ``$SITREP_DB``, else :func:`default_db_path`."""
    if path is not None and str(path):
        return str(path)
    return os.environ.get(ENV_VAR) or str(default_db_path())


#: URL scheme → "module:class" of the backend that opens such a URL (the class takes the URL and the
#: keywords ``create`` and ``write``)
BACKENDS: dict[str, str] = {
    "postgresql": "sitrep.store.postgres:PostgresStore",
    "postgres": "sitrep.store.postgres:PostgresStore",
}
_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")


def backend_for(target: str) -> Callable[..., Store]:
    """The store class that opens ``target``: a URL's registered backend, else :class:`SQLiteStore`.

    Raises :class:`~sitrep.errors.StoreError` for a URL of an unknown scheme or of
    a backend this build does not have.
    """
    url = _URL.match(target)
    if url is None:
        from sitrep.store.sqlite import SQLiteStore

        return SQLiteStore
    scheme = url.group(1).lower()
    where = BACKENDS.get(scheme)
    if where is None:
        known = ", ".join(f"{s}://" for s in sorted(BACKENDS))
        raise StoreError(f"{_redact(target)}: no store for {scheme}:// URLs (a file path, or one of {known})")
    module, _, name = where.partition(":")
    try:
        backend: Callable[..., Store] = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as e:
        label = "PostgreSQL" if scheme.startswith("postgres") else scheme
        raise StoreError(
            f"{_redact(target)}: {label} store not available in this build ({e}); "
            "use a SQLite file path for --db"
        ) from e
    return backend


def open_store(
    path: str | os.PathLike[str] | None = None,
    *,
    create: bool = True,
    write: bool = True,
    migrate_to: int | None = None,
) -> Store:
    """Open the store at :func:`resolve_db_path` ``(path)`` with the backend :func:`backend_for` picks.

    ``create``: make the database (and its folder) when missing, else refuse with
    a message; ``write``: refuse at once a database that cannot be written;
    ``migrate_to``: the schema version to migrate to (default: the latest).
    """
    target = resolve_db_path(path)
    return backend_for(target)(target, create=create, write=write, migrate_to=migrate_to)


def latest_version(db: str) -> int:
    """The newest schema version the backend serving ``db`` knows."""
    version: int = importlib.import_module(backend_for(db).__module__).SCHEMA_VERSION
    return version


def _redact(url: str) -> str:
    """``url`` without its password (postgresql://user:secret@host → postgresql://user:***@host)."""
    return re.sub(r"(//[^/:@]*:)[^/@]*@", r"\1***@", url)
