"""The store interface: where documents and their records are kept and queried.

A backend (:mod:`~sitrep.store.sqlite`, :mod:`~sitrep.store.postgres`) implements
:class:`Store`. Nothing here depends on a database: the query is a plain
:class:`Query` value, and the answers are :mod:`sitrep.model` records.

Both backends keep the same numbered schema history (:class:`Migration`): version
1 the documents and records, 2 the full-text search, 3 the incidents; a new table is one
new numbered migration in each backend.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self

from sitrep.errors import StoreError
from sitrep.geo import EARTH_RADIUS_KM
from sitrep.model import Aid, Document, Event, Record, record_from_json

if TYPE_CHECKING:
    from sitrep.incidents.features import Features

Kind = Literal["event", "aid"]
BBox = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat
#: where a page ends: (event_date, event_id) of its last record; see :meth:`Store.page`
PageKey = tuple[str | None, str]
DEFAULT_WITHIN_KM = 25.0
_WORD = re.compile(r"\w+")
#: the columns of the ``documents`` table: :func:`document_row` writes them, :func:`document_from_row`
#: reads back the first eight
DOCUMENT_COLUMNS = (
    "doc_id",
    "text",
    "date",
    "lang",
    "url",
    "source",
    "title",
    "origin",
    "content_hash",
    "ingested_at",
)
#: the columns of the ``records`` table for incidents (schema 3), written by :func:`incident_row`
INCIDENT_COLUMNS = ("incident_id", "link")
#: the columns of the ``records`` table written by :func:`record_row`, in its order
RECORD_COLUMNS = (
    "event_id",
    "doc_id",
    "kind",
    "event_type",
    "sub_event_type",
    "event_date",
    "lat",
    "lon",
    "country",
    "admin1",
    "location",
    "actor1",
    "actor2",
    "fatalities",
    "injured",
    "notes",
    "json",
)


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of a backend's schema history: ``sql`` takes the schema from ``version - 1`` to ``version``."""

    version: int
    description: str
    sql: str
    fill: Callable[[Any], None] | None = None  # a step SQL alone cannot do, given the connection


@dataclass(frozen=True, slots=True)
class Stored:
    """A stored document with its records and when it was first written (ISO 8601, UTC)."""

    document: Document
    records: tuple[Record, ...]
    ingested_at: str


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
    def words(self) -> list[str]:
        """The words of ``text``, each of which a record's report or notes must hold."""
        return _WORD.findall(self.text or "")

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

    #: where the store is, fit to show (a path, or a URL without its password)
    location: str

    @abstractmethod
    def add(
        self,
        document: Document,
        records: Sequence[Record],
        *,
        force: bool = False,
        ingested_at: str | None = None,
    ) -> Outcome:
        """Store ``document`` with ``records``, atomically.

        A document already stored with the same content is left as it is
        (unless ``force``); one with the same id and new content has its records
        replaced. Either the whole document is written or nothing is; a reader
        never sees part of one. ``ingested_at`` (default: now) is kept as given,
        so that a copied store keeps its history.
        """

    def add_many(self, entries: Sequence[Stored], *, force: bool = False) -> list[Outcome]:
        """Store several documents, each as :meth:`add` does (keeping their ``ingested_at``).

        The backends write them in one transaction, all or none: far fewer commits
        than one :meth:`add` each when a whole store is copied.
        """
        return [self.add(e.document, e.records, force=force, ingested_at=e.ingested_at) for e in entries]

    @abstractmethod
    def stored(self) -> Iterator[Stored]:
        """Every stored document with its records (in their stored order), by document id."""

    @property
    @abstractmethod
    def schema_version(self) -> int:
        """The schema version the database has reached (0 for an empty one)."""

    @abstractmethod
    def migrate(self, target: int | None = None) -> list[int]:
        """Apply the missing migrations up to ``target`` (default: the latest); return the versions applied."""

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

    def linking(self, keys: Collection[str]) -> contextlib.AbstractContextManager[None]:
        """Hold the place cells ``keys`` while one document's events are linked, so that writers linking
        events of one place take turns and each sees the other's events. A store that one process writes
        at a time needs nothing (this default); the PostgreSQL store takes advisory locks."""
        return contextlib.nullcontext()

    @abstractmethod
    def link_state(self) -> list[tuple[Features, str | None]]:
        """The linking features and the incident of every stored event (what a rebuild reads)."""

    @abstractmethod
    def refresh_link_features(self) -> int:
        """Derive every stored event's linking features and index keys again from its record (what a
        rebuild does first, so that changed rules or language data apply to the events stored before);
        write those that changed, atomically, and return how many did."""

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


def check_unique_ids(document: Document, records: Sequence[Record]) -> None:
    """Refuse a document whose records share an event id: it would be stored half."""
    ids = [r.event_id for r in records]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise StoreError(
            f"{describe([document])} not stored: several records share the event_id {', '.join(twice)}"
        )


def describe(documents: Sequence[Document]) -> str:
    """``document ID (origin)`` for one document, ``N documents (ID … ID)`` for several."""
    if len(documents) == 1:
        return f"document {documents[0].doc_id} ({documents[0].origin or 'no origin'})"
    return f"{len(documents)} documents ({documents[0].doc_id} … {documents[-1].doc_id})"


def now() -> str:
    """The current UTC time as stored in ``ingested_at``."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


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


def document_row(entry: Stored) -> tuple[Any, ...]:
    """The values of :data:`DOCUMENT_COLUMNS` for ``entry``'s document."""
    d = entry.document
    return (
        d.doc_id,
        d.text,
        d.date,
        d.lang,
        d.url,
        d.source,
        d.title,
        d.origin,
        content_hash(d),
        entry.ingested_at,
    )


def document_from_row(row: Sequence[Any]) -> Document:
    """The document of a row of the first eight :data:`DOCUMENT_COLUMNS`."""
    doc_id, text, date, lang, url, source, title, origin = row[:8]
    return Document(
        text=text, doc_id=doc_id, date=date, lang=lang, url=url, source=source, title=title, origin=origin
    )


def incident_row(record: Record) -> tuple[str | None, str | None]:
    """The values of :data:`INCIDENT_COLUMNS` for a new ``record``: an event is an incident of its own
    until it is linked, with its linking features serialised beside it; an aid record has neither."""
    from sitrep.incidents.features import dumps, features, incident_id_of

    if isinstance(record, Event):
        return incident_id_of(record.event_id), dumps(features(record))
    return None, None


#: an event whose linking features changed: its id, the new :func:`~sitrep.incidents.features.dumps` and its
#: index keys as ``link_keys`` rows (key, first_day, last_day, event_id)
Refreshed = tuple[str, str, list[tuple[str, int, int, str]]]


def refreshed_features(rows: Iterable[tuple[str, str | dict[str, Any], str | None]]) -> list[Refreshed]:
    """Of stored events given as (event id, record JSON, stored features), those whose features the
    current rules derive differently, with what to store instead (see :meth:`Store.refresh_link_features`)."""
    from sitrep.incidents.features import dumps, features, index_keys

    out: list[Refreshed] = []
    for event_id, data, link in rows:
        record = record_from_json(json.loads(data) if isinstance(data, str) else data)
        if not isinstance(record, Event):
            continue
        f = features(record)
        text = dumps(f)
        if text == link:
            continue
        keys = [] if f.first_day is None or f.last_day is None else [
            (key, f.first_day, f.last_day, event_id) for key in index_keys(f)]
        out.append((event_id, text, keys))
    return out


#: what :func:`members` reads, after the incident query's ``FROM records r JOIN documents d``
MEMBER_COLUMNS = "r.json, r.incident_id, d.source, d.date, d.lang, d.ingested_at, d.url"


def members_sql(incidents: str) -> str:
    """The members of the incidents ``incidents`` (an SQL list: :func:`matching_incidents`, or one
    parameter in brackets)."""
    return (
        f"SELECT {MEMBER_COLUMNS} FROM records r JOIN documents d ON d.doc_id = r.doc_id "
        f"WHERE r.incident_id IN {incidents} ORDER BY r.incident_id, r.event_id"
    )


def matching_incidents(condition: str) -> str:
    """The incidents of which an event matches ``condition`` (over ``records r``), as an SQL sub-query."""
    return f"(SELECT incident_id FROM records r WHERE {condition})"


_NO_INCIDENT = '"incident_id": null'


def with_incident(text: str, incident: str | None) -> str:
    """The stored JSON of a record with its current incident (kept in its own column), parsed only when
    the text cannot simply be patched. A quote inside a JSON string is escaped, so the key's text can only
    be the record's own key."""
    if incident is None:
        return text
    if text.count(_NO_INCIDENT) == 1:
        return text.replace(_NO_INCIDENT, f'"incident_id": {json.dumps(incident)}')
    data = json.loads(text)
    if data.get("kind") != "event":
        return text
    data["incident_id"] = incident
    return json.dumps(data, ensure_ascii=False)


def stored_record(data: str, incident: str | None) -> Record:
    """A record from its stored JSON, with the incident its row holds (set after it was written)."""
    record = record_from_json(json.loads(data))
    if isinstance(record, Event) and incident is not None:
        return record.with_(incident_id=incident)
    return record


def members(rows: Iterable[Sequence[Any]]) -> list[Member]:
    """:class:`Member` values from rows of :data:`MEMBER_COLUMNS`."""
    out: list[Member] = []
    for data, incident, outlet, published, lang, ingested_at, url in rows:
        event = stored_record(data, incident)
        if isinstance(event, Event):
            out.append(
                Member(event=event, outlet=outlet, published=published, lang=lang, ingested_at=ingested_at, url=url)
            )
    return out


def record_row(doc_id: str, record: Record) -> tuple[Any, ...]:
    """The values of :data:`RECORD_COLUMNS` for ``record`` of document ``doc_id``, its JSON included."""
    if record.doc_id != doc_id:
        raise StoreError(f"record {record.event_id} belongs to document {record.doc_id}, not {doc_id}")
    try:
        data = json.dumps(record.to_json(), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise StoreError(f"record {record.event_id} of document {doc_id} cannot be serialised: {e}") from e
    if isinstance(record, Event):
        loc = record.location
        return (
            record.event_id,
            record.doc_id,
            "event",
            record.event_type,
            record.sub_event_type,
            record.event_date,
            loc.latitude if loc else None,
            loc.longitude if loc else None,
            loc.country if loc else None,
            loc.admin1 if loc else None,
            loc.name if loc else None,
            record.actor1,
            record.actor2,
            record.fatalities,
            record.injured,
            record.notes,
            data,
        )
    if isinstance(record, Aid):
        return (
            record.event_id,
            record.doc_id,
            "aid",
            None,
            None,
            record.event_date,
            None,
            None,
            None,
            None,
            None,
            record.donor,
            record.recipient,
            None,
            None,
            record.notes,
            data,
        )
    raise StoreError(f"cannot store a {type(record).__name__}: expected an Event or an Aid")
