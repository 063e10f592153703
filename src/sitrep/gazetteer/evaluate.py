"""Geoparsing evaluation against gold toponym spans with coordinates.

A gold toponym is found when some resolved span overlaps it and its place lies
within ``km`` of the gold coordinates (recall@km). Precision is the share of
resolved spans that overlap some gold toponym (the gold of news corpora leaves
some true places unannotated, so it is a lower bound).

Some gold offsets do not point at their name: every GeoVirus span starts one
character late, and some TR-News spans 8 to 10 characters late, so that no span
can overlap them. A gold span whose text is not its name is re-anchored at the
nearest occurrence of the name within ``_REANCHOR`` characters (``reanchored``
counts them); one with no such occurrence is kept as it is.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from sitrep.geo import place_km as distance
from sitrep.model import Place

_REANCHOR = 25


def anchored(text: str, gold: dict[str, Any]) -> tuple[int, int]:
    """The gold toponym's span, moved onto its name when the offsets miss it by a few characters."""
    start, end, name = int(gold["start"]), int(gold["end"]), str(gold.get("name") or "")
    if not name or text[start:end] == name:
        return start, end
    near = [i for i in range(max(0, start - _REANCHOR), start + _REANCHOR + 1) if text.startswith(name, i)]
    if not near:
        return start, end
    at = min(near, key=lambda i: abs(i - start))
    return at, at + len(name)


def evaluate(rows: Sequence[dict[str, Any]], *, km: float = 161.0, demonyms: bool = True) -> dict[str, Any]:
    from sitrep.gazetteer import Gazetteer

    gaz = Gazetteer.default()
    gold_n = found = spans_n = spans_ok = moved = 0
    misses: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    for row in rows:
        text = row["text"]
        lang = row.get("lang") or "en"
        res = gaz.resolve(gaz.find(text, lang=lang, demonyms=demonyms), text=text, lang=lang)
        gold = [g for g in row.get("toponyms") or () if g.get("lat") is not None]
        spans = [anchored(text, g) for g in gold]
        moved += sum(1 for g, sp in zip(gold, spans, strict=True) if sp != (g["start"], g["end"]))
        gold_n += len(gold)
        for g, (g_start, g_end) in zip(gold, spans, strict=True):
            gp = Place(name=g["name"], latitude=float(g["lat"]), longitude=float(g["lon"]))
            over = [r for r in res if r.toponym.start < g_end and g_start < r.toponym.end]
            if any(distance(r.place, gp) <= km for r in over):
                found += 1
            else:
                misses.append({"id": row.get("id"), "name": g["name"], "type": g.get("type"),
                               "got": [(r.toponym.text, r.place.name, r.place.iso2) for r in over]})
        spans_n += len(res)
        spans_ok += sum(1 for r in res if any(r.toponym.start < e and s < r.toponym.end for s, e in spans))
    return {
        "rows": len(rows), "gold_toponyms": gold_n, f"recall@{km:g}km": round(found / gold_n, 4) if gold_n else 0.0,
        "spans": spans_n, "span_precision": round(spans_ok / spans_n, 4) if spans_n else 0.0, "reanchored": moved,
        "seconds": round(time.perf_counter() - t0, 2), "misses": misses,
    }
