"""``sitrep evaluate``: score the pipeline, gate on score floors, raise floors.

Plugs into the main CLI with :func:`add_parser` and :func:`run`; also runs alone
as ``python -m sitrep.evaluate``. Exit codes: 0 success, 1 a floor is broken (or
an update would lower one), 2 a usage error (bad option, unreadable input).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from sitrep.errors import EvaluationError, SitrepError
from sitrep.evaluate.floors import gate, read_baseline, update_baseline, write_baseline
from sitrep.evaluate.report import render

log = logging.getLogger(__name__)

DEFAULT_PATHS = ("eval/corpus",)
DEFAULT_BASELINE = "eval/baseline.json"


def configure(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument(
        "paths",
        nargs="*",
        help="gold .jsonl files, folders of them, or a corpus folder (default: eval/corpus)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--incidents",
        action="store_true",
        help="score incident linking instead: pairwise precision, recall, F1 and false links "
        "(Warline pairs, real-report clusters, ACLED and UCDP rows: each row its own incident), per tune/check half",
    )
    parser.add_argument(
        "--versions",
        metavar="V,V",
        help="with --incidents: keep only rows whose id ends with :V (Warline: en,uk leaves out the headlines)",
    )
    parser.add_argument("--limit", type=int, metavar="N", help="score only the first N rows of each dataset")
    parser.add_argument("--sample", type=int, metavar="N", help="score N random rows of each dataset")
    parser.add_argument("--seed", type=int, default=0, help="seed of --sample (default 0)")
    parser.add_argument(
        "--half",
        choices=("tune", "check"),
        help="score one fixed half of each dataset (by a hash of the row id): read misses on tune, judge on check; "
        "with --incidents, show and write (--errors) only that half's figures and pairs",
    )
    parser.add_argument("--errors", metavar="FILE", help="write every miss to FILE (JSON Lines)")
    parser.add_argument("--workers", type=int, default=1, help="pipeline processes (default 1)")
    parser.add_argument(
        "--predictions",
        metavar="FILE",
        help="score records saved as JSON Lines (keyed by doc_id = the gold id) instead of running the pipeline",
    )
    parser.add_argument(
        "--gate", metavar="BASELINE", help="exit 1 when a score falls below its floor in BASELINE"
    )
    parser.add_argument(
        "--update-baseline",
        action="store_true",
        help="raise the floors in the --baseline file to this run's scores",
    )
    parser.add_argument(
        "--baseline",
        metavar="FILE",
        help=f"the floors file --update-baseline writes (default: the --gate file, else {DEFAULT_BASELINE})",
    )
    parser.add_argument(
        "--allow-lower", action="store_true", help="let --update-baseline lower floors that this run misses"
    )
    return parser


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``evaluate`` on the main CLI's subparsers; the handler is :func:`run`."""
    parser = subparsers.add_parser(
        "evaluate",
        help="measure accuracy against gold files or the project's corpus",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    configure(parser)
    parser.set_defaults(func=run, run=run)
    return parser


def _register() -> None:
    from sitrep.cli import command

    def add(sub: Any) -> None:
        add_parser(sub)

    command("evaluate")(add)


_register()


def _positive(value: int | None, flag: str) -> None:
    if value is not None and value < 1:
        raise EvaluationError(f"{flag} must be at least 1 (got {value})")


def run_incidents(args: argparse.Namespace) -> int:
    """``sitrep evaluate --incidents``: link every report of each gold file and score the links."""
    from sitrep.incidents.evaluate import evaluate_links, render
    from sitrep.pipeline import Pipeline

    def extract(docs: Any, workers: int) -> list[Any]:
        out: list[Any] = []
        for _, result in Pipeline().extract_many(docs, workers=workers):
            if isinstance(result, Exception):  # a stage failed on this report: scored as no records
                log.warning("%s", result)
                result = []
            out.append(result)
        return out

    try:
        _positive(args.workers, "--workers")
        if not args.paths:
            raise EvaluationError("--incidents needs gold files (e.g. ../shared/gold/dev/warline_raw_en_uk.dev.jsonl)")
        versions = [v.strip() for v in args.versions.split(",") if v.strip()] if args.versions else None
        results = evaluate_links([Path(p) for p in args.paths], extract, workers=args.workers, versions=versions)
    except SitrepError as e:
        print(f"sitrep evaluate: {e}", file=sys.stderr)
        return 2
    which = args.half or "all"  # with --half, only that half is shown and written: misses are read on tune
    if args.json:
        data = {name: {h: s.to_json() for h, s in halves.items() if h == which or which == "all"}
                for name, halves in results.items()}
        print(json.dumps(data, indent=2))
    else:
        print(render(results, only=args.half))
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as f:
            for name, halves in results.items():
                for kind, pairs in (("missed", halves[which].misses), ("false", halves[which].false_links)):
                    for a, b in pairs:
                        f.write(json.dumps({"file": name, "half": which, "link": kind, "a": a, "b": b}) + "\n")
    return 0


def run(args: argparse.Namespace) -> int:
    from sitrep.evaluate.runner import evaluate, stored_predictions

    if args.incidents:
        return run_incidents(args)
    if args.versions:
        print("sitrep evaluate: --versions only applies with --incidents", file=sys.stderr)
        return 2
    try:
        _positive(args.limit, "--limit")
        _positive(args.sample, "--sample")
        _positive(args.workers, "--workers")
        if args.allow_lower and not args.update_baseline:
            raise EvaluationError("--allow-lower only applies with --update-baseline")
        if args.baseline and not args.update_baseline:
            raise EvaluationError(
                "--baseline names the file --update-baseline writes; use --gate FILE to gate"
            )
        paths = [Path(p) for p in (args.paths or DEFAULT_PATHS)]
        baseline = read_baseline(args.gate) if args.gate else None
        predict = stored_predictions(args.predictions) if args.predictions else None
        report = evaluate(
            paths,
            limit=args.limit,
            sample=args.sample,
            seed=args.seed,
            errors_path=args.errors,
            workers=args.workers,
            predict=predict,
            only=args.half,
        )
    except SitrepError as e:
        print(f"sitrep evaluate: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(render(report))
    status = 0
    if baseline is not None:
        breaches = gate(report, baseline)
        for b in breaches:
            print(f"below floor: {b}", file=sys.stderr)
        if breaches:
            print(f"gate failed: {len(breaches)} score(s) broke their bound in {args.gate}", file=sys.stderr)
            status = 1
        else:
            n = len(baseline["floors"]) + len(baseline["ceilings"])
            print(f"gate passed: {n} bound(s) in {args.gate}", file=sys.stderr)
    if args.update_baseline:
        target = args.baseline or args.gate or DEFAULT_BASELINE
        try:
            current = read_baseline(target)
            new = update_baseline(report, current, allow_lower=args.allow_lower)
        except EvaluationError as e:
            print(f"sitrep evaluate: {e}", file=sys.stderr)
            return 1
        write_baseline(target, new)
        print(f"floors written to {target}", file=sys.stderr)
    return status


def main(argv: list[str] | None = None) -> int:
    parser = configure(argparse.ArgumentParser(prog="sitrep evaluate", description=__doc__))
    return run(parser.parse_args(argv))
