"""Check that a change of the code leaves every record as it was, byte for byte.

    python benchmarks/same_records.py --save DIR     # the records of the current code, into DIR
    python benchmarks/same_records.py --check DIR    # the same inputs again, compared with DIR

The inputs: the project corpus (``eval/corpus``), the example reports (``../shared/examples``), the real
reports of ``eval/.pages/pages_dev.jsonl``, the benchmark's report-sized documents (``benchmarks/corpus.py``)
and, with ``--gold``, the development gold files (``../shared/gold/dev``). Each goes through
``sitrep extract --format jsonl`` (``--workers`` as given); the output of each is one file in ``DIR``.
Inputs that are missing on this machine are named and left out.
"""

from __future__ import annotations

import argparse
import difflib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402

_GOLD_FILES = ("acled_peacerep_sample.dev.jsonl", "acled_looting_property_destruction.dev.jsonl",
               "geoparse_gold_en.dev.jsonl", "warline_raw_en_uk.dev.jsonl", "ucdp_ged_ukraine.dev.jsonl")


def inputs(tmp: Path, *, gold: bool) -> dict[str, Path]:
    found = {
        "corpus": ROOT / "eval" / "corpus",
        "examples": corpus.EXAMPLE.parent,
        "pages_dev": ROOT / "eval" / ".pages" / "pages_dev.jsonl",
    }
    if gold:
        found.update({name.split(".")[0]: corpus.GOLD / name for name in _GOLD_FILES})
    bench = tmp / "bench.jsonl"
    with bench.open("w", encoding="utf-8") as f:
        for d in corpus.documents(185):
            f.write(json.dumps({"id": d.doc_id, "text": d.text, "date": d.date}, ensure_ascii=False) + "\n")
    found["bench"] = bench
    return found


def extract(path: Path, *, workers: int) -> str:
    proc = subprocess.run([sys.executable, "-m", "sitrep", "--quiet", "extract", "--format", "jsonl",
                           "--workers", str(workers), str(path)], capture_output=True, text=True, check=False)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"same_records: {path}: sitrep exited {proc.returncode}: {proc.stderr[-400:]}")
    return proc.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--save", type=Path, metavar="DIR")
    what.add_argument("--check", type=Path, metavar="DIR")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--gold", action="store_true", help="the development gold files too")
    args = parser.parse_args(argv)
    folder: Path = args.save or args.check
    different = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in inputs(Path(tmp), gold=args.gold).items():
            if not path.exists():
                print(f"same_records: {name}: {path} not found, left out", file=sys.stderr)
                continue
            out = extract(path, workers=args.workers)
            saved = folder / f"{name}.jsonl"
            if args.save:
                folder.mkdir(parents=True, exist_ok=True)
                saved.write_text(out, encoding="utf-8")
                print(f"{name}: {out.count(chr(10))} records saved")
                continue
            if not saved.is_file():
                print(f"{name}: no saved records in {folder}")
                different += 1
                continue
            before = saved.read_text(encoding="utf-8")
            if before == out:
                print(f"{name}: {out.count(chr(10))} records, the same")
                continue
            different += 1
            print(f"{name}: DIFFERENT")
            diff = difflib.unified_diff(before.splitlines(), out.splitlines(), "before", "after", lineterm="", n=0)
            for n, line in enumerate(diff):
                if n == 20:
                    print("  …")
                    break
                print("  " + line[:300])
    return 1 if different else 0


if __name__ == "__main__":
    raise SystemExit(main())
