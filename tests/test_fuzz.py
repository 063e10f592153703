"""Property-based fuzzing: hostile bytes, JSON, dates, Unicode, documents, queries and CLI arguments.

Nothing may raise past the error handling: readers give documents or input
errors, the pipeline gives records (a stage that raises is a failure here),
queries give records or a ValueError, the CLI gives an exit status. Records keep
their invariants: evidence offsets inside the text and pointing at the trigger as
written, coordinates on the globe, dates not after the report. Normalisation is
idempotent and its map points into the original text.

CI runs the ``ci`` profile (fixed seed, bounded examples, under two minutes);
``HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz.py`` runs a longer,
randomised session (see README).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from recordkit import event
from sitrep.cli import main
from sitrep.errors import InputError, SitrepError
from sitrep.export import write_records
from sitrep.ingest import iter_documents, parse_date
from sitrep.ingest.readers import document_from_json, read_json, read_jsonl, read_text
from sitrep.model import Document, Event, Place
from sitrep.normalize import INVISIBLE, normalize
from sitrep.pipeline import Pipeline
from sitrep.store import Query, SQLiteStore

LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"  # profiles are registered in conftest.py

# -- building blocks ----------------------------------------------------------------

INVISIBLES = ["\u200b", "\u200c", "\u200d", "\u00ad", "\ufeff", "\u200e", "\u200f", "\u202a", "\u202b",
              "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u2060", "\u061c"]
COMBINING = [chr(c) for c in range(0x0300, 0x0370)] + ["\u0306", "\u0308", "\u20dd"]
HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "i": "і", "y": "у", "K": "К",
              "H": "Н", "B": "В", "M": "М", "T": "Т"}
PLACES = ["Kharkiv", "Bakhmut", "Odesa", "Kherson", "Kyiv", "Avdiivka", "Харків", "Бахмут", "Херсон", "Донецьк",
          "Marioupol", "Zaporizhzhia", "Pokrovsk", "Belgorod", "Mariupol"]
SENTENCES = [
    "Russian forces shelled {p} on {d}, killing {n} civilians, the governor said.",
    "Ukrainian troops repelled an attack near {p} {d}; {n} soldiers were wounded.",
    "A missile strike hit {p} {d}, injuring {n} people, officials reported on Telegram.",
    "Les forces russes ont bombardé {p} {d}, faisant {n} morts, selon le gouverneur.",
    "Російські війська обстріляли {p} {d}, загинули {n} людей, повідомив голова ОВА.",
    "Российские войска обстреляли {p} {d}, погибли {n} человек, сообщил губернатор.",
    "The United States pledged ${n} million in military aid to Ukraine {d}.",
    "An explosion was heard in {p}.",
]
DATE_WORDS = ["yesterday", "today", "on Monday", "last week", "on 25 December", "on 3 March 2022", "in March",
              "вчора", "hier", "вчера", "on 31 February", "on 29 February 2023", "in 0001", "on 1 January 9999",
              "on 0 March", "tomorrow", ""]
NUMBERS = ["3", "12", "a dozen", "at least 15", "0", "99999999999999999999999", "-4", "1,000", "три", "dix", "٣"]


def _noisy(text: str, data: st.DataObject) -> str:
    """``text`` with invisible characters, combining marks and homoglyphs put inside its words."""
    out = []
    for ch in text:
        out.append(data.draw(st.sampled_from([HOMOGLYPHS.get(ch, ch), ch, ch, ch])))
        roll = data.draw(st.integers(0, 19))
        if roll == 0:
            out.append(data.draw(st.sampled_from(INVISIBLES)))
        elif roll == 1 and ch.isalpha():
            out.append(data.draw(st.sampled_from(COMBINING)))
    return "".join(out)


report_dates = st.one_of(
    st.none(),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.isoformat()[:7]),
    st.sampled_from(["0001-01-01", "9999-12-31", "0001", "9999", "2023-02", "2022-02-24", "2023-12-31"]),
)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    data = draw(st.data())
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        sentence = draw(st.sampled_from(SENTENCES)).format(
            p=draw(st.sampled_from(PLACES)), d=draw(st.sampled_from(DATE_WORDS)), n=draw(st.sampled_from(NUMBERS))
        )
        parts.append(_noisy(sentence, data) if draw(st.booleans()) else sentence)
        parts.append(draw(st.sampled_from([" ", "\n", "\n\n", "\u2028", " \u200f", "\r\n"])))
    if draw(st.integers(0, 4)) == 0:  # now and then some raw Unicode
        parts.append(draw(st.text(max_size=60)))
    text = "".join(parts).strip()
    assume(text)
    return Document(text=text, date=draw(report_dates), lang=draw(st.sampled_from([None, "en", "fr", "uk", "ru"])))


# -- readers ---------------------------------------------------------------------------


@given(st.binary(max_size=400))
def test_readers_take_any_bytes(data: bytes) -> None:
    for reader in (read_text, read_json):
        for item in reader("f", data):
            assert isinstance(item, Document | InputError)
    for item in read_jsonl("f", io.BytesIO(data)):
        assert isinstance(item, Document | InputError)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
record_like = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values | st.text(max_size=10), "text": json_values | st.text(min_size=1, max_size=80),
        "date": json_values | report_dates | st.text(max_size=12), "doc_date": json_values,
        "lang": json_values | st.sampled_from(["en", "EN", "uk-UA", "de", "", "x" * 40]),
        "url": json_values, "source": json_values, "title": json_values,
    },
)


@given(st.one_of(record_like, json_values))
def test_json_records_become_documents_or_errors(value: object) -> None:
    item = document_from_json("f:1", value)
    assert isinstance(item, Document | InputError)
    line = json.dumps(value).encode() + b"\n"
    for got in read_jsonl("f", io.BytesIO(line + b"[" * 5000 + b"\n" + b'{"a":' * 3000 + b"\n")):
        assert isinstance(got, Document | InputError)


@given(st.text(max_size=40) | st.from_regex(r"\d{1,5}(-\d{1,3}){0,2}([T ]\d\d:\d\d.*)?", fullmatch=True))
def test_dates_parse_or_say_why(value: str) -> None:
    try:
        parsed = parse_date(value)
    except ValueError as e:
        assert "invalid date" in str(e)
        return
    year = int(parsed[:4])
    assert 1 <= year <= 9999 and len(parsed) in (4, 7, 10)


@given(st.binary(max_size=200), st.sampled_from([".txt", ".json", ".jsonl", ".ndjson", ".md", ""]))
def test_files_of_any_content(tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str) -> None:
    folder = tmp_path_factory.mktemp("f")
    (folder / f"x{suffix}").write_bytes(data)
    for item in iter_documents([str(folder), str(folder / f"x{suffix}")]):
        assert isinstance(item, Document | InputError)


# -- normalisation ---------------------------------------------------------------------

unicode_text = st.text(
    st.one_of(
        st.characters(),
        st.sampled_from(INVISIBLES + COMBINING + list(HOMOGLYPHS.values()) + ["\u1100", "\u1161", "\u11a8", "e"]),
    ),
    max_size=80,
)


@given(unicode_text)
def test_normalisation_is_idempotent_and_maps_into_the_original(text: str) -> None:
    n = normalize(text)
    assert n.text == unicodedata.normalize("NFC", INVISIBLE.sub("", text))
    assert normalize(n.text).text == n.text and normalize(n.text).identity
    assert INVISIBLE.search(n.text) is None
    last = 0
    for i in range(len(n.text)):
        start, end = n.span(i, i + 1)
        assert 0 <= start < end <= len(text) and start >= last
        assert n.text[i] in normalize(text[start:end]).text
        last = start
    start, end = n.span(0, len(n.text))
    assert normalize(text[start:end]).text == n.text


# -- the pipeline ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pipeline(gaz_path: Path) -> Pipeline:
    return Pipeline()


def _after(value: str, report: str) -> bool:
    """``value`` begins after the report's period: after its month or year, or more than a day after its day."""
    if len(report) < 10:
        k = min(len(value), len(report))
        return value[:k] > report[:k]
    start = dt.date.fromisoformat((value + "-01-01")[:10])
    return (start - dt.date.fromisoformat(report)).days > 1


@pytest.mark.slow
@settings(max_examples=1500 if LONG else 60)
@given(doc=documents())
# found by the long session: an explicit date years after the report dated the event after its report
@example(doc=Document(text="Russian forces shelled Kharkiv on 3 March 2022, killing 3 civilians.", date="2000-01-01"))
@example(doc=Document(text="Russian forces shelled Kharkiv in March, killing 3 civilians.", date="0001-01-01"))
def test_pipeline_records_keep_their_invariants(pipeline: Pipeline, doc: Document) -> None:
    records = pipeline.extract(doc)  # an ExtractionError (a stage raised) fails the test
    for record in records:
        json.dumps(record.to_json(), allow_nan=False)
        assert record.doc_id == doc.doc_id
        for e in record.evidence:
            assert 0 <= e.start <= e.end <= len(doc.text)
            assert doc.text[e.start : e.end] == e.trigger
            assert e.sentence in doc.text
        assert record.time_precision in (None, 1, 2, 3)
        if record.event_date:
            parse_date(record.event_date)  # a real date: no year 0000, no 31 February
        if record.event_date and doc.date:  # not after the report (a day's grace for time zones)
            assert not _after(record.event_date, doc.date), (record.event_date, doc.date)
        if isinstance(record, Event):
            assert record.fatalities is None or record.fatalities >= 0
            assert record.injured is None or record.injured >= 0
            loc = record.location
            if loc is not None and loc.latitude is not None and loc.longitude is not None:
                assert -90 <= loc.latitude <= 90 and -180 <= loc.longitude <= 180
                assert math.isfinite(loc.latitude) and math.isfinite(loc.longitude)
    with SQLiteStore(":memory:") as store:  # and they go through the store and out as CSV
        store.add(doc, records)
        assert sorted(r.event_id for r in store.query(Query())) == sorted(r.event_id for r in records)
        assert write_records(store.query(Query()), "csv", io.StringIO()) == len(records)


# -- the query layer and the CLI ------------------------------------------------------------


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "s.db"
    with SQLiteStore(path) as store:
        for i, (name, lat, lon) in enumerate([("Kharkiv", 49.99, 36.23), ("Suva", -18.14, 178.44),
                                              ("Taveuni", -16.8, -179.97), ("Pole", 89.99, 10.0)]):
            record = event(f"d{i}", None, actor1=f"Actor \"{i}\" OR *", notes=f"Shelling in {name} =1+1").with_(
                location=Place(name=name, latitude=lat, longitude=lon))
            store.add(Document(text=f"Shelling hit {name}. NEAR(\"x\" y) AND -z", doc_id=f"d{i}", date="2023-02-13"),
                      [record])
    return path


filters = st.fixed_dictionaries({}, optional={
    "since": st.text(max_size=12) | report_dates, "until": st.text(max_size=12) | report_dates,
    "types": st.lists(st.text(max_size=20), max_size=3), "actor": st.text(max_size=20),
    "text": unicode_text, "near": st.tuples(st.floats(-100, 100), st.floats(-200, 200)),
    "within_km": st.floats(allow_nan=True, allow_infinity=True), "kind": st.sampled_from(["event", "aid", "x"]),
    "bbox": st.tuples(*[st.floats(-200, 200)] * 4), "limit": st.integers(-5, 2**64),
})


@given(filters)
def test_queries_give_records_or_a_value_error(store_path: Path, kwargs: dict[str, object]) -> None:
    try:
        query = Query(**kwargs)  # type: ignore[arg-type]
    except ValueError:
        return
    with SQLiteStore(store_path, write=False) as store:
        for record in store.query(query):
            assert record.doc_id.startswith("d")


OPTIONS = ["--since", "--until", "--type", "--actor", "--text", "--near", "--within", "--bbox", "--kind",
           "--limit", "--format", "-o", "--db", "-f"]
arg_values = st.one_of(st.text(max_size=15), st.sampled_from(
    ["0", "-1", "99999999999999999999999", "nan", "inf", "1e309", "Kharkiv", "179.9,-16.5", "0,0,0,0",
     "csv", "geojson", "postgresql://u:p@h/db", "/nonexistent/dir/x", "-", ".", "2023-02-30", "0000"]))


@given(st.sampled_from(["events", "export", "stats"]), st.lists(st.tuples(st.sampled_from(OPTIONS), arg_values),
                                                                 max_size=4))
def test_cli_arguments_end_with_a_status(
    store_path: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str],
    command: str, options: list[tuple[str, str]],
) -> None:
    argv = [command, "--db", str(store_path)]
    for name, value in options:
        if name in ("-o",) or (name == "--db" and value not in ("-", ".")):
            value = str(tmp_path_factory.mktemp("o") / value.replace("/", "_")[:20]) if value else value
        argv += [name, value]
    try:
        status = main(argv)
    except SystemExit as e:  # argparse's own exits are turned into statuses by main
        pytest.fail(f"SystemExit {e.code} escaped main for {argv}")
    except SitrepError as e:
        pytest.fail(f"{e!r} escaped main for {argv}")
    out = capsys.readouterr()
    assert status in (0, 1, 2), (status, argv)
    assert "Traceback" not in out.err
