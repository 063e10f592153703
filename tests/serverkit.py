"""``sitrep serve`` started for real on a free loopback port, for the tests that talk to it over HTTP."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_server(
    db: Path, *, token: str | None = None, max_body: int | None = None, cache: Path | None = None
) -> Iterator[str]:
    """Run ``sitrep serve --db DB`` on 127.0.0.1 until the block ends; yield its base URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "SITREP_API_TOKEN"}
    if token is not None:
        env["SITREP_API_TOKEN"] = token
    if cache is not None:
        env["SITREP_CACHE"] = str(cache)
    cmd = [sys.executable, "-m", "sitrep", "serve", "--db", str(db), "--port", str(port)]
    if max_body is not None:
        cmd += ["--max-body", str(max_body)]
    log = db.with_suffix(f".{port}.log")
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"sitrep serve exited with {proc.returncode}: {log.read_text()}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"sitrep serve did not answer within 30 s: {log.read_text()}")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
