"""The score of a pair of events: how much the evidence says they tell one incident.

A sum of documented terms (:data:`WEIGHTS`), each a function of the two events
alone; some evidence rules a link out (:data:`NO`). Two events link when their
score reaches :data:`THRESHOLD`. The terms, in the README's words:

========== ===================================================================
term       contribution
========== ===================================================================
same doc   two events of one report never link (the extractor kept them apart)
place      same gazetteer entry, or same name in one province ``+3``; two
           towns or villages of different names ``NO`` (two villages placed at
           one hromada centre are two places); otherwise (a place and "near"
           it, a village placed at its hromada centre and the centre itself)
           two points within the pair's allowance (3 km for a place itself,
           12 km for "near it" or a village placed at its hromada centre, plus
           2 km) ``+3 × (1 − d / allowance)``, farther ``NO``; a hromada and
           the town at its centre ``+1.5``; a province-level report and a
           place in that province ``0`` (nothing finer known); two
           province-level reports: one entry ``+2.5`` (a province is a large
           place), two entries of one province ``+1.5``; another province ``NO``
district   both texts name a district of the city (``lang/<iso>/incidents.json``,
           any spelling: Saltivskyi, Салтівський, Салтовский): the same ``+0.5``,
           different ``NO``
date       one day ``+2``; the next day ``−1.5`` when either names the night
           ("overnight" told the next morning) and the earlier one names no
           part of the day or the night or evening (so the figures, actors or
           weapons must agree: the same city is often struck two nights
           running), else ``NO``; further apart
           ``NO``; a date known only approximately (a week around a day,
           ``time_precision`` 2) against a day or another approximate date:
           centres on one day ``+1``, a day apart ``−0.5``, further ``−2``
           while the ranges overlap; dates known only to a month or year that
           overlap ``−1`` (a report dated only by month needs more evidence
           than a day would give), that touch or lie apart ``NO``; a report
           that a toll rose (``updates`` in ``lang/<iso>/incidents.json``) is
           told on its day of an incident of that day or up to 3 days before:
           a day among those before ``−1``
day part   two parts of the day that cannot be one happening (morning and
           evening, night and afternoon) ``NO``
type       same sub-event type ``+2``; one family (strikes, shelling, shoot-downs,
           damage, attacks on civilians; or ground fighting; or protests and
           riots) ``+1``; a strike and a clash ``−1.5``; else ``NO``
actors     strikes (one-sided) whose attackers are of opposite sides (Russia's
           forces and allies, Ukraine's) ``NO``; else per side named by both
           (a clash told from either side's point of view matched crosswise):
           same ``+0.5``, different ``−2.5``
weapons    named by both: shared ``+0.5``, none shared ``−0.5``
targets    two strikes whose texts both name what was hit (``targets`` in
           ``lang/<iso>/incidents.json``: a school, a port, a residential
           building): a kind in common ``+0.5``, none ``NO``
killed     both give a count: equal and above 1 ``+1``, equal to 1 ``+0.5``;
           can be versions of one toll (within a factor 4, or 3 apart; any two
           above 0 when one says the toll rose) ``+0.3``; else ``−1.5``; two
           province-level totals that differ ``−1.5`` unless one says it rose
injured    as killed, at half weight
========== ===================================================================
"""

from __future__ import annotations

import math
from dataclasses import replace

from sitrep.geo import haversine_km
from sitrep.incidents.features import ALLOWANCE_KM, BASE_KM, UPDATE_DAYS, Features

NO = -math.inf
_WEEK = 6  # a range of at most this many days (plus one) is an approximate date, not a month
THRESHOLD = 5.0  # tuned on the tune half of the development gold (README, "Incidents")

WEIGHTS = {
    "same_place": 3.0,
    "near_place": 3.0,
    "same_region": 2.5,
    "same_province": 1.5,
    "hromada_centre": 1.5,
    "same_day": 2.0,
    "next_night": -1.5,
    "update_before": -1.0,
    "month_overlap": -1.0,
    "approx_same": 1.0,
    "approx_next": -0.5,
    "approx_other": -2.0,
    "same_sub_type": 2.0,
    "same_family": 1.0,
    "strike_vs_clash": -1.5,
    "actor_same": 0.5,
    "actor_other": -2.5,
    "same_quarter": 0.5,
    "weapon_shared": 0.5,
    "weapon_other": -0.5,
    "target_shared": 0.5,
    "target_other": NO,
    "count_equal": 1.0,
    "count_one": 0.5,
    "count_version": 0.3,
    "count_other": -1.5,
}

_STRIKES = "strikes"
_FAMILIES: dict[str, str] = {
    "Air/drone strike": _STRIKES,
    "Shelling/artillery/missile attack": _STRIKES,
    "Remote explosive/landmine/IED": _STRIKES,
    "Grenade": _STRIKES,
    "Chemical weapon": _STRIKES,
    "Suicide bomb": _STRIKES,
    "Disrupted weapons use": _STRIKES,
    "Looting/property destruction": _STRIKES,
    "Attack": _STRIKES,
    "Armed clash": "ground",
    "Government regains territory": "ground",
    "Non-state actor overtakes territory": "ground",
    "Peaceful protest": "protest",
    "Protest with intervention": "protest",
    "Excessive force against protesters": "protest",
    "Violent demonstration": "protest",
    "Mob violence": "protest",
}
#: who fights for whom, by the start of the actor's ACLED name
_SIDES = (
    ("Military Forces of Russia", "RU"), ("Police Forces of Russia", "RU"), ("NAF:", "RU"), ("DPR:", "RU"),
    ("LPR:", "RU"), ("Wagner Group", "RU"), ("Military Forces of Ukraine", "UA"), ("Police Forces of Ukraine", "UA"),
)
_APART = {frozenset(p) for p in (("morning", "evening"), ("night", "afternoon"), ("morning", "afternoon"),
                                   ("afternoon", "evening"))}


def score(a: Features, b: Features) -> float:
    """The evidence that ``a`` and ``b`` tell one incident (:data:`NO` when something rules it out)."""
    if a.doc_id == b.doc_id or a.event_id == b.event_id:
        return NO
    total = 0.0
    for term in (_place, _quarter, _date, _day_parts, _type, _actors, _weapons, _targets):
        value = term(a, b)
        if value == NO:
            return NO
        total += value
    rising = a.update or b.update
    tally = a.coarse and b.coarse and not rising
    return total + sum(_count(x, y, weight, tally=tally, rising=rising) for x, y, weight in (
        (a.fatalities, b.fatalities, 1.0), (a.injured, b.injured, 0.5)))


def linked(a: Features, b: Features, *, threshold: float = THRESHOLD) -> bool:
    return score(a, b) >= threshold


def _place(a: Features, b: Features) -> float:
    if not a.geo_precision or not b.geo_precision:
        return NO
    if a.coarse and b.coarse:  # a province is a large place: one entry weighs less than one town
        if not a.admin1 or a.admin1 != b.admin1 or (a.named and a.named == b.named and a.place_name != b.place_name):
            return NO  # another province, or two villages the index lacks, each placed at the province
        return WEIGHTS["same_region"] if a.place_key == b.place_key else WEIGHTS["same_province"]
    if a.place_key == b.place_key or (a.place_name == b.place_name and a.admin1 == b.admin1):
        return WEIGHTS["same_place"]
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return NO
    if a.named and a.named == b.named:
        return NO
    if a.coarse or b.coarse:
        if not a.admin1 or a.admin1 != b.admin1:
            return NO
        return WEIGHTS["same_province"] if a.coarse and b.coarse else 0.0
    allowance = ALLOWANCE_KM[a.geo_precision] + ALLOWANCE_KM[b.geo_precision] + BASE_KM
    d = haversine_km(a.lat or 0.0, a.lon or 0.0, b.lat or 0.0, b.lon or 0.0)
    if d > allowance:
        return NO
    if "hromada" in (a.named, b.named):
        if {a.named, b.named} == {"hromada", "settlement"} and d <= BASE_KM:
            return WEIGHTS["hromada_centre"]  # a hromada and the town at its centre (Sumy and Sumska hromada)
        return 0.0  # a hromada and a village in it: nothing finer known of the hromada's report
    return WEIGHTS["near_place"] * (1 - d / allowance)


def _quarter(a: Features, b: Features) -> float:
    if not a.quarter or not b.quarter:
        return 0.0
    return WEIGHTS["same_quarter"] if a.quarter == b.quarter else NO


def _date(a: Features, b: Features) -> float:
    if a.first_day is None or b.first_day is None or a.last_day is None or b.last_day is None:
        return NO
    if a.told_later is not None or b.told_later is not None:
        return _update_date(a, b)
    if a.day_precise and b.day_precise:
        gap = abs(a.first_day - b.first_day)
        if gap == 0:
            return WEIGHTS["same_day"]
        if gap == 1:
            earlier = a if a.first_day < b.first_day else b
            if "night" not in a.parts | b.parts or (earlier.parts and not earlier.parts & {"night", "evening"}):
                return NO  # no night to straddle, or the earlier one was over by the evening
            return WEIGHTS["next_night"]
        return NO
    gap = max(a.first_day, b.first_day) - min(a.last_day, b.last_day)
    if gap > 1:
        return NO
    if a.last_day - a.first_day <= _WEEK and b.last_day - b.first_day <= _WEEK:
        centres = abs((a.first_day + a.last_day) - (b.first_day + b.last_day)) / 2
        if centres < 1:
            return WEIGHTS["approx_same"]
        return WEIGHTS["approx_next"] if centres < 2 else WEIGHTS["approx_other"]
    return WEIGHTS["month_overlap"] if gap <= 0 else NO


def _update_date(a: Features, b: Features) -> float:
    """The date term when a report says a toll rose: told on its day of an incident of that day or of the
    :data:`UPDATE_DAYS` before. A day (or the centre of an approximate day) among those before: at least
    ``update_before``; the day it was told, or a later one:
    as for two days. Two updates told on one day: ``same_day``, further apart (up to :data:`UPDATE_DAYS`):
    ``update_before``."""
    u, o = (a, b) if a.told_later is not None else (b, a)
    day = u.told_later or 0
    told = replace(u, first_day=day, last_day=day, day_precise=True, update=False)
    if o.told_later is not None:
        gap = abs(day - o.told_later)
        return WEIGHTS["same_day"] if gap == 0 else WEIGHTS["update_before"] if gap <= UPDATE_DAYS else NO
    value = _date(told, o)
    if o.first_day is not None and o.last_day is not None and o.last_day - o.first_day <= _WEEK and (
            day - UPDATE_DAYS <= (o.first_day + o.last_day) / 2 < day):
        return max(value, WEIGHTS["update_before"])  # a day (or an approximate day) among those before it was told
    return value


def _day_parts(a: Features, b: Features) -> float:
    apart = all(frozenset((x, y)) in _APART for x in a.parts for y in b.parts)
    return NO if a.parts and b.parts and apart else 0.0


def _type(a: Features, b: Features) -> float:
    if a.sub_event_type == b.sub_event_type:
        return WEIGHTS["same_sub_type"]
    fa, fb = _FAMILIES.get(a.sub_event_type), _FAMILIES.get(b.sub_event_type)
    if fa is not None and fa == fb:
        return WEIGHTS["same_family"]
    if {fa, fb} == {_STRIKES, "ground"}:
        return WEIGHTS["strike_vs_clash"]
    return NO


def side(actor: str | None) -> str | None:
    """The side of the war an actor fights on (``"RU"``, ``"UA"``), or None (civilians, protesters, unknown)."""
    if not actor:
        return None
    for prefix, which in _SIDES:
        if actor.startswith(prefix):
            return which
    return None


def _actors(a: Features, b: Features) -> float:
    one_sided = _FAMILIES.get(a.sub_event_type) == _STRIKES and _FAMILIES.get(b.sub_event_type) == _STRIKES
    sa, sb = side(a.actor1), side(b.actor1)
    if one_sided and sa and sb and sa != sb:
        return NO  # one side's strike and the other side's are two incidents, wherever they fall
    pairs = [(a.actor1, b.actor1), (a.actor2, b.actor2)]
    if not one_sided and a.actor1 and a.actor2 and (a.actor1, a.actor2) == (b.actor2, b.actor1):
        pairs = [(a.actor1, b.actor2), (a.actor2, b.actor1)]  # a clash told from either side's point of view
    total = 0.0
    for x, y in pairs:
        if x and y:
            total += WEIGHTS["actor_same"] if x == y else WEIGHTS["actor_other"]
    return total


def _weapons(a: Features, b: Features) -> float:
    if not a.weapons or not b.weapons:
        return 0.0
    return WEIGHTS["weapon_shared"] if a.weapons & b.weapons else WEIGHTS["weapon_other"]


def _targets(a: Features, b: Features) -> float:
    if not a.targets or not b.targets or _FAMILIES.get(a.sub_event_type) != _STRIKES or _FAMILIES.get(
            b.sub_event_type) != _STRIKES:
        return 0.0
    return WEIGHTS["target_shared"] if a.targets & b.targets else WEIGHTS["target_other"]


def _count(x: int | None, y: int | None, weight: float, *, tally: bool = False, rising: bool = False) -> float:
    """Two figures of one toll: equal, versions of one toll (an early and a later count), or not. Two
    province-level reports (``tally``) give the province's total for their day: two totals are not versions of
    one another unless one of them says the toll rose. When one says so (``rising``), any two figures above 0
    can be versions (a first count of 5 and a final one of 46)."""
    if x is None or y is None:
        return 0.0
    if x == y:  # one killed is a common figure: two reports agreeing on it say less than on twelve
        return weight * (WEIGHTS["count_equal"] if x > 1 else WEIGHTS["count_one"] if x == 1 else 0.0)
    low, high = min(x, y), max(x, y)
    if (rising and low > 0) or (not tally and (high - low <= 3 or (low > 0 and high <= 4 * low))):
        return weight * WEIGHTS["count_version"]
    return weight * WEIGHTS["count_other"]
