"""Golden incident cases: reports of one or more incidents per file under ``tests/incident_cases/``, run through
the real pipeline and stored with linking, in two orders.

Each file holds ``reports`` (``id``, ``date``, ``lang``, ``source``, ``text``), ``incidents`` (the ids of the
reports of each incident) and ``checks`` (for the incident of a report: ``verification``, ``killed`` and
``injured`` as [low, best, high], ``source`` as the CSV's outlets, ``first_reported``, ``last_updated``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sitrep.export import incident_row
from sitrep.incidents import incidents, ingest, rebuild
from sitrep.model import Document, Record
from sitrep.pipeline import default_pipeline
from sitrep.store import Outcome, Query, SQLiteStore

CASES = sorted((Path(__file__).parent / "incident_cases").glob("*.json"))


def _extracted(case: dict[str, Any]) -> list[tuple[Document, list[Record]]]:
    docs = [Document(text=r["text"], doc_id=r["id"], date=r["date"], lang=r["lang"], source=r["source"])
            for r in case["reports"]]
    pipeline = default_pipeline()
    return [(doc, pipeline.extract(doc)) for doc in docs]


def _store(extracted: list[tuple[Document, list[Record]]]) -> SQLiteStore:
    store = SQLiteStore(":memory:")
    for doc, records in extracted:
        assert ingest(store, doc, records) is Outcome.ADDED
    return store


def _grouping(store: SQLiteStore) -> dict[str, set[str]]:
    """doc_id → its events' incident ids."""
    out: dict[str, set[str]] = {}
    for e in store.all_events():
        out.setdefault(e.doc_id, set()).add(e.incident_id or "")
    return out


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_incident_case(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    extracted = _extracted(case)
    forward = _store(extracted)
    grouping = _grouping(forward)
    for doc_id in (r["id"] for r in case["reports"]):
        assert len(grouping.get(doc_id, ())) == 1, f"{path.name}: {doc_id} should yield one incident"
    incident_of = {doc_id: next(iter(incs)) for doc_id, incs in grouping.items()}
    for group in case["incidents"]:
        assert len({incident_of[d] for d in group}) == 1, f"{path.name}: {group} should be one incident"
    firsts = [incident_of[g[0]] for g in case["incidents"]]
    assert len(set(firsts)) == len(firsts), f"{path.name}: distinct incidents were merged"

    # the same reports in the opposite order give the same incidents, with the same ids
    backward = _store(list(reversed(extracted)))
    assert _grouping(backward) == grouping
    # ingesting again changes nothing; a rebuild finds nothing to change
    for doc, records in extracted:
        assert ingest(forward, doc, records) is Outcome.UNCHANGED
    assert _grouping(forward) == grouping
    report = rebuild(forward)
    assert report.links_changed == 0 and report.events_moved == 0

    found = {i.incident_id: i for i in incidents(forward, Query())}
    for doc_id, want in case.get("checks", {}).items():
        got = found[incident_of[doc_id]]
        for key in ("killed", "injured"):
            if key in want:
                count = getattr(got, key)
                assert [count.low, count.best, count.high] == want[key], f"{path.name}: {key}"
        for key in ("verification", "first_reported", "last_updated"):
            if key in want:
                assert getattr(got, key) == want[key], f"{path.name}: {key}"
        if "source" in want:
            assert incident_row(got)["source"] == want["source"]


def test_evaluate_incidents_scores_a_gold_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sitrep.cli import main

    case = json.loads((Path(__file__).parent / "incident_cases" / "three_languages.json").read_text("utf-8"))
    group = {"en-reuters": "odesa", "uk-suspilne": "odesa", "fr-afp": "odesa", "en-kharkiv": "kharkiv"}
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(
        json.dumps({"id": r["id"], "text": r["text"], "doc_date": r["date"], "lang": r["lang"],
                    "meta": {"parallel_group": group[r["id"]]}}) + "\n" for r in case["reports"]
    ), encoding="utf-8")
    assert main(["evaluate", "--incidents", str(gold), "--json", "--errors", str(tmp_path / "err.jsonl")]) == 0
    scores = json.loads(capsys.readouterr().out)["gold"]["all"]
    assert (scores["gold_pairs"], scores["linked_pairs"], scores["precision"], scores["recall"]) == (3, 3, 1.0, 1.0)
    assert scores["rows_falsely_linked"] == 0.0
    assert (tmp_path / "err.jsonl").read_text() == ""
    assert main(["evaluate", "--incidents"]) == 2  # no gold given
