"""The Spark job in local mode (local[2], pyspark from PyPI, the machine's Java 17), one session for the module.

Its records must equal ``sitrep extract``'s on the same documents, field for field.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from archivekit import GERMAN, all_corpus, corpus, news_pages, write_warc
from sitrep.batch import extract_inputs
from sitrep.spark import JobError, JobOptions, lake, run_job, session
from sitrep.spark.schema import record_json
from sitrep.store import Query, SQLiteStore

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture(scope="module")
def spark(gaz_path: Path) -> Iterator[Any]:
    s = session(master="local[2]")
    yield s
    s.stop()


def lake_records(out: Path) -> dict[str, dict[str, Any]]:
    return {r["event_id"]: record_json(r) for t in ("events", "aid") for r in lake.rows(out, t)}


def extracted(inputs: list[Path], keep: set[str]) -> dict[str, dict[str, Any]]:
    """What ``sitrep extract`` gives on ``inputs``, for the documents ``keep``."""
    return {r.event_id: r.to_json() for r in extract_inputs([str(i) for i in inputs]) if r.doc_id in keep}


def documents(out: Path) -> dict[str, dict[str, Any]]:
    return {d["doc_id"]: d for d in lake.rows(out, "documents")}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """JSON Lines of the corpus with an exact copy, a reprint, a German report and a bad line; Parquet with a
    text column; a directory of seed-format files."""
    root = tmp_path_factory.mktemp("reports")
    docs = [{**d, "url": f"https://example.org/{d['id']}"} for d in all_corpus()]
    kr, bakhmut = corpus("en-03-kryvyi-rih"), corpus("en-01-bakhmut-front")
    long = {"id": "long", "text": kr["text"] + "\n" + bakhmut["text"], "date": kr["date"], "url": "https://a.example/long"}
    lines = [json.dumps(d, ensure_ascii=False) for d in docs[:20]]
    lines += [
        json.dumps(long),
        json.dumps({**long, "id": "copy", "url": "https://b.example/copy", "text": long["text"].upper()}),
        json.dumps({**long, "id": "reprint", "url": "https://c.example/reprint",
                    "text": long["text"] + " Reporting by the Kyiv newsroom.", "date": "2024-03-14"}),
        json.dumps({"id": "wetter", "text": GERMAN, "date": "2023-06-01", "url": "https://wetter.example.de/"}),
        '{"id": "broken", "text": ',
    ]
    jsonl = root / "reports.jsonl"
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rest = docs[20:]
    parquet = root / "more.parquet"
    pq.write_table(pa.table({k: [d[k] for d in rest[:6]] for k in ("id", "text", "date", "url")}), parquet)
    seed = root / "seed"
    seed.mkdir()
    for d in rest[6:]:
        (seed / f"{d['id']}.txt").write_text(f"date {d['date']}\n{d['text']}\n", encoding="utf-8")
    return [jsonl, parquet, seed]


@pytest.fixture(scope="module")
def job(spark: Any, reports: list[Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    out = tmp_path_factory.mktemp("lake") / "out"
    report = run_job(spark, [*map(str, reports), str(reports[0].parent / "missing.jsonl")],
                     JobOptions(output=str(out), partitions=8))
    return out, report


def test_records_equal_extract_field_for_field(job: tuple[Path, Any], reports: list[Path]) -> None:
    out, report = job
    docs = documents(out)
    assert report.documents == 35 and report.extracted == 33 == len(docs)  # the German report is skipped
    assert "copy" not in docs and "reprint" not in docs and "wetter" not in docs
    mine, theirs = lake_records(out), extracted(reports, set(docs))
    assert len(mine) == report.events + report.aid >= 40
    assert mine == theirs


def test_reprints_extracted_once_with_every_url(job: tuple[Path, Any]) -> None:
    out, report = job
    kept = documents(out)["long"]
    assert (report.exact_duplicates, report.near_duplicates) == (1, 1)
    assert [(d["doc_id"], d["match"]) for d in kept["duplicates"]] == [("copy", "exact"), ("reprint", "near")]
    assert kept["urls"] == ["https://a.example/long", "https://b.example/copy", "https://c.example/reprint"]
    events = [r for r in lake.rows(out, "events") if r["doc_id"] == "long"]
    assert events and all(r["urls"] == kept["urls"] for r in events)


def test_languages_errors_and_partitions(job: tuple[Path, Any], reports: list[Path]) -> None:
    out, report = job
    assert report.languages_skipped == {"de": 1}
    skipped = list(lake.rows(out, "skipped"))
    assert [(s["kind"], s["reason"], s["url"]) for s in skipped] == [("language", "de", "https://wetter.example.de/")]
    errors = {e["where"]: e for e in lake.rows(out, "errors")}
    assert set(errors) == {f"{reports[0]}:25", str(reports[0].parent / "missing.jsonl")}
    assert errors[f"{reports[0]}:25"]["kind"] == "MalformedRecord" and "malformed JSON" in errors[f"{reports[0]}:25"]["reason"]
    assert report.errors == 2
    months = sorted(p.name for p in (out / "events").iterdir() if p.is_dir())
    assert "month=2024-03" in months and all(m.startswith("month=20") for m in months)
    assert {r["event_date"][:7] for r in pq.read_table(out / "events" / "month=2024-03").to_pylist()} == {"2024-03"}
    # the pipeline was built once per executor process, not once per partition
    assert report.partitions == 8 and 1 <= report.pipelines_built <= 2
    assert json.loads((out / "_sitrep.json").read_text())["extracted"] == 33


def test_warc_in_parquet_out_under_spark_submit(gaz_path: Path, tmp_path: Path) -> None:
    """The job as a cluster runs it: spark-submit of the script, the place index shipped with --files."""
    warc = write_warc(tmp_path / "news.warc.gz", news_pages())
    out = tmp_path / "out"
    submit = Path(sys.executable).parent / "spark-submit"
    run = subprocess.run(
        [str(submit), "--master", "local[2]", "--files", str(gaz_path), "--conf", "spark.ui.enabled=false",
         str(SRC / "sitrep" / "spark" / "submit.py"), str(warc), "--output", str(out)],
        capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable,
             "SITREP_CACHE": str(gaz_path.parent)},
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads((out / "_sitrep.json").read_text())  # (spark-submit mixes the driver's stderr into stdout)
    assert report["not_articles"] == {"article text too short": 1, "http status 404": 1, "not html": 1}
    assert report["languages_skipped"] == {"de": 1}
    assert (report["exact_duplicates"], report["near_duplicates"]) == (1, 1)
    assert report["pipelines_built"] >= 1
    docs = documents(out)
    # the same date: the smaller URL is kept
    assert sorted(d["url"] for d in docs.values()) == ["https://copie.example.fr/kramatorsk",
                                                       "https://news.example.org/kryvyi-rih"]
    events = list(lake.rows(out, "events"))
    assert {e["location"]["name"] for e in events if e["location"]} >= {"Kryvyi Rih", "Kramatorsk"}
    assert lake_records(out) == extracted([warc], set(docs))


def test_rerun_replaces_its_partitions_with_the_same_records(spark: Any, job: tuple[Path, Any], reports: list[Path]) -> None:
    out, first = job
    before = lake_records(out), documents(out)
    files = sorted(p.relative_to(out).parent for p in out.rglob("*.parquet"))
    (out / "events" / "month=1999-01").mkdir()  # a partition this input does not write is left alone
    report = run_job(spark, [*map(str, reports), str(reports[0].parent / "missing.jsonl")],
                     JobOptions(output=str(out), partitions=8))
    assert (lake_records(out), documents(out)) == before
    assert sorted(p.relative_to(out).parent for p in out.rglob("*.parquet")) == files
    assert (out / "events" / "month=1999-01").is_dir()
    assert report.events == first.events


def test_killed_job_run_again_equals_an_uninterrupted_run(
    spark: Any, job: tuple[Path, Any], reports: list[Path], gaz_path: Path, tmp_path: Path
) -> None:
    whole, _ = job
    out = tmp_path / "out"
    args = [sys.executable, "-m", "sitrep", "spark", *map(str, reports), "--output", str(out),
            "--master", "local[2]", "--partitions", "8"]
    env = {**os.environ, "PYTHONPATH": str(SRC), "SITREP_CACHE": str(gaz_path.parent)}
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 240
    while not (out / "events").exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the job and its JVM, half-way: extracting and writing events
    proc.wait()
    assert (out / "events").exists() and not (out / "_sitrep.json").exists()
    run_job(spark, [*map(str, reports)], JobOptions(output=str(out), partitions=8))
    assert (lake_records(out), documents(out)) == (lake_records(whole), documents(whole))
    assert not list(out.rglob(".spark-staging-*")) and not list(out.rglob("_temporary"))


def test_ingest_stores_the_output_as_it_is(job: tuple[Path, Any], tmp_path: Path) -> None:
    from sitrep.cli import main

    out, report = job
    db = tmp_path / "s.db"
    assert main(["ingest", str(out), "--db", str(db)]) == 0
    with SQLiteStore(db) as store:
        stored = {r.event_id: r.to_json() for r in store.query(Query())}
        assert store.count() == report.events + report.aid
    # linked into incidents as they were stored; otherwise as the job wrote them
    assert all(r["incident_id"] for r in stored.values() if r["kind"] == "event")
    unlinked = {k: {**r, "incident_id": None} if r["kind"] == "event" else r for k, r in stored.items()}
    assert unlinked == lake_records(out)


def test_an_unfinished_output_is_refused_by_ingest(tmp_path: Path, job: tuple[Path, Any]) -> None:
    from sitrep.batch import BatchReport

    out = tmp_path / "half"
    (out / "events").mkdir(parents=True)
    (out / "documents").mkdir()
    report = lake.ingest_output(out, SQLiteStore(":memory:"), report=BatchReport())
    assert report.failed == 1 and "did not finish" in str(report.errors[0])


def test_urls_and_standard_input_are_refused(spark: Any, tmp_path: Path) -> None:
    with pytest.raises(JobError, match="a URL, not a file"):
        run_job(spark, ["s3://bucket/news.warc.gz"], JobOptions(output=str(tmp_path / "o")))
    with pytest.raises(JobError, match="standard input"):
        run_job(spark, ["-"], JobOptions(output=str(tmp_path / "o")))
