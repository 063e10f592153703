"""How far the place index allows ACLED rows to be placed within 10 km or 50 km at all.

    PYTHONPATH=src python eval/geo_ceiling.py [/work/shared/gold/dev/acled_peacerep_sample.dev.jsonl]

For every row whose gold place is named in the text, this script asks the index alone (never the pipeline's
choice) whether *any* place called by that name lies within 10 km and within 50 km of the gold point, among
all namesakes in every spelling. A row no namesake reaches cannot be right whatever the resolver chooses:
mostly villages the official register knows without coordinates, placed at their hromada's centre
(``geo_precision`` 2), and a few villages missing from the register. It prints, per gold precision, how many
rows there are, how many some namesake reaches (the ceiling), and the villages no namesake reaches.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from sitrep.gazetteer import Gazetteer
from sitrep.gazetteer.text import key_of
from sitrep.geo import place_km as km
from sitrep.model import Place

GOLD = Path("/work/shared/gold/dev/acled_peacerep_sample.dev.jsonl")


def namesakes(gaz: Gazetteer, name: str) -> list[Place]:
    """Every place the index files under ``name`` (the part before " - " of ACLED's "City - District" too)."""
    out: list[Place] = []
    for written in {name, name.split(" - ")[-1], name.split(" - ")[0]}:
        out += gaz.lookup(written, limit=10_000)
    return out


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else GOLD
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    gaz = Gazetteer.default()
    total: Counter[str] = Counter()
    reach: dict[str, Counter[str]] = defaultdict(Counter)
    lost: Counter[str] = Counter()
    for row in rows:
        gold = row["gold"]
        name = gold.get("location_name") or ""
        if not name or key_of(name.split(" - ")[0]) not in key_of(row["text"]) or gold.get("lat") is None:
            continue
        target = Place(name=name, latitude=gold["lat"], longitude=gold["lon"])
        best = min((km(p, target) for p in namesakes(gaz, name)), default=float("inf"))
        for group in ("all", f"precision {gold.get('geo_precision')}"):
            total[group] += 1
            reach[group]["10 km"] += best <= 10
            reach[group]["50 km"] += best <= 50
        if gold.get("geo_precision") == 1 and best > 10:
            lost[name] += 1
    for group in sorted(total):
        n = total[group]
        print(f"{group:12} rows {n:4}   some namesake within 10 km {reach[group]['10 km'] / n:.3f}"
              f"   within 50 km {reach[group]['50 km'] / n:.3f}")
    print("precision-1 places no namesake reaches within 10 km:",
          ", ".join(f"{name} ({n})" if n > 1 else name for name, n in lost.most_common()))


if __name__ == "__main__":
    main()
