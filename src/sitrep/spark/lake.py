"""Reading the job's output back: its records and documents, with pyarrow only (no Spark, no Java).

:func:`is_job_output` tells a job's output folder from a folder of reports; :func:`read_output`
gives each kept document with its records, as ``sitrep ingest`` stores them. An output without
its manifest (``_sitrep.json``) belongs to a job that did not finish and is refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sitrep.errors import InputError
from sitrep.model import Document, Record, record_from_json
from sitrep.spark.schema import record_json

MANIFEST = "_sitrep.json"


def is_job_output(path: str | Path) -> bool:
    p = Path(path)
    return p.is_dir() and ((p / MANIFEST).exists() or (p / "documents").is_dir() and (p / "events").is_dir())


def manifest(path: str | Path) -> dict[str, Any]:
    where = Path(path) / MANIFEST
    if not where.exists():
        raise InputError(str(path), f"no {MANIFEST}: the Spark job writing this output did not finish; run it again")
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise InputError(str(where), f"unreadable manifest: {e}") from e
    return dict(data)


def rows(path: str | Path, table: str) -> Iterator[dict[str, Any]]:
    """The rows of one table of the output, as dicts (nested fields as dicts and lists), partition column dropped."""
    import pyarrow.dataset as ds

    folder = Path(path) / table
    if not folder.is_dir():
        return
    files = sorted(str(p) for p in folder.rglob("*.parquet") if not _hidden(p.relative_to(folder)))
    if not files:
        return
    dataset = ds.dataset(files, format="parquet", partitioning=ds.partitioning(flavor="hive"),
                         partition_base_dir=str(folder))
    for batch in dataset.to_batches():
        for row in batch.to_pylist():
            row.pop("month", None)
            yield row


def records(path: str | Path) -> Iterator[Record]:
    """Every event and aid record of the output."""
    for table in ("events", "aid"):
        for row in rows(path, table):
            yield record_from_json(record_json(row))


def read_output(path: str | Path) -> Iterator[tuple[Document, list[Record]]]:
    """Each document of a finished job's output with its records."""
    manifest(path)
    by_doc: dict[str, list[Record]] = {}
    for record in records(path):
        by_doc.setdefault(record.doc_id, []).append(record)
    for row in rows(path, "documents"):
        doc = Document(
            text=row["text"], doc_id=row["doc_id"], date=row["date"], lang=row["lang"], url=row["url"],
            source=row["source"], title=row["title"], origin=row["origin"],
        )
        yield doc, sorted(by_doc.get(doc.doc_id, []), key=lambda r: r.event_id)


def _hidden(rel: Path) -> bool:
    return any(part.startswith((".", "_")) for part in rel.parts)


def ingest_output(
    path: str | Path, store: Any, *, force: bool = False, report: Any = None, on_error: Any = None
) -> Any:
    """Store the documents and records of a finished job's output as they are (nothing is extracted again),
    linking their events into incidents as any ingest does (:func:`sitrep.incidents.link.ingest`).

    ``report`` is a :class:`sitrep.batch.BatchReport` to add to (a new one by default). Documents
    already stored with the same content are left as they are, unless ``force``.
    """
    from sitrep.batch import BatchReport
    from sitrep.errors import StoreError
    from sitrep.incidents.link import ingest

    report = report if report is not None else BatchReport()
    try:
        pairs = list(read_output(path))
    except InputError as e:
        report.errors.append(e)
        if on_error:
            on_error(e)
        return report
    for doc, found in pairs:
        report.documents += 1
        if not force and store.contains(doc):
            report.unchanged += 1
            continue
        try:
            outcome = ingest(store, doc, found, force=force)
        except StoreError as e:
            report.errors.append(e)
            if on_error:
                on_error(e)
            continue
        report.stored(outcome, found)
    return report
