"""Synthetic reports of synthetic incidents, for the linking benchmark and the order tests.

:func:`reports` makes ``n_events`` one-event reports: incidents at towns spread over a box the size of
eastern Ukraine, on days over two years, each told by one to six outlets that vary as real relays do (a
sub-event type of the same family, an early and a later toll, a part of the day or none, the place itself or
"near" it, or only the province). Several incidents share a town and a day, kept apart (or not) by what
their reports say, as in real data. The same ``seed`` gives the same reports.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from sitrep.model import Claim, Document, Event, Evidence, Place

_TYPES = (
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Strategic developments", "Disrupted weapons use"),
    ("Battles", "Armed clash"),
)
_PARTS = ("", "", "overnight", "in the morning", "in the evening")
_OUTLETS = ("Reuters", "AFP", "Suspilne", "Ukrinform", "TASS", "Ukrainska Pravda", "Kyiv Independent", "RBC")
_PROVINCES = ("Donetsk", "Kharkiv", "Zaporizhzhia", "Kherson", "Dnipropetrovsk", "Sumy", "Luhansk", "Mykolaiv")


def reports(n_events: int, *, seed: int = 0, towns: int = 2000, days: int = 730) -> Iterator[tuple[Document, Event]]:
    rng = random.Random(seed)
    places = []
    for i in range(towns):
        lat, lon = rng.uniform(46.0, 51.0), rng.uniform(33.0, 40.0)
        province = _PROVINCES[i % len(_PROVINCES)]
        places.append((f"Town {i}", province, lat, lon))
    start = dt.date(2023, 1, 1).toordinal()
    made = 0
    incident = 0
    while made < n_events:
        incident += 1
        name, province, lat, lon = places[min(towns - 1, int(towns ** rng.random()) - 1)]  # P(i) ~ 1/i
        day = dt.date.fromordinal(start + rng.randrange(days)).isoformat()
        kind = rng.randrange(len(_TYPES))
        part = rng.choice(_PARTS)
        toll = rng.choice((None, None, 0, 1, 2, 3, 5, 8))
        for k in range(min(1 + int(rng.expovariate(0.45)), 6, n_events - made)):
            made += 1
            doc_id = f"syn-{incident}-{k}"
            level = rng.random()
            if level < 0.05:
                place = Place(name=province, admin1=province, iso2="UA", country="Ukraine", latitude=48.5,
                              longitude=36.5, geo_precision=3, feature="admin1", source=f"oblast:{province}")
            else:
                near = level < 0.2
                place = Place(name=name, admin1=province, iso2="UA", country="Ukraine",
                              latitude=lat + (rng.uniform(-0.03, 0.03) if near else 0.0),
                              longitude=lon + (rng.uniform(-0.03, 0.03) if near else 0.0),
                              geo_precision=2 if near else 1, source=f"synthetic:{name}")
            event_type, sub = _TYPES[kind] if rng.random() < 0.85 else _TYPES[rng.randrange(3)]
            killed = toll + rng.choice((0, 0, 1, 2)) if toll is not None and rng.random() < 0.8 else None
            sentence = f"A strike hit {place.name} {part}.".replace("  ", " ")
            outlet = rng.choice(_OUTLETS)
            doc = Document(text=f"{sentence} (report {doc_id})", doc_id=doc_id, date=day, lang="en", source=outlet)
            yield doc, Event(
                doc_id=doc_id,
                event_type=event_type,
                sub_event_type=sub,
                event_date=day,
                time_precision=1,
                actor1="Military Forces of Russia (2000-)" if kind < 3 else None,
                location=place,
                fatalities=killed,
                claims=(Claim(claimant=rng.choice(("Regional governor", None)), side="Ukraine", relay=outlet),),
                evidence=(Evidence(sentence=sentence, start=0, end=8, trigger="strike"),),
            )
