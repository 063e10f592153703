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

Directories are walked recursively in name order, reading the files with the extensions above, following symbolic links to folders (each folder
once); hidden files and folders and files of other extensions are skipped, and
a warning counts them (each is listed at info level, ``sitrep -v``). A folder
that cannot be read is an error. A URL is refused, never taken for a file
name. ``-``
reads standard input, as JSON Lines when it starts with ``{``, as JSON when it
starts with ``[``, else as text.

A document without a date is accepted (``Document.date`` is None) and a warning
is logged on ``sitrep.ingest.readers``.
"""

from __future__ import annotations

import codecs
import io
import logging
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from sitrep.errors import EmptyInput, InputError, MissingInput
from sitrep.ingest.dates import parse_date
from sitrep.ingest.readers import Item, document_from_json, read_json, read_jsonl, read_text, wide_text
from sitrep.ingest.warc import WARC_SUFFIXES, is_warc
from sitrep.model import Document

__all__ = ["EXTENSIONS", "Item", "document_from_json", "iter_documents", "parse_date"]

log = logging.getLogger(__name__)

JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})
EXTENSIONS = frozenset({".txt", ".json", ".parquet"} | JSONL_EXTENSIONS | set(WARC_SUFFIXES))
STDIN = "<stdin>"
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
WIDE_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)  # UTF-32-LE's starts as UTF-16-LE's


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
        if _URL.match(name):
            yield InputError(name, "a URL, not a file: sitrep reads no URLs; download the report and give the file")
            continue
        path = Path(name)
        if path.is_dir():
            yield from _read_directory(path, date=date, lang=lang)
        else:
            yield from _read_file(path, date=date, lang=lang)


@dataclass
class Walk:
    """What a directory walk found: the files to read, what it skipped and why, the folders it could not read."""

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    unreadable: list[InputError] = field(default_factory=list)


def _read_directory(root: Path, *, date: str | None, lang: str | None) -> Iterator[Item]:
    walk = walk_directory(root)
    yield from walk.unreadable
    for file in walk.files:
        yield from _read_file(file, date=date, lang=lang)
    _tell(root, walk)
    if not walk.files and not walk.unreadable:
        yield EmptyInput(str(root), f"no {', '.join(sorted(EXTENSIONS))} files in this directory")


def walk_directory(root: Path) -> Walk:
    """The files under ``root`` to read, in path order (``a.txt`` < ``b/c.txt`` < ``d.txt``), and the rest.

    Symbolic links to folders are followed, each folder read once (a link back to a
    folder already read, as in a loop, is skipped and said so). Hidden files and
    folders and files of other extensions are skipped; folders that cannot be
    read are errors.
    """
    walk = Walk()
    seen: set[tuple[int, int]] = set()

    def unreadable(e: OSError) -> None:
        where = e.filename or str(root)
        walk.unreadable.append(InputError(str(where), f"cannot read this folder: {e.strerror or e}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=True):
        here = Path(dirpath)
        try:
            st = here.stat()
        except OSError as e:
            unreadable(e)
            dirnames[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:
            walk.skipped.append((here, f"a link to the folder {here.resolve()}, already read"))
            dirnames[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        for d in list(dirnames):
            if d.startswith("."):
                walk.skipped.append((here / d, "hidden folder"))
                dirnames.remove(d)
        for filename in filenames:
            path = here / filename
            if filename.startswith("."):
                walk.skipped.append((path, "hidden file"))
            elif path.suffix.lower() in EXTENSIONS or is_warc(filename):
                walk.files.append(path)
            else:
                what = f"extension {path.suffix.lower()}" if path.suffix else "no extension"
                walk.skipped.append((path, f"{what}, not one of {', '.join(sorted(EXTENSIONS))}"))
    walk.files.sort(key=lambda p: p.relative_to(root).parts)
    walk.skipped.sort(key=lambda s: s[0].relative_to(root).parts)
    return walk


def _tell(root: Path, walk: Walk) -> None:
    """Say what a walk skipped: a warning counting them, and each one at ``-v`` (info)."""
    for path, why in walk.skipped:
        log.info("%s: skipped (%s)", path, why)
    if not walk.skipped:
        log.info("%s: %d file(s) read", root, len(walk.files))
        return
    kinds = Counter(_kind(why) for _, why in walk.skipped)
    detail = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    log.warning("%s: %d file(s) read, %d skipped (%s); -v lists them", root, len(walk.files), len(walk.skipped),
                detail)


def _kind(why: str) -> str:
    """The short kind of a reason to skip, for the count: ".pdf", "hidden file", "no extension"…"""
    if why.startswith("extension "):
        return why.split(",")[0].removeprefix("extension ")
    if why.startswith(("hidden", "no extension")):
        return why.split(",")[0]
    return "link to a folder already read"


def _read_file(path: Path, *, date: str | None, lang: str | None) -> Iterator[Item]:
    where = str(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet" or is_warc(path.name):
        yield from _read_archive(path, date=date, lang=lang)
        return
    try:
        if suffix in JSONL_EXTENSIONS:
            with path.open("rb") as f:
                head = f.read(4)
                f.seek(0)
                wide = wide_text(f.read()) if head.startswith(WIDE_MARKS) else None
                f.seek(0)
                if wide is not None:  # UTF-16 or UTF-32 lines, read as UTF-8 ones
                    yield from read_jsonl(where, io.BytesIO(wide.encode("utf-8")), date=date, lang=lang)
                else:
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
    wide = wide_text(data)
    if wide is not None:
        data = wide.encode("utf-8")
    head = data.lstrip()[:1]
    if head == b"{":
        yield from read_jsonl(STDIN, io.BytesIO(data), date=date, lang=lang)
    elif head == b"[":
        yield from read_json(STDIN, data, date=date, lang=lang)
    else:
        yield from read_text(STDIN, data, date=date, lang=lang)
