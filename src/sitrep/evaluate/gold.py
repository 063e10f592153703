"""Reading what the evaluator scores against.

Four inputs, told apart by their content rather than their names:

- **event gold** (JSON Lines, the shared schema): one coded event per row, ``{"id", "text", "lang",
  "doc_date", "gold": {...}, "meta": {...}}``. Rows whose ``meta`` has a ``parallel_group`` are
  parallel translations and carry no coding.
- **toponym gold** (JSON Lines): ``{"id", "text", "lang", "toponyms": [{"start", "end", "lat", "lon", ...}]}``.
- **real reports** (JSON Lines, the ``pages`` schema of ``../shared/gold/dev/pages/README.md``): one
  report a row with all its events, ``{"id", "text", "lang", "doc_date", "events": [...],
  "not_event_locations": [...]}``.
- **the project's corpus** (a folder of ``*.json`` files, one report each, see ``eval/README.md``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sitrep.errors import EvaluationError

Kind = Literal["events", "parallel", "toponyms", "corpus", "pages"]
Half = Literal["tune", "check"]


def half(row_id: str) -> Half:
    """The fixed half of a development row: ``tune`` when the first hex digit of sha256(id) is 0–7.

    Misses are read on ``tune``; a change is judged on ``check``, which it was not fitted to.
    """
    return "tune" if hashlib.sha256(row_id.encode("utf-8")).hexdigest()[0] in "01234567" else "check"


@dataclass(frozen=True, slots=True)
class GoldRow:
    """One row of the shared event gold."""

    id: str
    text: str
    lang: str | None
    doc_date: str | None
    gold: dict[str, Any]
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ToponymRow:
    id: str
    text: str
    lang: str
    toponyms: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class PageEvent:
    """One hand-coded event of a real report."""

    place: str
    lat: float | None
    lon: float | None
    precision: str  # town | near_town | oblast | country
    event_type: str
    sub_event_type: str | None
    date: str | None
    killed: int | None
    injured: int | None
    claimant: str | None
    uncertain: bool


@dataclass(frozen=True, slots=True)
class PageRow:
    """One real report with every event coded in it."""

    id: str
    text: str
    lang: str
    doc_date: str | None
    events: tuple[PageEvent, ...]
    not_event_locations: tuple[str, ...]
    notes: str = ""


@dataclass(frozen=True, slots=True)
class ExpectedPlace:
    name: str
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None


@dataclass(frozen=True, slots=True)
class ExpectedEvent:
    """One event a corpus report must yield."""

    event_type: str
    sub_event_type: str | None
    location: ExpectedPlace
    date: str | None = None
    fatalities: int | None = None
    injured: int | None = None
    claimant: str | None = None
    verification: str | None = None
    actor1: str | None = None
    actor2: str | None = None


@dataclass(frozen=True, slots=True)
class CorpusReport:
    """One annotated report of the project's own corpus."""

    id: str
    text: str
    lang: str
    date: str | None
    expected: tuple[ExpectedEvent, ...]
    not_events: tuple[ExpectedPlace, ...] = ()
    style: str = ""  # "wire" or "telegram"


@dataclass(frozen=True, slots=True)
class Dataset:
    name: str
    kind: Kind
    rows: tuple[Any, ...]


def dataset_name(path: Path) -> str:
    name = path.name
    for suffix in (".jsonl", ".json"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name.removesuffix(".dev").removesuffix(".test")


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as e:
                    raise EvaluationError(f"{path}:{lineno}: not JSON ({e.msg})") from e
    except OSError as e:
        raise EvaluationError(f"{path}: cannot read ({e.strerror})") from e


def read_jsonl(path: Path) -> Dataset:
    """An event, parallel or toponym gold file."""
    name = dataset_name(path)
    raw = list(_read_jsonl(path))
    if not raw:
        raise EvaluationError(f"{path}: no rows")
    first = raw[0]
    if "events" in first and "not_event_locations" in first:
        return Dataset(name, "pages", tuple(_page_row(r, f"{path}:{i}") for i, r in enumerate(raw, 1)))
    if "toponyms" in first:
        toponym_rows = tuple(
            ToponymRow(id=r["id"], text=r["text"], lang=r.get("lang") or "en", toponyms=tuple(r["toponyms"]))
            for r in raw
        )
        return Dataset(name, "toponyms", toponym_rows)
    missing = [k for k in ("id", "text", "gold") if k not in first]
    if missing:
        raise EvaluationError(
            f"{path}:1: missing {', '.join(missing)}; expected the gold schema "
            '{"id", "text", "lang", "doc_date", "gold": {...}, "meta": {...}}'
        )
    rows = tuple(
        GoldRow(
            id=r["id"],
            text=r["text"],
            lang=r.get("lang"),
            doc_date=r.get("doc_date"),
            gold=r.get("gold") or {},
            meta=r.get("meta") or {},
        )
        for r in raw
    )
    kind: Kind = "parallel" if first.get("meta", {}).get("parallel_group") else "events"
    return Dataset(name, kind, rows)


def _page_row(r: dict[str, Any], where: str) -> PageRow:
    if "text" not in r:
        raise EvaluationError(
            f"{where}: no 'text'; the committed annotations hold none: re-obtain the texts and unpack them "
            "(see ../shared/gold/dev/pages/README.md)"
        )
    events = []
    for e in r.get("events") or ():
        events.append(
            PageEvent(
                place=e.get("place") or "",
                lat=e.get("lat"),
                lon=e.get("lon"),
                precision=e.get("precision") or "town",
                event_type=e.get("event_type") or "",
                sub_event_type=e.get("sub_event_type"),
                date=e.get("date"),
                killed=e.get("killed"),
                injured=e.get("injured"),
                claimant=e.get("claimant"),
                uncertain=bool(e.get("uncertain")),
            )
        )
    return PageRow(
        id=r["id"],
        text=r["text"],
        lang=r.get("lang") or "?",
        doc_date=r.get("doc_date"),
        events=tuple(events),
        not_event_locations=tuple(r.get("not_event_locations") or ()),
        notes=r.get("notes") or "",
    )


def _place(data: dict[str, Any] | str, where: str) -> ExpectedPlace:
    if isinstance(data, str):
        return ExpectedPlace(name=data)
    if "name" not in data:
        raise EvaluationError(f"{where}: a place needs a 'name'")
    return ExpectedPlace(
        name=data["name"], lat=data.get("lat"), lon=data.get("lon"), geo_precision=data.get("geo_precision")
    )


def read_report(path: Path) -> CorpusReport:
    """One corpus report (``eval/corpus/**/*.json``)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise EvaluationError(f"{path}: cannot read a corpus report ({e})") from e
    for key in ("text", "lang", "expected"):
        if key not in data:
            raise EvaluationError(f"{path}: missing '{key}' (see eval/README.md for the format)")
    expected = []
    for i, ev in enumerate(data["expected"]):
        where = f"{path}: expected[{i}]"
        if "event_type" not in ev or "location" not in ev:
            raise EvaluationError(f"{where}: needs 'event_type' and 'location'")
        expected.append(
            ExpectedEvent(
                event_type=ev["event_type"],
                sub_event_type=ev.get("sub_event_type"),
                location=_place(ev["location"], where),
                date=ev.get("date"),
                fatalities=ev.get("fatalities"),
                injured=ev.get("injured"),
                claimant=ev.get("claimant"),
                verification=ev.get("verification"),
                actor1=ev.get("actor1"),
                actor2=ev.get("actor2"),
            )
        )
    return CorpusReport(
        id=data.get("id") or path.stem,
        text=data["text"],
        lang=data["lang"],
        date=data.get("date"),
        expected=tuple(expected),
        not_events=tuple(_place(p, f"{path}: not_events") for p in data.get("not_events") or ()),
        style=data.get("style") or "",
    )


def read_corpus(folder: Path) -> Dataset:
    files = sorted(folder.rglob("*.json"))
    if not files:
        raise EvaluationError(f"{folder}: no *.json corpus reports")
    return Dataset(folder.name or "corpus", "corpus", tuple(read_report(f) for f in files))


def load(path: Path) -> list[Dataset]:
    """The datasets under ``path``: a gold ``.jsonl`` file, a corpus folder, or a folder of gold files."""
    if path.is_file():
        if path.suffix == ".json":
            return [Dataset(path.parent.name or "corpus", "corpus", (read_report(path),))]
        return [read_jsonl(path)]
    if path.is_dir():
        if any(path.rglob("*.json")):
            return [read_corpus(path)]
        files = sorted(path.glob("*.jsonl"))
        if files:
            return [read_jsonl(f) for f in files]
        raise EvaluationError(f"{path}: holds neither *.jsonl gold files nor *.json corpus reports")
    raise EvaluationError(f"{path}: no such file or folder")
