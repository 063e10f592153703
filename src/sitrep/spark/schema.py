"""The job's tables as Spark schemas, and the rows of records and documents.

Events and aid records keep the record contract's fields (``Event.to_json``, ``Aid.to_json``) as
columns, nested ``location``, ``claims`` and ``evidence`` as structs, plus two columns of the
lake: ``urls`` (every page the report was found at, its reprints included) and ``month`` (the
partition: ``YYYY-MM`` of the record's date, ``YYYY`` when only the year is known, else
``undated``). Reading a row back and dropping those two gives the record's JSON form again.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sitrep.model import Document, Record

UNDATED = "undated"
LAKE_COLUMNS = ("urls", "month")


def month_of(date: str | None) -> str:
    if not date:
        return UNDATED
    return date[:7]


def _types() -> Any:
    from pyspark.sql import types

    return types


@cache
def claim_type() -> Any:
    t = _types()
    return t.StructType([t.StructField(n, t.StringType()) for n in
                         ("claimant", "claimant_role", "side", "channel", "relay", "verification", "quote")])


@cache
def evidence_type() -> Any:
    t = _types()
    return t.StructType([
        t.StructField("sentence", t.StringType()), t.StructField("start", t.IntegerType()),
        t.StructField("end", t.IntegerType()), t.StructField("trigger", t.StringType()),
        t.StructField("rule", t.StringType()),
    ])


@cache
def location_type() -> Any:
    t = _types()
    s, d = t.StringType(), t.DoubleType()
    return t.StructType([
        t.StructField("name", s), t.StructField("admin1", s), t.StructField("admin2", s),
        t.StructField("country", s), t.StructField("iso2", s), t.StructField("latitude", d),
        t.StructField("longitude", d), t.StructField("geo_precision", t.IntegerType()),
        t.StructField("geonameid", t.LongType()), t.StructField("feature", s), t.StructField("source", s),
    ])


def _fields(spec: list[tuple[str, Any]]) -> Any:
    t = _types()
    lake = [("urls", t.ArrayType(t.StringType())), ("month", t.StringType())]
    return t.StructType([t.StructField(name, kind) for name, kind in spec + lake])


@cache
def event_schema() -> Any:
    t = _types()
    s, i = t.StringType(), t.IntegerType()
    return _fields([
        ("kind", s), ("doc_id", s), ("event_id", s), ("incident_id", s), ("event_type", s), ("sub_event_type", s),
        ("disorder_type", s), ("event_date", s), ("time_precision", i), ("actor1", s), ("actor2", s),
        ("location", location_type()), ("fatalities", i), ("fatalities_lower_bound", t.BooleanType()),
        ("injured", i), ("weapons", t.ArrayType(s)), ("modality", s),
        ("claims", t.ArrayType(claim_type())), ("evidence", t.ArrayType(evidence_type())),
        ("notes", s), ("confidence", t.DoubleType()),
    ])


@cache
def aid_schema() -> Any:
    t = _types()
    s, i = t.StringType(), t.IntegerType()
    return _fields([
        ("kind", s), ("doc_id", s), ("event_id", s), ("donor", s), ("recipient", s),
        ("amount", t.DoubleType()), ("currency", s), ("category", s), ("status", s),
        ("items", t.ArrayType(s)), ("event_date", s), ("time_precision", i),
        ("claims", t.ArrayType(claim_type())), ("evidence", t.ArrayType(evidence_type())),
        ("notes", s), ("confidence", t.DoubleType()),
    ])


@cache
def document_schema() -> Any:
    t = _types()
    s = t.StringType()
    dup = t.StructType([t.StructField(n, s) for n in ("doc_id", "url", "source", "origin", "match")])
    return t.StructType([
        t.StructField("doc_id", s), t.StructField("date", s), t.StructField("lang", s),
        t.StructField("url", s), t.StructField("source", s), t.StructField("title", s),
        t.StructField("origin", s), t.StructField("digest", s), t.StructField("text", s),
        t.StructField("events", t.IntegerType()), t.StructField("aid", t.IntegerType()),
        t.StructField("duplicates", t.ArrayType(dup)), t.StructField("urls", t.ArrayType(s)),
        t.StructField("month", s),
    ])


@cache
def problem_schema() -> Any:
    """The ``errors`` and ``skipped`` tables: where, what kind, why."""
    t = _types()
    s = t.StringType()
    return t.StructType([t.StructField(n, s) for n in ("where", "url", "kind", "reason")])


def _value(value: Any, kind: Any) -> Any:
    t = _types()
    if value is None:
        return None
    if isinstance(kind, t.StructType):
        return tuple(_value(value.get(f.name), f.dataType) for f in kind.fields)
    if isinstance(kind, t.ArrayType):
        return [_value(v, kind.elementType) for v in value]
    if isinstance(kind, t.DoubleType):
        return float(value)
    return value


def record_row(record: Record, urls: list[str]) -> tuple[Any, ...]:
    """A record as a row of :func:`event_schema` or :func:`aid_schema`."""
    data = record.to_json()
    data["urls"] = urls
    data["month"] = month_of(data.get("event_date"))
    schema = event_schema() if record.kind == "event" else aid_schema()
    return tuple(_value(data.get(f.name), f.dataType) for f in schema.fields)


def urls_of(doc: Document, duplicates: list[dict[str, str | None]]) -> list[str]:
    """The report's own URL first, then those of its reprints, each once."""
    urls = [doc.url] if doc.url else []
    return urls + sorted({str(d["url"]) for d in duplicates if d.get("url")} - set(urls))


def document_row(
    doc: Document, *, digest: str, events: int, aid: int, duplicates: list[dict[str, str | None]]
) -> tuple[Any, ...]:
    urls = urls_of(doc, duplicates)
    dups = [tuple(d.get(n) for n in ("doc_id", "url", "source", "origin", "match")) for d in duplicates]
    return (doc.doc_id, doc.date, doc.lang, doc.url, doc.source, doc.title, doc.origin, digest, doc.text,
            events, aid, dups, urls, month_of(doc.date))


def record_json(row: dict[str, Any]) -> dict[str, Any]:
    """The record contract's JSON form of a row read back from the lake (its lake columns dropped)."""
    return {k: v for k, v in row.items() if k not in LAKE_COLUMNS}
