"""The pipeline stages, one module each. See :mod:`sitrep.pipeline` for their order."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from sitrep.model import Analysis, Mention

SentenceScan = Callable[..., list[Mention]]


def scan_document(analysis: Analysis, scan: SentenceScan) -> list[Mention]:
    """Run a sentence scanner over runs of consecutive sentences of one language rather than sentence by
    sentence.

    ``scan(text, lang, offset=..., sentence=...)`` is called once per run (the whole report when it is in one
    language); a mention is kept when it lies inside one sentence, and is given that sentence's index. Same
    mentions as scanning each sentence, without running every lexicon pattern on every sentence apart.
    """
    text = analysis.document.text
    sentences = analysis.sentences
    starts = [s.start for s in sentences]
    out: list[Mention] = []
    i = 0
    while i < len(sentences):
        lang = sentences[i].lang or analysis.lang
        j = i
        while j + 1 < len(sentences) and (sentences[j + 1].lang or analysis.lang) == lang:
            j += 1
        first, last = sentences[i], sentences[j]
        for m in scan(text[first.start : last.end], lang, offset=first.start, sentence=-1):
            k = bisect_right(starts, m.start) - 1
            if i <= k <= j and m.end <= sentences[k].end:
                out.append(replace(m, sentence=k))
        i = j + 1
    return out


def paragraph_of(text: str, pos: int) -> int:
    """The index of the paragraph (blocks split by a blank line) that holds position ``pos``."""
    return bisect_right(_paragraph_breaks(text), pos)


@lru_cache(maxsize=8)
def _paragraph_breaks(text: str) -> tuple[int, ...]:
    return tuple(m.end() for m in re.finditer("\n\n", text))
