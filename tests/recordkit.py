"""Real records and a small real extraction stage for the store, export and CLI tests.

The stage stands in for the full pipeline until its stages land: it runs in a
real :class:`~sitrep.pipeline.Pipeline` after the Language and Sentences stages
and emits one shelling event per sentence that names "shelling" and a known place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import ClassVar

from sitrep.model import Aid, Analysis, Claim, Event, Evidence, Place, Record
from sitrep.pipeline import Pipeline
from sitrep.stages.language import Language
from sitrep.stages.sentences import Sentences

PLACES: dict[str, tuple[float, float, str]] = {
    "Bakhmut": (48.5947, 38.0003, "Donetsk"),
    "Soledar": (48.6833, 38.0833, "Donetsk"),
    "Kramatorsk": (48.7231, 37.5563, "Donetsk"),
    "Kharkiv": (49.9935, 36.2304, "Kharkiv"),
    "Kyiv": (50.4501, 30.5234, "Kyiv City"),
}


def place(name: str) -> Place:
    lat, lon, admin1 = PLACES[name]
    return Place(name=name, country="Ukraine", iso2="UA", admin1=admin1, latitude=lat, longitude=lon)


def event(
    doc_id: str,
    where: str | None = "Bakhmut",
    *,
    date: str | None = "2023-02-13",
    sub_event_type: str = "Shelling/artillery/missile attack",
    event_type: str = "Explosions/Remote violence",
    actor1: str | None = "Military Forces of Russia (2000-)",
    actor2: str | None = None,
    fatalities: int | None = None,
    injured: int | None = None,
    notes: str = "",
    start: int = 0,
    claimant: str | None = None,
    weapons: tuple[object, ...] = (),
) -> Event:
    return Event(
        doc_id=doc_id,
        event_type=event_type,
        sub_event_type=sub_event_type,
        event_date=date,
        time_precision=None if date is None else (1 if len(date) == 10 else 3),
        actor1=actor1,
        actor2=actor2,
        location=place(where) if where else None,
        fatalities=fatalities,
        injured=injured,
        claims=(Claim(claimant=claimant, relay="Reuters"),) if claimant else (),
        evidence=(Evidence(sentence=notes or "…", start=start, end=start + 10, trigger="shelling"),),
        notes=notes,
        weapons=weapons,  # type: ignore[arg-type]  # tests pass an unserialisable object here
    )


def aid(doc_id: str, *, amount: float = 2.5e9, date: str = "2023-01-20") -> Aid:
    return Aid(
        doc_id=doc_id,
        donor="United States",
        recipient="Ukraine",
        amount=amount,
        currency="USD",
        event_date=date,
        time_precision=1,
        items=("Bradley IFV", "Stryker"),
        notes="The United States pledged a new package.",
    )


class ShellingRecords:
    """One event per sentence naming "shelling" and a place of :data:`PLACES`."""

    name: ClassVar[str] = "records"
    requires: ClassVar[tuple[str, ...]] = ("sentences",)
    assigns: ClassVar[tuple[str, ...]] = ("records",)

    def __call__(self, analysis: Analysis) -> Analysis:
        found: list[Record] = []
        for sentence in analysis.sentences:
            if "shelling" not in sentence.text.lower():
                continue
            for name in PLACES:
                if name in sentence.text:
                    found.append(
                        event(
                            analysis.document.doc_id,
                            name,
                            date=analysis.document.date,
                            notes=sentence.text,
                            start=sentence.start,
                        )
                    )
        return replace(analysis, records=tuple(found))


def place_names(records: Iterable[Record]) -> list[str]:
    """The location names of the events among ``records``, in order (aid and unlocated events left out)."""
    return [r.location.name for r in records if isinstance(r, Event) and r.location is not None]


def small_pipeline() -> Pipeline:
    return Pipeline(stages=[Language(), Sentences(), ShellingRecords()])
