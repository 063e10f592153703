"""Source health from a watcher's recorded state, at a given moment: rates, gaps, alerts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitrep.sources import Settings, WatchState
from sitrep.sources.config import SourcesFile, make_source
from sitrep.sources.health import check_sources, source_status
from sitrep.sources.items import Item

NOW = dt.datetime(2024, 3, 15, 12, 0, tzinfo=dt.UTC)
SETTINGS = Settings()


def stamp(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def fill(state: WatchState, name: str, times: list[dt.datetime], *, records: int = 1) -> None:
    poll = state.start_poll(name, stamp(NOW - dt.timedelta(minutes=5)))
    for i, t in enumerate(times):
        state.mark(name, Item(key=f"{name}/{i}", published=stamp(t), text="x"), status="ingested",
                   now=stamp(NOW), records=records if i % 2 else 0)
    state.finish_poll(poll, now=stamp(NOW), ok=True, error=None, counts={"new": len(times)})


def test_a_steady_source_raises_nothing_and_reports_its_rates() -> None:
    with WatchState(":memory:") as state:
        fill(state, "steady", [NOW - dt.timedelta(hours=2 * i) for i in range(14 * 12)])
        s = source_status(make_source("steady", "https://e.org/rss", kind="rss"), state, SETTINGS, now=stamp(NOW))
        assert s.alerts == {}
        assert s.usual_gap_h == 2.0 and s.items_last_day == 12 and s.usual_per_day == pytest.approx(12, abs=0.2)
        assert s.record_share == 0.5 and s.consecutive_failures == 0 and s.last_success == stamp(NOW)


def test_a_source_whose_coverage_falls_is_slowing_before_it_is_silent() -> None:
    with WatchState(":memory:") as state:
        times = [NOW - dt.timedelta(days=1, hours=2 * i) for i in range(13 * 12)] + [NOW - dt.timedelta(hours=3)]
        fill(state, "falling", times)
        s = source_status(make_source("falling", "https://e.org/rss", kind="rss"), state, SETTINGS, now=stamp(NOW))
        assert set(s.alerts) == {"slowing"}
        assert s.alerts["slowing"].startswith("1 item(s) in the last day against 12.1 a day usually")


def test_failures_in_a_row_and_items_without_text() -> None:
    source = make_source("flaky", "https://e.org/", kind="page")
    config = SourcesFile(path=Path("x.toml"), sources=(source,))
    with WatchState(":memory:") as state:
        fill(state, "flaky", [NOW - dt.timedelta(hours=i) for i in range(3)])
        poll = state.start_poll("flaky", stamp(NOW))
        state.finish_poll(poll, now=stamp(NOW), ok=True, error=None, counts={"new": 1, "empty": 3})
        s = source_status(source, state, SETTINGS, now=stamp(NOW))
        assert set(s.alerts) == {"no-text"}
        assert s.alerts["no-text"].startswith("3 of the 4 item(s) read at")
        for error in ("HTTP 503 Service Unavailable", "timed out (read timeout, limit 20 s)"):
            poll = state.start_poll("flaky", stamp(NOW))
            state.finish_poll(poll, now=stamp(NOW), ok=False, error=error, counts={})
        (s,) = check_sources(config, state, now=stamp(NOW))
        assert s.consecutive_failures == 2 and s.last_error == "timed out (read timeout, limit 20 s)"
        assert s.alerts["failing"] == (
            "2 failed poll(s) in a row since 2024-03-15T12:00:00Z: timed out (read timeout, limit 20 s)"
        )
        assert {kind for _, kind, _, _ in state.open_alerts("flaky")} == {"failing", "no-text"}
        poll = state.start_poll("flaky", stamp(NOW))
        state.finish_poll(poll, now=stamp(NOW), ok=True, error=None, counts={"new": 2})
        (s,) = check_sources(config, state, now=stamp(NOW))
        assert s.alerts == {} and state.open_alerts("flaky") == []
        history = state.alert_history("flaky")
        assert sorted(k for k, _, _, _ in history) == ["failing", "no-text"]
        assert all(cleared == stamp(NOW) for _, _, _, cleared in history)
