"""``sitrep watch`` against a news site on 127.0.0.1 (tests/sources_site.py), through the real pipeline.

Every source kind, two ``--once`` runs ingesting each item exactly once, the
failures real sites show (timeouts, 500s, broken XML, redirect loops, a feed
that stops, a page whose layout changes, an edited post), and their health.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sources_site as site_kit
from sitrep.cli import main
from sources_site import Site

pytestmark = pytest.mark.slow

REPORTS = site_kit.corpus_reports()
BY_LANG = {lang: [r for r in REPORTS if r["lang"] == lang] for lang in ("en", "fr", "uk", "ru")}


@pytest.fixture
def site() -> Iterator[Site]:
    yield from site_kit.serve()


@pytest.fixture
def env(gaz_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary directory; the place index is the session's, no sources file or store elsewhere is used."""
    monkeypatch.delenv("SITREP_SOURCES", raising=False)
    monkeypatch.delenv("SITREP_DB", raising=False)
    return tmp_path


# the timeout is short for the feed that never answers in time, long enough for the others on a busy machine
SETTINGS = """[settings]
delay = "0s"
timeout = "2s"
retries = 1
backoff = "0.05s"
min_silence = "1h"
"""


def write_sources(path: Path, sources: dict[str, dict[str, Any]], settings: str = SETTINGS) -> Path:
    lines = [settings]
    for name, table in sources.items():
        lines.append(f"[sources.{name}]")
        lines.extend(f"{k} = {json.dumps(v)}" for k, v in table.items())
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def slug(report: dict[str, Any]) -> str:
    return report["id"].lower()


def watch(sources: Path, db: Path, *more: str) -> int:
    return main(["watch", "--once", "--sources", str(sources), "--db", str(db), *more])


def documents(db: Path) -> list[dict[str, Any]]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute(
            "SELECT doc_id, text, date, lang, url, source, title, origin, content_hash FROM documents ORDER BY doc_id"
        ).fetchall()
        return [dict(r) for r in rows]


def records(db: Path) -> list[tuple[str, str, str, str | None]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT doc_id, event_id, json, incident_id FROM records ORDER BY event_id").fetchall()


def alerts(db: Path) -> list[tuple[str, str, str, str | None]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT source, kind, reason, cleared FROM source_alerts ORDER BY id").fetchall()


def publish_articles(site: Site, prefix: str, reports: list[dict[str, Any]], **options: Any) -> list[str]:
    urls = []
    for r in reports:
        urls.append(site.set(f"{prefix}{slug(r)}", site_kit.article(r["id"], r["text"], r["date"]), **options))
    return urls


def feed_entries(site: Site, prefix: str, reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"title": r["id"], "link": site.url(f"{prefix}{slug(r)}"), "date": r["date"], "summary": r["text"][:80]}
        for r in reports
    ]


def test_every_kind_is_ingested_once_and_exactly_once_across_runs(
    site: Site, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wire = BY_LANG["en"][:3] + BY_LANG["fr"][:2]
    publish_articles(site, "/news/", wire)
    site.set("/wire/rss.xml", site_kit.rss("Wire", feed_entries(site, "/news/", wire)),
             content_type="application/rss+xml")
    uk = BY_LANG["uk"][:3]
    publish_articles(site, "/uk/news/", uk)
    # the listing also links to an article the wire feed already gave: one document, not two
    links = [(f"/uk/news/{slug(r)}", r["id"]) for r in uk] + [(f"/news/{slug(wire[0])}", "from the wire")]
    site.set("/uk/news/", site_kit.listing(links))
    ru = BY_LANG["ru"][:3]
    posts = [
        {"id": 10 + i, "text": r["text"], "date": f"{r['date']}T08:00:00+00:00",
         "forwarded_from": "Минобороны России" if i == 1 else None}
        for i, r in enumerate(ru)
    ]
    site.set("/s/chan", site_kit.telegram_preview("chan", "Тестовый канал", posts))
    export = env / "exports" / "ChatExport_2023-03-01"
    export.mkdir(parents=True)
    uk_more = BY_LANG["uk"][3:5]
    messages = [
        {"id": 1, "date": f"{uk_more[0]['date']}T10:00:00", "text": uk_more[0]["text"]},
        # Telegram writes formatted text as a list of parts
        {"id": 2, "date": f"{uk_more[1]['date']}T11:00:00",
         "text": [{"type": "bold", "text": uk_more[1]["text"][:20]}, uk_more[1]["text"][20:]]},
        # the same text the channel posted: a duplicate by content
        {"id": 3, "date": "2023-03-01T12:00:00", "text": ru[0]["text"], "forwarded_from": "chan"},
    ]
    (export / "result.json").write_text(site_kit.telegram_export("Export channel", messages), encoding="utf-8")
    brief = BY_LANG["en"][3:4]
    site.set("/brief/rss.xml", site_kit.rss("Brief", [
        {"title": r["id"], "link": site.url(f"/brief/{slug(r)}"), "date": r["date"], "summary": r["text"]}
        for r in brief
    ]), content_type="application/rss+xml")

    sources = write_sources(env / "sources.toml", {
        "wire": {"kind": "rss", "url": site.url("/wire/rss.xml"), "outlet": "Wire"},
        "ukr": {"kind": "page", "url": site.url("/uk/news/"), "lang": "uk"},
        "chan": {"kind": "telegram", "url": site.url("/s/chan"), "lang": "ru"},
        "export": {"kind": "telegram-export", "path": str(env / "exports")},
        "brief": {"kind": "rss", "url": site.url("/brief/rss.xml"), "articles": False},
    })
    db = env / "store.db"
    assert watch(sources, db) == 0
    err = capsys.readouterr().err
    # a log line per source per poll
    for name, new in (("wire", 5), ("ukr", 3), ("chan", 3), ("export", 2), ("brief", 1)):
        assert f"sitrep: {name}: " in err and f"{new} new" in err.split(f"sitrep: {name}: ")[1].splitlines()[0]
    docs = documents(db)
    assert len(docs) == 5 + 3 + 3 + 2 + 1
    texts = {" ".join(d["text"].split()) for d in docs}
    for r in wire + uk + ru + uk_more + brief:
        assert any(" ".join(r["text"].split()) in t for t in texts), r["id"]
    by_url = {d["url"]: d for d in docs}
    assert by_url[site.url(f"/news/{slug(wire[0])}")]["source"] == "Wire"
    assert by_url[site.url(f"/news/{slug(wire[0])}")]["date"] == wire[0]["date"]
    forwarded = by_url["https://t.me/chan/11"]
    assert forwarded["source"] == "Тестовый канал" and forwarded["lang"] == "ru"
    assert "forwarded from Минобороны России" in forwarded["origin"]
    assert forwarded["date"] == ru[1]["date"]
    assert len(records(db)) >= len(docs)  # the pipeline ran: these reports hold events
    with sqlite3.connect(db) as conn:
        dup = conn.execute("SELECT duplicate_of FROM source_items WHERE source = 'export' AND status = 'duplicate'")
        assert dup.fetchall() == [("chan:chan/10",)]
        dup = conn.execute("SELECT duplicate_of FROM source_items WHERE source = 'ukr' AND status = 'duplicate'")
        assert dup.fetchall() == [(f"wire:{site.url('/news/' + slug(wire[0]))}",)]

    before, recs = documents(db), records(db)
    article_hits = len(site.hits("/news/")) + len(site.hits("/uk/news/"))
    assert watch(sources, db) == 0
    err = capsys.readouterr().err
    assert documents(db) == before and records(db) == recs
    assert "0 new item(s)" in err and "not modified" in err
    # the feeds and pages were asked conditionally and answered 304; no article page was fetched again
    assert site.hits("/wire/rss.xml")[-1][1].get("if-none-match")
    assert len(site.hits("/news/")) + len(site.hits("/uk/news/")) == article_hits + 1  # the listing only

    # something new is published: exactly that is ingested
    fresh = BY_LANG["en"][4]
    publish_articles(site, "/news/", [fresh])
    site.set("/wire/rss.xml", site_kit.rss("Wire", feed_entries(site, "/news/", [fresh, *wire])),
             content_type="application/rss+xml")
    posts.append({"id": 20, "text": BY_LANG["ru"][3]["text"], "date": "2023-03-02T08:00:00+00:00"})
    site.set("/s/chan", site_kit.telegram_preview("chan", "Тестовый канал", posts))
    assert watch(sources, db) == 0
    after = documents(db)
    assert len(after) == len(before) + 2
    assert {d["doc_id"] for d in before} < {d["doc_id"] for d in after}


def test_failing_and_silent_sources_are_reported_and_recover_without_loss(
    site: Site, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    en = BY_LANG["en"]
    site.set("/slow/rss.xml", site_kit.rss("Slow", []), delay=8.0, content_type="application/rss+xml")
    flaky = en[0:2]
    publish_articles(site, "/flaky/", flaky)
    site.set("/flaky/rss.xml", site_kit.rss("Flaky", feed_entries(site, "/flaky/", flaky)), fail_first=2)
    broken_reports = en[2:4]
    publish_articles(site, "/broken/", broken_reports)
    good_xml = site_kit.rss("Broken", feed_entries(site, "/broken/", broken_reports))
    site.set("/broken/rss.xml", good_xml[: len(good_xml) // 2])  # cut in the middle of an entry
    site.set("/loop/a", "", redirect=site.url("/loop/b"))
    site.set("/loop/b", "", redirect=site.url("/loop/a"))
    # a feed whose last item is three days old, after one an hour before that
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    stopped = en[4:9]
    site.set("/stopped/rss.xml", site_kit.rss("Stopped", [
        {"title": r["id"], "link": site.url(f"/stopped/{slug(r)}"),
         "date": (now - dt.timedelta(days=3, hours=i)).strftime("%Y-%m-%dT%H:%M"), "summary": r["text"]}
        for i, r in enumerate(stopped)
    ]), content_type="application/rss+xml")
    sources = write_sources(env / "sources.toml", {
        "slow": {"kind": "rss", "url": site.url("/slow/rss.xml")},
        "flaky": {"kind": "rss", "url": site.url("/flaky/rss.xml")},
        "broken": {"kind": "rss", "url": site.url("/broken/rss.xml")},
        "loop": {"kind": "rss", "url": site.url("/loop/a")},
        "stopped": {"kind": "rss", "url": site.url("/stopped/rss.xml"), "articles": False},
    })
    db = env / "store.db"
    assert watch(sources, db) == 1  # some polls failed
    capsys.readouterr()
    assert len(site.hits("/flaky/rss.xml")) == 2  # one retry
    assert len(documents(db)) == 5  # the stopped feed's items

    assert main(["sources", "status", "--sources", str(sources), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    status = _sections(out)
    assert "ALERT failing" in status["slow"] and "timed out" in status["slow"]
    assert "ALERT failing" in status["flaky"] and "HTTP 500" in status["flaky"]
    assert "ALERT failing" in status["broken"] and "not a well-formed RSS or Atom feed at line 1" in status["broken"]
    assert "ALERT failing" in status["loop"] and "redirect loop" in status["loop"]
    assert "ALERT silent" in status["stopped"] and "no new item for 3.0 days; usually one every 1.0 h" in status[
        "stopped"]
    assert "ALERT failing" not in status["stopped"]

    assert main(["sources", "check", "--sources", str(sources), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.count("ALERT") == 5
    assert {(s, k) for s, k, _, cleared in alerts(db) if cleared is None} == {
        ("slow", "failing"), ("flaky", "failing"), ("broken", "failing"), ("loop", "failing"), ("stopped", "silent")
    }

    # the flaky server recovers by itself; the broken feed is repaired
    site.set("/broken/rss.xml", good_xml)
    assert watch(sources, db) == 1  # slow and loop still fail
    docs = documents(db)
    assert len(docs) == 5 + 2 + 2
    assert {d["url"] for d in docs} >= {site.url(f"/flaky/{slug(r)}") for r in flaky} | {
        site.url(f"/broken/{slug(r)}") for r in broken_reports
    }
    assert main(["sources", "status", "--sources", str(sources), "--db", str(db), "--format", "json"]) == 0
    by_name = {s["name"]: s for s in json.loads(capsys.readouterr().out)}
    assert by_name["flaky"]["alerts"] == {} and by_name["broken"]["alerts"] == {}
    assert by_name["flaky"]["consecutive_failures"] == 0 and by_name["flaky"]["last_success"]
    assert by_name["slow"]["consecutive_failures"] == 2
    assert set(by_name["stopped"]["alerts"]) == {"silent"}
    assert by_name["stopped"]["usual_gap_h"] == 1.0
    cleared = {(s, k) for s, k, _, c in alerts(db) if c is not None}
    assert cleared == {("flaky", "failing"), ("broken", "failing")}


def _sections(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    name = ""
    for line in text.splitlines():
        if not line.startswith(" "):
            name = line.split(" ", 1)[0]
        out[name] = out.get(name, "") + line + "\n"
    return out


def test_a_page_whose_layout_changes_raises_an_alert_and_loses_nothing(
    site: Site, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fr = BY_LANG["fr"]
    first, later = fr[0:2], fr[2:4]
    publish_articles(site, "/actu/", first)
    site.set("/actu/", site_kit.listing([(f"/actu/{slug(r)}", r["id"]) for r in first]))
    sources = write_sources(env / "sources.toml", {"actu": {"kind": "page", "url": site.url("/actu/"), "lang": "fr"}})
    db = env / "store.db"
    assert watch(sources, db) == 0
    assert len(documents(db)) == 2

    # the redesign: new articles are drawn by a script, their HTML holds no text
    for r in later:
        site.set(f"/actu/{slug(r)}", site_kit.empty_article(r["id"]))
    site.set("/actu/", site_kit.listing([(f"/actu/{slug(r)}", r["id"]) for r in later + first]))
    assert watch(sources, db) == 0
    assert "2 without text" in capsys.readouterr().err
    assert len(documents(db)) == 2
    assert main(["sources", "check", "--sources", str(sources), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "ALERT actu no-text: 2 of the 2 item(s) read at" in err and "layout" in err

    # the listing itself changes: no article links left
    site.set("/actu/", "<html><body><div id='app'></div></body></html>")
    assert watch(sources, db) == 1
    assert "no article links on the listing page" in capsys.readouterr().err

    # the site is fixed: the articles missed are read now
    publish_articles(site, "/actu/", later)
    site.set("/actu/", site_kit.listing([(f"/actu/{slug(r)}", r["id"]) for r in later + first]))
    assert watch(sources, db) == 0
    assert len(documents(db)) == 4
    assert main(["sources", "check", "--sources", str(sources), "--db", str(db)]) == 0
    assert {k for s, k, _, c in alerts(db) if c is None} == set()


def test_an_edited_post_replaces_its_earlier_version(site: Site, env: Path) -> None:
    uk = BY_LANG["uk"]
    posts = [{"id": i + 1, "text": r["text"], "date": f"{r['date']}T07:00:00+00:00"} for i, r in enumerate(uk[:2])]
    site.set("/s/uanews", site_kit.telegram_preview("uanews", "Канал", posts))
    sources = write_sources(env / "sources.toml", {"uanews": {"kind": "telegram", "url": site.url("/s/uanews")}})
    db = env / "store.db"
    assert watch(sources, db) == 0
    before = {d["url"]: d for d in documents(db)}
    edited_text = uk[2]["text"]
    posts[1] = {**posts[1], "text": edited_text, "edited": True}
    site.set("/s/uanews", site_kit.telegram_preview("uanews", "Канал", posts))
    assert watch(sources, db) == 0
    after = {d["url"]: d for d in documents(db)}
    assert after.keys() == before.keys()  # replaced, not added
    assert after["https://t.me/uanews/1"] == before["https://t.me/uanews/1"]
    assert after["https://t.me/uanews/2"]["doc_id"] == before["https://t.me/uanews/2"]["doc_id"]
    assert " ".join(edited_text.split()) in " ".join(after["https://t.me/uanews/2"]["text"].split())
    doc_ids = {doc_id for doc_id, _, _, _ in records(db)}
    assert doc_ids <= {d["doc_id"] for d in after.values()}
    # the records of the earlier version are gone: each record's text comes from the edited one
    old_records = [j for d, _, j, _ in records(db) if d == before["https://t.me/uanews/2"]["doc_id"]]
    assert old_records
    assert all(json.loads(j)["evidence"][0]["sentence"] in after["https://t.me/uanews/2"]["text"] for j in old_records)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT versions FROM source_items WHERE key = 'uanews/2'").fetchone() == (2,)


def test_a_channel_read_after_a_pause_is_caught_up_from_its_earlier_pages(site: Site, env: Path) -> None:
    texts = [r["text"] for r in REPORTS[:26]]
    posts = [{"id": i + 1, "text": t, "date": f"2023-03-{1 + i % 28:02d}T08:00:00+00:00"} for i, t in enumerate(texts)]
    site.set("/s/frontline", site_kit.telegram_preview("frontline", "Front", posts[:4]))
    sources = write_sources(env / "sources.toml", {"frontline": {"kind": "telegram", "url": site.url("/s/frontline")}})
    db = env / "store.db"
    assert watch(sources, db) == 0
    assert len(documents(db)) == 4
    # 22 posts later the preview shows the newest 20 (7-26); 5 and 6 are on the page before
    site.set("/s/frontline", site_kit.telegram_preview("frontline", "Front", posts[6:]))
    site.set("/s/frontline?before=7", site_kit.telegram_preview("frontline", "Front", posts[:6]))
    assert watch(sources, db) == 0
    assert len(documents(db)) == 26
    assert {d["url"] for d in documents(db)} == {f"https://t.me/frontline/{i}" for i in range(1, 27)}
    assert [p for p, _ in site.hits("/s/frontline")] == ["/s/frontline", "/s/frontline", "/s/frontline?before=7"]
