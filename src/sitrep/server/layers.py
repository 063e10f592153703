"""What the map draws besides the basemap: events gathered in cells, oblast points, front lines.

The page never downloads every event: ``/api/cells`` answers with at most a few hundred cells
for the view (the events of each cell counted, their fatalities summed, their types tallied),
so the map stays responsive with 100,000 events in the store. A cell holding one event
carries its id; the page asks ``/api/events`` for the events of a small cell when clicked.
"""

import csv
import functools
import threading
from collections import OrderedDict
from importlib import resources
from typing import Annotated, Any

from fastapi import FastAPI
from fastapi import Query as Param
from fastapi.responses import JSONResponse

from sitrep.server import problems
from sitrep.server.params import QueryDep, StoreDep

CELL_PX = 48  # the side of a cell on screen, in pixels


class _Recent:
    """The last answers of ``/api/cells`` (a whole-country view of 100,000 events takes ~0.25 s to
    gather), keyed by query, zoom and :meth:`~sitrep.store.Store.version`, so a change empties it."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._items: OrderedDict[Any, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> dict[str, Any] | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            return None

    def put(self, key: Any, value: dict[str, Any]) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)


_CELLS = _Recent()
GEOJSON = "application/geo+json"


def cell_degrees(zoom: float) -> float:
    """The side in degrees of a cell of :data:`CELL_PX` pixels at this web-map zoom level."""
    return CELL_PX * 360.0 / (256.0 * 2.0**zoom)


def install(app: FastAPI) -> None:
    @app.get(
        "/api/cells",
        responses={**problems.responses(400), 200: {"content": {GEOJSON: {}}, "description": "cells"}},
        tags=["map"],
    )
    def cells(
        db: StoreDep,
        query: QueryDep,
        zoom: Annotated[float, Param(ge=0, le=22, description="the map's zoom level")] = 5,
    ) -> JSONResponse:
        """Located events matching the filters gathered in square cells of about 48 pixels at `zoom`.

        Each feature is a point at the mean position of its events, with `count`, `fatalities` (summed),
        `type` (the most frequent event type), `by_type`, `event_id` when it holds one event, and `bbox`
        (min_lon, min_lat, max_lon, max_lat of its events: a point when they share one place).
        """
        key = (repr(query), round(zoom, 2), db.version())
        cached = _CELLS.get(key)
        if cached is not None:
            return JSONResponse(cached, media_type=GEOJSON)
        if query.kind == "aid":
            features: list[dict[str, Any]] = []
        else:
            features = [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [round(c.lon, 5), round(c.lat, 5)]},
                    "properties": {
                        "count": c.count,
                        "fatalities": c.fatalities,
                        "type": max(c.by_type.items(), key=lambda kv: (kv[1], kv[0] or ""))[0],
                        "by_type": c.by_type,
                        "event_id": c.event_id,
                        "bbox": [round(v, 5) for v in c.bbox],
                    },
                }
                for c in db.grid(query, cell=cell_degrees(zoom))
            ]
        body = {"type": "FeatureCollection", "features": features}
        _CELLS.put(key, body)
        return JSONResponse(body, media_type=GEOJSON)

    @app.get("/api/layers/oblasts.geojson", tags=["map"], responses={200: {"content": {GEOJSON: {}}}})
    def oblasts() -> JSONResponse:
        """Ukraine's oblasts as points (the gazetteer's place for each), for labels on the map."""
        return JSONResponse(_oblasts(), media_type=GEOJSON)

    @app.get("/api/layers/lines.geojson", tags=["map"], responses={200: {"content": {GEOJSON: {}}}})
    def lines() -> JSONResponse:
        """The lines along which the war has been fought (the 2015-2022 contact line, the 2023 front, the
        border with Russia), approximate to a few kilometres."""
        return JSONResponse(_lines(), media_type=GEOJSON)


@functools.cache
def _oblasts() -> dict[str, Any]:
    from sitrep.gazetteer import Gazetteer

    gaz = Gazetteer.default()
    features = []
    for row in _tsv("oblasts.tsv"):
        name = row[2]
        for place in gaz.lookup(name, limit=25):
            if place.feature == "admin1" and place.iso2 == "UA" and place.latitude is not None:
                features.append(
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
                        "properties": {"name": name},
                    }
                )
                break
    return {"type": "FeatureCollection", "features": features}


@functools.cache
def _lines() -> dict[str, Any]:
    points: dict[str, list[list[float]]] = {}
    for line, lat, lon, *_ in _tsv("contact_lines.tsv"):
        points.setdefault(line, []).append([float(lon), float(lat)])
    features = [
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": coords}, "properties": {"name": name}}
        for name, coords in points.items()
    ]
    return {"type": "FeatureCollection", "features": features}


def _tsv(name: str) -> list[list[str]]:
    text = resources.files("sitrep.gazetteer").joinpath("data", name).read_text(encoding="utf-8")
    return [row for row in csv.reader(text.splitlines(), delimiter="\t") if row and not row[0].startswith("#")]
