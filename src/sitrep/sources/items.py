"""What a source gives: :class:`Item` values, read from a feed, a listing page, an article page,
a Telegram channel's web preview or a Telegram Desktop export.

Every reader is a plain function of the bytes fetched (or the file read); none
does any I/O itself, so each can be tested on a string. A reader raises
:class:`~sitrep.errors.SourcesError` when the input is not what the kind expects
(broken XML, an export that is not JSON), saying where.
"""

from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import hashlib
import json
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from sitrep.errors import SourcesError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """One report a source offers."""

    key: str  # its identity in the source: the article's address, or channel/post for Telegram
    url: str | None = None
    title: str | None = None
    text: str = ""  # empty when the text is still to be fetched from ``url`` (``needs_page``)
    published: str | None = None  # ISO 8601, in the publisher's offset
    channel: str | None = None
    forwarded_from: str | None = None
    edited: bool = False
    needs_page: bool = False  # the text comes from the article page at ``url``

    @property
    def date(self) -> str | None:
        """The report date (``YYYY-MM-DD``) of :class:`~sitrep.model.Document`."""
        return self.published[:10] if self.published else None


def content_key(text: str) -> str:
    """A digest of ``text`` that ignores white space and case: the same report copied twice has one key."""
    folded = " ".join(text.split()).casefold()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|ref|at_\w+)$", re.I)


def canonical_url(url: str) -> str:
    """``url`` without its fragment and tracking parameters, host in lower case: one article, one address."""
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def _iso(value: dt.datetime) -> str:
    """ISO 8601 in the publisher's own offset (UTC when it gives none): the date a report carries is
    the date where it was written, which is what "yesterday" in its text counts from."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    text = value.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _entry_published(entry: Any) -> str | None:
    for field_ in ("published", "updated"):
        raw = entry.get(field_)
        if not raw:
            continue
        try:
            return _iso(email.utils.parsedate_to_datetime(raw))  # RSS: RFC 822
        except (TypeError, ValueError):
            pass
        try:
            return _iso(dt.datetime.fromisoformat(raw.replace("Z", "+00:00")))  # Atom: RFC 3339
        except ValueError:
            pass
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")  # feedparser's reading, in UTC
    return _iso(dt.datetime.fromtimestamp(calendar.timegm(stamp), dt.UTC)) if stamp else None


# -- RSS and Atom ----------------------------------------------------------------


def read_feed(url: str, body: bytes, *, articles: bool) -> list[Item]:
    """The entries of an RSS or Atom feed, newest first as the feed gives them."""
    import feedparser

    if not body.strip():
        raise SourcesError(f"{url}: empty answer where an RSS or Atom feed was expected")
    parsed = feedparser.parse(body)
    error = parsed.get("bozo_exception") if parsed.bozo else None
    if error is not None and (not parsed.entries or _broken(error)):
        line = getattr(error, "getLineNumber", lambda: None)()
        column = getattr(error, "getColumnNumber", lambda: None)()
        where = f" at line {line}, column {column}" if line else ""
        message = getattr(error, "getMessage", lambda: str(error))()
        raise SourcesError(f"{url}: not a well-formed RSS or Atom feed{where}: {message}")
    if not parsed.entries and not parsed.feed.get("title") and not parsed.get("version"):
        raise SourcesError(f"{url}: not an RSS or Atom feed (no channel, no entries)")
    if parsed.bozo:
        log.warning("%s: malformed feed, read leniently: %s", url, parsed.get("bozo_exception"))
    items = []
    for entry in parsed.entries:
        link = entry.get("link")
        key = canonical_url(urljoin(url, link)) if link else str(entry.get("id") or "")
        if not key:
            continue
        published = _entry_published(entry)
        text = _entry_text(entry)
        items.append(
            Item(
                key=key,
                url=canonical_url(urljoin(url, link)) if link else None,
                title=_clean(entry.get("title")),
                text=text,
                published=published,
                channel=_clean(parsed.feed.get("title")),
                needs_page=bool(articles and link),
            )
        )
    return items


def _broken(error: BaseException) -> bool:
    """True for XML errors that cut entries short (a truncated or garbled feed); an undefined entity
    (``&nbsp;`` in RSS, common on real sites) or a wrong declared encoding is read leniently."""
    if type(error).__name__ != "SAXParseException":
        return False
    return "undefined entity" not in str(error)


def _entry_text(entry: Any) -> str:
    parts = [c.get("value", "") for c in entry.get("content", [])] or [entry.get("summary", "")]
    return "\n\n".join(t for t in (html_text(p) for p in parts) if t)


def html_text(fragment: str) -> str:
    """The text of an HTML fragment, paragraphs kept apart."""
    if "<" not in fragment:
        return _clean(fragment) or ""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several unrelated types on junk markup
        return _clean(re.sub(r"<[^>]+>", " ", fragment)) or ""
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter("p", "div", "li", "blockquote", "h1", "h2", "h3", "h4"):
        block.tail = "\n\n" + (block.tail or "")
    return _clean(root.text_content()) or ""


def _clean(value: object) -> str | None:
    if not value:
        return None
    lines = [" ".join(line.split()) for line in str(value).splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text or None


# -- web pages -------------------------------------------------------------------

_SLUG = re.compile(r"[\w%]+(?:-[\w%]+){2,}|\d{4,}")


def read_listing(url: str, body: bytes, *, links: str | None) -> list[Item]:
    """The article links of a page listing articles, in page order.

    With ``links`` (a regular expression), the addresses that match it;
    otherwise the links to the same site whose last path segment looks like an
    article (a slug of three words or more, or a number of four digits or more).
    """
    import lxml.html

    try:
        root = lxml.html.document_fromstring(body)
    except Exception as e:  # lxml's parser errors share no base class worth naming
        raise SourcesError(f"{url}: not an HTML page: {e}") from e
    host = urlsplit(url).netloc.lower()
    pattern = re.compile(links) if links else None
    seen: set[str] = set()
    items = []
    for a in root.iter("a"):
        href = a.get("href")
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            continue
        target = canonical_url(urljoin(url, href))
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or target == canonical_url(url) or target in seen:
            continue
        if pattern is not None:
            if not pattern.search(target):
                continue
        elif parts.netloc != host or not _SLUG.search(parts.path.rstrip("/").rsplit("/", 1)[-1]):
            continue
        seen.add(target)
        items.append(Item(key=target, url=target, title=_clean(a.text_content()), needs_page=True))
    return items


@dataclass(frozen=True, slots=True)
class Article:
    text: str  # empty when trafilatura finds none
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD
    site: str | None = None  # the site's own name (og:site_name), when it gives one


def read_article(url: str, body: bytes) -> Article:
    """The text, title, publication date and site name of an article page, by trafilatura (which also
    finds the page's encoding: the bytes are handed over as they came)."""
    import trafilatura

    doc = trafilatura.bare_extraction(body, url=url, with_metadata=True, include_comments=False)
    if doc is None:
        return Article("")
    data = doc if isinstance(doc, dict) else doc.as_dict()
    date = data.get("date")
    site = _clean(data.get("sitename"))
    return Article(
        _clean(data.get("text")) or "",
        _clean(data.get("title")),
        date if isinstance(date, str) and date else None,
        site if site and site != urlsplit(url).hostname else None,
    )


def is_html(content_type: str) -> bool:
    """True for an HTML page (or a server that does not say)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    return not kind or kind in ("text/html", "application/xhtml+xml", "text/plain")


# -- Telegram: a public channel's web preview (t.me/s/NAME) ----------------------------


def read_telegram_preview(url: str, body: bytes) -> tuple[list[Item], int | None]:
    """The posts of a channel preview page, oldest first, and the smallest post number on the page
    (for ``?before=`` to read the page before).

    A post is a ``div.tgme_widget_message`` with ``data-post="channel/number"``;
    its text is ``.tgme_widget_message_text``, its date the ``datetime`` of the
    ``time`` in ``.tgme_widget_message_date``, its forwarding source
    ``.tgme_widget_message_forwarded_from_name`` and an edited post says
    "edited" in ``.tgme_widget_message_meta``.
    """
    import lxml.html

    try:
        root = lxml.html.document_fromstring(body)
    except Exception as e:  # lxml's parser errors share no base class worth naming
        raise SourcesError(f"{url}: not an HTML page: {e}") from e
    title = _first_text(root, "tgme_channel_info_header_title")
    items = []
    lowest: int | None = None
    for post in root.xpath('//div[contains(concat(" ", @class, " "), " tgme_widget_message ")][@data-post]'):
        ref = post.get("data-post", "")
        channel, _, number = ref.rpartition("/")
        if not channel or not number.isdigit():
            continue
        lowest = int(number) if lowest is None else min(lowest, int(number))
        body_el = _by_class(post, "tgme_widget_message_text")
        text = html_text(lxml.html.tostring(body_el[0], encoding="unicode")) if body_el else ""
        stamp = post.xpath('.//*[contains(@class, "tgme_widget_message_date")]//time/@datetime')
        published = None
        if stamp:
            try:
                published = _iso(dt.datetime.fromisoformat(str(stamp[0])))
            except ValueError:
                log.warning("%s: post %s: unreadable date %r", url, ref, stamp[0])
        meta = " ".join(e.text_content() for e in _by_class(post, "tgme_widget_message_meta"))
        items.append(
            Item(
                key=f"{channel.lower()}/{number}",
                url=f"https://t.me/{channel}/{number}",
                text=text,
                published=published,
                channel=_first_text(post, "tgme_widget_message_owner_name") or title or channel,
                forwarded_from=_first_text(post, "tgme_widget_message_forwarded_from_name"),
                edited="edited" in meta.lower(),
            )
        )
    items.sort(key=lambda i: int(i.key.rsplit("/", 1)[1]))
    if any(i.text for i in items):
        items = [i for i in items if i.text]  # photo or video posts without a caption
    # else every post lacks text: kept, so that the watcher reports a layout it no longer reads
    return items, lowest


def _by_class(el: Any, name: str) -> list[Any]:
    return list(el.xpath(f'.//*[contains(concat(" ", normalize-space(@class), " "), " {name} ")]'))


def _first_text(el: Any, name: str) -> str | None:
    found = _by_class(el, name)
    return _clean(found[0].text_content()) if found else None


# -- Telegram Desktop exports (result.json) ---------------------------------------------


def export_files(folder: Path) -> list[Path]:
    """The ``result.json`` files under ``folder`` (Telegram Desktop writes one per export), oldest first."""
    if not folder.is_dir():
        raise SourcesError(f"{folder}: no such folder (a telegram-export source is the folder exports land in)")
    return sorted(folder.rglob("result.json"), key=lambda p: (p.stat().st_mtime, str(p)))


def read_telegram_export(path: Path) -> Iterator[Item]:
    """The text messages of one Telegram Desktop export (``result.json``)."""
    try:
        data = json.loads(path.read_bytes())
    except json.JSONDecodeError as e:
        raise SourcesError(f"{path}:{e.lineno}: not valid JSON: {e.msg}") from e
    except OSError as e:
        raise SourcesError(f"{path}: cannot read: {e.strerror or e}") from e
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise SourcesError(f"{path}: not a Telegram Desktop export (expected an object with \"messages\")")
    channel = str(data.get("name") or path.parent.name)
    chat = str(data.get("id") or channel)
    for message in data["messages"]:
        if not isinstance(message, dict) or message.get("type") != "message":
            continue
        text = _export_text(message.get("text"))
        if not text:
            continue
        published = None
        if message.get("date_unixtime"):
            published = _iso(dt.datetime.fromtimestamp(int(message["date_unixtime"]), dt.UTC))
        elif message.get("date"):
            published = _iso(dt.datetime.fromisoformat(str(message["date"])))
        yield Item(
            key=f"{chat}/{message.get('id')}",
            text=text,
            published=published,
            channel=channel,
            forwarded_from=message.get("forwarded_from"),
            edited=bool(message.get("edited")),
        )


def _export_text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return "".join(p if isinstance(p, str) else str(p.get("text", "")) for p in value).strip()
    return ""


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
