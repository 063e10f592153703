"""``sitrep watch`` killed during a poll, or stopped by SIGTERM, then started again, ends with the same
store as a run that was never interrupted. The watcher runs as a real process (``python -m sitrep``)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sources_site as site_kit
from sitrep.cli import main
from sources_site import Site
from test_sources_watch import BY_LANG, documents, publish_articles, records, slug, write_sources

SETTINGS = '[settings]\ndelay = "0s"\ntimeout = "60s"\n'  # nothing here is about timeouts

pytestmark = pytest.mark.slow

ARTICLES = BY_LANG["en"][:5] + BY_LANG["fr"][:4]


@pytest.fixture
def site() -> Iterator[Site]:
    yield from site_kit.serve()


@pytest.fixture
def setup(site: Site, gaz_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SITREP_SOURCES", raising=False)
    monkeypatch.delenv("SITREP_DB", raising=False)
    # article pages answer slowly, so that a poll lasts long enough to be cut
    publish_articles(site, "/news/", ARTICLES, delay=0.3)
    entries = [
        {"title": r["id"], "link": site.url(f"/news/{slug(r)}"), "date": r["date"], "summary": ""} for r in ARTICLES
    ]
    site.set("/rss.xml", site_kit.rss("Wire", entries), content_type="application/rss+xml")
    posts = [
        {"id": i + 1, "text": r["text"], "date": f"{r['date']}T06:00:00+00:00"} for i, r in enumerate(BY_LANG["ru"][:3])
    ]
    site.set("/s/channel", site_kit.telegram_preview("channel", "Канал", posts))
    return write_sources(tmp_path / "sources.toml", {
        "wire": {"kind": "rss", "url": site.url("/rss.xml")},
        "channel": {"kind": "telegram", "url": site.url("/s/channel")},
    }, SETTINGS)


def items(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT source, key, url, doc_id, content_key, status, records FROM source_items ORDER BY source, key"
        ).fetchall()


def start(sources: Path, db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sitrep", "watch", "--once", "--sources", str(sources), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_hits(site: Site, prefix: str, n: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while len(site.hits(prefix)) < n:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the watcher never reached the articles"
        time.sleep(0.02)


def reference(sources: Path, tmp_path: Path) -> Path:
    db = tmp_path / "uninterrupted.db"
    assert main(["watch", "--once", "--sources", str(sources), "--db", str(db)]) == 0
    return db


def test_killed_during_a_poll_and_restarted_ends_with_the_same_store(
    site: Site, setup: Path, tmp_path: Path
) -> None:
    expected = reference(setup, tmp_path)
    assert len(documents(expected)) == len(ARTICLES) + 3
    site.requests.clear()

    db = tmp_path / "killed.db"
    proc = start(setup, db)
    wait_for_hits(site, "/news/", 4, proc)  # the fourth article is being served
    proc.kill()  # SIGKILL: no chance to clean up
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    cut = documents(db)
    assert 0 < len(cut) < len(ARTICLES)  # the poll was cut short

    proc = start(setup, db)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert documents(db) == documents(expected)
    assert records(db) == records(expected)
    assert items(db) == items(expected)
    # what was stored before the kill is not fetched again; the article in hand at the kill is
    assert len(site.hits("/news/")) <= len(ARTICLES) + 1


def test_sigterm_stops_between_items_and_a_restart_goes_on(site: Site, setup: Path, tmp_path: Path) -> None:
    expected = reference(setup, tmp_path)
    site.requests.clear()

    db = tmp_path / "stopped.db"
    proc = start(setup, db)
    wait_for_hits(site, "/news/", 2, proc)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "SIGTERM: stopping after the item in hand" in err
    assert "stopped before the end of the poll" in err and "; stopped" in err
    stopped_at = documents(db)
    assert 0 < len(stopped_at) < len(ARTICLES)
    with sqlite3.connect(db) as conn:  # the cut poll is recorded as stopped, not as a failure
        assert conn.execute("SELECT ok, error FROM source_polls WHERE source = 'wire'").fetchall() == [(None, "stopped")]

    proc = start(setup, db)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert documents(db) == documents(expected)
    assert records(db) == records(expected)
    assert items(db) == items(expected)


def test_a_run_stopped_between_storing_and_linking_is_linked_on_restart(
    site: Site, setup: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window a kill can hit between a document's transaction and its incident links, made certain."""
    import sitrep.incidents.link as link

    expected = reference(setup, tmp_path)
    assert any(incident for *_, incident in records(expected))  # events are linked into incidents
    db = tmp_path / "cut.db"
    real = link.link_document
    calls = {"n": 0}

    def dies_on_the_third(store: Any, doc_id: str, **kw: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # as a process killed right after the document's transaction
        return real(store, doc_id, **kw)

    monkeypatch.setattr(link, "link_document", dies_on_the_third)
    assert main(["watch", "--once", "--sources", str(setup), "--db", str(db)]) == 130
    assert len(documents(db)) == 3
    monkeypatch.setattr(link, "link_document", real)
    assert main(["watch", "--once", "--sources", str(setup), "--db", str(db)]) == 0
    assert documents(db) == documents(expected)
    assert records(db) == records(expected)
    assert items(db) == items(expected)
