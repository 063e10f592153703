"""Reading web archives (WARC made here with warcio) and Parquet, and finding reprints: no Spark needed."""

from __future__ import annotations

import datetime as dt
import json
import logging
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from archivekit import GERMAN, Page, article_page, corpus, news_pages, write_warc
from sitrep.errors import InputError, MalformedRecord
from sitrep.ingest import iter_documents
from sitrep.model import Document
from sitrep.spark import dedup
from sitrep.spark.tasks import digest, unsupported_language

SRC = Path(__file__).resolve().parents[1] / "src"


def test_warc_articles_read_and_non_articles_counted(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    warc = write_warc(tmp_path / "news.warc.gz", news_pages())
    with caplog.at_level(logging.WARNING, logger="sitrep.ingest"):
        items = list(iter_documents([str(warc)]))
    docs = [i for i in items if isinstance(i, Document)]
    assert [d.url for d in docs] == [
        "https://news.example.org/kryvyi-rih",
        "https://wire.example.net/europe/kryvyi-rih-strike",
        "https://journal.example.fr/kramatorsk",
        "https://copie.example.fr/kramatorsk",
        "https://wetter.example.de/wochenende",
    ]
    first = docs[0]
    assert first.date == "2024-03-13"  # the page's publication date
    assert first.title == "Missile strike on Kryvyi Rih"
    assert first.text.startswith("Missile strike on Kryvyi Rih\nAt least four people were killed")
    assert "All rights reserved" not in first.text and "Sport" not in first.text  # boilerplate gone
    assert first.origin and first.origin.startswith(f"{warc}@")
    assert len(items) == len(docs)
    [warning] = [r.getMessage() for r in caplog.records]
    assert "3 page(s) skipped as not articles" in warning
    assert "1 http status 404" in warning and "1 not html" in warning and "1 article text too short" in warning


def test_warc_page_without_a_date_takes_the_fetch_day(tmp_path: Path) -> None:
    page = article_page("https://journal.example.fr/k", "Kramatorsk", [corpus("fr-01-kramatorsk")["text"]])
    undated = Page(page.url, page.body, fetched="2023-02-17T10:00:00Z")
    [doc] = iter_documents([str(write_warc(tmp_path / "a.warc.gz", [undated], requests=False))])
    assert isinstance(doc, Document) and doc.date == "2023-02-17"


def test_cut_off_warc_keeps_the_records_before_and_says_where(tmp_path: Path) -> None:
    whole = write_warc(tmp_path / "whole.warc.gz", news_pages()[:3], requests=False).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[: len(whole) - 200])
    items = list(iter_documents([str(cut)]))
    assert [type(i) for i in items[:2]] == [Document, Document]
    assert isinstance(items[-1], MalformedRecord)
    assert items[-1].where.startswith(f"{cut}@") and "cut short" in items[-1].message


def test_a_file_that_is_not_a_warc(tmp_path: Path) -> None:
    bad = tmp_path / "bad.warc"
    bad.write_text("this is not an archive\n", encoding="utf-8")
    [err] = iter_documents([str(bad)])
    assert isinstance(err, InputError) and err.where == f"{bad}@0"


@pytest.mark.slow
def test_extract_reads_a_warc(tmp_path: Path, gaz_path: Path) -> None:
    warc = write_warc(tmp_path / "news.warc.gz", news_pages())
    run = subprocess.run(
        [sys.executable, "-m", "sitrep", "extract", "--format", "jsonl", str(warc)],
        capture_output=True, text=True, timeout=120,
        env={"PYTHONPATH": str(SRC), "SITREP_CACHE": str(gaz_path.parent), "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stderr
    records = [json.loads(line) for line in run.stdout.splitlines()]
    places = {r["location"]["name"] for r in records if r["location"]}
    assert {"Kryvyi Rih", "Kramatorsk"} <= places
    assert "3 page(s) skipped as not articles" in run.stderr


def test_parquet_with_a_text_column(tmp_path: Path) -> None:
    kr = corpus("en-03-kryvyi-rih")
    table = pa.table({
        "id": ["a", "b", "c"],
        "text": [kr["text"], None, "Shelling hit Kherson."],
        "date": [dt.date(2024, 3, 13), dt.date(2024, 3, 14), None],
        "url": ["https://x.example/a", None, None],
        "extra": [1, 2, 3],
    })
    path = tmp_path / "reports.parquet"
    pq.write_table(table, path)
    a, b, c = iter_documents([str(path)], date="2023-02")
    assert isinstance(a, Document) and (a.doc_id, a.date, a.url, a.text) == ("a", "2024-03-13", "https://x.example/a",
                                                                                kr["text"])
    assert isinstance(b, MalformedRecord) and b.where == f"{path}:row 2" and "text" in b.message
    assert isinstance(c, Document) and c.date == "2023-02"  # the --date option fills in


def test_parquet_without_a_text_column(tmp_path: Path) -> None:
    path = tmp_path / "other.parquet"
    pq.write_table(pa.table({"body": ["x"]}), path)
    [err] = iter_documents([str(path)])
    assert isinstance(err, MalformedRecord) and "no 'text' column (columns: body)" in err.message


def test_reprints_are_near_and_other_reports_far() -> None:
    kr, bakhmut, other = corpus("en-03-kryvyi-rih"), corpus("en-01-bakhmut-front"), corpus("en-06-bilopillia")
    text = kr["text"] + "\n" + bakhmut["text"]
    reprint = "KYIV (Wire) - " + text + " Reporting by the Kyiv newsroom."
    assert dedup.similarity(dedup.signature(text), dedup.signature(reprint)) >= dedup.DEFAULT_THRESHOLD
    assert dedup.similarity(dedup.signature(text), dedup.signature(other["text"] + bakhmut["text"])) < 0.6
    assert digest(text) == digest("  " + text.upper().replace(" ", "\n "))  # case and spacing do not count


def test_duplicate_groups_keep_the_earliest_report_transitively() -> None:
    def key(date: str, uid: str) -> dedup.Order:
        return (date, "", uid, uid)

    pairs = [
        (key("2023-02-02", "b"), "b", key("2023-02-03", "c"), "c"),
        (key("2023-02-01", "a"), "a", key("2023-02-02", "b"), "b"),
        (key("2023-03-01", "x"), "x", key("2023-03-02", "y"), "y"),
    ]
    assert dedup.groups(pairs) == {"b": "a", "c": "a", "y": "x"}


def test_languages_sitrep_does_not_read() -> None:
    assert unsupported_language(Document(text=GERMAN)) == "de"
    assert unsupported_language(Document(text="Shelling hit Kherson.", lang="pl")) == "pl"
    for name in ("en-03-kryvyi-rih", "fr-01-kramatorsk", "uk-02-kherson", "ru-02-donetsk"):
        assert unsupported_language(Document(text=corpus(name)["text"])) is None
