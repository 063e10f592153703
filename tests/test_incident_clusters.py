"""Golden clusters: reports of one incident from different outlets and languages, with look-alike reports
of other incidents mixed in (``tests/incident_clusters/clusters.jsonl``), run through the real pipeline and
linked as ``sitrep evaluate --incidents`` links them.

Each row is a report (``id``, ``incident``, ``lang``, ``source``, ``doc_date``, ``text``); a look-alike
names the incident it could be taken for (``lookalike_of``): the same city on the same day (another strike,
another district, another target, the next night), the same town struck by the other side, a claim about the neighbouring
village, a strike elsewhere in the province. One report has no date of its own and carries the date its
ingest gave it (``ingest_date``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.cli import main
from sitrep.errors import EvaluationError
from sitrep.incidents.evaluate import read_gold

CLUSTERS = Path(__file__).parent / "incident_clusters" / "clusters.jsonl"


def test_clusters_link_across_languages_and_keep_look_alikes_apart(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "--incidents", str(CLUSTERS), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)["clusters"]
    for half in ("tune", "check", "all"):
        got = scores[half]
        assert got["f1"] >= 0.85, (half, got)
        assert got["lookalike_linked"] <= 0.05, (half, got)
        assert got["lookalike_pairs"] >= 15, (half, got)  # the look-alikes are in both halves
    assert scores["all"]["undated"] == 0  # the one undated report was given its ingest date


def test_an_undated_report_takes_its_ingest_date_and_says_so() -> None:
    gold = {g.id: g for g in read_gold(CLUSTERS)}
    assert gold["lviv-ru-undated"].document.date == "2024-09-04"
    assert gold["lviv-uk"].document.date == "2024-09-04"
    assert gold["dnipro-pm-uk"].lookalike_of == "dnipro-2024-04-12-morning"


def test_a_look_alike_of_an_unknown_incident_is_an_error_with_its_line(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    rows = [{"id": "a", "incident": "A", "text": "Shelling hit Kherson.", "doc_date": "2024-01-01"},
            {"id": "b", "incident": "B", "text": "Shelling hit Kherson.", "doc_date": "2024-01-01",
             "lookalike_of": "C"}]
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"gold\.jsonl:2: row b: lookalike_of names no incident"):
        read_gold(gold)
