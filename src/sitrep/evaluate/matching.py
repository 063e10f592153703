"""Which predicted record answers which gold event.

**One gold event per document** (the shared gold files): among the document's
predicted :class:`Event` records, the best match is the one that minimises, in order:

1. a different ``event_type`` (only when the gold uses ACLED's taxonomy);
2. the distance from the gold coordinates (a record without coordinates is farthest);
3. a different date from the gold date;
4. lower confidence, then later position in the output.

This is lenient by design: when a report yields several events, the gold event is
compared with the closest of them. ``records.per_doc`` is reported beside every
figure so that a system cannot hide behind many records.

**Several expected events per report** (the project's corpus): predicted events are
paired one to one with expected events, greedily by (same type first, then
distance), only when the distance is at most :data:`MATCH_KM`. The unpaired
predicted events are the false positives of ``records.precision``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sitrep.geo import haversine_km
from sitrep.model import Event

MATCH_KM = 50.0


def distance_km(event: Event, lat: float | None, lon: float | None) -> float:
    """Distance from the event's place to (lat, lon); infinity when either is unknown."""
    loc = event.location
    if loc is None or loc.latitude is None or loc.longitude is None or lat is None or lon is None:
        return math.inf
    return haversine_km(loc.latitude, loc.longitude, lat, lon)


def best_event(
    events: Sequence[Event],
    *,
    event_type: str | None,
    lat: float | None,
    lon: float | None,
    date: str | None,
) -> Event | None:
    """The predicted event to compare with one gold event (rule in the module docstring)."""
    if not events:
        return None

    def key(item: tuple[int, Event]) -> tuple[int, float, int, float, int]:
        i, ev = item
        return (
            int(event_type is not None and ev.event_type != event_type),
            distance_km(ev, lat, lon),
            int(date is not None and ev.event_date != date),
            -ev.confidence,
            i,
        )

    return min(enumerate(events), key=key)[1]


def pair_events(
    expected: Sequence[tuple[str, float | None, float | None]],
    events: Sequence[Event],
    *,
    max_km: float = MATCH_KM,
) -> list[tuple[int, int]]:
    """One-to-one pairs (expected index, event index) of (event_type, lat, lon) to predicted events."""
    candidates = []
    for i, (etype, lat, lon) in enumerate(expected):
        for j, ev in enumerate(events):
            d = distance_km(ev, lat, lon)
            if d <= max_km:
                candidates.append((int(ev.event_type != etype), d, i, j))
    candidates.sort()
    used_e: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, _, i, j in candidates:
        if i in used_e or j in used_p:
            continue
        used_e.add(i)
        used_p.add(j)
        pairs.append((i, j))
    return sorted(pairs)
