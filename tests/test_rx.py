"""Patterns compiled from the cache are the patterns ``re.compile`` gives."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep import rx

_PATTERNS = [
    (r"(?<![\w-])(?:obus(?:é|e)s?|bomb[ae]rd\w+)(?![\w])", re.I),
    (r"(?P<n>\d+)\s*(?P<unit>km|kilom[eè]tres?)", 0),
    (r"(?-i:[A-ZА-ЯІЇЄҐ][a-zа-яіїєґ'’]+)\s+(?:обстріл\w*|удар\w*)", re.I),
]

_CHILD = """
import re, sys
from sitrep import rx
pats = {pats!r}
print(len(rx._load()))  # the patterns read from the cache
for p, f in pats:
    assert rx.compile(p, f) == re.compile(p, f), p
"""


def _run(cache: Path) -> str:
    code = _CHILD.format(pats=_PATTERNS)
    env = {"SITREP_CACHE": str(cache), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return proc.stdout.strip()


def test_a_pattern_from_the_cache_is_the_one_re_compiles(tmp_path: Path) -> None:
    assert _run(tmp_path) == "0"  # nothing cached yet: compiled, then written at exit
    cached = rx.cache_path()
    assert cached is not None
    written = tmp_path / cached.name
    assert written.stat().st_size > 0
    assert _run(tmp_path) == str(len(_PATTERNS))  # read back, and equal (code, flags, groups) to re.compile's


def test_an_unreadable_cache_is_compiled_again(tmp_path: Path) -> None:
    cached = rx.cache_path()
    assert cached is not None
    (tmp_path / cached.name).write_bytes(b"\x00not marshal")
    assert _run(tmp_path) == "0"
    assert _run(tmp_path) == str(len(_PATTERNS))


def test_a_bad_pattern_is_an_error_as_with_re() -> None:
    with pytest.raises(re.error):
        rx.compile(r"(unclosed", re.I)
