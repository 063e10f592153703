"""Small scoring helpers: distances, dates, fuzzy claimant match, and turning observations into figures.

A scorer emits one :class:`Observation` per row and metric; :func:`aggregate` turns
the observations of one group (a dataset, or one language of it) into
:class:`~sitrep.evaluate.report.Metric` values.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from sitrep.evaluate.report import Better, Metric
from sitrep.gazetteer.text import bgn, is_cyrillic, kmu

FUZZY_THRESHOLD = 80.0

_SPLIT_NOTE = re.compile(r"\bsplit\s+(?:among|between|across)\s+\d+\s+events?\b", re.I)


@dataclass(frozen=True, slots=True)
class Observation:
    """One row's outcome for one metric.

    ``hit`` makes a share; ``value`` a median (km); ``gold``/``pred`` labels add a
    majority-answer baseline (and macro-F1 for the metrics listed in ``MACRO_F1``).
    """

    metric: str
    hit: bool | None = None
    value: float | None = None
    gold: str | None = None
    pred: str | None = None
    better: Better = "higher"
    gated: bool = True
    mean: bool = False  # a ``value`` metric averaged rather than its median taken


MACRO_F1 = {"event_type.accuracy": "event_type.macro_f1"}


def is_split_note(notes: str | None) -> bool:
    """ACLED notes whose fatalities were shared out by hand ("[1 fatality split among 21 events]")."""
    return bool(notes and _SPLIT_NOTE.search(notes))


def normalise(text: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", stripped).split())


def source_parts(source: str) -> list[str]:
    """The claimants named in a gold ``source`` field ("JFO, Euromaidan Press; Reuters"); a part written in
    Cyrillic also in its Ukrainian and Russian romanisations, as a record names people ("Вадим Філашкін" is
    "Vadym Filashkin")."""
    parts = [s for s in re.split(r"[;,]", source) if s.strip()]
    written = parts + [r for s in parts if is_cyrillic(s) for r in (kmu(s), bgn(s))]
    return list(dict.fromkeys(p for p in map(normalise, written) if len(p) >= 3))


def claimant_found(names: Iterable[str], gold_source: str) -> bool:
    """Whether any predicted claimant/role fuzzily matches (partial ratio ≥ 80) one part of the gold source."""
    parts = source_parts(gold_source)
    for name in names:
        norm = normalise(name)
        if len(norm) < 3:
            continue
        if any(fuzz.partial_ratio(norm, part) >= FUZZY_THRESHOLD for part in parts):
            return True
    return False


def macro_f1(pairs: list[tuple[str | None, str | None]]) -> float:
    """Macro-averaged F1 over the gold classes (a missing prediction is wrong for every class)."""
    classes = sorted({g for g, _ in pairs if g is not None})
    if not classes:
        return 0.0
    scores = []
    for c in classes:
        tp = sum(1 for g, p in pairs if g == c and p == c)
        fp = sum(1 for g, p in pairs if g != c and p == c)
        fn = sum(1 for g, p in pairs if g == c and p != c)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def majority_share(labels: list[str | None]) -> float:
    """The score of always answering the most frequent gold label."""
    counts = Counter(labels)
    return counts.most_common(1)[0][1] / len(labels) if labels else 0.0


ORDER = (
    "coverage",
    "records",
    "event_type",
    "sub_event_type",
    "geo",
    "date",
    "fatalities",
    "injured",
    "claimant",
    "verification",
    "toponyms",
    "parallel",
)


def _order(names: list[str]) -> list[str]:
    """Metrics by family (``ORDER``), then sub-group (``geo.precision_1`` …), then first appearance."""
    seen = {n: i for i, n in enumerate(names)}

    def key(name: str) -> tuple[int, str, int]:
        family = name.split(".", 1)[0]
        group = name.rsplit(".", 1)[0] if name.count(".") > 1 else ""
        rank = ORDER.index(family) if family in ORDER else len(ORDER)
        return (rank, group, seen[name])

    return sorted(names, key=key)


def aggregate(observations: Iterable[Observation]) -> list[Metric]:
    """The figures of one group, ordered by :func:`_order`."""
    by_metric: dict[str, list[Observation]] = defaultdict(list)
    for ob in observations:
        by_metric[ob.metric].append(ob)
    metrics: list[Metric] = []
    for name in _order(list(by_metric)):
        obs = by_metric[name]
        first = obs[0]
        if first.hit is not None:
            hits = [o for o in obs if o.hit is not None]
            labelled = [o for o in hits if o.gold is not None]
            baseline = majority_share([o.gold for o in labelled]) if labelled else None
            value = sum(1 for o in hits if o.hit) / len(hits)
            metrics.append(Metric(name, value, len(hits), baseline, first.better, first.gated))
            if name in MACRO_F1 and labelled:
                f1 = macro_f1([(o.gold, o.pred) for o in labelled])
                metrics.append(Metric(MACRO_F1[name], f1, len(labelled), None, "higher", first.gated))
        else:
            values = [o.value for o in obs if o.value is not None]
            if not values:
                figure = None
            elif first.mean:
                figure = sum(values) / len(values)
            else:
                figure = statistics.median(values)
            metrics.append(Metric(name, figure, len(values), None, first.better, first.gated))
    return metrics
