"""The filters of ``sitrep events`` as query parameters, parsed into a :class:`~sitrep.store.Query`.

Each bad value is a :class:`~sitrep.server.problems.Problem` (400) naming its parameter.
Cursors are opaque to clients: the key of a page's last record, as base64url JSON.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
from typing import Annotated, Any, Literal, cast

from fastapi import Depends, Request
from fastapi import Query as Param

from sitrep.ingest.dates import parse_date
from sitrep.server.problems import Problem
from sitrep.store import PageKey, Query, Store

MAX_LIMIT = 1000

DATE_PATTERN = r"^\s*\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}.*)?)?)?\s*$|^$"
Since = Annotated[
    str | None,
    Param(
        description="records dated on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)",
        pattern=DATE_PATTERN,
        examples=["2023-02-01"],
    ),
]
Until = Annotated[
    str | None,
    Param(description="records dated on or before this date", pattern=DATE_PATTERN, examples=["2023-03"]),
]
Types = Annotated[
    list[str] | None,
    Param(
        alias="type",
        description="event type or sub-event type (repeat the parameter or separate with commas)",
        examples=[["Battles"]],
    ),
]
Actor = Annotated[str | None, Param(description="actor1 or actor2 contains this (case-insensitive)")]
Text = Annotated[str | None, Param(description="words that must all appear in the report or the record's notes")]
Near = Annotated[str | None, Param(description="a place name or lat,lon", examples=["Bakhmut", "48.59,38.00"])]
Within = Annotated[float | None, Param(description="radius around near in km (default 25)", gt=0, le=20000)]
BBoxParam = Annotated[
    str | None,
    Param(
        description="bounding box: min_lon,min_lat,max_lon,max_lat",
        pattern=r"^\s*([-+]?[0-9.eE+-]+\s*,\s*){3}[-+]?[0-9.eE+-]+\s*$|^$",
        examples=["37,47.5,39,49"],
    ),
]
Kind = Annotated[Literal["event", "aid"] | None, Param(description="only events or only aid records")]
UpdatedSince = Annotated[
    str | None,
    Param(
        description="records of documents stored at or after this time (ISO 8601; UTC when no offset); "
        "pass the `as_of` of an earlier answer to fetch what changed since",
        examples=["2026-12-01T00:00:00Z"],
    ),
]


def filters(
    since: Since = None,
    until: Until = None,
    types: Types = None,
    actor: Actor = None,
    text: Text = None,
    near: Near = None,
    within: Within = None,
    bbox: BBoxParam = None,
    kind: Kind = None,
    updated_since: UpdatedSince = None,
) -> Query:
    """The :class:`Query` of the filter parameters (no limit). An empty value is no filter, as in a form."""
    since, until, actor, text, near, bbox, updated_since = (
        v if v is not None and v.strip() else None for v in (since, until, actor, text, near, bbox, updated_since)
    )
    wanted = [t.strip() for value in types or () for t in value.split(",") if t.strip()] or None
    if within is not None and near is None:
        raise Problem(400, "within needs near", param="within")
    try:
        return Query(
            since=_date("since", since),
            until=_date("until", until),
            types=wanted,
            actor=_words("actor", actor),
            text=_words("text", text),
            near=_point(near) if near is not None else None,
            within_km=within,
            bbox=parse_bbox(bbox) if bbox is not None else None,
            kind=kind,
            updated_since=_utc("updated_since", updated_since),
        )
    except ValueError as e:
        param = "text" if "text search" in str(e) else "query"
        raise Problem(400, str(e), param=param) from e


def _date(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as e:
        raise Problem(400, f"{name}: {e}", param=name) from e


def _words(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    if "\x00" in value or not value.strip():
        raise Problem(400, f"{name}: expected some text", param=name)
    return value.strip()


def _utc(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as e:
        raise Problem(400, f"{name}: {value!r} is not an ISO 8601 time such as 2026-12-01T08:00:00Z", param=name) from e
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    try:
        return when.astimezone(dt.UTC).isoformat(timespec="seconds")
    except (OverflowError, ValueError) as e:
        raise Problem(400, f"{name}: {value!r} is out of range", param=name) from e


def _point(value: str) -> tuple[float, float]:
    from sitrep.gazetteer import point_of

    if "\x00" in value or not value.strip():
        raise Problem(400, "near: expected a place name or lat,lon", param="near")
    try:
        return point_of(value)
    except ValueError as e:
        raise Problem(400, f"near: {e}", param="near") from e


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    try:
        box = tuple(float(p) for p in value.split(","))
    except ValueError:
        box = ()
    if len(box) != 4 or not all(math.isfinite(v) for v in box):
        raise Problem(400, f"bbox: expected min_lon,min_lat,max_lon,max_lat, got {value!r}", param="bbox")
    min_lon, min_lat, max_lon, max_lat = box
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise Problem(
            400,
            f"bbox: {value!r} is not min_lon,min_lat,max_lon,max_lat with -180 <= lon <= 180, -90 <= lat <= 90 "
            "and min <= max",
            param="bbox",
        )
    return min_lon, min_lat, max_lon, max_lat


def encode_cursor(key: PageKey) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def decode_cursor(value: str) -> PageKey:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        date, event_id = json.loads(raw)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as e:
        raise Problem(400, "cursor: not a cursor this server gave; pass the `next` of a page", param="cursor") from e
    if not (date is None or isinstance(date, str)) or not isinstance(event_id, str):
        raise Problem(400, "cursor: not a cursor this server gave; pass the `next` of a page", param="cursor")
    return date, event_id


class _ThreadStore:
    """The store of whichever thread uses it. FastAPI may run a dependency, the endpoint and each step
    of a streamed answer in different worker threads, and an SQLite connection must stay in one."""

    def __init__(self, stores: Any) -> None:
        self._stores = stores

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stores.get(), name)


async def get_store(request: Request) -> Store:
    """The store, as seen from the thread that uses it."""
    return cast(Store, _ThreadStore(request.app.state.stores))


StoreDep = Annotated[Store, Depends(get_store)]
QueryDep = Annotated[Query, Depends(filters)]
