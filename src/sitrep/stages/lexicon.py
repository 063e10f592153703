"""Many whole-word patterns over one text: the same matches as running each pattern's ``finditer``, found
in one pass.

A lexicon of a language is dozens of regular expressions, each compiled by :func:`sitrep.lang.pattern` to
match whole words (``(?<![\\w-])(?:…)(?![\\w])``). Run one after the other, each tries every position of
the text. :class:`Lexicon` works out once, from each pattern itself, the few first letters (up to
:data:`PREFIX` of them, in lower case) any of its matches can begin with. One scan of the text finds the word
starts that begin with a letter some pattern can begin with (a character class the regular-expression engine
skips through in C); at each, a dictionary look-up of the next letters gives the only patterns that can match
there, and only those are tried. A pattern whose first letter cannot be worked out (it may begin with any
character) is run over the whole text as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, reduce
from operator import itemgetter
from re import _casefix, _parser  # type: ignore[attr-defined]
from typing import Any

from sitrep import rx

_WHOLE_WORD = r"(?<![\w-])"  # how sitrep.lang.pattern begins a pattern
# a pattern that begins with no word character before it (one character class holding \w: "(?<![\w.])")
_NOT_AFTER_WORD = re.compile(r"\(\?<!\[\\w[^\]\\]*\]\)")
_MAX_RANGE = 2000  # a character range wider than this counts as "any character"
PREFIX = 3  # how many first letters of a pattern's matches are worked out, at most
_MAX_PREFIXES = 4096  # a pattern that may begin in more ways than this is keyed by fewer letters
_MEMO = 200_000  # word starts whose patterns are remembered, at most, per lexicon


class Lexicon:
    """Whole-word patterns of one language file, matched together (see the module's description).

    When every pattern begins as :func:`sitrep.lang.pattern` makes it begin (no letter, digit or hyphen
    before the match), only word starts are tried; when every one begins with no word character before it
    (a negated character class holding ``\\w``, as dates' patterns begin), only positions after none.
    """

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.patterns = list(patterns)
        after = (r"[\w-]" if all(p.pattern.startswith(_WHOLE_WORD) for p in self.patterns)
                 else r"\w" if all(_NOT_AFTER_WORD.match(p.pattern) for p in self.patterns) else None)
        by_letter: dict[str, list[int]] = {}
        self._everywhere: list[int] = []
        # per length of prefix, the patterns that can begin with each prefix (in lower case) of that length
        by_prefix: dict[int, dict[str, list[int]]] = {}
        for k, pattern in enumerate(self.patterns):
            letters, prefixes = rx.derived("lexicon-keys", pattern, _keys)  # worked out once per machine
            if letters is None:
                self._everywhere.append(k)
                continue
            for ch in letters:
                by_letter.setdefault(ch, []).append(k)
            for prefix in prefixes:
                by_prefix.setdefault(len(prefix), {}).setdefault(prefix, []).append(k)
        self._gate = (
            rx.compile("[" + "".join(re.escape(ch) for ch in sorted(by_letter)) + "]"
                       + (f"(?<!{after}.)" if after else ""))
            if by_letter
            else None
        )
        self._by_prefix = [(n, {p: tuple(ks) for p, ks in table.items()}) for n, table in sorted(by_prefix.items())]
        self._width = max((n for n, _ in self._by_prefix), default=1)
        self._tried: dict[str, tuple[int, ...]] = {}  # the next letters of a word start → the patterns to try

    def _candidates(self, key: str) -> tuple[int, ...]:
        """The patterns that can match where the text goes on with ``key`` (in lower case)."""
        found = self._tried.get(key)
        if found is None:
            found = tuple(k for n, table in self._by_prefix for k in table.get(key[:n], ()))
            if len(self._tried) < _MEMO:
                self._tried[key] = found
        return found

    def matches(self, text: str) -> list[list[re.Match[str]]]:
        """Per pattern (in order), its matches in ``text``: what ``pattern.finditer(text)`` gives."""
        out: list[list[re.Match[str]]] = [[] for _ in self.patterns]
        for k, m in self.found(text):
            out[k].append(m)
        return out

    def found(self, text: str) -> list[tuple[int, re.Match[str]]]:
        """The same matches as :meth:`matches`, as (pattern index, match) in pattern order, then in text order:
        nothing to build for the many patterns that match nowhere in a sentence."""
        hits: list[tuple[int, re.Match[str]]] = []
        if self._gate is not None:
            low = _lower(text)
            ends = [0] * len(self.patterns)
            patterns = self.patterns
            width = self._width
            tried = self._tried
            for g in self._gate.finditer(text):
                pos = g.start()
                key = low[pos : pos + width]
                ks = tried.get(key)
                if ks is None:
                    ks = self._candidates(key)
                for k in ks:
                    if pos < ends[k]:
                        continue  # inside this pattern's previous match: finditer would not look here
                    m = patterns[k].match(text, pos)
                    if m is not None:
                        hits.append((k, m))
                        ends[k] = max(m.end(), pos + 1)
        for k in self._everywhere:
            hits += ((k, m) for m in self.patterns[k].finditer(text))
        hits.sort(key=itemgetter(0))  # stable: each pattern's matches stay in text order
        return hits


class Openings:
    """Patterns tried at one position of a text, in order (``pattern.match(text, pos)`` for each): only those
    whose matches can begin with the character there are tried (worked out as for :class:`Lexicon`)."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.patterns = list(patterns)
        self._anywhere: list[int] = []
        self._by_char: dict[str, list[int]] = {}
        for k, pattern in enumerate(self.patterns):
            letters, _ = rx.derived("lexicon-keys", pattern, _keys)
            if letters is None:
                self._anywhere.append(k)
            else:
                for ch in letters:
                    self._by_char.setdefault(ch, []).append(k)
        self._tried: dict[str, tuple[int, ...]] = {}

    def candidates(self, ch: str) -> tuple[int, ...]:
        """The patterns (indices, in order) that can match where the text goes on with the character ``ch``
        (``""``: at its end)."""
        found = self._tried.get(ch)
        if found is None:
            found = tuple(sorted({*self._by_char.get(ch, ()), *self._anywhere}))
            if len(self._tried) < _MEMO:
                self._tried[ch] = found
        return found


def _lower(text: str) -> str:
    """``text`` in lower case, one character for one (``str.lower`` makes two of "İ")."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def _keys(source: str, flags: int) -> tuple[frozenset[str] | None, frozenset[str]]:
    """The first letters of ``source`` (None: any) and its prefixes (:func:`_prefixes`), from one parse."""
    try:
        parsed = _parser.parse(source, flags)
    except re.error:
        return None, frozenset()
    letters = _first_letters(source, flags, parsed)
    return letters, (_prefixes(source, flags, parsed) if letters is not None else frozenset())


def _prefixes(source: str, flags: int, parsed: Any = None) -> frozenset[str]:
    """The strings of up to :data:`PREFIX` letters, in lower case, that every match of ``source`` begins with
    one of (each case of each letter counted, whatever the pattern's flags); none is the beginning of another.

    A pattern that may begin in too many ways is keyed by fewer letters; by one letter, these are its first
    letters (:func:`_first_letters`).
    """
    parsed = _parser.parse(source, flags) if parsed is None else parsed
    for depth in range(PREFIX, 0, -1):
        still, done = _walk(list(parsed), {""}, depth)
        every = still | done
        if "" in every:
            break
        if len(every) > _MAX_PREFIXES:
            continue
        out: set[str] = set()
        for p in sorted(every, key=len):
            if not any(p[:n] in out for n in range(1, len(p))):
                out.add(p)
        return frozenset(out)
    return frozenset(_lower(ch) for ch in _first_letters(source, flags, parsed) or ())


def _extend(open_: set[str], chars: frozenset[str], depth: int) -> tuple[set[str], set[str]]:
    """``open_`` each followed by one of ``chars``: (those still open, those complete)."""
    if len(open_) * len(chars) > _MAX_PREFIXES:  # too many ways on: the prefixes end here, the empty one
        return set(), {p for p in open_ if p} | (set(chars) if "" in open_ else set())  # after one letter
    longer = {p + c for p in open_ for c in chars}
    done = {p for p in longer if len(p) >= depth}
    return longer - done, done


def _walk(items: list[Any], open_: set[str], depth: int) -> tuple[set[str], set[str]]:
    """(prefixes still open, prefixes complete) after the parsed ``items``, from the prefixes ``open_``: a
    prefix is complete at ``depth`` letters or where any character may follow."""
    closed: set[str] = set()
    for op, av in items:
        if not open_:
            break
        open_, done = _step(str(op), av, open_, depth)
        closed |= done
    return open_, closed


def _step(name: str, av: Any, open_: set[str], depth: int) -> tuple[set[str], set[str]]:
    if name in ("AT", "ASSERT", "ASSERT_NOT"):
        return open_, set()  # takes no character
    if name == "LITERAL":
        return _extend(open_, _lowered(frozenset({chr(av)})), depth)
    if name == "IN":
        chars = _set_chars(av)
        return (set(), set(open_)) if chars is None else _extend(open_, _lowered(chars), depth)
    if name == "SUBPATTERN":
        return _walk(list(av[3]), open_, depth)
    if name == "ATOMIC_GROUP":
        return _walk(list(av), open_, depth)
    if name == "BRANCH":
        still: set[str] = set()
        closed: set[str] = set()
        for alt in av[1]:
            o, c = _walk(list(alt), set(open_), depth)
            still |= o
            closed |= c
        return still, closed
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, body = av
        still = set(open_) if low == 0 else set()
        closed = set()
        current = set(open_)
        for n in range(1, depth + 1):
            if n > high or not current:
                break
            current, c = _walk(list(body), current, depth)
            closed |= c
            if n >= low:
                still |= current
        else:
            closed |= current  # more repeats may follow: what they add is not worked out
        return still, closed
    return set(), set(open_)  # any character, a category, a back-reference: the prefixes end here


def _set_chars(av: Any) -> frozenset[str] | None:
    """The characters of a parsed character set, or None when it is negated, a category other than ``\\d``
    or a wide range."""
    chars: set[str] = set()
    for iop, iav in av:
        iname = str(iop)
        if iname == "LITERAL":
            chars.add(chr(iav))
        elif iname == "RANGE" and iav[1] - iav[0] <= _MAX_RANGE:
            chars.update(chr(c) for c in range(iav[0], iav[1] + 1))
        elif iname == "CATEGORY" and str(iav) == "CATEGORY_DIGIT":
            chars |= _digits()
        else:
            return None
    return frozenset(chars)


@cache
def _lowered(chars: frozenset[str]) -> frozenset[str]:
    """Every character that matches one of ``chars`` when case is ignored, in lower case."""
    return frozenset(_lower(c) for ch in chars for c in _cases(ch))


def _first_letters(source: str, flags: int, parsed: Any = None) -> frozenset[str] | None:
    """The characters a match of ``source`` can begin with, or None when it may begin with almost any."""
    if parsed is None:
        try:
            parsed = _parser.parse(source, flags)
        except re.error:
            return None
    first = _first(list(parsed), parsed.state.flags)
    if first is None or first[1]:  # a pattern that can match nothing matches anywhere
        return None
    chars = first[0]
    if parsed.state.flags & re.IGNORECASE or re.search(r"\(\?[a-zA-Z]*i", source):
        chars = reduce(frozenset.union, (_cases(ch) for ch in chars), frozenset())
    return chars


@cache
def _digits() -> frozenset[str]:
    """What ``\\d`` matches: every decimal digit of Unicode (all lie below U+20000)."""
    return frozenset(c for c in map(chr, range(0x20000)) if c.isdecimal())


def _cases(ch: str) -> frozenset[str]:
    """Every character that matches ``ch`` when case is ignored (as the regular-expression engine sees it)."""
    lower = ch.lower() if len(ch.lower()) == 1 else ch
    out = {ch, lower, *(c for c in (ch.upper(), lower.upper()) if len(c) == 1)}
    for c in list(out):
        out.update(chr(x) for x in _casefix._EXTRA_CASES.get(ord(c), ()))
    return frozenset(out)


# (characters a sequence can begin with, whether it can match nothing), or None for "any character"
_First = tuple[frozenset[str], bool] | None


def _first(items: list[Any], flags: int) -> _First:
    chars: frozenset[str] = frozenset()
    for op, av in items:
        got = _first_of(op, av, flags)
        if got is None:
            return None
        chars |= got[0]
        if not got[1]:
            return chars, False
    return chars, True


def _first_of(op: Any, av: Any, flags: int) -> _First:
    name = str(op)
    if name == "LITERAL":
        return frozenset({chr(av)}), False
    if name == "IN":
        chars = _set_chars(av)
        return None if chars is None else (chars, False)
    if name == "BRANCH":
        out: frozenset[str] = frozenset()
        empty = False
        for alt in av[1]:
            got = _first(list(alt), flags)
            if got is None:
                return None
            out |= got[0]
            empty = empty or got[1]
        return out, empty
    if name == "SUBPATTERN":
        return _first(list(av[3]), flags)
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, _high, body = av
        got = _first(list(body), flags)
        if got is None:
            return None
        return got[0], got[1] or low == 0
    if name == "ATOMIC_GROUP":
        return _first(list(av), flags)
    if name in ("ASSERT", "ASSERT_NOT", "AT"):
        return frozenset(), True  # takes no character: what follows begins the match
    return None  # any character, a category, a back-reference, a conditional
