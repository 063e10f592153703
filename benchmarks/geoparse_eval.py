"""Geoparsing scores on a gold JSONL file (rows with text and toponyms with lat/lon).

    PYTHONPATH=src python benchmarks/geoparse_eval.py /work/shared/gold/dev/geoparse_gold_en.dev.jsonl [--misses N]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

from sitrep.gazetteer import evaluate_geoparse


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--misses", type=int, default=0)
    ap.add_argument("--no-demonyms", action="store_true")
    args = ap.parse_args()
    with open(args.file, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    res = evaluate_geoparse(rows, demonyms=not args.no_demonyms)
    misses = res.pop("misses")
    print(json.dumps(res, indent=1))
    if args.misses:
        for name, n in Counter(m["name"] for m in misses).most_common(args.misses):
            print(n, name, next(m["got"] for m in misses if m["name"] == name))


if __name__ == "__main__":
    main()
