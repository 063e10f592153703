"""Incidents: linking the records of many reports that tell one real-world incident.

- :mod:`sitrep.incidents.features` what the linker reads of an event, and the index keys (place cells, days)
- :mod:`sitrep.incidents.score` the documented score of a pair of events
- :mod:`sitrep.incidents.link` linking at ingest, and ``rebuild``
- :mod:`sitrep.incidents.record` the incident record reconciled from its events
- :mod:`sitrep.incidents.evaluate` pairwise precision, recall and false links on gold

The linker talks to the store only through :class:`sitrep.store.base.Store`, so every backend gets it.
"""

from __future__ import annotations

from sitrep.incidents.link import RebuildReport, ingest, rebuild
from sitrep.incidents.record import Incident, incidents_from
from sitrep.store.base import Query, Store

__all__ = ["Incident", "RebuildReport", "incidents", "ingest", "rebuild"]


def incidents(store: Store, query: Query) -> list[Incident]:
    """The incidents of which at least one event matches ``query``: oldest first, or nearest first (by the
    incident's reconciled place) with ``query.near``; at most ``query.limit``."""
    if query.kind == "aid":
        return []
    found = incidents_from(store.incident_members(query))
    if query.near is not None:
        lat, lon = query.near
        found = [i for i in found if i.distance_km(lat, lon) <= query.radius_km]
        found.sort(key=lambda i: i.distance_km(lat, lon))
    return found[: query.limit] if query.limit is not None else found
