"""Region scopes: which province (or district) a place named in a sentence most likely lies in.

Roundups go region by region: "Dans la région de Zaporijjia, … frappes russes sur A, B, C. Dans la région de
Kharkiv, les troupes russes ont pilonné D, E, F", "In Kharkiv region, Russian troops shelled D, E and F",
"На Харківщині ворог обстріляв …". The regions named in a place's own sentence say where it is; failing
those, the regions that open the nearest sentence before it in the same paragraph that names any (the
roundup's "In X region," opener carries on until the next sentence that names a region). Regions named elsewhere in the text say much less.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitrep.geo import EARTH_RADIUS_KM, place_km
from sitrep.model import Place

if TYPE_CHECKING:
    from sitrep.gazetteer import Toponym

# a sentence ends at a full stop, "!", "?" or ";" before a capital, or at a line break
_SENTENCE_END = re.compile(r"[.!?;…]+[\"'»”’)]*\s+(?=[\"'«“(]*[^\W\d_])|\n+")
_PARAGRAPH_END = re.compile(r"\n[ \t\u00a0]*\n")
_SCOPES = frozenset({"admin1"})
# "Wintersville, Ohio", "Sadove (Kherson region)": a region written right after one place qualifies that one
_APPOSED = re.compile(r"\s*[,(]\s*")
_BIG = frozenset({"country", "admin1", "region"})
# a region after no more than three words at the start of its sentence opens it ("In Kharkiv region,",
# "Dans la région de Zaporijjia,", "На Харківщині"), and its scope carries on to the next sentences
_OPENER = re.compile(r"[\W\d_]*(?:[^\W\d_]+[\W\d_]+){0,3}")
_CARRY = 3  # sentences at most

# how much a candidate inside a region gains, by where the region was named
SAME_SENTENCE = 1.2
CARRIED = 0.9  # the nearest earlier sentence of the paragraph that names a region
IN_DISTRICT = 0.0  # more when the district named is the candidate's own
ELSEWHERE_WITH_SCOPE = 0.15  # a region named elsewhere in the text, when the sentence has a scope of its own
ELSEWHERE = 0.45  # a region named elsewhere in the text, when the sentence has none


class Towns:
    """The settlements chosen in one sentence, filed by one-degree cell, so that those near a place are found
    without weighing each of them: a paragraph of thousands of names with no full stop is one sentence here."""

    __slots__ = ("_cells",)

    def __init__(self, towns: Iterable[tuple[str, Place]] = ()) -> None:
        self._cells: dict[tuple[int, int], list[tuple[str, Place]]] = {}
        for key, p in dict.fromkeys(towns):  # a name repeated with its place is one town
            if p.latitude is not None and p.longitude is not None:  # a place without both is near nothing
                self._cells.setdefault((math.floor(p.latitude), math.floor(p.longitude)), []).append((key, p))

    def near(self, p: Place, km: float, *, besides: str) -> bool:
        """Whether a town of the sentence, other than those named ``besides``, lies within ``km`` of ``p``."""
        if p.latitude is None or p.longitude is None or not self._cells:
            return False
        return any(key != besides and place_km(p, q) <= km for key, q in self._around(p.latitude, p.longitude, km))

    def _around(self, lat: float, lon: float, km: float) -> Iterable[tuple[str, Place]]:
        """The towns of the cells that hold every point within ``km`` of (lat, lon), and maybe a few more."""
        span = km / EARTH_RADIUS_KM  # radians of arc
        dy = int(math.degrees(span)) + 1
        far = abs(lat) + math.degrees(span)  # the latitude nearest a pole within reach
        if far >= 89.0 or (2 * dy + 1) ** 2 >= len(self._cells):
            return (t for towns in self._cells.values() for t in towns)
        dx = int(math.degrees(math.asin(min(1.0, math.sin(span) / math.cos(math.radians(far)))))) + 1
        y0, x0 = math.floor(lat), math.floor(lon)
        cells = dict.fromkeys([(y0, x0)] + [(y, (x + 180) % 360 - 180) for y in range(y0 - dy, y0 + dy + 1)
                                            for x in range(x0 - dx, x0 + dx + 1)])  # its own cell first
        return (t for c in cells for t in self._cells.get(c, ()))


_NO_TOWNS = Towns()


@dataclass(frozen=True, slots=True)
class Scope:
    """The regions a toponym's sentence speaks of: (iso2, admin1) pairs and (iso2, admin1, admin2) triples."""

    provinces: frozenset[tuple[str | None, str | None]] = frozenset()
    districts: frozenset[tuple[str | None, str | None, str | None]] = frozenset()
    weight: float = 0.0  # SAME_SENTENCE, CARRIED, or 0 when the sentence has no scope
    towns: Towns = _NO_TOWNS  # the settlements of the toponym's own sentence (:meth:`Towns.near` leaves its own out)


def _starts(text: str, pattern: re.Pattern[str]) -> list[int]:
    return [0, *(m.end() for m in pattern.finditer(text))]


def scopes(toponyms: Sequence[Toponym], chosen: Sequence[Place], text: str) -> list[Scope]:
    """Per toponym, the regions of its sentence, or of the nearest earlier sentence of its paragraph.

    ``chosen`` holds each toponym's provisional place; only provinces make a scope, and not when written
    right after a place they qualify ("Wintersville, Ohio"). A region never scopes itself, and a toponym
    first read as a country or a province gets no scope ("Mexico" stays the country).
    """
    sentences = _starts(text, _SENTENCE_END)
    paragraphs = _starts(text, _PARAGRAPH_END)
    where = [(bisect.bisect_right(sentences, t.start) - 1, bisect.bisect_right(paragraphs, t.start) - 1)
             for t in toponyms]
    regions: dict[int, list[int]] = {}  # sentence -> toponyms chosen as regions there
    towns: dict[int, list[int]] = {}  # sentence -> toponyms chosen as settlements there
    for n, p in enumerate(chosen):
        # not a city named like its province ("Kostiantynivka, Donetsk"): that name may be the province
        if p.feature == "settlement" and p.latitude is not None and not any(
                q.feature == "admin1" for q in toponyms[n].candidates):
            towns.setdefault(where[n][0], []).append(n)
    openers: dict[int, list[int]] = {}  # sentence -> the regions that open it ("In Kharkiv region, …")
    for n, p in enumerate(chosen):
        if p.feature in _SCOPES and p.admin1 and not (n and _APPOSED.fullmatch(text[toponyms[n - 1].end : toponyms[n].start])):
            regions.setdefault(where[n][0], []).append(n)
            if _OPENER.fullmatch(text[sentences[where[n][0]] : toponyms[n].start]):
                openers.setdefault(where[n][0], []).append(n)
    filed = {sent: Towns((toponyms[m].key, chosen[m]) for m in ms) for sent, ms in towns.items()}
    out = []
    for n, (sent, para) in enumerate(where):
        if chosen[n].feature in _BIG:
            out.append(Scope())  # "Mexico", "Kansas": a scope never makes a namesake village of a country
            continue
        near = filed.get(sent, _NO_TOWNS)
        own = [m for m in regions.get(sent, []) if m != n]
        weight = SAME_SENTENCE
        if not own:
            weight = CARRIED
            earlier = [s for s in regions if sent - _CARRY <= s < sent and sentences[s] >= paragraphs[para]]
            own = openers.get(max(earlier), []) if earlier else []
        if not own:
            out.append(Scope(towns=near))
            continue
        places = [chosen[m] for m in own]
        out.append(Scope(
            provinces=frozenset((p.iso2, p.admin1) for p in places),
            districts=frozenset((p.iso2, p.admin1, p.admin2) for p in places if p.feature == "admin2" and p.admin2),
            weight=weight,
            towns=near,
        ))
    return out


def scope_bonus(place: Place, scope: Scope, named: frozenset[tuple[str | None, str | None]] | set[tuple[str | None, str | None]]) -> float:
    """What ``place`` gains from the regions of its own scope and from those ``named`` anywhere in the text."""
    if place.feature in ("admin1", "country"):
        return 0.0
    key = (place.iso2, place.admin1)
    if scope.weight and key in scope.provinces:
        bonus = scope.weight
        if (place.iso2, place.admin1, place.admin2) in scope.districts:
            bonus += IN_DISTRICT
        return bonus
    if key in named:
        return ELSEWHERE_WITH_SCOPE if scope.weight else ELSEWHERE
    return 0.0
