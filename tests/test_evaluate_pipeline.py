"""The evaluate command end to end: the real pipeline over the project corpus, gated by eval/baseline.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.evaluate.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_sitrep_evaluate_gates_the_corpus(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    errors = tmp_path / "errors.jsonl"
    code = main(
        [
            str(ROOT / "eval" / "corpus"),
            "--json",
            "--gate",
            str(ROOT / "eval" / "baseline.json"),
            "--errors",
            str(errors),
        ]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    report = json.loads(out.out)
    sections = {(s["dataset"], s["lang"]): s for s in report["sections"]}
    assert sections[("corpus", "all")]["docs"] == len(list((ROOT / "eval" / "corpus").glob("*/*.json")))
    assert {lang for _, lang in sections} == {"all", "en", "fr", "uk", "ru"}
    assert sections[("corpus", "all")]["metrics"]["records.per_doc"]["value"] > 0
    assert errors.exists()
