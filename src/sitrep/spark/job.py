"""The Spark job: inputs in, Parquet tables of events, aid, documents, errors and skipped pages out.

The stages, in order (see the README's *Apache Spark* section for the why)::

    list input files (driver) → read each file (one task a file) → skip non-articles and languages
    sitrep does not read → find exact and near duplicates → group each kept report with its reprints
    (shuffle into P partitions) → extract each partition with the executor's one pipeline →
    write the tables → write the manifest

Output layout under ``DIR``: ``events/``, ``aid/`` and ``documents/`` partitioned by ``month=``;
``errors/`` and ``skipped/`` unpartitioned; ``_sitrep.json``, the manifest, written last. A run
starts by removing the manifest and any staging left by a killed run, writes every table with
Spark's dynamic partition overwrite (each month partition it writes replaces the one there; others
are left alone; ``errors`` and ``skipped`` are replaced whole), and writes the manifest only when
every table is in place, so an output without a manifest is one whose job did not finish.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import shutil
import sys
import time
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sitrep.errors import SitrepError
from sitrep.spark import dedup, schema, tasks

log = logging.getLogger(__name__)

MANIFEST = "_sitrep.json"
TABLES = ("events", "aid", "documents")
DOCS_PER_PARTITION = 500
MAX_ROWS_PER_FILE = 250_000
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


class JobError(SitrepError):
    """The job cannot run as asked (an output that is a URL, no input files…)."""


@dataclass(frozen=True, slots=True)
class JobOptions:
    output: str
    workers: int | None = None  # tasks at once; default: what the master gives
    partitions: int | None = None  # default: max(4 × workers, reports / 500)
    date: str | None = None
    lang: str | None = None
    duplicates: bool = True  # find reprints and extract each once
    near_threshold: float = dedup.DEFAULT_THRESHOLD
    index: str | None = None  # the place index to ship; default the compiled one in the cache


@dataclass(slots=True)
class JobReport:
    """What a run did; written as the manifest ``_sitrep.json``."""

    inputs: list[str] = field(default_factory=list)
    files: int = 0
    documents: int = 0  # reports read
    not_articles: dict[str, int] = field(default_factory=dict)
    languages_skipped: dict[str, int] = field(default_factory=dict)
    exact_duplicates: int = 0
    near_duplicates: int = 0
    extracted: int = 0
    events: int = 0
    aid: int = 0
    errors: int = 0
    partitions: int = 0
    workers: int = 0
    pipelines_built: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    spark_version: str = ""
    master: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def session(*, master: str | None, workers: int | None = None, app: str = "sitrep") -> Any:
    """A SparkSession for the job: ``master`` (``local[2]``, ``yarn``, ``spark://…``), or the one spark-submit set."""
    from pyspark.sql import SparkSession

    if master is None and workers is not None and "SPARK_HOME" not in os.environ:
        master = f"local[{workers}]"
    if master is not None and master.startswith("local"):
        # the executors of a local master are this interpreter, with sitrep installed
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app)
    if master is not None:
        builder = builder.master(master)
        if workers is not None and not master.startswith("local"):
            builder = builder.config("spark.executor.instances", str(workers))
    return (
        builder.config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .config("spark.python.worker.reuse", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.log.level", "ERROR")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(max(8, 4 * (workers or 2))))
        .getOrCreate()
    )


def run_job(spark: Any, inputs: Sequence[str], options: JobOptions) -> JobReport:
    """Run the job over ``inputs`` (files and directories) and write its tables under ``options.output``."""
    from pyspark import StorageLevel

    t0 = time.perf_counter()
    out = _output_dir(options.output)
    sc = spark.sparkContext
    report = JobReport(inputs=list(inputs), spark_version=spark.version, master=sc.master)
    files, missing = list_inputs(inputs)
    if not files and not missing:
        raise JobError("no input files: give files or directories of reports")
    index_name = ship_index(sc, options.index)
    clean_output(out)
    workers = options.workers or sc.defaultParallelism
    report.workers = workers
    report.files = len(files)

    date, lang = options.date, options.lang
    items = (
        sc.parallelize(files, max(1, len(files)))
        .flatMap(lambda path: tasks.read_file(path, date, lang))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    found = items.map(_tally).countByValue()  # the one pass that reads the input, kept in memory or on disk
    report.documents = found.get(("doc", ""), 0)
    report.not_articles = {why: n for (k, why), n in sorted(found.items()) if k == "not an article"}
    report.languages_skipped = {why: n for (k, why), n in sorted(found.items()) if k == "language"}
    report.seconds["read"] = round(time.perf_counter() - t0, 2)

    t1 = time.perf_counter()
    docs = items.filter(lambda it: it[0] == "doc")
    kept_of = find_duplicates(docs, threshold=options.near_threshold) if options.duplicates else {}
    report.seconds["duplicates"] = round(time.perf_counter() - t1, 2)
    kept = sc.broadcast(kept_of)
    partitions = options.partitions or max(4 * workers, math.ceil(report.documents / DOCS_PER_PARTITION))
    report.partitions = partitions
    builds = sc.accumulator(0)
    grouped = (
        docs.map(lambda it: (kept.value.get(it[1], it[1]), it))
        .groupByKey(numPartitions=partitions, partitionFunc=_crc)
        .map(lambda kv: _with_duplicates(list(kv[1]), kv[0]))
    )
    rows = grouped.mapPartitions(
        lambda part: tasks.extract_partition(part, index_name=index_name, builds=builds)
    ).persist(StorageLevel.MEMORY_AND_DISK)

    t2 = time.perf_counter()
    for table, struct in (("events", schema.event_schema()), ("aid", schema.aid_schema()),
                          ("documents", schema.document_schema())):
        write_table(spark, rows, table, struct, out, partitioned=True)
        log.debug("%s written after %.1f s", table, time.perf_counter() - t2)
    counts = Counter(rows.flatMap(_row_tally).countByValue())
    report.events, report.aid, report.extracted = counts["events"], counts["aid"], counts["documents"]
    report.exact_duplicates, report.near_duplicates = counts["exact"], counts["near"]
    problems = items.filter(lambda it: it[0] == "error").map(lambda it: tuple(it[1:]))
    failed = rows.filter(lambda r: r[0] == "errors").map(lambda r: r[1])
    missing_rows = sc.parallelize([(e.where, None, type(e).__name__, e.message) for e in missing], 1)
    _write_small(spark, problems.union(failed).union(missing_rows), "errors", out)
    report.errors = found.get(("error", ""), 0) + counts["errors"] + len(missing)
    _write_small(spark, items.filter(lambda it: it[0] == "skip").map(lambda it: tuple(it[1:])), "skipped", out)
    report.pipelines_built = builds.value
    report.seconds["extract_and_write"] = round(time.perf_counter() - t2, 2)
    report.seconds["job"] = round(time.perf_counter() - t0, 2)
    rows.unpersist()
    items.unpersist()
    write_manifest(out, report)
    return report


def _tally(item: tuple[Any, ...]) -> tuple[str, str]:
    if item[0] == "skip":  # the reason without its detail: "not html (image/png)" counts as "not html"
        return item[3], str(item[4]).split(" (")[0]
    return item[0], ""


def _row_tally(row: tuple[str, tuple[Any, ...]]) -> list[str]:
    if row[0] == "documents":
        return ["documents", *(d[4] for d in row[1][11])]
    return [row[0]]


def check(inputs: Sequence[str], output: str) -> None:
    """Refuse, before any Spark start-up, inputs and outputs the job cannot use (URLs, ``-``, a file as output)."""
    list_inputs(inputs)
    if _URL.match(output):
        raise JobError(f"--output {output}: a URL; give a folder every executor and the driver can write")
    if Path(output).exists() and not Path(output).is_dir():
        raise JobError(f"--output {output}: a file, not a folder")


def list_inputs(inputs: Sequence[str]) -> tuple[list[str], list[Any]]:
    """The input files (directories walked, in path order) and an error for each input that is not there."""
    from sitrep.errors import EmptyInput, MissingInput
    from sitrep.ingest import EXTENSIONS
    from sitrep.ingest.warc import is_warc

    files: list[str] = []
    missing: list[Any] = []
    for name in inputs:
        if name == "-":
            raise JobError("standard input cannot be read by a Spark job: give files or directories")
        if _URL.match(name):
            raise JobError(f"{name}: a URL, not a file; mount the storage on every executor and give its path")
        path = Path(name)
        if path.is_dir():
            found = sorted(
                (p for p in path.rglob("*") if p.is_file() and (p.suffix.lower() in EXTENSIONS or is_warc(p.name))
                 and not any(part.startswith(".") for part in p.relative_to(path).parts)),
                key=lambda p: p.relative_to(path).parts,
            )
            if not found:
                missing.append(EmptyInput(name, "no report files in this directory"))
            files += [str(p.resolve()) for p in found]
        elif path.is_file():
            files.append(str(path.resolve()))
        else:
            missing.append(MissingInput(name, "no such file or directory"))
    return files, missing


def ship_index(sc: Any, path: str | None) -> str:
    """Ship the compiled place index with the job (compiling it on the driver first if needed); return its name."""
    from sitrep.gazetteer import Gazetteer, index

    target = Path(path) if path else index.default_path()
    if not target.is_file():
        if path:
            raise JobError(f"{path}: no place index here; build one with `sitrep gazetteer build`")
        Gazetteer.open(target)  # compiles it, once, here
    shipped = sc.getConf().get("spark.files", "")
    if not any(Path(f).name == target.name for f in shipped.split(",") if f):
        sc.addFile(str(target))
    return target.name


def clean_output(out: Path) -> None:
    """Remove the manifest and whatever a killed run left half-written (staging folders, temporary files)."""
    (out / MANIFEST).unlink(missing_ok=True)
    for table in (*TABLES, "errors", "skipped"):
        folder = out / table
        if not folder.is_dir():
            continue
        for left in [*folder.glob(".spark-staging-*"), *folder.glob("_temporary")]:
            log.info("%s: removing what an unfinished run left", left)
            shutil.rmtree(left, ignore_errors=True)


def find_duplicates(docs: Any, *, threshold: float) -> dict[str, str]:
    """For each reprint's uid, the uid of the report kept in its place (see :mod:`sitrep.spark.dedup`).

    One shuffle finds both: each report goes to the bucket of its text digest and to one bucket per
    LSH band of its MinHash signature; a digest bucket's members are exact duplicates, a band
    bucket's are candidates checked against the threshold.
    """
    pairs = (
        docs.flatMap(lambda it: dedup.buckets(it[2], it[1], it[3]))
        .groupByKey(partitionFunc=_crc)
        .flatMap(lambda kv: dedup.bucket_pairs(kv[0], kv[1], threshold))
        .collect()
    )
    return dedup.groups(pairs)


def _with_duplicates(members: list[tuple[Any, ...]], kept_uid: str) -> tuple[Any, str, list[dict[str, Any]]]:
    head = next(m for m in members if m[1] == kept_uid)
    dups = [dedup.duplicate_info(m[2], m[1], exact=m[3] == head[3]) for m in members if m[1] != kept_uid]
    dups.sort(key=lambda d: (d["origin"] or ""))
    return head[2], head[3], dups


def write_table(spark: Any, rows: Any, table: str, struct: Any, out: Path, *, partitioned: bool) -> None:
    df = spark.createDataFrame(rows.filter(lambda r: r[0] == table).map(lambda r: r[1]), struct, verifySchema=False)
    keys = ["doc_id", "event_id"] if "event_id" in struct.fieldNames() else ["doc_id"]
    if partitioned:  # one task (and so one file, up to MAX_ROWS_PER_FILE rows) per month
        df = df.repartition("month")
    writer = df.sortWithinPartitions(*keys).write.mode("overwrite").option("maxRecordsPerFile", MAX_ROWS_PER_FILE)
    if partitioned:
        writer = writer.partitionBy("month")
    writer.parquet(str(out / table))


def _write_small(spark: Any, rows: Any, table: str, out: Path) -> None:
    df = spark.createDataFrame(rows, schema.problem_schema(), verifySchema=False)
    df.coalesce(1).sortWithinPartitions("where").write.mode("overwrite").parquet(str(out / table))


def write_manifest(out: Path, report: JobReport) -> None:
    tmp = out / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, out / MANIFEST)


def _output_dir(output: str) -> Path:
    check([], output)
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    return out


def _crc(key: Any) -> int:
    return zlib.crc32(key if isinstance(key, bytes) else str(key).encode("utf-8"))


def _crc_text(key: str) -> int:
    return zlib.crc32(key.encode("ascii"))
