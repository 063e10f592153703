"""The store interface: where documents and their records are kept and queried.

A backend (SQLite today, PostgreSQL later) implements :class:`Store`. Nothing
here depends on a database: the query is a plain :class:`Query` value, and the
answers are :mod:`sitrep.model` records.
"""

from __future__ import annotations

import hashlib
import math
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
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
DEFAULT_WITHIN_KM = 25.0
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
    ``near`` (lat, lon) keeps records within ``within_km`` (default 25 km) and
    sorts them by distance. ``bbox`` is (min_lon, min_lat, max_lon, max_lat) and
    does not cross the antimeridian.
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
        if self.limit is not None and self.limit < 0:
            raise ValueError(f"limit must be zero or more, got {self.limit}")
        if self.kind is not None and self.kind not in ("event", "aid"):
            raise ValueError(f"kind must be 'event' or 'aid', got {self.kind!r}")
        if self.text is not None and not re.search(r"\w", self.text):
            raise ValueError(f"text search {self.text!r} holds no words")

    @property
    def radius_km(self) -> float:
        return self.within_km if self.within_km is not None else DEFAULT_WITHIN_KM


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
    def query(self, query: Query) -> list[Record]: ...

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
        return self.query(
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
        )

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

    @abstractmethod
    def incident_members(self, query: Query) -> list[Member]:
        """Every event (with its document's outlet and date) of the incidents of which at least one event
        matches ``query`` (its ``limit`` and ``near`` ordering are left to the caller)."""

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


def around(lat: float, lon: float, km: float) -> BBox:
    """A bounding box (min_lon, min_lat, max_lon, max_lat) holding the circle of ``km`` around a point."""
    dlat = math.degrees(km / EARTH_RADIUS_KM)
    coslat = math.cos(math.radians(lat))
    dlon = 180.0 if coslat < 1e-6 else min(180.0, dlat / coslat)
    return (lon - dlon, max(-90.0, lat - dlat), lon + dlon, min(90.0, lat + dlat))
