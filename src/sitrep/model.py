"""The data types that flow through sitrep.

Everything here is a frozen dataclass. A pipeline stage receives an
:class:`Analysis` and returns a new one (``dataclasses.replace``); it never
mutates what it was handed.

The JSON form of :class:`Event` and :class:`Aid` (``to_json``) is a public
contract documented in the README.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Verification = Literal["unverified", "reported", "corroborated", "disputed"]
AidStatus = Literal["pledged", "delivered", "cumulative"]

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

DISORDER_TYPES: dict[str, str] = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Political violence; Demonstrations",
    "Strategic developments": "Strategic developments",
}


def stable_id(*parts: object, length: int = 16) -> str:
    """A short hex digest of ``parts``: the same inputs give the same id on every run."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return digest[:length]


@dataclass(frozen=True, slots=True)
class Document:
    """One dated report, as read from the input."""

    text: str
    doc_id: str = ""
    date: str | None = None  # "YYYY-MM-DD", "YYYY-MM" or "YYYY"
    lang: str | None = None  # ISO 639-1 when the input says it
    url: str | None = None
    source: str | None = None  # the outlet or channel that published it
    title: str | None = None
    origin: str | None = None  # where it was read: "file.jsonl:12"

    def __post_init__(self) -> None:
        if not self.doc_id:
            object.__setattr__(self, "doc_id", stable_id(self.text, self.date or "", length=20))

    @property
    def date_precision(self) -> int | None:
        """1 when the report gives a day, 3 for a month or a year, None without a date."""
        if not self.date:
            return None
        return 1 if len(self.date) == 10 else 3


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    lang: str = ""


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place from the gazetteer."""

    name: str
    country: str | None = None
    iso2: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int = 1  # 1 the place itself, 2 near it / part of a region, 3 a province
    geonameid: int | None = None
    feature: str = "settlement"  # settlement, admin1, admin2, hromada, country, region
    population: int = 0
    source: str = ""  # which gazetteer entry: "geonames:713174", "katottg:UA14...."

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "admin1": self.admin1,
            "admin2": self.admin2,
            "country": self.country,
            "iso2": self.iso2,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "geo_precision": self.geo_precision,
            "geonameid": self.geonameid,
            "feature": self.feature,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of the text that a stage recognised, with what it means.

    ``kind`` is one of: ``place``, ``person``, ``org``, ``trigger``, ``casualty``,
    ``date``, ``claim``, ``modality``, ``actor``, ``money``, ``weapon``.
    ``value`` holds the kind's payload (a :class:`Place`, a number, a resolved
    date…) and ``rule`` names the lexicon entry or pattern that produced it.
    """

    kind: str
    start: int
    end: int
    text: str
    sentence: int
    value: Any = None
    rule: str = ""
    attrs: tuple[tuple[str, Any], ...] = ()

    def attr(self, name: str, default: Any = None) -> Any:
        for key, val in self.attrs:
            if key == name:
                return val
        return default


@dataclass(frozen=True, slots=True)
class Evidence:
    sentence: str
    start: int
    end: int
    trigger: str
    rule: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"sentence": self.sentence, "start": self.start, "end": self.end, "trigger": self.trigger,
                "rule": self.rule}


@dataclass(frozen=True, slots=True)
class Claim:
    claimant: str | None = None
    claimant_role: str | None = None
    side: str | None = None  # "Ukraine", "Russia", "third party"…
    channel: str | None = None  # "Telegram", "evening report"…
    relay: str | None = None  # the outlet that relayed it ("Reuters")
    verification: Verification = "reported"
    quote: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "claimant": self.claimant,
            "claimant_role": self.claimant_role,
            "side": self.side,
            "channel": self.channel,
            "relay": self.relay,
            "verification": self.verification,
            "quote": self.quote,
        }


@dataclass(frozen=True, slots=True)
class Event:
    doc_id: str
    event_type: str
    sub_event_type: str
    event_date: str | None = None
    time_precision: int | None = None
    actor1: str | None = None
    actor2: str | None = None
    location: Place | None = None
    fatalities: int | None = None
    injured: int | None = None
    claims: tuple[Claim, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    notes: str = ""
    confidence: float = 0.5
    weapons: tuple[str, ...] = ()
    modality: str = "asserted"  # asserted, claimed, denied…
    fatalities_lower_bound: bool = False
    event_id: str = ""
    incident_id: str | None = None  # set by the store: the incident this event belongs to

    kind = "event"

    def __post_init__(self) -> None:
        if not self.event_id:
            first = self.evidence[0] if self.evidence else None
            loc = (self.location.name, self.location.geo_precision) if self.location else ("", 0)
            # what the merge of a report's events keeps apart (type, place, precision, date) plus the words
            key = (self.doc_id, self.event_type, self.sub_event_type, *loc, self.event_date or "",
                   first.start if first else -1, first.trigger if first else "")
            object.__setattr__(self, "event_id", stable_id(*key))

    @property
    def disorder_type(self) -> str:
        return DISORDER_TYPES.get(self.event_type, "")

    def with_(self, **changes: Any) -> Event:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "event",
            "doc_id": self.doc_id,
            "event_id": self.event_id,
            "incident_id": self.incident_id,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "disorder_type": self.disorder_type,
            "event_date": self.event_date,
            "time_precision": self.time_precision,
            "actor1": self.actor1,
            "actor2": self.actor2,
            "location": self.location.to_json() if self.location else None,
            "fatalities": self.fatalities,
            "fatalities_lower_bound": self.fatalities_lower_bound,
            "injured": self.injured,
            "weapons": list(self.weapons),
            "modality": self.modality,
            "claims": [c.to_json() for c in self.claims],
            "evidence": [e.to_json() for e in self.evidence],
            "notes": self.notes,
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True, slots=True)
class Aid:
    doc_id: str
    donor: str | None
    recipient: str | None
    amount: float | None
    currency: str | None
    category: str = "military"
    status: AidStatus = "pledged"
    event_date: str | None = None
    time_precision: int | None = None
    items: tuple[str, ...] = ()
    claims: tuple[Claim, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    notes: str = ""
    confidence: float = 0.5
    event_id: str = ""

    kind = "aid"

    def __post_init__(self) -> None:
        if not self.event_id:
            first = self.evidence[0] if self.evidence else None
            key = ("aid", self.doc_id, self.donor, self.amount, self.currency, first.start if first else -1)
            object.__setattr__(self, "event_id", stable_id(*key))

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "aid",
            "doc_id": self.doc_id,
            "event_id": self.event_id,
            "donor": self.donor,
            "recipient": self.recipient,
            "amount": self.amount,
            "currency": self.currency,
            "category": self.category,
            "status": self.status,
            "items": list(self.items),
            "event_date": self.event_date,
            "time_precision": self.time_precision,
            "claims": [c.to_json() for c in self.claims],
            "evidence": [e.to_json() for e in self.evidence],
            "notes": self.notes,
            "confidence": round(self.confidence, 3),
        }


Record = Event | Aid


@dataclass(frozen=True, slots=True)
class Step:
    """One decision of the records stage about a sentence, as ``sitrep explain`` shows it.

    ``action`` is ``opened`` (the sentence tells an event), ``joined`` (it tells an event already told),
    ``skipped`` (it tells none, and why), ``dropped`` (what it told is no event of its own), ``kept`` or ``slot``
    (why a field of an event has its value).
    """

    sentence: int
    action: str
    detail: str


@dataclass(frozen=True, slots=True)
class Analysis:
    """The one value passed from stage to stage."""

    document: Document
    lang: str = ""
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    records: tuple[Record, ...] = ()
    warnings: tuple[str, ...] = ()
    done: frozenset[str] = field(default_factory=frozenset)
    trace: tuple[Step, ...] = ()  # the records stage's decisions, for ``sitrep explain``

    def of_kind(self, kind: str, sentence: int | None = None) -> list[Mention]:
        """The mentions of ``kind`` (in one sentence, or in all), in text order."""
        return list(_index(self.mentions).get((kind, sentence), ()))

    def add(self, mentions: list[Mention] | tuple[Mention, ...]) -> tuple[Mention, ...]:
        """The mentions so far plus ``mentions``, in text order."""
        return tuple(sorted((*self.mentions, *mentions), key=lambda m: (m.start, m.end, m.kind)))


_INDEXED: list[tuple[tuple[Mention, ...], dict[tuple[str, int | None], list[Mention]]]] = []


def _index(mentions: tuple[Mention, ...]) -> dict[tuple[str, int | None], list[Mention]]:
    """Mentions by (kind, sentence) and (kind, None), built once per mentions tuple: the records stage asks
    for them thousands of times per report. The last few tuples are kept (a tuple is immutable)."""
    for seen, known in _INDEXED:
        if seen is mentions:
            return known
    index: dict[tuple[str, int | None], list[Mention]] = {}
    for m in mentions:
        index.setdefault((m.kind, m.sentence), []).append(m)
        index.setdefault((m.kind, None), []).append(m)
    _INDEXED.insert(0, (mentions, index))
    del _INDEXED[4:]
    return index


def record_from_json(data: dict[str, Any]) -> Record:
    """Rebuild a record from its JSON form (as stored)."""
    claims = tuple(Claim(**c) for c in data.get("claims") or ())
    evidence = tuple(
        Evidence(sentence=e["sentence"], start=e["start"], end=e["end"], trigger=e["trigger"], rule=e.get("rule", ""))
        for e in data.get("evidence") or ()
    )
    if data.get("kind") == "aid":
        return Aid(
            doc_id=data["doc_id"],
            donor=data.get("donor"),
            recipient=data.get("recipient"),
            amount=data.get("amount"),
            currency=data.get("currency"),
            category=data.get("category") or "military",
            status=data.get("status") or "pledged",
            event_date=data.get("event_date"),
            time_precision=data.get("time_precision"),
            items=tuple(data.get("items") or ()),
            claims=claims,
            evidence=evidence,
            notes=data.get("notes") or "",
            confidence=data.get("confidence", 0.5),
            event_id=data["event_id"],
        )
    loc = data.get("location")
    return Event(
        doc_id=data["doc_id"],
        event_type=data["event_type"],
        sub_event_type=data["sub_event_type"],
        event_date=data.get("event_date"),
        time_precision=data.get("time_precision"),
        actor1=data.get("actor1"),
        actor2=data.get("actor2"),
        location=Place(**loc) if loc else None,
        fatalities=data.get("fatalities"),
        fatalities_lower_bound=bool(data.get("fatalities_lower_bound")),
        injured=data.get("injured"),
        claims=claims,
        evidence=evidence,
        notes=data.get("notes") or "",
        confidence=data.get("confidence", 0.5),
        weapons=tuple(data.get("weapons") or ()),
        modality=data.get("modality") or "asserted",
        event_id=data["event_id"],
        incident_id=data.get("incident_id"),
    )
