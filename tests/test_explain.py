"""``sitrep explain``: the decisions behind each record, sentence by sentence (real pipeline)."""

from __future__ import annotations

import json

import pytest

from sitrep.cli import main
from sitrep.explain import explain
from sitrep.model import Document
from sitrep.pipeline import default_pipeline

pytestmark = pytest.mark.slow

TEXT = (
    "Russian drones struck Kharkiv overnight. "
    "Two people were injured, the regional governor said.\n\n"
    "Kyiv says it expects more attacks next week."
)


def test_each_sentence_says_what_it_opened_joined_or_why_it_told_nothing():
    data = explain(default_pipeline().analyse(Document(text=TEXT, date="2024-05-02", lang="en", doc_id="x")))
    first, second, third = data["sentences"]
    assert any(d["action"] == "opened" and "Kharkiv" in d["detail"] for d in first["decisions"])
    assert any(d["action"] == "slot" and d["detail"].startswith("injured 2") for d in first["decisions"])
    assert any(d["action"] == "skipped" and "future" in d["detail"] for d in third["decisions"])
    assert [r["told_in_sentences"] for r in data["records"]] == [[1]]
    assert data["records"][0]["place"].startswith("Kharkiv")


def test_the_command_prints_text_or_json_and_reports_a_bad_input(tmp_path, capsys):
    report = tmp_path / "r.txt"
    report.write_text("date 2024-05-02 " + TEXT, encoding="utf-8")
    assert main(["explain", str(report)]) == 0
    out = capsys.readouterr().out
    assert "[1] " in out and "opened" in out and "Records:" in out
    assert main(["explain", "--format", "json", str(report), str(tmp_path / "missing.txt")]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out.splitlines()[0])["records"]
    assert "missing.txt" in captured.err
