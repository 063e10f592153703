"""Scoring a real report against every event coded in it (the ``pages`` gold).

The definitions are those of ``../shared/gold/dev/pages/README.md``:

- a predicted event is **near** a gold event when it lies within the gold event's radius: 25 km for
  a town, 40 km near a town, 150 km for an oblast, 800 km for a country;
- ``pages.recall``: gold events (not ``uncertain``) with a predicted event near them;
- ``pages.precision``: predicted events near some gold event of the report (``uncertain`` ones too: a
  record of an event the coder was unsure of is not a false one);
- ``pages.records_per_report`` beside ``pages.events_per_report``; ``pages.unlocated``: predicted
  events with no coordinates;
- ``pages.killed_exact`` / ``pages.injured_exact``: gold events with a number, where a predicted
  event near them carries exactly that number;
- ``pages.claimant_found``: gold events with a claimant, where a predicted event near them names it
  (as claimant or role) — see :func:`claimant_named`;
- ``pages.non_event_place``: places the report names where nothing happened (and that are not also
  a gold event's place), given an event all the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz

from sitrep.evaluate.gold import PageEvent, PageRow
from sitrep.evaluate.matching import distance_km
from sitrep.evaluate.metrics import Observation, normalise
from sitrep.gazetteer.text import bgn, is_cyrillic, kmu
from sitrep.model import Event, Record

RADIUS_KM = {"town": 25.0, "near_town": 40.0, "oblast": 150.0, "country": 800.0}

# words that name a kind of body rather than which one: matching on them alone proves nothing
GENERIC = frozenset(
    ["ministry", "ministere", "ministerstvo", "ministerstva", "ministère", "regional", "region", "oblast", "oblasti", "military", "militaire", "administration", "office", "city", "council", "authorities", "authority", "government", "forces", "force", "army", "armed", "of", "the", "de", "la", "le", "les", "du", "des", "d", "l", "et", "and", "head", "chief", "spokesman", "spokesperson", "governor", "mayor", "press", "service", "ce", "communique", "statement"]
)
TOKEN_RATIO = 80.0


def radius(ev: PageEvent) -> float:
    return RADIUS_KM.get(ev.precision, RADIUS_KM["town"])


def near(pred: Event, gold: PageEvent) -> bool:
    return gold.lat is not None and gold.lon is not None and distance_km(pred, gold.lat, gold.lon) <= radius(gold)


def _alternatives(gold: str) -> list[list[str]]:
    """The claimant's names (outside and inside brackets, split at '/'), as their non-generic words;
    a name written in Cyrillic also in its Ukrainian and Russian romanisations."""
    inside = re.findall(r"\(([^)]*)\)", gold)
    outside = re.sub(r"\([^)]*\)", " ", gold)
    names = [n for part in [outside, *inside] for n in part.split("/") if n.strip()]
    names += [r for n in names if is_cyrillic(n) for r in (kmu(n), bgn(n))]
    out = []
    for n in names:
        words = [w for w in normalise(n).split() if w not in GENERIC and len(w) > 1]
        if words:
            out.append(words)
    return out


def _has(words: Sequence[str], word: str) -> bool:
    return any(w == word or (len(word) > 3 and fuzz.ratio(w, word) >= TOKEN_RATIO) for w in words)


def claimant_named(names: Iterable[str], gold: str) -> bool:
    """Whether a predicted claimant or role names the gold claimant: every distinctive word of one of its
    names is there (fuzzily: Synehubov/Syniehubov), or its last word — a surname, a region — is there
    and the name has no more than two words (Klitschko/Klychko differ beyond a fuzzy match; "Vitalii"
    alone is not enough)."""
    alts = _alternatives(gold)
    for name in names:
        words = normalise(name).split()
        words += normalise(kmu(name)).split() if is_cyrillic(name) else []
        if not words:
            continue
        for alt in alts:
            if all(_has(words, w) for w in alt):
                return True
            if len(alt) <= 2 and len(alt[-1]) > 3 and _has(words, alt[-1]):
                return True
    return False


def _names(ev: Event) -> list[str]:
    return [n for c in ev.claims for n in (c.claimant, c.claimant_role) if n]


def _same_place(a: str, b: str) -> bool:
    na, nb = normalise(a), normalise(b)
    return bool(na and nb) and (na == nb or fuzz.ratio(na, nb) >= 85)


def score_page(row: PageRow, records: Sequence[Record]) -> list[Observation]:
    """The observations of one real report (definitions in the module docstring)."""
    events = [r for r in records if isinstance(r, Event)]
    scored = [g for g in row.events if not g.uncertain]
    obs = [
        Observation("pages.records_per_report", value=float(len(events)), gated=False, mean=True),
        Observation("pages.events_per_report", value=float(len(row.events)), gated=False, mean=True),
    ]
    for g in scored:
        close = [e for e in events if near(e, g)]
        obs.append(Observation("pages.recall", hit=bool(close)))
        if g.killed is not None:
            obs.append(Observation("pages.killed_exact", hit=any(e.fatalities == g.killed for e in close)))
        if g.injured is not None:
            obs.append(Observation("pages.injured_exact", hit=any(e.injured == g.injured for e in close)))
        if g.claimant:
            hit = any(claimant_named(_names(e), g.claimant) for e in close)
            obs.append(Observation("pages.claimant_found", hit=hit))
    for e in events:
        obs.append(Observation("pages.precision", hit=any(near(e, g) for g in row.events)))
        located = e.location is not None and e.location.latitude is not None
        obs.append(Observation("pages.unlocated", hit=not located, better="lower"))
    for place in row.not_event_locations:
        if any(_same_place(place, g.place) for g in row.events):
            continue
        given = any(e.location is not None and _same_place(place, e.location.name) for e in events)
        obs.append(Observation("pages.non_event_place", hit=given, better="lower"))
    return obs
