"""The watcher: poll each source on its schedule, read its new items and ingest them.

:meth:`Watcher.poll` reads one source once; :meth:`Watcher.run` polls every
source when it is due, until ``stop`` is set (or once each with ``once``).

What makes a restart lose nothing and double nothing:

- each item is stored (through :func:`sitrep.batch.ingest_documents`, the path
  of ``sitrep ingest``, which also links its events into incidents) before it
  is marked seen, and storing the same content twice changes nothing; an item
  found stored but not marked is linked again, in case the run stopped between
  storing and linking;
- a document's id is derived from the item's identity (its address, or
  channel/post), so an edited post replaces its earlier version;
- the ETag and Last-Modified of a feed or page are kept only once every item it
  listed has been dealt with, so a poll cut short is read in full next time;
- ``stop`` is looked at between items, and while waiting (politeness delay,
  backoff, schedule); a killed process loses at most the item in hand, which is
  read again.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sitrep.errors import FetchError, SitrepError, SourcesError
from sitrep.model import Document, stable_id
from sitrep.pipeline import Pipeline
from sitrep.sources import items as readers
from sitrep.sources.config import Source, SourcesFile
from sitrep.sources.fetch import Fetcher, Stopped
from sitrep.sources.health import evaluate_alerts
from sitrep.sources.items import Item, content_key
from sitrep.sources.state import WatchState
from sitrep.store.base import Store

log = logging.getLogger(__name__)

MAX_PAGES = 5  # pages of a Telegram preview read back to catch up after a pause


@dataclass(slots=True)
class PollResult:
    """What one poll of one source did."""

    source: str
    ok: bool = True
    stopped: bool = False
    error: str | None = None
    not_modified: bool = False
    items: int = 0  # items the source listed
    new: int = 0  # stored for the first time
    edited: int = 0  # stored again: new content under a known identity
    duplicates: int = 0  # already stored from another address or source
    empty: int = 0  # no text (left to be read again)
    failed: int = 0  # could not be fetched or stored (left to be read again)
    records: int = 0  # records stored from new and edited items
    seconds: float = 0.0
    alerts: dict[str, str] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {
            "items": self.items,
            "new": self.new,
            "edited": self.edited,
            "duplicates": self.duplicates,
            "empty": self.empty,
            "failed": self.failed,
            "records": self.records,
            "not_modified": int(self.not_modified),
        }

    def line(self) -> str:
        """The log line of this poll."""
        if self.stopped:
            head = "stopped before the end of the poll"
        elif not self.ok:
            head = f"FAILED: {self.error}"
        elif self.not_modified:
            head = "not modified"
        else:
            head = f"{self.items} item(s)"
        parts = [f"{n} {what}" for what, n in (
            ("new", self.new), ("edited", self.edited), ("duplicate(s)", self.duplicates),
            ("without text", self.empty), ("failed", self.failed), ("record(s)", self.records),
        ) if n]
        tail = f"; {', '.join(parts)}" if parts else ""
        alerts = f" [ALERT {'; '.join(f'{k}: {r}' for k, r in self.alerts.items())}]" if self.alerts else ""
        return f"{self.source}: {head}{tail} ({self.seconds:.1f} s){alerts}"


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Watcher:
    def __init__(
        self,
        config: SourcesFile,
        store: Store,
        state: WatchState,
        *,
        pipeline: Pipeline | None = None,
        stop: threading.Event | None = None,
        now: Callable[[], str] = utc_now,
        on_item: Callable[[str, int, int], None] | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.state = state
        self.stop = stop or threading.Event()
        self.now = now
        self.on_item = on_item  # (source, items done, items listed), for a progress line
        self._pipeline = pipeline
        s = config.settings
        self.fetcher = Fetcher(
            user_agent=s.agent(), timeout=s.timeout, retries=s.retries, backoff=s.backoff, delay=s.delay,
            stop=self.stop,
        )

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = Pipeline()
        return self._pipeline

    def close(self) -> None:
        self.fetcher.close()

    # -- the schedule ------------------------------------------------------------------

    def run(
        self,
        *,
        once: bool = False,
        names: Sequence[str] | None = None,
        on_poll: Callable[[PollResult], None] | None = None,
    ) -> list[PollResult]:
        """Poll the sources (those in ``names``, else all) when due, until :attr:`stop` is set.

        With ``once`` each is polled once, now. Returns the polls made.
        """
        sources = [self.config.get(n) for n in names] if names else list(self.config.sources)
        due = {s.name: 0.0 for s in sources}
        results: list[PollResult] = []
        stamp = self._file_stamp()
        while not self.stop.is_set():
            if not once and self._file_stamp() != stamp:
                stamp = self._file_stamp()
                sources = self._reload(names) or sources
                due = {s.name: due.get(s.name, 0.0) for s in sources}
            for source in sorted(sources, key=lambda s: due[s.name]):
                if self.stop.is_set() or due[source.name] > time.monotonic():
                    continue
                started = time.monotonic()
                result = self.poll(source)
                results.append(result)
                if on_poll:
                    on_poll(result)
                due[source.name] = started + source.interval(self.config.settings)
            if once or not sources:
                break
            self.stop.wait(max(0.0, min(due.values()) - time.monotonic()))
        return results

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.config.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _reload(self, names: Sequence[str] | None) -> list[Source] | None:
        """The sources after the sources file changed (None, and a logged error, when it is now wrong)."""
        from sitrep.sources.config import load_sources

        try:
            config = load_sources(self.config.path)
            sources = [config.get(n) for n in names] if names else list(config.sources)
        except SourcesError as e:
            log.error("%s; still watching the sources read before", e)
            return None
        log.warning("%s changed: %d source(s) now", self.config.path, len(sources))
        self.config = config
        return sources

    # -- one poll --------------------------------------------------------------------

    def poll(self, source: Source) -> PollResult:
        """Read ``source`` once and ingest its new items; never raises for a source's own failure."""
        result = PollResult(source.name)
        started = time.monotonic()
        poll_id = self.state.start_poll(source.name, self.now())
        validators: list[tuple[str, str | None, str | None]] = []
        try:
            listed = self._list(source, result, validators)
            result.items = len(listed)
            for done, item in enumerate(listed):
                if self.stop.is_set():
                    result.stopped = True
                    break
                if self.on_item:
                    self.on_item(source.name, done, len(listed))
                self._item(source, item, result)
        except Stopped:
            result.stopped = True
        except SourcesError as e:
            result.ok = False
            result.error = e.message if isinstance(e, FetchError) else str(e)
        # an item left to read again (no text yet, or failed) keeps the listing from being skipped as unchanged
        if result.ok and not result.stopped and not result.failed and not result.empty:
            for url, etag, modified in validators:
                self.state.save_validators(source.name, url, etag, modified)
        result.seconds = time.monotonic() - started
        self.state.finish_poll(
            poll_id,
            now=self.now(),
            ok=None if result.stopped else result.ok,
            error=result.error or ("stopped" if result.stopped else None),
            counts=result.counts(),
        )
        if not result.stopped:
            result.alerts = evaluate_alerts(source, self.state, self.config.settings, now=self.now())
            self.state.set_alerts(source.name, result.alerts, now=self.now())
        log.info("%s", result.line())
        return result

    def _list(
        self, source: Source, result: PollResult, validators: list[tuple[str, str | None, str | None]]
    ) -> list[Item]:
        """The items ``source`` lists now (empty when its address answers "not modified")."""
        if source.kind == "telegram-export":
            return self._export_items(source, validators)
        assert source.url is not None  # make_source guarantees it for web kinds
        etag, modified = self.state.validators(source.name, source.url)
        response = self.fetcher.get(source.url, etag=etag, last_modified=modified)
        if response.not_modified:
            result.not_modified = True
            return []
        validators.append((source.url, response.etag, response.last_modified))
        limit = self.config.settings.max_items
        if source.kind == "rss":
            return readers.read_feed(response.url, response.body, articles=source.articles)[:limit]
        if source.kind == "page":
            found = readers.read_listing(response.url, response.body, links=source.links)
            if not found:
                raise SourcesError(
                    f"{response.url}: no article links on the listing page (has its layout changed? "
                    "set `links` to a pattern of article addresses)"
                )
            return found[:limit]
        return self._telegram_items(source, response.url, response.body)[-limit:]

    def _telegram_items(self, source: Source, url: str, body: bytes) -> list[Item]:
        posts, lowest = readers.read_telegram_preview(url, body)
        pages = 1
        # read back while a whole page is new and posts were seen before (catch up after a pause)
        while (
            lowest is not None
            and pages < MAX_PAGES
            and posts
            and self.state.item_dates(source.name, limit=1)
            and all(self.state.seen(source.name, p.key) is None for p in posts[:1])
        ):
            if self.stop.is_set():
                break
            sep = "&" if "?" in (source.url or "") else "?"
            older, lowest = readers.read_telegram_preview(url, self.fetcher.get(f"{source.url}{sep}before={lowest}").body)
            fresh = [p for p in older if p.key not in {q.key for q in posts}]
            if not fresh:
                break
            posts = fresh + posts
            pages += 1
        return posts

    def _export_items(self, source: Source, validators: list[tuple[str, str | None, str | None]]) -> list[Item]:
        found: list[Item] = []
        for file in readers.export_files(Path(source.path or "")):
            stat = file.stat()
            stamp = f"{stat.st_mtime_ns}:{stat.st_size}"
            if self.state.validators(source.name, str(file))[0] == stamp:
                continue
            found.extend(readers.read_telegram_export(file))
            validators.append((str(file), stamp, None))
        return found

    # -- one item --------------------------------------------------------------------

    def _item(self, source: Source, item: Item, result: PollResult) -> None:
        seen = self.state.seen(source.name, item.key)
        if item.needs_page and seen is not None and seen.status in ("ingested", "duplicate", "skipped"):
            return  # an article already read: its page is not fetched again
        if item.needs_page and item.url:
            other = self.state.ingested_elsewhere(source.name, item.key, url=item.url, content=None)
            if other:
                self.state.mark(source.name, item, status="duplicate", duplicate_of=other, now=self.now())
                result.duplicates += 1
                return
        text, title, date, site = item.text, item.title, item.date, None
        if item.needs_page and item.url:
            try:
                response = self.fetcher.get(item.url)
            except FetchError as e:
                self.state.mark(source.name, item, status="failed", error=e.message, now=self.now())
                result.failed += 1
                log.warning("%s: %s", source.name, e)
                return
            if not readers.is_html(response.content_type):
                log.info("%s: %s: not an article page (%s); skipped", source.name, item.url, response.content_type)
                self.state.mark(source.name, item, status="skipped", error=response.content_type, now=self.now())
                return
            page = readers.read_article(response.url, response.body)
            site = page.site
            if page.text:
                text, title, date = page.text, title or page.title, date or page.date
            elif text:
                log.warning("%s: %s: the article page gives no text; the feed's summary is used", source.name, item.url)
                result.empty += 1
        if not text:
            self.state.mark(source.name, item, status="empty", now=self.now())
            result.empty += 1
            return
        key = content_key(text)
        if seen is not None and seen.status in ("ingested", "duplicate") and seen.content_key == key:
            return  # unchanged
        other = self.state.ingested_elsewhere(source.name, item.key, url=item.url, content=key)
        if other:
            self.state.mark(source.name, item, status="duplicate", duplicate_of=other, content_key=key,
                            now=self.now())
            result.duplicates += 1
            return
        document = Document(
            text=text,
            doc_id=stable_id("source-item", item.key, length=20),
            date=date,
            lang=source.lang,
            url=item.url,
            source=source.outlet or item.channel or site,
            title=title,
            origin=f"{source.name}: {item.url or item.key}"
            + (f" (forwarded from {item.forwarded_from})" if item.forwarded_from else ""),
        )
        errors: list[SitrepError] = []
        from sitrep.batch import ingest_documents

        report = ingest_documents([document], self.store, pipeline=self.pipeline, on_error=errors.append)
        if errors:
            self.state.mark(source.name, item, status="failed", error=str(errors[0]), now=self.now())
            result.failed += 1
            log.warning("%s: %s", source.name, errors[0])
            return
        if not report.extracted:
            # stored already, yet not marked seen: a run stopped right after storing it. Its events may
            # not have been linked into incidents then; linking is a function of the stored events, so
            # doing it again is harmless.
            from sitrep.incidents.link import link_document

            link_document(self.store, document.doc_id)
            log.info("%s: %s: stored by an interrupted run; linked again", source.name, item.key)
            counted = len(self.pipeline.extract(document))  # what was stored then, for the health figures
        stored = report.events + report.aid
        self.state.mark(source.name, item, status="ingested", doc_id=document.doc_id, content_key=key,
                        records=stored if report.extracted else counted, now=self.now())
        if seen is not None and seen.status == "ingested":
            result.edited += 1
        else:
            result.new += 1
        result.records += stored
