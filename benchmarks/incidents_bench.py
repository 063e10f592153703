"""Linking benchmark: synthetic one-event reports stored with linking into a fresh SQLite file, then rebuilt.

    python benchmarks/incidents_bench.py [--events 100000] [--db PATH]

Prints the time and peak memory (resident set, this process) of the ingest (extraction left out: the events
are made by :mod:`sitrep.incidents.synthetic`) and of ``rebuild``, per event.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from sitrep.incidents import ingest, rebuild
from sitrep.incidents.synthetic import reports
from sitrep.store import SQLiteStore


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--db", help="SQLite file to write (default: a temporary one)")
    parser.add_argument("--no-link", action="store_true", help="store without linking (the baseline)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.db or Path(tmp) / "bench.db")
        path.unlink(missing_ok=True)
        items = list(reports(args.events))
        base = _peak_mb()
        with SQLiteStore(path) as store:
            t0 = time.perf_counter()
            for i, (doc, event) in enumerate(items, 1):
                if args.no_link:
                    store.add(doc, [event])
                else:
                    ingest(store, doc, [event])
                if i % 10_000 == 0:
                    print(f"  {i} events, {time.perf_counter() - t0:.1f} s", flush=True)
            t_ingest = time.perf_counter() - t0
            mem_ingest = _peak_mb()
            incidents = len({incident for _, incident in store.link_state()})
            if args.no_link:
                print(f"events {len(items)}, stored without linking: {t_ingest:.1f} s, "
                      f"{t_ingest / len(items) * 1000:.2f} ms per event")
                return
            t0 = time.perf_counter()
            report = rebuild(store)
            t_rebuild = time.perf_counter() - t0
        n = len(items)
        print(f"events {n}, incidents {incidents} ({n / incidents:.2f} reports each), db {path.stat().st_size / 1e6:.0f} MB")
        print(f"ingest with linking: {t_ingest:.1f} s, {t_ingest / n * 1000:.2f} ms per event, "
              f"peak RSS {mem_ingest:.0f} MB (synthetic events held: {base:.0f} MB)")
        print(f"rebuild: {t_rebuild:.1f} s, {t_rebuild / n * 1000:.3f} ms per event, peak RSS {_peak_mb():.0f} MB, "
              f"links changed {report.links_changed}, events moved {report.events_moved}, "
              f"features read anew {report.features_refreshed}")


if __name__ == "__main__":
    main()
