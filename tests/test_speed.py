"""Bounded work on any input, and workers that give what one process gives.

The timing tests run the pipeline in a child process with a time limit, so that a stage that turns quadratic
fails here instead of hanging the suite. Each shape of input is timed at two sizes, eight times apart: the
larger may take up to three times eight times as long (a quadratic stage takes sixty-four times as long). The
1 MB and 10 MB reports of the issue are timed by the benchmark (``benchmarks/bench.py``), not here.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitrep.model import Document, Record
from sitrep.pipeline import CHUNK_DOCS, WINDOW, Pipeline, chunks, windows
from sitrep.stages.sentences import MAX_SENTENCE, split

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "corpus"


def corpus_reports() -> list[Document]:
    out = []
    for path in sorted(CORPUS.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out.append(Document(text=data["text"], date=data.get("date"), doc_id=path.stem))
    return out


def as_json(records: list[Record]) -> list[dict[str, object]]:
    return [r.to_json() for r in records]


# -- sentences and windows ------------------------------------------------------------------------


def test_an_overlong_sentence_is_cut_at_clause_marks_and_spaces() -> None:
    clause = "Russian forces shelled the villages of the district again and again, "
    text = clause * 200 + "x" * (3 * MAX_SENTENCE)  # a list of clauses, then one "word" with no space at all
    spans = split(text)
    assert all(e - s <= MAX_SENTENCE for s, e in spans)
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(" ", "")  # nothing lost
    assert all(text[e - 1] == "," for s, e in spans[:3])  # cut after a clause mark, not inside a word


def test_an_ordinary_sentence_is_not_cut() -> None:
    text = "In Bakhmut, Russian shelling killed three civilians. " * 3
    assert [text[s:e] for s, e in split(text)] == ["In Bakhmut, Russian shelling killed three civilians."] * 3


def test_windows_cover_the_text_and_cut_at_paragraph_breaks() -> None:
    para = "Russian forces shelled Kherson overnight. " * 40 + "\n\n"
    text = para * 40
    spans = windows(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert all(e - s <= WINDOW for s, e in spans)
    assert all(text[e - 2 : e] == "\n\n" for _, e in spans[:-1])


def test_a_long_report_is_read_in_windows_with_a_warning(gaz_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    reports = corpus_reports()
    text = "\n\n".join(d.text for d in reports)
    while len(text) <= WINDOW + 5000:
        text += "\n\n" + text
    text = text[: WINDOW + 5000]
    doc = Document(text=text, date="2023-02-15", doc_id="long")
    with caplog.at_level(logging.WARNING, logger="sitrep.pipeline"):
        records = Pipeline().extract(doc)
    assert any("read in" in r.getMessage() and "windows" in r.getMessage() for r in caplog.records)
    assert len(records) > 10
    for r in records:  # evidence points into the whole text, not into its window
        for e in r.evidence:
            assert text[e.start : e.end] == e.trigger
    assert len({r.event_id for r in records}) == len(records)


def test_a_report_within_the_window_is_read_whole(gaz_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    doc = corpus_reports()[0]
    with caplog.at_level(logging.WARNING, logger="sitrep.pipeline"):
        Pipeline().extract(doc)
    assert not any("windows" in r.getMessage() for r in caplog.records)


# -- workers ----------------------------------------------------------------------------------------


def test_two_workers_give_the_records_of_one_process_in_input_order(gaz_path: Path) -> None:
    docs = corpus_reports()
    pipeline = Pipeline()
    one = [(d.doc_id, as_json(recs)) for d, recs in pipeline.extract_many(docs, workers=1)]
    two = [(d.doc_id, as_json(recs)) for d, recs in pipeline.extract_many(docs, workers=2)]
    assert [d for d, _ in one] == [d.doc_id for d in docs]
    assert two == one
    assert sum(len(r) for _, r in one) > 20


def test_chunks_are_balanced_by_length() -> None:
    short = [Document(text="x" * 100, doc_id=f"s{i}") for i in range(10)]
    long = [Document(text="x" * 40_000, doc_id=f"l{i}") for i in range(3)]
    got = list(chunks([*long, *short, *long]))
    assert [len(c) for c in got] == [1, 1, 1, 11, 1, 1]  # the short ones go with the next long one
    assert [d.doc_id for c in got for d in c] == [d.doc_id for d in [*long, *short, *long]]
    many = [Document(text="x", doc_id=str(i)) for i in range(CHUNK_DOCS * 2 + 1)]
    assert [len(c) for c in chunks(many)] == [CHUNK_DOCS, CHUNK_DOCS, 1]


def test_a_batch_is_streamed_not_read_whole(gaz_path: Path) -> None:
    pulled = 0
    total = CHUNK_DOCS * 12

    def documents() -> Iterator[Document]:
        nonlocal pulled
        for i in range(total):
            pulled += 1
            yield Document(text=f"Report {i}: nothing happened.", date="2023-02-15", doc_id=f"d{i}")

    results = Pipeline().extract_many(documents(), workers=2)
    first, _ = next(results)
    assert first.doc_id == "d0"
    assert pulled <= 5 * CHUNK_DOCS  # at most two chunks per worker in flight, and the one being filled
    rest = [d.doc_id for d, _ in results]
    assert rest == [f"d{i}" for i in range(1, total)]


# -- time in proportion to length -------------------------------------------------------------------

_PROBE = r"""
import json, re, sys, time
from sitrep.model import Document
from sitrep.pipeline import Pipeline

sizes = json.loads(sys.argv[2])
base = open(sys.argv[1], encoding="utf-8").read()
names = ["Bakhmut", "Kharkiv", "Pokrovsk", "Kramatorsk", "Sloviansk", "Avdiivka", "Kherson", "Odesa", "Lviv",
         "Paris", "London", "Springfield", "Washington"]
shapes = {
    "no sentence break": lambda n: re.sub(r"[.!?\n]+", " ", (base * (n // len(base) + 1))[:n]),
    "a line of digits": lambda n: ("1234567890" * (n // 10 + 1))[:n],
    "a page of repeated words": lambda n: ("Russian forces shelled Bakhmut, killing 3. " * (n // 44 + 1))[:n],
    "place names in one paragraph": lambda n: ", ".join(names[i % len(names)] for i in range(n // 8))[:n],
}
pipeline = Pipeline()
pipeline.extract(Document(text=base[:3000], date="2023-02-15"))
out = {}
for shape, make in shapes.items():
    times = []
    for n in sizes[shape]:
        text = make(n)
        started = time.perf_counter()
        pipeline.extract(Document(text=text, date="2023-02-15", doc_id="probe"))
        times.append(time.perf_counter() - started)
    out[shape] = times
print(json.dumps(out))
"""


# two sizes per shape, eight times apart, both beyond one window for the text (a window's own work grows a little
# faster than its length); a paragraph of nothing but place names costs the most per character
SIZES = {
    "no sentence break": [10_000, 80_000],
    "a line of digits": [10_000, 80_000],
    "a page of repeated words": [10_000, 80_000],
    "place names in one paragraph": [5_000, 40_000],
}


@pytest.fixture(scope="module")
def timings(gaz_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[float]]:
    base = tmp_path_factory.mktemp("probe") / "base.txt"
    base.write_text("\n\n".join(d.text for d in corpus_reports() if d.doc_id.startswith("en-")), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, str(base), json.dumps(SIZES)],
        capture_output=True, text=True, timeout=240, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result: dict[str, list[float]] = json.loads(proc.stdout)
    return result


@pytest.mark.parametrize(
    "shape", ["no sentence break", "a line of digits", "a page of repeated words", "place names in one paragraph"]
)
def test_time_grows_in_proportion_to_length(timings: dict[str, list[float]], shape: str) -> None:
    small, large = timings[shape]
    n, m = SIZES[shape]
    assert large < 3 * (m / n) * max(small, 0.05), f"{shape}: {small:.2f} s for {n:,} characters, {large:.2f} s for {m:,}"
