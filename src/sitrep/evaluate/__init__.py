"""Measuring sitrep: accuracy against gold files and the project's corpus, and score floors.

Public API::

    evaluate(paths, *, limit=None, sample=None, seed=0, predict=None, errors_path=None,
             workers=1, geoparse=None) -> Report
    render(report) -> str
    gate(report, baseline) -> list[Breach]
    update_baseline(report, baseline, *, allow_lower=False) -> baseline
    read_baseline(path), write_baseline(path, baseline)
"""

from typing import TYPE_CHECKING

from sitrep.lazy import lazy_exports

if TYPE_CHECKING:
    from sitrep.evaluate.floors import Breach, gate, read_baseline, update_baseline, write_baseline
    from sitrep.evaluate.report import Metric, Report, Section, render
    from sitrep.evaluate.runner import evaluate

__getattr__ = lazy_exports(__name__, {
    **dict.fromkeys(("Breach", "gate", "read_baseline", "update_baseline", "write_baseline"), "floors"),
    **dict.fromkeys(("Metric", "Report", "Section", "render"), "report"),
    "evaluate": "runner",
})

__all__ = [
    "Breach",
    "Metric",
    "Report",
    "Section",
    "evaluate",
    "gate",
    "read_baseline",
    "render",
    "update_baseline",
    "write_baseline",
]
