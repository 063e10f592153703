"""Where documents and records are kept: the :class:`Store` interface and its backends.

:func:`open_store` picks the database: the ``path`` given (the CLI's ``--db``),
else the ``SITREP_DB`` environment variable, else :func:`default_db_path`
(``$XDG_DATA_HOME/sitrep/sitrep.db``, i.e. ``~/.local/share/sitrep/sitrep.db``
when ``XDG_DATA_HOME`` is not set). ``":memory:"`` opens a private in-memory store.
"""

from __future__ import annotations

import os
from pathlib import Path

from sitrep.geo import haversine_km
from sitrep.store.base import DEFAULT_WITHIN_KM, Outcome, Query, Store, content_hash
from sitrep.store.sqlite import SCHEMA_VERSION, SQLiteStore

__all__ = [
    "DEFAULT_WITHIN_KM",
    "SCHEMA_VERSION",
    "Outcome",
    "Query",
    "SQLiteStore",
    "Store",
    "content_hash",
    "default_db_path",
    "haversine_km",
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


def open_store(path: str | os.PathLike[str] | None = None) -> Store:
    """Open (creating and migrating if needed) the store at :func:`resolve_db_path` ``(path)``."""
    return SQLiteStore(resolve_db_path(path))
