"""Scoring one document against its gold: a list of :class:`Observation` per row.

Rules (also in ``eval/README.md``):

- A missing prediction is a miss: a document without a matching event fails every
  metric its gold allows, so all shares are over all eligible rows.
- Fatalities: an unknown count (``None``, or no event) counts as 0, so it matches a
  gold 0 and misses a gold above 0. ACLED rows whose notes say the count was
  "split among N events" are left out of the exact figures.
- Geocoding: the share within 10/50/161 km is over all rows with gold coordinates;
  the median error is over the rows where a coordinate was predicted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sitrep.evaluate.gold import CorpusReport, ExpectedEvent, GoldRow, ToponymRow
from sitrep.evaluate.matching import MATCH_KM, best_event, distance_km, pair_events
from sitrep.evaluate.metrics import (
    Observation,
    claimant_found,
    is_split_note,
    normalise,
)
from sitrep.geo import haversine_km
from sitrep.model import EVENT_TYPES, Event, Record
from sitrep.stages.dates import parse_day

RADII_KM = (10, 50, 161)
NOT_EVENT_KM = 10.0
RECENT = ("2022", "2023")  # the years of UCDP rows shown apart (…_2022_2023 figures)


@dataclass(frozen=True, slots=True)
class RowResult:
    """What one document scored, with enough context to explain a miss."""

    id: str
    lang: str
    observations: tuple[Observation, ...]
    text: str = ""
    gold: Any = None
    prediction: Any = None
    records: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    group: str = ""  # what the row's tune/check half is drawn from, when not its id (a translation pair)


def _coverage(records: Sequence[Record]) -> list[Observation]:
    return [
        Observation("coverage.docs_with_record", hit=bool(records), gated=False),
        Observation("records.per_doc", value=float(len(records)), gated=False, mean=True),
    ]


def _geo(prefixes: Sequence[str], d: float | None) -> list[Observation]:
    obs = []
    for prefix in prefixes:
        for km in RADII_KM:
            obs.append(Observation(f"{prefix}.within_{km}km", hit=d is not None and d <= km))
        obs.append(Observation(f"{prefix}.median_km", value=d, better="lower"))
    return obs


def _dates(gold_date: str | None, pred: str | None, date_end: str | None = None) -> list[Observation]:
    if not gold_date:
        return []
    gd, pd = parse_day(gold_date), parse_day(pred)
    obs = [
        Observation("date.exact", hit=pred == gold_date),
        Observation("date.within_1_day", hit=gd is not None and pd is not None and abs((gd - pd).days) <= 1),
    ]
    end = parse_day(date_end)
    if end is not None and date_end != gold_date:
        obs.append(Observation("date.in_range", hit=gd is not None and pd is not None and gd <= pd <= end))
    return obs


def _year(day: str | None) -> str:
    return (day or "")[:4]


def _claim_names(records: Sequence[Record]) -> list[str]:
    return [n for r in records for c in r.claims for n in (c.claimant, c.claimant_role) if n]


def score_gold_row(row: GoldRow, records: Sequence[Record]) -> RowResult:
    """One row of the shared event gold against the records predicted for its text."""
    g, meta = row.gold, row.meta
    events = [r for r in records if isinstance(r, Event)]
    acled = g.get("event_type") in EVENT_TYPES
    lat, lon = g.get("lat"), g.get("lon")
    ev = best_event(
        events, event_type=g.get("event_type") if acled else None, lat=lat, lon=lon, date=g.get("date")
    )
    obs = _coverage(records)
    # the report's year (the gold event's when the row has no report date): UCDP's headlines of 2022–2023
    # are a different kind of text from the wire reports of 2014–2021, so their figures are shown apart
    recent = str(meta.get("dataset", "")).startswith("UCDP") and _year(row.doc_date or g.get("date")) in RECENT
    if recent:
        obs.append(Observation("records.per_doc_2022_2023", value=float(len(records)), gated=False, mean=True))
    if acled:
        pred_type = ev.event_type if ev else None
        obs.append(
            Observation(
                "event_type.accuracy", hit=pred_type == g["event_type"], gold=g["event_type"], pred=pred_type
            )
        )
        if g.get("sub_event_type"):
            pred_sub = ev.sub_event_type if ev else None
            obs.append(
                Observation(
                    "sub_event_type.accuracy",
                    hit=pred_sub == g["sub_event_type"],
                    gold=g["sub_event_type"],
                    pred=pred_sub,
                )
            )
    if lat is not None and lon is not None:
        d = distance_km(ev, lat, lon) if ev else None
        dist = d if d is not None and d != float("inf") else None
        prefixes = ["geo"]
        if g.get("geo_precision") is not None:
            prefixes.append(f"geo.precision_{g['geo_precision']}")
        if meta.get("loc_in_text") is True:
            prefixes.append("geo.loc_in_text")
        obs += _geo(prefixes, dist)
    obs += _dates(g.get("date"), ev.event_date if ev else None, meta.get("date_end"))
    gold_f = g.get("fatalities")
    if gold_f is not None:
        pred_f = ev.fatalities if ev and ev.fatalities is not None else 0
        if not is_split_note(meta.get("notes_raw")):
            obs.append(
                Observation("fatalities.exact", hit=pred_f == gold_f, gold=str(gold_f), pred=str(pred_f))
            )
            if gold_f > 0:
                obs.append(Observation("fatalities.exact_gold_positive", hit=pred_f == gold_f))
        low, high = meta.get("low"), meta.get("high")
        if low is not None and high is not None:
            obs.append(Observation("fatalities.in_range", hit=low <= pred_f <= high))
            if recent:
                obs.append(Observation("fatalities.in_range_2022_2023", hit=low <= pred_f <= high))
    if str(meta.get("dataset", "")).startswith("UCDP") and g.get("source"):
        found = claimant_found(_claim_names(records), g["source"])
        obs.append(Observation("claimant.found", hit=found))
        if recent:
            obs.append(Observation("claimant.found_2022_2023", hit=found))
    return RowResult(
        id=row.id,
        lang=row.lang or "?",
        observations=tuple(obs),
        text=row.text,
        gold=g,
        prediction=ev.to_json() if ev else None,
        records=len(records),
    )


def event_keys(records: Sequence[Record]) -> frozenset[tuple[str, str]]:
    """(event_type, place) of each event; the place is its GeoNames id, else coordinates to 0.1°."""
    keys = set()
    for r in records:
        if not isinstance(r, Event):
            continue
        loc = r.location
        if loc is None:
            place = "-"
        elif loc.geonameid is not None:
            place = f"gn:{loc.geonameid}"
        elif loc.latitude is not None and loc.longitude is not None:
            place = f"{loc.latitude:.1f},{loc.longitude:.1f}"
        else:
            place = normalise(loc.name)
        keys.add((r.event_type, place))
    return frozenset(keys)


def score_pair(group: str, en: Sequence[Record], uk: Sequence[Record]) -> Observation | None:
    """Whether the English and Ukrainian versions give the same events (None when neither gives any)."""
    a, b = event_keys(en), event_keys(uk)
    if not a and not b:
        return None
    return Observation("parallel.same_events", hit=a == b)


def score_toponyms(row: ToponymRow, predicted: Sequence[dict[str, Any]]) -> RowResult:
    """Toponym recall (span overlap), precision and accuracy within 161 km of the recognised ones."""
    obs: list[Observation] = []
    misses = []
    for t in row.toponyms:
        overlapping = [p for p in predicted if p["start"] < t["end"] and t["start"] < p["end"]]
        found = bool(overlapping)
        obs.append(Observation("toponyms.recall", hit=found))
        d = None
        if found:
            best = max(overlapping, key=lambda p: min(p["end"], t["end"]) - max(p["start"], t["start"]))
            if (
                best.get("latitude") is not None
                and best.get("longitude") is not None
                and t.get("lat") is not None
            ):
                d = haversine_km(best["latitude"], best["longitude"], t["lat"], t["lon"])
            obs.append(Observation("toponyms.accuracy_161km", hit=d is not None and d <= 161))
            obs.append(Observation("toponyms.median_km", value=d, better="lower"))
        obs.append(Observation("toponyms.recall_within_161km", hit=d is not None and d <= 161))
        if d is None or d > 161:
            misses.append({"name": t.get("name"), "start": t["start"], "km": d})
    for p in predicted:
        hit = any(p["start"] < t["end"] and t["start"] < p["end"] for t in row.toponyms)
        obs.append(Observation("toponyms.precision", hit=hit))
    return RowResult(
        id=row.id,
        lang=row.lang,
        observations=tuple(obs),
        text=row.text,
        gold=misses,
        prediction=[{k: p.get(k) for k in ("start", "end", "latitude", "longitude")} for p in predicted],
        records=len(predicted),
    )


def _near_not_event(ev: Event, report: CorpusReport) -> bool:
    loc = ev.location
    if loc is None:
        return False
    for p in report.not_events:
        if p.lat is not None and p.lon is not None and distance_km(ev, p.lat, p.lon) <= NOT_EVENT_KM:
            return True
        if p.lat is None and normalise(p.name) == normalise(loc.name):
            return True
    return False


def _expected_row(exp: ExpectedEvent, ev: Event | None, records: Sequence[Record]) -> list[Observation]:
    obs = [
        Observation(
            "event_type.accuracy",
            hit=bool(ev and ev.event_type == exp.event_type),
            gold=exp.event_type,
            pred=ev.event_type if ev else None,
        ),
    ]
    if exp.sub_event_type:
        pred_sub = ev.sub_event_type if ev else None
        obs.append(
            Observation(
                "sub_event_type.accuracy",
                hit=pred_sub == exp.sub_event_type,
                gold=exp.sub_event_type,
                pred=pred_sub,
            )
        )
    loc = exp.location
    if loc.lat is not None and loc.lon is not None:
        d = distance_km(ev, loc.lat, loc.lon) if ev else None
        obs += _geo(["geo"], d if d is not None and d != float("inf") else None)
    obs += _dates(exp.date, ev.event_date if ev else None)
    if exp.fatalities is not None:
        pred_f = ev.fatalities if ev and ev.fatalities is not None else 0
        obs.append(
            Observation(
                "fatalities.exact", hit=pred_f == exp.fatalities, gold=str(exp.fatalities), pred=str(pred_f)
            )
        )
        if exp.fatalities > 0:
            obs.append(Observation("fatalities.exact_gold_positive", hit=pred_f == exp.fatalities))
    if exp.injured is not None:
        pred_i = ev.injured if ev and ev.injured is not None else 0
        obs.append(
            Observation("injured.exact", hit=pred_i == exp.injured, gold=str(exp.injured), pred=str(pred_i))
        )
    if exp.claimant:
        obs.append(Observation("claimant.found", hit=claimant_found(_claim_names(records), exp.claimant)))
    if exp.verification:
        verifs = {c.verification for c in ev.claims} if ev else set()
        obs.append(
            Observation("verification.accuracy", hit=exp.verification in verifs, gold=exp.verification)
        )
    return obs


def score_report(report: CorpusReport, records: Sequence[Record]) -> RowResult:
    """One corpus report: the per-event figures plus record precision/recall and misplaced records."""
    events = [r for r in records if isinstance(r, Event)]
    obs = _coverage(records)
    matched = []
    for exp in report.expected:
        ev = best_event(
            events, event_type=exp.event_type, lat=exp.location.lat, lon=exp.location.lon, date=exp.date
        )
        matched.append(ev)
        obs += _expected_row(exp, ev, records)
    pairs = pair_events([(e.event_type, e.location.lat, e.location.lon) for e in report.expected], events)
    paired_pred = {j for _, j in pairs}
    paired_exp = {i for i, _ in pairs}
    for i in range(len(report.expected)):
        obs.append(Observation("records.recall", hit=i in paired_exp))
    for j, ev in enumerate(events):
        obs.append(Observation("records.precision", hit=j in paired_pred))
        if ev.location is not None and ev.location.latitude is not None:
            far = all(
                distance_km(ev, e.location.lat, e.location.lon) > MATCH_KM
                for e in report.expected
                if e.location.lat is not None
            )
            obs.append(
                Observation("records.misplaced", hit=far or _near_not_event(ev, report), better="lower")
            )
    obs.append(Observation("records.count_matches_expected", hit=len(events) == len(report.expected)))
    obs.append(
        Observation("records.expected_per_report", value=float(len(report.expected)), gated=False, mean=True)
    )
    return RowResult(
        id=report.id,
        lang=report.lang,
        observations=tuple(obs),
        text=report.text,
        gold=[_expected_json(e) for e in report.expected],
        prediction=[e.to_json() for e in events],
        records=len(records),
    )


def _expected_json(e: ExpectedEvent) -> dict[str, Any]:
    return {
        "event_type": e.event_type,
        "sub_event_type": e.sub_event_type,
        "location": e.location.name,
        "lat": e.location.lat,
        "lon": e.location.lon,
        "date": e.date,
        "fatalities": e.fatalities,
        "injured": e.injured,
        "claimant": e.claimant,
    }
