"""Reading reports: files, directories and standard input, into :class:`~sitrep.model.Document` values.

:func:`iter_documents` is the entry point. It yields each good document and, for
each input (or line) that cannot be read, an :class:`~sitrep.errors.InputError`
whose message names the file and line; the rest of the batch is always read.

Which reader a file gets depends on its extension:

- ``.jsonl``, ``.ndjson``: JSON Lines, one ``{"id", "text", "date", …}`` per line
  (``doc_date`` is accepted for ``date``);
- ``.json``: one such object or an array of them;
- ``.parquet``: one report per row, with a ``text`` column (:mod:`sitrep.ingest.parquet`);
- ``.warc``, ``.warc.gz``, ``.wet``, ``.wet.gz``: the articles of a web archive; pages that are not
  articles are skipped and counted in a warning (:mod:`sitrep.ingest.warc`);
- anything else named on the command line: text, in the seed format
  (``date YYYY-MM[-DD] text…``) when it starts that way, else plain text.

Directories are walked recursively in name order, reading the files with these
extensions and skipping hidden files and folders. ``-``
reads standard input, as JSON Lines when it starts with ``{``, as JSON when it
starts with ``[``, else as text.

A document without a date is accepted (``Document.date`` is None) and a warning
is logged on ``sitrep.ingest.readers``.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from sitrep.errors import EmptyInput, InputError, MissingInput
from sitrep.ingest.dates import parse_date
from sitrep.ingest.readers import Item, document_from_json, read_json, read_jsonl, read_text
from sitrep.ingest.warc import WARC_SUFFIXES, is_warc
from sitrep.model import Document

__all__ = ["EXTENSIONS", "Item", "document_from_json", "iter_documents", "parse_date"]

log = logging.getLogger(__name__)

JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})
EXTENSIONS = frozenset({".txt", ".json", ".parquet"} | JSONL_EXTENSIONS | set(WARC_SUFFIXES))
STDIN = "<stdin>"


def iter_documents(
    inputs: Sequence[str],
    *,
    date: str | None = None,
    lang: str | None = None,
    stdin: TextIO | None = None,
) -> Iterator[Document | InputError]:
    """Documents read from ``inputs`` (paths, directories or ``-``), with an error for each bad input.

    ``date`` is the report date of inputs that do not give one (plain text, JSON
    records without ``date``); ``lang`` likewise. ``stdin`` is read for ``-``
    (default :data:`sys.stdin`). Raises :class:`ValueError` if ``date`` is not a
    valid date.
    """
    if date is not None:
        date = parse_date(date)
    for name in inputs:
        if name == "-":
            yield from _read_stream(stdin if stdin is not None else sys.stdin, date=date, lang=lang)
            continue
        path = Path(name)
        if path.is_dir():
            found = False
            for file in _walk(path):
                found = True
                yield from _read_file(file, date=date, lang=lang)
            if not found:
                yield EmptyInput(name, f"no {', '.join(sorted(EXTENSIONS))} files in this directory")
        else:
            yield from _read_file(path, date=date, lang=lang)


def _walk(root: Path) -> Iterator[Path]:
    """The readable files under ``root``, in path order (``a.txt`` < ``b/c.txt`` < ``d.txt``)."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for filename in filenames:
            path = Path(dirpath, filename)
            if filename.startswith("."):
                continue
            if path.suffix.lower() in EXTENSIONS or is_warc(filename):
                found.append(path)
            else:
                log.debug("%s: skipped (extension not one of %s)", path, ", ".join(sorted(EXTENSIONS)))
    yield from sorted(found, key=lambda p: p.relative_to(root).parts)


def _read_file(path: Path, *, date: str | None, lang: str | None) -> Iterator[Item]:
    where = str(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet" or is_warc(path.name):
        yield from _read_archive(path, date=date, lang=lang)
        return
    try:
        if suffix in JSONL_EXTENSIONS:
            with path.open("rb") as f:
                yield from read_jsonl(where, f, date=date, lang=lang)
            return
        data = path.read_bytes()
    except FileNotFoundError:
        yield MissingInput(where, "no such file or directory")
        return
    except OSError as e:
        yield InputError(where, f"cannot read: {e.strerror or e}")
        return
    if suffix == ".json":
        yield from read_json(where, data, date=date, lang=lang)
    else:
        yield from read_text(where, data, date=date, lang=lang)


def _read_archive(path: Path, *, date: str | None = None, lang: str | None = None) -> Iterator[Item]:
    """A Parquet file or a web archive; the pages of an archive that are not articles are counted in a warning."""
    from sitrep.ingest.parquet import read_parquet
    from sitrep.ingest.warc import Skipped, WarcCounts, read_warc

    where = str(path)
    if not path.exists():
        yield MissingInput(where, "no such file or directory")
        return
    if path.suffix.lower() == ".parquet":
        yield from read_parquet(where, path, date=date, lang=lang)
        return
    counts = WarcCounts()
    try:
        with path.open("rb") as f:
            for item in read_warc(where, f, lang=lang, counts=counts):
                if not isinstance(item, Skipped):
                    yield item
    except OSError as e:
        yield InputError(where, f"cannot read: {e.strerror or e}")
        return
    if counts.skipped:
        reasons = ", ".join(f"{n} {why}" for why, n in sorted(counts.skipped.items()))
        log.warning("%s: %d page(s) skipped as not articles (%s)", where, sum(counts.skipped.values()), reasons)


def _read_stream(stream: TextIO, *, date: str | None, lang: str | None) -> Iterator[Item]:
    buffer = getattr(stream, "buffer", None)
    try:
        data = buffer.read() if buffer is not None else stream.read().encode("utf-8", "surrogateescape")
    except UnicodeDecodeError as e:
        yield InputError(STDIN, f"invalid UTF-8 (byte offset {e.start}); convert the input to UTF-8")
        return
    head = data.lstrip()[:1]
    if head == b"{":
        yield from read_jsonl(STDIN, io.BytesIO(data), date=date, lang=lang)
    elif head == b"[":
        yield from read_json(STDIN, data, date=date, lang=lang)
    else:
        yield from read_text(STDIN, data, date=date, lang=lang)
