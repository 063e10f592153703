"""The job under ``spark-submit``: ``spark-submit [options] .../sitrep/spark/submit.py INPUT... --output DIR``.

The master, executors and files come from spark-submit's own options (see the README's cluster
section); the arguments after the script are those of ``sitrep spark`` less ``--master``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    del sys.path[0]  # run as a script: this folder's modules are sitrep.spark's, not top-level ones

from sitrep.cli import _StderrHandler
from sitrep.errors import SitrepError
from sitrep.spark.cli import add_arguments, run_spark


def main(argv: list[str] | None = None) -> int:
    from sitrep.spark.job import session

    parser = argparse.ArgumentParser(prog="sitrep-spark-submit", description=__doc__)
    add_arguments(parser, master=False)
    args = parser.parse_args(argv)
    logging.getLogger("sitrep").addHandler(_StderrHandler())
    logging.getLogger("sitrep").setLevel(logging.WARNING)
    try:
        return run_spark(args, spark=session(master=None, app="sitrep"))
    except SitrepError as e:
        sys.stderr.write(f"sitrep: {e}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
