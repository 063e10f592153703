"""Parquet files of reports: one row per report, with a ``text`` column.

The other columns are read as in JSON Lines (``id``, ``date`` or ``doc_date``, ``lang``, ``url``,
``source``, ``title``); a date column may hold dates or timestamps as well as strings. Each row
is checked like a JSON line, and a bad row is reported as ``file:row N`` (counted from 1) while
the others are read. Reading needs ``pyarrow``: ``pip install 'sitrep[spark]'``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sitrep.errors import InputError, MalformedRecord
from sitrep.ingest.readers import Item, document_from_json

COLUMNS = ("id", "text", "date", "doc_date", "lang", "url", "source", "title")


def read_parquet(where: str, path: Path, *, date: str | None = None, lang: str | None = None) -> Iterator[Item]:
    try:
        import pyarrow.parquet as pq
    except ImportError as e:
        yield InputError(where, f"reading Parquet needs pyarrow: pip install 'sitrep[spark]' ({e})")
        return
    try:
        file = pq.ParquetFile(path)
    except (OSError, ValueError) as e:
        yield MalformedRecord(where, f"not a readable Parquet file: {e}")
        return
    names = set(file.schema_arrow.names)
    if "text" not in names:
        yield MalformedRecord(where, f"no 'text' column (columns: {', '.join(sorted(names))})")
        return
    row = 0
    for batch in file.iter_batches(columns=[c for c in COLUMNS if c in names], batch_size=1024):
        for data in batch.to_pylist():
            row += 1
            yield document_from_json(f"{where}:row {row}", _plain(data), date=date, lang=lang)


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in data.items():
        if isinstance(value, dt.datetime):
            value = value.date().isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        out[key] = value
    return out
