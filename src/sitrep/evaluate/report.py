"""The evaluation result: figures per dataset and language, as JSON or a readable table."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

Better = Literal["higher", "lower"]

ALL = "all"


@dataclass(frozen=True, slots=True)
class Metric:
    """One figure. ``baseline`` is the majority answer's score on the same rows, when it has one.

    ``gated`` figures are the ones score floors apply to; the others (counts, records
    per document) describe the run without being better or worse.
    """

    name: str
    value: float | None
    n: int
    baseline: float | None = None
    better: Better = "higher"
    gated: bool = True

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": _num(self.value), "n": self.n}
        if self.baseline is not None:
            out["baseline"] = _num(self.baseline)
        if self.gated:
            out["better"] = self.better
        return out


def _num(value: float | None) -> float | None:
    if value is None or math.isinf(value) or math.isnan(value):
        return None
    return round(value, 4)


@dataclass(frozen=True, slots=True)
class Section:
    dataset: str
    lang: str
    docs: int
    metrics: tuple[Metric, ...]

    def metric(self, name: str) -> Metric | None:
        return next((m for m in self.metrics if m.name == name), None)


@dataclass(frozen=True, slots=True)
class Report:
    sections: tuple[Section, ...]
    info: dict[str, Any] = field(default_factory=dict)

    def section(self, dataset: str, lang: str = ALL) -> Section | None:
        return next((s for s in self.sections if s.dataset == dataset and s.lang == lang), None)

    def scores(self) -> dict[str, Metric]:
        """Every figure under its key ``dataset/lang/metric`` (the keys score floors use)."""
        return {f"{s.dataset}/{s.lang}/{m.name}": m for s in self.sections for m in s.metrics}

    def to_json(self) -> dict[str, Any]:
        return {
            "info": self.info,
            "sections": [
                {
                    "dataset": s.dataset,
                    "lang": s.lang,
                    "docs": s.docs,
                    "metrics": {m.name: m.to_json() for m in s.metrics},
                }
                for s in self.sections
            ],
        }


def _fmt(value: float | None, name: str) -> str:
    if value is None:
        return "–"
    if name.endswith("_km") or name.startswith("records.per") or name.endswith("per_report"):
        return f"{value:.1f}"
    return f"{value:.3f}"


def render(report: Report) -> str:
    """A plain-text table: one block per dataset and language."""
    lines: list[str] = []
    for s in report.sections:
        lines.append(f"{s.dataset} [{s.lang}]  documents: {s.docs}")
        width = max((len(m.name) for m in s.metrics), default=10)
        lines.append(f"  {'metric':<{width}}  {'value':>8}  {'n':>6}  {'majority':>8}")
        for m in s.metrics:
            base = _fmt(m.baseline, m.name) if m.baseline is not None else ""
            lines.append(f"  {m.name:<{width}}  {_fmt(m.value, m.name):>8}  {m.n:>6}  {base:>8}")
        lines.append("")
    return "\n".join(lines)
