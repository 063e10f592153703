"""The uk/ru golden cases, checked at the level that runs without the records stage.

Every case file is well formed, its language is identified, each expected
sub-event type is proposed by a trigger (or, for a generic trigger, by a weapon
named with it), and each expected fatality or injury count is found as a
casualty mention. The full-pipeline check of the same files lives with the
records stage.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.model import EVENT_TYPES
from sitrep.stages import language, numbers, sentences, triggers

CASES = sorted((Path(__file__).parent / "cases").glob("[ur][ku]/*.json"))
KEYS = {"kind", "event_type", "sub_event_type", "location", "admin1", "admin2", "geo_precision", "fatalities", "injured", "actor1",
        "actor2", "claimant", "channel", "verification", "event_date", "time_precision", "claims", "modality",
        "weapon"}


def test_there_are_enough_cases() -> None:
    assert len([c for c in CASES if c.parent.name == "uk"]) >= 15
    assert len([c for c in CASES if c.parent.name == "ru"]) >= 15


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_case(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    lang, text = case["lang"], case["text"]
    assert lang == path.parent.name
    assert set(case) <= {"text", "date", "lang", "source", "expect", "not_locations", "max_events"}
    assert language.identify(text) == lang
    proposed: set[str] = set()
    killed: set[int] = set()
    injured: set[int] = set()
    for s, e in sentences.split(text):
        found = triggers.scan(text[s:e], lang)
        proposed |= {m.value for m in found if m.kind == "trigger"}
        if any(m.kind == "trigger" and m.attr("generic") for m in found):
            proposed |= {m.attr("sub_event_type") for m in found if m.kind == "weapon"}
        for m in numbers.casualties(text[s:e], lang):
            (killed if m.attr("type") == "killed" else injured).add(m.value)
    for exp in case["expect"]:
        assert set(exp) <= KEYS
        assert exp["sub_event_type"] in EVENT_TYPES[exp["event_type"]]
        assert exp["sub_event_type"] in proposed, f"no trigger proposes {exp['sub_event_type']}: {proposed}"
        if "fatalities" in exp:
            assert exp["fatalities"] in killed
        if "injured" in exp:
            assert exp["injured"] in injured
