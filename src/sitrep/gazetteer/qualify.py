"""Qualifier positions: a region named right after a place says where the place is.

Monitors write "near Nevelske, Donetsk.", "in Dmytrivka (Donetsk)", "Rubizhne, Kharkiv region",
"Tacoma, Washington" or "la région de Kharkiv et de Luhansk". In these positions the second name is
the first-level region, not the city of the same name, and the first name is a place inside it: its
candidates outside the region are dropped. A raion named so ("Ivanivka, Henicheskyi district") narrows
alike. When a Ukrainian village has no namesake in the oblast named beside it ("Nevske, Luhansk" while the
register knows only a Nevske of Crimea), the place is the oblast itself, never a namesake elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from sitrep.gazetteer.text import key_of
from sitrep.model import Place

if TYPE_CHECKING:
    from sitrep.gazetteer import Toponym

# between a place and the region that qualifies it
_QUALIFIER_GAP = re.compile(
    r"^(?:\s*,\s*|\s*\(\s*|\s*,?\s+(?:in|of|dans|en)\s+(?:the\s+|la\s+|l['’]\s*)?|\s*,\s*(?:in|dans)\s+(?:the\s+|la\s+)?"
    r"|\s*,?\s+(?:у|в|на)\s+)$",
    re.I,
)
# between two coordinated regions ("de Kharkiv et de Luhansk", "Donetsk and Luhansk regions")
_COORDINATION_GAP = re.compile(r"^\s*(?:,|and|et|or|ou|та|і|й|и|или|або)\s*(?:de\s+|du\s+|d['’]|of\s+|the\s+)?$", re.I)
# a list goes on after the name: then a bare "Donetsk" is one more place of the list
_LIST_GOES_ON = re.compile(r"^\s*(?:,|and\b|et\b|та\b|і\b|и\b|or\b|ou\b|або\b|или\b)", re.I)
_REGION = frozenset({"admin1", "admin2"})
_VILLAGE = 20_000  # a place no larger than this, named beside an oblast that has none of its namesakes, is lost
_ALTERNATE, _PRIMARY = 1, 0  # index.KINDS
_LIKE = 60.0


def _inside(place: Place, region: Place) -> bool:
    if place is region or place.iso2 != region.iso2 or not place.admin1 or place.admin1 != region.admin1:
        return False
    return region.feature != "admin2" or (bool(place.admin2) and place.admin2 == region.admin2)


def _region_of(t: Toponym) -> tuple[int, Place] | None:
    for feature in ("admin1", "admin2"):
        for i, p in enumerate(t.candidates):
            if p.feature == feature:
                return i, p
    return None


def _lost(t: Toponym, region: Place) -> bool:
    """Whether ``t`` is a Ukrainian village of which the oblast named beside it has no namesake."""
    return (region.feature == "admin1" and region.iso2 == "UA"
            and all(p.feature == "settlement" and p.population <= _VILLAGE for p in t.candidates))


def _as_region(t: Toponym, i: int) -> Toponym:
    kinds = (t.kinds[i],) if t.kinds else ()
    return replace(t, candidates=(t.candidates[i],), kinds=kinds)


def _within(t: Toponym, region: Place) -> Toponym:
    keep = [i for i, p in enumerate(t.candidates) if _inside(p, region)]
    if t.kinds and any(t.kinds[i] == _PRIMARY for i in keep):
        # a namesake by its own name beats a town that answers to the name only as a former or other name
        # ("Ivanivka, Kherson": the villages Ivanivka, not Bilozerka, once Ivanivka)
        keep = [i for i in keep if t.kinds[i] != _ALTERNATE or fuzz.ratio(t.key, key_of(t.candidates[i].name)) >= _LIKE]
    if not keep or len(keep) == len(t.candidates):
        return t
    kinds = tuple(t.kinds[i] for i in keep) if t.kinds else ()
    return replace(t, candidates=tuple(t.candidates[i] for i in keep), kinds=kinds)


def qualify(toponyms: Sequence[Toponym], text: str, *,
            every: Callable[[Toponym], Toponym] | None = None) -> list[Toponym]:
    """The toponyms with region qualifiers read as regions and the places they qualify narrowed to them.

    ``every`` gives a toponym with all its namesakes: a name shared by a hundred villages keeps only its
    likeliest few as candidates, and the one in the region named beside it may not be among them.
    """
    out = list(toponyms)
    for n in range(1, len(out)):
        prev, cur = out[n - 1], out[n]
        gap = text[prev.end : cur.start]
        found = _region_of(cur)
        if found is None:
            continue
        i, region = found
        prev_region = prev.candidates[0] if prev.candidates[0].feature in _REGION else None
        if prev_region is not None and prev_region.iso2 == region.iso2 and _COORDINATION_GAP.match(gap):
            out[n] = _as_region(cur, i)
            continue
        if not _QUALIFIER_GAP.match(gap) or prev_region is not None:
            continue
        closed = gap.rstrip().endswith("(") and text[cur.end : cur.end + 2].lstrip().startswith(")")
        if i > 0 and not closed and _LIST_GOES_ON.match(text[cur.end : cur.end + 12]):
            continue  # "Avdiivka, Donetsk and Horlivka": the city of a list
        if every is not None:
            prev = every(prev)
        if not any(_inside(p, region) for p in prev.candidates):
            if _lost(prev, region):
                out[n] = _as_region(cur, i)
                out[n - 1] = replace(prev, candidates=(region,), kinds=(cur.kinds[i],) if cur.kinds else ())
            continue
        out[n] = _as_region(cur, i)
        out[n - 1] = _within(prev, region)
    return out
