"""How the readers turn a file's bytes into text: binary files, invalid UTF-8, a BOM, CRLF, empty files.

Each test writes a real file to ``tmp_path`` and reads it through :func:`sitrep.ingest.iter_documents`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.errors import BinaryInput, DecodeError, EmptyInput, InputError
from sitrep.ingest import iter_documents
from sitrep.model import Document

BOM = b"\xef\xbb\xbf"
# A text file and a JSON file holding the same report, as UTF-8 bytes with "\n" line endings.
REPORT = {
    ".txt": "date 2023-02-01\nShelling hit Kherson.\nTwo people were wounded.\n",
    ".json": '[\n  {"id": "r1", "date": "2023-02-01",\n   "text": "Shelling hit Kherson."}\n]\n',
}
TEXT = {".txt": "Shelling hit Kherson.\nTwo people were wounded.", ".json": "Shelling hit Kherson."}


def read(path: Path) -> list[Document | InputError]:
    return list(iter_documents([str(path)]))


def one_document(path: Path) -> Document:
    [doc] = read(path)
    assert isinstance(doc, Document), doc
    return doc


def one_error(path: Path) -> InputError:
    [err] = read(path)
    assert isinstance(err, InputError), err
    return err


# --- binary: a NUL byte anywhere in a text or JSON file --------------------------------------------


@pytest.mark.parametrize("suffix", [".txt", ".json"])
@pytest.mark.parametrize("at", [3, 20_000])
def test_a_nul_byte_anywhere_makes_the_file_binary(tmp_path: Path, suffix: str, at: int) -> None:
    """Near the start or far past the first 8 KiB, the same rule: binary, with the first NUL's offset."""
    good = REPORT[suffix].encode()
    path = tmp_path / f"x{suffix}"
    path.write_bytes(good[:3] + b" " * (at - 3) + b"\x00\x01\x00" + good[3:])
    err = one_error(path)
    assert isinstance(err, BinaryInput)
    assert err.where == str(path)
    assert err.message.startswith(f"binary file (NUL byte at offset {at});")


@pytest.mark.parametrize("suffix", [".txt", ".json"])
def test_a_nul_byte_wins_over_invalid_utf8(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"x{suffix}"
    path.write_bytes(b"\xff\xfe" + REPORT[suffix].encode() + b"\x00")
    assert isinstance(one_error(path), BinaryInput)


def test_jsonl_with_nul_bytes_in_its_first_line_is_one_binary_error(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"text": "a\x00b"}\n' + json.dumps({"text": "Fine."}).encode() + b"\n")
    err = one_error(path)
    assert isinstance(err, BinaryInput) and err.where == str(path)


def test_jsonl_with_a_nul_byte_in_a_later_line_loses_that_line_only(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"text": "One."}\n{"text": "T\x00wo."}\n{"text": "Three."}\n')
    one, err, three = read(path)
    assert isinstance(one, Document) and isinstance(three, Document)
    assert (one.text, three.text) == ("One.", "Three.")
    assert isinstance(err, BinaryInput) and err.where == f"{path}:2"


# --- invalid UTF-8: reported at file:line -----------------------------------------------------------


def test_invalid_utf8_in_the_middle_of_a_jsonl_file(tmp_path: Path) -> None:
    """The good lines before and after are read; the bad one is an error naming file:line."""
    lines = [
        json.dumps({"id": f"r{i}", "text": f"Report {i}.", "date": "2023-02-01"}).encode()
        for i in range(1, 6)
    ]
    lines[2] = b'{"id": "r3", "text": "Kh\xe9rson"}'
    path = tmp_path / "batch.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    items = read(path)
    docs = [i for i in items if isinstance(i, Document)]
    [err] = [i for i in items if isinstance(i, InputError)]
    assert [d.doc_id for d in docs] == ["r1", "r2", "r4", "r5"]
    assert [d.origin for d in docs] == [f"{path}:{n}" for n in (1, 2, 4, 5)]
    assert isinstance(err, DecodeError)
    assert err.where == f"{path}:3"
    # a JSON line is decoded on its own: the offset counts from the start of that line
    assert err.message == "invalid UTF-8 (byte 0xe9 at offset 24); convert the file to UTF-8"
    assert items.index(err) == 2


@pytest.mark.parametrize("suffix", [".txt", ".json"])
def test_invalid_utf8_in_a_text_or_json_file_names_the_line(tmp_path: Path, suffix: str) -> None:
    data = REPORT[suffix].encode()
    where = data.index(b"Kherson") + 2  # the "e" of Kherson, on line 2 (.txt) or 3 (.json)
    path = tmp_path / f"x{suffix}"
    path.write_bytes(data[:where] + b"\xe9" + data[where + 1 :])
    err = one_error(path)
    assert isinstance(err, DecodeError)
    assert err.where == f"{path}:{REPORT[suffix].count(chr(10), 0, where) + 1}"
    assert err.message == f"invalid UTF-8 (byte 0xe9 at offset {where}); convert the file to UTF-8"


# --- a UTF-8 byte order mark is dropped -------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".txt", ".json"])
def test_a_bom_is_dropped_from_text_and_json(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"x{suffix}"
    path.write_bytes(BOM + REPORT[suffix].encode())
    doc = one_document(path)
    assert (doc.text, doc.date) == (TEXT[suffix], "2023-02-01")


def test_a_bom_is_dropped_from_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(BOM + b'{"id": "a", "text": "One."}\n{"id": "b", "text": "Two."}\n')
    docs = read(path)
    assert [(d.doc_id, d.text) for d in docs if isinstance(d, Document)] == [("a", "One."), ("b", "Two.")]


def test_a_bom_alone_is_an_empty_file(tmp_path: Path) -> None:
    for suffix in (".txt", ".json"):
        (tmp_path / f"bom{suffix}").write_bytes(BOM)
        assert isinstance(one_error(tmp_path / f"bom{suffix}"), EmptyInput)


# --- CRLF line endings --------------------------------------------------------------------------------


def test_crlf_text_keeps_its_line_endings_inside_and_its_seed_header(tmp_path: Path) -> None:
    """Offsets into the text stay those of the file: CRLF is not rewritten, only the ends are stripped."""
    path = tmp_path / "x.txt"
    path.write_bytes(REPORT[".txt"].replace("\n", "\r\n").encode())
    doc = one_document(path)
    assert doc.date == "2023-02-01"
    assert doc.text == "Shelling hit Kherson.\r\nTwo people were wounded."


def test_crlf_json_is_read_and_its_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(REPORT[".json"].replace("\n", "\r\n").encode())
    doc = one_document(path)
    assert (doc.doc_id, doc.text, doc.date) == ("r1", "Shelling hit Kherson.", "2023-02-01")
    path.write_bytes(path.read_bytes().replace(b"Kherson", b"Kh\xe9rson"))
    err = one_error(path)
    assert isinstance(err, DecodeError) and err.where == f"{path}:3"


def test_crlf_jsonl_lines_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"id": "a", "text": "One."}\r\n\r\n{"id": "b", "text": "Two."}\r\n{oops\r\n')
    a, b, err = read(path)
    assert isinstance(a, Document) and isinstance(b, Document)
    assert [(d.doc_id, d.text, d.origin) for d in (a, b)] == [
        ("a", "One.", f"{path}:1"),
        ("b", "Two.", f"{path}:3"),
    ]
    assert isinstance(err, InputError) and err.where == f"{path}:4"


# --- empty files ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "message"),
    [
        (".txt", "empty text: the file holds no report"),
        (".json", "empty file"),
        (".jsonl", "empty file: no JSON lines"),
    ],
)
def test_an_empty_file_is_one_empty_input_error(tmp_path: Path, suffix: str, message: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    err = one_error(path)
    assert isinstance(err, EmptyInput)
    assert (err.where, err.message) == (str(path), message)
