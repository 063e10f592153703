"""Copying a store into another, across backends (SQLite to PostgreSQL and back), verified by counts."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sitrep.errors import StoreError
from sitrep.store.base import Store

log = logging.getLogger(__name__)

#: the counts of :meth:`Store.stats` that the source and the copy must share
VERIFIED = ("documents", "events", "aid", "incidents", "without_location", "by_type", "by_month", "by_admin1")


@dataclass(slots=True)
class CopyReport:
    """How far a copy went: ``documents`` of ``total`` copied, with their ``events`` (records of any kind)."""

    total: int = 0
    documents: int = 0
    events: int = 0
    failed: int = 0
    verified: bool = False

    def progress_line(self) -> str:
        return f"{self.documents}/{self.total} documents, {self.events} records copied"


def copy_store(
    source: Store,
    target: Store,
    *,
    batch_size: int = 200,
    on_progress: Callable[[CopyReport], None] | None = None,
) -> CopyReport:
    """Copy every document of ``source``, with its records and its ingestion time, into the empty
    ``target``, ``batch_size`` documents per transaction, then its incidents (every event's incident and
    the links between events), then check that both stores count the same documents,
    records, types, months and provinces.
    """
    held = target.stats()["documents"]
    if held:
        raise StoreError(f"{target.location}: holds {held} document(s) already; copy needs an empty store")
    expected = source.stats()
    report = CopyReport(total=expected["documents"])
    entries = source.stored()
    while batch := list(itertools.islice(entries, batch_size)):
        target.add_many(batch)
        report.documents += len(batch)
        report.events += sum(len(entry.records) for entry in batch)
        if on_progress:
            on_progress(report)
    events = source.all_events()  # the incidents: every event's, and the links between events
    target.replace_links(
        edges=source.links_of([e.event_id for e in events]),
        incidents={e.event_id: e.incident_id for e in events if e.incident_id is not None},
    )
    got = target.stats()
    wrong = [
        f"{key}: {expected[key]} in the source, {got[key]} in the copy"
        for key in VERIFIED
        if expected[key] != got[key]
    ]
    if wrong:
        raise StoreError(f"{target.location}: the copy does not match {source.location}: " + "; ".join(wrong))
    report.verified = True
    log.info(
        "%s → %s: %d documents, %d records, counts verified",
        source.location,
        target.location,
        report.documents,
        report.events,
    )
    return report
