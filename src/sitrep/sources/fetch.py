"""Polite HTTP: conditional requests, timeouts, retries with backoff, a per-host delay, a User-Agent.

httpx is the client: it has a timeout on every request by default (requests
has none, and a hung server would stall the watcher), typed APIs, a bounded
redirect chain (a redirect loop ends as an error, not a hang) and an active
maintainer. One :class:`Fetcher` is shared by every source of a watcher run.

Retried: timeouts, connection errors, 429 and 5xx answers (``retries`` more
attempts, waiting ``backoff``, then twice that, … or what ``Retry-After`` asks,
capped at a minute). Not retried: other 4xx answers, redirect loops, bad URLs.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from sitrep.errors import FetchError

log = logging.getLogger(__name__)

MAX_REDIRECTS = 10
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # after redirects
    status: int  # 200, or 304 when not modified
    body: bytes
    etag: str | None
    last_modified: str | None
    content_type: str

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Stopped(Exception):
    """The watcher was asked to stop while waiting (politeness delay or backoff)."""


class Fetcher:
    def __init__(
        self,
        *,
        user_agent: str,
        timeout: float = 20.0,
        retries: int = 2,
        backoff: float = 2.0,
        delay: float = 2.0,
        stop: threading.Event | None = None,
    ) -> None:
        self.retries = retries
        self.backoff = backoff
        self.delay = delay
        self.stop = stop or threading.Event()
        self._last: dict[str, float] = {}  # host -> monotonic time of its last request
        self._client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            trust_env=False,
        )

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET ``url`` (conditionally when ``etag``/``last_modified`` are given); raises :class:`FetchError`."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            try:
                return self._once(url, headers)
            except FetchError as e:
                if not e.transient or attempt >= self.retries:
                    raise
                wait = self._retry_after(e) or self.backoff * (2**attempt)
                attempt += 1
                log.info("%s; attempt %d of %d in %.1f s", e, attempt + 1, self.retries + 1, wait)
                self._sleep(wait)

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        self._polite(url)
        try:
            with self._client.stream("GET", url, headers=headers) as r:
                if r.status_code == 304:
                    return Response(str(r.url), 304, b"", r.headers.get("etag"), r.headers.get("last-modified"), "")
                if r.status_code >= 400:
                    transient = r.status_code == 429 or r.status_code >= 500
                    err = FetchError(url, f"HTTP {r.status_code} {r.reason_phrase}", transient=transient,
                                     status=r.status_code)
                    err.retry_after = r.headers.get("retry-after")  # type: ignore[attr-defined]
                    raise err
                body = bytearray()
                for chunk in r.iter_bytes():
                    body += chunk
                    if len(body) > MAX_BYTES:
                        raise FetchError(url, f"answer larger than {MAX_BYTES // 2**20} MB", transient=False)
                return Response(
                    str(r.url),
                    r.status_code,
                    bytes(body),
                    r.headers.get("etag"),
                    r.headers.get("last-modified"),
                    r.headers.get("content-type", ""),
                )
        except httpx.TooManyRedirects as e:
            raise FetchError(url, f"redirect loop (more than {MAX_REDIRECTS} redirects)", transient=False) from e
        except httpx.TimeoutException as e:
            kind = type(e).__name__.replace("Timeout", " timeout").lower()
            raise FetchError(url, f"timed out ({kind}, limit {self._client.timeout.read:g} s)") from e
        except httpx.TransportError as e:
            raise FetchError(url, f"cannot connect: {e or type(e).__name__}") from e
        except httpx.InvalidURL as e:
            raise FetchError(url, f"not a valid address: {e}", transient=False) from e

    def _polite(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        last = self._last.get(host)
        if last is not None:
            wait = self.delay - (time.monotonic() - last)
            if wait > 0:
                self._sleep(wait)
        self._last[host] = time.monotonic()

    def _sleep(self, seconds: float) -> None:
        if self.stop.wait(seconds):
            raise Stopped()

    @staticmethod
    def _retry_after(error: FetchError) -> float | None:
        value = getattr(error, "retry_after", None)
        if not value:
            return None
        try:
            return min(60.0, max(0.0, float(value)))
        except ValueError:
            when = email.utils.parsedate_to_datetime(value)
            if when is None:
                return None
            return min(60.0, max(0.0, when.timestamp() - time.time()))
