"""Choosing one place per toponym, using the other places of the same text.

Each candidate starts from its prior (population, how its name matched, what
kind of place it is). Then the text speaks: a region or country named in it
favours the candidates inside it, candidates near the text's other places gain,
and texts in Ukrainian or Russian favour Ukrainian places. When the two best
candidates stay close, the best is kept with a lower confidence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from sitrep.gazetteer.front import PRE_2022, front_bonus, front_slack
from sitrep.gazetteer.scope import scope_bonus, scopes
from sitrep.gazetteer.text import is_cyrillic, key_of, kmu
from sitrep.model import Place

if TYPE_CHECKING:
    from sitrep.gazetteer import Gazetteer, Resolved, Toponym

_NEAR_KM = 120.0
_NEARABLE = frozenset({"settlement", "admin2"})


def km(a: Place, b: Place) -> float:
    if a.latitude is None or b.latitude is None or a.longitude is None or b.longitude is None:
        return math.inf
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    dp, dl = p2 - p1, math.radians(b.longitude - a.longitude)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


# words that make an English or French text one about the war in Ukraine, where an unqualified
# "Odessa" or "Pervomaisk" is far likelier to be the Ukrainian place than its namesakes abroad
_WAR = re.compile(
    r"\b(?:Ukrain\w*|Russian|russes?|Kyiv|Kiev|oblast|Donbas+|DPR|LPR|NAF|OSCE|Kremlin|Zelensk\w*)\b"
)


_YEAR = re.compile(r"\b(20[12]\d)\b")
# who fought and who watched before the full-scale invasion: the rebel forces, the OSCE monitors, the ATO/JFO
_BEFORE_2022 = re.compile(r"\b(?:NAF|OSCE SMM|SMM|ATO|JFO|ООС|АТО|СММ)\b")


def era_lines(text: str) -> frozenset[str] | None:
    """The front lines of the time the text speaks of: the 2015 contact line alone before 2022, else all.

    A report of 2018 names the Pisky by Donetsk airport, not the Pisky of the 2023 Kharkiv front.
    """
    m = _YEAR.search(text)
    if m:
        return PRE_2022 if int(m.group(1)) < 2022 else None
    return PRE_2022 if _BEFORE_2022.search(text) else None


def _front_shift(place: Place, lines: frozenset[str] | None) -> float:
    """The era's front bonus less the all-lines one already in the prior."""
    if lines is None or place.iso2 != "UA" or place.feature not in _NEARABLE:
        return 0.0
    slack = front_slack(place)
    return (front_bonus(place.latitude, place.longitude, lines=lines, slack_km=slack)
            - front_bonus(place.latitude, place.longitude, slack_km=slack))


def _lang_bonus(place: Place, lang: str, *, war: bool) -> float:
    if lang in ("uk", "ru"):
        return {"UA": 0.45, "RU": 0.15}.get(place.iso2 or "", 0.0)
    bonus = {"UA": 0.3, "RU": 0.1}.get(place.iso2 or "", 0.0) if war else 0.0
    if lang == "fr":
        bonus += {"UA": 0.1, "FR": 0.1}.get(place.iso2 or "", 0.0)
    return bonus


def _likeness(written: str, place: Place) -> float:
    """How much the words as written look like the place's own name (romanised when written in Cyrillic).

    Settles namesakes that answer to the same alternate name: "Sloviansk" is
    Slovyansk, not Nikopol, which GeoNames also files under "Слов'янськ".
    """
    query = key_of(kmu(written) if is_cyrillic(written) else written)
    return fuzz.ratio(query, key_of(place.name)) / 100.0


def _cell(p: Place) -> tuple[int, int]:
    return (math.floor(p.latitude or 0.0), math.floor(p.longitude or 0.0))


def _cells(toponyms: Sequence[Toponym]) -> dict[tuple[int, int], set[str]]:
    """One-degree cells -> the names with some candidate settlement or county there."""
    cells: dict[tuple[int, int], set[str]] = {}
    for t in toponyms:
        for p in t.candidates:
            if p.feature in _NEARABLE and p.latitude is not None:
                cells.setdefault(_cell(p), set()).add(t.key)
    return cells


def _support(p: Place, key: str, cells: dict[tuple[int, int], set[str]]) -> int:
    """How many other names of the text have a candidate in ``p``'s cell or the eight around it.

    "Paris and Henry County": Paris, Tennessee, lies in the county Henry County, Tennessee; the Paris
    of France has no such neighbour. The candidates of every name count, not only each name's favourite.
    """
    lat, lon = _cell(p)
    near: set[str] = set()
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            near |= cells.get((lat + dy, lon + dx), set())
    return len(near - {key})


def resolve(gaz: Gazetteer, toponyms: Sequence[Toponym], *, text: str, lang: str) -> list[Resolved]:
    from sitrep.gazetteer import Resolved

    if not toponyms:
        return []
    war = bool(_WAR.search(text))
    lines = era_lines(text)
    base = [
        [gaz.prior(p, k) + _lang_bonus(p, lang, war=war) + 0.4 * _likeness(t.text, p) + _front_shift(p, lines)
         for p, k in zip(t.candidates, t.kinds or (0,) * len(t.candidates), strict=False)]
        for t in toponyms
    ]
    first = [t.candidates[max(range(len(s)), key=s.__getitem__)] for t, s in zip(toponyms, base, strict=True)]
    countries = Counter(p.iso2 for p in first if p.iso2)
    total = sum(countries.values()) or 1
    admins = {(p.iso2, p.admin1) for p in first if p.feature == "admin1"}
    named = {p.iso2 for p in first if p.feature == "country"}
    spots = Counter(p for p in first if p.feature not in ("country", "region"))
    cells = _cells(toponyms)
    scope = scopes(toponyms, first, text)
    out = []
    for n, (t, scores) in enumerate(zip(toponyms, base, strict=True)):
        others = [p for p, c in spots.items() if c > (1 if p == first[n] else 0)]
        final = []
        for p, s in zip(t.candidates, scores, strict=True):
            s += 0.35 * (countries[p.iso2] - (1 if first[n].iso2 == p.iso2 else 0)) / total if p.iso2 else 0.0
            if p.iso2 in named and p.feature != "country":
                s += 0.1
            s += scope_bonus(p, scope[n], admins)
            if p.feature in _NEARABLE and any(km(p, o) < _NEAR_KM for o in others if o is not p):
                s += 0.3
            if p.feature in _NEARABLE and len(t.candidates) > 1:
                s += 0.12 * min(3, _support(p, t.key, cells))
            final.append(s)
        order = sorted(range(len(final)), key=lambda i: -final[i])
        best = order[0]
        if len(order) == 1:
            conf = 0.9
        else:
            gap = final[best] - final[order[1]]
            conf = 0.5 + 0.45 * math.tanh(3 * gap)
            if km(t.candidates[best], t.candidates[order[1]]) < 25:
                conf = max(conf, 0.8)
        out.append(Resolved(toponym=t, place=t.candidates[best], confidence=conf, alternatives=len(final)))
    return out
