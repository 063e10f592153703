"""A store of synthetic events for the server's load benchmark and for trying the map at scale.

    python benchmarks/synthetic.py DB [--events 100000]

The events are made, not extracted: real Ukrainian places from the gazetteer's oblast list spread
over 2022-2024, ACLED's event types, actors, fatalities, a claim and an evidence sentence each, five
events to a document. The same arguments make the same store.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from sitrep.model import Claim, Document, Event, Evidence, Place  # noqa: E402
from sitrep.store import SQLiteStore  # noqa: E402

TOWNS = (
    ("Bakhmut", 48.5947, 38.0003, "Donetsk"),
    ("Avdiivka", 48.1395, 37.7425, "Donetsk"),
    ("Pokrovsk", 48.2801, 37.1771, "Donetsk"),
    ("Kramatorsk", 48.7231, 37.5563, "Donetsk"),
    ("Kherson", 46.6354, 32.6169, "Kherson"),
    ("Kharkiv", 49.9935, 36.2304, "Kharkiv"),
    ("Kupiansk", 49.7106, 37.6156, "Kharkiv"),
    ("Zaporizhzhia", 47.8388, 35.1396, "Zaporizhzhia"),
    ("Robotyne", 47.4486, 35.8364, "Zaporizhzhia"),
    ("Kreminna", 49.0477, 38.2175, "Luhansk"),
    ("Sumy", 50.9077, 34.7981, "Sumy"),
    ("Odesa", 46.4825, 30.7233, "Odesa"),
    ("Kyiv", 50.4501, 30.5234, "Kyiv City"),
    ("Dnipro", 48.4647, 35.0462, "Dnipropetrovsk"),
    ("Mykolaiv", 46.9750, 31.9946, "Mykolaiv"),
    ("Chernihiv", 51.4982, 31.2893, "Chernihiv"),
)
TYPES = (
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "shelled"),
    ("Explosions/Remote violence", "Air/drone strike", "struck"),
    ("Battles", "Armed clash", "fought"),
    ("Violence against civilians", "Attack", "attacked"),
    ("Strategic developments", "Disrupted weapons use", "shot down"),
)
ACTORS = ("Military Forces of Russia (2000-)", "Military Forces of Ukraine (2019-)", None)
CLAIMANTS = (("General Staff of Ukraine", "Ukraine"), ("Ministry of Defence of Russia", "Russia"))


def make_store(path: Path, *, events: int = 100_000, per_doc: int = 5, seed: int = 17) -> int:
    """Write ``events`` synthetic events into a new SQLite store at ``path``; return how many."""
    rng = random.Random(seed)
    made = 0
    with SQLiteStore(path) as store:
        d = 0
        while made < events:
            day = rng.randrange(0, 3 * 365)
            date = time.strftime("%Y-%m-%d", time.gmtime(1640995200 + day * 86400))
            text_parts: list[str] = []
            records: list[Event] = []
            doc_id = f"synthetic-{d:06d}"
            for i in range(min(per_doc, events - made)):
                name, lat, lon, admin1 = rng.choice(TOWNS)
                etype, sub, verb = rng.choice(TYPES)
                actor = rng.choice(ACTORS)
                dead = rng.choice((None, None, 0, 1, 2, 3, 5, 12))
                sentence = f"Forces {verb} {name} on {date}, killing {dead or 'no one'} (item {i})."
                start = sum(len(p) + 1 for p in text_parts)
                text_parts.append(sentence)
                claimant, side = rng.choice(CLAIMANTS)
                records.append(
                    Event(
                        doc_id=doc_id,
                        event_type=etype,
                        sub_event_type=sub,
                        event_date=date,
                        time_precision=1,
                        actor1=actor,
                        actor2="Civilians (Ukraine)" if etype.startswith("Violence") else None,
                        location=Place(
                            name=name,
                            country="Ukraine",
                            iso2="UA",
                            admin1=admin1,
                            latitude=lat + rng.uniform(-0.3, 0.3),
                            longitude=lon + rng.uniform(-0.3, 0.3),
                        ),
                        fatalities=dead,
                        injured=rng.choice((None, 0, 1, 4)),
                        claims=(Claim(claimant=claimant, side=side, channel="Telegram"),),
                        evidence=(
                            Evidence(
                                sentence=sentence,
                                start=start + sentence.index(verb),
                                end=start + sentence.index(verb) + len(verb),
                                trigger=verb,
                            ),
                        ),
                        notes=f"On {date}, forces {verb} {name} ({admin1}).",
                        event_id=f"syn{made + i:07d}",
                    )
                )
            store.add(Document(text=" ".join(text_parts), doc_id=doc_id, date=date, lang="en"), records)
            made += len(records)
            d += 1
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path, help="the SQLite file to create (must not exist)")
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    if args.db.exists():
        parser.error(f"{args.db} exists; give a new file")
    start = time.perf_counter()
    n = make_store(args.db, events=args.events)
    print(f"{n} events written to {args.db} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
