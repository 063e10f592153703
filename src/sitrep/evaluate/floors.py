"""Score floors: a gate that fails when a figure drops, and raising floors after an improvement.

The floors file (``eval/baseline.json``)::

    {"floors":   {"corpus/all/event_type.accuracy": 0.62, ...},   # higher is better
     "ceilings": {"corpus/all/geo.median_km": 12.5, ...}}          # lower is better

Keys are ``dataset/lang/metric`` as in :meth:`Report.scores`. A key that the report
does not measure fails the gate: a gate must not pass by leaving a figure out.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.errors import EvaluationError
from sitrep.evaluate.report import Report

EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Breach:
    key: str
    value: float | None
    bound: float
    kind: str  # "floor" or "ceiling"

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.key}: not measured (its {self.kind} is {self.bound:g})"
        rel = "below" if self.kind == "floor" else "above"
        return f"{self.key}: {self.value:.4f} is {rel} its {self.kind} {self.bound:g}"


def read_baseline(path: str | Path) -> dict[str, dict[str, float]]:
    p = Path(path)
    if not p.exists():
        return {"floors": {}, "ceilings": {}}
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise EvaluationError(f"{p}: cannot read score floors ({e})") from e
    if not isinstance(data, dict) or not isinstance(data.get("floors", {}), dict):
        raise EvaluationError(f'{p}: expected {{"floors": {{key: number}}, "ceilings": {{key: number}}}}')
    return {"floors": dict(data.get("floors") or {}), "ceilings": dict(data.get("ceilings") or {})}


def write_baseline(path: str | Path, baseline: dict[str, dict[str, float]]) -> None:
    data: dict[str, Any] = {
        "floors": dict(sorted(baseline.get("floors", {}).items())),
        "ceilings": dict(sorted(baseline.get("ceilings", {}).items())),
    }
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def gate(report: Report, baseline: dict[str, dict[str, float]]) -> list[Breach]:
    """The floors and ceilings ``report`` breaks (empty when it passes)."""
    scores = report.scores()
    breaches = []
    for key, bound in sorted(baseline.get("floors", {}).items()):
        m = scores.get(key)
        value = m.value if m else None
        if value is None or value < bound - EPS:
            breaches.append(Breach(key, value, bound, "floor"))
    for key, bound in sorted(baseline.get("ceilings", {}).items()):
        m = scores.get(key)
        value = m.value if m else None
        if value is None or value > bound + EPS:
            breaches.append(Breach(key, value, bound, "ceiling"))
    return breaches


def update_baseline(
    report: Report, baseline: dict[str, dict[str, float]], *, allow_lower: bool = False
) -> dict[str, dict[str, float]]:
    """New floors and ceilings from ``report``'s gated figures.

    Every floor moves up to the measured figure (rounded down to 4 places) and
    every ceiling down to it. If a figure is worse than its current bound the
    update is refused with :class:`EvaluationError` naming each one, unless
    ``allow_lower`` is true. Keys the report does not measure are kept.
    """
    scores = report.scores()
    measured = {kind: {k: v for k, v in bounds.items() if k in scores} for kind, bounds in baseline.items()}
    breaches = gate(report, measured)
    if breaches and not allow_lower:
        raise EvaluationError(
            "refusing to lower score floors (pass --allow-lower to accept): "
            + "; ".join(str(b) for b in breaches)
        )
    floors = dict(baseline.get("floors", {}))
    ceilings = dict(baseline.get("ceilings", {}))
    for key, m in scores.items():
        if not m.gated or m.value is None or math.isinf(m.value):
            continue
        if m.better == "higher":
            new = math.floor(m.value * 10_000) / 10_000
            floors[key] = new if allow_lower else max(new, floors.get(key, new))
        else:
            new = math.ceil(m.value * 10_000) / 10_000
            ceilings[key] = new if allow_lower else min(new, ceilings.get(key, new))
    return {"floors": floors, "ceilings": ceilings}
