"""What the linker knows of an event: its day range, its point, its parts of the day, its index keys.

Everything here is a function of one event alone, so that the score of a pair
(:mod:`sitrep.incidents.score`) and the candidates a store returns depend only on
the events themselves, never on the order they arrived in.

Index keys (:func:`index_keys`) are what a store indexes an event under, beside
its day range: ``g:<row>:<col>`` a grid cell of :data:`CELL_DEG` degrees for an
event placed at a point, ``f:<admin1>`` the province of such an event, and
``c:<admin1>`` the province of an event known only at province level
(``geo_precision`` 3). An event whose date spans more than :data:`LONG_SPAN`
days (a month, a year) is indexed under the same keys prefixed with ``L``.
:func:`probe_keys` gives the keys whose events can possibly link with an event.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from sitrep.gazetteer.text import is_cyrillic, kmu
from sitrep.lang import LANGUAGES, load, pattern
from sitrep.model import Event, stable_id

CELL_DEG = 0.2  # about 22 km of latitude, 15 km of longitude at 48°N
LONG_SPAN = 7  # an event whose date covers more days than this is indexed apart
#: how far (km) a report's place may be from the incident's, by ``geo_precision`` (3: the province)
ALLOWANCE_KM: dict[int, float] = {1: 3.0, 2: 12.0}
BASE_KM = 2.0  # added once to a pair's allowance: two points of one town
UPDATE_DAYS = 3  # a report that a toll rose may be this many days later than the incident it updates
PARTS = ("night", "morning", "afternoon", "evening")


@dataclass(frozen=True, slots=True)
class Features:
    event_id: str
    doc_id: str
    first_day: int | None  # proleptic ordinal of the first day the date allows
    last_day: int | None
    day_precise: bool  # the date is one day (time_precision 1)
    lat: float | None
    lon: float | None
    geo_precision: int  # 1, 2, or 3 (province); 0 without a place
    place_key: str  # the gazetteer entry
    place_name: str  # its name, case-folded
    named: str  # "settlement" or "hromada" when the report names one, else ""
    admin1: str
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    weapons: frozenset[str]
    fatalities: int | None
    injured: int | None
    parts: frozenset[str]  # parts of the day the evidence names
    modality: str
    quarter: str = ""  # the city district the evidence names (a key: see :func:`quarter_key`), else ""
    targets: frozenset[str] = frozenset()  # the kinds of thing hit the evidence names (school, port, …)
    update: bool = False  # the evidence says a toll rose (of a day: the incident may be up to UPDATE_DAYS older)

    @property
    def told_later(self) -> int | None:
        """The day a toll update was told on (its incident: that day or up to UPDATE_DAYS before), else None."""
        if self.update and self.first_day is not None and self.last_day is not None and (
                self.last_day - self.first_day == UPDATE_DAYS):
            return self.last_day
        return None

    @property
    def coarse(self) -> bool:
        """Known only at province level, or without a point."""
        return self.geo_precision >= 3 or self.lat is None or self.lon is None


def day_range(date: str | None, time_precision: int | None) -> tuple[int, int] | None:
    """The ordinal days ``date`` may mean: one day, a week around an approximate one, a whole month or year."""
    if not date:
        return None
    try:
        if len(date) == 10:
            day = dt.date.fromisoformat(date).toordinal()
            if time_precision == 2:
                return day - 3, day + 3
            return day, day
        if len(date) == 7:
            year, month = int(date[:4]), int(date[5:7])
            first = dt.date(year, month, 1)
            nxt = dt.date(year + month // 12, month % 12 + 1, 1)
            return first.toordinal(), nxt.toordinal() - 1
        year = int(date[:4])
        return dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
    except ValueError:
        return None


def features(event: Event) -> Features:
    days = day_range(event.event_date, event.time_precision)
    text = " ".join(e.sentence for e in event.evidence)
    update = tells_update(text)
    if days is not None and update and days[0] == days[1]:
        days = days[0] - UPDATE_DAYS, days[1]  # told on that day, of an incident of that day or the days before
    loc = event.location
    precision = 0
    if loc is not None:
        precision = 3 if loc.geo_precision >= 3 or loc.feature in ("admin1", "country", "region") else max(
            1, loc.geo_precision
        )
    return Features(
        event_id=event.event_id,
        doc_id=event.doc_id,
        first_day=days[0] if days else None,
        last_day=days[1] if days else None,
        day_precise=days is not None and days[0] == days[1],
        lat=loc.latitude if loc else None,
        lon=loc.longitude if loc else None,
        geo_precision=precision,
        place_key=(loc.source or f"{loc.name}|{loc.admin1}") if loc else "",
        place_name=loc.name.casefold() if loc else "",
        # a village the index lacks, placed at its province, is still a village of its own name
        named=loc.feature if loc is not None and loc.feature in ("settlement", "hromada") else "",
        admin1=(loc.admin1 or (loc.name if precision == 3 else "") or "") if loc else "",
        event_type=event.event_type,
        sub_event_type=event.sub_event_type,
        actor1=event.actor1,
        actor2=event.actor2,
        weapons=frozenset(event.weapons),
        fatalities=event.fatalities,
        injured=event.injured,
        parts=parts_of_day(text),
        modality=event.modality,
        quarter=quarter_of(text),
        targets=targets_of(text),
        update=update,
    )


@cache
def _part_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    out: list[tuple[str, re.Pattern[str]]] = []
    for part in PARTS:
        words = [w for lang in LANGUAGES for w in load(lang, "incidents").get("parts_of_day", {}).get(part, ())]
        if words:
            out.append((part, pattern("xx", "incidents", "|".join(words))))
    return tuple(out)


def parts_of_day(text: str) -> frozenset[str]:
    """The parts of the day (night, morning, afternoon, evening) that ``text`` names."""
    return frozenset(part for part, rx in _part_patterns() if rx.search(text))


@cache
def _target_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    words: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        for kind, found in load(lang, "incidents").get("targets", {}).items():
            words.setdefault(kind, []).extend(found)
    return tuple((kind, pattern("xx", "incidents", "|".join(w))) for kind, w in sorted(words.items()))


def targets_of(text: str) -> frozenset[str]:
    """The kinds of thing hit (``targets`` in ``lang/<iso>/incidents.json``: school, port, …) ``text`` names."""
    return frozenset(kind for kind, rx in _target_patterns() if rx.search(text))


@cache
def _update_pattern() -> re.Pattern[str] | None:
    words = [w for lang in LANGUAGES for w in load(lang, "incidents").get("updates", ())]
    return pattern("xx", "incidents", "|".join(words)) if words else None


def tells_update(text: str) -> bool:
    """Whether ``text`` says a toll rose (``updates`` in ``lang/<iso>/incidents.json``: "the death toll has risen
    to 35", "le bilan s'est alourdi", "кількість загиблих зросла")."""
    rx = _update_pattern()
    return rx is not None and rx.search(text) is not None


@cache
def _quarter_patterns() -> tuple[re.Pattern[str], ...]:
    out: list[re.Pattern[str]] = []
    for lang in LANGUAGES:
        for regex in load(lang, "incidents").get("quarters", ()):
            out.append(pattern(lang, "incidents", regex))
    return tuple(out)


_ADJECTIVE_END = re.compile(r"(?:s?k(?:yi|ii|iy|y|i|oho|omu|om|im|oi|ij)|n(?:yi|ii|yy|oho|omu|om|im|oi)|ka)$")


def quarter_key(name: str) -> str:
    """A district's name in any language and romanisation, reduced to a key that its other spellings share:
    romanised, its adjective ending cut, then its first four consonants ("Салтівський", "Салтовском",
    "Saltivskyi" and "Saltivka" all give ``sltv``)."""
    text = kmu(name) if is_cyrillic(name) else name
    text = re.sub(r"[^a-z]", "", text.casefold().replace("kh", "h").replace("g", "h"))
    text = _ADJECTIVE_END.sub("", text)
    return re.sub(r"[aeiouy]", "", text)[:4]


def quarter_of(text: str) -> str:
    """The key of the one city district ``text`` names, or "" when it names none or several."""
    keys = {quarter_key(m.group(m.lastindex or 0)) for rx in _quarter_patterns() for m in rx.finditer(text)
            if m.lastindex}
    keys.discard("")
    return next(iter(keys)) if len(keys) == 1 else ""


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEG), math.floor(lon / CELL_DEG)


def reach_km(f: Features) -> float:
    """The farthest a finely placed event can be from ``f`` and still link with it."""
    return ALLOWANCE_KM.get(f.geo_precision, 0.0) + max(ALLOWANCE_KM.values()) + BASE_KM


def index_keys(f: Features) -> list[str]:
    """The keys a store indexes ``f`` under (empty: ``f`` has no date or no place and links with nothing)."""
    if f.first_day is None or f.last_day is None or not (f.admin1 or not f.coarse):
        return []
    keys = [f"c:{f.admin1}"] if f.coarse else [f"g:{r}:{c}" for r, c in [_cell(f.lat or 0.0, f.lon or 0.0)]]
    if not f.coarse and f.admin1:
        keys.append(f"f:{f.admin1}")
    return ["L" + k for k in keys] if f.last_day - f.first_day > LONG_SPAN else keys


def probe_keys(f: Features) -> list[str]:
    """The keys under which every event that can link with ``f`` is indexed (both the short- and long-dated)."""
    if f.first_day is None or not (f.admin1 or not f.coarse):
        return []
    keys: list[str] = []
    if f.coarse:
        keys += [f"c:{f.admin1}", f"f:{f.admin1}"]
    else:
        lat, lon = f.lat or 0.0, f.lon or 0.0
        km = reach_km(f)
        dlat = km / 111.0
        dlon = km / max(1.0, 111.0 * math.cos(math.radians(lat)))
        r0, c0 = _cell(lat - dlat, lon - dlon)
        r1, c1 = _cell(lat + dlat, lon + dlon)
        keys += [f"g:{r}:{c}" for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
        if f.admin1:
            keys.append(f"c:{f.admin1}")
    return keys + ["L" + k for k in keys]


def incident_id_of(founder_event_id: str) -> str:
    """The id of the incident an event founds (the earliest of its events; see :mod:`sitrep.incidents.link`)."""
    return "inc-" + stable_id("incident", founder_event_id)


_FIELDS = tuple(f.name for f in dataclasses.fields(Features))
_SETS = ("weapons", "parts", "targets")


def dumps(f: Features) -> str:
    """``f`` as compact JSON, for a store to keep beside the record (so candidates need no parsing of it)."""
    return json.dumps(
        [sorted(getattr(f, n)) if n in _SETS else getattr(f, n) for n in _FIELDS], ensure_ascii=False,
        separators=(",", ":"),
    )


def loads(text: str) -> Features:
    """The features :func:`dumps` wrote; those written before a field was added get its default."""
    values: list[Any] = json.loads(text)
    if len(values) > len(_FIELDS):
        raise ValueError(f"linking features of {len(values)} fields, this code knows {len(_FIELDS)}")
    data: dict[str, Any] = {n: frozenset(v) if n in _SETS else v for n, v in zip(_FIELDS[: len(values)], values, strict=True)}
    return Features(**data)
