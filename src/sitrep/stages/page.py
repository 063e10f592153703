"""Page furniture: the lines of a web page that are not the report.

A report copied from a news site carries the site's furniture: "Читайте також: …" and "Lire aussi : …" lines
that link another article, blocks of related headlines under "ЩЕ ЗА ТЕМОЮ" or "Related news" with their
timestamps, "Реклама" and "Advertisement". Their headlines tell other events, often of other days; read as the
report's sentences they become records the report never told. The words are data (``lang/<iso>/page.json``),
read for every language at once: a Ukrainian page may carry a Russian sidebar.

- a line opened by a *see also* word and a colon or a dash is a link: skipped;
- a line that is only a *related* heading starts a block of links: it and the short lines after it (headlines,
  timestamps) are skipped, up to the first line long enough to be the report's prose;
- a line that is only a *furniture* word, or only a time and date, is skipped.
"""

from __future__ import annotations

import re
from functools import cache

from sitrep import lang as langdata
from sitrep import rx

PROSE = 140  # a line at least this long is a paragraph of prose, not a headline in a list of links
_LINE = re.compile(r"[^\n]*")
_CLOCK_OR_DATE = re.compile(r"\d{1,2}:\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}")
_WORD = re.compile(r"[^\W\d_]+")


def _stamp(line: str) -> bool:
    """A line that is only a time and a date ("09:18, 21.01.2026", "18:55 11 гру 2025.", "12 mars 2024, 14h05"):
    a clock time or a numeric date, and at most two short words (a month, a weekday)."""
    words = _WORD.findall(line)
    return (len(line.strip()) <= 40 and _CLOCK_OR_DATE.search(line) is not None
            and len(words) <= 2 and all(len(w) <= 10 for w in words))


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    see: list[str] = []
    related: list[str] = []
    furniture: list[str] = []
    for code in langdata.LANGUAGES:
        data = langdata.load(code, "page")
        see += data.get("see_also", [])
        related += data.get("related", [])
        furniture += data.get("furniture", [])

    def alt(words: list[str]) -> str:
        return "|".join(sorted(dict.fromkeys(words), key=len, reverse=True))  # in data order, the same in every process

    return (
        rx.compile(rf"\s*[\W_]*(?:{alt(see)})\s*(?::|—|–|-|\||»|>|$)", re.I),
        rx.compile(rf"[\W_]*(?:{alt(related)})[\s:.!»>|]*", re.I),
        rx.compile(rf"[\W_]*(?:{alt(furniture)})[\s:.!»>|\d]*", re.I),
    )


def furniture(text: str) -> list[tuple[int, int, str]]:
    """(start, end, why) of each line of ``text`` that is page furniture, in order."""
    see, related, plain = _patterns()
    out: list[tuple[int, int, str]] = []
    block = False
    for m in _LINE.finditer(text):
        line = m.group(0)
        if not line.strip():
            continue
        start, end = m.start(), m.end()
        if related.fullmatch(line):
            block = True
            out.append((start, end, "a heading of links to other articles"))
        elif block and len(line.strip()) < PROSE:
            out.append((start, end, "a link in a block of other articles"))
        elif see.match(line):
            block = False
            out.append((start, end, "a link to another article"))
        elif plain.fullmatch(line) or _stamp(line):
            out.append((start, end, "page furniture"))
        else:
            block = False
    return out


def furniture_at(spans: list[tuple[int, int, str]], start: int) -> str | None:
    """Why the sentence starting at ``start`` is furniture, or None."""
    for a, b, why in spans:
        if a <= start < b:
            return why
        if a > start:
            break
    return None
