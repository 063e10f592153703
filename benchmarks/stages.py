"""CPU time of each pipeline stage over the reports of a JSON Lines file.

    python benchmarks/stages.py FILE.jsonl [--repeat N]

Each line is a report (``text``, ``lang``, ``date`` or ``doc_date``, ``id``). Every report goes through
every stage ``N`` times (default 5); for each stage the best of the ``N`` totals is printed, in ms of
process CPU time, so that other processes on a shared machine weigh less than in wall time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

from sitrep.model import Analysis, Document
from sitrep.pipeline import default_pipeline


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    docs = []
    for n, line in enumerate(args.input.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            print(f"stages: {args.input}:{n}: not JSON: {e.msg}", file=sys.stderr)
            return 1
        docs.append(Document(text=row["text"], date=row.get("date") or row.get("doc_date"), lang=row.get("lang"),
                             doc_id=str(row.get("id", n))))
    pipeline = default_pipeline()
    for doc in docs[:1]:
        pipeline.extract(doc)  # models and the place index loaded before timing
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        spent = {stage.name: 0.0 for stage in pipeline.stages}
        for doc in docs:
            analysis = Analysis(document=doc)
            for stage in pipeline.stages:
                start = time.process_time()
                analysis = stage(analysis)
                spent[stage.name] += time.process_time() - start
                analysis = replace(analysis, done=analysis.done | {stage.name})
        best = {k: min(v, best.get(k, v)) for k, v in spent.items()}
    print(" ".join(f"{k}={1000 * v:.0f}ms" for k, v in best.items()), f"total={1000 * sum(best.values()):.0f}ms",
          f"({len(docs)} reports)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
