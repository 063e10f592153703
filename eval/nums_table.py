"""Killed and injured exact on a real-report file of the ``pages`` schema, each gold event shown with the
records near it (for reading casualty misses; ``sitrep evaluate`` gives the same two figures).

    python eval/nums_table.py eval/.pages/nums_fresh.jsonl            # the figures, per language
    python eval/nums_table.py eval/.pages/nums_fresh.jsonl --misses   # and each miss with the records near it
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from sitrep.evaluate.gold import read_jsonl
from sitrep.evaluate.pages import near
from sitrep.model import Document, Event
from sitrep.pipeline import Pipeline


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path")
    ap.add_argument("--misses", action="store_true", help="print each miss with the records near the gold event")
    args = ap.parse_args()
    rows = read_jsonl(Path(args.path)).rows
    pipe = Pipeline()
    hits: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for row in rows:
        doc = Document(text=row.text, date=row.doc_date, lang=row.lang, doc_id=row.id)
        events = [r for r in pipe.extract(doc) if isinstance(r, Event)]
        for g in (g for g in row.events if not g.uncertain):
            close = [e for e in events if near(e, g)]
            for kind, want, got in (("killed", g.killed, [e.fatalities for e in close]),
                                    ("injured", g.injured, [e.injured for e in close])):
                if want is None:
                    continue
                hit = want in got
                for key in ((kind, "all"), (kind, row.lang or "?")):
                    hits[key].append(hit)
                if args.misses and not hit:
                    seen = ", ".join(f"{e.location.name if e.location else None}={v}" for e, v in zip(close, got, strict=True))
                    print(f"MISS {row.id} {g.place} {kind}: gold {want}, near: {seen or 'no record'}")
    for kind in ("killed", "injured"):
        cells = [f"{lang} {sum(v)}/{len(v)} = {sum(v) / len(v):.2f}" for (k, lang), v in sorted(hits.items()) if k == kind]
        print(f"{kind} exact: " + "; ".join(cells))


if __name__ == "__main__":
    main()
