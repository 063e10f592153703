"""A word written alone in a text: the same answer as the regular expression it replaces."""

from __future__ import annotations

import random
import re

from sitrep.gazetteer.filters import _written_alone, acronym, written_lower


def test_a_word_is_found_alone_where_the_pattern_finds_it() -> None:
    rng = random.Random(1)
    letters = "abAB_1.-/@ é\u0660xX\u2160"  # digits of other scripts, a Roman numeral: word characters too
    for _ in range(20_000):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(0, 12)))
        word = "".join(rng.choice("abAB") for _ in range(rng.randint(0, 2)))
        for joiners in ("", "./@-"):
            j = re.escape(joiners)
            expected = re.search(rf"(?<![\w{j}]){re.escape(word)}(?![\w{j}])", text) is not None
            assert _written_alone(text, word, joiners) == expected, (text, word, joiners)


def test_capitals_written_as_a_word_elsewhere() -> None:
    text = "L'ASSAUT RUSSE SUR BAKHMUT. Les troupes sont sur place, voir gov.sur.ca"
    assert written_lower(text, "SUR")
    assert not written_lower("SUR le site gov.sur.ca", "SUR")
    assert not acronym("AMHERST is a town. Amherst voted.", 0, 7)
    assert acronym("The OTAN summit met.", 4, 8)
