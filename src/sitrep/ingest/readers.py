"""Readers for one input each: a text file (seed or plain), a JSON Lines file, a JSON file.

Every reader takes the raw bytes (or a binary stream) and the name to report
errors under, and yields :class:`~sitrep.model.Document` values and, for each
part that cannot be read, an :class:`~sitrep.errors.InputError` naming the file
and line. A reader never stops at the first bad record.

The seed format is a text file whose first word is ``date`` followed by the
report date, then the text::

     date 2023-02 Forte de dizaines de milliers de réservistes…

Bytes become text by one rule (:func:`_text_of`): bytes holding a NUL are
binary, since UTF-8 text never holds one; otherwise they must be UTF-8, a
leading byte order mark dropped, and the first invalid byte is reported at
``file:line`` with its byte offset. Line endings are kept as written. A text or
JSON file is read whole, so a NUL anywhere makes it binary. A JSON Lines file
is read a line at a time: a NUL in the first 8 KiB of its first line makes the
whole file binary, and a NUL or invalid UTF-8 in a later line loses that line
only (its offset then counts from the start of the line).
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any, TypeAlias

from sitrep.errors import BinaryInput, DecodeError, EmptyInput, InputError, MalformedRecord
from sitrep.ingest.dates import parse_date
from sitrep.lang import LANGUAGES
from sitrep.model import Document

log = logging.getLogger(__name__)

Item: TypeAlias = Document | InputError

_SEED = re.compile(r"\s*date\s+(\S+)(?:[ \t]+|\s*\n|\s*$)", re.IGNORECASE)
_SNIFF = 8192
# UTF-32 first: its little-endian mark starts like UTF-16's
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_FIELDS = ("lang", "url", "source", "title")
_TOO_DEEP = "malformed JSON: nested too deeply (a report is one flat object)"


def sniff_binary(where: str, data: bytes) -> BinaryInput | None:
    """A :class:`BinaryInput` giving the offset of the first NUL byte in ``data`` (a file or its start), if any."""
    nul = data.find(b"\x00")
    if nul < 0:
        return None
    head = data[:_SNIFF]
    if len(head) >= 4 and max(head[0::2].count(0), head[1::2].count(0)) > 0.9 * (len(head) // 2):
        return BinaryInput(
            where, "looks like UTF-16 without a byte order mark; convert the file to UTF-8 (or save it with a BOM)"
        )
    return BinaryInput(
        where,
        f"binary file (NUL byte at offset {nul}); expected UTF-8 text, JSON Lines or the seed format",
    )


def decode(where: str, data: bytes, *, first_line: int = 1) -> str | DecodeError:
    """``data`` decoded as UTF-8 (a leading BOM dropped), or an error giving the line and byte offset."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = first_line + data.count(b"\n", 0, e.start)
        bad = data[e.start : e.start + 1].hex()
        return DecodeError(
            _at(where, line),
            f"invalid UTF-8 (byte 0x{bad} at offset {e.start}); convert the file to UTF-8",
        )


def wide_text(data: bytes) -> str | None:
    """The text of ``data`` when it starts with a UTF-16 or UTF-32 byte order mark and reads as such (BOM
    dropped), else None.

    "Reads as such": it decodes, and most of its characters are ones a report in
    sitrep's languages is written with (Latin, Cyrillic, spaces, punctuation). A
    UTF-8 file that merely starts with the bytes FF FE decodes as UTF-16 into CJK
    characters, and is left to the UTF-8 rules.
    """
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                return None
            plain = sum(1 for ch in text if ch < "\u0530" or "\u2000" <= ch <= "\u206f")
            return text if plain >= 0.6 * len(text) else None
    return None


def _text_of(where: str, data: bytes) -> str | InputError:
    """The text of a whole file, or the error that says why it has none: UTF-16 or UTF-32 when a byte
    order mark says so; else a :class:`BinaryInput` when it holds a NUL byte anywhere (checked first), a
    :class:`DecodeError` at ``where:line`` when it is not UTF-8. A leading BOM is dropped; line endings
    are kept."""
    wide = wide_text(data)
    if wide is not None:
        return wide
    return sniff_binary(where, data) or decode(where, data)


def read_text(where: str, data: bytes, *, date: str | None = None, lang: str | None = None) -> Iterator[Item]:
    """One document from a text file: the seed format when it starts with ``date …``, else plain text.

    The seed header's date wins over ``date``; ``date`` is used for plain text.
    """
    text = _text_of(where, data)
    if isinstance(text, InputError):
        yield text
        return
    seed = _SEED.match(text)
    if seed and re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", seed.group(1)):
        line = 1 + text.count("\n", 0, seed.start(1))
        try:
            date = parse_date(seed.group(1))
        except ValueError as e:
            yield MalformedRecord(_at(where, line), f"{e} in the seed header")
            return
        text = text[seed.end() :]
    body = text.strip()
    if not body:
        yield EmptyInput(where, "empty text: the file holds no report")
        return
    if date is None:
        log.warning("%s: no report date; relative dates cannot be resolved, and events left without a date "
                    "join no incident (give a date)", where)
    yield Document(text=body, date=date, lang=lang, origin=where)


def read_jsonl(
    where: str, lines: Iterable[bytes], *, date: str | None = None, lang: str | None = None
) -> Iterator[Item]:
    """The documents of a JSON Lines file, one JSON object per line; blank lines are skipped."""
    undated: list[int] = []
    count = 0
    for lineno, raw in enumerate(lines, 1):
        if lineno == 1:
            binary = sniff_binary(where, raw[:_SNIFF])
            if binary:
                yield binary
                return
        if not raw.strip():
            continue
        count += 1
        text = decode(where, raw, first_line=lineno)
        if isinstance(text, InputError):
            yield text
            continue
        here = _at(where, lineno)
        if "\x00" in text:
            yield BinaryInput(here, "NUL byte in a JSON line")
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            yield MalformedRecord(here, f"malformed JSON: {e.msg} at column {e.colno}")
            continue
        except RecursionError:
            yield MalformedRecord(here, _TOO_DEEP)
            continue
        item = document_from_json(here, data, date=date, lang=lang)
        if isinstance(item, Document) and item.date is None:
            undated.append(lineno)
        yield item
    if count == 0:
        yield EmptyInput(where, "empty file: no JSON lines")
    _warn_undated(where, undated)


def read_json(where: str, data: bytes, *, date: str | None = None, lang: str | None = None) -> Iterator[Item]:
    """The documents of a JSON file holding one object or an array of objects."""
    text = _text_of(where, data)
    if isinstance(text, InputError):
        yield text
        return
    if not text.strip():
        yield EmptyInput(where, "empty file")
        return
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as e:
        yield MalformedRecord(_at(where, e.lineno), f"malformed JSON: {e.msg} at column {e.colno}")
        return
    except RecursionError:
        yield MalformedRecord(where, _TOO_DEEP)
        return
    items = parsed if isinstance(parsed, list) else [parsed]
    if not items:
        yield EmptyInput(where, "empty JSON array")
        return
    undated: list[int] = []
    for i, data_i in enumerate(items):
        item = document_from_json(f"{where}[{i}]", data_i, date=date, lang=lang)
        if isinstance(item, Document) and item.date is None:
            undated.append(i)
        yield item
    _warn_undated(where, undated, what="items")


def document_from_json(
    where: str, data: Any, *, date: str | None = None, lang: str | None = None
) -> Document | InputError:
    """A document from one JSON object ``{"id", "text", "date" | "doc_date", "lang", "url", "source", "title"}``.

    ``date`` and ``lang`` fill in what the object does not say.
    """
    if not isinstance(data, dict):
        return MalformedRecord(where, f"expected a JSON object, got {type(data).__name__}")
    text = data.get("text")
    if text is None:
        return MalformedRecord(where, 'record without "text"')
    if not isinstance(text, str):
        return MalformedRecord(where, f'"text" must be a string, got {type(text).__name__}')
    if not text.strip():
        return EmptyInput(where, 'empty "text"')
    doc_id = data.get("id")
    if doc_id is not None and (isinstance(doc_id, bool) or not isinstance(doc_id, str | int)):
        return MalformedRecord(where, f'"id" must be a string or a number, got {type(doc_id).__name__}')
    fields: dict[str, str | None] = {}
    for name in _FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            return MalformedRecord(where, f'"{name}" must be a string, got {type(value).__name__}')
        fields[name] = value or None
    if fields["lang"] is not None:
        code = language_code(fields["lang"])
        if code is None:
            return MalformedRecord(
                where,
                f'unsupported language {fields["lang"]!r}: sitrep reads {", ".join(sorted(LANGUAGES))} '
                '(leave "lang" out to have it detected)',
            )
        fields["lang"] = code
    raw_date = data.get("date", data.get("doc_date"))
    if raw_date is not None and raw_date != "":
        if isinstance(raw_date, bool) or not isinstance(raw_date, str | int):
            return MalformedRecord(where, f'"date" must be a string, got {type(raw_date).__name__}')
        try:
            date = parse_date(str(raw_date))
        except ValueError as e:
            return MalformedRecord(where, str(e))
    return Document(
        text=text.strip(),
        doc_id=str(doc_id) if doc_id is not None else "",
        date=date,
        lang=fields["lang"] or lang,
        url=fields["url"],
        source=fields["source"],
        title=fields["title"],
        origin=where,
    )


def language_code(value: str) -> str | None:
    """``value`` as one of :data:`~sitrep.lang.LANGUAGES` ("EN", "en-GB", "uk_UA" → en, en, uk), else None."""
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return code if code in LANGUAGES else None


def _at(where: str, line: int) -> str:
    return f"{where}:{line}"


def _warn_undated(where: str, positions: list[int], *, what: str = "lines") -> None:
    if not positions:
        return
    shown = ", ".join(str(p) for p in positions[:10]) + (", …" if len(positions) > 10 else "")
    log.warning(
        "%s: %d document(s) without a report date (%s %s); relative dates cannot be resolved, and events left "
        "without a date join no incident (give the date with --date)",
        where,
        len(positions),
        what,
        shown,
    )
