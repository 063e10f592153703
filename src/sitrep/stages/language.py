"""Language identification: which of sitrep's languages a report is written in.

Cyrillic texts are told apart by the letters only one of Ukrainian and Russian
uses (і ї є ґ against ы э ъ ё), which settles even one-line posts; Latin texts
by a small vote of frequent function words, French against English. A
language given with the input wins.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import ClassVar

from sitrep.lang import LANGUAGES
from sitrep.model import Analysis

_UK = re.compile(r"[іїєґІЇЄҐ]")
_RU = re.compile(r"[ыэъёЫЭЪЁ]")
_CYR = re.compile(r"[А-Яа-яЁёІіЇїЄєҐґ]")
_LAT = re.compile(r"[A-Za-zÀ-ÿ]")
_FR = re.compile(
    r"\b(le|la|les|des|du|une|et|est|dans|pour|sur|qui|que|à|été|ont|selon|avec|au|aux|d'|l')\b", re.I
)
_EN = re.compile(r"\b(the|and|of|in|was|were|is|are|to|for|on|that|with|by|said|has|have)\b", re.I)


def identify(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language among fr, en, uk, ru."""
    sample = text[:4000]
    cyr = len(_CYR.findall(sample))
    lat = len(_LAT.findall(sample))
    if cyr > lat:
        uk = len(_UK.findall(sample))
        ru = len(_RU.findall(sample))
        return "uk" if uk >= ru and uk > 0 else "ru"
    fr = len(_FR.findall(sample))
    en = len(_EN.findall(sample))
    return "fr" if fr > en else "en"


class Language:
    name: ClassVar[str] = "language"
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = ("lang",)

    def __call__(self, analysis: Analysis) -> Analysis:
        given = (analysis.document.lang or "").lower()[:2]
        lang = given if given in LANGUAGES else identify(analysis.document.text)
        return replace(analysis, lang=lang)
