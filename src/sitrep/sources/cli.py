"""``sitrep sources add|list|remove|status|check`` and ``sitrep watch``."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from sitrep.cli import Progress, Subparsers, UsageError, _say, command, db_options
from sitrep.sources.config import KINDS, LANGS, format_duration, parse_duration

STATUS_FORMATS = ("text", "json")


def _sources_options() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument(
        "--sources",
        metavar="FILE",
        help="the sources file (default: $SITREP_SOURCES, else $XDG_CONFIG_HOME/sitrep/sources.toml)",
    )
    return p


def _duration(value: str) -> float:
    try:
        return parse_duration(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from e


@command("sources")
def add_sources(sub: Subparsers) -> None:
    p = sub.add_parser(
        "sources",
        help="the feeds, pages and channels `sitrep watch` follows, and their health",
        description="Edit and inspect the sources file, and report each source's health.",
    )
    cmds = p.add_subparsers(dest="sources_command", metavar="ACTION", required=True)

    a = cmds.add_parser("add", parents=[_sources_options()], help="add a source")
    a.add_argument("name", metavar="NAME", help="a short name (letters, digits, . _ -)")
    a.add_argument("address", metavar="ADDRESS", help="the feed's or page's URL, t.me/CHANNEL, or an export folder")
    a.add_argument("--kind", required=True, choices=KINDS, help="what the address is")
    a.add_argument("--lang", choices=LANGS, help="the language of its reports (default: detected)")
    a.add_argument("--outlet", help="the outlet or channel name stored with its reports")
    a.add_argument("--every", type=_duration, metavar="DURATION", help="poll every … (15m, 1h; default: settings)")
    a.add_argument("--links", metavar="REGEX", help="page: a pattern the article addresses match")
    a.add_argument(
        "--no-articles", dest="articles", action="store_false",
        help="rss: take the feed's own text instead of fetching each article's page",
    )
    a.add_argument("--replace", action="store_true", help="replace a source of that name")
    a.set_defaults(run=run_add)

    li = cmds.add_parser("list", parents=[_sources_options()], help="list the sources")
    li.add_argument("--format", "-f", choices=STATUS_FORMATS, default="text")
    li.set_defaults(run=run_list)

    r = cmds.add_parser("remove", parents=[_sources_options()], help="remove a source")
    r.add_argument("name", metavar="NAME")
    r.set_defaults(run=run_remove)

    s = cmds.add_parser(
        "status", parents=[_sources_options(), db_options()],
        help="each source's health: last success, failures, items per day, alerts",
    )
    s.add_argument("--format", "-f", choices=STATUS_FORMATS, default="text")
    s.set_defaults(run=run_status)

    c = cmds.add_parser(
        "check", parents=[_sources_options(), db_options()],
        help="record the alerts and exit 1 when any source is failing, silent or gives no text (for cron)",
    )
    c.set_defaults(run=run_check)


def run_add(args: argparse.Namespace) -> int:
    from sitrep.sources.config import add_source, make_source

    address = args.address
    if args.kind == "telegram-export" and "://" not in address:
        address = str(Path(address).expanduser().resolve())  # the file may be read from anywhere
    try:
        source = make_source(
            args.name, address, kind=args.kind, lang=args.lang, outlet=args.outlet, every=args.every,
            links=args.links, articles=args.articles,
        )
    except ValueError as e:
        raise UsageError(str(e)) from e
    path = add_source(args.sources, source, replace_existing=args.replace)
    _say(f"{path}: source {source.name!r} ({source.kind}, {source.address}) added")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from sitrep.sources.config import load_sources

    config = load_sources(args.sources, missing_ok=True)
    if args.format == "json":
        rows = [
            {"name": s.name, "kind": s.kind, "address": s.address, "lang": s.lang, "outlet": s.outlet,
             "every_s": s.interval(config.settings)}
            for s in config.sources
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not config.sources:
        _say(f"{config.path}: no sources yet; add one with `sitrep sources add`")
        return 0
    width = max(len(s.name) for s in config.sources)
    for s in config.sources:
        extra = " ".join(x for x in (s.lang or "", f"({s.outlet})" if s.outlet else "") if x)
        every = format_duration(s.interval(config.settings))
        sys.stdout.write(f"{s.name:<{width}}  {s.kind:<15}  every {every:<4}  {s.address}  {extra}".rstrip() + "\n")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from sitrep.sources.config import remove_source

    path = remove_source(args.sources, args.name)
    _say(f"{path}: source {args.name!r} removed")
    return 0


@contextmanager
def _state(db: str | None) -> Iterator[Any]:
    from sitrep.sources.state import WatchState
    from sitrep.store import resolve_db_path

    path = resolve_db_path(db)
    # a store never watched has nothing to say: it is not created for asking
    with WatchState(path if path == ":memory:" or Path(path).exists() else ":memory:") as state:
        yield state


def run_status(args: argparse.Namespace) -> int:
    from sitrep.sources.config import load_sources
    from sitrep.sources.health import sources_status
    from sitrep.sources.watch import utc_now

    config = load_sources(args.sources)
    with _state(args.db) as state:
        statuses = sources_status(config, state, now=utc_now())
    _print_status(statuses, args.format)
    return 0


def run_check(args: argparse.Namespace) -> int:
    from sitrep.sources.config import load_sources
    from sitrep.sources.health import check_sources
    from sitrep.sources.watch import utc_now

    config = load_sources(args.sources)
    with _state(args.db) as state:
        statuses = check_sources(config, state, now=utc_now())
    alerting = [s for s in statuses if s.alerts]
    for s in alerting:
        for kind, reason in s.alerts.items():
            _say(f"ALERT {s.name} {kind}: {reason}")
    if not alerting:
        _say(f"{len(statuses)} source(s), no alert")
    return 1 if alerting else 0


def _print_status(statuses: list[Any], fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps([s.to_json() for s in statuses], ensure_ascii=False, indent=2) + "\n")
        return
    lines = []
    for s in statuses:
        state = "ALERT" if s.alerts else "ok" if s.last_success else "no poll finished yet"
        lines.append(f"{s.name} ({s.kind}) {s.address}: {state}")
        usual = f"{s.usual_per_day:g}" if s.usual_per_day is not None else "?"
        share = f"{s.record_share:.0%}" if s.record_share is not None else "-"
        lines.append(
            f"  last success {s.last_success or 'never'}; {s.consecutive_failures} failure(s) in a row; "
            f"newest item {s.newest_item or '-'}"
        )
        lines.append(
            f"  items: {s.items_last_day} in the last day (usually {usual}/day), {s.ingested} stored, "
            f"{s.duplicates} duplicate, {s.without_text} without text, {s.failed_items} failed; "
            f"{share} gave records"
        )
        for kind, reason in s.alerts.items():
            lines.append(f"  ALERT {kind}: {reason}")
    sys.stdout.write("\n".join(lines) + ("\n" if lines else ""))


# -- watch ---------------------------------------------------------------------------


@command("watch")
def add_watch(sub: Subparsers) -> None:
    p = sub.add_parser(
        "watch",
        parents=[_sources_options(), db_options()],
        help="follow the sources: poll each on its schedule and ingest its new items",
        description="Poll every source on its schedule and ingest each new item into the store. "
        "Ctrl-C or SIGTERM stops after the item in hand; a restart goes on where it stopped.",
    )
    p.add_argument("--once", action="store_true", help="poll each source once, then stop")
    p.add_argument("--source", action="append", metavar="NAME", help="only this source (repeat for more)")
    p.set_defaults(run=run_watch)


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """An event set by the first SIGINT or SIGTERM; a second one interrupts at once."""
    stop = threading.Event()

    def handle(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        _say(f"{signal.Signals(signum).name}: stopping after the item in hand (again to stop now)")

    saved = {s: signal.signal(s, handle) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for s, h in saved.items():
            signal.signal(s, h)


def run_watch(args: argparse.Namespace) -> int:
    from sitrep.sources.config import load_sources
    from sitrep.sources.state import WatchState
    from sitrep.sources.watch import PollResult, Watcher
    from sitrep.store import open_store

    config = load_sources(args.sources)
    if not config.sources:
        _say(f"{config.path}: no sources to watch; add one with `sitrep sources add`")
        return 1
    names = args.source or None
    if names:
        known = {s.name for s in config.sources}
        missing = [n for n in names if n not in known]
        if missing:
            raise UsageError(f"--source {missing[0]}: no such source in {config.path}")
    progress = Progress(sys.stderr)
    totals = {"polls": 0, "failed": 0, "new": 0, "edited": 0, "records": 0}
    start = time.monotonic()

    def on_item(name: str, done: int, total: int) -> None:
        if progress.enabled and time.monotonic() - progress.last >= progress.every:
            progress.last = time.monotonic()
            sys.stderr.write(f"\rsitrep: {name}: item {done + 1}/{total}, {totals['new']} new so far\x1b[K")
            sys.stderr.flush()
            progress.shown = True
            Progress.active = progress

    def on_poll(result: PollResult) -> None:
        progress.clear()
        totals["polls"] += 1
        totals["failed"] += int(not result.ok)
        for k in ("new", "edited", "records"):
            totals[k] += getattr(result, k)
        if not args.quiet or not result.ok or result.alerts:
            _say(result.line())

    with (
        _stop_on_signals() as stop,
        open_store(args.db) as store,
        _one_watcher(store_path(store, args.db)),
        WatchState(store_path(store, args.db)) as state,
    ):
        watcher = Watcher(config, store, state, stop=stop, on_item=on_item)
        try:
            watcher.run(once=args.once, names=names, on_poll=on_poll)
        finally:
            watcher.close()
            progress.clear()
    if args.quiet:
        return 1 if args.once and totals["failed"] else 0
    _say(
        f"{totals['polls']} poll(s) in {time.monotonic() - start:.1f} s: {totals['new']} new item(s), "
        f"{totals['edited']} edited, {totals['records']} record(s) stored; {totals['failed']} poll(s) failed"
        + ("; stopped" if stop.is_set() else "")
    )
    return 1 if args.once and totals["failed"] else 0


@contextmanager
def _one_watcher(db: str) -> Iterator[None]:
    """Hold a lock beside the store so that a second ``sitrep watch`` of it refuses to start."""
    import fcntl

    from sitrep.errors import SourcesError

    if db == ":memory:":
        yield
        return
    path = f"{db}.watch-lock"
    with open(path, "a+", encoding="utf-8") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            pid = f.read().strip() or "?"
            raise SourcesError(f"{db}: another `sitrep watch` (pid {pid}) is using this store") from None
        f.seek(0)
        f.truncate()
        f.write(str(os.getpid()))
        f.flush()
        yield


def store_path(store: Any, db: str | None) -> str:
    from sitrep.store import resolve_db_path

    return str(getattr(store, "path", None) or resolve_db_path(db))
