"""ACLED rows: does the gold location_name, found in the text, resolve within 10 km of the gold point?

    PYTHONPATH=src python benchmarks/acled_places.py /work/shared/gold/dev/acled_peacerep_sample.dev.jsonl
"""

from __future__ import annotations

import json
import sys

from sitrep.gazetteer import Gazetteer
from sitrep.geo import place_km as km
from sitrep.model import Place


def main() -> None:
    gaz = Gazetteer.default()
    with open(sys.argv[1], encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    n = ok = ok_lookup = 0
    misses = []
    for row in rows:
        gold = row["gold"]
        if gold.get("geo_precision") != 1 or gold["location_name"] not in row["text"]:
            continue
        n += 1
        target = Place(name=gold["location_name"], latitude=gold["lat"], longitude=gold["lon"])
        text, lang = row["text"], row.get("lang") or "en"
        pos = text.index(gold["location_name"])
        res = gaz.resolve(gaz.find(text, lang=lang), text=text, lang=lang)
        hit = [r for r in res if r.toponym.start <= pos < r.toponym.end]
        if hit and km(hit[0].place, target) <= 10:
            ok += 1
        else:
            misses.append((gold["location_name"], [(r.place.name, r.place.admin1, round(km(r.place, target))) for r in hit]))
        cands = gaz.lookup(gold["location_name"])
        if cands and km(cands[0], target) <= 10:
            ok_lookup += 1
    print(json.dumps({"rows_precision1_in_text": n, "find_resolve_within_10km": round(ok / n, 4),
                      "lookup_top1_within_10km": round(ok_lookup / n, 4)}))
    for m in misses:
        print(m)


if __name__ == "__main__":
    main()
