"""Linking events into incidents, at ingest (one document at a time) and all over again (``rebuild``).

Why the result does not depend on the order reports arrive in:

1. The score of a pair depends on the two events alone (:mod:`sitrep.incidents.score`), so the set of
   *links* (pairs scoring at least the threshold) is a function of the set of stored events. A new event
   is scored against the candidates the store's index returns for its place cells and days
   (:func:`sitrep.incidents.features.probe_keys`), which hold every event it could link with: never all
   pairs.
2. Linked events form connected groups. Each group touched by a new (or removed) event is split into
   incidents again by :func:`cluster`, which reads the group in a fixed order (earliest date first, then
   event id) and puts each event in the incident whose events it scores best with on average (at least
   the threshold, and nothing ruling a link out with any of them), or opens one. The result is a function
   of the group alone.
3. An incident's id comes from its founding event (the first in that order), so the same events always
   give the same ids.

``rebuild`` first derives every stored event's linking features again from its record (so that a change
of the rules or of the language data applies to events stored before it), then computes the same thing
for the whole store at once, in memory, and writes what changed.
"""

from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sitrep.incidents.features import LONG_SPAN, Features, features, incident_id_of, index_keys, probe_keys
from sitrep.incidents.score import NO, THRESHOLD, score
from sitrep.model import Document, Event, Record
from sitrep.store.base import Edge, Outcome, Store

log = logging.getLogger(__name__)

LONG_REACH = 366  # the longest span an indexed date can have (a year)


@dataclass(frozen=True, slots=True)
class RebuildReport:
    events: int
    incidents: int
    links_added: int
    links_removed: int
    events_moved: int  # events whose incident changed
    features_refreshed: int = 0  # events whose linking features the current rules derive differently

    @property
    def links_changed(self) -> int:
        return self.links_added + self.links_removed


def ingest(store: Store, document: Document, records: Sequence[Record], *, force: bool = False,
           threshold: float = THRESHOLD) -> Outcome:
    """Store ``document`` with ``records`` (see :meth:`Store.add`) and link its events into incidents.

    When the document replaces an earlier version, the incidents its old events belonged to are split
    again without them.
    """
    if not force and store.contains(document):
        return Outcome.UNCHANGED
    stored = store.document_events(document.doc_id)
    new = [r for r in records if isinstance(r, Event)]
    with store.linking(_cells([*stored, *new])):  # writers linking events of one place take turns
        old = {e.event_id for e in store.document_events(document.doc_id)}
        before = _group(store, old, []) - old if old else set()
        outcome = store.add(document, records, force=force)
        if outcome is Outcome.UNCHANGED:
            return outcome
        link_document(store, document.doc_id, previous=before, threshold=threshold)
    return outcome


def _cells(events: Iterable[Event]) -> set[str]:
    """The index keys the events are stored under and those their candidates are looked up under: two
    events that can link share at least one."""
    keys: set[str] = set()
    for e in events:
        f = features(e)
        if f.first_day is not None and f.last_day is not None:
            keys.update(index_keys(f))
            keys.update(probe_keys(f))
    return keys


def link_document(store: Store, doc_id: str, *, previous: Iterable[str] = (),
                  threshold: float = THRESHOLD) -> int:
    """Link the stored events of ``doc_id`` (and split again the groups of ``previous`` events).

    Return how many events changed incident.
    """
    new = [features(e) for e in store.document_events(doc_id)]
    edges: list[Edge] = []
    for f in new:
        if f.first_day is None or f.last_day is None:
            continue
        keys = probe_keys(f)
        if not keys:
            continue
        for g in store.candidates(keys, f.first_day - 1, f.last_day + 1):
            s = score(f, g)
            if s >= threshold:
                edges.append(_edge(f.event_id, g.event_id, s))
    seeds = {f.event_id for f in new} | set(previous)
    group = _group(store, seeds, edges)
    members = store.link_features(sorted(group))
    assignments = assign(members, threshold=threshold)
    return store.save_links(edges=edges, incidents=assignments)


def _edge(a: str, b: str, s: float) -> Edge:
    return (a, b, s) if a < b else (b, a, s)


def _group(store: Store, seeds: set[str], extra: Sequence[Edge]) -> set[str]:
    """The events linked, directly or not, with ``seeds`` (through stored links and ``extra``)."""
    adjacency: dict[str, set[str]] = defaultdict(set)
    for a, b, _ in extra:
        adjacency[a].add(b)
        adjacency[b].add(a)
    seen = set(seeds)
    frontier = set(seeds)
    while frontier:
        nxt: set[str] = set()
        for a, b, _ in store.links_of(sorted(frontier)):
            nxt.update((a, b))
        for e in frontier:
            nxt.update(adjacency.get(e, ()))
        frontier = nxt - seen
        seen |= frontier
    return seen


def _order(f: Features) -> tuple[int, str]:
    return (f.first_day if f.first_day is not None else 1 << 30, f.event_id)


def cluster(members: Iterable[Features], *, threshold: float = THRESHOLD) -> list[list[Features]]:
    """Split a group of linked events into incidents (see the module's docstring); founders first."""
    clusters: list[list[Features]] = []
    for f in sorted(members, key=_order):
        best: list[Features] | None = None
        best_mean = threshold
        for c in clusters:
            total = 0.0
            for g in c:
                s = score(f, g)
                if s == NO:
                    break
                total += s
            else:
                mean = total / len(c)
                if mean >= best_mean and (best is None or mean > best_mean):
                    best, best_mean = c, mean
        if best is None:
            clusters.append([f])
        else:
            best.append(f)
    return clusters


def assign(members: Iterable[Features], *, threshold: float = THRESHOLD) -> dict[str, str]:
    """event id → incident id for a group of linked events."""
    out: dict[str, str] = {}
    for c in cluster(members, threshold=threshold):
        incident = incident_id_of(c[0].event_id)
        for f in c:
            out[f.event_id] = incident
    return out


def incidents_of(feats: Sequence[Features], edges: Sequence[Edge], *, threshold: float = THRESHOLD) -> dict[str, str]:
    """event_id → incident_id of every event of ``feats``: the groups ``edges`` connect, each split into
    incidents by :func:`assign`."""
    parent: dict[str, str] = {f.event_id: f.event_id for f in feats}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _ in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[Features]] = defaultdict(list)
    for f in feats:
        groups[find(f.event_id)].append(f)
    assignments: dict[str, str] = {}
    for group in groups.values():
        assignments.update(assign(group, threshold=threshold))
    return assignments


def rebuild(store: Store, *, threshold: float = THRESHOLD) -> RebuildReport:
    """Derive every stored event's linking features again (the rules or language data may have changed since
    it was stored), link every event again from scratch; write and report what changed."""
    refreshed = store.refresh_link_features()
    state = store.link_state()
    feats = [f for f, _ in state]
    old_incident = {f.event_id: incident for f, incident in state}
    del state
    edges = link_all(feats, threshold=threshold)
    assignments = incidents_of(feats, edges, threshold=threshold)
    added, removed = store.replace_links(edges=edges, incidents=assignments)
    moved = sum(1 for k, v in assignments.items() if old_incident.get(k) != v)
    report = RebuildReport(
        events=len(feats), incidents=len(set(assignments.values())), links_added=added,
        links_removed=removed, events_moved=moved, features_refreshed=refreshed,
    )
    log.info("rebuild: %s", report)
    return report


def link_all(feats: Sequence[Features], *, threshold: float = THRESHOLD) -> list[Edge]:
    """Every link among ``feats``, found through an in-memory index of the same keys as the store's."""
    short: dict[str, list[tuple[int, int]]] = defaultdict(list)  # key → (first_day, position)
    for i, f in enumerate(feats):
        for key in index_keys(f):
            short[key].append((f.first_day or 0, i))
    for rows in short.values():
        rows.sort()
    edges: dict[tuple[str, str], float] = {}
    for f in feats:
        if f.first_day is None or f.last_day is None:
            continue
        q_first, q_last = f.first_day - 1, f.last_day + 1
        for key in probe_keys(f):
            found = short.get(key)
            if not found:
                continue
            reach = LONG_REACH if key.startswith("L") else LONG_SPAN
            lo = bisect_left(found, (q_first - reach, -1))
            hi = bisect_right(found, (q_last, len(feats)))
            for _, j in found[lo:hi]:
                g = feats[j]
                if g.event_id <= f.event_id or (g.last_day or 0) < q_first:
                    continue
                pair = (f.event_id, g.event_id)
                if pair in edges:
                    continue
                s = score(f, g)
                if s >= threshold:
                    edges[pair] = s
    return [(a, b, s) for (a, b), s in sorted(edges.items())]


def events_only(records: Iterable[Record]) -> list[Event]:
    return [r for r in records if isinstance(r, Event)]
