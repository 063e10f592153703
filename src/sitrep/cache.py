"""Where sitrep keeps what it computes once per machine: the place index and the compiled patterns."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """``$SITREP_CACHE``, else ``~/.cache/sitrep``."""
    env = os.environ.get("SITREP_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "sitrep"
