"""schemathesis against ``/openapi.json`` of a running ``sitrep serve``: no 5xx, answers that match the schema.

Every check runs but ``positive_data_acceptance``: the schema cannot say that ``near`` must name a
place the gazetteer knows or that ``since`` must be a real calendar day, and the server answers
such values with a 400 problem naming the parameter, which is what it should do.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from serverkit import ROOT, running_server
from test_server import TOKEN, fill

REPORTS = ROOT / "reports"


@pytest.mark.slow
def test_schemathesis_finds_no_failure(tmp_path: Path, gaz_path: Path) -> None:
    db = tmp_path / "store.db"
    fill(db)
    schemathesis = Path(sys.executable).parent / "schemathesis"
    assert schemathesis.exists() or shutil.which("schemathesis"), "schemathesis is not installed (pip install -e '.[dev]')"
    REPORTS.mkdir(exist_ok=True)
    with running_server(db, token=TOKEN, cache=gaz_path.parent) as base:
        result = subprocess.run(
            [
                str(schemathesis if schemathesis.exists() else "schemathesis"),
                "run",
                f"{base}/openapi.json",
                "--checks", "all",
                "--exclude-checks", "positive_data_acceptance",
                "--max-examples", "12",
                "--seed", "17",
                "--header", f"Authorization: Bearer {TOKEN}",
                "--request-timeout", "20",
                "--report", "junit",
                "--report-junit-path", str(REPORTS / "schemathesis.xml"),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,
        )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "Tested: 12" in result.stdout or "Selected:" in result.stdout, result.stdout[-2000:]
