"""Time ``sitrep watch --once`` against the test news site on 127.0.0.1: a first run reading the
project corpus as 32 Telegram posts and 32 feed entries with their article pages, then a second run
that finds nothing new (both sources answer 304).

    python benchmarks/watch_bench.py

Each run is a fresh ``python -m sitrep`` process, start-up included.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import sources_site as kit  # noqa: E402


def main() -> None:
    reports = kit.corpus_reports()
    server = kit.serve()
    site = next(server)
    try:
        posts = [{"id": i + 1, "text": r["text"], "date": f"{r['date']}T08:00:00+00:00"} for i, r in enumerate(reports)]
        site.set("/s/corpus", kit.telegram_preview("corpus", "Corpus", posts))
        for r in reports:
            site.set(f"/news/{r['id']}", kit.article(r["id"], r["text"], r["date"]))
        entries = [{"title": r["id"], "link": site.url(f"/news/{r['id']}"), "date": r["date"]} for r in reports]
        site.set("/rss.xml", kit.rss("Wire", entries), content_type="application/rss+xml")
        with tempfile.TemporaryDirectory() as tmp:
            sources = Path(tmp) / "sources.toml"
            sources.write_text(
                '[settings]\ndelay = "0s"\n'
                f'[sources.channel]\nkind = "telegram"\nurl = "{site.url("/s/corpus")}"\n'
                f'[sources.wire]\nkind = "rss"\nurl = "{site.url("/rss.xml")}"\n',
                encoding="utf-8",
            )
            command = [sys.executable, "-m", "sitrep", "watch", "--once", "--sources", str(sources),
                       "--db", str(Path(tmp) / "store.db")]
            for run in ("first run", "second run"):
                start = time.monotonic()
                done = subprocess.run(command, capture_output=True, text=True, check=False)
                print(f"{run}: {time.monotonic() - start:.1f} s (exit {done.returncode})")
                print(done.stderr.rstrip())
    finally:
        server.close()


if __name__ == "__main__":
    main()
