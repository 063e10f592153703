"""Batches: read inputs, extract their records, and print or store them.

These are the library calls behind ``sitrep extract`` and ``sitrep ingest``.
Unreadable inputs and documents that cannot be stored are collected in the
:class:`BatchReport` (and passed to ``on_error`` as they happen); the rest of
the batch goes on.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from sitrep.errors import DuplicateId, InputError, SitrepError, StoreError
from sitrep.ingest import iter_documents
from sitrep.model import Document, Record
from sitrep.pipeline import Pipeline
from sitrep.store.base import Outcome, Store, content_hash

log = logging.getLogger(__name__)

ErrorFn = Callable[[SitrepError], None]


@dataclass(slots=True)
class BatchReport:
    """What a batch did, filled in as it runs."""

    documents: int = 0  # documents read
    extracted: int = 0  # documents run through the pipeline
    added: int = 0
    replaced: int = 0
    unchanged: int = 0  # already stored with the same content: not extracted again
    undated: int = 0
    events: int = 0
    aid: int = 0
    errors: list[SitrepError] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.errors)

    def stored(self, outcome: Outcome, records: Iterable[Record]) -> None:
        """Count one document given to the store, with its records."""
        if outcome is Outcome.UNCHANGED:
            self.unchanged += 1
            return
        if outcome is Outcome.ADDED:
            self.added += 1
        else:
            self.replaced += 1
        self.count(records)  # only what was written counts as stored

    def count(self, records: Iterable[Record]) -> None:
        for record in records:
            if record.kind == "aid":
                self.aid += 1
            else:
                self.events += 1


def extract_inputs(
    inputs: Sequence[str],
    *,
    date: str | None = None,
    lang: str | None = None,
    workers: int = 1,
    pipeline: Pipeline | None = None,
    stdin: TextIO | None = None,
    report: BatchReport | None = None,
    on_error: ErrorFn | None = None,
) -> Iterator[Record]:
    """The records of every document in ``inputs``, in input order (see :func:`sitrep.ingest.iter_documents`).

    ``pipeline`` defaults to the full pipeline, built only once a document has been read.
    """
    report = report if report is not None else BatchReport()
    workers = bounded_workers(workers)
    docs = _documents(iter_documents(inputs, date=date, lang=lang, stdin=stdin), report, on_error)
    for _doc, records in _extract(docs, pipeline, workers, report, on_error):
        report.count(records)
        yield from records


def ingest_inputs(
    inputs: Sequence[str],
    store: Store,
    *,
    date: str | None = None,
    lang: str | None = None,
    workers: int = 1,
    pipeline: Pipeline | None = None,
    stdin: TextIO | None = None,
    force: bool = False,
    on_error: ErrorFn | None = None,
    on_progress: Callable[[BatchReport], None] | None = None,
) -> BatchReport:
    """Read ``inputs``, extract and store each document in its own transaction, and link its events into
    incidents (:func:`sitrep.incidents.link.ingest`).

    Documents already stored with the same content are skipped without being
    extracted again, unless ``force``.
    """
    report = BatchReport()
    workers = bounded_workers(workers)
    docs = _documents(iter_documents(inputs, date=date, lang=lang, stdin=stdin), report, on_error)
    return ingest_documents(
        docs,
        store,
        workers=workers,
        pipeline=pipeline,
        force=force,
        report=report,
        on_error=on_error,
        on_progress=on_progress,
    )


def ingest_documents(
    documents: Iterable[Document],
    store: Store,
    *,
    workers: int = 1,
    pipeline: Pipeline | None = None,
    force: bool = False,
    report: BatchReport | None = None,
    on_error: ErrorFn | None = None,
    on_progress: Callable[[BatchReport], None] | None = None,
) -> BatchReport:
    """Extract and store each of ``documents`` in its own transaction (the ingest path of
    :func:`ingest_inputs`, for documents read elsewhere, such as live sources).

    Documents already stored with the same content are skipped without being
    extracted again, unless ``force``; ``report`` (a new one by default) is
    filled in and returned.
    """
    report = report if report is not None else BatchReport()
    workers = bounded_workers(workers)
    docs = documents
    seen: dict[str, tuple[str | None, str]] = {}  # doc_id → where it was first read, its content hash

    def new(documents: Iterable[Document]) -> Iterator[Document]:
        for doc in documents:
            digest = content_hash(doc)
            first = seen.setdefault(doc.doc_id, (doc.origin, digest))
            if first[1] != digest:
                _fail(report, DuplicateId(
                    doc.origin or doc.doc_id,
                    f"id {doc.doc_id!r} is already used in this batch by {first[0]}, with another text; "
                    "not stored (give each report its own id)",
                ), on_error)
                continue
            if first[0] != doc.origin:  # the very same report twice
                log.info("%s: same report as %s; stored once", doc.origin, first[0])
                report.unchanged += 1
                continue
            if not force and store.contains(doc):
                report.unchanged += 1
                if on_progress:
                    on_progress(report)
                continue
            yield doc

    from sitrep.incidents.link import ingest

    for doc, records in _extract(new(docs), pipeline, workers, report, on_error):
        try:
            outcome = ingest(store, doc, records, force=force)
        except StoreError as e:
            _fail(report, e, on_error)
            continue
        report.stored(outcome, records)
        if on_progress:
            on_progress(report)
    return report


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def bounded_workers(workers: int) -> int:
    """``workers`` at most :func:`usable_cores`: more processes than cores only add start-up and memory."""
    cores = usable_cores()
    if workers > cores:
        log.warning("--workers %d: this machine lets sitrep use %d core(s); using %d", workers, cores, cores)
        return cores
    return max(1, workers)


def _documents(
    items: Iterable[Document | InputError], report: BatchReport, on_error: ErrorFn | None
) -> Iterator[Document]:
    for item in items:
        if isinstance(item, InputError):
            _fail(report, item, on_error)
            continue
        report.documents += 1
        if item.date is None:
            report.undated += 1
        yield item


def _extract(
    docs: Iterable[Document],
    pipeline: Pipeline | None,
    workers: int,
    report: BatchReport,
    on_error: ErrorFn | None,
) -> Iterator[tuple[Document, list[Record]]]:
    it = iter(docs)
    first = next(it, None)
    if first is None:
        return
    pipe = pipeline if pipeline is not None else Pipeline()

    def chained() -> Iterator[Document]:
        yield first
        yield from it

    for doc, result in pipe.extract_many(chained(), workers=workers):
        if isinstance(result, SitrepError):
            _fail(report, result, on_error)
            continue
        report.extracted += 1
        yield doc, result


def _fail(report: BatchReport, error: SitrepError, on_error: ErrorFn | None) -> None:
    report.errors.append(error)
    if on_error:
        on_error(error)
