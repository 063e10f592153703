"""End-to-end speed and memory of sitrep.

    python benchmarks/bench.py [--quick] [--json] [--docs N] [--tokens N]

What it measures, on this machine (cores and memory are printed beside the figures):

- **throughput**: documents and tokens per second from raw text to geocoded records, for all
  languages together with 1 and 2 workers, and for each language alone with 1 worker
  (language identification included: documents are given without a language), with
  ``Pipeline.extract_many(docs, workers=N)`` for N = 1 and 2. The wall time includes
  starting the worker processes, which build their own pipeline; a one-document warm-up
  in this process is not counted for N = 1.
- **cold start**: wall time of ``python -m sitrep extract FILE`` on one report-sized
  document in a fresh process (imports, gazetteer, models, one document, output).
- **gazetteer load**: ``sitrep.gazetteer.Gazetteer.default()`` in a fresh process, then lookups per
  second of names in several spellings and case forms.
- **long report**: all the documents joined into one report, in ms per 1,000 tokens (it should stay
  close to the per-document figure: nothing may grow with the square of a report's length).
- **peak memory**: the largest resident set of this process and of any child
  process (``resource.getrusage`` ``ru_maxrss``), in MB.

It exits 0 when every target below is met, 1 when one is missed or could not be measured
(2 cores: ≥ 25 documents/s with 2 workers, cold start < 5 s, peak memory < 1.5 GB).

The documents are built deterministically from the project's own corpus
(``eval/corpus/<lang>/*.json``): each language's report texts are concatenated in
a rotating order until a document reaches ``--tokens`` tokens (default 1,000), so
no gold text is used and every run sees the same input.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
CORPUS = ROOT / "eval" / "corpus"
LANGS = ("fr", "en", "uk", "ru")
TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)

TARGETS = {"docs_per_s_2_workers": 25.0, "cold_start_s": 5.0, "peak_memory_mb": 1536.0}

if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))


def count_tokens(text: str) -> int:
    return len(TOKEN.findall(text))


def corpus_texts(lang: str) -> list[tuple[str, str | None]]:
    """(text, date) of each corpus report of ``lang``, in file-name order."""
    out = []
    for path in sorted((CORPUS / lang).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out.append((data["text"], data.get("date")))
    if not out:
        raise SystemExit(f"bench: no corpus reports under {CORPUS / lang}")
    return out


def build_documents(per_lang: int, tokens: int) -> list[Any]:
    """``per_lang`` report-sized documents per language, the same on every run."""
    from sitrep.model import Document

    docs = []
    for lang in LANGS:
        texts = corpus_texts(lang)
        for i in range(per_lang):
            parts: list[str] = []
            n = 0
            k = i
            while n < tokens:
                text = texts[k % len(texts)][0]
                parts.append(text)
                n += count_tokens(text)
                k += 1
            date = texts[i % len(texts)][1]
            docs.append(Document(text="\n\n".join(parts), date=date, doc_id=f"bench-{lang}-{i}"))
    return docs


def machine() -> dict[str, Any]:
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cores": cores,
        "memory_gb": round(mem_kb / 1024 / 1024, 1) if mem_kb else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _run(args: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env=_env(), cwd=ROOT, check=False)
    return time.perf_counter() - started, proc


def cold_start(doc_text: str, date: str | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.txt"
        # the seed input format: a leading "date YYYY-MM" header, then the text
        header = f" date {date[:7]} " if date else ""
        path.write_text(header + doc_text + "\n", encoding="utf-8")
        seconds, proc = _run([sys.executable, "-m", "sitrep", "extract", str(path)])
    out: dict[str, Any] = {"seconds": round(seconds, 2), "exit_code": proc.returncode}
    if proc.returncode != 0:
        out["error"] = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
    return out


def gazetteer_load() -> dict[str, Any]:
    code = (
        "import time; t = time.perf_counter(); from sitrep.gazetteer import Gazetteer; "
        "g = Gazetteer.default(); print(time.perf_counter() - t); "
        "names = ['Bakhmut', 'Харкові', 'Zaporijjia', 'Avdeevka', 'Pokrovsk', 'Kherson', 'Бахмуте', 'Nikolaev']; "
        "t = time.perf_counter(); [g.lookup(n) for _ in range(250) for n in names]; "
        "print(2000 / (time.perf_counter() - t))"
    )
    seconds, proc = _run([sys.executable, "-c", code])
    if proc.returncode != 0:
        return {
            "error": (proc.stderr.strip().splitlines() or ["(no message)"])[-1],
            "process_seconds": round(seconds, 2),
        }
    load, rate = proc.stdout.strip().splitlines()[-2:]
    return {
        "seconds": round(float(load), 2),
        "process_seconds": round(seconds, 2),
        "lookups_per_s": round(float(rate)),
    }


def throughput(docs: list[Any], workers: int, *, label: str = "all") -> dict[str, Any]:
    from sitrep.pipeline import Pipeline

    pipeline = Pipeline()
    if workers == 1:
        pipeline.extract(docs[0])  # warm-up: lazy loads happen before the clock starts
    started = time.perf_counter()
    records = 0
    for _, recs in pipeline.extract_many(docs, workers=workers):
        if isinstance(recs, Exception):
            raise recs
        records += len(recs)
    seconds = time.perf_counter() - started
    tokens = sum(count_tokens(d.text) for d in docs)
    return {
        "workers": workers,
        "languages": label,
        "documents": len(docs),
        "tokens": tokens,
        "records": records,
        "seconds": round(seconds, 2),
        "docs_per_s": round(len(docs) / seconds, 1),
        "tokens_per_s": round(tokens / seconds),
    }


def long_report(docs: list[Any]) -> dict[str, Any]:
    """One very long report (every benchmark document joined): time per 1,000 tokens should stay what it is
    for report-sized documents, so nothing in the pipeline grows with the square of a report's length."""
    from sitrep.model import Document
    from sitrep.pipeline import Pipeline

    text = "\n\n".join(d.text for d in docs)
    pipeline = Pipeline()
    started = time.perf_counter()
    records = len(pipeline.extract(Document(text=text, date=docs[0].date, doc_id="bench-long")))
    seconds = time.perf_counter() - started
    tokens = count_tokens(text)
    return {"tokens": tokens, "seconds": round(seconds, 2), "ms_per_1000_tokens": round(seconds / tokens * 1e6, 1),
            "records": records}


def peak_memory_mb() -> dict[str, float]:
    # ru_maxrss is in kilobytes on Linux
    return {
        "self": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "children": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }


def verdicts(result: dict[str, Any]) -> dict[str, bool | None]:
    runs = {r["workers"]: r for r in result["throughput"] if "docs_per_s" in r and r["languages"] == "all"}
    two = runs.get(2)
    cold = result["cold_start"]
    mem = result["peak_memory_mb"]
    return {
        "docs_per_s_2_workers >= 25": two["docs_per_s"] >= TARGETS["docs_per_s_2_workers"] if two else None,
        "cold_start_s < 5": cold["seconds"] < TARGETS["cold_start_s"] if cold.get("exit_code") == 0 else None,
        "peak_memory_mb < 1536": max(mem["self"], mem["children"]) < TARGETS["peak_memory_mb"],
    }


def render(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [
        f"machine: {m['cores']} cores, {m['memory_gb']} GB, Python {m['python']}",
        f"corpus: {result['documents']} documents of ≥{result['tokens_per_doc']} tokens ({', '.join(LANGS)})",
        "",
        f"{'langs':>5}  {'workers':>7}  {'docs':>5}  {'seconds':>8}  {'docs/s':>7}  {'tokens/s':>9}  {'records':>7}",
    ]
    for r in result["throughput"]:
        if "error" in r:
            lines.append(f"{r.get('languages', 'all'):>5}  {r['workers']:>7}  error: {r['error']}")
        else:
            lines.append(
                f"{r['languages']:>5}  {r['workers']:>7}  {r['documents']:>5}  {r['seconds']:>8.2f}  {r['docs_per_s']:>7.1f}  "
                f"{r['tokens_per_s']:>9}  {r['records']:>7}"
            )
    cold, gaz, mem = result["cold_start"], result["gazetteer_load"], result["peak_memory_mb"]
    long = result["long_report"]
    lines.append("")
    lines.append(
        f"one long report ({long['tokens']} tokens): {long['seconds']:.2f} s, "
        f"{long['ms_per_1000_tokens']:.1f} ms per 1,000 tokens"
    )
    lines.append("")
    lines.append(
        f"cold start (python -m sitrep extract, one report): {cold['seconds']:.2f} s"
        + (f"  FAILED: {cold['error']}" if cold.get("exit_code") else "")
    )
    lines.append(
        "gazetteer load (fresh process): "
        + (
            f"{gaz['seconds']:.2f} s (process {gaz['process_seconds']:.2f} s), {gaz['lookups_per_s']:,} lookups/s"
            if "seconds" in gaz
            else f"FAILED: {gaz['error']}"
        )
    )
    lines.append(f"peak memory: this process {mem['self']:.0f} MB, largest child {mem['children']:.0f} MB")
    lines.append("")
    for name, ok in result["targets"].items():
        lines.append(f"target {name}: {'pass' if ok else 'FAIL' if ok is False else 'not measured'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="5 documents per language instead of 25")
    parser.add_argument("--docs", type=int, help="documents per language (overrides --quick)")
    parser.add_argument("--tokens", type=int, default=1000, help="tokens per document (default 1000)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    per_lang = args.docs or (5 if args.quick else 25)

    docs = build_documents(per_lang, args.tokens)
    result: dict[str, Any] = {"machine": machine(), "documents": len(docs), "tokens_per_doc": args.tokens}
    # fresh-process figures first, before this process loads anything
    result["cold_start"] = cold_start(docs[0].text, docs[0].date)
    result["gazetteer_load"] = gazetteer_load()
    runs = []
    for workers in (1, 2):
        try:
            runs.append(throughput(docs, workers))
        except Exception as e:  # report a broken pipeline as a figure, not a traceback
            runs.append({"workers": workers, "error": f"{type(e).__name__}: {e}"})
    for lang in LANGS:
        mine = [d for d in docs if d.doc_id.startswith(f"bench-{lang}-")]
        try:
            runs.append(throughput(mine, 1, label=lang))
        except Exception as e:
            runs.append({"workers": 1, "languages": lang, "error": f"{type(e).__name__}: {e}"})
    result["throughput"] = runs
    result["long_report"] = long_report(docs)
    result["peak_memory_mb"] = peak_memory_mb()
    result["targets"] = verdicts(result)
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else render(result))
    return 0 if all(ok is True for ok in result["targets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
