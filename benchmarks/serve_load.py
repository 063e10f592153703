"""Load on ``sitrep serve`` over a store of 100,000 synthetic events, from 16 clients on loopback.

    python benchmarks/serve_load.py [--db FILE] [--events 100000] [--clients 16] [--requests 1600] [--json]

Makes the store with ``benchmarks/synthetic.py`` (into a temporary folder unless ``--db`` names an
existing one), starts ``sitrep serve`` on a free 127.0.0.1 port, and for each scenario below runs
``--clients`` threads, each with its own keep-alive connection, until ``--requests`` requests are
answered (bounded: a scenario also stops after 120 s). Prints requests per second and latency
percentiles per scenario; exits 1 when ``/api/events?limit=100`` misses p99 < 100 ms, or any answer
is not 200.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

from synthetic import make_store  # noqa: E402

TARGET_P99_MS = 100.0
SCENARIOS: list[tuple[str, str]] = [
    ("events, first page", "/api/events?limit=100"),
    ("events, type + since", "/api/events?limit=100&type=Battles&since=2023-06-01"),
    ("events, actor + until, kind", "/api/events?limit=100&actor=russia&until=2023-01&kind=event"),
    ("events, bbox", "/api/events?limit=100&bbox=37.5,48.0,38.5,49.0"),
    ("events, near Bakhmut 10 km", "/api/events?limit=100&near=48.5947,38.0003&within=10"),
    ("events, words", "/api/events?limit=100&text=Kupiansk"),
    ("events, deep pages (cursors)", "CURSORS"),
    ("geojson, bbox + one month", "/api/events.geojson?bbox=37.8,48.4,38.2,48.8&since=2023-06-01&until=2023-06-30"),
    ("map cells, all Ukraine", "/api/cells?zoom=6&kind=event&bbox=21,43,41,53"),
]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path)
    r = conn.getresponse()
    return r.status, r.read()


def cursors(port: int, n: int) -> list[str]:
    """``n`` cursors spread over the whole store (every 60th page of 100)."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    out: list[str] = []
    path = "/api/events?limit=1000"
    while len(out) < n:
        status, body = get(conn, path)
        page = json.loads(body)
        if not page["next"]:
            break
        out.append(page["next"])
        for _ in range(5):  # skip ahead 6,000 records
            status, body = get(conn, f"/api/events?limit=1000&cursor={json.loads(body)['next']}")
            if not json.loads(body)["next"]:
                break
        path = f"/api/events?limit=1000&cursor={json.loads(body)['next']}" if json.loads(body)["next"] else path
    return out


def run(port: int, paths: list[str], *, clients: int, requests: int, limit_s: float = 120.0) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(requests))
    deadline = time.monotonic() + limit_s

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        for i in counter:
            if time.monotonic() > deadline:
                break
            path = paths[(i + k) % len(paths)]
            t0 = time.perf_counter()
            status, _ = get(conn, path)
            mine.append(time.perf_counter() - t0)
            if status != 200:
                with lock:
                    errors.append(f"{status} {path}")
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    ms = sorted(x * 1000 for x in latencies)

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, int(round(p / 100 * (len(ms) - 1))))]

    return {
        "requests": len(ms),
        "rps": round(len(ms) / wall, 1),
        "p50_ms": round(pct(50), 1),
        "p95_ms": round(pct(95), 1),
        "p99_ms": round(pct(99), 1),
        "max_ms": round(ms[-1], 1),
        "mean_ms": round(statistics.fmean(ms), 1),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="an existing store to serve (else a new synthetic one)")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=1600, help="requests per scenario")
    parser.add_argument("--workers", type=int, default=2, help="server processes (sitrep serve --workers)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None or not db.exists():
            db = db or Path(tmp) / "load.db"
            t0 = time.perf_counter()
            made = make_store(db, events=args.events)
            print(f"store: {made} synthetic events in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        port = free_port()
        log = open(Path(tmp) / "server.log", "w")  # noqa: SIM115  # closed with the folder
        env = {k: v for k, v in os.environ.items() if k != "SITREP_API_TOKEN"}
        server = subprocess.Popen(
            [sys.executable, "-m", "sitrep", "serve", "--db", str(db), "--port", str(port),
             "--workers", str(args.workers)],
            env=env, stdout=subprocess.DEVNULL, stderr=log,
        )
        try:
            for _ in range(300):
                try:
                    if get(http.client.HTTPConnection("127.0.0.1", port, timeout=2), "/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                raise SystemExit("sitrep serve did not start")
            results: dict[str, Any] = {}
            for name, path in SCENARIOS:
                print(f"{name}…", file=sys.stderr)
                paths = [f"/api/events?limit=100&cursor={c}" for c in cursors(port, 16)] if path == "CURSORS" else [path]
                run(port, paths, clients=args.clients, requests=args.clients * 4)  # warm-up
                results[name] = {"path": paths[0], **run(port, paths, clients=args.clients, requests=args.requests)}
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
            logged = (Path(tmp) / "server.log").read_text()
            if "Traceback" in logged or "error" in logged.lower():
                print(f"the server logged:\n{logged[-3000:]}", file=sys.stderr)

    first = results["events, first page"]
    ok = first["p99_ms"] < TARGET_P99_MS and all(r["errors"] == 0 for r in results.values())
    if args.json:
        print(json.dumps({"machine": machine(), "workers": args.workers, "clients": args.clients, "results": results, "ok": ok}, indent=2))
    else:
        print(f"{machine()}; {args.workers} server process(es), {args.clients} clients; "
              f"{args.requests} requests per scenario; load average before: {load}")
        print(f"{'scenario':32} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} errors")
        for name, r in results.items():
            print(f"{name:32} {r['rps']:>7} {r['p50_ms']:>7} {r['p95_ms']:>7} {r['p99_ms']:>7} {r['max_ms']:>7} {r['errors']}")
        verdict = "met" if first["p99_ms"] < TARGET_P99_MS else "MISSED"
        print(f"target p99 < {TARGET_P99_MS:.0f} ms for /api/events?limit=100: {verdict} ({first['p99_ms']} ms)")
    return 0 if ok else 1


def machine() -> str:
    return f"{os.cpu_count()} cores, Python {platform.python_version()}"


if __name__ == "__main__":
    raise SystemExit(main())
