"""The real-report incident clusters (``eval/incident_pages/``): their annotations are well formed and can be
scored without their texts, which CI does not have (the texts are re-obtained by hand, see the folder's
README; ``sitrep evaluate --incidents`` scores them then)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from sitrep.incidents.evaluate import look_alike_pairs, read_gold

ANNOTATIONS = Path(__file__).parent.parent / "eval" / "incident_pages" / "incident_pages.annotations.jsonl"
FIELDS = {"id", "lang", "doc_date", "date_source", "query", "rank", "url", "incident", "events", "notes",
          "text_sha256", "text_len", "text_norm_sha256", "text_words"}


def _rows() -> list[dict[str, object]]:
    return [json.loads(line) for line in ANNOTATIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_rows_name_where_their_text_is_found_and_keep_no_text() -> None:
    rows = _rows()
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({r["url"] for r in rows}) == len(rows)  # each report once
    for r in rows:
        assert set(r) >= FIELDS and "text" not in r, r["id"]
        assert r["lang"] in ("en", "fr", "uk", "ru"), r["id"]
        assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", str(r["doc_date"])), r["id"]  # every report is dated
        assert str(r["url"]).startswith(("http://", "https://")), r["id"]


def test_incidents_are_told_by_several_outlets_in_several_languages() -> None:
    outlets: dict[str, set[str]] = defaultdict(set)
    langs: dict[str, set[str]] = defaultdict(set)
    for r in _rows():
        host = re.sub(r"^(?:www\.|amp\.|m\.|lite\.)", "", str(r["url"]).split("/")[2])
        outlets[str(r["incident"])].add(host)
        langs[str(r["incident"])].add(str(r["lang"]))
    told = [k for k, v in outlets.items() if len(v) >= 2]
    assert len(told) >= 12  # incidents told by two or more different outlets
    assert sum(len(langs[k]) >= 2 for k in told) >= 8  # most in two languages or more


def test_the_file_reads_as_gold_with_its_look_alikes(tmp_path: Path) -> None:
    stub = tmp_path / "stub.jsonl"  # the annotations with a placeholder text, as read_gold needs one
    stub.write_text("".join(json.dumps({**r, "text": "—"}) + "\n" for r in _rows()), encoding="utf-8")
    gold = read_gold(stub)
    halves = {g.incident for g in gold}
    assert len(halves) == len({r["incident"] for r in _rows()})
    pairs = look_alike_pairs(gold)
    assert len(pairs) >= 30
    assert {where for _, _, where in pairs} >= {"tune", "check"}  # look-alikes are scored in both halves
