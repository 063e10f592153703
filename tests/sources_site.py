"""A news site on 127.0.0.1 for the live-source tests: feeds, article pages, a Telegram-preview-like
channel page, and the ways real sites misbehave (slow answers, 500s, broken XML, redirect loops).

The reports are the project's own corpus (``eval/corpus/<lang>/*.json``), so the
pipeline finds events in them. Everything is written here; nothing is fetched
from anywhere else.
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent.parent / "eval" / "corpus"


def corpus_reports() -> list[dict[str, Any]]:
    """The project's corpus reports, in a fixed order: {"id", "lang", "date", "text"}."""
    reports = []
    for path in sorted(CORPUS.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        reports.append({k: data[k] for k in ("id", "lang", "date", "text")})
    return reports


@dataclass
class Route:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0  # seconds before answering
    fail_first: int = 0  # answer 500 to this many requests first
    redirect: str | None = None
    validators: bool = True  # send an ETag and Last-Modified, answer 304 when they match


@dataclass
class Site:
    host: str = "127.0.0.1"
    port: int = 0
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def set(self, path: str, body: str | bytes, **options: Any) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        with self.lock:
            self.routes[path] = Route(data, **options)
        return self.url(path)

    def hits(self, prefix: str) -> list[tuple[str, dict[str, str]]]:
        with self.lock:
            return [r for r in self.requests if r[0].startswith(prefix)]


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            with site.lock:
                site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = site.routes.get(self.path)
                fail = route is not None and route.fail_first > 0
                if route is not None and fail:
                    route.fail_first -= 1
            if route is None:
                return self._send(404, b"not found", "text/plain")
            if route.delay:
                time.sleep(route.delay)
            if fail:
                return self._send(500, b"internal error", "text/plain")
            if route.redirect:
                self.send_response(302)
                self.send_header("Location", route.redirect)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
            if route.validators and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            extra = {"ETag": etag} if route.validators else {}
            self._send(route.status, route.body, route.content_type, extra)

        def _send(self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                pass

    return Handler


def serve() -> Iterator[Site]:
    """A running :class:`Site` on a free loopback port, stopped at the end (a pytest fixture body)."""
    site = Site()
    server = ThreadingHTTPServer((site.host, 0), _handler(site))
    server.daemon_threads = True
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


# -- what the site serves -----------------------------------------------------------------


def _rfc822(date: str, hour: int = 9) -> str:
    import datetime as dt

    day = dt.datetime.fromisoformat(date).replace(hour=hour, tzinfo=dt.UTC)
    return format_datetime(day)


def rss(title: str, entries: list[dict[str, Any]]) -> str:
    """An RSS 2.0 feed; each entry has "title", "link", "date" (YYYY-MM-DD[THH:MM]) and "summary"."""
    items = []
    for e in entries:
        date = e["date"]
        hour = int(date[11:13]) if len(date) > 10 else 9
        items.append(
            f"<item><title>{html.escape(e['title'])}</title><link>{html.escape(e['link'])}</link>"
            f"<guid>{html.escape(e['link'])}</guid><pubDate>{_rfc822(date[:10], hour)}</pubDate>"
            f"<description>{html.escape(e.get('summary', ''))}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{html.escape(title)}</title><link>http://example.invalid/</link>"
        f"<description>test feed</description>{''.join(items)}</channel></rss>"
    )


def article(title: str, text: str, date: str) -> str:
    """An article page as news sites write them: navigation, the article with its date, a footer."""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta property="og:title" content="{html.escape(title)}">
<meta property="article:published_time" content="{date}T09:00:00+00:00"></head>
<body><header><nav><a href="/">Home</a> <a href="/news/">News</a> <a href="/about">About us</a></nav></header>
<main><article><h1>{html.escape(title)}</h1><time datetime="{date}">{date}</time>{paragraphs}</article></main>
<footer><p>Copyright Test News. All rights reserved.</p></footer></body></html>"""


def empty_article(title: str) -> str:
    """The same site after a redesign: the article is drawn by a script, the HTML holds no text."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>
<body><div id="app"></div><script>window.__DATA__ = {{"id": 1}};</script></body></html>"""


def listing(links: list[tuple[str, str]]) -> str:
    anchors = "".join(f'<li><a href="{href}">{html.escape(t)}</a></li>' for href, t in links)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>News</title></head><body>
<nav><a href="/">Home</a> <a href="/about">About</a> <a href="/contact-us">Contact</a></nav>
<ul class="news">{anchors}</ul></body></html>"""


def telegram_preview(channel: str, title: str, posts: list[dict[str, Any]]) -> str:
    """A page shaped like t.me/s/CHANNEL; each post has "id", "text", "date" (ISO), and optionally
    "forwarded_from" and "edited"."""
    blocks = []
    for p in posts:
        text = html.escape(p["text"]).replace("\n", "<br/>")
        forwarded = (
            f'<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from '
            f'<a class="tgme_widget_message_forwarded_from_name" href="https://t.me/x">'
            f"<span>{html.escape(p['forwarded_from'])}</span></a></div>"
            if p.get("forwarded_from")
            else ""
        )
        edited = '<span class="tgme_widget_message_meta_edited">edited</span>' if p.get("edited") else ""
        blocks.append(
            f"""<div class="tgme_widget_message_wrap js-widget_message_wrap">
<div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="{channel}/{p["id"]}">
<div class="tgme_widget_message_bubble">{forwarded}
<div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="https://t.me/{channel}"><span dir="auto">{html.escape(title)}</span></a></div>
<div class="tgme_widget_message_text js-message_text" dir="auto">{text}</div>
<div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short js-message_info">
<span class="tgme_widget_message_views">1.2K</span><span class="tgme_widget_message_meta">{edited}<a class="tgme_widget_message_date" href="https://t.me/{channel}/{p["id"]}"><time datetime="{p["date"]}" class="time">09:00</time></a></span>
</div></div></div></div></div>"""
        )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)} – Telegram</title></head>
<body><header class="tgme_header"><div class="tgme_channel_info_header_title"><span dir="auto">{html.escape(title)}</span></div></header>
<main><section class="tgme_channel_history js-message_history">{"".join(blocks)}</section></main></body></html>"""


def telegram_export(name: str, messages: list[dict[str, Any]]) -> str:
    """A Telegram Desktop ``result.json``; text given as Telegram writes it (a string or a list of parts)."""
    out = []
    for m in messages:
        out.append(
            {
                "id": m["id"],
                "type": "message",
                "date": m["date"],
                "date_unixtime": str(int(__import__("datetime").datetime.fromisoformat(m["date"] + "+00:00").timestamp())),
                "from": name,
                "from_id": "channel1",
                **({"forwarded_from": m["forwarded_from"]} if m.get("forwarded_from") else {}),
                "text": m["text"],
                "text_entities": [],
            }
        )
    out.insert(0, {"id": 0, "type": "service", "date": "2023-01-01T00:00:00", "action": "create_channel", "text": ""})
    return json.dumps({"name": name, "type": "public_channel", "id": 1001, "messages": out}, ensure_ascii=False, indent=1)
