"""``sitrep spark INPUT... --output DIR``: the pipeline as a Spark job (see :mod:`sitrep.spark.job`)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from typing import Any

from sitrep.cli import Subparsers, _date, _positive_int, _say, command
from sitrep.errors import SitrepError

log = logging.getLogger(__name__)


def _threshold(value: str) -> float:
    try:
        x = float(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"expected a similarity between 0 and 1, got {value!r}") from e
    if not 0 < x <= 1:
        raise argparse.ArgumentTypeError(f"expected a similarity above 0 and at most 1, got {value}")
    return x


def add_arguments(p: argparse.ArgumentParser, *, master: bool = True) -> None:
    from sitrep.lang import LANGUAGES

    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files or directories: JSON Lines, Parquet with a text column, seed-format text, WARC/WET")
    p.add_argument("--output", "-o", required=True, metavar="DIR", help="folder of the Parquet tables")
    if master:
        p.add_argument("--master", help="Spark master (default local[WORKERS], or local[*] without --workers)")
    p.add_argument("--workers", type=_positive_int,
                   help="tasks at once (a local master's threads, else executors to ask for)")
    p.add_argument("--partitions", type=_positive_int, help="partitions to extract in (default max(4 × workers, reports / 500))")
    p.add_argument("--date", type=_date, help="report date (YYYY[-MM[-DD]]) of inputs that give none")
    p.add_argument("--lang", choices=LANGUAGES, help="language of inputs that do not say (default: detected)")
    p.add_argument("--near-duplicates", type=_threshold, default=0.9, metavar="SIMILARITY",
                   help="Jaccard similarity of word 5-shingles at which two reports are one (default 0.9)")
    p.add_argument("--keep-duplicates", action="store_true", help="extract every report, reprints included")
    p.add_argument("--index", metavar="FILE", help="the compiled place index to ship (default: the cache's)")
    p.add_argument("--json", action="store_true", help="print the run's summary as JSON")


def _first_line(error: Exception) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    causes = [line for line in lines if "Error:" in line or "Exception:" in line]
    return (causes[-1] if causes else lines[0] if lines else type(error).__name__)[:500]


@command("spark")
def add_spark(sub: Subparsers) -> None:
    p = sub.add_parser(
        "spark",
        help="run the pipeline as an Apache Spark job, writing Parquet",
        description="Run the pipeline over a corpus on Apache Spark and write events, aid, documents, errors "
        "and skipped pages as Parquet under --output (events, aid and documents partitioned by month). "
        "Needs the spark extra and Java 17.",
    )
    add_arguments(p)
    p.set_defaults(run=run_spark)


def run_spark(args: argparse.Namespace, *, spark: Any = None) -> int:
    try:
        from sitrep.spark.job import JobOptions, check, run_job, session
    except ImportError as e:  # pragma: no cover - the extra is installed in development and CI
        _say(f"sitrep spark needs the spark extra: pip install 'sitrep[spark]' ({e})")
        return 1
    options = JobOptions(
        output=args.output, workers=args.workers, partitions=args.partitions, date=args.date, lang=args.lang,
        duplicates=not args.keep_duplicates, near_threshold=args.near_duplicates, index=args.index,
    )
    check(args.inputs, args.output)
    t0 = time.perf_counter()
    own = spark is None
    spark = spark or session(master=getattr(args, "master", None), workers=args.workers)
    started = time.perf_counter() - t0
    try:
        report = run_job(spark, args.inputs, options)
    except SitrepError:
        raise
    except Exception as e:  # a failed Spark job (Py4J or PySpark errors): its first line, not a Java trace
        raise SitrepError(f"the Spark job failed: {_first_line(e)}") from e
    finally:
        if own:
            spark.stop()
    report.seconds["session"] = round(started, 2)
    if args.json:
        sys.stdout.write(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        skipped = sum(report.not_articles.values()) + sum(report.languages_skipped.values())
        _say(
            f"{report.documents} report(s) read from {report.files} file(s); {skipped} skipped "
            f"({sum(report.not_articles.values())} not articles, {sum(report.languages_skipped.values())} in "
            f"other languages); {report.exact_duplicates} exact and {report.near_duplicates} near duplicate(s); "
            f"{report.extracted} extracted: {report.events} event(s), {report.aid} aid record(s); "
            f"{report.errors} error(s); {report.seconds['job']} s after a {started:.1f} s start-up"
        )
    return 1 if report.errors else 0
