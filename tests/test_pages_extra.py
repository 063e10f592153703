"""The second real-report tune set (``eval/pages_extra.annotations.jsonl``): its committed form is well formed
and, once a text is attached, its ``pagesx:`` rows are read and scored as real reports. No text is needed."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from recordkit import event
from sitrep.evaluate.gold import half, load
from sitrep.evaluate.runner import evaluate
from sitrep.model import EVENT_TYPES, Place

ANNOTATIONS = Path(__file__).resolve().parents[1] / "eval" / "pages_extra.annotations.jsonl"
LANGS = ("fr", "en", "uk", "ru")
PER_LANG = 10
DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def _rows() -> list[dict]:
    return [json.loads(line) for line in ANNOTATIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_extra_set_holds_ten_reports_per_language_without_their_texts():
    rows = _rows()
    assert Counter(r["lang"] for r in rows) == {lang: PER_LANG for lang in LANGS}
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({r["url"] for r in rows}) == len(rows), "two rows from one address"
    for r in rows:
        assert re.fullmatch(rf"pagesx:{r['lang']}:\d\d", r["id"]), r["id"]
        assert "text" not in r, f"{r['id']}: the committed form holds no text"
        assert len(r["text_norm_sha256"]) == 64 and r["text_words"] and r["text_len"] > 0
        assert r["query"] and isinstance(r["rank"], int) and r["url"].startswith(("https://", "http://"))
        assert r["doc_date"] is None or DATE.match(r["doc_date"]), r["id"]
        assert r["date_source"] in ("header", "text", "url", "unknown"), r["id"]
        assert all(isinstance(p, str) and p for p in r["not_event_locations"]), r["id"]
    assert {half(r["id"]) for r in rows} == {"tune", "check"}


def test_every_coded_event_is_in_the_taxonomy_with_a_point_and_numbers_or_none():
    events = [(r["id"], e) for r in _rows() for e in r["events"]]
    assert events
    for rid, e in events:
        assert e["sub_event_type"] in EVENT_TYPES[e["event_type"]], (rid, e["sub_event_type"])
        assert e["precision"] in ("town", "near_town", "oblast", "country"), rid
        # Ukraine and the Russian regions that border it
        assert 44.0 < e["lat"] < 56.0 and 22.0 < e["lon"] < 41.0, (rid, e["place"])
        for n in (e["killed"], e["injured"]):
            assert n is None or (isinstance(n, int) and n >= 0), (rid, e["place"])
        assert e["date"] is None or DATE.match(e["date"]), rid
        assert isinstance(e["uncertain"], bool) and e["place"] and e["place_as_written"], rid


def test_a_pagesx_row_with_its_text_is_scored_as_a_real_report(tmp_path):
    row = next(r for r in _rows() if any(e["killed"] is not None and not e["uncertain"] for e in r["events"]))
    # the scoring form: the committed row with a text (a stand-in here: the tests never need the real ones)
    scored = {**row, "text": "A stand-in for the report's text."}
    path = tmp_path / "pages_extra.jsonl"
    path.write_text(json.dumps(scored, ensure_ascii=False) + "\n", encoding="utf-8")
    (ds,) = load(path)
    assert ds.kind == "pages" and ds.rows[0].id.startswith("pagesx:")

    def at_gold(doc):
        return [
            event(doc.doc_id).with_(
                location=Place(name=g["place"], country="Ukraine", iso2="UA", latitude=g["lat"], longitude=g["lon"]),
                fatalities=g["killed"],
                injured=g["injured"],
            )
            for g in row["events"]
        ]

    report = evaluate([path], predict=at_gold)
    section = report.section("pages_extra")
    assert section is not None
    assert section.metric("pages.recall").value == 1.0
    assert section.metric("pages.killed_exact").value == 1.0
    missed = evaluate([path], predict=lambda doc: [])
    assert missed.section("pages_extra").metric("pages.recall").value == 0.0
