"""Golden cases: one report per file under ``tests/cases/<lang>/``, run through the real pipeline.

Each file holds ``text``, ``date``, ``lang`` and ``expect``: a list of items, each of which must be matched by
a distinct produced record agreeing on every field the item gives. ``not_locations`` names places no event may
be located at; ``min_events``/``max_events`` bound the number of events. See ``tests/cases/README.md``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sitrep.model import Aid, Document, Event, Record
from sitrep.pipeline import default_pipeline

CASES = sorted((Path(__file__).parent / "cases").glob("**/*.json"))
EVENT_FIELDS = ("event_type", "sub_event_type", "fatalities", "injured", "actor1", "actor2", "event_date",
                "time_precision", "modality")
AID_FIELDS = ("donor", "amount", "currency", "status", "category")


def _claim_fields(record: Record, item: dict[str, Any]) -> bool:
    claims = record.claims
    if "claimant" in item:
        want = item["claimant"].casefold()
        if not any(want in (n or "").casefold() for c in claims for n in (c.claimant, c.claimant_role)):
            return False
    for key in ("channel", "verification"):
        if key in item and not any(getattr(c, key) == item[key] for c in claims):
            return False
    # "claims": each listed claim is one of the record's, claimant and standing together
    for want in item.get("claims", ()):
        name = want["claimant"].casefold()
        if not any(
            any(name in (n or "").casefold() for n in (c.claimant, c.claimant_role))
            and all(getattr(c, k) == v for k, v in want.items() if k != "claimant")
            for c in claims
        ):
            return False
    return True


def agrees(record: Record, item: dict[str, Any]) -> bool:
    """Whether ``record`` agrees with every field the expected ``item`` gives."""
    kind = item.get("kind", "event")
    if kind == "aid":
        if not isinstance(record, Aid):
            return False
        return all(getattr(record, f) == item[f] for f in AID_FIELDS if f in item) and _claim_fields(record, item)
    if not isinstance(record, Event):
        return False
    if any(getattr(record, f) != item[f] for f in EVENT_FIELDS if f in item):
        return False
    if "location" in item:
        want = item["location"]
        if want is None:
            if record.location is not None:
                return False
        elif record.location is None or record.location.name.casefold() != want.casefold():
            return False
    if "admin1" in item and (record.location is None or record.location.admin1 != item["admin1"]):
        return False
    if "geo_precision" in item and (record.location is None or record.location.geo_precision != item["geo_precision"]):
        return False
    if "admin2" in item and (record.location is None or record.location.admin2 != item["admin2"]):
        return False
    if "weapon" in item and item["weapon"] not in record.weapons:
        return False
    return _claim_fields(record, item)


def assign(records: list[Record], expect: list[dict[str, Any]]) -> list[int]:
    """Indexes of the expected items left unmatched when each may take a distinct record (augmenting paths)."""
    options = [[j for j, r in enumerate(records) if agrees(r, item)] for item in expect]
    owner: dict[int, int] = {}

    def take(i: int, seen: set[int]) -> bool:
        for j in options[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or take(owner[j], seen):
                owner[j] = i
                return True
        return False

    return [i for i in range(len(expect)) if not take(i, set())]


def describe(record: Record) -> str:
    if isinstance(record, Aid):
        return (f"aid donor={record.donor} amount={record.amount} currency={record.currency} "
                f"status={record.status} category={record.category}")
    loc = record.location
    place = f"{loc.name} ({loc.admin1}) p{loc.geo_precision}" if loc else None
    claims = [(c.claimant, c.claimant_role, c.channel, c.verification) for c in record.claims]
    return (f"{record.event_type} / {record.sub_event_type} at {place} on {record.event_date} "
            f"(tp {record.time_precision}) a1={record.actor1} a2={record.actor2} "
            f"killed={record.fatalities} injured={record.injured} claims={claims} "
            f"trigger={record.evidence[0].trigger if record.evidence else None!r}")


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_case(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    doc = Document(text=case["text"], date=case.get("date"), lang=case.get("lang"), source=case.get("source"))
    records = default_pipeline().extract(doc)
    events = [r for r in records if isinstance(r, Event)]
    problems: list[str] = []
    for i in assign(records, case.get("expect", [])):
        problems.append(f"no record matches expected item {json.dumps(case['expect'][i], ensure_ascii=False)}")
    banned = {n.casefold() for n in case.get("not_locations", [])}
    for e in events:
        if e.location is not None and e.location.name.casefold() in banned:
            problems.append(f"an event is located at {e.location.name}, which the case forbids")
    if len({r.event_id for r in records}) != len(records):
        problems.append("two records share an event_id, so the store would refuse the report")
    if "min_events" in case and len(events) < case["min_events"]:
        problems.append(f"{len(events)} events, at least {case['min_events']} expected")
    if "max_events" in case and len(events) > case["max_events"]:
        problems.append(f"{len(events)} events, at most {case['max_events']} expected")
    if problems:
        listing = "\n".join(f"  - {describe(r)}" for r in records) or "  (no records)"
        pytest.fail(f"{path.name}:\n" + "\n".join(problems) + f"\nproduced records:\n{listing}", pytrace=False)


def test_there_are_cases_in_every_language_written_so_far() -> None:
    langs = {p.parent.name for p in CASES}
    assert {"fr", "en"} <= langs
    assert sum(1 for p in CASES if p.parent.name in ("fr", "en")) >= 30
