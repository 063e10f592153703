"""The ``sitrep`` command. Thin: each subcommand parses its options and calls one library function.

Subcommands are registered in :data:`COMMANDS` (name → a function adding its
parser). A new one lives in its own module, listed in :data:`COMMAND_MODULES`,
and adds a subparser that sets ``run`` (a function of the parsed arguments
returning the exit code); the shared option groups (:func:`input_options`,
:func:`db_options`, :func:`output_options`, :func:`filter_options`) are there
to reuse as ``parents``::

    from sitrep.cli import Subparsers, command, db_options

    @command("gazetteer")
    def add_gazetteer(sub: Subparsers) -> None:
        p = sub.add_parser("gazetteer", parents=[db_options()], help="…")
        p.set_defaults(run=run_gazetteer)

Exit codes: 0 when every input succeeded, 1 when some failed (or the store
could not be used), 2 on a usage error. Errors go to stderr as
``sitrep: <file>:<line>: <what is wrong>``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from sitrep.errors import SitrepError
from sitrep.export import FORMATS

Subparsers = Any  # argparse._SubParsersAction, which argparse does not export
Runner = Callable[[argparse.Namespace], int]

COMMANDS: dict[str, Callable[[Subparsers], None]] = {}
#: modules defining more commands with :func:`command`, imported when the parser is built
COMMAND_MODULES: list[str] = [
    "sitrep.gazetteer.cli",
    "sitrep.evaluate.cli",
    "sitrep.explain",
    "sitrep.sources.cli",
    "sitrep.store.cli",
    "sitrep.server.cli",
    "sitrep.spark.cli",
]

log = logging.getLogger("sitrep.cli")


class UsageError(Exception):
    """A bad option value found after parsing: reported like argparse's errors, exit code 2."""


def command(name: str) -> Callable[[Callable[[Subparsers], None]], Callable[[Subparsers], None]]:
    def register(add: Callable[[Subparsers], None]) -> Callable[[Subparsers], None]:
        COMMANDS[name] = add
        return add

    return register


# -- option types ---------------------------------------------------------------


def _date(value: str) -> str:
    from sitrep.ingest.dates import parse_date

    try:
        return parse_date(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from e


def _positive_int(value: str) -> int:
    from sitrep.store.base import MAX_LIMIT

    try:
        n = int(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from e
    if not 1 <= n <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"expected 1 to {MAX_LIMIT}, got {n}")
    return n


def _km(value: str) -> float:
    try:
        km = float(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"expected a distance in km, got {value!r}") from e
    if not km > 0:
        raise argparse.ArgumentTypeError(f"expected a positive distance, got {value}")
    return km


def _bbox(value: str) -> tuple[float, float, float, float]:
    parts = value.split(",")
    try:
        min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"expected minlon,minlat,maxlon,maxlat, got {value!r}") from e
    if min_lon > max_lon or min_lat > max_lat:
        raise argparse.ArgumentTypeError(f"expected min <= max in minlon,minlat,maxlon,maxlat, got {value!r}")
    return (min_lon, min_lat, max_lon, max_lat)


def resolve_near(value: str) -> tuple[float, float]:
    """``lat,lon``, or the best gazetteer match for a place name."""
    from sitrep.gazetteer import point_of

    try:
        return point_of(value)
    except ValueError as e:
        raise UsageError(f"--near {e}") from e


# -- shared option groups -------------------------------------------------------


def input_options() -> argparse.ArgumentParser:
    from sitrep.lang import LANGUAGES

    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files, directories or - for standard input")
    p.add_argument("--date", type=_date, help="report date (YYYY[-MM[-DD]]) of inputs that give none")
    p.add_argument("--lang", choices=LANGUAGES, help="language of inputs that do not say (default: detected)")
    p.add_argument(
        "--workers",
        type=_positive_int,
        default=1,
        help="processes to extract with (default 1; at most the cores this process may use)",
    )
    return p


def db_options() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument(
        "--db",
        metavar="PATH|URL",
        help="the store: a SQLite file, or postgresql://user:password@host:port/dbname "
        "(default: $SITREP_DB, else $XDG_DATA_HOME/sitrep/sitrep.db)",
    )
    return p


def output_options(formats: tuple[str, ...], default: str | None) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    when = f"default {default}" if default else "default: table on a terminal, jsonl otherwise"
    p.add_argument("--format", "-f", choices=formats, default=default, help=f"output format ({when})")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    return p


def filter_options() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("filters")
    g.add_argument("--since", type=_date, help="records dated on or after this date")
    g.add_argument("--until", type=_date, help="records dated on or before this date")
    g.add_argument(
        "--type",
        action="append",
        metavar="TYPE",
        help="event type or sub-event type (repeat or separate with commas)",
    )
    g.add_argument("--actor", help="actor1 or actor2 contains this (case-insensitive)")
    g.add_argument("--text", help="words that must all appear in the report or the record's notes")
    g.add_argument("--near", metavar="PLACE", help="a place name or lat,lon")
    g.add_argument("--within", type=_km, metavar="KM", help="radius around --near in km (default 25)")
    g.add_argument("--bbox", type=_bbox, metavar="MINLON,MINLAT,MAXLON,MAXLAT", help="bounding box")
    g.add_argument("--kind", choices=("event", "aid"), help="only events or only aid pledges")
    g.add_argument("--limit", type=_positive_int, help="at most this many records")
    return p


# -- commands -------------------------------------------------------------------


@command("extract")
def add_extract(sub: Subparsers) -> None:
    p = sub.add_parser(
        "extract",
        parents=[input_options(), output_options(FORMATS, None)],
        help="extract records from reports and print them (nothing is stored)",
        description="Extract event and aid records from reports and print them. Nothing is stored.",
    )
    p.set_defaults(run=run_extract)


def run_extract(args: argparse.Namespace) -> int:
    from sitrep.batch import BatchReport, extract_inputs
    from sitrep.export import write_records

    report = BatchReport()
    with _output(args.output) as out:
        records = extract_inputs(
            args.inputs,
            date=args.date,
            lang=args.lang,
            workers=args.workers,
            report=report,
            on_error=_print_error,
        )
        write_records(records, args.format or _default_format(out), out)
    if report.failed:
        _say(f"{report.failed} input(s) failed; {report.documents} document(s) read")
    return 1 if report.failed else 0


@command("ingest")
def add_ingest(sub: Subparsers) -> None:
    p = sub.add_parser(
        "ingest",
        parents=[input_options(), db_options()],
        help="extract records from reports and store them",
        description="Extract records from reports and store them, one transaction per document. "
        "Documents already stored with the same content are skipped. An output folder of `sitrep spark` "
        "is stored as it is, its records not extracted again.",
    )
    p.add_argument("--force", action="store_true", help="extract and store again documents already stored")
    p.set_defaults(run=run_ingest)


def run_ingest(args: argparse.Namespace) -> int:
    from sitrep.batch import ingest_inputs
    from sitrep.store import open_store

    progress = Progress(sys.stderr)

    def on_error(error: SitrepError) -> None:
        progress.clear()
        _print_error(error)

    from sitrep.spark.lake import ingest_output, is_job_output

    lakes = [i for i in args.inputs if i != "-" and is_job_output(i)]
    reports = [i for i in args.inputs if i not in lakes]
    with open_store(args.db) as store:
        report = ingest_inputs(
            reports,
            store,
            date=args.date,
            lang=args.lang,
            workers=args.workers,
            force=args.force,
            on_error=on_error,
            on_progress=progress.update,
        )
        for lake in lakes:  # the Parquet output of `sitrep spark`: stored as extracted there
            ingest_output(lake, store, force=args.force, report=report, on_error=on_error)
    progress.clear()
    _say(
        f"{report.documents} document(s) read: {report.added} added, {report.replaced} replaced, "
        f"{report.unchanged} unchanged; {report.events} event(s), {report.aid} aid record(s) stored; "
        f"{report.failed} failed" + (f"; {report.undated} without a date" if report.undated else "")
    )
    return 1 if report.failed else 0


@command("events")
def add_events(sub: Subparsers) -> None:
    p = sub.add_parser(
        "events",
        parents=[db_options(), filter_options(), output_options(FORMATS, None)],
        help="query stored records",
        description="Print the stored records that match every filter, oldest first (nearest first with --near).",
    )
    p.set_defaults(run=run_events)


def run_events(args: argparse.Namespace) -> int:
    _write_stored(args)
    return 0


@command("incidents")
def add_incidents(sub: Subparsers) -> None:
    p = sub.add_parser(
        "incidents",
        parents=[db_options(), filter_options(), output_options(FORMATS, None)],
        help="query incidents (the events of many reports linked into one), or relink the store",
        description="Print the incidents of which at least one event matches every filter, oldest first "
        "(nearest first with --near): place, date, type and actors reconciled from their events, every "
        "source, killed and injured as low/best/high, verification. `sitrep incidents rebuild` links the "
        "whole store again (after a change of the rules) and reports how many links changed.",
    )
    p.add_argument("action", nargs="?", choices=("rebuild",), help="rebuild: link every stored event again")
    p.set_defaults(run=run_incidents)


def run_incidents(args: argparse.Namespace) -> int:
    if args.action == "rebuild":
        from sitrep.incidents import rebuild

        given = [f"--{name}" for name in ("since", "until", "type", "actor", "text", "near", "within", "bbox",
                                           "kind", "limit", "format", "output") if getattr(args, name, None)]
        if given:
            raise UsageError(f"incidents rebuild relinks the whole store and takes no {', '.join(given)}")

        with open_existing(args.db) as store:
            r = rebuild(store)
        _say(
            f"{r.events} event(s) in {r.incidents} incident(s); links changed: {r.links_changed} "
            f"({r.links_added} added, {r.links_removed} removed); {r.events_moved} event(s) changed incident"
            + (f"; {r.features_refreshed} event(s) read anew under the current rules" if r.features_refreshed else "")
        )
        return 0
    _write_stored(args)
    return 0


@command("export")
def add_export(sub: Subparsers) -> None:
    p = sub.add_parser(
        "export",
        parents=[db_options(), filter_options(), output_options(("csv", "geojson", "jsonl", "json"), "csv")],
        help="export stored records as CSV (ACLED columns), GeoJSON or JSON Lines",
        description="Export the stored records (all, or those matching the filters).",
    )
    p.add_argument(
        "--incidents",
        action="store_true",
        help="one row per incident instead of one per report's event (CSV `source` lists every outlet)",
    )
    p.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    n = _write_stored(args)
    if args.output:
        _say(f"{n} record(s) written to {args.output}")
    return 0


@command("stats")
def add_stats(sub: Subparsers) -> None:
    p = sub.add_parser(
        "stats",
        parents=[db_options()],
        help="counts of what the store holds",
        description="Counts of documents and records, by type, month and province.",
    )
    p.add_argument("--format", "-f", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(run=run_stats)


def run_stats(args: argparse.Namespace) -> int:
    with open_existing(args.db) as store:
        stats = store.stats()
    if args.format == "json":
        sys.stdout.write(json.dumps(stats, ensure_ascii=False, indent=2) + "\n")
        return 0
    lines = [
        f"database   {stats['path']} (schema {stats['schema_version']})",
        f"documents  {stats['documents']}",
        f"events     {stats['events']} ({stats['without_location']} without a location)",
        f"incidents  {stats.get('incidents', 0)}",
        f"aid        {stats['aid']}",
    ]
    for title, key in (("by type", "by_type"), ("by month", "by_month"), ("by admin1", "by_admin1")):
        if stats[key]:
            lines.append(f"\n{title}:")
            lines.extend(f"  {n:>7}  {name}" for name, n in stats[key].items())
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


# -- helpers --------------------------------------------------------------------


def _write_stored(args: argparse.Namespace) -> int:
    """Write the stored records (or incidents) matching the filter options of ``args`` (``events``,
    ``incidents``, ``export``).

    Return how many were written. With no ``--format`` the output decides:
    a table on a terminal, JSON Lines otherwise.
    """
    from sitrep.export import write_incidents, write_records

    with open_existing(args.db) as store:
        if args.command == "incidents" or getattr(args, "incidents", False):
            from sitrep.incidents import incidents

            found = incidents(store, _query(args))
            with _output(args.output) as out:
                return write_incidents(found, args.format or _default_format(out), out)
        records = store.query(_query(args))
        with _output(args.output) as out:
            return write_records(records, args.format or _default_format(out), out)


def _query(args: argparse.Namespace) -> Any:
    from sitrep.store import Query

    types = [t.strip() for arg in args.type or () for t in arg.split(",") if t.strip()] or None
    if args.within is not None and args.near is None:
        raise UsageError("--within needs --near")
    near = resolve_near(args.near) if args.near else None
    try:
        return Query(
            since=args.since,
            until=args.until,
            types=types,
            actor=args.actor,
            text=args.text,
            near=near,
            within_km=args.within,
            bbox=args.bbox,
            kind=args.kind,
            limit=args.limit,
        )
    except ValueError as e:
        raise UsageError(str(e)) from e


@contextlib.contextmanager
def open_existing(db: str | None, *, migrate_to: int | None = None) -> Iterator[Any]:
    """The store of ``--db`` for reading (see :func:`sitrep.store.open_store`): it must exist; it need not
    be writable."""
    from sitrep.store import open_store

    with open_store(db, create=False, write=False, migrate_to=migrate_to) as store:
        yield store


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    """Standard output, or ``path`` written whole or not at all (a temporary file renamed at the end).

    The file gets the permissions a new file gets from the umask (or those of the
    file it replaces), not the temporary file's owner-only ones.
    """
    if path is None or path == "-":
        yield sys.stdout
        return
    target = Path(path)
    if target.is_dir():
        raise SitrepError(f"-o {path}: is a folder; give a file name")
    folder = target.parent
    if not folder.is_dir():
        raise SitrepError(f"-o {path}: the folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
        os.fchmod(fd, _mode_of(target))
    except OSError as e:
        raise SitrepError(f"-o {path}: cannot write here: {e.strerror or e}") from e
    try:
        with open(fd, "w", encoding="utf-8", newline="") as f:
            yield f
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_of(target: Path) -> int:
    """The permissions of the file ``target`` replaces, else those the umask gives a new file."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _default_format(stream: TextIO) -> str:
    return "table" if stream.isatty() else "jsonl"


def _print_error(error: SitrepError) -> None:
    _say(str(error))


def _say(message: str) -> None:
    sys.stderr.write(f"sitrep: {message}\n")
    sys.stderr.flush()


class Progress:
    """A one-line progress report on a terminal's stderr; silent when it is not a terminal."""

    active: Progress | None = None  # the bar on screen, cleared before a log line is written

    def __init__(
        self, stream: TextIO, *, every: float = 0.2, line: Callable[[Any], str] | None = None
    ) -> None:
        self.stream = stream
        self.line = line
        self.enabled = stream.isatty()
        self.every = every
        self.start = time.monotonic()
        self.last = 0.0
        self.shown = False

    def update(self, report: Any) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < self.every:
            return
        self.last = now
        rate = report.documents / max(now - self.start, 1e-9)
        what = (
            self.line(report)
            if self.line
            else f"{report.documents} documents, {report.events} events, {report.failed} failed"
        )
        self.stream.write(f"\rsitrep: {what} ({rate:.1f} doc/s)\x1b[K")
        self.stream.flush()
        self.shown = True
        Progress.active = self

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
            Progress.active = None


class _StderrHandler(logging.Handler):
    """Log records as ``sitrep: warning: …`` on whatever ``sys.stderr`` is at the time."""

    def emit(self, record: logging.LogRecord) -> None:
        if Progress.active is not None:
            Progress.active.clear()
        level = "" if record.levelno == logging.INFO else f"{record.levelname.lower()}: "
        sys.stderr.write(f"sitrep: {level}{record.getMessage()}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitrep",
        description="Turn dated news reports about armed conflict into geocoded, source-attributed event records.",
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="also report progress details")
    parser.add_argument("-q", "--quiet", action="store_true", help="report errors only, no warnings")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        importlib.import_module(module)
    for add in COMMANDS.values():
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # --help (0) or a usage error (2): argparse has printed the message
        return int(e.code or 0) if not isinstance(e.code, str) else 2
    handler = _StderrHandler()
    logger = logging.getLogger("sitrep")
    logger.addHandler(handler)
    saved = logger.level
    logger.setLevel(logging.ERROR if args.quiet else logging.INFO if args.verbose else logging.WARNING)
    try:
        run: Runner = args.run
        return run(args)
    except UsageError as e:
        parser.print_usage(sys.stderr)
        _say(f"error: {e}")
        return 2
    except SitrepError as e:
        _say(str(e))
        return 1
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except BrokenPipeError:
        # the reader went away (sitrep events | head): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved)


class _Version(argparse.Action):
    """``--version``: the installed version, looked up (``importlib.metadata``) only when it is asked for."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=kwargs.get("help"))

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        sys.stdout.write(f"{parser.prog} {_version()}\n")
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sitrep")
    except PackageNotFoundError:
        return "(not installed)"
