"""Many whole-word patterns over one text: the same matches as running each pattern's ``finditer``, found
in one pass.

A lexicon of a language is dozens of regular expressions, each compiled by :func:`sitrep.lang.pattern` to
match whole words (``(?<![\\w-])(?:…)(?![\\w])``). Run one after the other, each tries every position of
the text. :class:`Lexicon` works out once which letters each pattern can begin with, finds the word starts
that begin with one of those letters in a single scan of the text (a character class the regular-expression
engine skips through in C), and tries at each only the patterns that can begin there. A pattern whose first
letter cannot be worked out (it may begin with any character) is run over the whole text as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, reduce
from re import _casefix, _parser  # type: ignore[attr-defined]
from typing import Any

_WHOLE_WORD = r"(?<![\w-])"  # how sitrep.lang.pattern begins a pattern
_MAX_RANGE = 2000  # a character range wider than this counts as "any character"


class Lexicon:
    """Whole-word patterns of one language file, matched together (see the module's description).

    When every pattern begins as :func:`sitrep.lang.pattern` makes it begin (no letter, digit or hyphen
    before the match), only word starts are tried.
    """

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.patterns = list(patterns)
        after = r"[\w-]" if all(p.pattern.startswith(_WHOLE_WORD) for p in self.patterns) else None
        by_letter: dict[str, list[int]] = {}
        self._everywhere: list[int] = []
        for k, pattern in enumerate(self.patterns):
            letters = _first_letters(pattern.pattern, pattern.flags)
            if letters is None:
                self._everywhere.append(k)
                continue
            for ch in letters:
                by_letter.setdefault(ch, []).append(k)
        self._by_letter = {ch: tuple(ks) for ch, ks in by_letter.items()}
        self._gate = (
            re.compile("[" + "".join(re.escape(ch) for ch in sorted(by_letter)) + "]"
                       + (f"(?<!{after}.)" if after else ""))
            if by_letter
            else None
        )

    def matches(self, text: str) -> list[list[re.Match[str]]]:
        """Per pattern (in order), its matches in ``text``: what ``pattern.finditer(text)`` gives."""
        out: list[list[re.Match[str]]] = [[] for _ in self.patterns]
        if self._gate is not None:
            ends = [0] * len(self.patterns)
            for g in self._gate.finditer(text):
                pos = g.start()
                for k in self._by_letter[text[pos]]:
                    if pos < ends[k]:
                        continue  # inside this pattern's previous match: finditer would not look here
                    m = self.patterns[k].match(text, pos)
                    if m is not None:
                        out[k].append(m)
                        ends[k] = max(m.end(), pos + 1)
        for k in self._everywhere:
            out[k] = list(self.patterns[k].finditer(text))
        return out



def _first_letters(source: str, flags: int) -> frozenset[str] | None:
    """The characters a match of ``source`` can begin with, or None when it may begin with almost any."""
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
                return None  # a negated set, a category (\w, \d) or a wide range
        return frozenset(chars), False
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
