"""sitrep on Apache Spark: the pipeline over a corpus, as a Spark job writing Parquet.

``sitrep spark INPUT... --output DIR`` (:mod:`sitrep.spark.cli`) and ``spark-submit`` of
:mod:`sitrep.spark.submit` both call :func:`run_job`. The executors' side is in
:mod:`sitrep.spark.tasks`, duplicates in :mod:`sitrep.spark.dedup`, the tables' schemas in
:mod:`sitrep.spark.schema`, and reading the output back (for ``sitrep ingest``) in
:mod:`sitrep.spark.lake`, which needs pyarrow only.

Spark is optional: ``pip install 'sitrep[spark]'`` (pyspark, pyarrow, warcio, trafilatura) and a
Java 17 runtime.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.lazy import lazy_exports

if TYPE_CHECKING:
    from sitrep.spark.job import JobError, JobOptions, JobReport, run_job, session

__getattr__ = lazy_exports(__name__, dict.fromkeys(("JobError", "JobOptions", "JobReport", "run_job", "session"), "job"))

__all__ = ["JobError", "JobOptions", "JobReport", "run_job", "session"]
