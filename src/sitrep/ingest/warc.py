"""Web archives: WARC files of news pages (CC-NEWS) and WET files of their text, read into documents.

A WARC ``response`` record holding HTML becomes a document when trafilatura finds an article in
it: the article's text (the headline first, as trafilatura gives it), its title, its publication
date (else the day the page was fetched, ``WARC-Date``, which for a news crawl is within days of
it) and the page's URL. A WET ``conversion`` record is text already; its date is the fetch date.

Records that are not articles are skipped and counted, never taken for reports:

- responses that are not HTML (images, PDFs, feeds), or whose HTTP status is not 200;
- pages in which trafilatura finds no main text, or less than :data:`MIN_ARTICLE_CHARS`
  characters of it (index pages, galleries, cookie walls).

``request``, ``metadata``, ``warcinfo`` and ``revisit`` records carry no page and are passed over
without being counted. A file that is not a WARC, or is cut short, gives an
:class:`~sitrep.errors.InputError` at the byte offset of the record where reading stopped; the
documents read before it are kept; so does a record whose content does not match its
``WARC-Block-Digest`` or ``WARC-Payload-Digest`` (a file cut inside a record).

Reading needs ``warcio`` and ``trafilatura`` (with ``lxml_html_clean``): ``pip install 'sitrep[spark]'``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from sitrep.errors import InputError, MalformedRecord
from sitrep.ingest.dates import parse_date
from sitrep.model import Document

log = logging.getLogger(__name__)
# trafilatura and htmldate log every page they cannot parse; the pages are counted here instead
for _name in ("trafilatura", "htmldate"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

WARC_SUFFIXES = (".warc", ".warc.gz", ".wet", ".wet.gz", ".arc", ".arc.gz")
MIN_ARTICLE_CHARS = 200
_HTML = ("text/html", "application/xhtml+xml")


def is_warc(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


@dataclass(slots=True)
class Skipped:
    """A record of an archive that is not an article, and why."""

    where: str
    url: str | None
    reason: str  # "not html", "http status 404", "no article text", "article text too short"


@dataclass(slots=True)
class WarcCounts:
    """What a reading of one archive found."""

    records: int = 0
    articles: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


def read_warc(
    where: str, stream: IO[bytes], *, lang: str | None = None, counts: WarcCounts | None = None
) -> Iterator[Document | InputError | Skipped]:
    """The articles of one WARC or WET file, a :class:`Skipped` for each page that is not one."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError as e:
        yield InputError(where, f"reading web archives needs warcio: pip install 'sitrep[spark]' ({e})")
        return
    counts = counts if counts is not None else WarcCounts()
    arc = where.lower().endswith((".arc", ".arc.gz"))
    records = ArchiveIterator(stream, arc2warc=arc, check_digests=True)
    offset = 0
    try:
        for record in records:
            if record.format == "arc" and not arc:
                yield MalformedRecord(f"{where}@{offset}", "not a WARC record (a WARC file starts with 'WARC/1.')")
                return
            payload = record.content_stream().read() if record.rec_type in ("response", "conversion") else b""
            offset = records.get_record_offset()  # (only once the record's content has been read)
            if _damaged(record):
                yield MalformedRecord(f"{where}@{offset}", "record cut short or corrupt (its digest does not match)")
                continue
            item = _item(f"{where}@{offset}", record, payload, lang=lang)
            if item is None:
                continue
            counts.records += 1
            if isinstance(item, Skipped):
                counts.skipped[item.reason.split(" (")[0]] += 1
            elif isinstance(item, Document):
                counts.articles += 1
            yield item
    except ArchiveLoadFailed as e:
        yield MalformedRecord(f"{where}@{offset}", f"not a readable WARC record: {str(e).strip()}")
    except (OSError, EOFError, ValueError) as e:  # a truncated gzip member, a cut-off record
        yield MalformedRecord(f"{where}@{offset}", f"archive cut short or corrupt: {e}")


def _damaged(record: Any) -> bool:
    """The record's content does not match its digest, or was cut before the digest could be checked."""
    checker = getattr(record, "digest_checker", None)
    if checker is None or checker.passed is True:
        return False
    headers = record.rec_headers
    has_digest = headers.get_header("WARC-Payload-Digest") or headers.get_header("WARC-Block-Digest")
    return checker.passed is False or bool(has_digest)


def _item(where: str, record: Any, payload: bytes, *, lang: str | None) -> Document | InputError | Skipped | None:
    kind = record.rec_type
    url = record.rec_headers.get_header("WARC-Target-URI")
    fetched = _day(record.rec_headers.get_header("WARC-Date"))
    if kind == "conversion":  # WET: the page's text
        text = _decode(payload)
        if len(text.strip()) < MIN_ARTICLE_CHARS:
            return Skipped(where, url, "article text too short")
        return Document(text=text.strip(), date=fetched, lang=lang, url=url, source=_host(url), origin=where)
    if kind != "response":
        return None
    http = record.http_headers
    if http is not None:
        status = http.get_statuscode()
        if status != "200":
            return Skipped(where, url, f"http status {status}")
        ctype = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
        if ctype and ctype not in _HTML:
            return Skipped(where, url, f"not html ({ctype})")
    return article(where, payload, url=url, fetched=fetched, lang=lang)


def article(
    where: str, html: bytes | str, *, url: str | None, fetched: str | None = None, lang: str | None = None
) -> Document | Skipped:
    """The article of one HTML page, or why it has none."""
    import trafilatura

    result = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    found = result.as_dict() if result is not None and not isinstance(result, dict) else (result or {})
    if not (found.get("text") or "").strip():
        return Skipped(where, url, "no article text")
    text = str(found["text"]).strip()
    if len(text) < MIN_ARTICLE_CHARS:
        return Skipped(where, url, "article text too short")
    date = _day(found.get("date")) or fetched
    return Document(
        text=text,
        date=date,
        lang=lang,
        url=url,
        source=found.get("sitename") or _host(url),
        title=found.get("title") or None,
        origin=where,
    )


def _day(value: Any) -> str | None:
    if not value:
        return None
    try:
        return parse_date(str(value)[:10])
    except ValueError:
        return None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    from urllib.parse import urlsplit

    return urlsplit(url).hostname


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")
