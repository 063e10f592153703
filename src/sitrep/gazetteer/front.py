"""Distance to the lines along which the war has been fought (``data/contact_lines.tsv``).

Reports of shelling and fighting name villages near these lines far more often
than their namesakes elsewhere, so the resolver weighs same-named Ukrainian
villages by how close they lie to a line. The lines are approximate to a few
kilometres: they rank candidates, they never place an event.
"""

from __future__ import annotations

import math
from functools import cache
from importlib import resources

Segment = tuple[float, float, float, float]


@cache
def segments() -> tuple[Segment, ...]:
    lines: dict[str, list[tuple[float, float]]] = {}
    text = resources.files("sitrep.gazetteer").joinpath("data", "contact_lines.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, lat, lon, _ = line.split("\t", 3)
        lines.setdefault(name, []).append((float(lat), float(lon)))
    return tuple(
        (a[0], a[1], b[0], b[1]) for pts in lines.values() for a, b in zip(pts, pts[1:], strict=False)
    )


@cache
def km_to_front(lat: float, lon: float) -> float:
    """Kilometres from (lat, lon) to the nearest line (an equirectangular projection: fine at this scale)."""
    kx = 111.32 * math.cos(math.radians(lat))
    ky = 110.57
    best = math.inf
    for lat1, lon1, lat2, lon2 in segments():
        ax, ay = (lon1 - lon) * kx, (lat1 - lat) * ky
        bx, by = (lon2 - lon) * kx, (lat2 - lat) * ky
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
        best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def front_bonus(lat: float | None, lon: float | None, *, reach_km: float = 60.0, weight: float = 0.5) -> float:
    """``weight`` on a line, falling linearly to 0 at ``reach_km`` away from every line."""
    if lat is None or lon is None:
        return 0.0
    d = km_to_front(round(lat, 3), round(lon, 3))
    return weight * max(0.0, 1.0 - d / reach_km)
