"""Per-language knowledge, stored as data.

Each language lives in ``lang/<iso>/`` with the same fixed file names; adding a
language means adding these files, not code:

- ``triggers.json``   event triggers: regex patterns mapped to ACLED types, weapons, polarity
- ``numbers.json``    number words and casualty words (killed, injured, hospitalised, missing)
- ``dates.json``      weekday and month names, relative day words
- ``claims.json``     reporting verbs, claimant bodies, channels, verification hedges
- ``actors.json``     actor names and adjectives mapped to ACLED actor names
- ``modality.json``   markers of future, hypothetical, negated or generic statements
- ``aid.json``        donors' verbs, scale words, currencies, aid categories
- ``units.json``      nouns of administrative units named by lists of adjectives ("les communes de A, B et C")
- ``places.json``     place prepositions, which tell a capital named as a place from one standing for its government
- ``page.json``       what on a web page is not the report ("Читайте також: …", "Related news", "Реклама")
- ``incidents.json``  parts of the day ("overnight", "ввечері") that keep two incidents of one day apart

A missing file reads as empty, so a language can start with only some of them.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from sitrep import rx
from sitrep.errors import LanguageDataError

LANGUAGES = ("en", "fr", "uk", "ru")
FILES = ("triggers", "numbers", "dates", "claims", "actors", "modality", "aid", "units", "places", "incidents", "page")


@cache
def load(lang: str, name: str) -> Any:
    """The parsed ``lang/<lang>/<name>.json``, or ``{}`` when the language has no such file."""
    if name not in FILES:
        raise LanguageDataError(f"unknown language file {name!r}; expected one of {', '.join(FILES)}")
    path = resources.files("sitrep.lang").joinpath(lang, f"{name}.json")
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise LanguageDataError(f"lang/{lang}/{name}.json line {e.lineno}: {e.msg}") from e


def pattern(lang: str, name: str, regex: str, *, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """``regex`` from ``lang/<lang>/<name>.json``, compiled to match whole words only.

    A malformed pattern raises :class:`LanguageDataError` naming the file and the pattern.
    """
    try:
        return rx.compile(rf"(?<![\w-])(?:{regex})(?![\w])", flags)
    except re.error as e:
        raise LanguageDataError(f"lang/{lang}/{name}.json: bad pattern {regex!r}: {e}") from e
