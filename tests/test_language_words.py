"""French and English function words counted in one pass: the counts of a scan for each list apart."""

from __future__ import annotations

import random
import re

from sitrep.stages.language import _FR_EN, identify

_FR = re.compile(r"\b(le|la|les|des|du|une|et|est|dans|pour|sur|qui|que|à|été|ont|selon|avec|au|aux|d'|l')\b", re.I)
_EN = re.compile(r"\b(the|and|of|in|was|were|is|are|to|for|on|that|with|by|said|has|have)\b", re.I)


def test_one_pass_counts_what_two_passes_count() -> None:
    rng = random.Random(5)
    words = ["le", "la", "l'", "d'", "l'on", "d'and", "on", "ont", "the", "and", "À", "été", "au", "aux", "x", "is's",
             "in-the", "was_were", "1the", "the1", "qu'il"]
    for _ in range(20_000):
        text = rng.choice([" ", "", "'", "-", ".", "’"]).join(rng.choice(words) for _ in range(rng.randint(0, 6)))
        found = _FR_EN.findall(text)
        french = sum(1 for fr, _ in found if fr)
        assert (french, len(found) - french) == (len(_FR.findall(text)), len(_EN.findall(text))), text


def test_french_and_english_told_apart() -> None:
    assert identify("Les forces russes ont frappé la ville de Kharkiv dans la nuit.") == "fr"
    assert identify("Russian forces struck the city of Kharkiv overnight, the governor said.") == "en"
