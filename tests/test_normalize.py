"""Normalisation at the door: invisible characters are nothing inside words, NFC, offsets into the original."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest

from sitrep.model import Document
from sitrep.normalize import INVISIBLE, normalize
from sitrep.pipeline import default_pipeline


def test_invisible_is_exactly_the_format_characters() -> None:
    cf = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    matched = {chr(c) for c in range(sys.maxunicode + 1) if INVISIBLE.fullmatch(chr(c))}
    assert matched == cf


@pytest.mark.parametrize(
    ("text", "seen"),
    [
        ("Khar\u200bkiv", "Kharkiv"),
        ("Khar\u00adkiv", "Kharkiv"),
        ("Bakh\u200dmut", "Bakhmut"),
        ("\ufeffKyiv\u200e and \u202bOdesa\u202c", "Kyiv and Odesa"),
        ("Ukraine\u2066\u2069", "Ukraine"),
        ("Kharkiv", "Kharkiv"),
        ("Cafe\u0301 in Ode\u0301sa", "Café in Odésa"),  # decomposed → composed
        ("Київ", "Київ"),
        ("Й", "Й"),  # И + combining breve
    ],
)
def test_normalized_text_and_spans_back_into_the_original(text: str, seen: str) -> None:
    n = normalize(text)
    assert n.text == seen
    assert n.text == unicodedata.normalize("NFC", INVISIBLE.sub("", text))
    for word in seen.split():
        i = seen.index(word)
        start, end = n.span(i, i + len(word))
        assert normalize(text[start:end]).text == word  # the original span reads as the word
        assert not INVISIBLE.match(text[start]) and not INVISIBLE.match(text[end - 1])


def test_normalisation_is_idempotent_and_free_on_clean_text() -> None:
    n = normalize("Khar\u200bkiv e\u0301")
    assert normalize(n.text).text == n.text and normalize(n.text).identity
    assert normalize("plain ascii").identity


@pytest.mark.slow
def test_invisible_characters_do_not_move_events(gaz_path: Path) -> None:
    text = (
        "Russian forces shelled Khar\u200bkiv on Monday, killing four civilians, the governor said.\n\n"
        "Russian artillery shelled Bakh\u00admut on Tuesday, killing two soldiers."
    )
    plain = text.replace("\u200b", "").replace("\u00ad", "")
    records = default_pipeline().extract(Document(text=text, date="2023-02-15", lang="en"))
    expected = default_pipeline().extract(Document(text=plain, date="2023-02-15", lang="en"))
    places = sorted((r.location.name, r.location.country) for r in records if r.location)  # type: ignore[union-attr]
    assert places == [("Bakhmut", "Ukraine"), ("Kharkiv", "Ukraine")]
    assert len(records) == len(expected)
    for record in records:
        for e in record.evidence:
            assert text[e.start : e.end] == e.trigger  # offsets into the text as written
            assert e.sentence in text
    starts = sorted(r.evidence[0].start for r in records)
    clean = sorted(r.evidence[0].start for r in expected)
    # the first trigger comes before any invisible character, the second after the zero-width space
    assert [a - b for a, b in zip(starts, clean, strict=True)] == [0, 1]


@pytest.mark.slow
def test_geoparse_spans_point_into_the_original(gaz_path: Path) -> None:
    from sitrep.gazetteer import geoparse

    text = "Explosions were heard in Khar\u200bkiv and Bakh\u00admut."
    found = {t["place"]: (t["start"], t["end"], t["text"], t["country"]) for t in geoparse(text, lang="en")}
    assert found["Kharkiv"] == (25, 33, "Khar\u200bkiv", "Ukraine")
    assert found["Bakhmut"] == (38, 46, "Bakh\u00admut", "Ukraine")
