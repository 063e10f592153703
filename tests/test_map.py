"""The map page in Debian's Chromium, driven by Playwright, against ``sitrep serve`` on loopback.

The store holds the project's example report, ingested with the real pipeline. The test loads
the page, finds the report's events on the map, filters them, opens a record and its report,
reloads a shared URL, and saves screenshots under ``reports/`` (a CI artefact).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from serverkit import ROOT, running_server

CHROMIUM = Path("/usr/bin/chromium")
EXAMPLE = "000_483b72b96b9df30c.txt"
REPORTS = ROOT / "reports"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def example() -> Path:
    """``../shared/examples/…`` beside the repository (or beside the folder of its worktrees)."""
    for shared in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        if (shared / "examples" / EXAMPLE).exists():
            return shared / "examples" / EXAMPLE
    raise AssertionError(f"{EXAMPLE} not found in ../shared/examples/")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, gaz_path: Path) -> Iterator[str]:
    db = tmp_path_factory.mktemp("map") / "store.db"
    env = {**os.environ, "SITREP_CACHE": str(gaz_path.parent)}
    done = subprocess.run(
        [sys.executable, "-m", "sitrep", "ingest", "--db", str(db), str(example())],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    with running_server(db, cache=gaz_path.parent) as base:
        yield base


@pytest.mark.slow
def test_the_map_shows_filters_and_opens_the_example_reports_events(site: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    assert CHROMIUM.exists(), "Debian's chromium is needed: apt-get install -y chromium"
    located = httpx.get(f"{site}/api/events.geojson", params={"kind": "event"}).json()["features"]
    assert len(located) >= 5
    REPORTS.mkdir(exist_ok=True)
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        browser = pw.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=ARGS,
            viewport={"width": 1280, "height": 800},
        )
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
            page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status}: {r.url}"))
            page.goto(site)

            # the report's events, all in view over Ukraine
            status = page.locator("#status")
            expect(status).to_have_text(f"{len(located)} events in view", timeout=20_000)
            markers = page.locator(".ev-marker")
            assert markers.count() >= 3
            shelling = page.locator(".ev-marker[data-type='Explosions/Remote violence']")
            assert shelling.count() >= 1
            expect(page.locator(".oblast-label").first).to_be_visible()
            page.screenshot(path=str(REPORTS / "map.png"))

            # a type filter takes the shelling away and goes into the URL
            page.get_by_label("Explosions/Remote violence").uncheck()
            expect(shelling).to_have_count(0)
            expect(status).not_to_have_text(f"{len(located)} events in view")
            assert "type=Battles" in page.url
            page.get_by_label("Explosions/Remote violence").check()
            expect(status).to_have_text(f"{len(located)} events in view")

            # an actor filter leaves the attack on civilians in Pokrovsk
            page.fill("#actor", "civilians")
            expect(status).to_have_text("1 event in view")
            assert "actor=civilians" in page.url
            page.locator(".ev-marker[data-event]").click()
            popup = page.locator("[data-event-popup]")
            expect(popup).to_contain_text("Shelling/artillery/missile attack")
            expect(popup).to_contain_text("Pokrovsk")
            expect(popup.locator(".nums")).to_contain_text("killed 3")
            expect(popup.locator(".nums")).to_contain_text("injured 11")
            expect(popup).to_contain_text("Pavlo Kyrylenko")
            expect(popup).to_contain_text("unverified")
            expect(popup.locator("blockquote mark")).to_have_text("détruit")
            page.screenshot(path=str(REPORTS / "map-popup.png"))
            assert "event=" in page.url

            # the full report with its other records
            popup.locator("[data-doc]").click()
            expect(page.locator("#doc")).to_contain_text("10 records")
            expect(page.locator("#doc .text")).to_contain_text("Pokrovsk")
            shared_url = page.url
            assert "doc=" in shared_url

            # a shared URL opens the same view: filters, record and report
            other = browser.new_page()
            other.goto(shared_url)
            expect(other.locator("#status")).to_have_text("1 event in view", timeout=20_000)
            expect(other.locator("#actor")).to_have_value("civilians")
            expect(other.locator("[data-event-popup]")).to_contain_text("Pokrovsk")
            expect(other.locator("#doc")).to_contain_text("10 records")

            # a date range from the URL sets the sliders and the queries; the report's events are dated
            # to the month (2023-02), so they overlap any day of it and stay on the map
            other.goto(f"{site}/?from=2023-02-10&to=2023-02-20")
            expect(other.locator("#from-label")).to_have_text("2023-02-10")
            expect(other.locator("#to-label")).to_have_text("2023-02-20")
            expect(other.locator("#status")).to_have_text(f"{len(located)} events in view", timeout=20_000)
            href = other.locator("#csv").get_attribute("href") or ""
            assert "since=2023-02-10" in href and "until=2023-02-20" in href
            assert errors == [], errors
        finally:
            browser.close()
