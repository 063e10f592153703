"""Incidents: linking the records of many reports that tell one real-world incident.

- :mod:`sitrep.incidents.features` what the linker reads of an event, and the index keys (place cells, days)
- :mod:`sitrep.incidents.score` the documented score of a pair of events
- :mod:`sitrep.incidents.link` linking at ingest, and ``rebuild``
- :mod:`sitrep.incidents.record` the incident record reconciled from its events
- :mod:`sitrep.incidents.evaluate` pairwise precision, recall and false links on gold

The linker talks to the store only through :class:`sitrep.store.base.Store`, so every backend gets it.
"""
