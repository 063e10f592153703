"""The store interface: where documents and their records are kept and queried.

A backend (SQLite today, PostgreSQL later) implements :class:`Store`. Nothing
here depends on a database: the query is a plain :class:`Query` value, and the
answers are :mod:`sitrep.model` records.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self

from sitrep.geo import EARTH_RADIUS_KM
from sitrep.model import Document, Event, Record

if TYPE_CHECKING:
    from sitrep.incidents.features import Features

Kind = Literal["event", "aid"]
BBox = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat
#: where a page ends: (event_date, event_id) of its last record; see :meth:`Store.page`
PageKey = tuple[str | None, str]
DEFAULT_WITHIN_KM = 25.0
MAX_LIMIT = 2**63 - 1  # the largest integer a database takes
Edge = tuple[str, str, float]  # a link between two events: (smaller event id, larger event id, score)


class Outcome(Enum):
    """What :meth:`Store.add` did with a document."""

    ADDED = "added"
    UNCHANGED = "unchanged"  # same id, same content: nothing written
    REPLACED = "replaced"  # same id, new content: its records replaced


@dataclass(frozen=True, slots=True, kw_only=True)
class Query:
    """A filter over stored records; every field left None matches everything.

    ``since``/``until`` keep records whose date overlaps the range (a month-precise
    record of 2023-02 matches ``since=2023-02-10``). ``types`` match the event
    type or the sub-event type, case-insensitively. ``actor`` is a
    case-insensitive substring of actor1 or actor2 (donor or recipient for aid).
    ``text`` must match, word by word, the report text or the record's notes.
    ``near`` (lat, lon) keeps records within ``within_km`` (default 25 km), across
    the antimeridian too, and sorts them by distance. ``bbox`` is (min_lon,
    min_lat, max_lon, max_lat) and does not cross the antimeridian. ``updated_since``
    (``YYYY-MM-DDTHH:MM:SS+00:00``, UTC) keeps the records of documents stored at or after that time.
    """

    since: str | None = None
    until: str | None = None
    types: Sequence[str] | None = None
    actor: str | None = None
    text: str | None = None
    near: tuple[float, float] | None = None
    within_km: float | None = None
    bbox: BBox | None = None
    kind: Kind | None = None
    limit: int | None = None
    updated_since: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.types, str):
            object.__setattr__(self, "types", (self.types,))
        if self.near is not None:
            lat, lon = self.near
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError(f"near: ({lat}, {lon}) is not a latitude, longitude pair")
        if self.within_km is not None and not self.within_km > 0:
            raise ValueError(f"within_km must be positive, got {self.within_km}")
        if self.bbox is not None:
            min_lon, min_lat, max_lon, max_lat = self.bbox
            if min_lon > max_lon or min_lat > max_lat:
                raise ValueError(
                    f"bbox {self.bbox}: expected min_lon,min_lat,max_lon,max_lat with min <= max"
                )
        if self.limit is not None and not 0 <= self.limit <= MAX_LIMIT:
            raise ValueError(f"limit must be between 0 and {MAX_LIMIT}, got {self.limit}")
        if self.kind is not None and self.kind not in ("event", "aid"):
            raise ValueError(f"kind must be 'event' or 'aid', got {self.kind!r}")
        if self.text is not None and not re.search(r"\w", self.text):
            raise ValueError(f"text search {self.text!r} holds no words")
        if self.updated_since is not None and not _UTC_TIME.fullmatch(self.updated_since):
            raise ValueError(f"updated_since {self.updated_since!r}: expected YYYY-MM-DDTHH:MM:SS+00:00")

    @property
    def radius_km(self) -> float:
        return self.within_km if self.within_km is not None else DEFAULT_WITHIN_KM


_UTC_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")


@dataclass(frozen=True, slots=True)
class Page:
    """One page of :meth:`Store.page`: its records and the key to pass as ``after`` for the next one
    (None on the last page)."""

    records: list[Record]
    next: PageKey | None


@dataclass(frozen=True, slots=True)
class GridCell:
    """The events of one cell of :meth:`Store.grid`: where they are on average, how many, how many killed."""

    lat: float
    lon: float
    count: int
    fatalities: int
    by_type: dict[str, int]
    event_id: str | None  # the event's id when the cell holds one event
    bbox: BBox  # the box around the cell's events (a point when they all share one place)


@dataclass(frozen=True, slots=True)
class Member:
    """An event of an incident with what its document says of where and when it was published."""

    event: Event
    outlet: str | None  # the document's source
    published: str | None  # the document's date
    lang: str | None
    ingested_at: str
    url: str | None = None


class Store(ABC):
    """Documents and their records, written one document per transaction."""

    @abstractmethod
    def add(self, document: Document, records: Sequence[Record], *, force: bool = False) -> Outcome:
        """Store ``document`` with ``records``, atomically.

        A document already stored with the same content is left as it is
        (unless ``force``); one with the same id and new content has its records
        replaced. Either the whole document is written or nothing is.
        """

    @abstractmethod
    def contains(self, document: Document) -> bool:
        """True when ``document`` is stored with this very content."""

    @abstractmethod
    def document(self, doc_id: str) -> Document | None: ...

    @abstractmethod
    def query(self, query: Query) -> Iterable[Record]:
        """The matching records. A backend should stream them (a generator over a cursor), so that an export
        of any size holds one record in memory at a time."""

    def events(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        types: Sequence[str] | None = None,
        actor: str | None = None,
        text: str | None = None,
        near: tuple[float, float] | None = None,
        within_km: float | None = None,
        bbox: BBox | None = None,
        kind: Kind | None = None,
        limit: int | None = None,
    ) -> list[Record]:
        """The records matching every given filter (see :class:`Query`), oldest first or nearest first."""
        return list(self.query(
            Query(
                since=since,
                until=until,
                types=types,
                actor=actor,
                text=text,
                near=near,
                within_km=within_km,
                bbox=bbox,
                kind=kind,
                limit=limit,
            )
        ))

    # -- incidents: what :mod:`sitrep.incidents` needs, and what serves incident queries --------------

    @abstractmethod
    def document_events(self, doc_id: str) -> list[Event]:
        """The stored events of one document (with their ``incident_id``)."""

    @abstractmethod
    def candidates(self, keys: Sequence[str], first_day: int, last_day: int) -> list[Features]:
        """The linking features of the events indexed under one of ``keys`` whose days overlap
        ``first_day``..``last_day`` (proleptic ordinals; see :func:`sitrep.incidents.features.index_keys`).

        A backend keeps :func:`sitrep.incidents.features.dumps` of each event beside it, so that no record
        needs parsing here."""

    @abstractmethod
    def links_of(self, event_ids: Sequence[str]) -> list[Edge]:
        """The stored links touching any of ``event_ids``."""

    @abstractmethod
    def link_features(self, event_ids: Sequence[str]) -> list[Features]:
        """The linking features of these events (those that are stored), by event id."""

    @abstractmethod
    def save_links(self, *, edges: Sequence[Edge], incidents: Mapping[str, str]) -> int:
        """Add ``edges`` and set the incident of each event in ``incidents``, atomically.

        Return how many events changed incident.
        """

    @abstractmethod
    def all_events(self) -> list[Event]:
        """Every stored event, with its incident."""

    @abstractmethod
    def link_state(self) -> list[tuple[Features, str | None]]:
        """The linking features and the incident of every stored event (what a rebuild reads)."""

    @abstractmethod
    def replace_links(self, *, edges: Sequence[Edge], incidents: Mapping[str, str]) -> tuple[int, int]:
        """Make ``edges`` the only links and set every event's incident, atomically.

        Return (links added, links removed).
        """

    def incident(self, incident_id: str) -> list[Member]:
        """The events of one incident, with their documents' outlets and dates (none for an unknown id).
        This default reads every incident; backends look the id up."""
        return [m for m in self.incident_members(Query()) if m.event.incident_id == incident_id]

    @abstractmethod
    def incident_members(self, query: Query) -> list[Member]:
        """Every event (with its document's outlet and date) of the incidents of which at least one event
        matches ``query`` (its ``limit`` and ``near`` ordering are left to the caller)."""

    @abstractmethod
    def page(self, query: Query, *, after: PageKey | None = None) -> Page:
        """Up to ``query.limit`` (default 100) records matching ``query``, after ``after``.

        The order is stable whatever is added meanwhile: by ``event_date`` (undated last), then
        ``event_id``; a record stored after a page was read appears in a later page if its key
        comes after the page's end. ``near`` filters by distance here and does not reorder.
        """

    def page_json(self, query: Query, *, after: PageKey | None = None) -> tuple[list[str], PageKey | None]:
        """:meth:`page` with each record as its JSON text (``Record.to_json``), for a server to pass on
        unparsed. Backends that keep the JSON override this to skip building the records."""
        page = self.page(query, after=after)
        return [json.dumps(r.to_json(), ensure_ascii=False) for r in page.records], page.next

    def version(self) -> object:
        """A value that changes whenever what the store holds changes, for caches of answers over it.
        This default is never equal to an earlier one (nothing cached); backends say better."""
        return object()

    @abstractmethod
    def record(self, event_id: str) -> Record | None:
        """The record with this id, or None."""

    @abstractmethod
    def records_of(self, doc_id: str) -> list[Record]:
        """The records of one document, in the order of :meth:`page`."""

    @abstractmethod
    def grid(self, query: Query, *, cell: float) -> list[GridCell]:
        """The located events matching ``query`` gathered in cells of ``cell`` degrees (for a map)."""

    @abstractmethod
    def count(self, *, kind: Kind | None = None) -> int:
        """How many records (of ``kind``) are stored."""

    @abstractmethod
    def stats(self) -> dict[str, Any]:
        """Counts: documents, events, incidents, aid, by_type, by_month, by_admin1."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def content_hash(document: Document) -> str:
    """A digest of everything in ``document`` that changes its records: text, date, language, metadata."""
    parts = (document.text, document.date, document.lang, document.url, document.source, document.title)
    return hashlib.sha256("\x1f".join(p or "" for p in parts).encode("utf-8")).hexdigest()


def around_boxes(lat: float, lon: float, km: float) -> list[BBox]:
    """:func:`around`, cut at the antimeridian into one or two boxes whose longitudes lie in [-180, 180]."""
    min_lon, min_lat, max_lon, max_lat = around(lat, lon, km)
    if max_lon - min_lon >= 360:
        return [(-180.0, min_lat, 180.0, max_lat)]
    if min_lon < -180:
        return [(-180.0, min_lat, max_lon, max_lat), (min_lon + 360, min_lat, 180.0, max_lat)]
    if max_lon > 180:
        return [(min_lon, min_lat, 180.0, max_lat), (-180.0, min_lat, max_lon - 360, max_lat)]
    return [(min_lon, min_lat, max_lon, max_lat)]


def around(lat: float, lon: float, km: float) -> BBox:
    """A bounding box (min_lon, min_lat, max_lon, max_lat) holding the circle of ``km`` around a point."""
    dlat = math.degrees(km / EARTH_RADIUS_KM)
    coslat = math.cos(math.radians(lat))
    dlon = 180.0 if coslat < 1e-6 or abs(lat) + dlat >= 90 else min(180.0, dlat / coslat)  # a pole inside: all
    return (lon - dlon, max(-90.0, lat - dlat), lon + dlon, min(90.0, lat + dlat))
