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
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz

from sitrep.gazetteer.front import FRONTS, PRE_2022, SINCE_2023, front_bonus, front_slack, km_to_front, side
from sitrep.gazetteer.scope import Scope, scope_bonus, scopes
from sitrep.gazetteer.text import is_cyrillic, key_of, kmu
from sitrep.geo import coordinates, km_matrix
from sitrep.geo import place_km as km
from sitrep.model import Place

if TYPE_CHECKING:
    from sitrep.gazetteer import Gazetteer, Resolved, Toponym

_NEAR_KM = 120.0
_SPREAD = 3.0  # a name with candidates in more cells than this supports each of them less
_SENTENCE_KM = 50.0
_SENTENCE_NEIGHBOUR = 0.5
_LOCAL_MAX = 0.66  # neighbours, one-degree cells and the same state together add at most this
_NEARABLE = frozenset({"settlement", "admin2"})
_SHOWN = 5  # candidates reported with their scores
_BIG = frozenset({"country", "admin1"})
_REGISTER = frozenset({"UA", "RU"})
_ONE_SENSE = 0.8  # a candidate that a qualifier kept for another mention of the same name
_BASE_NAME = 7  # index.KINDS: a region's bare name shared with its city ("Alexandria" the governorate)


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
        year = int(m.group(1))
        return PRE_2022 if year < 2022 else SINCE_2023 if year >= 2023 else None
    return PRE_2022 if _BEFORE_2022.search(text) else None


# who fires decides the side of the front the target lies on: Russian forces shell what Ukraine holds
_FORCES = r"(?:military |armed |air |occupation |occupying )?(?:forces|troops|army)"
_HITS = r"(?:\w+ ){0,2}?(?:shelled|fired|attacked|assaulted|struck|hit|launched|dropped|bombed|carried out|clashed)"
_BY_RUSSIA = re.compile(rf"\b(?:Russian|Russia's) {_FORCES} {_HITS}\b")
_BY_UKRAINE = re.compile(rf"\b(?:Ukrainian|Ukraine's) {_FORCES} {_HITS}\b|\b(?:Russian|DPR|LPR) positions\b")
_SIDE_REACH_KM = 40.0
_PRE_2022_WEIGHT = 0.8  # before 2022 the fighting kept to the Donbas line: its villages weigh more


def target_side(text: str) -> int:
    """+1 when the text's attack falls on what Russia holds, -1 on what Ukraine holds, 0 when it cannot tell."""
    ru, ua = _BY_RUSSIA.search(text), _BY_UKRAINE.search(text)
    if ru and (not ua or ru.start() < ua.start()):
        return -1
    return 1 if ua else 0


def _side_bonus(place: Place, want: int, lines: frozenset[str] | None) -> float:
    """A little for a candidate near the front on the side the attack falls on (2022 on)."""
    if (not want or lines == PRE_2022 or place.iso2 != "UA" or place.feature not in _NEARABLE
            or place.latitude is None or place.longitude is None):
        return 0.0
    lat, lon = round(place.latitude, 3), round(place.longitude, 3)
    d = max(0.0, km_to_front(lat, lon, FRONTS) - front_slack(place))
    if d >= _SIDE_REACH_KM:
        return 0.0
    # a village placed at a centre within its slack of the line may lie on either side of it
    return 0.3 * (1.0 - d / _SIDE_REACH_KM) if d == 0.0 or side(lat, lon) == want else 0.0


def _front_shift(place: Place, lines: frozenset[str] | None) -> float:
    """The era's front bonus less the all-lines one already in the prior."""
    if lines is None or place.iso2 != "UA" or place.feature not in _NEARABLE:
        return 0.0
    slack = front_slack(place)
    weight = _PRE_2022_WEIGHT if lines == PRE_2022 else 0.5
    return (front_bonus(place.latitude, place.longitude, lines=lines, slack_km=slack, weight=weight)
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


def _inside(p: Place, regions: list[tuple[str | None, str | None]]) -> bool:
    """Whether ``p`` lies in one of the countries or provinces ``regions`` (Kharkiv the city in Kharkiv oblast)."""
    return any(p.iso2 == iso2 and (admin1 is None or p.admin1 == admin1) for iso2, admin1 in regions)


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


def _support(p: Place, key: str, cells: dict[tuple[int, int], set[str]], spread: Counter[str]) -> float:
    """How many other names of the text have a candidate in ``p``'s cell or the eight around it.

    "Paris and Henry County": Paris, Tennessee, lies in the county Henry County, Tennessee; the Paris
    of France has no such neighbour. The candidates of every name count, not only each name's favourite,
    but a name with candidates all over (``spread``: in how many cells) counts for less: "Washington" has a
    namesake near any American town.
    """
    lat, lon = _cell(p)
    near: set[str] = set()
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            near |= cells.get((lat + dy, lon + dx), set())
    near.discard(key)
    return sum(min(1.0, _SPREAD / spread[u]) for u in near)


# "Mansfield" of a text that also names Shreveport (Louisiana's alone): the state that the text's unambiguous
# names agree on gains its namesakes a little, beyond what neighbours add
_VOTE = 0.2
_VOTERS = 1
_VOTE_LEAD = 2.0


def _voted(toponyms: Sequence[Toponym]) -> tuple[str | None, str | None] | None:
    """The state or province that the text's unambiguous names (all their places in one state) agree on,
    when at least ``_VOTERS`` of them do and ``_VOTE_LEAD`` times as many as on any other."""
    sure: dict[str, tuple[str | None, str | None]] = {}
    for t in toponyms:
        where = {(p.iso2, p.admin1) for p in t.candidates if p.feature in (*_NEARABLE, "admin1")}
        if len(where) == 1 and None not in next(iter(where)):
            sure[t.key] = next(iter(where))
    votes = Counter(sure.values())
    top = votes.most_common(2)
    if not top or top[0][1] < _VOTERS or (len(top) > 1 and top[0][1] < _VOTE_LEAD * top[1][1]):
        return None
    return top[0][0]


# "Huntsville … Walker County": a town and a county named in one text, of one state and a few kilometres
# apart, are the town and its county (Huntsville, Texas, the seat of Walker County, Texas), not the
# Huntsville and the Walker County of Alabama, 130 km apart. Ukraine's raions are left to the register.
_SEAT_KM = 40.0
_SEAT = 0.35


def _seats(toponyms: Sequence[Toponym], spread: Counter[str]) -> list[list[float]]:
    """Per candidate, what it gains from a county of another name around it (or a town of another name in it),
    each name by how few cells its candidates spread over."""
    # by state, since only a town and a county of one state are weighed together
    counties: dict[tuple[str | None, str | None], list[tuple[str, Place]]] = {}
    for t in toponyms:
        for p in t.candidates:
            if p.feature == "admin2" and p.iso2 not in _REGISTER:
                counties.setdefault((p.iso2, p.admin1), []).append((t.key, p))
    towns: dict[tuple[str | None, str | None], list[tuple[str, Place]]] = {}
    for t in toponyms if counties else ():
        for p in t.candidates:
            if p.feature == "settlement":
                towns.setdefault((p.iso2, p.admin1), []).append((t.key, p))
    out = []
    for t in toponyms:
        row = []
        for p in t.candidates:
            gain = 0.0
            if counties and p.feature in _NEARABLE and p.iso2 not in _REGISTER:
                for key, q in (towns if p.feature == "admin2" else counties).get((p.iso2, p.admin1), ()):
                    if key != t.key and km(p, q) < _SEAT_KM:
                        gain = max(gain, _SEAT * min(1.0, _SPREAD / max(1, spread[key])))
            row.append(gain)
        out.append(row)
    return out


# a wire agency's dateline: "WASHINGTON (AP) —", "Washington (CNN)" at the start of a line or sentence (a local
# paper's "MIDDLETOWN —" names its own town, and an agency writes "COLUMBUS, Ohio (AP)" for a lesser namesake)
_DATELINE_BEFORE = re.compile(r"(?:^|[\n.!?]\s*)[\s\"'“]*$")
_DATELINE_AFTER = re.compile(r"\s*\((?:AP|Reuters|AFP|CNN|RNS|UPI|Bloomberg|dpa|Xinhua|BBC|NBC|CBS|ABC|TASS|Ukrinform)\)")
_DATELINE = 3.0  # more than all the context can add
_DATELINE_CITY = 100_000  # a city this large stands alone in a dateline; "LEBANON (AP)" of Ohio's regional wire does not


def dateline_index(t: Toponym, text: str) -> int | None:
    """The candidate a wire dateline names (the most populous city, if a large one), or None."""
    if not _DATELINE_AFTER.match(text, t.end) or not _DATELINE_BEFORE.search(text[max(0, t.start - 40) : t.start]):
        return None
    towns = [i for i, p in enumerate(t.candidates) if p.feature == "settlement"]
    best = max(towns, key=lambda i: t.candidates[i].population, default=None)
    return best if best is not None and t.candidates[best].population >= _DATELINE_CITY else None


# "London" of a text about Amsterdam is England's, not Ontario's; "Washington" of a text about Moscow and
# Salisbury is the capital, not a New Jersey town that "Union" seems to support; but "Paris and Henry County" is
# Tennessee's, and the "London" of a text that names Canada is Ontario's
_WORLD = 0.4  # what a world city gains over its namesakes when the text is not at home by one of them
_WORLD_CITY = 500_000
_WORLD_RATIO = 10.0  # times as populous as every namesake settlement
_HOME = 0.25  # the support of the other names (each by how few namesakes it has) that makes a namesake local


def world_city(t: Toponym) -> int | None:
    """The candidate that is a world city: a settlement of half a million or more, ten times as populous as
    every namesake settlement, of a name that names no country ("Mexico" stays the country)."""
    towns = sorted((i for i, p in enumerate(t.candidates) if p.feature == "settlement"),
                   key=lambda i: -t.candidates[i].population)
    if not towns or t.candidates[towns[0]].population < _WORLD_CITY or any(p.feature == "country" for p in t.candidates):
        return None
    if len(towns) > 1 and t.candidates[towns[0]].population < _WORLD_RATIO * t.candidates[towns[1]].population:
        return None
    return towns[0]


@dataclass(frozen=True, slots=True)
class Home:
    """Where a text is at home: the cells of its names' candidates (a world city's name only at the world
    city, a name taken as a country or a province none), how many cells each name spreads over, and the
    countries it names."""

    cells: dict[tuple[int, int], set[str]]
    spread: Counter[str]
    countries: frozenset[str | None]


def home_of(toponyms: Sequence[Toponym], chosen: Sequence[Place], world: Sequence[int | None],
            spread: Counter[str] | None = None) -> Home:
    """The :class:`Home` of a text given the place provisionally ``chosen`` for each toponym, and ``spread``,
    how many cells each name's candidates lie in (counted here when the caller has not)."""
    return Home(
        cells=_cells([replace(t, candidates=(t.candidates[w],)) if w is not None
                      else replace(t, candidates=(c,)) if c.feature not in _NEARABLE else t
                      for t, w, c in zip(toponyms, world, chosen, strict=True)]),
        spread=spread if spread is not None else Counter(k for c in _cells(toponyms).values() for k in c),
        countries=frozenset(p.iso2 for p in chosen if p.feature == "country"),
    )


def at_home(t: Toponym, big: Place, home: Home) -> bool:
    """Whether a namesake of the world city ``big`` lies where the text is at home: among the other names'
    namesakes (of its own country when the text names the world city's), or in a country it names when it does
    not name the world city's. A state named in passing does not make one: "Paris" of a text that names
    Kentucky is still France's, unless Kentucky's towns are named around Paris, Kentucky."""
    for p in t.candidates:
        if p is big or p.feature not in _NEARABLE or (p.iso2, p.admin1) == (big.iso2, big.admin1):
            continue
        if p.iso2 in home.countries and big.iso2 not in home.countries:
            return True
        if (p.iso2 == big.iso2 or big.iso2 not in home.countries) and _support(p, t.key, home.cells, home.spread) >= _HOME:
            return True
    return False


def _narrowed(toponyms: Sequence[Toponym]) -> dict[str, frozenset[Place]]:
    """Per name written more than once, the candidates left to a mention that a qualifier narrowed.

    "Residents of China, Texas, met on Monday. … the town of China will vote": one name, one place per text.
    """
    by_key: dict[str, list[frozenset[Place]]] = {}
    for t in toponyms:
        by_key.setdefault(t.key, []).append(frozenset(t.candidates))
    out = {}
    for key, sets in by_key.items():
        least, most = min(sets, key=len), max(sets, key=len)
        if len(least) < len(most) and least <= most:
            out[key] = least
    return out


# "Athens, Greece", "Bogota, Colombia", "Windsor in Canada": a country written right after a place says where
# the place is. Regions are narrowed so before resolving (qualify.py); a country only weighs here, since
# "Moscow, Russia and Kyiv" and "Georgia, Ukraine" also put names side by side
_COUNTRY_GAP = re.compile(r"\s*,\s*|\s*\(\s*|\s*,?\s+in\s+(?:the\s+)?")
_LIST_GAP = re.compile(r"\s*(?:,|,?\s*\b(?:and|or))\s*")
_QUALIFIED = 2.0
_DEMONYM = 5  # index.KINDS


def _country_qualified(toponyms: Sequence[Toponym], text: str) -> list[str | None]:
    """Per toponym, the country written right after it as its qualifier ("Athens, Greece"), or None."""
    out: list[str | None] = [None] * len(toponyms)
    for n in range(len(toponyms) - 1):
        t, q = toponyms[n], toponyms[n + 1]
        if not _COUNTRY_GAP.fullmatch(text, t.end, q.start):
            continue
        after = toponyms[n + 2] if n + 2 < len(toponyms) else None
        if (after is not None and after.candidates and after.candidates[0].feature == "country"
                and _LIST_GAP.fullmatch(text, q.end, after.start)):
            continue  # "Athens, Greece and Turkey": a list of countries
        kinds = q.kinds or (0,) * len(q.candidates)
        first = q.candidates[0] if q.candidates else None
        if (first is None or first.feature != "country" or kinds[0] == _DEMONYM
                or any(p.feature == "country" for p in t.candidates)):
            continue
        if any(p.iso2 == first.iso2 for p in t.candidates) and any(p.iso2 != first.iso2 for p in t.candidates):
            out[n] = first.iso2
    return out


# words beside a name that say it names a state or province ("the state of Victoria", "New York Governor",
# "Idlib province") or a city ("Fargo Mayor", "downtown Athens"): they settle a name shared by a province and a
# city, or by a province abroad and towns at home
_STATE_BEFORE = re.compile(r"\b(?:state|province|[Gg]overnor|upstate)\s+of\s+(?:the\s+)?$|\bupstate\s+$")
_STATE_AFTER = re.compile(r"(?:['’]s)?\s+(?:state|province|[Gg]overnor|Gov\.|[Ll]egislature|attorney general|Attorney General)\b")
_CITY_BEFORE = re.compile(r"\b(?:[Mm]ayor|city)\s+of\s+$|\bdowntown\s+$")
_CITY_AFTER = re.compile(r"(?:['’]s)?\s+(?:[Mm]ayor|city council|City Council|city hall|City Hall)\b")
_CUE = 0.8
_ADMIN = frozenset({"admin1", "admin2"})


def _cue(text: str, t: Toponym) -> str | None:
    """"state" or "city" when the words around ``t`` say which it names, else None."""
    before = text[max(0, t.start - 30) : t.start]
    if _STATE_BEFORE.search(before) or _STATE_AFTER.match(text, t.end):
        return "state"
    if _CITY_BEFORE.search(before) or _CITY_AFTER.match(text, t.end):
        return "city"
    return None


def _cued(t: Toponym, cue: str | None) -> frozenset[Place]:
    """The candidates that ``cue`` favours, when ``t`` has some of both kinds."""
    if cue is None:
        return frozenset()
    admins = frozenset(p for p in t.candidates if p.feature in _ADMIN)
    towns = frozenset(p for p in t.candidates if p.feature == "settlement")
    if not admins or not towns:
        return frozenset()
    return admins if cue == "state" else towns


def _capital_namesake(t: Toponym) -> bool:
    """Whether a province of the name has a city of the name inside it: a text may mean either by turns."""
    admins = {(p.iso2, p.admin1) for p in t.candidates if p.feature == "admin1"}
    return any(p.feature == "settlement" and (p.iso2, p.admin1) in admins for p in t.candidates)


def _ranking(t: Toponym, scores: Sequence[float], lines: frozenset[str] | None) -> list[int]:
    """The candidates' indices, best first. Of two Ukrainian villages that score the same (two register
    namesakes of one oblast, both placed at centres by the line), the one nearer the era's lines comes first."""

    def nearness(i: int) -> float:
        p = t.candidates[i]
        if p.iso2 != "UA" or p.feature not in _NEARABLE or p.latitude is None or p.longitude is None:
            return 0.0
        return km_to_front(round(p.latitude, 3), round(p.longitude, 3), lines)

    return sorted(range(len(scores)), key=lambda i: (-round(scores[i], 6), nearness(i)))


# "the Atlantic", "the tropical Atlantic", "the Middle East", "la Méditerranée": a sea or a region, not a town
_ARTICLE_BEFORE = re.compile(r"(?:\b(?:the|la|le|les)\s+|\bl['’])(?:[a-z][\w-]*\s+){0,2}$")
_ARTICLE = 0.6


def _articled(text: str, t: Toponym) -> bool:
    """Whether a definite article comes before the name (lower-case words between allowed)."""
    return bool(_ARTICLE_BEFORE.search(text, max(0, t.start - 40), t.start))


def _base(gaz: Gazetteer, toponyms: Sequence[Toponym], *, text: str, lang: str,
          lines: frozenset[str] | None, spread: Counter[str]) -> list[list[float]]:
    """Each candidate's score before the other places of the text are weighed."""
    war = bool(_WAR.search(text))
    want = target_side(text)
    narrowed = _narrowed(toponyms)
    qualified = _country_qualified(toponyms, text)
    for t, iso2 in zip(toponyms, qualified, strict=True):
        if iso2 is not None and t.key not in narrowed:
            narrowed[t.key] = frozenset(p for p in t.candidates if p.iso2 == iso2)  # one sense per name
    cued = [_cued(t, _cue(text, t)) for t in toponyms]
    for t, c in zip(toponyms, cued, strict=True):
        if c and t.key not in narrowed and not _capital_namesake(t):
            narrowed[t.key] = c  # one sense per name, unless the state has a city of its name ("New York")
    datelines = [dateline_index(t, text) for t in toponyms]
    seats = _seats(toponyms, spread)
    return [
        [(_ONE_SENSE if p in narrowed.get(t.key, ()) else 0.0) + gaz.prior(p, k) + _lang_bonus(p, lang, war=war) + 0.4 * _likeness(t.text, p) + _front_shift(p, lines)
         + _side_bonus(p, want, lines) + (_DATELINE if i == d else 0.0)
         + (_ARTICLE if a and p.feature == "region" else 0.0) + (_QUALIFIED if q is not None and p.iso2 == q else 0.0)
         + (_CUE if p in c else 0.0) + seat[i]
         for i, (p, k) in enumerate(zip(t.candidates, t.kinds or (0,) * len(t.candidates), strict=False))]
        for t, d, a, q, c, seat in zip(toponyms, datelines, (_articled(text, t) for t in toponyms), qualified, cued,
                                       seats, strict=True)
    ]


def resolve(gaz: Gazetteer, toponyms: Sequence[Toponym], *, text: str, lang: str) -> list[Resolved]:
    from sitrep.gazetteer import Resolved

    if not toponyms:
        return []
    lines = era_lines(text)
    cells = _cells(toponyms)
    spread = Counter(k for c in cells.values() for k in c)
    base = _base(gaz, toponyms, text=text, lang=lang, lines=lines, spread=spread)
    first = [t.candidates[_ranking(t, s, lines)[0]] for t, s in zip(toponyms, base, strict=True)]
    voted = _voted(toponyms)
    # two rounds: the context of the second is the places the first chose ("Paris" of a text that also
    # names Henry County and Lone Oak is Paris, Tennessee; then Henry County is Tennessee's too)
    scope = scopes(toponyms, first, text)
    final = _score(toponyms, base, first, cells, scope, spread, voted)
    chosen = [t.candidates[_ranking(t, f, lines)[0]] for t, f in zip(toponyms, final, strict=True)]
    world = [world_city(t) for t in toponyms]
    if any(w is not None for w in world):
        home = home_of(toponyms, chosen, world, spread)
        for n, (t, w) in enumerate(zip(toponyms, world, strict=True)):
            if w is not None and not at_home(t, t.candidates[w], home):
                base[n][w] += _WORLD
                final[n][w] += _WORLD
                chosen[n] = t.candidates[_ranking(t, final[n], lines)[0]]
    # the towns of each sentence as the first round chose them: "Zaporizke and Novoheorhiivka" are neighbours once
    # Novoheorhiivka is the one of Synelnykivskyi raion
    scope = scopes(toponyms, chosen, text)
    final = _score(toponyms, base, chosen, cells, scope, spread, voted)
    out = []
    for t, scores in zip(toponyms, final, strict=True):
        order = _ranking(t, scores, lines)
        best = order[0]
        if len(order) == 1:
            conf = 0.9
        else:
            gap = scores[best] - scores[order[1]]
            conf = 0.5 + 0.45 * math.tanh(3 * gap)
            if km(t.candidates[best], t.candidates[order[1]]) < 25:
                conf = max(conf, 0.8)
        ranked = tuple((t.candidates[i], scores[i]) for i in order[:_SHOWN])
        out.append(Resolved(toponym=t, place=t.candidates[best], confidence=conf, alternatives=len(scores),
                            ranked=ranked))
    return out


_ROWS = 2048


def _near_spots(toponyms: Sequence[Toponym], spots: Counter[Place]) -> np.ndarray:
    """For every candidate of every toponym (rows, in order), which of ``spots`` (columns) lie within
    ``_NEAR_KM`` of it; a candidate is never near itself."""
    flat = [p for t in toponyms for p in t.candidates]
    marks = list(spots)
    lat, lon = coordinates(flat)
    mlat, mlon = coordinates(marks)
    # in slices of rows, so that a text of thousands of names never holds one huge matrix
    near = np.concatenate([km_matrix(lat[i : i + _ROWS], lon[i : i + _ROWS], mlat, mlon) < _NEAR_KM
                           for i in range(0, max(1, len(flat)), _ROWS)])
    column = {id(o): j for j, o in enumerate(marks)}
    for i, p in enumerate(flat):
        j = column.get(id(p))
        if j is not None:
            near[i, j] = False
    return near


def _score(
    toponyms: Sequence[Toponym], base: list[list[float]], first: list[Place], cells: dict[tuple[int, int], set[str]],
    scope: Sequence[Scope], spread: Counter[str], voted: tuple[str | None, str | None] | None,
) -> list[list[float]]:
    """Each candidate's score given ``first``, the place each toponym is taken to name."""
    # each name counts once, however often the text repeats it: four "London" do not outvote "Toronto, Canada"
    chosen = {t.key: p for t, p in zip(toponyms, first, strict=True)}
    countries = Counter(p.iso2 for p in chosen.values() if p.iso2)
    total = sum(countries.values()) or 1
    admins = {(p.iso2, p.admin1) for p in first if p.feature == "admin1"}
    states = Counter((p.iso2, p.admin1) for p in chosen.values() if p.admin1 and p.feature in _NEARABLE)
    named = {p.iso2 for p in first if p.feature == "country"}
    spots = Counter(p for p in first if p.feature not in ("country", "region"))
    near = _near_spots(toponyms, spots)
    column = {o: j for j, o in enumerate(spots)}
    support: dict[tuple[tuple[int, int], str], float] = {}  # by cell and name: the same for every candidate there
    out = []
    row = 0
    for n, (t, scores) in enumerate(zip(toponyms, base, strict=True)):
        mine = chosen[t.key]
        # "China", "California": a province named elsewhere in the text does not make a town of the name
        # of a country or a province elsewhere; only the provinces of its own sentence (or carried) do
        big = [(p.iso2, p.admin1 if p.feature == "admin1" else None) for p in t.candidates if p.feature in _BIG]
        # another place of the text near the candidate (the toponym's own place counts when named twice)
        alone = column.get(first[n]) if spots[first[n]] == 1 else None
        rows = near[row : row + len(t.candidates)]
        row += len(t.candidates)
        mask = np.asarray((rows if alone is None else np.delete(rows, alone, axis=1)).any(axis=1))
        nearby: list[bool] = mask.tolist()
        # ... unless the province answers to the name only as its city's (a region base name): Egypt's
        # governorate of Alexandria does not keep a text that names Virginia from Alexandria, Virginia
        rival = any(p.feature in _BIG and k != _BASE_NAME
                    for p, k in zip(t.candidates, t.kinds or (0,) * len(t.candidates), strict=False))
        final = []
        for p, s, close in zip(t.candidates, scores, nearby, strict=True):
            s += 0.35 * (countries[p.iso2] - (1 if mine.iso2 == p.iso2 else 0)) / total if p.iso2 else 0.0
            if p.iso2 in named and p.feature != "country":
                s += 0.1
            if not (rival and p.feature == "settlement" and not scope[n].weight and not _inside(p, big)):
                s += scope_bonus(p, scope[n], admins)  # the oblast of the place's own sentence, else any named
            local = 0.0
            if p.feature in _NEARABLE and p.admin1 and len(t.candidates) > 1:
                # other places of the text in the same state or province
                same = states[(p.iso2, p.admin1)] - (1 if (mine.iso2, mine.admin1) == (p.iso2, p.admin1) else 0)
                local += 0.15 * min(2, same)
            if p.feature in _NEARABLE and close:
                local += 0.3
            if p.feature in _NEARABLE and len(t.candidates) > 1:
                at = (_cell(p), t.key)
                if at not in support:
                    support[at] = _support(p, t.key, cells, spread)
                local += 0.12 * min(3.0, support[at])
            if p.feature in _NEARABLE and len(t.candidates) > 1 and p.latitude is not None and scope[n].towns.near(
                    p, _SENTENCE_KM, besides=t.key):
                # "освободили село Андреевка под Бахмутом", "fighting near Terny and Torske": the namesake
                # near the other villages and towns of its own sentence
                s += _SENTENCE_NEIGHBOUR
            if voted and not big and (p.iso2, p.admin1) == voted and p.feature in _NEARABLE and len(t.candidates) > 1:
                s += _VOTE
            final.append(s + min(local, _LOCAL_MAX))
        out.append(final)
    return out
