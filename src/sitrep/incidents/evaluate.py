"""Scoring incident linking on gold where the incident is known (``sitrep evaluate --incidents``).

A gold file is JSON Lines, one report a line (``id``, ``text``, ``doc_date`` or ``date``, ``lang``,
``source``). The report date given to the pipeline is the report's own (``doc_date``, else ``date``); a
report without one gets ``ingest_date`` when the row gives it: the date an ingest gives an undated report
(``sitrep ingest --date``, or the date of the feed item or post it came in), so that it is scored as it
would be linked in the store. A report left without any date is scored undated (its events link only when
the text itself gives a full date); how many there were is reported as ``undated``. Which reports tell
one incident:

- ``incident`` (or ``meta.incident``) when the row gives it;
- else ``meta.parallel_group`` (Warline: the English and Ukrainian versions of an item are one incident);
- else the notes of the real-report set ("same incident as pagesdev:xx:NN"), read as links;
- else the row is an incident of its own (ACLED: each row a distinct incident, so any link is false).

A row may also say it is a look-alike of another incident (``lookalike_of``, or ``meta.lookalike_of``: the
same city on the same day, the same toll at another place, a claim about a neighbouring village): each pair
of it and a report of that incident is a *look-alike pair*, one that must not be linked. Where the rows give
their gold events' points and dates (the real-report set, ACLED), two reports of different incidents with
events within 25 km of each other on one day or the next are a look-alike pair as well.

Every report of the file is extracted and linked into one store (the others are the look-alikes), then
scored on pairs of reports: two reports are *linked* when an event of one and an event of the other share an
incident. Per half (:func:`sitrep.evaluate.gold.half` of the incident's key, the group as the other
datasets split it, so both reports of a pair fall in one half) and overall:

- ``precision``, ``recall``, ``f1``: over pairs of reports, linked against told-as-one;
- ``recall_placed``: recall over the pairs whose reports both yield a placed event;
- ``recall_dated``: recall over the pairs whose reports both have a report date (their own or the ingest's);
- ``false_link_share``: of the linked pairs, the share that join reports of different incidents;
- ``rows_falsely_linked``: the share of reports linked to a report of another incident;
- ``same_text_false_links``: of the false links, those between two reports of one text (case and spacing
  aside): datasets that code one report as several events (UCDP splits a headline's dead between places,
  ACLED repeats a claim word for word) give such pairs, which no reading of the texts can tell apart; and
  ``rows_falsely_linked_other_text``, the share of reports linked to a report of another incident and of
  another text;
- ``lookalike_linked``: of the look-alike pairs, the share linked (a look-alike pair falls in the half of
  the incident it imitates).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from sitrep.errors import EvaluationError
from sitrep.evaluate.gold import half
from sitrep.geo import haversine_km
from sitrep.incidents.features import features
from sitrep.incidents.link import incidents_of, link_all
from sitrep.incidents.score import THRESHOLD
from sitrep.model import Document, Event, Record

LOOK_ALIKE_KM = 25.0  # two gold events this close on one day or the next make their reports look alike
_SAME = re.compile(r"same incident as ([\w:-]+)")
Extract = Callable[[Sequence[Document], int], list[list[Record]]]


@dataclass(frozen=True, slots=True)
class GoldReport:
    id: str
    incident: str
    document: Document
    lookalike_of: str | None = None
    spots: tuple[tuple[float, float, int], ...] = ()  # the gold events' points and days (ordinals)


@dataclass(slots=True)
class LinkScores:
    reports: int = 0
    gold_pairs: int = 0
    linked_pairs: int = 0
    true_pairs: int = 0
    placed_pairs: int = 0
    placed_linked: int = 0
    dated_pairs: int = 0
    dated_linked: int = 0
    falsely_linked_reports: int = 0
    falsely_linked_other_text: int = 0
    same_text_false_links: int = 0
    undated: int = 0
    lookalike_pairs: int = 0
    lookalike_linked_pairs: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)
    false_links: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        p = self.true_pairs / self.linked_pairs if self.linked_pairs else None
        r = self.true_pairs / self.gold_pairs if self.gold_pairs else None
        f1 = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
        return {
            "reports": self.reports,
            "gold_pairs": self.gold_pairs,
            "linked_pairs": self.linked_pairs,
            "precision": _round(p),
            "recall": _round(r),
            "f1": _round(f1),
            "recall_placed": _round(self.placed_linked / self.placed_pairs if self.placed_pairs else None),
            "placed_pairs": self.placed_pairs,
            "recall_dated": _round(self.dated_linked / self.dated_pairs if self.dated_pairs else None),
            "dated_pairs": self.dated_pairs,
            "false_link_share": _round(1 - p if p is not None else None),
            "rows_falsely_linked": _round(self.falsely_linked_reports / self.reports if self.reports else None),
            "same_text_false_links": self.same_text_false_links,
            "rows_falsely_linked_other_text": _round(
                self.falsely_linked_other_text / self.reports if self.reports else None),
            "lookalike_pairs": self.lookalike_pairs,
            "lookalike_linked": _round(
                self.lookalike_linked_pairs / self.lookalike_pairs if self.lookalike_pairs else None
            ),
            "undated": self.undated,
        }


def _round(x: float | None) -> float | None:
    return round(x, 3) if x is not None else None


def read_gold(path: Path, *, versions: Sequence[str] | None = None) -> list[GoldReport]:
    """The reports of a gold file with their incidents; with ``versions``, only the rows whose id ends with
    ``:<version>`` for one of them (Warline: ``en``, ``uk``, leaving out ``headline``)."""
    rows: list[dict[str, Any]] = []
    line_of: dict[str, int] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise EvaluationError(f"{path}: cannot read ({e.strerror})") from e
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get("id"), str):
                raise ValueError("expected an object with an id")
        except ValueError as e:
            raise EvaluationError(f"{path}:{lineno}: not a gold row ({e})") from e
        if not isinstance(row.get("text"), str) or not row["text"].strip():
            raise EvaluationError(f"{path}:{lineno}: row {row['id']} has no text")
        if versions and row["id"].rsplit(":", 1)[-1] not in versions:
            continue
        rows.append(row)
        line_of[row["id"]] = lineno
    parent: dict[str, str] = {r["id"]: r["id"] for r in rows}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for r in rows:
        for other in _SAME.findall(str(r.get("notes") or "")):
            other = other.rstrip(".,;:")
            if other in parent:
                a, b = find(r["id"]), find(other)
                parent[max(a, b)] = min(a, b)
    out = []
    for r in rows:
        meta = r.get("meta") or {}
        key = r.get("incident") or meta.get("incident") or meta.get("parallel_group") or find(r["id"])
        date = r.get("doc_date") or r.get("date") or r.get("ingest_date")
        doc = Document(text=r["text"], doc_id=r["id"], date=date, lang=r.get("lang"),
                       source=meta.get("twitter_user") or r.get("source") or _host(r.get("url")))
        lookalike = r.get("lookalike_of") or meta.get("lookalike_of")
        out.append(GoldReport(id=r["id"], incident=str(key), document=doc,
                              lookalike_of=str(lookalike) if lookalike else None, spots=_spots(r)))
    known = {g.incident for g in out}
    for g in out:
        if g.lookalike_of is not None and g.lookalike_of not in known:
            raise EvaluationError(f"{path}:{line_of[g.id]}: row {g.id}: lookalike_of names no incident of this "
                                  f"file ({g.lookalike_of!r})")
        if g.lookalike_of == g.incident:
            raise EvaluationError(f"{path}:{line_of[g.id]}: row {g.id} is a look-alike of its own incident")
    return out


def _spots(row: dict[str, Any]) -> tuple[tuple[float, float, int], ...]:
    """Where and on which day the row's gold events happened, when it says (the real-report set's
    ``events``, an ACLED row's ``gold``); uncertain events left out."""
    events: list[Any] = row["events"] if isinstance(row.get("events"), list) else [row.get("gold")]
    out = []
    for e in events:
        if not isinstance(e, dict) or e.get("uncertain"):
            continue
        lat, lon, date = e.get("lat"), e.get("lon"), e.get("date")
        if isinstance(lat, int | float) and isinstance(lon, int | float) and isinstance(date, str) and len(date) == 10:
            try:
                out.append((float(lat), float(lon), dt.date.fromisoformat(date).toordinal()))
            except ValueError:
                continue
    return tuple(out)


def look_alike_pairs(gold: Sequence[GoldReport]) -> set[tuple[str, str, str]]:
    """(report, report, the half it is scored in) for each look-alike pair: two reports of different
    incidents of one family (an incident and those whose rows say ``lookalike_of`` it, which look alike
    among themselves as well), and two reports of different incidents whose gold events lie within
    :data:`LOOK_ALIKE_KM` of each other on one day or the next (the half: the imitated incident's, or both
    incidents' when they share one)."""
    by_incident: dict[str, list[str]] = defaultdict(list)
    for g in gold:
        by_incident[g.incident].append(g.id)
    imitates = {g.incident: g.lookalike_of for g in gold if g.lookalike_of}

    def root(incident: str) -> str:
        seen = {incident}
        while incident in imitates and imitates[incident] not in seen:
            incident = imitates[incident]
            seen.add(incident)
        return incident

    imitated = set(imitates.values())
    families: dict[str, list[GoldReport]] = defaultdict(list)
    for g in gold:
        if g.incident in imitates or g.incident in imitated:
            families[root(g.incident)].append(g)
    out: dict[tuple[str, str], str] = {}
    for key, members in families.items():
        for g, h in combinations(sorted(members, key=lambda x: x.id), 2):
            if g.incident != h.incident:
                out[g.id, h.id] = half(key)
    by_day: dict[int, list[tuple[GoldReport, float, float]]] = defaultdict(list)
    for g in gold:
        for lat, lon, day in g.spots:
            by_day[day].append((g, lat, lon))
    for day, here in by_day.items():
        for g, lat, lon in here:
            for h, lat2, lon2 in [*here, *by_day.get(day + 1, ())]:
                if g.incident != h.incident and haversine_km(lat, lon, lat2, lon2) <= LOOK_ALIKE_KM:
                    a, b = sorted((g, h), key=lambda x: x.id)
                    out.setdefault((a.id, b.id), half(a.incident) if half(a.incident) == half(b.incident) else "")
    return {(a, b, where) for (a, b), where in out.items()}


def _host(url: Any) -> str | None:
    m = re.match(r"https?://(?:www\.)?([^/]+)", str(url or ""))
    return m.group(1) if m else None


def link_reports(records: Sequence[Sequence[Record]], *, threshold: float = THRESHOLD) -> dict[str, set[str]]:
    """doc_id → the incidents of its events, linking every event of ``records`` at once."""
    feats = [features(r) for rs in records for r in rs if isinstance(r, Event)]
    incident = incidents_of(feats, link_all(feats, threshold=threshold), threshold=threshold)
    out: dict[str, set[str]] = defaultdict(set)
    for f in feats:
        out[f.doc_id].add(incident[f.event_id])
    return out


def score_links(gold: Sequence[GoldReport], records: Sequence[Sequence[Record]], *,
                threshold: float = THRESHOLD) -> dict[str, LinkScores]:
    """Scores for ``all``, ``tune`` and ``check`` (``records[i]`` are the records of ``gold[i]``)."""
    incidents = link_reports(records, threshold=threshold)
    placed = {g.id for g, rs in zip(gold, records, strict=True)
              if any(isinstance(r, Event) and r.location is not None for r in rs)}
    dated = {g.id for g in gold if g.document.date}
    by_incident: dict[str, list[str]] = defaultdict(list)
    for g in gold:
        by_incident[g.incident].append(g.id)
    truth = {g.id: g.incident for g in gold}
    by_linked: dict[str, set[str]] = defaultdict(set)
    for doc_id, incs in incidents.items():
        for inc in incs:
            by_linked[inc].add(doc_id)
    linked_pairs: set[tuple[str, str]] = set()
    for docs in by_linked.values():
        linked_pairs.update((a, b) for a, b in combinations(sorted(docs), 2))
    scores = {name: LinkScores() for name in ("all", "tune", "check")}
    text = {g.id: " ".join(g.document.text.casefold().split()) for g in gold}
    false_pairs = [(a, b) for a, b in linked_pairs if truth.get(a) != truth.get(b)]
    falsely = {x for pair in false_pairs for x in pair}
    falsely_other_text = {x for a, b in false_pairs if text.get(a) != text.get(b) for x in (a, b)}
    for g in gold:
        for name in ("all", half(g.incident)):
            scores[name].reports += 1
            scores[name].falsely_linked_reports += g.id in falsely
            scores[name].falsely_linked_other_text += g.id in falsely_other_text
            scores[name].undated += g.document.date is None
    for a, b, where in look_alike_pairs(gold):
        for name in ("all", where) if where else ("all",):
            scores[name].lookalike_pairs += 1
            scores[name].lookalike_linked_pairs += (a, b) in linked_pairs
    for key, members in by_incident.items():
        for a, b in combinations(sorted(members), 2):
            for name in ("all", half(key)):
                s = scores[name]
                s.gold_pairs += 1
                hit = (a, b) in linked_pairs
                if a in placed and b in placed:
                    s.placed_pairs += 1
                    s.placed_linked += hit
                if a in dated and b in dated:
                    s.dated_pairs += 1
                    s.dated_linked += hit
                if not hit:
                    s.misses.append((a, b))
    for a, b in sorted(linked_pairs):
        same = truth.get(a) == truth.get(b)
        names = ["all"] + ([half(truth[a])] if same else [])
        if not same and half(truth[a]) == half(truth[b]):
            names.append(half(truth[a]))
        for name in names:
            s = scores[name]
            s.linked_pairs += 1
            s.true_pairs += same
            if not same:
                s.false_links.append((a, b))
                s.same_text_false_links += text.get(a) == text.get(b)
    return scores


def evaluate_links(paths: Iterable[Path], extract: Extract, *, workers: int = 1, threshold: float = THRESHOLD,
                   versions: Sequence[str] | None = None) -> dict[str, dict[str, LinkScores]]:
    """Per gold file (by its name): the link scores of ``all``, ``tune`` and ``check``."""
    out: dict[str, dict[str, LinkScores]] = {}
    for path in paths:
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        for f in files:
            gold = read_gold(f, versions=versions)
            records = extract([g.document for g in gold], workers)
            out[f.stem] = score_links(gold, records, threshold=threshold)
    return out


def render(results: dict[str, dict[str, LinkScores]], *, only: str | None = None) -> str:
    """The scores as a table per gold file: both halves and the whole, or only the half ``only``."""
    columns = ("reports", "undated", "gold_pairs", "linked_pairs", "precision", "recall", "f1", "recall_placed",
               "recall_dated", "false_link_share", "rows_falsely_linked", "lookalike_linked")
    lines = [f"threshold {THRESHOLD}"]
    for name, halves in results.items():
        lines.append(f"\n{name}")
        lines.append("  " + f"{'half':<6}" + "".join(f"{c:>20}" for c in columns))
        for h in (only,) if only else ("tune", "check", "all"):
            data = halves[h].to_json()
            cells = "".join(f"{'-' if data[c] is None else data[c]!s:>20}" for c in columns)
            lines.append(f"  {h:<6}{cells}")
        pairs = halves["all"].lookalike_pairs
        if pairs:
            lines.append(f"  ({pairs} look-alike pair(s): a report and one of the incident it looks like)")
        same = halves[only or "all"].same_text_false_links
        if same:
            other = halves[only or "all"].to_json()["rows_falsely_linked_other_text"]
            lines.append(f"  ({same} false link(s) join two reports of one text; reports falsely linked to "
                         f"another text: {other})")
    return "\n".join(lines)
