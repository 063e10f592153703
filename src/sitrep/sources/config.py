"""The sources file: which feeds, pages and channels ``sitrep watch`` follows, as TOML.

The file is ``--sources FILE``, else ``$SITREP_SOURCES``, else
``$XDG_CONFIG_HOME/sitrep/sources.toml`` (``~/.config/sitrep/sources.toml``).
It is meant to be edited by hand as well as through ``sitrep sources add`` and
``remove``, which keep its comments and layout (tomlkit)::

    [settings]                  # all optional; these are the defaults
    every = "15m"               # how often a source is polled unless it says otherwise
    timeout = "20s"             # per request
    retries = 2                 # extra attempts after a timeout, a connection error, 429 or 5xx
    backoff = "2s"              # first wait before a retry; doubled each time
    delay = "2s"                # at least this long between two requests to one host
    max_items = 100             # the newest items read per source and poll
    silent_factor = 4           # silent: no item for this many usual gaps …
    min_silence = "6h"          # … and for at least this long
    slow_share = 0.25           # slowing: under this share of the usual items a day …
    slow_min_per_day = 4        # … for a source that usually gives this many a day or more
    user_agent = "sitrep/0.1.0 (news monitoring; contact: you@example.org)"  # default: without the contact

    [sources.kyiv-independent]
    kind = "rss"                # rss | page | telegram | telegram-export
    url = "https://kyivindependent.com/news-archive/rss/"
    lang = "en"                 # optional; detected when absent
    outlet = "The Kyiv Independent"
    every = "10m"

A ``telegram-export`` source has ``path`` (a folder, relative to the sources
file's own folder unless absolute) instead of ``url``; a
``page`` source may give ``links``, a regular expression the article addresses
must match. Web kinds need an ``http(s)://`` address: a URL is never taken for a
file name, nor a file name for a URL.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast
from urllib.parse import urlsplit

from sitrep.errors import SourcesError

if TYPE_CHECKING:
    import tomlkit

Kind = Literal["rss", "page", "telegram", "telegram-export"]
KINDS: tuple[Kind, ...] = ("rss", "page", "telegram", "telegram-export")
ENV_VAR = "SITREP_SOURCES"
LANGS = ("en", "fr", "uk", "ru")

_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_TELEGRAM = re.compile(
    r"(?:https?://)?(?:t\.me|telegram\.me)/(?:s/)?(?P<name>[A-Za-z][A-Za-z0-9_]{3,})/?(?:\?.*)?|@(?P<at>[A-Za-z][A-Za-z0-9_]{3,})"
)
_PREVIEW = re.compile(r"https?://[^/\s]+(?:/[^\s?#]*)?/s/[A-Za-z][A-Za-z0-9_]{3,}/?")


def parse_duration(value: str | int | float) -> float:
    """Seconds in ``"90s"``, ``"15m"``, ``"2h"``, ``"1d"``, ``"250ms"`` (a bare number is seconds)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    else:
        m = _DURATION.fullmatch(str(value))
        if not m:
            raise ValueError(f"{value!r} is not a duration (write 90s, 15m, 2h or 1d)")
        seconds = float(m.group(1)) * _UNITS[m.group(2) or "s"]
    if seconds < 0:
        raise ValueError(f"{value!r}: a duration cannot be negative")
    return seconds


def format_duration(seconds: float) -> str:
    for unit in ("d", "h", "m", "s"):
        n = seconds / _UNITS[unit]
        if n >= 1 and n == int(n):
            return f"{int(n)}{unit}"
    return f"{seconds:g}s"


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """How the watcher behaves towards every source (the ``[settings]`` table)."""

    every: float = 900.0
    timeout: float = 20.0
    retries: int = 2
    backoff: float = 2.0
    delay: float = 2.0
    user_agent: str = ""
    max_items: int = 100  # items read per source and poll at most (the newest)
    silent_factor: float = 4.0  # silent when the newest item is older than this many usual gaps …
    min_silence: float = 6 * 3600.0  # … and older than this
    slow_share: float = 0.25  # slowing: fewer items in a day than this share of the usual rate …
    slow_min_per_day: float = 4.0  # … for a source that usually gives at least this many a day

    def agent(self) -> str:
        if self.user_agent:
            return self.user_agent
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("sitrep")
        except PackageNotFoundError:
            number = "dev"
        return f"sitrep/{number} (news monitoring)"


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """One thing to follow."""

    name: str
    kind: Kind
    url: str | None = None  # web kinds
    path: str | None = None  # telegram-export
    lang: str | None = None
    outlet: str | None = None
    every: float | None = None  # None: the settings' default
    links: str | None = None  # page: a regex article addresses must match
    articles: bool = True  # rss: fetch each entry's page for its full text

    @property
    def address(self) -> str:
        return self.url or self.path or ""

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc.lower() if self.url else ""

    def interval(self, settings: Settings) -> float:
        return self.every if self.every is not None else settings.every


@dataclass(frozen=True, slots=True, kw_only=True)
class SourcesFile:
    path: Path
    settings: Settings = field(default_factory=Settings)
    sources: tuple[Source, ...] = ()

    def get(self, name: str) -> Source:
        for s in self.sources:
            if s.name == name:
                return s
        raise SourcesError(f"{self.path}: no source named {name!r} (see `sitrep sources list`)")


def resolve_sources_path(path: str | os.PathLike[str] | None = None) -> Path:
    """``path``, else ``$SITREP_SOURCES``, else ``$XDG_CONFIG_HOME/sitrep/sources.toml``."""
    if path is not None and str(path):
        return Path(path)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "sitrep" / "sources.toml"


def make_source(
    name: str,
    address: str,
    *,
    kind: str,
    lang: str | None = None,
    outlet: str | None = None,
    every: str | float | None = None,
    links: str | None = None,
    articles: bool = True,
) -> Source:
    """A checked :class:`Source`; raises :class:`ValueError` saying what is wrong."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"source name {name!r}: use letters, digits, '.', '_' and '-'")
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r}: expected one of {', '.join(KINDS)}")
    if lang is not None and lang not in LANGS:
        raise ValueError(f"lang {lang!r}: expected one of {', '.join(LANGS)}")
    url = path = None
    if kind == "telegram-export":
        if re.match(r"[a-z][a-z0-9+.-]*://", address, re.I):
            raise ValueError(f"{address}: a telegram-export source is a folder, not a URL")
        path = address
    elif kind == "telegram":
        m = _TELEGRAM.fullmatch(address.strip())
        mirror = _PREVIEW.fullmatch(address.strip())
        if m:
            url = f"https://t.me/s/{m.group('name') or m.group('at')}"
        elif mirror:  # a preview served elsewhere (a mirror, a test server): kept as written
            url = address.strip()
        else:
            raise ValueError(
                f"{address}: expected a public channel as https://t.me/NAME, t.me/s/NAME or @NAME "
                "(or a preview page's address ending in /s/NAME)"
            )
    else:
        url = address
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{address}: a {kind} source needs an http:// or https:// address")
    if links is not None:
        try:
            re.compile(links)
        except re.error as e:
            raise ValueError(f"links {links!r}: not a regular expression ({e})") from e
    return Source(
        name=name,
        kind=cast(Kind, kind),
        url=url,
        path=path,
        lang=lang,
        outlet=outlet,
        every=parse_duration(every) if every is not None else None,
        links=links,
        articles=articles,
    )


def telegram_channel(source: Source) -> str:
    """The channel name of a telegram source (the last part of its t.me/s/NAME address)."""
    return urlsplit(source.url or "").path.rstrip("/").rsplit("/", 1)[-1]


# -- reading and writing the file ------------------------------------------------


def load_sources(path: str | os.PathLike[str] | None = None, *, missing_ok: bool = False) -> SourcesFile:
    """Read and check the sources file; raises :class:`SourcesError` naming the file and line."""
    file = resolve_sources_path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        if missing_ok:
            return SourcesFile(path=file)
        raise SourcesError(
            f"{file}: no sources file; add a source with `sitrep sources add` or pass --sources"
        ) from None
    except (OSError, UnicodeDecodeError) as e:
        raise SourcesError(f"{file}: cannot read the sources file: {e}") from e
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        where = f"{file}:{m.group(1)}" if m else str(file)
        raise SourcesError(f"{where}: not valid TOML: {str(e).split(' (at')[0]}") from e
    unknown = set(data) - {"settings", "sources"}
    if unknown:
        key = sorted(unknown)[0]
        raise SourcesError(f"{file}:{_line_of(text, key)}: unknown table {key!r} (expected settings, sources)")
    settings = _settings(file, text, data.get("settings", {}))
    sources = []
    for name, table in (data.get("sources") or {}).items():
        where = f"{file}:{_line_of(text, name)}"
        if not isinstance(table, Mapping):
            raise SourcesError(f"{where}: source {name!r} must be a table ([sources.{name}])")
        extra = set(table) - {"kind", "url", "path", "lang", "outlet", "every", "links", "articles"}
        if extra:
            raise SourcesError(f"{where}: source {name!r}: unknown key {sorted(extra)[0]!r}")
        if "kind" not in table:
            raise SourcesError(f"{where}: source {name!r} has no kind ({', '.join(KINDS)})")
        address = table.get("path") if table["kind"] == "telegram-export" else table.get("url")
        if not isinstance(address, str) or not address:
            key = "path" if table["kind"] == "telegram-export" else "url"
            raise SourcesError(f"{where}: source {name!r} has no {key}")
        if table["kind"] == "telegram-export" and "://" not in address:
            address = str(file.parent / Path(address).expanduser())  # relative to the sources file
        try:
            sources.append(
                make_source(
                    name,
                    address,
                    kind=str(table["kind"]),
                    lang=table.get("lang"),
                    outlet=table.get("outlet"),
                    every=table.get("every"),
                    links=table.get("links"),
                    articles=bool(table.get("articles", True)),
                )
            )
        except ValueError as e:
            raise SourcesError(f"{where}: source {name!r}: {e}") from e
    return SourcesFile(path=file, settings=settings, sources=tuple(sources))


def _settings(file: Path, text: str, table: Any) -> Settings:
    if not isinstance(table, Mapping):
        raise SourcesError(f"{file}:{_line_of(text, 'settings')}: settings must be a table")
    known = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = f"{file}:{_line_of(text, key)}"
        if key not in known:
            raise SourcesError(f"{where}: unknown setting {key!r} (expected {', '.join(sorted(known))})")
        try:
            if key in ("every", "timeout", "backoff", "delay", "min_silence"):
                values[key] = parse_duration(value)
            elif key in ("retries", "max_items"):
                values[key] = int(value)
                if values[key] < 0:
                    raise ValueError(f"{value!r} is negative")
            elif key in ("silent_factor", "slow_share", "slow_min_per_day"):
                values[key] = float(value)
            else:
                values[key] = str(value)
        except (TypeError, ValueError) as e:
            raise SourcesError(f"{where}: setting {key}: {e}") from e
    return replace(Settings(), **values)


def _line_of(text: str, key: str) -> int:
    """The line where ``key`` is first written as a table name or a key (1 when it cannot be found)."""
    pattern = re.compile(
        rf"^[ \t]*(?:\[[^\]\n]*\b{re.escape(key)}\b[\"']?[ \t]*\]|[\"']?{re.escape(key)}[\"']?[ \t]*=)", re.M
    )
    m = pattern.search(text)
    return 1 + text.count("\n", 0, m.start()) if m else 1


def add_source(path: str | os.PathLike[str] | None, source: Source, *, replace_existing: bool = False) -> Path:
    """Add ``source`` to the sources file (created if needed), keeping its comments and layout."""
    file = resolve_sources_path(path)
    current = load_sources(file, missing_ok=True)
    if any(s.name == source.name for s in current.sources) and not replace_existing:
        raise SourcesError(f"{file}: a source named {source.name!r} exists; remove it first or use --replace")
    import tomlkit

    doc = _document(file)
    sources = doc.get("sources")
    if sources is None:
        sources = tomlkit.table(is_super_table=True)
        doc["sources"] = sources
    table = tomlkit.table()
    table["kind"] = source.kind
    if source.url:
        table["url"] = source.url
    if source.path:
        table["path"] = source.path
    if source.lang:
        table["lang"] = source.lang
    if source.outlet:
        table["outlet"] = source.outlet
    if source.every is not None:
        table["every"] = format_duration(source.every)
    if source.links:
        table["links"] = source.links
    if not source.articles:
        table["articles"] = False
    sources[source.name] = table
    _write(file, tomlkit.dumps(doc))
    return file


def remove_source(path: str | os.PathLike[str] | None, name: str) -> Path:
    file = resolve_sources_path(path)
    current = load_sources(file)
    current.get(name)
    import tomlkit

    doc = _document(file)
    del doc["sources"][name]
    _write(file, tomlkit.dumps(doc))
    return file


def _document(file: Path) -> tomlkit.TOMLDocument:
    import tomlkit  # only the commands that write the file need it

    if not file.exists():
        doc = tomlkit.document()
        doc.add(tomlkit.comment("sitrep sources: see `sitrep sources --help`; edit freely"))
        return doc
    return tomlkit.parse(file.read_text(encoding="utf-8"))


def _write(file: Path, text: str) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_name(f".{file.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, file)
