"""Worker processes die with their parent; --workers is bounded by the cores."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitrep.batch import bounded_workers, usable_cores

SRC = Path(__file__).resolve().parents[1] / "src"


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has ended; only its exit status waits to be read


@pytest.mark.slow
def test_workers_die_when_their_parent_is_killed(tmp_path: Path, gaz_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    text = "Russian forces shelled Kharkiv on Monday, killing three civilians, the governor said. " * 20
    path.write_text("".join(json.dumps({"id": f"d{i}", "text": text, "date": "2023-02-14"}) + "\n"
                            for i in range(400)))
    parent = subprocess.Popen(
        [sys.executable, "-m", "sitrep", "extract", str(path), "--workers", "2", "--format", "jsonl"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while len(workers) < min(2, usable_cores()) and time.monotonic() < deadline and parent.poll() is None:
            time.sleep(0.05)
            workers = children(parent.pid)
        assert workers, "no worker started"
        time.sleep(0.5)  # let them get to work
        assert all(alive(w) for w in workers)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = [w for w in workers if alive(w)]
    finally:
        for w in children(parent.pid):
            os.kill(w, signal.SIGKILL)
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert left == [], "workers outlived their parent"


def test_workers_are_bounded_by_the_cores(caplog: pytest.LogCaptureFixture) -> None:
    cores = usable_cores()
    assert cores == len(os.sched_getaffinity(0))
    with caplog.at_level(logging.WARNING, logger="sitrep"):
        assert bounded_workers(cores) == cores
        assert caplog.records == []
        assert bounded_workers(10_000) == cores
    assert f"--workers 10000: this machine lets sitrep use {cores} core(s); using {cores}" in caplog.text
