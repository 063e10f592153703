"""The readers of feeds, listing pages, Telegram previews and exports, and the polite fetcher, on
inputs written here and a server on 127.0.0.1. No pipeline, no gazetteer: these are quick."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import sources_site as site_kit
from sitrep.errors import FetchError, SourcesError
from sitrep.sources import items as readers
from sitrep.sources.fetch import Fetcher, Stopped
from sources_site import Site


@pytest.fixture
def site() -> Iterator[Site]:
    yield from site_kit.serve()


def test_an_entry_keeps_the_date_of_its_publisher() -> None:
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a</title>'
        b"<link>http://x/a-b-c</link><pubDate>Thu, 16 Feb 2023 01:30:00 +0200</pubDate></item></channel></rss>"
    )
    (item,) = readers.read_feed("http://x/rss", feed, articles=False)
    assert item.published == "2023-02-16T01:30:00+02:00" and item.date == "2023-02-16"  # 2023-02-15 in UTC
    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><entry><title>a</title>'
        b'<link href="http://x/a-b-c"/><id>1</id><updated>2023-02-16T00:10:00+03:00</updated></entry></feed>'
    )
    (item,) = readers.read_feed("http://x/atom", atom, articles=False)
    assert item.published == "2023-02-16T00:10:00+03:00"


def test_feed_entries_with_dates_and_canonical_addresses() -> None:
    feed = site_kit.rss("Wire", [
        {"title": "A", "link": "http://News.example/a-b-c?utm_source=x&id=3#top", "date": "2023-02-16T10:00",
         "summary": "<p>First paragraph.</p><p>Second&nbsp;one.</p>"},
    ])
    (item,) = readers.read_feed("http://news.example/rss", feed.encode(), articles=True)
    assert item.key == item.url == "http://news.example/a-b-c?id=3"
    assert item.published == "2023-02-16T10:00:00Z" and item.date == "2023-02-16"
    assert item.text == "First paragraph.\n\nSecond one." and item.needs_page and item.channel == "Wire"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'<?xml version="1.0"?><rss><channel><title>x</title><item><title>a</title>'
         b"<link>http://x/a-b-c</link></item><item><title>b</ti", "not a well-formed RSS or Atom feed at line 1"),
        (b"<html><body><p>Our news</p></body></html>", "not an RSS or Atom feed"),
        (b"  ", "empty answer"),
    ],
)
def test_a_broken_feed_is_an_error_saying_where(body: bytes, message: str) -> None:
    with pytest.raises(SourcesError, match=message):
        readers.read_feed("http://x/rss", body, articles=True)


def test_an_undefined_entity_is_read_leniently() -> None:
    body = b'<?xml version="1.0"?><rss><channel><title>x</title><item><title>a&nbsp;b</title><link>http://x/a-b-c</link></item></channel></rss>'
    (item,) = readers.read_feed("http://x/rss", body, articles=False)
    assert item.title == "a b" and not item.needs_page


def test_listing_links_to_articles_not_navigation() -> None:
    page = site_kit.listing([
        ("/news/2023/02/16/russian-strike-hits-kherson", "Strike"),
        ("https://other.example/news/some-long-slug-here", "elsewhere"),
        ("/news/12345", "by number"),
    ])
    found = [i.url for i in readers.read_listing("http://news.example/news/", page.encode(), links=None)]
    assert found == ["http://news.example/news/2023/02/16/russian-strike-hits-kherson", "http://news.example/news/12345"]
    found = [i.url for i in readers.read_listing("http://news.example/news/", page.encode(), links=r"other\.example")]
    assert found == ["https://other.example/news/some-long-slug-here"]


def test_telegram_preview_posts_with_date_channel_forwarding_and_edits() -> None:
    page = site_kit.telegram_preview("rybar", "Рыбарь", [
        {"id": 7, "text": "Второй\nпост", "date": "2023-02-16T08:00:00+03:00", "forwarded_from": "Минобороны России",
         "edited": True},
        {"id": 6, "text": "Первый", "date": "2023-02-15T23:30:00+00:00"},
    ])
    posts, lowest = readers.read_telegram_preview("https://t.me/s/rybar", page.encode())
    assert lowest == 6
    assert [p.key for p in posts] == ["rybar/6", "rybar/7"]
    first, second = posts
    assert (first.text, first.published, first.channel, first.forwarded_from, first.edited) == (
        "Первый", "2023-02-15T23:30:00Z", "Рыбарь", None, False)
    assert (second.text, second.published, second.forwarded_from, second.edited, second.url) == (
        "Второй\nпост", "2023-02-16T08:00:00+03:00", "Минобороны России", True, "https://t.me/rybar/7")


def test_telegram_export_messages(tmp_path: Path) -> None:
    folder = tmp_path / "ChatExport_2023-02-16"
    folder.mkdir()
    (folder / "result.json").write_text(site_kit.telegram_export("Генштаб", [
        {"id": 5, "date": "2023-02-16T09:30:00", "text": [{"type": "bold", "text": "Увага! "}, "Обстріл."]},
        {"id": 6, "date": "2023-02-16T10:00:00", "text": "", },
        {"id": 7, "date": "2023-02-16T11:00:00", "text": "Переслано.", "forwarded_from": "Повітряні сили"},
    ]), encoding="utf-8")
    (file,) = readers.export_files(tmp_path)
    got = list(readers.read_telegram_export(file))
    assert [(i.key, i.text, i.published, i.channel, i.forwarded_from) for i in got] == [
        ("1001/5", "Увага! Обстріл.", "2023-02-16T09:30:00Z", "Генштаб", None),
        ("1001/7", "Переслано.", "2023-02-16T11:00:00Z", "Генштаб", "Повітряні сили"),
    ]
    (folder / "result.json").write_text('{"messages": [\n{"id": 1,,}]}', encoding="utf-8")
    with pytest.raises(SourcesError, match=r"result\.json:2: not valid JSON"):
        list(readers.read_telegram_export(folder / "result.json"))
    with pytest.raises(SourcesError, match="no such folder"):
        readers.export_files(tmp_path / "missing")


def test_the_same_report_copied_has_one_content_key() -> None:
    assert readers.content_key("Russian  forces\nshelled Kherson.") == readers.content_key("russian forces shelled kherson.")
    assert readers.content_key("a") != readers.content_key("b")


# -- the fetcher -----------------------------------------------------------------------


def test_user_agent_and_conditional_requests(site: Site) -> None:
    url = site.set("/feed", "<rss/>", content_type="application/rss+xml")
    fetcher = Fetcher(user_agent="sitrep/9 (+test)", delay=0, retries=0)
    first = fetcher.get(url)
    assert first.status == 200 and first.etag
    again = fetcher.get(url, etag=first.etag)
    assert again.not_modified and again.body == b""
    assert [h["user-agent"] for _, h in site.hits("/feed")] == ["sitrep/9 (+test)"] * 2
    assert site.hits("/feed")[1][1]["if-none-match"] == first.etag


def test_a_host_is_asked_no_more_often_than_the_delay(site: Site) -> None:
    site.set("/a", "a")
    site.set("/b", "b")
    fetcher = Fetcher(user_agent="sitrep", delay=1.5, retries=0)
    start = time.monotonic()
    fetcher.get(site.url("/a"))
    fetcher.get(site.url("/b"))
    assert time.monotonic() - start >= 1.5
    start = time.monotonic()
    fetcher.get(f"http://localhost:{site.port}/a")  # another host name: not held back
    assert time.monotonic() - start < 1.5


def test_retries_with_backoff_then_success_and_no_retry_on_404(site: Site) -> None:
    url = site.set("/flaky", "ok", fail_first=2)
    fetcher = Fetcher(user_agent="sitrep", delay=0, retries=2, backoff=0.1)
    start = time.monotonic()
    assert fetcher.get(url).body == b"ok"
    assert time.monotonic() - start >= 0.1 + 0.2 and len(site.hits("/flaky")) == 3
    with pytest.raises(FetchError, match="HTTP 404") as e:
        fetcher.get(site.url("/missing"))
    assert not e.value.transient and len(site.hits("/missing")) == 1


def test_timeouts_and_redirect_loops(site: Site) -> None:
    slow = site.set("/slow", "late", delay=3)
    site.set("/loop1", "", redirect=site.url("/loop2"))
    site.set("/loop2", "", redirect=site.url("/loop1"))
    with pytest.raises(FetchError, match="timed out"):
        Fetcher(user_agent="sitrep", delay=0, retries=0, timeout=0.3).get(slow)
    with pytest.raises(FetchError, match="redirect loop") as e:
        Fetcher(user_agent="sitrep", delay=0, retries=0, timeout=30).get(site.url("/loop1"))
    assert not e.value.transient


def test_a_stop_request_ends_a_wait(site: Site) -> None:
    url = site.set("/down", "x", fail_first=5)
    stop = threading.Event()
    fetcher = Fetcher(user_agent="sitrep", delay=0, retries=3, backoff=30, stop=stop)
    threading.Timer(0.2, stop.set).start()
    start = time.monotonic()
    with pytest.raises(Stopped):
        fetcher.get(url)
    assert time.monotonic() - start < 5


def test_posts_without_text_are_skipped_unless_every_post_lacks_it() -> None:
    posts = [
        {"id": 1, "text": "", "date": "2023-02-16T08:00:00+00:00"},
        {"id": 2, "text": "Обстріл", "date": "2023-02-16T09:00:00+00:00"},
    ]
    got, _ = readers.read_telegram_preview("https://t.me/s/chan1", site_kit.telegram_preview("chan1", "C", posts).encode())
    assert [p.key for p in got] == ["chan1/2"]
    posts[1]["text"] = ""
    got, _ = readers.read_telegram_preview("https://t.me/s/chan1", site_kit.telegram_preview("chan1", "C", posts).encode())
    assert [(p.key, p.text) for p in got] == [("chan1/1", ""), ("chan1/2", "")]
