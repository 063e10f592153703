"""Sentence splitting with character offsets into the document text.

Each sentence carries its own language: the document's, unless the sentence
clearly reads as another (:func:`sitrep.stages.language.sentence_lang`).

A sentence ends at a line break, or at ``.``/``!``/``?``/``…`` (and any closing
quotes) followed by white space and a capital, a digit or an opening quote,
unless the word before the full stop is a known abbreviation or an initial.
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
            spans.append((start + lead, start + lead + len(stripped)))
        start = cut
    return spans


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
