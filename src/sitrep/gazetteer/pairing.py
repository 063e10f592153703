"""Pairing KATOTTG settlements with the cities500 places that give them coordinates.

The register names every settlement but has no coordinates; cities500 has
coordinates for some, under Ukrainian, Russian and romanised names. A settlement
is paired in two passes:

1. by name within its oblast, when the name is unique there on both sides (the
   same GeoNames place listed twice under one name counts once);
2. the names left over, shared by several settlements of one oblast
   ("Kostiantynivka" the city and a village of that name), by rank and place:
   the one city or town of the name, or else the one hromada centre of the
   name ("Ocheretyne"), takes the most populous candidate; every other
   candidate goes to the settlement whose hromada's already paired
   settlements lie clearly nearest to it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from rapidfuzz import fuzz

from sitrep.gazetteer.sources import Settlement
from sitrep.gazetteer.text import key_of, kmu
from sitrep.geo import haversine_km

Point = tuple[float, float]
_RANK = {"M": 0, "T": 1, "X": 1}  # city, town, settlement (selyshche); a village ranks 2 as a hromada centre, else 3
_NEAR_KM = 15.0  # a candidate this close to a hromada's known settlements may belong to it
_CLEAR_KM = 15.0
_LIKE = 75.0  # how alike (0-100) the romanised register name and a candidate's GeoNames name must be  # ...when every other settlement of the name is this much farther away


def km(a: Point, b: Point) -> float:
    return haversine_km(a[0], a[1], b[0], b[1])


def candidates(s: Settlement, gn_oblast: str, by_name: Mapping[tuple[str, str], Sequence[int]],
               by_latin: Mapping[tuple[str, str], Sequence[int]]) -> list[int]:
    """The cities500 places of the oblast that answer to the settlement's name, each once."""
    cand = by_name.get((gn_oblast, key_of(s.name)), [])
    if not cand:
        # cities500 often knows a village only under a romanised name: link by oblast + romanisation
        for sp in (kmu(s.name), kmu(s.name, y_forms=True)):
            cand = by_latin.get((gn_oblast, key_of(sp)), [])
            if cand:
                break
    return list(dict.fromkeys(cand))


def pair(settlements: Sequence[Settlement], oblast_of: Callable[[str], str | None],
         by_name: Mapping[tuple[str, str], Sequence[int]], by_latin: Mapping[tuple[str, str], Sequence[int]],
         point: Callable[[int], Point], population: Callable[[int], int],
         hromada_name: Mapping[str, str], name: Callable[[int], str]) -> dict[str, tuple[int, int]]:
    """KATOTTG code -> (cities500 place, pass), for the settlements that can be paired with confidence.

    ``oblast_of`` maps a KATOTTG oblast code to the GeoNames admin1 code (None when unknown), ``hromada_name``
    a hromada's code to its name, ``name`` a place to its GeoNames name; the pass is
    1 for a pair by a name unique on both sides, 2 for one settled by place.
    """
    groups: dict[tuple[str, str], list[Settlement]] = defaultdict(list)
    for s in settlements:
        groups[(s.oblast, key_of(s.name))].append(s)
    paired: dict[str, int] = {}
    left: list[tuple[list[Settlement], list[int]]] = []
    for (ob, _), members in groups.items():
        gn = oblast_of(ob)
        if gn is None:
            continue
        cand = candidates(members[0], gn, by_name, by_latin)
        if not cand:
            continue
        if len(members) == 1 and len(_distinct(cand, point)) == 1:
            paired[members[0].code] = max(cand, key=population)
        else:
            left.append((members, cand))
    paired = _unique(paired)
    known: dict[str, list[Point]] = defaultdict(list)  # hromada or raion -> points of its paired settlements
    code_of = {s.code: s for s in settlements}
    for code, p in paired.items():
        known[code_of[code].hromada].append(point(p))
        if code_of[code].raion:
            known[code_of[code].raion].append(point(p))
    second: dict[str, int] = {}
    taken = set(paired.values())
    for members, cand in left:
        own = key_of(kmu(members[0].name))
        # a place that answers to the name only as an alternate ("Bilozerka", once Ivanivka) is not it
        free = [c for c in cand if c not in taken and fuzz.ratio(own, key_of(name(c))) >= _LIKE]
        second.update(_by_place(members, free, known, point, population, hromada_name))
    return {**{c: (p, 1) for c, p in paired.items()}, **{c: (p, 2) for c, p in _unique(second).items()}}


def _distinct(cand: Sequence[int], point: Callable[[int], Point]) -> list[int]:
    """The candidates less those within 3 km of an earlier one (one place listed twice)."""
    out: list[int] = []
    for c in cand:
        if all(km(point(c), point(o)) > 3.0 for o in out):
            out.append(c)
    return out


def _by_place(members: Sequence[Settlement], cand: Sequence[int], known: Mapping[str, list[Point]],
              point: Callable[[int], Point], population: Callable[[int], int],
              hromada_name: Mapping[str, str]) -> dict[str, int]:
    out: dict[str, int] = {}
    distinct = _distinct(sorted(cand, key=population, reverse=True), point)
    if not distinct:
        return out
    ranks = [_rank(s, hromada_name) for s in members]
    top = min(ranks)
    if top < 3 and ranks.count(top) == 1:  # the one town, or the one hromada centre, takes the largest place
        first = members[ranks.index(top)]
        pick = distinct[0] if top < 2 else _in_raion(first, distinct, known, point)
        out[first.code] = pick
        distinct = [c for c in distinct if c != pick]
        members = [s for s in members if s is not first]
    best: dict[str, tuple[float, int]] = {}
    for c in distinct:
        pc = point(c)
        dist = sorted(
            (min((km(pc, q) for q in known.get(s.hromada, ())), default=math.inf), s.code) for s in members
        )
        if dist and dist[0][0] <= _NEAR_KM and (len(dist) == 1 or dist[1][0] - dist[0][0] >= _CLEAR_KM):
            d, code = dist[0]
            if code not in best or d < best[code][0]:
                best[code] = (d, c)
    out.update({code: c for code, (_, c) in best.items()})
    return out


def _in_raion(s: Settlement, cand: Sequence[int], known: Mapping[str, list[Point]],
              point: Callable[[int], Point]) -> int:
    """The candidate a village hromada centre takes: the largest one lying among its raion's known places.

    Villages rarely differ much in size, and a namesake of another raion ("Novooleksandrivka" of the
    Kalanchak steppe for the centre on the Dnipro) is no likelier for being a few hundred people larger.
    """
    pts = known.get(s.raion or "", ())
    if not pts:
        return cand[0]
    near = [c for c in cand if min(km(point(c), q) for q in pts) <= _NEAR_KM]
    if len(near) == 1 or (near and len(near) < len(cand)):
        return near[0]
    return cand[0]


def _rank(s: Settlement, hromada_name: Mapping[str, str]) -> int:
    if s.category in _RANK:
        return _RANK[s.category]
    return 2 if key_of(hromada_name.get(s.hromada, ""))[:4] == key_of(s.name)[:4] else 3


def _unique(paired: dict[str, int]) -> dict[str, int]:
    """Only the pairs whose cities500 place no other settlement claims."""
    taken: dict[int, int] = defaultdict(int)
    for p in paired.values():
        taken[p] += 1
    return {code: p for code, p in paired.items() if taken[p] == 1}
