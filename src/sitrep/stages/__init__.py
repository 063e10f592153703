"""The pipeline stages, one module each. See :mod:`sitrep.pipeline` for their order."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace

from sitrep.model import Analysis, Mention

SentenceScan = Callable[..., list[Mention]]


def scan_document(analysis: Analysis, scan: SentenceScan) -> list[Mention]:
    """Run a sentence scanner once per language over the whole text rather than once per sentence.

    ``scan(text, lang, offset=..., sentence=...)`` is called on the full report for each language its
    sentences are in; a mention is kept when it lies inside one sentence of that language, and is given
    that sentence's index. Same mentions as scanning each sentence, without the per-sentence overhead of
    running every lexicon pattern on every sentence.
    """
    text = analysis.document.text
    sentences = analysis.sentences
    starts = [s.start for s in sentences]
    out: list[Mention] = []
    for lang in dict.fromkeys(s.lang or analysis.lang for s in sentences):
        for m in scan(text, lang, offset=0, sentence=-1):
            i = bisect_right(starts, m.start) - 1
            if i < 0:
                continue
            s = sentences[i]
            if (s.lang or analysis.lang) == lang and m.end <= s.end:
                out.append(replace(m, sentence=i))
    return out
