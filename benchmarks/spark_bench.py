"""``sitrep spark --master local[N]`` against ``sitrep extract --workers 2`` on the same report-sized corpus.

    python benchmarks/spark_bench.py [--docs 2000] [--tokens 1000] [--masters local[2] local[1]] [--keep DIR]

The corpus: ``--docs`` documents of at least ``--tokens`` tokens, in English and Ukrainian, each made of
texts of the development gold (``../shared/gold/dev/*.jsonl``) drawn at random without replacement
(seeded: every run sees the same corpus), a long text (a quarter of a document or more) in one document
only, so that no two documents are reprints of each other. The
French and Russian gold texts are too few to make that many distinct documents.

For each run it prints the wall time, the start-up (``extract``: the wall time on a two-document
file; ``spark``: creating the SparkSession) and documents per second without it, and checks that the
job's records equal ``sitrep extract``'s, field for field. The figures are noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
GOLD = next((p / "shared" / "gold" / "dev" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
            ROOT.parent / "shared" / "gold" / "dev")
TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
SITREP = [sys.executable, "-m", "sitrep"]

if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))


def pool(lang: str) -> list[tuple[str, str | None]]:
    texts: dict[str, str | None] = {}
    for path in sorted(GOLD.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            if d.get("lang") == lang and d.get("text"):
                texts.setdefault(d["text"].strip(), d.get("doc_date") or d.get("date"))
    if not texts:
        raise SystemExit(f"spark_bench: no {lang} texts under {GOLD}")
    return sorted(texts.items())


def build(n: int, tokens: int) -> list[dict[str, Any]]:
    pools = {"en": pool("en"), "uk": pool("uk")}
    rng = random.Random(19)
    used: set[str] = set()  # a long text (a quarter of a document or more) goes into one document only
    docs = []
    for i in range(n):
        lang = "uk" if i % 4 == 3 else "en"
        texts = pools[lang]
        parts: list[str] = []
        count, first_date = 0, None
        for text, date in rng.sample(texts, len(texts)):
            size = len(TOKEN.findall(text))
            if text in used:
                continue
            if size * 4 >= tokens:
                used.add(text)
            first_date = date if not parts else first_date
            parts.append(text)
            count += size
            if count >= tokens:
                break
        docs.append({"id": f"bench-{i}", "text": "\n\n".join(parts), "date": first_date})
    return docs


def timed(args: list[str], **kw: Any) -> tuple[float, subprocess.CompletedProcess[str]]:
    t = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, check=False, **kw)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"spark_bench: {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    return time.perf_counter() - t, proc


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--tokens", type=int, default=1000)
    ap.add_argument("--masters", nargs="+", default=["local[2]"])
    ap.add_argument("--keep", help="folder to keep the corpus and outputs in")
    args = ap.parse_args()
    from sitrep.spark import lake
    from sitrep.spark.schema import record_json

    work = Path(args.keep or tempfile.mkdtemp(prefix="spark-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus.jsonl"
    docs = build(args.docs, args.tokens)
    corpus.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    small = work / "two.jsonl"
    small.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs[:2]), encoding="utf-8")
    result: dict[str, Any] = {"documents": len(docs), "tokens": sum(len(TOKEN.findall(d["text"])) for d in docs)}

    startup, _ = timed([*SITREP, "extract", "--workers", "2", "--format", "jsonl", str(small)])
    wall, proc = timed([*SITREP, "extract", "--workers", "2", "--format", "jsonl", str(corpus)])
    (work / "extract.jsonl").write_text(proc.stdout, encoding="utf-8")
    theirs = {r["event_id"]: r for r in map(json.loads, proc.stdout.splitlines())}
    result["extract --workers 2"] = {
        "wall_s": round(wall, 1), "startup_s": round(startup, 1),
        "docs_per_s": round(len(docs) / wall, 1), "docs_per_s_without_startup": round(len(docs) / (wall - startup), 1),
        "records": len(theirs),
    }
    for master in args.masters:
        out = work / f"out-{master.replace('[', '').replace(']', '').replace('*', 'all')}"
        wall, proc = timed([*SITREP, "spark", str(corpus), "--output", str(out), "--master", master, "--json"])
        report = json.loads(proc.stdout)
        mine = {r["event_id"]: record_json(r) for t in ("events", "aid") for r in lake.rows(out, t)}
        result[f"spark --master {master}"] = {
            "wall_s": round(wall, 1), "startup_s": report["seconds"]["session"], "job_s": report["seconds"]["job"],
            "phases_s": report["seconds"], "partitions": report["partitions"],
            "docs_per_s_without_startup": round(report["extracted"] / report["seconds"]["job"], 1),
            "records": len(mine), "equal_to_extract": mine == theirs,
            "duplicates": report["exact_duplicates"] + report["near_duplicates"],
        }
    base = result["extract --workers 2"]["docs_per_s_without_startup"]
    for key, run in result.items():
        if key.startswith("spark"):
            run["share_of_extract"] = round(run["docs_per_s_without_startup"] / base, 2)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
