"""The language patterns are the same strings in every process, so the pattern cache does not grow run after run."""

from __future__ import annotations

import os
import subprocess
import sys

_PATTERNS = r"""
import sys
from sitrep import rx
seen = []
real = rx.compile
def spy(pattern, flags=0):
    seen.append((pattern, int(flags)))
    return real(pattern, flags)
rx.compile = spy
from sitrep.pipeline import Pipeline
p = Pipeline()
for lang, text in (("en", "Two people were killed in Kharkiv on Monday, the governor said."),
                   ("fr", "Deux civils ont été tués à Kharkiv, a précisé le gouverneur."),
                   ("uk", "Двоє людей загинули у Харкові, повідомив Синєгубов."),
                   ("ru", "Два человека погибли в Харькове, сообщил губернатор.")):
    from sitrep.model import Document
    p.extract(Document(text=text, lang=lang, date="2024-05-01"))
import hashlib
print(len(seen), hashlib.sha256(repr(sorted(set(seen))).encode()).hexdigest())
"""


def _patterns(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-c", _PATTERNS], env=env, capture_output=True, text=True,
                          check=True).stdout


def test_the_patterns_compiled_do_not_depend_on_the_hash_seed() -> None:
    first = _patterns("1")
    assert int(first.split()[0]) > 50
    assert _patterns("2") == first
