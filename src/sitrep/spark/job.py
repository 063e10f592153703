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
    report.documents = items.filter(lambda it: it[0] == "doc").count()
    skips = items.filter(lambda it: it[0] == "skip").map(lambda it: (it[3], it[4])).countByValue()
    report.not_articles = {why: n for (k, why), n in sorted(skips.items()) if k == "not an article"}
    report.languages_skipped = {why: n for (k, why), n in sorted(skips.items()) if k == "language"}
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
    write_table(spark, rows, "events", schema.event_schema(), out, partitioned=True)
    write_table(spark, rows, "aid", schema.aid_schema(), out, partitioned=True)
    write_table(spark, rows, "documents", schema.document_schema(), out, partitioned=True)
    counts = rows.map(lambda r: r[0]).countByValue()
    report.events, report.aid = counts.get("events", 0), counts.get("aid", 0)
    report.extracted = counts.get("documents", 0)
    problems = items.filter(lambda it: it[0] == "error").map(lambda it: tuple(it[1:]))
    failed = rows.filter(lambda r: r[0] == "errors").map(lambda r: r[1])
    missing_rows = sc.parallelize([(e.where, None, type(e).__name__, e.message) for e in missing], 1)
    errors = problems.union(failed).union(missing_rows)
    report.errors = _write_small(spark, errors, "errors", out)
    _write_small(spark, items.filter(lambda it: it[0] == "skip").map(lambda it: tuple(it[1:])), "skipped", out)
    matches = rows.filter(lambda r: r[0] == "documents").flatMap(lambda r: [d[4] for d in r[1][11]]).countByValue()
    report.exact_duplicates, report.near_duplicates = matches.get("exact", 0), matches.get("near", 0)
    report.pipelines_built = builds.value
    report.seconds["extract_and_write"] = round(time.perf_counter() - t2, 2)
    report.seconds["job"] = round(time.perf_counter() - t0, 2)
    rows.unpersist()
    items.unpersist()
    write_manifest(out, report)
    return report


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
    """For each reprint's uid, the uid of the report kept in its place (see :mod:`sitrep.spark.dedup`)."""
    meta = docs.map(lambda it: (dedup.order_key(it[2], it[1]), it[1], it[3], dedup.signature(it[2].text)))
    meta = meta.persist()
    exact = (
        meta.map(lambda m: (m[2], (m[0], m[1])))
        .groupByKey(partitionFunc=_crc_text)
        .flatMap(lambda kv: dedup.exact_groups(kv[1]))
        .collect()
    )
    reprints = {u for _, _, _, u in exact}
    bc = docs.context.broadcast(reprints)
    near = (
        meta.filter(lambda m: m[1] not in bc.value)
        .flatMap(lambda m: [(bytes([b]) + band, (m[0], m[1], m[3])) for b, band in dedup.bands(m[3])])
        .groupByKey(partitionFunc=_crc)
        .flatMap(lambda kv: dedup.bucket_pairs(kv[1], threshold))
        .distinct()
        .collect()
    )
    meta.unpersist()
    return dedup.groups(exact, near)


def _with_duplicates(members: list[tuple[Any, ...]], kept_uid: str) -> tuple[Any, str, list[dict[str, Any]]]:
    head = next(m for m in members if m[1] == kept_uid)
    dups = [dedup.duplicate_info(m[2], m[1], exact=m[3] == head[3]) for m in members if m[1] != kept_uid]
    dups.sort(key=lambda d: (d["origin"] or ""))
    return head[2], head[3], dups


def write_table(spark: Any, rows: Any, table: str, struct: Any, out: Path, *, partitioned: bool) -> None:
    df = spark.createDataFrame(rows.filter(lambda r: r[0] == table).map(lambda r: r[1]), struct, verifySchema=False)
    keys = ["doc_id", "event_id"] if "event_id" in struct.fieldNames() else ["doc_id"]
    writer = df.sortWithinPartitions(*keys).write.mode("overwrite")
    if partitioned:
        writer = writer.partitionBy("month")
    writer.parquet(str(out / table))


def _write_small(spark: Any, rows: Any, table: str, out: Path) -> int:
    df = spark.createDataFrame(rows, schema.problem_schema(), verifySchema=False).coalesce(1).sort("where")
    df.write.mode("overwrite").parquet(str(out / table))
    return int(spark.read.parquet(str(out / table)).count())


def write_manifest(out: Path, report: JobReport) -> None:
    tmp = out / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, out / MANIFEST)


def _output_dir(output: str) -> Path:
    if _URL.match(output):
        raise JobError(f"--output {output}: a URL; give a folder every executor and the driver can write")
    out = Path(output)
    if out.exists() and not out.is_dir():
        raise JobError(f"--output {output}: a file, not a folder")
    out.mkdir(parents=True, exist_ok=True)
    return out


def _crc(key: Any) -> int:
    return zlib.crc32(key if isinstance(key, bytes) else str(key).encode("utf-8"))


def _crc_text(key: str) -> int:
    return zlib.crc32(key.encode("ascii"))
