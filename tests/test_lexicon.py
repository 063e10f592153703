"""One pass of a lexicon finds exactly what each of its patterns' ``finditer`` finds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sitrep.lang import LANGUAGES, pattern
from sitrep.stages import claims, dates, entities, triggers
from sitrep.stages.lexicon import Lexicon, _prefixes

CORPUS = Path(__file__).resolve().parent.parent / "eval" / "corpus"


def _texts() -> list[str]:
    texts = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted(CORPUS.glob("*/*.json"))]
    # every case of every letter, the letters whose case mapping is odd, digits and words glued by hyphens
    odd = "İstanbul ſhelling ΟΔΟΣ Kelvin-K 155mm 155-mm 3 km north-west of x-shelled ДРГ-обстріл"
    odd += " le 1er mars 2024, 2024-03-01 x2024-03-01 01.03.2024 .01.03.2024 a12 March 12 March; 5-го травня вчора"
    return texts + [t.upper() for t in texts[:6]] + [t.swapcase() for t in texts[6:12]] + [odd]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_language_s_lexicons_match_as_each_pattern_alone(lang: str) -> None:
    texts = _texts()
    said = claims.lexicon(lang)
    for lex in (triggers._scanner(lang)[0], entities._lexicon(lang), dates._lexicon(lang), said.channels_at,
                said.verification_at):
        for text in texts:
            found = lex.matches(text)
            for k, p in enumerate(lex.patterns):
                assert [m.span() for m in found[k]] == [m.span() for m in p.finditer(text)], (lang, p.pattern)


def test_patterns_are_keyed_by_their_first_letters_in_lower_case() -> None:
    whole = pattern("en", "triggers", r"shell(?:ed|ing)|(?:RGD|F)-\d+ grenades?|\d+ ?km|it")
    keys = _prefixes(whole.pattern, whole.flags)
    assert {"she", "rgd", "f-1", "it", "ıt", "1"} <= keys
    assert "ſhe" in keys  # the long s matches "s" when case is ignored
    assert not any(a != b and b.startswith(a) for a in keys for b in keys)  # none begins another


def test_a_pattern_that_may_begin_anywhere_is_run_over_the_whole_text() -> None:
    lex = Lexicon([re.compile(r"\w+ed\b"), pattern("en", "triggers", "shelled")])
    text = "Troops shelled and looted the town."
    assert [[m.group(0) for m in ms] for ms in lex.matches(text)] == [["shelled", "looted"], ["shelled"]]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_patterns_tried_where_a_line_begins_are_all_that_can_match_there(lang: str) -> None:
    heads = claims.lexicon(lang).heads
    lines = [line.strip() for text in _texts() for line in re.split(r"(?<=[.:!?\n])", text)]
    assert len(lines) > 100
    for line in [*lines, "", ":", "«Повітряні сили: …»"]:
        tried = set(heads.candidates(line[:1]))
        for k, p in enumerate(heads.patterns):
            if p.match(line):
                assert k in tried, (lang, p.pattern, line)
