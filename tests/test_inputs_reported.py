"""Every input sitrep does not read is reported: skipped files, unreadable folders, links, URLs, encodings."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from oskit import bound_by_permissions
from sitrep.errors import BinaryInput, InputError, MalformedRecord
from sitrep.ingest import EXTENSIONS, iter_documents, walk_directory
from sitrep.model import Document

SRC = Path(__file__).resolve().parents[1] / "src"
REPORT = "date 2023-02-14\nShelling hit Kharkiv.\n"


def tree(root: Path) -> Path:
    root.mkdir()
    (root / "a.txt").write_text(REPORT)
    (root / "b.pdf").write_bytes(b"%PDF-1.4")
    (root / "c.docx").write_bytes(b"PK\x03\x04")
    (root / "d.bin").write_bytes(b"\x00\x01")
    (root / "README").write_text("notes")
    (root / ".hidden.txt").write_text(REPORT)
    (root / "sub").mkdir()
    (root / "sub" / "e.jsonl").write_text(json.dumps({"id": "e", "text": "Shelling hit Odesa."}) + "\n")
    return root


def test_a_walk_says_what_it_read_and_what_it_skipped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = tree(tmp_path / "in")
    with caplog.at_level(logging.INFO, logger="sitrep"):
        items = list(iter_documents([str(root)]))
    assert [i.origin for i in items if isinstance(i, Document)] == [str(root / "a.txt"), f"{root / 'sub' / 'e.jsonl'}:1"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert f"{root}: 2 file(s) read, 5 skipped (1 .bin, 1 .docx, 1 .pdf, 1 hidden file, 1 no extension); " \
           "-v lists them" in warnings
    infos = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    readable = ", ".join(sorted(EXTENSIONS))
    assert ".txt" in readable and ".pdf" not in readable
    assert f"{root / 'b.pdf'}: skipped (extension .pdf, not one of {readable})" in infos
    assert f"{root / '.hidden.txt'}: skipped (hidden file)" in infos


def test_verbose_lists_each_skipped_file(tmp_path: Path, gaz_path: Path) -> None:
    root = tree(tmp_path / "in")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    quiet = subprocess.run([sys.executable, "-m", "sitrep", "geoparse", str(root / "b.pdf"), str(root)],
                           capture_output=True, text=True, env=env, timeout=120)
    assert "5 skipped" in quiet.stderr and "b.pdf: skipped" not in quiet.stderr
    loud = subprocess.run([sys.executable, "-m", "sitrep", "-v", "geoparse", str(root)],
                          capture_output=True, text=True, env=env, timeout=120)
    for name in ("b.pdf", "c.docx", "d.bin", "README", ".hidden.txt"):
        assert f"{root / name}: skipped" in loud.stderr, loud.stderr


def test_links_to_folders_are_followed_and_loops_said(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "real").mkdir(parents=True)
    (root / "real" / "r.txt").write_text(REPORT)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.txt").write_text(REPORT)
    (root / "link").symlink_to(outside, target_is_directory=True)
    (root / "real" / "loop").symlink_to(root, target_is_directory=True)
    walk = walk_directory(root)
    assert walk.files == [root / "link" / "o.txt", root / "real" / "r.txt"]
    assert [(p, why.split(",")[1].strip()) for p, why in walk.skipped] == [(root / "real" / "loop", "already read")]


def test_an_unreadable_folder_is_an_error(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "locked").mkdir(parents=True)
    (root / "notes.pdf").write_text(REPORT)  # nothing to read but the locked folder: no place index needed
    (root / "locked" / "x.txt").write_text(REPORT)
    (root / "locked").chmod(0o000)
    try:
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        done = subprocess.run([*bound_by_permissions(), sys.executable, "-m", "sitrep", "geoparse", str(root)],
                              capture_output=True, text=True, env=env, timeout=120)
    finally:
        (root / "locked").chmod(0o755)
    assert done.returncode == 1, done.stderr
    assert f"sitrep: {root / 'locked'}: cannot read this folder: Permission denied" in done.stderr.splitlines()


def test_a_url_is_never_taken_for_a_file_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    [error] = list(iter_documents(["https://example.org/report.txt"]))
    assert isinstance(error, InputError) and "a URL, not a file" in str(error)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("suffix", [".txt", ".jsonl", ".json"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(tmp_path: Path, encoding: str, suffix: str) -> None:
    text = "Обстріл Харкова; Shelling hit Kharkiv."
    body = {".txt": f"date 2023-02-14\n{text}\n",
            ".jsonl": json.dumps({"id": "u", "text": text, "date": "2023-02-14"}, ensure_ascii=False) + "\n",
            ".json": json.dumps([{"id": "u", "text": text, "date": "2023-02-14"}], ensure_ascii=False)}[suffix]
    bom = {"utf-16": "\ufeff", "utf-16-be": "\ufeff", "utf-32": ""}[encoding]  # utf-16/32 codecs write one
    path = tmp_path / f"wide{suffix}"
    path.write_bytes((bom + body).encode(encoding) if encoding != "utf-16" else body.encode("utf-16"))
    [doc] = list(iter_documents([str(path)]))
    assert isinstance(doc, Document), doc
    assert (doc.text, doc.date) == (text, "2023-02-14")


def test_utf16_without_a_mark_is_named(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(REPORT.encode("utf-16-le"))
    [error] = list(iter_documents([str(path)]))
    assert isinstance(error, BinaryInput) and "looks like UTF-16 without a byte order mark" in str(error)


def test_language_codes(tmp_path: Path) -> None:
    path = tmp_path / "l.jsonl"
    rows = [{"id": "a", "text": "Shelling.", "lang": "EN"}, {"id": "b", "text": "Beschuss.", "lang": "de"},
            {"id": "c", "text": "Обстріл.", "lang": "uk-UA"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    items = list(iter_documents([str(path)]))
    assert [i.lang if isinstance(i, Document) else None for i in items] == ["en", None, "uk"]
    assert isinstance(items[1], MalformedRecord)
    assert str(items[1]) == (f"{path}:2: unsupported language 'de': sitrep reads en, fr, ru, uk "
                             '(leave "lang" out to have it detected)')


@pytest.mark.slow
def test_geoparse_has_formats(tmp_path: Path, gaz_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import csv
    import io

    from sitrep.cli import main

    path = tmp_path / "r.txt"
    path.write_text("date 2023-02-14\nShelling hit =Kharkiv and Odesa.\n")
    assert main(["geoparse", str(path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["text"], r["place"], r["country"]) for r in rows] == [("Kharkiv", "Kharkiv", "Ukraine"),
                                                                     ("Odesa", "Odesa", "Ukraine")]
    assert main(["geoparse", str(path), "--format", "json"]) == 0
    assert [t["place"] for t in json.loads(capsys.readouterr().out)] == ["Kharkiv", "Odesa"]
    assert main(["geoparse", str(path), "--format", "table"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["doc_id", "text", "place"] and len(table) == 3
