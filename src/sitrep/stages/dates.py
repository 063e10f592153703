"""Dates: every date expression of a sentence, resolved against the report's date.

Reads ``lang/<iso>/dates.json``. A resolved date is a :class:`When`: the date
string as precise as the text and the report date allow, and ACLED's
``time_precision`` (1 a day, 2 a week or an approximate day, 3 a month or
coarser).

Rules that keep dates honest:
- a day and month without a year take the report's year, or the year before
  when that would put the event after the report ("le 24 février" in a report
  of February 2023 is 2023-02-24; "28 December" in a report of 3 January is the
  year before);
- a weekday resolves to the latest such day on or before the report date; in a
  report dated only by month it cannot be resolved, and the event keeps the
  month with precision 3;
- nothing in the past is dated after its report.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import MAXYEAR, MINYEAR, date, timedelta
from functools import cache
from typing import ClassVar

from sitrep import lang as langdata
from sitrep import rx
from sitrep.model import Analysis, Mention
from sitrep.stages.lexicon import Lexicon


@dataclass(frozen=True, slots=True)
class When:
    value: str  # YYYY-MM-DD, YYYY-MM or YYYY
    precision: int  # ACLED time_precision


def parse_report_date(value: str | None) -> tuple[date | None, int]:
    """The report date as a ``date`` (first of the month when only a month is known) and its precision."""
    if not value:
        return None, 3
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return date(parts[0], parts[1], parts[2]), 1
    if len(parts) == 2:
        return date(parts[0], parts[1], 1), 3
    return date(parts[0], 1, 1), 3


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _Grammar:
    months: dict[str, int]
    weekdays: dict[str, int]
    relative_days: dict[str, int]
    relative_weeks: dict[str, int]
    patterns: list[re.Pattern[str]]
    weekday: re.Pattern[str] | None
    relative: re.Pattern[str] | None
    weeks: re.Pattern[str] | None
    month_only: re.Pattern[str] | None  # "in November", "en février 2022": a month, no day


@cache
def grammar(lang: str) -> _Grammar:
    data = langdata.load(lang, "dates")
    months = {k.lower(): int(v) for k, v in data.get("months", {}).items()}
    month_alt = _alt(months) or "(?!)"
    patterns = [
        rx.compile(rf"(?<![\w]){p.replace('MONTH', month_alt)}(?![\w])", re.I)
        for p in (data.get("day_month"), data.get("month_day"))
        if p
    ]
    patterns.append(rx.compile(r"(?<![\w.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?![\w])"))
    patterns.append(rx.compile(r"(?<![\w-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\w])"))
    weekdays = {k.lower(): int(v) for k, v in data.get("weekdays", {}).items()}
    rel = {k.lower(): int(v) for k, v in data.get("relative_days", {}).items()}
    weeks = {k.lower(): int(v) for k, v in data.get("relative_weeks", {}).items()}

    def word(d: dict[str, int]) -> re.Pattern[str] | None:
        return rx.compile(rf"(?<![\w'’-])(?:{_alt(d)})(?![\w])", re.I) if d else None

    only = data.get("month_only")
    month_only = rx.compile(rf"(?<![\w]){only.replace('MONTH', month_alt)}(?![\w])", re.I) if only else None
    return _Grammar(months, weekdays, rel, weeks, patterns, word(weekdays), word(rel), word(weeks), month_only)


def _month_number(g: _Grammar, raw: str) -> int:
    return int(raw) if raw.isdigit() else g.months[raw.lower().rstrip(".")]


def _fit(day: int, month: int, year: int) -> date | None:
    if not 1 <= month <= 12 or not MINYEAR <= year <= MAXYEAR:
        return None
    last = calendar.monthrange(year, month)[1]
    return date(year, month, day) if 1 <= day <= last else None


@cache
def _lexicon(lang: str) -> Lexicon:
    """The patterns of ``lang``'s grammar (the day patterns, then month, relative day, weekday and week)
    matched together in one pass; a pattern a language lacks matches nothing."""
    g = grammar(lang)
    return Lexicon([*g.patterns, *(p or _NOTHING for p in (g.month_only, g.relative, g.weekday, g.weeks))])


_NOTHING = re.compile(r"(?<![\w])\x00(?!)")  # matches nowhere; keyed by its first character, NUL


def find_dates(text: str, lang: str, report: str | None) -> list[tuple[int, int, When, str]]:
    """(start, end, resolved date, rule) for each date expression in ``text``."""
    g = grammar(lang)
    base, base_prec = parse_report_date(report)
    *by_day, by_month, by_relative, by_weekday, by_weeks = _lexicon(lang).matches(text)
    out: list[tuple[int, int, When, str]] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for found in by_day:
        for m in found:
            if not free(m.start(), m.end()):
                continue
            day_raw = m.group("day").lower().replace("er", "")
            month = _month_number(g, m.group("month"))
            year_raw = m.group("year")
            if year_raw:
                year = int(year_raw)
            elif base is not None:
                year = base.year
                guess = _fit(int(day_raw), month, year)
                # a day later than the report (beyond its month when dated by month) is last year's
                limit = base if base_prec == 1 else base.replace(day=calendar.monthrange(base.year, base.month)[1])
                if guess and guess > limit + timedelta(days=1):
                    year -= 1
            else:
                continue
            d = _fit(int(day_raw), month, year)
            if d is None:
                continue
            taken.append((m.start(), m.end()))
            out.append((m.start(), m.end(), When(d.isoformat(), 1), "dates:explicit"))
    if g.month_only is not None and base is not None:
        for m in by_month:
            if not free(m.start(), m.end()):
                continue
            month = _month_number(g, m.group("month"))
            year = int(m.group("year")) if m.group("year") else base.year - (1 if month > base.month else 0)
            taken.append((m.start(), m.end()))
            out.append((m.start(), m.end(), When(f"{year:04d}-{month:02d}", 3), "dates:month"))
    if g.relative is not None:
        for m in by_relative:
            if not free(m.start(), m.end()):
                continue
            taken.append((m.start(), m.end()))
            shift = g.relative_days[m.group(0).lower()]
            out.append((m.start(), m.end(), _shift(base, base_prec, report, shift), "dates:relative"))
    if g.weekday is not None:
        for m in by_weekday:
            if not free(m.start(), m.end()):
                continue
            taken.append((m.start(), m.end()))
            wd = g.weekdays[m.group(0).lower()]
            back = (base.weekday() - wd) % 7 if base is not None and base_prec == 1 else None
            day = _plus(base, -back) if base is not None and back is not None else None
            if day is not None:
                out.append((m.start(), m.end(), When(day.isoformat(), 1), "dates:weekday"))
            else:
                out.append((m.start(), m.end(), _coarse(report), "dates:weekday-unresolved"))
    if g.weeks is not None:
        for m in by_weeks:
            if not free(m.start(), m.end()):
                continue
            taken.append((m.start(), m.end()))
            shift = g.relative_weeks[m.group(0).lower()]
            d = _plus(base, 7 * shift) if base is not None and base_prec == 1 else None
            if base is not None and d is not None:
                out.append((m.start(), m.end(), When(min(d, base).isoformat(), 2), "dates:week"))
            else:
                out.append((m.start(), m.end(), _coarse(report), "dates:week"))
    kept = [t for t in out if not _after_report(t[2].value, report)]  # a date after the report dates no event
    return _drop_time_of_day(text, sorted(kept, key=lambda t: t[0]))


def _after_report(value: str, report: str | None) -> bool:
    """``value`` (YYYY[-MM[-DD]]) begins after the report's period (after its day, a day's grace given for
    time zones, or after its month or year); a year outside the calendar counts as after."""
    if not value or not report:
        return False
    try:
        start, _ = parse_report_date(value)
        base, _ = parse_report_date(report)
    except ValueError:
        return True
    if start is None or base is None:
        return False
    if len(report) == 4:
        last = date(base.year, 12, 31)
    elif len(report) == 7:
        last = base.replace(day=calendar.monthrange(base.year, base.month)[1])
    else:
        last = base
    grace = 1 if len(report) == 10 else 0
    return last < date.max and start > last + timedelta(days=grace)


def _drop_time_of_day(text: str, found: list[tuple[int, int, When, str]]) -> list[tuple[int, int, When, str]]:
    """Drop a same-day word ("вранці", "ce matin") that only narrows another date next to it ("у середу вранці",
    "3 березня вночі"): the other expression gives the day."""

    def adjacent(a: tuple[int, int, When, str], b: tuple[int, int, When, str]) -> bool:
        lo, hi = (a, b) if a[0] < b[0] else (b, a)
        return not text[lo[1] : hi[0]].strip(" ,\u00a0")

    return [
        d for d in found
        if not (d[3] == "dates:relative" and any(o is not d and o[3] != "dates:relative" and adjacent(d, o) for o in found))
    ]


def _coarse(report: str | None) -> When:
    if not report:
        return When("", 3)
    return When(report[:7], 3)


def _shift(base: date | None, prec: int, report: str | None, days: int) -> When:
    shifted = _plus(base, days) if base is not None and prec == 1 else None
    if shifted is None:
        return _coarse(report)
    return When(shifted.isoformat(), 1)


def _plus(base: date, days: int) -> date | None:
    """``base`` moved by ``days``, or None past the calendar's ends (a report dated 0001-01-01)."""
    try:
        return base + timedelta(days=days)
    except OverflowError:
        return None


def parse_day(value: str | None) -> date | None:
    """A ``YYYY-MM-DD`` date, or None for anything coarser or malformed."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def default_when(report: str | None) -> When:
    """The date of an event whose sentence names no date: the report's own, as precise as it is."""
    if not report:
        return When("", 3)
    return When(report, 1 if len(report) == 10 else 3)


class Dates:
    name: ClassVar[str] = "dates"
    requires: ClassVar[tuple[str, ...]] = ("sentences",)
    assigns: ClassVar[tuple[str, ...]] = ("dates",)

    def __call__(self, analysis: Analysis) -> Analysis:
        report = analysis.document.date
        found = [
            Mention(
                kind="date",
                start=s.start + a,
                end=s.start + b,
                text=s.text[a:b],
                sentence=s.index,
                value=when,
                rule=rule,
            )
            for s in analysis.sentences
            for a, b, when, rule in find_dates(s.text, s.lang or analysis.lang, report)
        ]
        return replace(analysis, mentions=analysis.add(found))
