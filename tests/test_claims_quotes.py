"""Whether a quotation is still open after a sentence: the same answer as reading it mark by mark."""

from __future__ import annotations

import random

from sitrep.stages.claims import _still_open


def _read(text: str, inside: bool) -> bool:
    for ch in text:
        if ch == '"':
            inside = not inside
        elif ch in "«“„":
            inside = True
        elif ch in "»”":
            inside = False
    return inside


def test_a_quotation_open_after_a_sentence() -> None:
    assert _still_open('He said: "we will', False)
    assert not _still_open("«Ми тримаємо оборону», — сказав він.", False)
    assert _still_open("the rest of the quote", True)
    rng = random.Random(3)
    for _ in range(20_000):
        text = "".join(rng.choice('ab "«“„»”') for _ in range(rng.randint(0, 10)))
        for inside in (False, True):
            assert _still_open(text, inside) == _read(text, inside), (text, inside)
