"""Writing records out: JSON Lines, JSON, CSV with ACLED's columns, GeoJSON, a terminal table.

:func:`write_records` streams: it consumes the records one at a time, so an
export of a large store or a long extraction never holds them all in memory.

The CSV uses ACLED's column names wherever the field exists in ACLED
(:data:`ACLED_COLUMNS`), then sitrep's own (:data:`EXTRA_COLUMNS`). Dates are
written as full days, a month- or year-precise date as its first day, with
``time_precision`` saying which (1 day, 2 week, 3 month or year), as ACLED does.
``source`` joins the outlets and claimants of the record's claims. Text cells that a
spreadsheet would run as a formula are quoted (:func:`spreadsheet_safe`).
GeoJSON holds one Point feature per record with coordinates; the others are
counted in a warning on this module's logger.

:func:`write_incidents` writes incident records (:mod:`sitrep.incidents.record`) in
the same formats; their CSV puts the outlets of every report in ``source``
("Suspilne; Ukrinform"), as ACLED does, and the best killed figure in ``fatalities``.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import shutil
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Literal, Protocol, TextIO

from sitrep.model import Aid, Event, Record

if TYPE_CHECKING:
    from sitrep.incidents.record import Incident

log = logging.getLogger(__name__)

Format = Literal["jsonl", "json", "csv", "geojson", "table"]
FORMATS: tuple[str, ...] = ("table", "jsonl", "json", "csv", "geojson")

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
)
EXTRA_COLUMNS: tuple[str, ...] = (
    "incident_id",
    "injured",
    "doc_id",
    "kind",
    "claimant",
    "verification",
    "modality",
    "weapons",
    "confidence",
    "donor",
    "recipient",
    "amount",
    "currency",
    "aid_category",
    "aid_status",
    "aid_items",
)
CSV_COLUMNS: tuple[str, ...] = ACLED_COLUMNS + EXTRA_COLUMNS
INCIDENT_COLUMNS: tuple[str, ...] = ACLED_COLUMNS + (
    "incident_id",
    "fatalities_low",
    "fatalities_high",
    "injured",
    "injured_low",
    "injured_high",
    "verification",
    "reports",
    "first_reported",
    "last_updated",
    "claimants",
    "weapons",
    "event_ids",
)


class Item(Protocol):
    """What the writers need of a record or an incident."""

    def to_json(self) -> dict[str, Any]: ...


Row = Callable[[Any], dict[str, Any]]


def write_records(records: Iterable[Record], fmt: str, stream: TextIO) -> int:
    """Write ``records`` to ``stream`` in ``fmt`` (one of :data:`FORMATS`); return how many were written.

    For GeoJSON the count is of features written (records with coordinates).
    """
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return writer(records, stream, acled_row, CSV_COLUMNS)


def write_incidents(incidents: Iterable[Incident], fmt: str, stream: TextIO) -> int:
    """Write incident records to ``stream`` in ``fmt`` (one of :data:`FORMATS`); return how many."""
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return writer(incidents, stream, incident_row, INCIDENT_COLUMNS)


def incident_row(incident: Incident) -> dict[str, Any]:
    """The flat row of an incident under :data:`INCIDENT_COLUMNS`."""
    row: dict[str, Any] = dict.fromkeys(INCIDENT_COLUMNS)
    loc = incident.location
    claimants: list[str] = []
    for s in incident.sources:
        if s.claimant and s.claimant not in claimants:
            claimants.append(s.claimant)
    row.update(
        event_id_cnty=incident.incident_id,
        event_date=_full_date(incident.event_date),
        year=int(incident.event_date[:4]) if incident.event_date else None,
        time_precision=incident.time_precision,
        disorder_type=incident.disorder_type or None,
        event_type=incident.event_type,
        sub_event_type=incident.sub_event_type,
        actor1=incident.actor1,
        actor2=incident.actor2,
        source="; ".join(incident.outlets) or None,
        notes=incident.notes or None,
        fatalities=incident.killed.best,
        incident_id=incident.incident_id,
        fatalities_low=incident.killed.low,
        fatalities_high=incident.killed.high,
        injured=incident.injured.best,
        injured_low=incident.injured.low,
        injured_high=incident.injured.high,
        verification=incident.verification,
        reports=len({s.doc_id for s in incident.sources}),
        first_reported=incident.first_reported,
        last_updated=incident.last_updated,
        claimants="; ".join(claimants) or None,
        weapons="; ".join(incident.weapons) or None,
        event_ids="; ".join(incident.event_ids),
    )
    if loc is not None:
        row.update(
            country=loc.country,
            admin1=loc.admin1,
            admin2=loc.admin2,
            location=loc.name,
            latitude=loc.latitude,
            longitude=loc.longitude,
            geo_precision=loc.geo_precision,
        )
    return row


def acled_row(record: Record) -> dict[str, Any]:
    """The flat row of ``record`` under :data:`CSV_COLUMNS` (None where it has no value)."""
    row: dict[str, Any] = dict.fromkeys(CSV_COLUMNS)
    first_claim = record.claims[0] if record.claims else None
    notes = record.notes or (record.evidence[0].sentence if record.evidence else "")
    row.update(
        event_id_cnty=record.event_id,
        incident_id=record.incident_id if isinstance(record, Event) else None,
        event_date=_full_date(record.event_date),
        year=int(record.event_date[:4]) if record.event_date else None,
        time_precision=record.time_precision,
        source="; ".join(_sources(record)) or None,
        notes=notes or None,
        doc_id=record.doc_id,
        kind=record.kind,
        claimant=first_claim.claimant if first_claim else None,
        verification=first_claim.verification if first_claim else None,
        confidence=round(record.confidence, 3),
    )
    if isinstance(record, Event):
        loc = record.location
        row.update(
            disorder_type=record.disorder_type or None,
            event_type=record.event_type,
            sub_event_type=record.sub_event_type,
            actor1=record.actor1,
            actor2=record.actor2,
            fatalities=record.fatalities,
            injured=record.injured,
            modality=record.modality,
            weapons="; ".join(record.weapons) or None,
        )
        if loc is not None:
            row.update(
                country=loc.country,
                admin1=loc.admin1,
                admin2=loc.admin2,
                location=loc.name,
                latitude=loc.latitude,
                longitude=loc.longitude,
                geo_precision=loc.geo_precision,
            )
    elif isinstance(record, Aid):
        row.update(
            donor=record.donor,
            recipient=record.recipient,
            amount=record.amount,
            currency=record.currency,
            aid_category=record.category,
            aid_status=record.status,
            aid_items="; ".join(record.items) or None,
        )
    return row


def _write_jsonl(records: Iterable[Item], stream: TextIO, _row: Row, _columns: tuple[str, ...]) -> int:
    n = 0
    for record in records:
        stream.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
        n += 1
    return n


def _write_json(records: Iterable[Item], stream: TextIO, _row: Row, _columns: tuple[str, ...]) -> int:
    n = 0
    stream.write("[")
    for record in records:
        stream.write(",\n" if n else "\n")
        stream.write(_indent(json.dumps(record.to_json(), ensure_ascii=False, indent=2)))
        n += 1
    stream.write("\n]\n" if n else "]\n")
    return n


def iter_csv(records: Iterable[Item], to_row: Row = acled_row, columns: tuple[str, ...] = CSV_COLUMNS) -> Iterator[str]:
    """The CSV of ``records`` (ACLED's columns), a header line then one line per record, lazily."""
    buf = io.StringIO()
    # CRLF rows (RFC 4180): the writer then quotes every cell holding a CR or an LF
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    yield _drain(buf)
    for record in records:
        writer.writerow({key: spreadsheet_safe(value) for key, value in to_row(record).items()})
        yield _drain(buf)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """``value`` as a CSV cell that no spreadsheet runs as a formula (OWASP's rule for CSV injection):
    text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``.

    Numbers are left as numbers (a longitude of -71.2 stays a number); only text is guarded, since a
    report, a doc_id or a claimant's name is what an attacker controls.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def iter_geojson(records: Iterable[Item], to_row: Row = acled_row, counts: list[int] | None = None) -> Iterator[str]:
    """A GeoJSON FeatureCollection of the located ``records``, piece by piece, lazily.

    ``counts``, when given, ends as [features written, records left out for want of coordinates].
    """
    written = skipped = 0
    yield '{"type": "FeatureCollection", "features": ['
    for record in records:
        row = to_row(record)
        lat, lon = row["latitude"], row["longitude"]
        if lat is None or lon is None:
            skipped += 1
            continue
        feature = {
            "type": "Feature",
            "id": row["event_id_cnty"],
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": row,
        }
        yield (",\n" if written else "\n") + json.dumps(feature, ensure_ascii=False)
        written += 1
    yield "\n]}\n"
    if counts is not None:
        counts[:] = [written, skipped]


def _write_csv(records: Iterable[Item], stream: TextIO, to_row: Row, columns: tuple[str, ...]) -> int:
    lines = iter_csv(records, to_row, columns)
    stream.write(next(lines))
    n = 0
    for line in lines:
        stream.write(line)
        n += 1
    return n


def _write_geojson(records: Iterable[Item], stream: TextIO, to_row: Row, _columns: tuple[str, ...]) -> int:
    counts = [0, 0]
    for piece in iter_geojson(records, to_row, counts):
        stream.write(piece)
    written, skipped = counts
    if skipped:
        log.warning("GeoJSON: %d record(s) without coordinates left out (%d written)", skipped, written)
    return written


def _drain(buf: io.StringIO) -> str:
    text = buf.getvalue()
    buf.seek(0)
    buf.truncate()
    return text


# column title, width, value
_TABLE: tuple[tuple[str, int, Callable[[dict[str, Any]], Any]], ...] = (
    ("date", 10, lambda r: r["event_date"]),
    ("type", 26, lambda r: r["sub_event_type"] or f"Aid ({r['aid_status']})"),
    ("location", 22, lambda r: ", ".join(x for x in (r["location"], r["admin1"]) if x)),
    ("actor1 / donor", 24, lambda r: r["actor1"] or r["donor"]),
    ("actor2 / recipient", 24, lambda r: r["actor2"] or r["recipient"]),
    ("killed", 6, lambda r: r["fatalities"]),
    ("injured", 7, lambda r: r["injured"]),
    ("amount", 16, lambda r: _amount(r)),
    ("claimant", 20, lambda r: r["claimant"] or r.get("claimants")),
)


def _write_table(records: Iterable[Item], stream: TextIO, to_row: Row, _columns: tuple[str, ...]) -> int:
    width = shutil.get_terminal_size((160, 24)).columns
    columns = list(_TABLE)
    while len(columns) > 3 and sum(w + 2 for _, w, _ in columns) > width:
        columns.pop()
    stream.write(_table_line([(title, w) for title, w, _ in columns]))
    stream.write(_table_line([("-" * w, w) for _, w, _ in columns]))
    n = 0
    for record in records:
        row = {**dict.fromkeys(CSV_COLUMNS), **to_row(record)}
        row["event_date"] = record.to_json()["event_date"]  # as precise as the report: 2023-02 stays 2023-02
        cells = []
        for _, w, get in columns:
            value = get(row)
            cells.append(("" if value is None else str(value), w))
        stream.write(_table_line(cells))
        n += 1
    stream.write(f"({n} record{'s' if n != 1 else ''})\n")
    return n


def _table_line(cells: list[tuple[str, int]]) -> str:
    parts = []
    for text, width in cells:
        text = " ".join(text.split())
        if len(text) > width:
            text = text[: width - 1] + "…"
        parts.append(text.ljust(width))
    return "  ".join(parts).rstrip() + "\n"


def _amount(row: dict[str, Any]) -> str | None:
    """A short amount for the table: 2.5 bn USD, 400 m EUR, 12,000 UAH."""
    if row["amount"] is None:
        return None
    amount = float(row["amount"])
    for scale, word in ((1e9, "bn"), (1e6, "m")):
        if abs(amount) >= scale:
            text = f"{amount / scale:.4g} {word}"
            break
    else:
        text = f"{amount:,.0f}" if amount.is_integer() else f"{amount:,.2f}"
    return f"{text} {row['currency'] or ''}".strip()


def _full_date(date: str | None) -> str | None:
    if not date:
        return None
    if len(date) == 4:
        return f"{date}-01-01"
    if len(date) == 7:
        return f"{date}-01"
    return date


def _sources(record: Record) -> list[str]:
    seen: list[str] = []
    for claim in record.claims:
        for name in (claim.relay, claim.claimant):
            if name and name not in seen:
                seen.append(name)
    return seen


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


_WRITERS: dict[str, Callable[[Iterable[Any], TextIO, Row, tuple[str, ...]], int]] = {
    "jsonl": _write_jsonl,
    "json": _write_json,
    "csv": _write_csv,
    "geojson": _write_geojson,
    "table": _write_table,
}
