"""Peak memory of ``sitrep export`` on a large synthetic store.

    python benchmarks/export_memory.py                       # 200,000 records, every format
    python benchmarks/export_memory.py --records 50000 --format csv

Builds a SQLite store of N realistic records (ten per document, each with a
place, a claim, evidence and notes, about 1.5 KB of JSON) in a temporary
folder, then runs ``sitrep export`` once per format in a fresh process writing
to /dev/null, and prints each process's peak resident memory (``ru_maxrss``
from ``wait4``) and its time. Peak memory that does not grow with N is what
streaming means; the issue's bound is 150 MB for 200,000 records.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sitrep.model import Claim, Document, Event, Evidence, Place
from sitrep.store import SQLiteStore
from sitrep.store.sqlite import _COLUMNS, _row

PLACES = [("Bakhmut", 48.59, 38.0), ("Kharkiv", 49.99, 36.23), ("Kherson", 46.64, 32.61), ("Odesa", 46.48, 30.73)]


def synthetic_records(doc_id: str, count: int) -> list[Event]:
    """``count`` distinct, realistic event records of one document."""
    out = []
    for i in range(count):
        name, lat, lon = PLACES[i % len(PLACES)]
        sentence = (f"Russian forces shelled {name} overnight, killing {i % 7} civilians and wounding {i % 11}, "
                    f"the head of the regional military administration said on Telegram.")
        out.append(Event(
            doc_id=doc_id,
            event_type="Explosions/Remote violence",
            sub_event_type="Shelling/artillery/missile attack",
            event_date=f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}",
            time_precision=1,
            actor1="Military Forces of Russia (2000-)",
            actor2="Civilians (Ukraine)",
            location=Place(name=name, country="Ukraine", iso2="UA", admin1="Oblast", admin2="Raion",
                           latitude=lat, longitude=lon, geonameid=700000 + i, source=f"geonames:{700000 + i}"),
            fatalities=i % 7,
            injured=i % 11,
            claims=(Claim(claimant="Oleh Syniehubov", claimant_role="head of the regional administration",
                          side="Ukraine", channel="Telegram", relay="Reuters", quote=sentence),),
            evidence=(Evidence(sentence=sentence, start=100 * i, end=100 * i + 7, trigger="shelled",
                               rule="triggers:en:shell"),),
            notes=f"On 2023-01-01, Military Forces of Russia (2000-) shelled Civilians (Ukraine) in {name}. "
                  f"{i % 7} killed, {i % 11} injured. Reported by Oleh Syniehubov via Telegram (Reuters).",
            confidence=0.6,
            event_id=f"{doc_id}-{i:02d}",
        ))
    return out


def build_store(path: Path, records: int, *, per_document: int = 10) -> None:
    """A store at ``path`` holding ``records`` synthetic records, written in bulk (one transaction)."""
    with SQLiteStore(path) as store:
        conn = store._conn
        conn.execute("BEGIN")
        for d in range(0, records, per_document):
            doc = Document(text=f"Synthetic report {d}.", doc_id=f"doc{d:07d}", date="2023-06-01")
            conn.execute(
                "INSERT INTO documents (doc_id, text, date, content_hash, ingested_at) VALUES (?, ?, ?, ?, ?)",
                (doc.doc_id, doc.text, doc.date, f"h{d}", "2023-06-01T00:00:00+00:00"),
            )
            rows = [
                _row(r, json.dumps(r.to_json(), ensure_ascii=False))
                for r in synthetic_records(doc.doc_id, min(per_document, records - d))
            ]
            conn.executemany(f"INSERT INTO records ({_COLUMNS}) VALUES ({', '.join('?' * len(rows[0]))})", rows)
        conn.execute("COMMIT")


def measure(db: Path, fmt: str) -> tuple[float, float]:
    """Peak resident memory (MB) and seconds of ``sitrep export --format fmt`` in a fresh process."""
    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "sitrep", "export", "--db", str(db), "--format", fmt],
                                stdout=sink)
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"sitrep export --format {fmt} failed with status {proc.returncode}")
    return usage.ru_maxrss / 1024, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--format", action="append", choices=("csv", "jsonl", "geojson", "json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "big.db"
        started = time.perf_counter()
        build_store(db, args.records)
        print(f"store: {args.records} records, {db.stat().st_size / 1e6:.0f} MB, "
              f"built in {time.perf_counter() - started:.0f} s")
        for fmt in args.format or ("csv", "jsonl", "geojson", "json"):
            peak, seconds = measure(db, fmt)
            print(f"export --format {fmt:8} peak RSS {peak:6.1f} MB  {seconds:5.1f} s  "
                  f"({args.records / seconds:,.0f} records/s)")


if __name__ == "__main__":
    main()
