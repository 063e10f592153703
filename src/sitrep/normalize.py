"""Text normalisation at the pipeline's door, with a map back to the text as written.

Text copied from web pages and Telegram is full of characters that cannot be
seen: zero-width spaces and joiners (U+200B, U+200D), soft hyphens (U+00AD),
byte order marks (U+FEFF), bidirectional marks and isolates (U+200E, U+202A…,
U+2066…). "Khar\\u200bkiv" looks like Kharkiv and must be read as Kharkiv. The
same letter may also come composed (é, U+00E9) or decomposed (e + U+0301).

:func:`normalize` gives the text the stages see: every invisible format
character (Unicode category Cf) removed, then Unicode NFC. It keeps, for each
character it returns, the span of the original text it came from, so that
:meth:`Normalized.span` turns any span of the normalised text back into a span
of the text as written. :meth:`Normalized.restore` does that for a whole
:class:`~sitrep.model.Analysis` (sentences, mentions and evidence), so every
offset sitrep reports points into the original text, whatever the stages saw.
This is the only place where the two texts meet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from sitrep.model import Analysis, Document, Evidence, Mention, Record, Sentence

# Unicode category Cf (format characters), as of Unicode 14 (Python 3.11); tests check it against unicodedata
INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


@dataclass(frozen=True, slots=True)
class Normalized:
    """The normalised ``text`` of ``original``; ``starts[i]``/``ends[i]`` give the span of the original that
    character ``i`` of ``text`` came from (both empty when the two texts are the same)."""

    text: str
    original: str
    starts: tuple[int, ...] = ()
    ends: tuple[int, ...] = ()

    @property
    def identity(self) -> bool:
        return not self.starts and self.text == self.original

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that ``text[start:end]`` came from."""
        if self.identity:
            return start, end
        n = len(self.text)
        start = min(max(start, 0), n)
        end = min(max(end, start), n)
        if start == end:
            at = self.starts[start] if start < n else len(self.original)
            return at, at
        return self.starts[start], self.ends[end - 1]

    def restore(self, analysis: Analysis, document: Document) -> Analysis:
        """``analysis`` (made on :attr:`text`) for ``document`` (the original), every offset and quoted span
        taken from the original text."""
        if self.identity:
            return replace(analysis, document=document)
        sentences = tuple(self._sentence(s) for s in analysis.sentences)
        mentions = tuple(self._mention(m) for m in analysis.mentions)
        records = tuple(self._record(r, analysis.sentences, sentences) for r in analysis.records)
        return replace(analysis, document=document, sentences=sentences, mentions=mentions, records=records)

    def _sentence(self, s: Sentence) -> Sentence:
        start, end = self.span(s.start, s.end)
        return replace(s, start=start, end=end, text=self.original[start:end])

    def _mention(self, m: Mention) -> Mention:
        start, end = self.span(m.start, m.end)
        return replace(m, start=start, end=end, text=self.original[start:end])

    def _record(self, record: Record, seen: tuple[Sentence, ...], restored: tuple[Sentence, ...]) -> Record:
        evidence = []
        for e in record.evidence:
            start, end = self.span(e.start, e.end)
            sentence = e.sentence
            for before, after in zip(seen, restored, strict=True):
                if before.start <= e.start and e.end <= before.end:
                    sentence = after.text
                    break
            evidence.append(Evidence(sentence=sentence, start=start, end=end, trigger=self.original[start:end],
                                     rule=e.rule))
        return replace(record, evidence=tuple(evidence))


def normalize(text: str) -> Normalized:
    """``text`` without invisible format characters, in NFC, with the map back to ``text``."""
    if text.isascii() or (INVISIBLE.search(text) is None and unicodedata.is_normalized("NFC", text)):
        return Normalized(text, text)
    kept: list[str] = []
    at: list[int] = []  # the original index of each kept character
    last = 0
    for m in INVISIBLE.finditer(text):
        kept.append(text[last : m.start()])
        at.extend(range(last, m.start()))
        last = m.end()
    kept.append(text[last:])
    at.extend(range(last, len(text)))
    visible = "".join(kept)
    if unicodedata.is_normalized("NFC", visible):
        return Normalized(visible, text, tuple(at), tuple(i + 1 for i in at))
    composed, starts, ends = _compose(visible, at)
    return Normalized(composed, text, tuple(starts), tuple(ends))


def _compose(text: str, at: list[int]) -> tuple[str, list[int], list[int]]:
    """NFC of ``text`` cluster by cluster (a starter and its combining marks, joined with the next cluster
    when composition crosses them), each output character mapped to its cluster's original span."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    n = len(text)
    i = 0
    while i < n:
        j = _cluster_end(text, i)
        segment = text[i:j]
        while j < n:
            k = _cluster_end(text, j)
            following = text[j:k]
            if _nfc(segment + following) == _nfc(segment) + _nfc(following):
                break
            segment += following
            j = k
        for ch in _nfc(segment):
            out.append(ch)
            starts.append(at[i])
            ends.append(at[j - 1] + 1)
        i = j
    composed = "".join(out)
    if composed != _nfc(text):  # never seen; keep the text right and the map coarse rather than wrong
        whole = _nfc(text)
        return whole, [at[0]] * len(whole), [at[-1] + 1] * len(whole)
    return composed, starts, ends


def _cluster_end(text: str, i: int) -> int:
    j = i + 1
    while j < len(text) and unicodedata.combining(text[j]):
        j += 1
    return j


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
