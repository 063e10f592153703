"""Guards against false toponyms: short names, common words, sentence-initial capitals, demonyms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.gazetteer.text import is_cyrillic
from sitrep.model import Place

if TYPE_CHECKING:
    from sitrep.gazetteer import Gazetteer

_SHORT_CAPS = frozenset({"us", "usa", "uk", "uae", "drc", "u s", "u k", "u s a"})
_BIG = 50_000
_HUGE = 1_000_000
_NOT_SETTLEMENT = frozenset({"country", "admin1", "region", "admin2", "hromada"})


def sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 40) : start].rstrip(" \t\"'«“‘(—–-")
    return not before or before[-1] in ".!?:\n" or "\n" in text[max(0, start - 2) : start]


def keep(
    gaz: Gazetteer, text: str, start: int, end: int, key: str, places: tuple[Place, ...], kinds: tuple[int, ...],
    *, demonyms: bool,
) -> tuple[tuple[Place, ...], tuple[int, ...]]:
    """The candidates of the span ``text[start:end]`` that survive the guards (maybe none)."""
    raw = text[start:end]
    pairs = [(p, k) for p, k in zip(places, kinds, strict=True) if demonyms or k != 5]
    if not pairs:
        return (), ()
    cyr = is_cyrillic(raw)
    letters = key.replace(" ", "")
    if not cyr and len(letters) <= 3:
        if key in _SHORT_CAPS:
            if not raw.replace(".", "").replace(" ", "").isupper():
                return (), ()
        elif not raw.isupper() or len(letters) < 3:
            pairs = [(p, k) for p, k in pairs if p.population >= _HUGE or p.feature in _NOT_SETTLEMENT]
        else:
            pairs = [(p, k) for p, k in pairs if p.population >= _BIG or p.feature in _NOT_SETTLEMENT]
    if not cyr and " " not in key and key in gaz._common:
        if raw.isupper() and len(raw) > 3:
            return (), ()
        floor = _HUGE if sentence_initial(text, start) else _BIG
        pairs = [(p, k) for p, k in pairs if p.population >= floor or p.feature in _NOT_SETTLEMENT]
    elif cyr and sentence_initial(text, start) and " " not in key and len(letters) <= 4:
        pairs = [(p, k) for p, k in pairs if p.population >= _BIG or p.feature in _NOT_SETTLEMENT]
    return tuple(p for p, _ in pairs), tuple(k for _, k in pairs)
