from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest

from sitrep.errors import BinaryInput, DecodeError, EmptyInput, InputError, MalformedRecord, MissingInput
from sitrep.ingest import iter_documents, parse_date
from sitrep.model import Document

SEED = " date 2023-02 Forte de dizaines de milliers de réservistes, la Russie a intensifié ses attaques.\n\nLe ministère a déclaré mercredi que les forces avaient battu en retraite.\n"


def read(*inputs: str | Path, **kw: object) -> list[Document | InputError]:
    return list(iter_documents([str(i) for i in inputs], **kw))  # type: ignore[arg-type]


def write_jsonl(path: Path, lines: list[str | bytes]) -> Path:
    path.write_bytes(b"\n".join(x if isinstance(x, bytes) else x.encode() for x in lines) + b"\n")
    return path


def test_seed_format_gives_date_and_text(tmp_path: Path) -> None:
    path = tmp_path / "seed.txt"
    path.write_text(SEED, encoding="utf-8")
    [doc] = read(path)
    assert isinstance(doc, Document)
    assert doc.date == "2023-02"
    assert doc.text.startswith("Forte de dizaines")
    assert doc.text.endswith("battu en retraite.")
    assert doc.origin == str(path)
    assert len(doc.doc_id) == 20  # the content hash


def test_seed_header_with_a_day_and_header_on_its_own_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("date 2023-02-16 Shelling hit Kherson.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("\n date 2023-02-17\nShelling hit Kherson again.", encoding="utf-8")
    a, b = read(tmp_path / "a.txt", tmp_path / "b.txt")
    assert isinstance(a, Document) and isinstance(b, Document)
    assert (a.date, a.text) == ("2023-02-16", "Shelling hit Kherson.")
    assert (b.date, b.text) == ("2023-02-17", "Shelling hit Kherson again.")


def test_seed_header_wins_over_the_date_option(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("date 2023-02-16 Text.", encoding="utf-8")
    [doc] = read(tmp_path / "a.txt", date="2024-01-01")
    assert isinstance(doc, Document) and doc.date == "2023-02-16"


def test_seed_header_with_an_impossible_date_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("\n\ndate 2023-02-30 Text of the report.", encoding="utf-8")
    [err] = read(path)
    assert isinstance(err, MalformedRecord)
    assert err.where == f"{path}:3"
    assert "2023-02-30" in str(err) and "day is out of range" in str(err)


def test_text_that_only_starts_with_the_word_date_is_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("Date of the attack was unclear.", encoding="utf-8")
    [doc] = read(path, date="2023-03-01")
    assert isinstance(doc, Document)
    assert doc.text == "Date of the attack was unclear." and doc.date == "2023-03-01"


def test_plain_text_without_date_is_kept_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("Russian forces shelled Kharkiv overnight.", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="sitrep"):
        [doc] = read(path)
    assert isinstance(doc, Document) and doc.date is None
    assert any(str(path) in r.getMessage() and "no report date" in r.getMessage() for r in caplog.records)


def test_same_content_gives_same_id_in_different_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Same report.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Same report.\n", encoding="utf-8")
    a, b = read(tmp_path / "a.txt", tmp_path / "b.txt", date="2023-01-01")
    assert isinstance(a, Document) and isinstance(b, Document)
    assert a.doc_id == b.doc_id and a.origin != b.origin


def test_empty_and_blank_files(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\t\n", encoding="utf-8")
    (tmp_path / "header_only.txt").write_text("date 2023-02-01\n", encoding="utf-8")
    (tmp_path / "empty.jsonl").write_bytes(b"\n\n")
    errors = read(*(tmp_path / n for n in ("empty.txt", "blank.txt", "header_only.txt", "empty.jsonl")))
    assert [type(e) for e in errors] == [EmptyInput] * 4
    assert [e.where for e in errors if isinstance(e, InputError)] == [
        str(tmp_path / n) for n in ("empty.txt", "blank.txt", "header_only.txt", "empty.jsonl")
    ]


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    [err] = read(path)
    assert isinstance(err, BinaryInput)
    assert str(err).startswith(f"{path}: binary file (NUL byte at offset 8)")


def test_invalid_utf8_names_line_and_offset(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("first line\nsecond\nKharkiv é\n".encode("latin-1"))
    [err] = read(path, date="2023-01-01")
    assert isinstance(err, DecodeError)
    assert err.where == f"{path}:3"
    assert "byte 0xe9 at offset 26" in err.message


def test_jsonl_bad_lines_are_reported_and_good_lines_kept(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "batch.jsonl",
        [
            json.dumps({"id": "r1", "text": "Shelling in Bakhmut.", "date": "2023-02-13", "lang": "en"}),
            '{"id": "r2", "text": "unterminated',
            json.dumps({"id": "r3", "title": "no text here"}),
            "",
            json.dumps({"id": "r5", "text": "   "}),
            b'{"id": "r6", "text": "caf\xe9"}',
            json.dumps({"id": "r7", "text": "Bad date.", "date": "2023-13-01"}),
            json.dumps(["not", "an", "object"]),
            json.dumps({"id": 9, "text": "Gold-style record.", "doc_date": "2022-03-01", "url": "https://x"}),
        ],
    )
    items = read(path)
    errors = {e.where: e for e in items if isinstance(e, InputError)}
    docs = [d for d in items if isinstance(d, Document)]
    assert [d.doc_id for d in docs] == ["r1", "9"]
    assert [d.origin for d in docs] == [f"{path}:1", f"{path}:9"]
    assert docs[0].lang == "en" and docs[0].date == "2023-02-13"
    assert docs[1].date == "2022-03-01" and docs[1].url == "https://x"
    assert sorted(errors) == sorted(f"{path}:{n}" for n in (2, 3, 5, 6, 7, 8))
    assert isinstance(errors[f"{path}:2"], MalformedRecord) and "malformed JSON" in str(errors[f"{path}:2"])
    assert 'without "text"' in str(errors[f"{path}:3"])
    assert isinstance(errors[f"{path}:5"], EmptyInput)
    assert isinstance(errors[f"{path}:6"], DecodeError) and "0xe9" in str(errors[f"{path}:6"])
    assert "month 13" in str(errors[f"{path}:7"])
    assert "expected a JSON object, got list" in str(errors[f"{path}:8"])


def test_jsonl_date_and_lang_options_fill_gaps_only(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [json.dumps({"text": "One.", "date": "2023-05-01", "lang": "fr"}), json.dumps({"text": "Two."})],
    )
    one, two = read(path, date="2023-06-01", lang="uk")
    assert isinstance(one, Document) and isinstance(two, Document)
    assert (one.date, one.lang) == ("2023-05-01", "fr")
    assert (two.date, two.lang) == ("2023-06-01", "uk")


def test_binary_jsonl_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b"\x00\x01\x02\n" * 50)
    items = read(path)
    assert len(items) == 1 and isinstance(items[0], BinaryInput)


def test_json_array_file(tmp_path: Path) -> None:
    path = tmp_path / "reports.json"
    path.write_text(json.dumps([{"id": "a", "text": "A.", "date": "2023"}, {"id": "b"}]), encoding="utf-8")
    a, b = read(path)
    assert isinstance(a, Document) and a.date == "2023" and a.origin == f"{path}[0]"
    assert isinstance(b, MalformedRecord) and b.where == f"{path}[1]"


def test_missing_file_does_not_stop_the_batch(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("date 2023-02-01 Text.", encoding="utf-8")
    missing, doc = read(tmp_path / "nope.txt", good)
    assert (
        isinstance(missing, MissingInput)
        and str(missing) == f"{tmp_path / 'nope.txt'}: no such file or directory"
    )
    assert isinstance(doc, Document)


def test_directories_are_walked_in_order_skipping_hidden_and_other_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "two.txt").write_text("date 2023-02-02 Two.", encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "one", "text": "One.", "date": "2023"}) + "\n")
    (tmp_path / ".hidden.txt").write_text("date 2023-02-02 Hidden.", encoding="utf-8")
    (tmp_path / ".git" / "x.txt").write_text("date 2023-02-02 In git.", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / "c.json").write_text(json.dumps({"id": "three", "text": "Three.", "date": "2023"}))
    docs = read(tmp_path)
    assert [d.text for d in docs if isinstance(d, Document)] == ["One.", "Two.", "Three."]
    assert len(docs) == 3


def test_empty_directory_is_an_error(tmp_path: Path) -> None:
    [err] = read(tmp_path)
    assert isinstance(err, EmptyInput) and err.where == str(tmp_path)


def test_stdin_jsonl_and_text() -> None:
    lines = json.dumps({"id": "s1", "text": "From stdin.", "date": "2023-01-02"}) + "\n{oops\n"
    doc, err = iter_documents(["-"], stdin=io.StringIO(lines))
    assert isinstance(doc, Document) and doc.doc_id == "s1" and doc.origin == "<stdin>:1"
    assert isinstance(err, MalformedRecord) and err.where == "<stdin>:2"
    [seed] = iter_documents(["-"], stdin=io.StringIO(SEED))
    assert isinstance(seed, Document) and seed.date == "2023-02" and seed.origin == "<stdin>"


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffdate 2023-02-01 Текст.".encode())
    [doc] = read(path)
    assert isinstance(doc, Document) and doc.text == "Текст." and doc.date == "2023-02-01"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023", "2023"),
        ("2023-02", "2023-02"),
        ("2024-02-29", "2024-02-29"),
        ("2023-02-16T08:30:00Z", "2023-02-16"),
    ],
)
def test_parse_date_accepts(value: str, expected: str) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value", ["2023-02-29", "2023-00", "2023-13-01", "23-02-01", "2023/02/01", "", "février"]
)
def test_parse_date_rejects(value: str) -> None:
    with pytest.raises(ValueError, match="invalid date"):
        parse_date(value)


def test_invalid_date_option_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="2023-02-31"):
        read(tmp_path, date="2023-02-31")
