"""Speed of the store backends: ingest rate and query latency on a synthetic store of 100,000 events.

    python benchmarks/store_bench.py --db PATH_OR_URL [--events 100000] [--per-doc 4] [--runs 30] [--json]
    python benchmarks/store_bench.py --db PATH_OR_URL --queries-only   # the queries again, on a filled store

``--db`` is an empty store: a SQLite path (created) or a ``postgresql://`` URL.
The same deterministic data goes into either backend:

- documents of about 60 words in French, English, Ukrainian and Russian, each
  naming one of 400 towns, dated over 2022-02-24 … 2024-12-31;
- ``--per-doc`` events per document (default 4) at points spread over Ukraine,
  with ACLED types, actors and notes, as the pipeline writes them.

What it measures:

- **ingest**: ``Store.add`` of every document, one transaction each, as
  ``sitrep ingest`` writes them (extraction excluded): documents and events per second,
  from one writer or ``--writers`` threads at once, each with a store of its own;
- **near**: events within 25 km of a random point, nearest first;
- **bbox**: events in a random box of 1° × 0.5°;
- **text**: events whose report names a random town (one word, about 0.25 % of the reports);
- **date range**: events in a random week (``since``/``until``).

Each query is run ``--runs`` times with different values after one warm-up run; the
median and the 95th percentile latency (ms, records decoded included) and the mean
number of records returned are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from sitrep.model import Claim, Document, Event, Evidence, Place, Record
from sitrep.store import Store, open_store

TYPES = [
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Battles", "Armed clash"),
    ("Violence against civilians", "Attack"),
    ("Strategic developments", "Looting/property destruction"),
]
ACTORS = [
    "Military Forces of Russia (2000-)",
    "Military Forces of Ukraine (2019-)",
    "Civilians (Ukraine)",
    None,
]
SENTENCES = {
    "fr": "Les bombardements ont repris cette nuit près de {town}, selon les autorités régionales qui font état de "
    "plusieurs maisons détruites et d'une école touchée. Les secours sont intervenus jusqu'au matin.",
    "en": "Shelling resumed overnight near {town}, regional authorities said, reporting several houses destroyed "
    "and a school hit. Rescue teams worked until the morning to clear the rubble.",
    "uk": "Обстріли поновилися вночі поблизу {town}, повідомили обласні органи влади, зруйновано кілька будинків "
    "і пошкоджено школу. Рятувальники працювали до ранку.",
    "ru": "Обстрелы возобновились ночью возле {town}, сообщили областные власти, разрушены несколько домов и "
    "повреждена школа. Спасатели работали до утра.",
}
START = dt.date(2022, 2, 24)
DAYS = (dt.date(2024, 12, 31) - START).days


def town(i: int) -> str:
    """A made-up town name, one word: Town0 … Town399 spelled as letters so that it is one token."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return "Misto" + letters[i // 26 % 26] + letters[i % 26]


def documents(n_events: int, per_doc: int, seed: int = 7) -> Iterator[tuple[Document, list[Record]]]:
    rng = random.Random(seed)
    langs = list(SENTENCES)
    for d in range(n_events // per_doc):
        lang = langs[d % 4]
        name = town(rng.randrange(400))
        day = (START + dt.timedelta(days=rng.randrange(DAYS))).isoformat()
        doc = Document(
            text=SENTENCES[lang].format(town=name),
            doc_id=f"bench-{d:07d}",
            date=day,
            lang=lang,
            source="bench",
        )
        records: list[Record] = []
        for k in range(per_doc):
            event_type, sub = TYPES[rng.randrange(len(TYPES))]
            lat, lon = rng.uniform(44.5, 52.3), rng.uniform(22.2, 40.2)
            place = Place(
                name=name,
                country="Ukraine",
                iso2="UA",
                admin1=f"Oblast {rng.randrange(24)}",
                latitude=round(lat, 5),
                longitude=round(lon, 5),
            )
            records.append(
                Event(
                    doc_id=doc.doc_id,
                    event_type=event_type,
                    sub_event_type=sub,
                    event_date=day,
                    time_precision=1,
                    actor1=ACTORS[rng.randrange(4)],
                    actor2=ACTORS[rng.randrange(4)],
                    location=place,
                    fatalities=rng.choice([None, 0, 1, 2, 5]),
                    claims=(Claim(claimant="Regional administration", relay="bench"),),
                    evidence=(
                        Evidence(sentence=doc.text[:80], start=10 * k, end=10 * k + 9, trigger="shelling"),
                    ),
                    notes=f"On {day}, shelling near {name}.",
                )
            )
        yield doc, records


def timed(run: Callable[[], list[Record]], runs: int) -> dict[str, float]:
    run()  # warm-up
    times, sizes = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        sizes.append(len(run()))
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2),
        "records": round(statistics.mean(sizes), 1),
    }


def ingest(db: str, *, n_events: int, per_doc: int, writers: int) -> dict[str, Any]:
    """Store the documents from ``writers`` threads at once, each with a store (and connection) of its own."""
    docs = list(documents(n_events, per_doc))
    errors: list[BaseException] = []

    def write(share: list[tuple[Document, list[Record]]]) -> None:
        try:
            with open_store(db) as store:
                for doc, records in share:
                    store.add(doc, records)
        except BaseException as e:  # reported below, after the other writers
            errors.append(e)

    threads = [threading.Thread(target=write, args=(docs[k::writers],)) for k in range(writers)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - t0
    if errors:
        raise errors[0]
    n_stored = sum(len(records) for _, records in docs)
    return {
        "writers": writers,
        "events": n_stored,
        "documents": len(docs),
        "ingest_s": round(seconds, 1),
        "ingest_docs_per_s": round(len(docs) / seconds),
        "ingest_events_per_s": round(n_stored / seconds),
    }


def queries(store: Store, *, runs: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    rng = random.Random(11)

    def near() -> list[Record]:
        return store.events(near=(rng.uniform(45.5, 51.5), rng.uniform(23.5, 39.0)))

    def bbox() -> list[Record]:
        lon, lat = rng.uniform(22.2, 39.2), rng.uniform(44.5, 51.8)
        return store.events(bbox=(lon, lat, lon + 1.0, lat + 0.5))

    def text() -> list[Record]:
        return store.events(text=town(rng.randrange(400)))

    def week() -> list[Record]:
        day = START + dt.timedelta(days=rng.randrange(DAYS - 7))
        return store.events(since=day.isoformat(), until=(day + dt.timedelta(days=6)).isoformat())

    for name, run in (("near", near), ("bbox", bbox), ("text", text), ("date_range", week)):
        result[name] = timed(run, runs)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="an empty store: a SQLite path or a postgresql:// URL")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--per-doc", type=int, default=4)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--writers", type=int, default=1, help="threads storing documents at once (default 1)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--queries-only", action="store_true", help="time the queries on a store this benchmark filled before"
    )
    args = parser.parse_args()
    with open_store(args.db) as store:
        result: dict[str, Any] = {"backend": type(store).__name__, "stored": store.count()}
        if args.queries_only != bool(result["stored"]):
            parser.error(
                f"{store.location}: expected {'a filled' if args.queries_only else 'an empty'} store"
            )
        if not args.queries_only:
            result |= ingest(args.db, n_events=args.events, per_doc=args.per_doc, writers=args.writers)
        result |= queries(store, runs=args.runs)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    if not args.queries_only:
        print(
            f"{result['backend']}: {result['events']:,} events in {result['documents']:,} documents stored by "
            f"{result['writers']} writer(s) in {result['ingest_s']} s: {result['ingest_docs_per_s']:,} documents/s, "
            f"{result['ingest_events_per_s']:,} events/s"
        )
    print("query        median ms   p95 ms   records")
    for name in ("near", "bbox", "text", "date_range"):
        q = result[name]
        print(f"{name:<12} {q['median_ms']:>9} {q['p95_ms']:>8} {q['records']:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
