"""Geoparsing evaluation against gold toponym spans with coordinates.

A gold toponym is found when some resolved span overlaps it and its place lies
within ``km`` of the gold coordinates (recall@km). Precision is the share of
resolved spans that overlap some gold toponym (the gold of news corpora leaves
some true places unannotated, so it is a lower bound).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from sitrep.gazetteer.resolve import km as distance
from sitrep.model import Place


def evaluate(rows: Sequence[dict[str, Any]], *, km: float = 161.0, demonyms: bool = True) -> dict[str, Any]:
    from sitrep.gazetteer import Gazetteer

    gaz = Gazetteer.default()
    gold_n = found = spans_n = spans_ok = 0
    misses: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    for row in rows:
        text = row["text"]
        lang = row.get("lang") or "en"
        res = gaz.resolve(gaz.find(text, lang=lang, demonyms=demonyms), text=text, lang=lang)
        gold = [g for g in row.get("toponyms") or () if g.get("lat") is not None]
        gold_n += len(gold)
        for g in gold:
            gp = Place(name=g["name"], latitude=float(g["lat"]), longitude=float(g["lon"]))
            over = [r for r in res if r.toponym.start < g["end"] and g["start"] < r.toponym.end]
            if any(distance(r.place, gp) <= km for r in over):
                found += 1
            else:
                misses.append({"id": row.get("id"), "name": g["name"], "type": g.get("type"),
                               "got": [(r.toponym.text, r.place.name, r.place.iso2) for r in over]})
        spans_n += len(res)
        spans_ok += sum(
            1 for r in res if any(r.toponym.start < g["end"] and g["start"] < r.toponym.end for g in gold)
        )
    return {
        "rows": len(rows), "gold_toponyms": gold_n, f"recall@{km:g}km": round(found / gold_n, 4) if gold_n else 0.0,
        "spans": spans_n, "span_precision": round(spans_ok / spans_n, 4) if spans_n else 0.0,
        "seconds": round(time.perf_counter() - t0, 2), "misses": misses,
    }
