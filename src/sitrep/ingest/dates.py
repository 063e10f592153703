"""Report dates as sitrep keeps them: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""

from __future__ import annotations

import datetime as dt
import re

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_TIMESTAMP = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}")


def parse_date(value: str) -> str:
    """``value`` checked and normalised, or :class:`ValueError` saying what is wrong.

    Accepts ``YYYY``, ``YYYY-MM`` and ``YYYY-MM-DD`` (a real calendar day), and an
    ISO timestamp (``2023-02-16T08:30:00Z``), which is cut to its day.
    """
    text = value.strip()
    stamp = _TIMESTAMP.match(text)
    if stamp:
        text = stamp.group(1)
    m = _DATE.fullmatch(text)
    if not m:
        raise ValueError(f"invalid date {value!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = m.groups()
    if int(year) == 0:
        raise ValueError(f"invalid date {value!r}: there is no year 0000")
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"invalid date {value!r}: month {month} is not 01-12")
    if day is not None:
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError as e:
            raise ValueError(f"invalid date {value!r}: {e}") from e
    return text
