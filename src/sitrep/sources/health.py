"""The health of each source, from what the watcher recorded: last success, failures in a row,
items per day against the source's own usual rate, the share of items that gave records, and alerts.

Alerts (kind: when):

- ``failing``: the last poll failed (timeout, HTTP error, broken feed, redirect
  loop, no article links on a listing page), with the error;
- ``silent``: the newest item is older than ``silent_factor`` times the usual
  gap between the source's items, and older than ``min_silence`` (settings);
  a source that never gave an item is silent once it has been polled for
  ``min_silence``;
- ``slowing``: a source that usually gives ``slow_min_per_day`` items a day or
  more gave fewer than ``slow_share`` of its usual daily count in the last day
  (coverage falling without stopping altogether);
- ``no-text``: at least half of the items read in the last poll that read any
  gave no text (an article page or a post whose layout the readers no longer
  understand).

:func:`sources_status` is what ``sitrep sources status`` prints and what an
HTTP API can serve: plain data, computed when asked.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

from sitrep.sources.config import Settings, Source, SourcesFile
from sitrep.sources.state import WatchState

DAY = 86400.0


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceStatus:
    name: str
    kind: str
    address: str
    every_s: float
    last_poll: str | None
    last_success: str | None
    last_error: str | None
    consecutive_failures: int
    items_seen: int
    ingested: int
    duplicates: int
    without_text: int
    failed_items: int
    newest_item: str | None
    usual_gap_h: float | None
    items_last_day: int
    usual_per_day: float | None
    record_share: float | None  # share of ingested items that gave at least one record
    alerts: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _parse(stamp: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _hours(seconds: float) -> str:
    if seconds >= 2 * DAY:
        return f"{seconds / DAY:.1f} days"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 60:.0f} min"


def source_status(source: Source, state: WatchState, settings: Settings, *, now: str) -> SourceStatus:
    """The health of one source at ``now`` (ISO 8601)."""
    t = _parse(now)
    polls = state.polls(source.name)
    finished = [p for p in polls if p.ok is not None]
    failures = 0
    for p in finished:
        if p.ok:
            break
        failures += 1
    last_ok = next((p for p in finished if p.ok), None)
    dates = sorted((_parse(d) for d in state.item_dates(source.name)), reverse=True)
    gaps = [(a - b).total_seconds() for a, b in zip(dates[:50], dates[1:51], strict=False)]
    gap = statistics.median(gaps) if len(gaps) >= 2 else None
    last_day = sum(1 for d in dates if (t - d).total_seconds() < DAY)
    earlier = [d for d in dates if DAY <= (t - d).total_seconds() < 15 * DAY]
    span = (t - min(earlier)).total_seconds() / DAY - 1 if earlier else 0.0
    usual = len(earlier) / span if span >= 1 else None
    counts = state.item_counts(source.name)
    ingested = counts.get("ingested", 0)
    status = SourceStatus(
        name=source.name,
        kind=source.kind,
        address=source.address,
        every_s=source.interval(settings),
        last_poll=finished[0].started if finished else None,
        last_success=last_ok.finished if last_ok else None,
        last_error=finished[0].error if finished and not finished[0].ok else None,
        consecutive_failures=failures,
        items_seen=sum(n for k, n in counts.items() if k != "with_records"),
        ingested=ingested,
        duplicates=counts.get("duplicate", 0),
        without_text=counts.get("empty", 0),
        failed_items=counts.get("failed", 0),
        newest_item=dates[0].strftime("%Y-%m-%dT%H:%M:%SZ") if dates else None,
        usual_gap_h=round(gap / 3600, 2) if gap is not None else None,
        items_last_day=last_day,
        usual_per_day=round(usual, 2) if usual is not None else None,
        record_share=round(counts["with_records"] / ingested, 3) if ingested else None,
    )
    alerts: dict[str, str] = {}
    if failures:
        since = finished[failures - 1].started
        alerts["failing"] = f"{failures} failed poll(s) in a row since {since}: {finished[0].error}"
    if dates and gap is not None:
        quiet = (t - dates[0]).total_seconds()
        if quiet > max(settings.silent_factor * gap, settings.min_silence):
            alerts["silent"] = f"no new item for {_hours(quiet)}; usually one every {_hours(gap)}"
    elif not dates and finished:
        first = _parse(finished[-1].started)
        if (t - first).total_seconds() > settings.min_silence and any(p.ok for p in finished):
            alerts["silent"] = f"no item at all since the first poll, {_hours((t - first).total_seconds())} ago"
    if usual is not None and usual >= settings.slow_min_per_day and last_day < usual * settings.slow_share:
        alerts["slowing"] = (
            f"{last_day} item(s) in the last day against {usual:.1f} a day usually "
            f"(below {settings.slow_share:.0%} of its rate)"
        )
    reading = next((p for p in finished if p.ok and (p.new + p.edited + p.duplicates + p.empty + p.failed)), None)
    if reading is not None and reading.empty and reading.empty * 2 >= reading.new + reading.edited + reading.empty:
        read = reading.new + reading.edited + reading.empty
        alerts["no-text"] = (
            f"{reading.empty} of the {read} item(s) read at {reading.started} gave no text "
            "(has the page layout changed?)"
        )
    return _with_alerts(status, alerts)


def _with_alerts(status: SourceStatus, alerts: dict[str, str]) -> SourceStatus:
    data = status.to_json()
    data["alerts"] = alerts
    return SourceStatus(**data)


def evaluate_alerts(source: Source, state: WatchState, settings: Settings, *, now: str) -> dict[str, str]:
    return source_status(source, state, settings, now=now).alerts


def sources_status(config: SourcesFile, state: WatchState, *, now: str) -> list[SourceStatus]:
    """The health of every source of ``config``."""
    return [source_status(s, state, config.settings, now=now) for s in config.sources]


def check_sources(config: SourcesFile, state: WatchState, *, now: str) -> list[SourceStatus]:
    """:func:`sources_status`, with each source's alerts recorded in the store (raised or cleared)."""
    statuses = sources_status(config, state, now=now)
    for s in statuses:
        state.set_alerts(s.name, s.alerts, now=now)
    return statuses
