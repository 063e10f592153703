"""Great-circle distances: the one implementation the package uses, one pair at a time or in bulk.

:func:`haversine_km` takes two points; :func:`place_km` two places (infinite when either has no
coordinates); :func:`km_matrix` every point of one list against every point of another, with numpy, for
the places stage, which weighs each candidate of a text against the other places of the text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from sitrep.model import Place

EARTH_RADIUS_KM = 6371.0088  # the IUGG mean radius


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def place_km(a: Place, b: Place) -> float:
    """Kilometres between two places; infinite when either has no coordinates."""
    if a.latitude is None or b.latitude is None or a.longitude is None or b.longitude is None:
        return math.inf
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def coordinates(places: Sequence[Place]) -> tuple[np.ndarray, np.ndarray]:
    """Latitudes and longitudes of ``places`` as arrays, NaN where a place has none."""
    import numpy as np  # imported on first use: commands that weigh no places do not pay for it

    lat = np.array([math.nan if p.latitude is None or p.longitude is None else p.latitude for p in places], dtype=float)
    lon = np.array([math.nan if p.latitude is None or p.longitude is None else p.longitude for p in places], dtype=float)
    return lat, lon


def km_matrix(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Kilometres from each point of the first arrays (rows) to each of the second (columns), NaN where either
    point has no coordinates (so that every comparison with a distance is false, as with an infinite one)."""
    import numpy as np

    p1 = np.radians(lat1)[:, None]
    p2 = np.radians(lat2)[None, :]
    dl = np.radians(lon2)[None, :] - np.radians(lon1)[:, None]
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
