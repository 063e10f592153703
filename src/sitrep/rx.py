"""Regular expressions compiled once per machine rather than once per process.

The language data compile to about 1,700 regular expressions, and Python's ``re`` spends about half a second
of every process parsing them into the engine's code. :func:`compile` keeps that code in the cache directory
(beside the place index, ``$SITREP_CACHE`` or ``~/.cache/sitrep``), keyed by the pattern and its flags, and
builds the pattern from it in the next process. The result is the pattern ``re.compile`` gives (same
engine code, flags and groups); the engine checks the code it is given, and a cache written by another Python
version (or one that cannot be read) is not used. On any other Python than CPython this is ``re.compile``.

The cache is written by a process that compiled new patterns (:func:`save`: at its end, and by a worker after
each chunk of documents), atomically; processes writing it at once each leave a whole file.
"""

from __future__ import annotations

import atexit
import logging
import marshal
import re
import sys
import threading
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from sitrep.cache import cache_dir, write_atomically

log = logging.getLogger(__name__)
T = TypeVar("T")

try:  # CPython's engine and the parts of ``re`` that turn a pattern into its code
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]

    _TAG: str | None = f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}"
    _CODE = next(t for t in "IL" if array(t).itemsize == _sre.CODESIZE)  # the engine's code, kept as bytes
except (ImportError, AttributeError, StopIteration):  # pragma: no cover
    _TAG = None

_Key = tuple[str, str, int]  # (what: "re" for the engine's code, else a name given to derived), pattern, flags
_lock = threading.Lock()
_entries: dict[_Key, Any] | None = None
_added = 0
_path: Path | None = None


def cache_path() -> Path | None:
    """The file of compiled patterns for this Python, or None where there is none."""
    if _TAG is None:
        return None
    # "2": the first cache grew with patterns whose alternatives came in a different order in every process
    return cache_dir() / f"regex-2-{_TAG}.marshal"


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - the name of re.compile
    """``re.compile(pattern, flags)``, its engine code taken from the cache when it is there."""
    flags = int(flags)
    if _TAG is None or flags & re.DEBUG:
        return re.compile(pattern, flags)
    entry = _get(("re", pattern, flags))
    if entry is not None:
        try:
            final, code, groups, groupindex, indexgroup = entry
            compiled: re.Pattern[str] = _sre.compile(pattern, final, array(_CODE, code).tolist(), groups,
                                                     groupindex, indexgroup)
            return compiled
        except (RuntimeError, TypeError, ValueError):  # code this engine refuses: compile it again
            pass
    parsed = _parser.parse(pattern, flags)  # raises re.error for a bad pattern, as re.compile does
    code = [int(c) for c in _compiler._code(parsed, flags)]  # the opcodes are int subclasses
    groupindex = dict(parsed.state.groupdict)
    names: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        names[i] = name
    final, groups = int(flags | parsed.state.flags), parsed.state.groups - 1
    _put(("re", pattern, flags), (final, array(_CODE, code).tobytes(), groups, groupindex, tuple(names)))
    compiled = _sre.compile(pattern, final, code, groups, groupindex, tuple(names))
    return compiled


def derived(what: str, pattern: re.Pattern[str], work: Callable[[str, int], T]) -> T:
    """``work(pattern.pattern, pattern.flags)``, kept in the cache under ``what`` (its result must be made of
    what :mod:`marshal` writes: numbers, strings, tuples, lists, dicts, sets, None)."""
    key = (what, pattern.pattern, int(pattern.flags))
    found = _get(key) if _TAG is not None else None
    if found is not None:
        return cast(T, found)
    result = work(pattern.pattern, pattern.flags)
    if _TAG is not None:
        _put(key, result)
    return result


def _get(key: _Key) -> Any:
    return _load().get(key)


def _put(key: _Key, value: Any) -> None:
    global _added
    with _lock:
        _load()[key] = value
        _added += 1


def _load() -> dict[_Key, Any]:
    global _entries, _path
    if _entries is not None:
        return _entries
    with _lock:
        if _entries is None:
            _path = cache_path()
            _entries = _read(_path) if _path is not None else {}
            atexit.register(save)
    return _entries


def _read(path: Path) -> dict[_Key, Any]:
    try:
        data = marshal.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, EOFError, ValueError, TypeError) as e:
        log.debug("%s: not read (%s); patterns compiled again", path, e)
        return {}
    if not isinstance(data, dict) or data.get("tag") != _TAG or not isinstance(data.get("entries"), dict):
        return {}
    entries: dict[_Key, Any] = data["entries"]
    return entries


def save() -> None:
    """Write the cache if this process compiled patterns it did not hold (a failure only costs time)."""
    global _added
    if not _added or _entries is None or _path is None:
        return
    with _lock:
        merged = {**_read(_path), **_entries}
        _added = 0
    try:
        write_atomically(_path, marshal.dumps({"tag": _TAG, "entries": merged}))
    except (OSError, ValueError) as e:
        log.debug("%s: not written (%s)", _path, e)
