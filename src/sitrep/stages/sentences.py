"""Sentence splitting with character offsets into the document text.

Each sentence carries its own language: the document's, unless the sentence
clearly reads as another (:func:`sitrep.stages.language.sentence_lang`).

A sentence ends at a line break, or at ``.``/``!``/``?``/``…`` (and any closing
quotes) followed by white space and a capital, a digit or an opening quote,
unless the word before the full stop is a known abbreviation or an initial.

A "sentence" longer than :data:`MAX_SENTENCE` characters (a list, a page without a full stop) is cut into
pieces of at most that length, at the last clause mark (``;``, ``:``, ``,``), else the last space, before the
limit: every later stage works sentence by sentence, and none of them then sees a span that grows with the
document. No sentence of a real report comes near the limit (the longest of the development gold has 774
characters).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import ClassVar

from sitrep.model import Analysis, Sentence
from sitrep.stages.language import sentence_lang

_ABBREV = frozenset(
    """m mm mme mr mrs ms dr st gen lt col maj sgt capt adm gov sen rep prof jr sr no vs etc
    approx dept est inc ltd co corp av bd jan feb mar apr jun jul aug sep sept oct nov dec
    janv févr avr juil déc ул г гг им т.е обл р-н с пгт смт вул м тис млн млрд грн руб долл просп пр див ст""".split()  # noqa: SIM905
)
_END = re.compile(r"[.!?…]+[\"»”')\]]*(?=\s+[\"«“'(\[]?[A-ZÀ-ÝА-ЯЁІЇЄҐ0-9])")
_LINE = re.compile(r"\n\s*")
# "servicemen.This is reported": a full stop with no space after it, between two words, ends a sentence too
_GLUED = re.compile(r"(?<=[a-zа-яёіїєґ]{3}[.!?])(?=[A-ZА-ЯЁІЇЄҐ][a-zа-яёіїєґ]{2})")
MAX_SENTENCE = 2000
_CLAUSE = re.compile(r"[;:,]\s")
_SPACE = re.compile(r"\s")


def split(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences of ``text``, stripped of surrounding white space."""
    cuts: list[int] = []
    for m in _END.finditer(text):
        if text[m.start()] == ".":
            word = re.search(r"(\w+)$", text[max(0, m.start() - 20) : m.start()])
            if word:
                w = word.group(1)
                if w.lower() in _ABBREV or (len(w) == 1 and w.isupper()):
                    continue
                # U.S., U.K.: a dotted acronym before the stop
                if re.search(r"(?:\b\w\.){1,}\w$", text[max(0, m.start() - 6) : m.start()]):
                    continue
        cuts.append(m.end())
    cuts.extend(m.start() for m in _LINE.finditer(text))
    cuts.extend(m.start() for m in _GLUED.finditer(text))
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in sorted(set(cuts)) + [len(text)]:
        seg = text[start:cut]
        stripped = seg.strip()
        if stripped:
            lead = len(seg) - len(seg.lstrip())
            s, e = start + lead, start + lead + len(stripped)
            spans.extend(_pieces(text, s, e) if e - s > MAX_SENTENCE else [(s, e)])
        start = cut
    return spans


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """An overlong sentence ``text[start:end]`` as pieces of at most :data:`MAX_SENTENCE` characters, each cut
    after the last clause mark in its second half, else at the last space, else where the limit falls."""
    out = []
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        half = start + MAX_SENTENCE // 2
        cut = _last(_CLAUSE, text, half, limit, 1) or _last(_SPACE, text, half, limit, 0) or limit
        piece = text[start:cut].rstrip()
        if piece:
            out.append((start, start + len(piece)))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        out.append((start, end))
    return out


def _last(pattern: re.Pattern[str], text: str, lo: int, hi: int, shift: int) -> int:
    """The position after the last match of ``pattern`` in ``text[lo:hi]`` (``shift`` characters into it),
    or 0 when there is none."""
    last = 0
    for m in pattern.finditer(text, lo, hi):
        last = m.start() + shift
    return last


class Sentences:
    name: ClassVar[str] = "sentences"
    requires: ClassVar[tuple[str, ...]] = ("lang",)
    assigns: ClassVar[tuple[str, ...]] = ("sentences",)

    def __call__(self, analysis: Analysis) -> Analysis:
        text = analysis.document.text
        sentences = tuple(
            Sentence(index=i, start=s, end=e, text=text[s:e], lang=sentence_lang(text[s:e], analysis.lang))
            for i, (s, e) in enumerate(split(text))
        )
        return replace(analysis, sentences=sentences)
