"""The towns of a sentence near a place: found by cell, the same answer as weighing every town."""

from __future__ import annotations

import random

from sitrep.gazetteer.scope import Towns
from sitrep.geo import place_km
from sitrep.model import Place


def _place(rng: random.Random, lat: float, lon: float, spread: float) -> Place:
    return Place(name="x", latitude=max(-90.0, min(90.0, lat + rng.uniform(-spread, spread))),
                 longitude=(lon + rng.uniform(-spread, spread) + 180) % 360 - 180)


def test_near_is_every_town_weighed() -> None:
    rng = random.Random(7)
    # around Bakhmut, across the antimeridian, near a pole, and at the equator
    for lat, lon in ((48.6, 38.0), (65.0, 179.8), (88.5, 20.0), (0.0, -0.2)):
        towns = [(f"k{i % 40}", _place(rng, lat, lon, 3.0)) for i in range(400)]
        filed = Towns(towns)
        for _ in range(300):
            p = _place(rng, lat, lon, 3.5)
            for km in (5.0, 50.0, 120.0):
                besides = f"k{rng.randrange(40)}"
                every = any(key != besides and place_km(p, q) <= km for key, q in towns)
                assert filed.near(p, km, besides=besides) is every, (p, km)


def test_a_place_without_coordinates_is_near_nothing() -> None:
    towns = Towns([("a", Place(name="a", latitude=48.0, longitude=38.0)), ("b", Place(name="b"))])
    assert not towns.near(Place(name="c"), 50.0, besides="")
    assert towns.near(Place(name="d", latitude=48.1, longitude=38.1), 50.0, besides="")
    assert not towns.near(Place(name="d", latitude=48.1, longitude=38.1), 50.0, besides="a")
