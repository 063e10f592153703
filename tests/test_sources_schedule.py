"""The watcher's schedule and the health of a source that never publishes, without the pipeline
(the feeds here hold no entries, so nothing is extracted)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import sources_site as site_kit
from sitrep.sources import Watcher, WatchState, load_sources, sources_status
from sitrep.store import SQLiteStore
from sources_site import Site


@pytest.fixture
def site() -> Iterator[Site]:
    yield from site_kit.serve()


def test_sources_are_polled_on_their_own_schedule_until_stopped(site: Site, tmp_path: Path) -> None:
    site.set("/fast.xml", site_kit.rss("Fast", []), content_type="application/rss+xml")
    site.set("/slow.xml", site_kit.rss("Slow", []), content_type="application/rss+xml")
    file = tmp_path / "sources.toml"
    file.write_text(
        '[settings]\ndelay = "0s"\n\n'
        f'[sources.fast]\nkind = "rss"\nurl = "{site.url("/fast.xml")}"\nevery = "300ms"\n\n'
        f'[sources.slow]\nkind = "rss"\nurl = "{site.url("/slow.xml")}"\nevery = "1h"\n',
        encoding="utf-8",
    )
    config = load_sources(file)
    db = tmp_path / "s.db"
    stop = threading.Event()
    with SQLiteStore(db) as store, WatchState(db) as state:
        watcher = Watcher(config, store, state, stop=stop)
        threading.Timer(1.0, stop.set).start()
        polls = watcher.run()
        watcher.close()
        assert stop.is_set()
        names = [p.source for p in polls]
        assert names.count("slow") == 1 and 2 <= names.count("fast") <= 5  # 4 on an idle machine
        assert all(p.ok for p in polls)
        assert sum(p.not_modified for p in polls if p.source == "fast") == names.count("fast") - 1
        # never an item since the first poll, long ago: silent
        later = "2099-01-01T00:00:00Z"
        status = {s.name: s for s in sources_status(config, state, now=later)}
        assert set(status["fast"].alerts) == {"silent"}
        assert status["fast"].alerts["silent"].startswith("no item at all since the first poll")
        assert status["fast"].consecutive_failures == 0 and status["fast"].last_success


def test_a_second_watcher_of_one_store_refuses_to_start(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sitrep.cli import main
    from sitrep.sources.cli import _one_watcher

    site.set("/feed.xml", site_kit.rss("Feed", []), content_type="application/rss+xml")
    file = tmp_path / "sources.toml"
    file.write_text(f'[sources.feed]\nkind = "rss"\nurl = "{site.url("/feed.xml")}"\n', encoding="utf-8")
    db = tmp_path / "s.db"
    args = ["watch", "--once", "--sources", str(file), "--db", str(db)]
    with _one_watcher(str(db)):
        assert main(args) == 1
        assert "another `sitrep watch` (pid " in capsys.readouterr().err
        assert not site.hits("/feed.xml")
    assert main(args) == 0
    assert len(site.hits("/feed.xml")) == 1


def test_a_changed_sources_file_is_read_again_while_watching(site: Site, tmp_path: Path) -> None:
    site.set("/one.xml", site_kit.rss("One", []), content_type="application/rss+xml")
    site.set("/two.xml", site_kit.rss("Two", []), content_type="application/rss+xml")
    file = tmp_path / "sources.toml"
    one = f'[settings]\ndelay = "0s"\n\n[sources.one]\nkind = "rss"\nurl = "{site.url("/one.xml")}"\nevery = "200ms"\n'
    file.write_text(one, encoding="utf-8")
    db = tmp_path / "s.db"
    stop = threading.Event()

    def edit() -> None:
        file.write_text(one + "[sources.two\n", encoding="utf-8")  # a slip while editing: ignored
        time.sleep(0.4)
        file.write_text(one + f'\n[sources.two]\nkind = "rss"\nurl = "{site.url("/two.xml")}"\n', encoding="utf-8")

    with SQLiteStore(db) as store, WatchState(db) as state:
        watcher = Watcher(load_sources(file), store, state, stop=stop)
        threading.Timer(0.3, edit).start()
        threading.Timer(3.0, stop.set).start()
        polls = watcher.run()
        watcher.close()
    names = [p.source for p in polls]
    assert names.count("two") == 1 and names.count("one") >= 2
