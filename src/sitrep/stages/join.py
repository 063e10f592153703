"""Joining what a report tells more than once into one event.

A report tells its main event several times: in the headline, the lead, a photo caption, a quote, the toll
given later, the damage listed after the attack. The sentence-level frames of :mod:`records` see each telling
apart; this step decides, for the report as a whole, which tellings are one event:

- **a telling with no place joins the event it is about**: the located event of the same type told nearest
  to it — in its paragraph first, else after it when it is the headline or lead (a headline announces what
  the body places), else before it. A telling with no place is kept as a record of its own only when the
  report places no event of its type at all, and then says so;
- **the same event at its place and again at its oblast or raion** ("a strike on Sumy … the Sumy region was
  attacked", "обстрілював населені пункти Куп'янського району … обстріл с. Колодязне") is one event at the
  place, unless the region's telling gives figures of its own (a regional total is an event of its own) —
  figures a raion gives are those of its one place that tells none; a region whose figures the place gives too,
  or told of "a village" of it ("in a village in the Kharkiv region"), is the one place the report names there;
- **the same event at the same place told twice with dates that can be one** (a headline dated by the report,
  a caption dated to the day, "last night" and "on Saturday" with the same figures) is one event, dated by the
  more precise telling;
- **one locality, one event of a kind**: tellings of the same sub-event type (or of the same type, one of them
  told with a generic word: "під обстрілами опинився притулок" after a drone strike) at one locality — a city, its
  districts and its hromada ("Сумська громада", "Ковпаківський район Сум", "Суми") — on dates that can be one
  are one event, unless each gives casualty figures of its own (two strikes with their own tolls stay two; the
  same figures told once with a generic word are one); a headline or lead that names no weapon and gives no
  figures counts as told with a generic word (it announces what the body tells), and a capture told beside the
  fighting there makes the event a capture;
- **an explosion placed where it was heard** ("вибух чули у Харкові") is the event of its type the report
  places within earshot, if any;
- **an interception with no place told beside a located attack** ("Ворог атакував Одесу дронами. Сили ППО збили
  12 з них") is placed where the attack was (precision 2);
- **an interception told of no place** in a report that places its events ("l'armée de l'air a abattu 41 des
  74 drones") is the country's count for the night, not an event of its own: it is dropped, and says so;
- **a launch with no target named** ("launched 14 drones from Crimea") is the attack whose interception the
  report places, when both name the weapon;
- **damage told after a strike** ("buildings were damaged in Belgorod" after the missiles) is what the strike
  at that locality did, unless a party of its own did it; the strike names its weapon (shots at a building
  whose windows were broken stay property destruction).

Joined tellings keep their evidence and claims; a count the event lacks is taken from the telling, and of two
counts the larger (a toll that rose) is kept. Every join is noted with its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sitrep.gazetteer.resolve import km
from sitrep.model import Claim, Event, Place, Step
from sitrep.stages.dates import parse_day
from sitrep.stages.roles import inside, part_of

DESTRUCTION = "Looting/property destruction"
INTERCEPTION = "Disrupted weapons use"
CLASH = "Armed clash"
TERRITORY = frozenset({"Government regains territory", "Non-state actor overtakes territory"})
ATTACK_TYPES = frozenset({"Explosions/Remote violence"})
LOCALITY_KM = 15.0
VILLAGE = 50_000  # a place this small is "a village" a report may leave unnamed before naming it
HEARD_KM = 60.0
APPROXIMATE_DAYS = 7  # how long before its report a telling dated only by the report may have happened  # how far an explosion is heard


@dataclass(frozen=True)
class Telling:
    """Where in the report an event was told."""

    sentence: int
    paragraph: int
    lead: bool  # the report's headline or the opening sentence of its first paragraph
    unlocated: bool = False  # the sentence says it gives no place ("sans préciser où")
    generic: bool = False  # told with a generic event word ("під обстрілами", "attack"), no weapon of its own
    heard: bool = False  # placed only where it was heard ("вибух чули у Харкові")
    some_village: bool = False  # at a province, in "a village" of it the sentence does not name ("in a village in …")


def _dates_agree(a: Event, b: Event) -> bool:
    if a.event_date == b.event_date or a.event_date is None or b.event_date is None:
        return True
    da, db = parse_day(a.event_date), parse_day(b.event_date)
    if da is None or db is None:
        # a month and a day of that month
        return a.event_date.startswith(b.event_date) or b.event_date.startswith(a.event_date)
    if (a.time_precision or 1) == (b.time_precision or 1):
        return (a.time_precision or 1) > 1 and abs((da - db).days) <= 2
    # a telling dated only by its report ("обстріляли громаду", precision 2) and one dated to the day ("в неділю"):
    # one event when the day falls in the week up to the report
    vague, exact = (da, db) if (a.time_precision or 1) > (b.time_precision or 1) else (db, da)
    if (vague - exact).days > 2 and not _same_figures(a, b):
        return False  # "Le 7 mai, une attaque a tué sept civils" is not the strike of the report's day
    return 0 <= (vague - exact).days <= APPROXIMATE_DAYS


def _same_figures(a: Event, b: Event) -> bool:
    """Whether two tellings give no figures that differ."""
    return all(x is None or y is None or x == y for x, y in ((a.fatalities, b.fatalities), (a.injured, b.injured)))


def _night_apart(a: Event, b: Event) -> bool:
    """Two tellings a day apart that agree on their figures: a night strike is "last night" in the governor's
    words and "on Saturday" in the report ("four killed … the governor said Saturday")."""
    da, db = parse_day(a.event_date), parse_day(b.event_date)
    if da is None or db is None or abs((da - db).days) != 1:
        return False
    return _same_figures(a, b)


def _max(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


def _claims(a: tuple[Claim, ...], b: tuple[Claim, ...]) -> tuple[Claim, ...]:
    out: dict[tuple[str | None, str | None], Claim] = {}
    for c in (*a, *b):
        out.setdefault((c.claimant, c.channel), c)
    named = [c for c in out.values() if c.claimant]
    return tuple(named) if named else tuple(out.values())[:1]


def absorb(into: Event, other: Event) -> Event:
    """``into`` with what ``other`` told of it: evidence, claims, counts, parties, weapons, a finer date."""
    finer = (other.time_precision or 9) < (into.time_precision or 9) and other.event_date is not None
    return replace(
        into,
        evidence=into.evidence + tuple(x for x in other.evidence if x not in into.evidence),
        claims=_claims(into.claims, other.claims),
        fatalities=_max(into.fatalities, other.fatalities),
        fatalities_lower_bound=into.fatalities_lower_bound if into.fatalities is not None
        and (other.fatalities is None or into.fatalities >= other.fatalities) else other.fatalities_lower_bound,
        injured=_max(into.injured, other.injured),
        actor1=into.actor1 or other.actor1,
        actor2=into.actor2 or other.actor2,
        weapons=tuple(dict.fromkeys(into.weapons + other.weapons)),
        event_date=other.event_date if finer else into.event_date,
        time_precision=other.time_precision if finer else into.time_precision,
        modality="claimed" if "claimed" in (into.modality, other.modality) and into.modality != "disputed"
        else into.modality,
        confidence=max(into.confidence, other.confidence),
    )


def _region(e: Event) -> bool:
    """Whether the event is told at an oblast or a raion."""
    return e.location is not None and e.location.feature in ("admin1", "admin2")


def _inside_region(e: Event, region: Event) -> bool:
    """Whether ``e`` is told at a place inside the oblast or raion of ``region`` (a finer unit or a place)."""
    loc, unit = e.location, region.location
    if loc is None or unit is None or loc.feature == "admin1" or (loc.feature == "admin2" and unit.feature == "admin2"):
        return False
    return inside(loc, unit)


def _same_place(a: Event, b: Event) -> bool:
    la, lb = a.location, b.location
    return la is not None and lb is not None and (la.name, la.geo_precision, la.feature) == (
        lb.name, lb.geo_precision, lb.feature)


def _locality(a: Place | None, b: Place | None) -> bool:
    """Whether two places are one locality: the same place, a city and its district, or a hromada and the
    town at its centre."""
    if a is None or b is None or a.latitude is None or b.latitude is None:
        return False
    if (a.name, a.feature) == (b.name, b.feature):
        return a.geo_precision == b.geo_precision  # "near Bakhmut" is told apart from Bakhmut
    if part_of(a, b) or part_of(b, a):
        return True
    return "hromada" in (a.feature, b.feature) and "admin1" not in (a.feature, b.feature) and km(a, b) <= LOCALITY_KM


def _has_counts(e: Event) -> bool:
    return e.fatalities is not None or e.injured is not None


def _fits(telling: Event, event: Event) -> int:
    """How well an event's figures fit those of a telling of it: one for each figure both give alike, less one
    for each the telling gives that the event lacks."""
    score = 0
    for a, b in ((telling.fatalities, event.fatalities), (telling.injured, event.injured)):
        if a is not None and a > 0:
            score += 1 if b == a else 0 if b is not None else -1
    return score


def _target(i: int, events: Sequence[Event], told: Sequence[Telling], alive: Sequence[bool]) -> int | None:
    """The located event of the same type that an unplaced telling is about (rule in the module docstring)."""
    me, at = events[i], told[i]
    # of its type and of a date that can be its ("Le 7 mai, une attaque a tué sept civils" in a report of the 12th
    # is not the strike the report places)
    same = [j for j, e in enumerate(events) if alive[j] and j != i and e.location is not None
            and e.event_type == me.event_type and _dates_agree(e, me)]
    if not same:
        return None
    para = [j for j in same if told[j].paragraph == at.paragraph]
    if para:
        return min(para, key=lambda j: (abs(told[j].sentence - at.sentence), told[j].sentence > at.sentence))
    after = [j for j in same if told[j].sentence > at.sentence]
    before = [j for j in same if told[j].sentence < at.sentence]
    if at.lead and after:
        # a headline announces what the body places: the event whose figures it gives ("є загиблий" is the
        # strike with a death), else the first
        return max(after, key=lambda j: (_fits(me, events[j]), -told[j].sentence))
    return before[-1] if before else after[0]


def _shot_down(i: int, events: Sequence[Event], told: Sequence[Telling], alive: Sequence[bool]) -> int | None:
    """"Russia launched 14 drones from Crimea … 11 were shot down over Odesa": a launch told with no place is the
    attack whose interception the report places, when they name the same weapon (or the interception, told
    right after, names none: "shot down 11 of them")."""
    me = events[i]
    if me.event_type not in ATTACK_TYPES or not me.weapons:
        return None
    return next((j for j, e in enumerate(events) if alive[j] and j != i and e.location is not None
                 and e.sub_event_type == INTERCEPTION and (set(e.weapons) & set(me.weapons) or (
                     not e.weapons and 0 < told[j].sentence - told[i].sentence <= 2))), None)


def _report_region(i: int, events: Sequence[Event], alive: Sequence[bool]) -> Place | None:
    """The oblast every located event of the report lies in, as a place of precision 3 at the point ACLED gives
    an oblast (its centre city's, when the report names it), for a telling of another day with no place of its
    own ("Le 7 mai, une attaque a tué sept civils" in a report of Belgorod); None when the report spans several."""
    me = events[i]
    located = [e.location for j, e in enumerate(events) if alive[j] and j != i and e.location is not None]
    same = [loc for loc in located if loc.admin1]
    if not same or len(same) != len(located) or len({loc.admin1 for loc in same}) != 1:
        return None
    if not any(e.event_type == me.event_type for j, e in enumerate(events) if alive[j] and j != i and e.location):
        return None
    region = next((loc for loc in same if loc.feature == "admin1"), None)
    if region is not None:
        return region
    centre = max(same, key=lambda loc: loc.population)
    name = centre.admin1 or ""
    return replace(centre, name=name if name.endswith((" Oblast", " Krai", " Republic")) else f"{name} Oblast",
                   admin2=None, geo_precision=3, geonameid=None, feature="admin1", population=0,
                   source=f"the oblast of {centre.name} ({centre.source})")


def _raid(i: int, events: Sequence[Event], told: Sequence[Telling], alive: Sequence[bool]) -> int | None:
    """The located attack an interception told with no place belongs to: told beside it (the sentence before or
    after, in its paragraph) with the same weapon, or none named."""
    me = events[i]
    if me.sub_event_type != INTERCEPTION:
        return None
    for j, e in enumerate(events):
        if (alive[j] and j != i and e.location is not None and e.event_type in ATTACK_TYPES
                and told[j].paragraph == told[i].paragraph and abs(told[j].sentence - told[i].sentence) == 1
                and (not me.weapons or not e.weapons or set(me.weapons) & set(e.weapons))):
            return j
    return None


def join(events: Sequence[Event], told: Sequence[Telling]) -> tuple[list[Event], list[Step]]:
    """The report's events with every repeated telling joined to its event, and the steps that say why."""
    out = list(events)
    alive = [True] * len(out)
    steps: list[Step] = []

    def merge(i: int, j: int, why: str) -> None:
        out[j] = absorb(out[j], out[i])
        alive[i] = False
        loc = out[j].location
        where = loc.name if loc is not None else "no place"
        steps.append(Step(told[i].sentence, "joined", f"{out[i].sub_event_type} → the event at {where} "
                                                     f"(sentence {told[j].sentence + 1}): {why}"))

    # the same event at its place and at its oblast or raion
    for i, e in enumerate(out):
        if not alive[i] or not _region(e):
            continue
        held = [j for j, f in enumerate(out) if alive[j] and j != i and _inside_region(f, e) and _dates_agree(e, f)
                and (f.sub_event_type == e.sub_event_type
                     or (f.event_type == e.event_type and (told[i].generic or told[j].generic)))]
        if not held:
            continue
        if not _has_counts(e):
            merge(i, held[0], "the oblast or raion holds that place, and tells no figures of its own")
            continue
        same = [j for j in held if _fits(e, out[j]) > 0 and _same_figures(e, out[j])]
        if len(same) == 1 or (same and (out[same[0]].fatalities, out[same[0]].injured) == (e.fatalities, e.injured)):
            # "Russian attack on Kharkiv Oblast kills man, injures 7" and "attacked the village of Borova …, killing
            # a 70-year-old man and injuring seven": figures that the place gives too
            merge(i, same[0], "the oblast or raion holds that place, and tells the same figures")
            continue
        villages = {j: loc.name for j in held if (loc := out[j].location) is not None and loc.population < VILLAGE}
        if told[i].some_village and len(set(villages.values())) == 1:
            # "Russian shelling killed three people in a village in the Kharkiv region … the attack on the village of
            # Borova": the one village of that region the report names
            merge(i, next(iter(villages)), "a village of the oblast, named later in the report")
            continue
        # "two killed in an attack on Zaporizkyi raion … a drone hit a car in Bilenkivska hromada": the figures of a
        # raion are those of the one place of it that tells none (an oblast's may be a regional total)
        bare = [j for j in held if not _has_counts(out[j])]
        places = {loc.name for j in bare if (loc := out[j].location) is not None}
        if len(places) == 1 and e.location is not None and e.location.feature == "admin2":
            merge(i, bare[0], "the figures of the raion, whose place told this is")
    # the same place, the same kind, dates that can be one
    for i in range(len(out)):
        if not alive[i]:
            continue
        for j in range(i):
            if alive[j] and out[j].sub_event_type == out[i].sub_event_type and _same_place(out[i], out[j]) \
                    and (_dates_agree(out[i], out[j]) or _night_apart(out[i], out[j])):
                merge(i, j, "the same place and kind, told again")
                break
    # one locality, one event of a kind, unless each telling gives figures of its own
    for i in range(len(out)):
        if not alive[i]:
            continue
        for j in range(i):
            kind = out[j].sub_event_type == out[i].sub_event_type or (
                out[j].event_type == out[i].event_type and (told[i].generic or told[j].generic))
            # each with figures of its own: two events, unless they are the same figures and one telling is
            # generic ("в результате атаки погиб мирный житель" and the drone that killed him)
            apart = _has_counts(out[i]) and _has_counts(out[j]) and not (
                _same_figures(out[i], out[j]) and (told[i].generic or told[j].generic))
            if (alive[j] and kind and _locality(out[i].location, out[j].location)
                    and _dates_agree(out[i], out[j]) and not apart):
                keep, drop = (i, j) if (_has_counts(out[i]) and not _has_counts(out[j])) or (
                    told[j].generic and not told[i].generic) else (j, i)
                took = out[drop].sub_event_type
                merge(drop, keep, "one locality, one event of this kind: the tellings give no figures of their own")
                if (took in TERRITORY and out[keep].sub_event_type == CLASH) or (
                        told[keep].generic and not told[drop].generic):
                    # "Russian forces captured Kupiansk" and the fighting there: the capture says more; "drones
                    # struck Zolochiv" and "a hit in Zolochiv" with its toll: the weapon says more
                    out[keep] = replace(out[keep], sub_event_type=took)
                break
    # damage told after an attack at that locality
    for i, e in enumerate(out):
        if not alive[i] or e.sub_event_type != DESTRUCTION or e.location is None:
            continue
        attacks = [j for j, f in enumerate(out) if alive[j] and j != i and f.event_type in ATTACK_TYPES and f.weapons
                   and told[j].sentence <= told[i].sentence and _locality(e.location, f.location)
                   and _dates_agree(e, f) and (not e.actor1 or e.actor1 == f.actor1)]
        if attacks:
            j = min(attacks, key=lambda j: abs(told[j].sentence - told[i].sentence))
            merge(i, j, "damage told after the attack there: what the attack did")
    # placed where it was heard: the event the report places within earshot
    for i, e in enumerate(out):
        if not alive[i] or not told[i].heard or e.location is None:
            continue
        near = [j for j, f in enumerate(out) if alive[j] and j != i and not told[j].heard
                and f.event_type == e.event_type and f.location is not None and f.location.latitude is not None
                and e.location.latitude is not None and km(e.location, f.location) <= HEARD_KM]
        if near:
            j = min(near, key=lambda j: abs(told[j].sentence - told[i].sentence))
            merge(i, j, f"heard at {e.location.name}; the report places the event there")
    # tellings with no place
    for i, e in enumerate(out):
        if not alive[i] or e.location is not None:
            continue
        if told[i].unlocated:
            steps.append(Step(told[i].sentence, "kept", f"{e.sub_event_type} with no place: the report says it "
                                                        "gives none"))
            continue
        target = _target(i, out, told, alive)
        if target is not None:
            merge(i, target, "told with no place of its own; the report places this event there")
        elif (shot := _shot_down(i, out, told, alive)) is not None:
            merge(i, shot, "weapons launched with no target named; the report places where they were shot down")
        elif (region := _report_region(i, out, alive)) is not None:
            out[i] = replace(e, location=region)
            steps.append(Step(told[i].sentence, "joined", f"{e.sub_event_type} of another day, placed in {region.name}, "
                                                          "where every event of the report is"))
        elif (raid := _raid(i, out, told, alive)) is not None:
            # "Ворог атакував Одесу дронами. Сили ППО збили 12 з них": shot down over the place attacked
            loc = out[raid].location
            assert loc is not None
            out[i] = replace(e, location=replace(loc, geo_precision=max(loc.geo_precision, 2)))
            steps.append(Step(told[i].sentence, "joined", f"{e.sub_event_type} placed at {loc.name}: shot down in "
                                                          f"the attack told beside it (sentence {told[raid].sentence + 1})"))
        elif e.sub_event_type == INTERCEPTION and any(alive[j] and f.location is not None for j, f in enumerate(out)):
            # "L'armée de l'air a abattu 41 des 74 drones": the country's count of the night, told of no place,
            # in a report that places its events
            alive[i] = False
            steps.append(Step(told[i].sentence, "dropped", f"{e.sub_event_type} with no place: the air defence's "
                                                           "count for the country, beside the events the report "
                                                           "places"))
        else:
            steps.append(Step(told[i].sentence, "kept", f"{e.sub_event_type} with no place: the report places "
                                                        "no event of this type"))
    return [e for e, keep in zip(out, alive, strict=True) if keep], steps
