"""``sitrep db migrate|version|copy``: the store's schema and copies between backends."""

from __future__ import annotations

import argparse
import sys

from sitrep.cli import Progress, Subparsers, _say, command, db_options, open_existing


@command("db")
def add_db(sub: Subparsers) -> None:
    p = sub.add_parser(
        "db",
        help="the store's schema version, its migrations, and copies between SQLite and PostgreSQL",
        description="Manage the store: --db PATH for SQLite, --db postgresql://user:password@host:port/dbname "
        "for PostgreSQL (default: $SITREP_DB, else $XDG_DATA_HOME/sitrep/sitrep.db).",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    v = actions.add_parser(
        "version", parents=[db_options()], help="the schema version of the store, and the latest"
    )
    v.set_defaults(run=run_version)
    m = actions.add_parser(
        "migrate", parents=[db_options()], help="apply the missing migrations (each in its own transaction)"
    )
    m.add_argument("--to", type=int, metavar="N", help="stop at schema version N (default: the latest)")
    m.set_defaults(run=run_migrate)
    c = actions.add_parser(
        "copy",
        help="copy a store into an empty one (SQLite to PostgreSQL or back) and verify the counts",
        description="Copy every document, record and ingestion time of SRC into the empty store DST, "
        "then check that both count the same documents, records, types, months and provinces.",
    )
    c.add_argument("source", metavar="SRC", help="the store to copy: a SQLite path or a postgresql:// URL")
    c.add_argument("target", metavar="DST", help="the empty store to fill (created or migrated as needed)")
    c.set_defaults(run=run_copy)


def run_version(args: argparse.Namespace) -> int:
    from sitrep.store import latest_version

    with open_existing(args.db, migrate_to=0) as store:
        current, latest = store.schema_version, latest_version(store.location)
    state = (
        "up to date" if current == latest else f"{latest - current} migration(s) to apply: sitrep db migrate"
    )
    sys.stdout.write(f"{store.location}: schema {current} (latest {latest}; {state})\n")
    return 0


def run_migrate(args: argparse.Namespace) -> int:
    from sitrep.store import open_store

    with open_store(args.db, migrate_to=0) as store:
        applied = store.migrate(args.to)
        current = store.schema_version
    done = f"applied {', '.join(map(str, applied))}" if applied else "nothing to apply"
    sys.stdout.write(f"{store.location}: schema {current} ({done})\n")
    return 0


def run_copy(args: argparse.Namespace) -> int:
    from sitrep.store import open_store
    from sitrep.store.copy import copy_store

    progress = Progress(sys.stderr, line=lambda r: r.progress_line())
    with open_existing(args.source) as source, open_store(args.target) as target:
        try:
            report = copy_store(source, target, on_progress=progress.update)
        finally:
            progress.clear()
    _say(
        f"{report.documents} document(s) and {report.events} record(s) copied from {source.location} "
        f"to {target.location}; counts verified"
    )
    return 0
