"""The incident record: one real-world incident reconciled from the events of every report that tells it.

Reconciliation rules (the README repeats them):

- **place**: the finest place its events give (lowest ``geo_precision``), the one most events name among
  those, then the earliest reported;
- **date**: the most precise date (lowest ``time_precision``), the one most events give among those;
- **type, sub-event type, actors**: the value most events give (ties: the earliest reported);
  **weapons**: every weapon any event names;
- **sources**: one entry per event: document, outlet, claimant, side, channel, the figures it gave, when
  it was published;
- **killed, injured**: each *voice* (a claimant, else the outlet, else the document) counts once, with the
  figure of its latest report: a later update by the same claimant supersedes its earlier figure.
  ``low`` and ``high`` are the least and the greatest of these figures; ``best`` is the figure of the
  latest report of the voices of the side the incident happened to — the victims' own authorities —
  when they give one, else the lower median of all the voices' figures (:func:`best_count`);
- **first_reported**, **last_updated**: the earliest and the latest publication date of its reports;
- **verification**: ``disputed`` when one side claims it and the other denies it (an event of the incident
  is disputed), or when the figures of the two sides cannot both be true (one side's lowest figure more
  than twice the other side's highest plus two); ``corroborated`` when independent sources agree: at least
  two outlets whose reports do not all relay one claimant, or claimants of both sides; else
  ``single-source``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, TypeVar

from sitrep.geo import haversine_km
from sitrep.model import DISORDER_TYPES, Event, Place
from sitrep.store.base import Member

IncidentVerification = Literal["single-source", "corroborated", "disputed"]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Count:
    low: int | None = None
    best: int | None = None
    high: int | None = None

    def to_json(self) -> dict[str, int | None]:
        return {"low": self.low, "best": self.best, "high": self.high}


@dataclass(frozen=True, slots=True)
class Source:
    doc_id: str
    event_id: str
    outlet: str | None
    claimant: str | None
    side: str | None
    channel: str | None
    killed: int | None
    injured: int | None
    published: str | None
    lang: str | None
    url: str | None
    modality: str
    verification: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "event_id": self.event_id,
            "outlet": self.outlet,
            "claimant": self.claimant,
            "side": self.side,
            "channel": self.channel,
            "killed": self.killed,
            "injured": self.injured,
            "published": self.published,
            "lang": self.lang,
            "url": self.url,
            "modality": self.modality,
            "verification": self.verification,
        }

    @property
    def voice(self) -> str:
        """Who gives this figure: the claimant (romanisations folded: Yuriy, Yurii), else the outlet, else
        the document."""
        return fold_name(self.claimant) or self.outlet or f"doc:{self.doc_id}"


@dataclass(frozen=True, slots=True)
class Incident:
    incident_id: str
    event_type: str
    sub_event_type: str
    event_date: str | None
    time_precision: int | None
    actor1: str | None
    actor2: str | None
    location: Place | None
    weapons: tuple[str, ...]
    killed: Count
    injured: Count
    first_reported: str | None
    last_updated: str | None
    verification: IncidentVerification
    sources: tuple[Source, ...]
    event_ids: tuple[str, ...]
    notes: str = ""

    kind = "incident"

    @property
    def disorder_type(self) -> str:
        return DISORDER_TYPES.get(self.event_type, "")

    @property
    def outlets(self) -> list[str]:
        """The outlets of its reports, in order of publication (the claimant's name when no outlet is known)."""
        seen: list[str] = []
        for s in self.sources:
            name = s.outlet or s.claimant
            if name and name not in seen:
                seen.append(name)
        return seen

    def distance_km(self, lat: float, lon: float) -> float:
        loc = self.location
        if loc is None or loc.latitude is None or loc.longitude is None:
            return math.inf
        return haversine_km(lat, lon, loc.latitude, loc.longitude)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "incident",
            "incident_id": self.incident_id,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "disorder_type": self.disorder_type,
            "event_date": self.event_date,
            "time_precision": self.time_precision,
            "actor1": self.actor1,
            "actor2": self.actor2,
            "location": self.location.to_json() if self.location else None,
            "weapons": list(self.weapons),
            "killed": self.killed.to_json(),
            "injured": self.injured.to_json(),
            "first_reported": self.first_reported,
            "last_updated": self.last_updated,
            "verification": self.verification,
            "reports": len({s.doc_id for s in self.sources}),
            "sources": [s.to_json() for s in self.sources],
            "event_ids": list(self.event_ids),
            "notes": self.notes,
        }


def incidents_from(members: Iterable[Member]) -> list[Incident]:
    """The incidents of ``members`` (grouped by their events' ``incident_id``), earliest first."""
    groups: dict[str, list[Member]] = {}
    for m in members:
        groups.setdefault(m.event.incident_id or m.event.event_id, []).append(m)
    out = [reconcile(key, group) for key, group in groups.items()]
    out.sort(key=lambda i: (i.event_date is None, i.event_date or "", i.incident_id))
    return out


def fold_name(name: str | None) -> str:
    """A person's or body's name with the differences of romanisations folded (Yuriy/Yurii, Kyrylenko)."""
    if not name:
        return ""
    text = re.sub(r"[^\w]", "", name.casefold())
    for a, b in (("iy", "i"), ("yi", "i"), ("ii", "i"), ("y", "i"), ("kh", "h"), ("j", "i")):
        text = text.replace(a, b)
    return text


def _published(m: Member) -> tuple[str, str, str]:
    """Publication order; reports of one day in document order, so the result never depends on when they
    were ingested."""
    return (m.published or "", m.event.doc_id, m.event.event_id)


def reconcile(incident_id: str, members: Sequence[Member]) -> Incident:
    members = sorted(members, key=_published)
    events = [m.event for m in members]
    placed = [e for e in events if e.location is not None]
    location = None
    if placed:
        finest = min(e.location.geo_precision for e in placed if e.location)
        location = _most(
            [e.location for e in placed if e.location and e.location.geo_precision == finest],
            key=lambda p: p.source or p.name,
        )
    dated = [e for e in events if e.event_date]
    date, precision = None, None
    if dated:
        finest_t = min(e.time_precision or 3 for e in dated)
        date = _most([e.event_date for e in dated if (e.time_precision or 3) == finest_t and e.event_date])
        precision = finest_t
    sources = tuple(_source(m) for m in members)
    killed = count_of(sources, "killed", _victim_side(location))
    injured = count_of(sources, "injured", _victim_side(location))
    sub = _most([e.sub_event_type for e in events])
    first = next(e for e in events if e.sub_event_type == sub)
    incident = Incident(
        incident_id=incident_id,
        event_type=first.event_type,
        sub_event_type=sub or first.sub_event_type,
        event_date=date,
        time_precision=precision,
        actor1=_most([e.actor1 for e in events if e.actor1]),
        actor2=_most([e.actor2 for e in events if e.actor2]),
        location=location,
        weapons=tuple(sorted({w for e in events for w in e.weapons})),
        killed=killed,
        injured=injured,
        first_reported=min((m.published for m in members if m.published), default=None),
        last_updated=max((m.published for m in members if m.published), default=None),
        verification=verification(events, sources),
        sources=sources,
        event_ids=tuple(sorted(e.event_id for e in events)),
    )
    return _with_notes(incident)


def _most(values: Sequence[T], key: Callable[[T], Any] | None = None) -> T | None:
    """The value given most often (ties: the first given)."""
    if not values:
        return None
    keyed = [key(v) if key else v for v in values]
    counts = Counter(keyed)
    top = max(counts.values())
    for v, k in zip(values, keyed, strict=True):
        if counts[k] == top:
            return v
    return None


def _source(m: Member) -> Source:
    e = m.event
    claim = next((c for c in e.claims if c.verification != "disputed"), e.claims[0] if e.claims else None)
    return Source(
        doc_id=e.doc_id,
        event_id=e.event_id,
        outlet=m.outlet or (claim.relay if claim else None),
        claimant=claim.claimant if claim else None,
        side=claim.side if claim else None,
        channel=claim.channel if claim else None,
        killed=e.fatalities,
        injured=e.injured,
        published=m.published,
        lang=m.lang,
        url=m.url,
        modality=e.modality,
        verification=claim.verification if claim else None,
    )


def _victim_side(location: Place | None) -> str | None:
    """Whose authorities speak for the victims: the side the place lies in (Ukraine or Russia)."""
    if location is None:
        return None
    return {"UA": "Ukraine", "RU": "Russia"}.get(location.iso2 or "")


def current_figures(sources: Sequence[Source], field: str) -> dict[str, tuple[int, Source]]:
    """Each voice's latest figure for ``field`` (``sources`` are in publication order), with the source that
    gave it (its side filled in from another report of the same voice when that one leaves it out)."""
    latest: dict[str, tuple[int, Source]] = {}
    sides = {s.voice: s.side for s in sources if s.side}
    for s in sources:
        value = getattr(s, field)
        if value is not None and s.modality != "disputed":
            latest[s.voice] = (value, s if s.side else replace(s, side=sides.get(s.voice)))
    return latest


def count_of(sources: Sequence[Source], field: str, victim_side: str | None) -> Count:
    latest = current_figures(sources, field)
    if not latest:
        return Count()
    values = [v for v, _ in latest.values()]
    return Count(low=min(values), best=best_count(latest, victim_side), high=max(values))


def best_count(latest: dict[str, tuple[int, Source]], victim_side: str | None) -> int:
    """The latest figure of the victims' side's voices when there is one, else the lower median."""
    own = [(s.published or "", v) for v, s in latest.values() if victim_side and s.side == victim_side]
    if own:
        return max(own)[1]
    values = sorted(v for v, _ in latest.values())
    return values[(len(values) - 1) // 2]


def verification(events: Sequence[Event], sources: Sequence[Source]) -> IncidentVerification:
    if any(e.modality == "disputed" or any(c.verification == "disputed" for c in e.claims) for e in events):
        return "disputed"
    for field in ("killed", "injured"):
        by_side: dict[str, list[int]] = {}
        for value, s in current_figures(sources, field).values():
            if s.side in ("Ukraine", "Russia"):
                by_side.setdefault(s.side, []).append(value)
        if len(by_side) == 2:
            ua, ru = by_side["Ukraine"], by_side["Russia"]
            if min(ua) > 2 * max(ru) + 2 or min(ru) > 2 * max(ua) + 2:
                return "disputed"
    sides = {s.side for s in sources if s.side in ("Ukraine", "Russia")}
    if len(sides) == 2:
        return "corroborated"
    outlets = {s.outlet for s in sources if s.outlet}
    origins = {fold_name(s.claimant) or f"outlet:{s.outlet}" for s in sources if s.outlet}
    if len(outlets) >= 2 and len(origins) >= 2:
        return "corroborated"
    return "single-source"


def _with_notes(i: Incident) -> Incident:
    place = i.location.name if i.location else "an unknown place"
    figures = []
    if i.killed.best is not None:
        spread = f" ({i.killed.low}–{i.killed.high} across sources)" if i.killed.low != i.killed.high else ""
        figures.append(f"{i.killed.best} killed{spread}")
    if i.injured.best is not None:
        spread = f" ({i.injured.low}–{i.injured.high} across sources)" if i.injured.low != i.injured.high else ""
        figures.append(f"{i.injured.best} injured{spread}")
    reports = len({s.doc_id for s in i.sources})
    text = (f"On {i.event_date or 'an unknown date'}, {i.sub_event_type.lower()} in {place}"
            + (f": {', '.join(figures)}" if figures else "")
            + f". {reports} report(s) from {len(i.outlets)} outlet(s); {i.verification}.")
    return Incident(**{**{f: getattr(i, f) for f in i.__dataclass_fields__}, "notes": text})
