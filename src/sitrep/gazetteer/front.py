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

from sitrep.model import Place

Segment = tuple[float, float, float, float]


PRE_2022 = frozenset({"donbas-2015"})
SINCE_2023 = frozenset({"front-2023", "border"})  # the 2015 line lies deep behind the front by 2023
FRONTS = frozenset({"front-2023"})  # lines drawn with the side Russia holds on their left
PLACED_SLACK_KM = 12.0  # a register-only village lies within about this of the centre it is placed at


@cache
def segments(lines: frozenset[str] | None = None) -> tuple[Segment, ...]:
    """The segments of the named lines (all lines when None)."""
    points: dict[str, list[tuple[float, float]]] = {}
    text = resources.files("sitrep.gazetteer").joinpath("data", "contact_lines.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, lat, lon, _ = line.split("\t", 3)
        if lines is None or name in lines:
            points.setdefault(name, []).append((float(lat), float(lon)))
    return tuple(
        (a[0], a[1], b[0], b[1]) for pts in points.values() for a, b in zip(pts, pts[1:], strict=False)
    )


def _nearest(lat: float, lon: float, lines: frozenset[str] | None) -> tuple[float, int]:
    """Kilometres from (lat, lon) to the nearest segment of ``lines`` (all when None), and the side of that
    segment the point lies on: +1 left of it (the side Russia holds), -1 right, 0 when there is no segment.
    An equirectangular projection: fine at this scale."""
    kx = 111.32 * math.cos(math.radians(lat))
    ky = 110.57
    best, sign = math.inf, 0
    for lat1, lon1, lat2, lon2 in segments(lines):
        ax, ay = (lon1 - lon) * kx, (lat1 - lat) * ky
        bx, by = (lon2 - lon) * kx, (lat2 - lat) * ky
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
        d = math.hypot(ax + t * dx, ay + t * dy)
        if d < best:
            best, sign = d, (1 if dy * ax - dx * ay > 0 else -1)
    return best, sign


@cache
def km_to_front(lat: float, lon: float, lines: frozenset[str] | None = None) -> float:
    """Kilometres from (lat, lon) to the nearest line."""
    return _nearest(lat, lon, lines)[0]


@cache
def side(lat: float, lon: float, lines: frozenset[str] = FRONTS) -> int:
    """+1 when (lat, lon) lies left of its nearest segment of ``lines`` (the side Russia holds), else -1."""
    return _nearest(lat, lon, lines)[1]


def front_bonus(lat: float | None, lon: float | None, *, reach_km: float = 60.0, weight: float = 0.5,
                lines: frozenset[str] | None = None, slack_km: float = 0.0) -> float:
    """``weight`` on a line, falling linearly to 0 at ``reach_km`` away from every line (of ``lines``).

    ``slack_km`` is how far the place itself may lie from its point: a village placed at its hromada's
    centre may be that much nearer the line than the centre.
    """
    if lat is None or lon is None:
        return 0.0
    d = max(0.0, km_to_front(round(lat, 3), round(lon, 3), lines) - slack_km)
    return weight * max(0.0, 1.0 - d / reach_km)


def front_slack(place: Place) -> float:
    """How much nearer a line than its point a place may lie: a settlement placed at a centre (precision 2)."""
    return PLACED_SLACK_KM if place.feature == "settlement" and place.geo_precision == 2 else 0.0
