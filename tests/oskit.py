"""Running a child process as another user, so that file permissions apply even when the tests run as root."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NOBODY = 65534


def as_other_user() -> list[str]:
    """A command prefix running a child as nobody when the tests run as root (whom permissions do not stop);
    util-linux's setpriv is on every Debian system. Empty when the tests run as an ordinary user."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


@contextmanager
def shared_folder() -> Iterator[Path]:
    """A temporary folder another user can enter (pytest's own are the owner's only)."""
    path = Path(tempfile.mkdtemp(prefix="sitrep-test-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        for sub in path.rglob("*"):
            if sub.is_dir() and not sub.is_symlink():
                sub.chmod(0o755)
        shutil.rmtree(path, ignore_errors=True)
